"""Links and gold accepts go through the writer thread like span tags: while another program
holds the database locked (`BEGIN EXCLUSIVE`), the key is answered at once, the status line says
"… saving" (never "saved"), nothing is written; once the lock is released the writer commits the
action by itself, exactly once, and only then says "✓ saved"."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from tests.ui.ui_helpers import gold_of, status_line, tag_both_putins
from tui.store import Store
from tui.ui.app import AnnotatorApp
from tui.ui.screens.links import LinkLabelScreen
from tui.ui.screens.review import ReviewScreen

pytestmark = pytest.mark.anyio


def _count(path: Path, sql: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _lock(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program's long write transaction
    holder.execute("UPDATE labels SET description = description")
    return holder


async def _until(check, tries: int = 80) -> None:
    for _ in range(tries):
        if check():
            return
        await asyncio.sleep(0.1)


async def test_a_link_made_while_the_database_is_locked_is_pending_then_saved_once(seeded_db: Path):
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=(110, 20)) as pilot:
            main = app.main_screen()
            vi, _ar = main.panes
            await tag_both_putins(pilot)
            holder = _lock(seeded_db)
            try:
                await pilot.press("L")
                await pilot.press("tab", "L")
                await pilot.pause()
                assert isinstance(app.screen, LinkLabelScreen)
                app.simulate_key("enter")  # not pilot.press: that waits for the write to be reported
                await _until(lambda: "waiting" in status_line(app))
                line = status_line(app)
                assert "… saving: linked same_entity" in line and "waiting" in line and "✓" not in line, line
                assert _count(seeded_db, "SELECT count(*) FROM links") == 0
                caret = main.active_pane().view.caret
                app.simulate_key("right")  # the screen answers keys while the link waits
                await _until(lambda: main.active_pane().view.caret != caret, 10)
                assert main.active_pane().view.caret != caret
                assert "✓ saved" not in status_line(app)
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            await _until(lambda: "saved: linked same_entity" in status_line(app))
            assert "✓ saved: linked same_entity" in status_line(app) and "… saving" not in status_line(app)
            assert any(mark.linked for mark in vi.view.spans)
    assert _count(seeded_db, "SELECT count(*) FROM links") == 1  # written by itself, once


async def test_a_gold_accept_while_the_database_is_locked_is_pending_then_saved_once(team_db):
    path, doc = team_db
    with Store.open(path) as store:
        app = AnnotatorApp(store, annotator="lead", panes=1, documents=[doc])
        async with app.run_test(size=(150, 30)) as pilot:
            await pilot.pause()
            await pilot.press("R")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)

            def line() -> str:
                return str(screen.query_one("#review-status").render())

            holder = _lock(path)
            try:
                app.simulate_key("equals_sign")  # accept every unanimous span into gold
                await _until(lambda: "waiting" in line())
                shown = line()
                assert "… saving: accept 2 unanimous into gold" in shown and "waiting" in shown, shown
                assert "✓ saved" not in shown, shown
                assert gold_of(store, doc) == []
                caret = screen.pane.view.caret
                app.simulate_key("semicolon")  # keys are answered: the caret jumps to the next to decide
                await _until(lambda: screen.pane.view.caret != caret, 10)
                assert screen.pane.view.caret != caret
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            await _until(lambda: "saved: 2 spans unanimous into gold" in line())
            assert "✓ saved: 2 spans unanimous into gold" in line() and "… saving" not in line()
        assert gold_of(store, doc) == [("date", "Theta"), ("entity", "Alpha")]
    assert _count(path, "SELECT count(*) FROM spans WHERE annotator = 'gold'") == 2  # once, not twice
