"""The app on PostgreSQL (Pilot, a real throwaway server):

- another session's span appears in the open app by itself, through LISTEN/NOTIFY: the 2 s poll
  is not even running (it would fail the test if called), so only the notice can bring it;
- the connection is cut (every backend of the app terminated, and new connections refused for a
  while): the actions typed meanwhile are answered, drawn pending and said NOT saved yet on one
  line without the password; nothing reaches the database; once the server lets it back in, the
  app reconnects by itself and saves them, in order, each once, and the screen shows the database.

No timed assertions: every wait is for an event, with a generous timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from tests import postgres_server as pg
from tests.support import SEEDS, Notifications
from tests.ui.ui_helpers import status_line
from tui.store import Store
from tui.store.target import parse_target
from tui.ui import start_checks

pytestmark = pytest.mark.anyio

TIMEOUT = 60.0


async def _until(predicate: Callable[[], object], timeout: float = TIMEOUT) -> None:
    for _ in range(int(timeout / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the awaited event did not happen")


def _dbname(url: str) -> str:
    return url.split("/")[3].split("?")[0]


@pytest.fixture
def team_database(postgres_server: pg.Server, postgres_url: str) -> str:
    """The seeds in a database owned by a role with a password; the URL carries the password."""
    name = _dbname(postgres_url)
    postgres_server.admin(f'ALTER DATABASE "{name}" OWNER TO {pg.PASSWORD_ROLE}')
    url = postgres_server.url(name, user=pg.PASSWORD_ROLE, password=pg.PASSWORD)
    from tui.formats import import_paths

    with Store.open(parse_target(url)) as store:
        import_paths(store, [SEEDS], annotator="import")
    return url


async def test_another_sessions_span_appears_at_once_without_a_key_or_a_poll(team_database: str, monkeypatch):
    from tui.ui.app import AnnotatorApp
    from tui.ui.screens.main import MainScreen

    polls: list[int] = []
    monkeypatch.setattr(MainScreen, "poll_database", lambda self: polls.append(1))
    target = parse_target(team_database)
    with Store.open(target) as store, Store.open(target) as other:
        app = AnnotatorApp(store, annotator="alice", panes=1)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            listener = app.main_screen().listener
            assert listener is not None  # PostgreSQL: the app listens instead of polling
            await _until(lambda: listener.batches >= 1)  # listening (the first answer covers the start)
            pane = app.active_pane()
            doc_id, text = pane.document.id, pane.document.text
            word = text.index("Putin")
            assert not pane.view.spans
            mine = other.add_span(doc_id, "alice", "entity", word, word + 5)  # a second terminal of alice
            theirs = other.add_span(doc_id, "bob", "claim", 0, 10)
            await _until(lambda: pane.view.spans)
            assert [(m.id, m.start, m.end, m.label) for m in pane.view.spans] == [(mine.id, word, word + 5, "entity")]
            await _until(lambda: "entity 1" in str(pane.query_one(".pane-meta").render()))
            await pilot.press("t")  # bob's span is there too, read-only
            await pilot.pause()
            assert {(m.id, m.readonly) for m in pane.view.spans} == {(mine.id, False), (theirs.id, True)}
            other.delete_span(mine.id, "alice")
            await _until(lambda: {m.id for m in pane.view.spans} == {theirs.id})
    assert polls == []  # never polled: the notices did it


async def test_a_lost_connection_leaves_actions_unsaved_then_saves_them_in_order_once(
        team_database: str, postgres_server: pg.Server):
    import psycopg

    from tui.ui.app import AnnotatorApp

    name = _dbname(team_database)
    watcher = psycopg.connect(postgres_server.url(name), autocommit=True)  # survives the cut: reads the truth

    def alice_spans() -> list[tuple[int, str]]:
        return [tuple(row) for row in watcher.execute(
            "SELECT start, label FROM spans WHERE annotator = 'alice' ORDER BY id").fetchall()]

    notes = Notifications()
    try:
        with Store.open(parse_target(team_database)) as store:
            app = AnnotatorApp(store, annotator="alice", panes=1)
            async with app.run_test(size=(160, 30), message_hook=notes) as pilot:
                await pilot.pause()
                pane = app.active_pane()
                text = pane.document.text
                await pilot.press("w", "e")
                await pilot.pause()
                assert len(alice_spans()) == 1 and "✓ saved" in status_line(app)

                # The server goes away for this database: every backend of it ends, none may start.
                postgres_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                postgres_server.admin(
                    f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
                    f"AND pid <> {watcher.info.backend_pid}")
                for key in ("w", "e", "w", "c", "w", "d"):  # not pilot.press: that waits for the writes
                    app.simulate_key(key)
                await _until(lambda: app.writer.disconnected is not None and len(app.writer.pending) == 3)
                await _until(lambda: "NOT saved yet" in status_line(app))
                line = status_line(app)
                assert "3 action(s) NOT saved yet: connection to the database lost" in line, line
                assert pg.PASSWORD not in line and "\n" not in line
                await _until(lambda: any("NOT saved yet" in str(n.title) for n in notes.items))  # and a toast
                assert [m.pending for m in pane.view.spans].count(True) == 3  # drawn pending, not saved
                assert len(alice_spans()) == 1  # nothing reached the database
                await asyncio.to_thread(start_checks.check_database, app)  # the start-up check, while the server refuses
                await asyncio.sleep(0.2)  # (not pilot.pause: that waits for the pending writes)
                assert app.writer.damaged is None  # a server away is not a damaged file: nothing given up
                caret = pane.view.caret
                app.simulate_key("w")  # the screen still answers keys
                await _until(lambda: pane.view.caret != caret)

                postgres_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
                await _until(lambda: not app.writer.pending)
                await _until(lambda: len(pane.view.spans) == 4 and not any(m.pending for m in pane.view.spans))
                listener = app.main_screen().listener
                await _until(lambda: listener.problem is None)  # live updates back too
                # ... and the status line says nothing stale: no loss, nothing unsaved, no failed reload
                await _until(lambda: not any(w in status_line(app) for w in ("lost", "NOT saved", "could not", "paused")))
                line = status_line(app)
                assert "lost" not in line and "NOT saved" not in line and "could not" not in line, line
                assert "paused" not in line, line
                assert app.writer.reconnects >= 1
        saved = alice_spans()
        assert [label for _, label in saved] == ["entity", "entity", "claim", "date"]  # in order, once each
        starts = [start for start, _ in saved]
        assert starts == sorted(starts) and len(set(starts)) == 4
        events = watcher.execute("SELECT count(*) FROM events WHERE annotator = 'alice' AND action = 'add'").fetchone()
        assert events == (4,)
        assert all(text[s:s + 1].strip() for s in starts)
        assert not [n for n in notes.items if pg.PASSWORD in f"{n.title} {n.message}"]
        assert any("reconnected" in m for m in notes.messages())
    finally:
        postgres_server.admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        watcher.close()
