"""A write that fails mid-session: shown as NOT saved, never as saved, and nothing half-written.

Two real faults under a running app (Pilot):
- the disk fills up: the connections (the app's and its writer thread's) raise SQLITE_FULL on
  every INSERT/UPDATE/DELETE, so the real Store code path (BEGIN IMMEDIATE, statement, ROLLBACK,
  explain) runs. For tag, delete, relabel, resize, undo and status: the status line says
  "NOT saved" with the reason, a "Not saved" notification appears, the view and the title counts
  still show the database's truth, and the database dump is unchanged. After the fault clears,
  the same key saves.
- another process holds the database locked far past the busy timeout: the action is shown
  pending ("… saving", how long it has waited), nothing is reported saved, and the writer saves
  it by itself once the lock is released (tui.ui.writer).
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from tests.support import Notifications
from tests.ui.ui_helpers import status_line
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


def _title(pane) -> str:
    """The pane's title bar text (title, language, counts per label, status), however many lines."""
    return " ".join(str(widget.render()) for widget in pane.query("Static"))


async def _expect_not_saved(app, notes, pilot, pane, key: str, db: Path, before: str, spans_before) -> None:
    notifications = len(notes)
    await pilot.press(key)
    await pilot.pause()
    status = status_line(app)
    assert "NOT saved" in status and "✓" not in status, f"{key}: {status}"
    assert len(notes) > notifications, f"{key}: no notification"
    assert _dump(db) == before, f"{key}: the database changed although the action failed"
    assert [(m.start, m.end, m.label) for m in pane.view.spans] == spans_before, f"{key}: the view shows a change"


async def test_disk_full_mid_session_is_never_reported_as_saved(seeded_db: Path):
    from tui.ui.app import AnnotatorApp

    with Store.open(seeded_db) as store:
        disk = DiskFull(store._conn)
        store._conn = disk
        writer_disks: list[DiskFull] = []

        def writer_store() -> Store:  # the writer thread's own connection fills up alike
            own = store.another_connection()
            writer_disks.append(DiskFull(own._conn))
            own._conn = writer_disks[-1]
            return own

        store.writer_store = writer_store
        app = AnnotatorApp(store, annotator="alice", panes=1)
        notes = Notifications()
        async with app.run_test(size=(100, 30), message_hook=notes) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            await pilot.press("w", "e")  # one saved span to delete, relabel, resize, undo
            await pilot.pause()
            assert "saved: entity" in status_line(app)
            spans = [(m.start, m.end, m.label) for m in pane.view.spans]
            assert len(spans) == 1 and "entity 1" in _title(pane)

            disk.full = True
            for other in writer_disks:
                other.full = True
            before = _dump(seeded_db)
            for key in ("w", "c"), ("x",), ("r",), ("}",), ("u",), ("m",):
                if len(key) == 2:
                    await pilot.press(key[0])
                await _expect_not_saved(app, notes, pilot, pane, key[-1], seeded_db, before, spans)
                if key == ("w", "c"):
                    await pilot.press("b")  # back onto the saved span
                assert "entity 1" in _title(pane) and "claim 0" in _title(pane)
            assert "disk is full" in status_line(app) or "disk is full" in str(notes)
            assert disk.refused + sum(d.refused for d in writer_disks) >= 6

            disk.full = False  # space again: the same key saves
            for other in writer_disks:
                other.full = False
            await pilot.press("w", "c")
            await pilot.pause()
            assert "✓" in status_line(app) and "saved: claim" in status_line(app)
    with Store.open(seeded_db) as store:
        labels = sorted(s.label for d in store.list_documents() for s in store.spans(d.id, annotator="alice"))
    assert labels == ["claim", "entity"]


async def test_a_lock_held_past_the_timeout_keeps_the_action_pending_until_it_is_saved(seeded_db: Path):
    import asyncio

    from tui.ui.app import AnnotatorApp

    with Store.open(seeded_db, busy_timeout_ms=300) as store:
        app = AnnotatorApp(store, annotator="alice", panes=1)
        notes = Notifications()
        async with app.run_test(size=(140, 30), message_hook=notes) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            before = _dump(seeded_db)
            holder = sqlite3.connect(seeded_db, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")  # another annotator's long write transaction
            try:
                app.simulate_key("e")  # not pilot.press: that waits for the write to be reported
                for _ in range(60):
                    await asyncio.sleep(0.1)
                    if "waiting" in status_line(app):
                        break
                status = status_line(app)
                assert "… saving" in status and "waiting" in status and "✓" not in status, status
                assert any(mark.pending for mark in pane.view.spans), "the tag is not drawn pending"
                app.simulate_key("right")  # keys are answered while the write waits
                await asyncio.sleep(0.3)
                assert pane.view.caret > 0
                assert _dump(seeded_db) == before
                assert "entity 0" in _title(pane)
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            await pilot.pause()
            for _ in range(50):
                if "saved: entity" in status_line(app):
                    break
                await asyncio.sleep(0.1)
            assert "saved: entity" in status_line(app) and "entity 1" in _title(pane)
            assert len(pane.view.spans) == 1 and not pane.view.spans[0].pending
    with Store.open(seeded_db) as store:
        spans = [s for d in store.list_documents() for s in store.spans(d.id, annotator="alice")]
        assert len(spans) == 1  # saved once, by itself, after the lock went
