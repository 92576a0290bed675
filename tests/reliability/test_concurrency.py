"""Concurrent annotators on one database: nothing lost, nothing doubled, no "database is locked".

TUI_CONCURRENT_PROCS processes (default 8) each run TUI_CONCURRENT_OPS (default 250) random
adds, relabels and deletes through the Store API, all at once on the same documents, on SQLite and
on PostgreSQL (`seeded_target`). Each logs what the store said it committed. Afterwards, for every
annotator (tests/reliability/concurrency.py, shared with the benchmark):
- replaying its log gives exactly its spans in the database (nothing lost, nothing extra);
- its add/relabel/delete events are exactly its committed operations, in order, once each;
- no StoreError mentioned a lock (busy retries stayed inside the store).
The app half: an open app shows a span another connection committed after its refresh poll
(SQLite) or its LISTEN notice (PostgreSQL).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.concurrency import check, run_workers
from tests.reliability.support import env_int, integrity
from tui.store import Store

PROCESSES = max(8, env_int("TUI_CONCURRENT_PROCS", 8))
OPERATIONS = env_int("TUI_CONCURRENT_OPS", 250)


def test_many_processes_write_at_once_without_loss_duplication_or_lock_errors(seeded_target: str, tmp_path: Path):
    run = run_workers(seeded_target, PROCESSES, OPERATIONS, tmp_path)
    totals = check(seeded_target, run)
    if not seeded_target.startswith("postgresql:"):
        assert integrity(Path(seeded_target)) == "ok"
    assert run.operations >= PROCESSES * OPERATIONS * 0.95, totals
    print(f"\n{PROCESSES} processes x {OPERATIONS} ops in {run.seconds:.1f}s: {dict(totals)}; "
          f"lost 0, duplicated 0, lock errors 0")


@pytest.mark.anyio
async def test_app_shows_another_connections_span_after_its_refresh(seeded_target: str, monkeypatch):
    """SQLite: after the refresh poll; PostgreSQL: at the notice (no poll runs there)."""
    import tui.ui.screens.main as main_screen
    from tui.ui.app import AnnotatorApp

    monkeypatch.setattr(main_screen, "POLL_SECONDS", 0.2)
    with Store.open(seeded_target) as store, Store.open(seeded_target) as other:
        app = AnnotatorApp(store, annotator="alice", panes=1)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            doc_id, text = pane.document.id, pane.document.text
            word = text.index("Putin")
            assert not pane.view.spans
            # alice in another session (a second terminal) and bob, each their own connection
            mine = other.add_span(doc_id, "alice", "entity", word, word + 5)
            theirs = other.add_span(doc_id, "bob", "claim", 0, 10)
            for _ in range(600):  # a generous wait for the event, not a timing
                await pilot.pause(0.05)
                if pane.view.spans:
                    break
            assert [(m.id, m.start, m.end, m.label) for m in pane.view.spans] == [(mine.id, word, word + 5, "entity")]
            assert "entity 1" in " ".join(str(widget.render()) for widget in pane.query("Static"))
            # bob's span appears (read-only) when others are shown
            await pilot.press("t")
            await pilot.pause()
            shown = {(m.id, m.readonly) for m in pane.view.spans}
            assert shown == {(mine.id, False), (theirs.id, True)}
            # a delete elsewhere disappears after the next poll as well
            other.delete_span(mine.id, "alice")
            for _ in range(600):
                await pilot.pause(0.05)
                if len(pane.view.spans) == 1:
                    break
            assert {m.id for m in pane.view.spans} == {theirs.id}
