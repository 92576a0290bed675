"""A write that fails mid-session: shown as NOT saved, never as saved, and nothing half-written.

Two real faults under a running app (Pilot):
- another process holds the database locked past the store's busy timeout (a 300 ms store);
- the disk fills up: the store's connection raises SQLITE_FULL on every INSERT/UPDATE/DELETE,
  so the real Store code path (BEGIN IMMEDIATE, statement, ROLLBACK, explain) runs.
For tag, delete, relabel, resize, undo and status: the status line says "NOT saved" with the
reason, a "Not saved" notification appears, the view and the title counts still show the
database's truth, and the database dump is unchanged. After the fault clears, the same key saves.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from tests.support import Notifications
from tui.store import Store

pytestmark = pytest.mark.anyio


def _dump(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()


class DiskFull:
    """Wraps the store's sqlite3 connection: writes raise SQLITE_FULL while `full` is set."""

    WRITES = ("INSERT", "UPDATE", "DELETE")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.full = False
        self.refused = 0

    def execute(self, sql: str, *args):
        if self.full and sql.lstrip().upper().startswith(self.WRITES):
            self.refused += 1
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorcode = sqlite3.SQLITE_FULL
            raise error
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


def _status(app) -> str:
    return str(app.main_screen().query_one("#status").render())


def _title(pane) -> str:
    """The pane's title bar text (title, language, counts per label, status), however many lines."""
    return " ".join(str(widget.render()) for widget in pane.query("Static"))


async def _expect_not_saved(app, notes, pilot, pane, key: str, db: Path, before: str, spans_before) -> None:
    notifications = len(notes)
    await pilot.press(key)
    await pilot.pause()
    status = _status(app)
    assert "NOT saved" in status and "✓" not in status, f"{key}: {status}"
    assert len(notes) > notifications, f"{key}: no notification"
    assert _dump(db) == before, f"{key}: the database changed although the action failed"
    assert [(m.start, m.end, m.label) for m in pane.view.spans] == spans_before, f"{key}: the view shows a change"


async def test_disk_full_mid_session_is_never_reported_as_saved(seeded_db: Path):
    from tui.ui.app import AnnotatorApp

    with Store.open(seeded_db) as store:
        disk = DiskFull(store._conn)
        store._conn = disk
        app = AnnotatorApp(store, annotator="alice", panes=1)
        notes = Notifications()
        async with app.run_test(size=(100, 30), message_hook=notes) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            await pilot.press("w", "e")  # one saved span to delete, relabel, resize, undo
            await pilot.pause()
            assert "saved: entity" in _status(app)
            spans = [(m.start, m.end, m.label) for m in pane.view.spans]
            assert len(spans) == 1 and "entity 1" in _title(pane)

            disk.full = True
            before = _dump(seeded_db)
            for key in ("w", "c"), ("x",), ("r",), ("}",), ("u",), ("m",):
                if len(key) == 2:
                    await pilot.press(key[0])
                await _expect_not_saved(app, notes, pilot, pane, key[-1], seeded_db, before, spans)
                if key == ("w", "c"):
                    await pilot.press("b")  # back onto the saved span
                assert "entity 1" in _title(pane) and "claim 0" in _title(pane)
            assert "disk is full" in _status(app) or "disk is full" in str(notes)
            assert disk.refused >= 6

            disk.full = False  # space again: the same key saves
            await pilot.press("w", "c")
            await pilot.pause()
            assert "✓" in _status(app) and "saved: claim" in _status(app)
    with Store.open(seeded_db) as store:
        labels = sorted(s.label for d in store.list_documents() for s in store.spans(d.id, annotator="alice"))
    assert labels == ["claim", "entity"]


async def test_database_locked_past_the_timeout_mid_session(seeded_db: Path):
    from tui.ui.app import AnnotatorApp

    with Store.open(seeded_db, busy_timeout_ms=300) as store:
        app = AnnotatorApp(store, annotator="alice", panes=1)
        notes = Notifications()
        async with app.run_test(size=(100, 30), message_hook=notes) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            before = _dump(seeded_db)
            holder = sqlite3.connect(seeded_db, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")  # another annotator's long write transaction
            try:
                await _expect_not_saved(app, notes, pilot, pane, "e", seeded_db, before, [])
                assert "locked" in _status(app)
                assert "entity 0" in _title(pane)
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            await pilot.press("e")
            await pilot.pause()
            assert "saved: entity" in _status(app) and "entity 1" in _title(pane)
            assert len(pane.view.spans) == 1
