"""The key bar at the bottom of the main screen: what it shows, remaps, narrow terminals, clicks."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from tui.store import Store
from tui.ui.app import AnnotatorApp
from tui.ui.keybar import ELLIPSIS, KeyBar
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.main import MainScreen

pytestmark = pytest.mark.anyio


def bar_text(app: AnnotatorApp) -> str:
    return app.screen.query_one(KeyBar).render().plain


def item_words(text: str) -> list[str]:
    """'e entity c claim … ^p/: commands' -> the 'key description' pairs on the left."""
    left = text.rsplit("  ", 1)[0].strip()
    words = left.replace(ELLIPSIS, "").split()
    return [" ".join(words[i:i + 2]) for i in range(0, len(words) - 1, 2)]


async def test_bar_shows_the_days_keys_at_80_columns(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert len(text) == 80
        # issue 19: Tab, o, m, r, n and / were hidden; the palette hint gives way below 120 columns
        for item in ("e c d tag", "x del", "r rel", "n next", "u undo", "/ find", "m done", "o open", "⇥ pane",
                     "? help", "q quit"):
            assert item in text, text
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(130, 24)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        for item in ("e entity", "c claim", "d date", "r relabel", "n next", "/ find", "m done", "o open",
                     "tab pane", "? help", "q quit"):
            assert item in text, text
        assert text.endswith("^p/: commands"), text


async def test_a_remapped_key_shows_on_the_bar(store):
    app = AnnotatorApp(store, annotator="alice", keymap={"tag_entity": "E", "quit": "Q"})
    async with app.run_test(size=(130, 24)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert "E entity" in text and "Q quit" in text, text
        assert "e entity" not in text and "q quit" not in text, text


@pytest.mark.parametrize("width", [30, 45, 60])
async def test_narrow_terminal_drops_whole_keys_with_an_ellipsis(store, width):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert len(text) == width
        assert ELLIPSIS in text, text
        shown = text.rstrip().removesuffix(ELLIPSIS).rstrip()
        full = unclipped_items(app)
        assert full.startswith(shown) and full[len(shown)] == " ", (shown, full)  # never half a key


def unclipped_items(app: AnnotatorApp) -> str:
    """What the bar would show with room for everything."""
    shown, _palette = app.screen.query_one(KeyBar).items()
    return " ".join(f"{item.display} {item.description}".strip() for item in shown)


async def test_bar_follows_the_bindings_when_focus_changes(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        assert "e entity" in bar_text(app)
        app.screen.set_focus(None)  # no article focused: its keys are not active
        await pilot.pause()
        text = bar_text(app)
        assert "e entity" not in text and "? help" in text, text
        app.screen.set_focus(app.active_pane().view)
        await pilot.pause()
        assert "e entity" in bar_text(app)


async def test_clicking_a_key_on_the_bar_runs_it(seeded_db):
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=(130, 24)) as pilot:
            await pilot.pause()
            text = bar_text(app)
            pane = app.active_pane()
            await pilot.click(KeyBar, offset=(text.index("e entity") + 2, 0))  # on the description
            await pilot.pause()
            [span] = store.spans(pane.document.id, annotator="alice")
            assert span.label == "entity"
            await pilot.click(KeyBar, offset=(text.index("? help"), 0))
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            await pilot.click(KeyBar, offset=(len(text) - 3, 0))  # "commands"
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
