"""An annotator's full day (issue 19): start-up messages, keymap safety and the editing points,
driven through Pilot as a user would meet them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.store import Store
from tui.ui.app import AnnotatorApp
from tui.ui.config import load_config
from tui.ui.screens.main import StatusLine

pytestmark = pytest.mark.anyio


def status_text(app: AnnotatorApp) -> str:
    return str(app.screen.query_one(StatusLine).render())


async def test_a_keymap_that_takes_quit_is_reported_at_start_and_q_still_quits(seeded_db: Path, tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\ntag_entity = "q"\nno_such_action = "z"\n', encoding="utf-8")
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice", keymap=load_config(config).keymap)
        async with app.run_test(size=(120, 32)) as pilot:
            await pilot.pause()
            line = status_text(app)
            assert "keymap: unknown binding id 'no_such_action' ignored" in line
            assert "quit keeps q" in line
            await pilot.press("q")
            await pilot.pause()
        assert not app.is_running


async def test_the_first_run_import_is_announced_in_the_app(seeded_db: Path):
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice")
        app.start_notices = ["Imported the sample corpus into annotations.db: 5 files: 5 new documents."]
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "Imported the sample corpus" in status_text(app)
            assert any("Imported the sample corpus" in n.message for n in app._notifications)
