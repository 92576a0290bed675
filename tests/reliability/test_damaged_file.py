"""A damaged database whose header is intact (finding 7 of issue 11): pages overwritten so that
PRAGMA quick_check fails. `tui import` refuses before writing (exit 1, the file byte-for-byte as
it was, a pointer to `sqlite3 .recover`); the app checks the file in the background after it
starts, says so and writes nothing more; SQLITE_CORRUPT during a write stops the writer too."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.reliability.support import SEEDS, file_digest
from tests.support import Notifications
from tui import cli
from tui.formats import import_paths
from tui.store import Store

DAMAGED_PAGE = 15  # an index of the events table: reads of articles and spans still work


def _damaged_db(tmp_path: Path) -> Path:
    db = tmp_path / "damaged.db"
    with Store.open(db) as store:
        import_paths(store, [SEEDS], annotator="import")
        rootpages = dict(store.connection.execute("SELECT name, rootpage FROM sqlite_master"))
    page = rootpages.get("events_by_target", DAMAGED_PAGE)
    with open(db, "r+b") as handle:
        handle.seek(4096 * (page - 1))
        handle.write(b"\xff" * 4096)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 5  # still readable
    finally:
        conn.close()
    return db


def test_import_into_a_damaged_database_is_refused_and_writes_nothing(tmp_path):
    db = _damaged_db(tmp_path)
    before = file_digest(db)
    article = tmp_path / "new.txt"
    article.write_text("Một bài báo mới\n\nHà Nội hôm nay.", encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["--db", str(db), "import", str(article)])
    assert result.exit_code == 1
    assert "damaged" in result.output and ".recover" in result.output and "Traceback" not in result.output
    assert file_digest(db) == before


def test_a_sound_database_passes_the_check(tmp_path):
    db = tmp_path / "ok.db"
    with Store.open(db) as store:
        import_paths(store, [SEEDS], annotator="import")
        assert store.quick_check() == []
        store.require_sound()


@pytest.mark.anyio
async def test_the_app_finds_the_damage_after_starting_and_saves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    from tui.ui.app import AnnotatorApp

    db = _damaged_db(tmp_path)
    with Store.open(db) as store:
        spans_before = [s.id for d in store.list_documents() for s in store.spans(d.id)]
        app = AnnotatorApp(store, annotator="alice", panes=1)
        notes = Notifications()
        async with app.run_test(size=(140, 30), message_hook=notes) as pilot:
            for _ in range(100):  # the check runs in a worker thread after the first frame
                await asyncio.sleep(0.05)
                if app.writer.damaged:
                    break
            await pilot.pause()
            assert app.writer.damaged and ".recover" in app.writer.damaged
            assert "damaged" in str(notes)
            status = str(app.main_screen().query_one("#status").render())
            assert "database damaged" in status
            await pilot.press("w", "e")
            await pilot.pause()
            status = str(app.main_screen().query_one("#status").render())
            assert "NOT saved" in status and "✓" not in status
        assert [s.id for d in store.list_documents() for s in store.spans(d.id)] == spans_before


def test_sqlite_corrupt_during_a_write_stops_the_writer():
    from tui.ui.writer import is_corrupt

    error = sqlite3.DatabaseError("database disk image is malformed")
    error.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
    assert is_corrupt(error)
    wrapped = RuntimeError("x")
    wrapped.__cause__ = error
    assert is_corrupt(wrapped) and not is_corrupt(sqlite3.OperationalError("database is locked"))
