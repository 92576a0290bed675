"""A browser tab's app: who is annotating is asked first (never assumed), and the display is
always bidi app + shaping in a browser. Keys that browsers keep are never an action's only key,
and Alt+Left (which xterm.js sends as ctrl+Left) means what ctrl+Left means."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input, OptionList

from tui.store import Store
from tui.ui import app as ui_app
from tui.ui.bindings import live_actions
from tui.ui.compat import binding_chain
from tui.ui.browser import (
    BROWSER_RESERVED_KEYS, REACHABLE_OTHERWISE, WEB_DRIVER, XTERM_JS_SAME_KEYS,
)
from tui.ui.browser import browser_display, in_browser
from tui.ui.screens.main import MainScreen
from tui.web.screen import AnnotatorScreen
from tui.web.session import WebAnnotatorApp, main as session_main

pytestmark = pytest.mark.anyio


@pytest.fixture
def store(web_db):
    with Store.open(web_db) as opened:
        yield opened


def problem_text(app: Any) -> str:
    return str(app.screen.query_one("#who-problem").render())


async def test_the_first_screen_asks_who_and_refuses_bad_names(store):
    app = WebAnnotatorApp(store, annotator="")
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, AnnotatorScreen)
        await pilot.press("enter")
        assert "type a name" in problem_text(app)
        assert isinstance(app.screen, AnnotatorScreen)
        await pilot.press(*"import", "enter")
        assert "reserved" in problem_text(app)
        app.screen.query_one(Input).value = ""
        await pilot.press(*"Hà", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.annotator == "Hà"
        status = str(app.screen.query_one("#status").render())
        assert "Hà" in status and "bidi app" in status


async def test_names_already_in_the_database_can_be_picked(store):
    pane_doc = store.list_documents()[0].id
    store.add_span(pane_doc, "mai", "entity", 0, 3)
    store.add_span(pane_doc, "bad\x1bname", "entity", 0, 3)  # imported from a file: never offered
    app = WebAnnotatorApp(store, annotator="")
    async with app.run_test(size=(100, 30)) as pilot:
        options = app.screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown == ["mai"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.annotator == "mai"


async def test_annotator_from_the_url_skips_the_first_screen(store):
    app = WebAnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(100, 30)):
        assert isinstance(app.screen, MainScreen)


def test_a_bad_annotator_argument_is_one_line_and_exit_2(web_db, capsys):
    assert session_main(["--db", str(web_db), "--annotator", "x\u202e"]) == 2
    assert "U+202E" in capsys.readouterr().err


def test_browser_detection_and_forced_display():
    assert in_browser({"TEXTUAL_DRIVER": WEB_DRIVER})
    assert in_browser({"TERM_PROGRAM": "textual"})
    assert not in_browser({"TERM_PROGRAM": "tmux", "TERM": "xterm-256color"})
    assert browser_display("terminal", False, {"TEXTUAL_DRIVER": WEB_DRIVER}) == ("app", True)
    assert browser_display("terminal", False, {}) == ("terminal", False)


def test_in_a_browser_the_config_file_cannot_turn_bidi_or_shaping_off(web_db, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('bidi = "terminal"\nshaping = false\n', encoding="utf-8")
    seen: dict[str, Any] = {}

    class Recorder(WebAnnotatorApp):
        def run(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
            seen.update(bidi=self.bidi, shaping=self.shaping)

    monkeypatch.setenv("TEXTUAL_DRIVER", WEB_DRIVER)
    ui_app.run_app(web_db, annotator="", config_path=config, app_class=Recorder)
    assert seen == {"bidi": "app", "shaping": True}
    monkeypatch.delenv("TEXTUAL_DRIVER")
    monkeypatch.delenv("TERM_PROGRAM", raising=False)
    ui_app.run_app(web_db, annotator="", config_path=config, app_class=Recorder)
    assert seen == {"bidi": "terminal", "shaping": False}  # a terminal: the config decides


# ------------------------------------------------------------------------ keys


def bindings_by_key(screen: Any) -> dict[str, str]:
    """key -> action as the screen resolves it now (innermost binding first)."""
    resolved: dict[str, str] = {}
    for node, bindings in binding_chain(screen):
        for key, binding in bindings:
            resolved.setdefault(key, f"{type(node).__name__}:{binding.action}")
    return resolved


async def screens_to_check(app: Any, pilot: Any) -> list[Any]:
    """Every screen a user meets: the first screen, the main screen, the picker, the help."""
    seen = [app.screen]
    await pilot.press(*"lan", "enter")
    await pilot.pause()
    seen.append(app.screen)
    await pilot.press("o")
    await pilot.pause()
    seen.append(app.screen)
    await pilot.press("escape", "question_mark")
    await pilot.pause()
    seen.append(app.screen)
    return seen


SIDEWAYS_PAGES = {"scroll_page_left", "scroll_page_right", "page_left", "page_right"}
"""Textual's own horizontal page scroll (ctrl+pageup/pagedown, which browsers use to switch tabs)
on views that wrap their text: there is nothing to scroll sideways."""


async def test_no_action_is_only_on_a_key_the_browser_keeps(store):
    app = WebAnnotatorApp(store, annotator="")
    async with app.run_test(size=(120, 32)) as pilot:
        checked = 0
        for screen in await screens_to_check(app, pilot):
            for action in live_actions(screen, key_display=lambda binding: binding.key):
                if action.action in SIDEWAYS_PAGES:
                    continue
                usable = [key for key in action.keys
                          if key not in BROWSER_RESERVED_KEYS or key in REACHABLE_OTHERWISE]
                assert usable, f"{action.description} is only on {action.keys}, which browsers keep"
                checked += 1
        assert checked > 30


async def test_alt_arrows_mean_what_ctrl_arrows_mean(store):
    app = WebAnnotatorApp(store, annotator="")
    async with app.run_test(size=(120, 32)) as pilot:
        for screen in await screens_to_check(app, pilot):
            keys = bindings_by_key(screen)
            for alt, ctrl in XTERM_JS_SAME_KEYS.items():
                assert keys.get(alt) == keys.get(ctrl), (type(screen).__name__, alt, keys.get(alt), keys.get(ctrl))
        main = app.main_screen()
        assert bindings_by_key(main)["alt+left"].endswith("move('word_left')")
