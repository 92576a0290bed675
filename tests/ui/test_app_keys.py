"""Keys, help, keymap, palette, small terminals and failed writes, as a user meets them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from tui.store import Store
from tui.ui.app import AnnotatorApp
from tui.ui.commands import ActionsProvider
from tui.ui.config import ConfigError, load_config
from tui.ui.document_view import DocumentView
from tui.ui.panes import ArticlePane, label_bindings
from tui.ui.screens.help import HelpScreen, help_table
from tui.ui.screens.main import MainScreen
from tui.ui.screens.picker import PickerScreen
from tests.support import Notifications
from tests.ui.ui_helpers import FailingStore, picker_settled

pytestmark = pytest.mark.anyio

FLOW_CONTROL = {"ctrl+s", "ctrl+q"}


def all_binding_ids(store: Store) -> set[str]:
    ids = set()
    for cls in (DocumentView, ArticlePane, MainScreen, AnnotatorApp):
        ids |= {b.id for b in cls.BINDINGS if getattr(b, "id", None)}
    ids |= {b.id for b in label_bindings(store.labels())}
    return ids


def as_text(renderable, width: int = 200) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.file.getvalue()


async def test_help_screen_lists_every_binding_with_its_id_and_key(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("question_mark")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = as_text(help_table(help_screen.actions))
        for binding_id in all_binding_ids(store):
            assert binding_id in text, f"{binding_id} missing from the help screen"
        for key in ("e, 1", "c, 2", "d, 3", "x, del", "u, ^z", "U, ^y", "tab", "?", "q", "/", "[", "}"):
            assert key in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_no_essential_key_is_flow_control_or_only_a_function_key(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        from tui.ui.bindings import live_actions

        for action in live_actions(app.screen):
            usable = [
                k for k in action.keys if k not in FLOW_CONTROL and not (k.startswith("f") and k[1:].isdigit())
            ]
            assert usable, f"{action.description} is only on {action.keys}"
        bound = {key for action in live_actions(app.screen) for key in action.keys}
        assert not bound & {"ctrl+s"}


async def test_keymap_override_changes_the_key_and_the_help(seeded_db, tmp_path):
    config_path = tmp_path / "config.toml"
    config_path.write_text('[keymap]\ntag_entity = "E"\nquit = "Q"\n', encoding="utf-8")
    config = load_config(config_path)
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice", keymap=config.keymap)
        async with app.run_test(size=(120, 32)) as pilot:
            pane = app.active_pane()
            await pilot.press("w", "e")  # e is no longer entity
            await pilot.pause()
            assert store.spans(pane.document.id, annotator="alice") == []
            await pilot.press("E")
            await pilot.pause()
            [span] = store.spans(pane.document.id, annotator="alice")
            assert span.label == "entity"
            await pilot.press("question_mark")
            text = as_text(help_table(app.screen.actions))
            entity_row = next(line for line in text.splitlines() if "tag_entity" in line)
            assert entity_row.split()[0] in ("E", "E,"), entity_row
            await pilot.press("escape", "q")  # q no longer quits
            assert app.is_running
            await pilot.press("Q")
        assert not app.is_running


def test_config_file_values_and_clear_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert load_config().panes == 2  # no file: defaults
    path = tmp_path / "xdg" / "tui" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text('panes = 3\nbidi = "terminal"\nshaping = false\n', encoding="utf-8")
    config = load_config()
    assert (config.panes, config.bidi, config.shaping) == (3, "terminal", False)
    path.write_text('bidi = "sideways"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="bidi must be one of app, terminal, off"):
        load_config()
    path.write_text("panes = [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config()
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml")


async def test_narrow_terminal_shows_one_pane_and_tab_switches(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        vi, ar = app.main_screen().panes
        assert (vi.display, ar.display) == (True, False)
        assert "‹1/2›" in str(vi.query_one(".pane-title").render())
        await pilot.press("tab")
        assert (vi.display, ar.display) == (False, True)
        assert app.focused is ar.view
        assert "‹2/2›" in str(ar.query_one(".pane-title").render())
        await pilot.resize_terminal(120, 32)
        await pilot.pause()
        assert (vi.display, ar.display) == (True, True)
        assert "‹" not in str(vi.query_one(".pane-title").render())


async def test_shrinking_to_tiny_sizes_and_back_never_crashes(store):
    app = AnnotatorApp(store, annotator="alice", panes=4)
    async with app.run_test(size=(120, 32)) as pilot:
        for width, height in ((10, 3), (1, 1), (80, 24), (120, 32)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            await pilot.press("tab", "l", "w")
        await pilot.pause()
        assert app.is_running
        assert sum(p.display for p in app.main_screen().panes) == 2
        await pilot.press("w", "e")
        await pilot.pause()
        assert len(store.spans(app.active_pane().document.id, annotator="alice")) == 1


async def test_failed_write_is_shown_as_not_saved_and_the_view_follows_the_database(store):
    failing = FailingStore(store)
    app = AnnotatorApp(failing, annotator="alice")
    notes = Notifications()
    async with app.run_test(size=(120, 32), message_hook=notes) as pilot:
        await pilot.pause()
        pane = app.active_pane()
        failing.failing = True
        await pilot.press("w", "e")
        await pilot.pause()
        status = str(app.main_screen().query_one("#status").render())
        assert "NOT saved" in status and "disk is full" in status
        assert "✓" not in status
        assert any(n.severity == "error" and "NOT saved" in n.message for n in notes.items)
        assert store.spans(pane.document.id) == []
        assert pane.view.spans == ()
        assert "entity 0" in str(pane.query_one(".pane-meta").render())
        failing.failing = False
        await pilot.press("e")
        await pilot.pause()
        assert len(store.spans(pane.document.id)) == 1
        assert "✓ saved: entity" in str(app.main_screen().query_one("#status").render())
        assert len(pane.view.spans) == 1


async def test_span_editing_keys_relabel_resize_and_jump(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        pane = app.active_pane()
        text, doc_id = pane.document.text, pane.document.id
        await pilot.press("w", "e")  # "sắp" (the second word of the title)
        await pilot.pause()
        [span] = store.spans(doc_id, annotator="alice")
        assert text[span.start:span.end] == "sắp"
        await pilot.press("r")  # entity -> claim (next label)
        await pilot.press("right_curly_bracket", "right_curly_bracket")  # end two characters later
        await pilot.press("right_square_bracket")  # start one later
        await pilot.pause()
        [span] = store.spans(doc_id, annotator="alice")
        # the first } jumps the space (an edge never stops on whitespace): "sắp p", then "sắp ph"
        assert (span.label, span.text) == ("claim", "ắp ph")
        await pilot.press("left_square_bracket", "left_curly_bracket", "left_curly_bracket")
        await pilot.pause()
        [span] = store.spans(doc_id, annotator="alice")
        assert span.text == "sắp"
        await pilot.press("G", "N")  # from the end, previous span is that one
        assert pane.view.caret == span.start
        await pilot.press("g", "n")
        assert pane.view.caret == span.start


async def test_status_keys_and_article_navigation(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        pane = app.active_pane()
        first = pane.document.id
        await pilot.press("m", "n")  # done; "open the next article to do?" no
        await pilot.pause()
        assert store.status(first, "alice") == "done"
        assert "done" in str(pane.query_one(".pane-meta").render())
        await pilot.press("m")
        await pilot.pause()
        assert store.status(first, "alice") == "in_progress"
        await pilot.press("s")
        await pilot.pause()
        assert store.status(first, "alice") == "skipped"
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert pane.document.id == store.neighbour_document(first, 1)
        await pilot.press("less_than_sign")
        await pilot.pause()
        assert pane.document.id == first


async def test_picker_filters_by_title_and_opens_in_the_focused_pane(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("tab", "o")
        assert isinstance(app.screen, PickerScreen)
        await picker_settled(pilot)
        assert app.screen.total == 5
        await pilot.press(*"وعد")
        await picker_settled(pilot)
        assert app.screen.total == 1
        await pilot.press("enter")
        await pilot.pause()
        pane = app.active_pane()
        assert pane.index == 1 and pane.document.title.startswith("وعد الرئيس")


async def test_picker_pages_a_large_database(tmp_path):
    with Store.open(tmp_path / "big.db") as store:
        for n in range(450):
            store.add_document(f"Bài {n} về Belarus.", title=f"Bài số {n:04d}", language="vi", direction="ltr")
        app = AnnotatorApp(store, annotator="alice", panes=1)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("o")
            picker = app.screen
            await picker_settled(pilot)
            assert (picker.total, picker.loaded) == (450, 200)
            while picker.query_one("DataTable").cursor_row < 199:
                await pilot.press("pagedown")
            await picker_settled(pilot)
            assert picker.loaded == 400  # near the last loaded row, the next page arrived
            await pilot.press(*"0449")
            await picker_settled(pilot)
            assert picker.total == 1


async def test_command_palette_lists_every_action_and_switches_display_mode(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        provider = ActionsProvider(app.screen)
        titles = [title for title, _, _ in provider._commands()]
        descriptions = {a.description for a in __import__("tui.ui.bindings", fromlist=["x"]).live_actions(app.screen)}
        for description in descriptions - {"commands"}:
            assert any(t.startswith(description) for t in titles), description
        await pilot.press("ctrl+p")
        await pilot.press(*"bidi term")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.bidi == "terminal"
        assert all(not p.view.options.reorder for p in app.main_screen().panes)
        assert all(p.view.options.shaping for p in app.main_screen().panes)
        assert all(p.view.terminal_reorders for p in app.main_screen().panes)
        await pilot.press("B")  # terminal -> off: no reordering, no shaping
        assert app.bidi == "off"
        assert all(not p.view.options.shaping for p in app.main_screen().panes)
        await pilot.press("B", "J")  # off -> app; shaping toggled off
        assert app.bidi == "app" and not app.shaping
        assert all(p.view.options.reorder and not p.view.options.shaping for p in app.main_screen().panes)


def test_run_app_reports_a_bad_config_without_a_traceback(tmp_path, capsys):
    from tui.ui.app import run_app

    bad = tmp_path / "bad.toml"
    bad.write_text("panes = 9\n", encoding="utf-8")
    assert run_app(tmp_path / "x.db", annotator="alice", config_path=bad) == 1
    assert "panes must be an integer from 1 to 4" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()





async def test_the_garbage_collector_is_on_again_once_the_first_frame_is_drawn(tmp_path):
    """run_app starts the app with the cyclic collector off (tui.ui.run: no collection before the
    first frame); the app turns it back on once that frame is drawn, or memory would only grow."""
    import gc

    with Store.open(tmp_path / "gc.db") as store:
        app = AnnotatorApp(store, annotator="alice")
        gc.disable()
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                assert gc.isenabled()
        finally:
            gc.enable()


async def test_an_empty_database_opens_and_keys_do_nothing_harmful(tmp_path):
    with Store.open(tmp_path / "empty.db") as store:
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("e", "x", "u", "U", "n", "r", "m", "greater_than_sign", "left_square_bracket", "tab")
            await pilot.press("o")
            await picker_settled(pilot)
            assert isinstance(app.screen, PickerScreen) and app.screen.total == 0
            await pilot.press("enter", "escape")
            assert "no article" in str(app.active_pane().query_one(".pane-title").render())
            assert app.is_running


async def test_hostile_titles_are_shown_as_text_never_as_markup_or_control_bytes(tmp_path):
    title = "\x1b[31m[bold red]x[/] \u202eevil\u202c [@click=app.quit]"
    with Store.open(tmp_path / "hostile.db") as store:
        store.add_document("Nội dung. [b]x[/b] \x1b]52;c;AAAA\x07 hết.", title=title, language="vi", direction="ltr")
        app = AnnotatorApp(store, annotator="alice", panes=1)
        async with app.run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            shown = str(app.active_pane().query_one(".pane-title").render())
            assert "[bold red]" in shown and "[@click=app.quit]" in shown
            assert not any(ch in shown for ch in "\x1b\x07\u202e\u202c")
            await pilot.press("o")
            await pilot.pause()
            table = app.screen.query_one("DataTable")
            cell = str(table.get_row_at(0)[0])
            assert "[bold red]" in cell and not any(ch in cell for ch in "\x1b\x07\u202e\u202c")
            await pilot.press("enter")
            assert app.is_running


async def test_two_panes_on_one_document_stay_in_step(store):
    doc_id = store.list_documents()[0].id
    app = AnnotatorApp(store, annotator="alice", documents=[doc_id, doc_id])
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("w", "e")
        await pilot.pause()
        left, right = app.main_screen().panes
        assert [(m.start, m.end) for m in right.view.spans] == [(m.start, m.end) for m in left.view.spans]
        assert len(right.view.spans) == 1


async def test_an_unreadable_database_mid_session_is_reported_not_a_crash(store):
    failing = FailingStore(store)
    app = AnnotatorApp(failing, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        failing.failing = failing.failing_reads = True
        await pilot.press("w", "e", "x", "u", "m", "greater_than_sign", "tab", "e")
        await pilot.pause()
        app.main_screen().poll_database()
        assert app.is_running
        status = str(app.main_screen().query_one("#status").render())
        assert "NOT saved" in status or "could not" in status
        assert "✓" not in status
        failing.failing = failing.failing_reads = False
        await pilot.press("e")
        await pilot.pause()
        assert "✓ saved" in str(app.main_screen().query_one("#status").render())
        assert len(store.spans(app.active_pane().document.id)) == 1


async def test_search_line_takes_typed_keys_even_bound_ones_and_escape_restores_the_caret(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        pane = app.active_pane()
        text = pane.document.text
        await pilot.press("slash", *"Putin hx", "backspace")  # t, h, x are bindings elsewhere
        assert pane.view.caret == text.index("Putin h")
        assert not app.show_others and len(pane.matches) == 1
        await pilot.press("escape")
        assert pane.view.caret == 0 and pane.matches == []
        await pilot.press("slash", *"Putin", "enter", "n")  # enter jumps; n goes to the next match
        starts = [i for i in range(len(text)) if text.startswith("Putin", i)]
        assert pane.view.caret == starts[1]
        await pilot.press("escape", "e")  # escape clears the highlights; e tags the match
        await pilot.pause()
        [span] = store.spans(pane.document.id, annotator="alice")
        assert span.text == "Putin"


async def test_status_line_names_the_spans_under_the_caret_and_visual_mode(store):
    doc_id = store.list_documents()[0].id
    store.add_span(doc_id, "alice", "claim", 0, 11)
    store.add_span(doc_id, "alice", "entity", 0, 3)
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        status = lambda: str(app.main_screen().query_one("#status").render())  # noqa: E731
        assert "in ▸entity◂ ⊂ claim" in status()  # the current span (innermost) is marked
        await pilot.press("w")  # "sắp": inside the claim only
        assert "in ▸claim◂" in status() and "entity" not in status()
        await pilot.press("v")
        await pilot.pause()
        assert "VISUAL" in status()
        await pilot.press("escape")
        await pilot.pause()
        assert "VISUAL" not in status()


async def test_pane_meta_line_keeps_the_status_whole_in_a_narrow_pane(store):
    """Two panes on a 100-column terminal: counts and status squeeze together instead of the status
    being cut ("in progre…")."""
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("e")  # tag the first word: the status becomes "in progress"
        await pilot.pause()
        pane = app.active_pane()
        meta = str(pane.query_one(".pane-meta").render())
        assert "entity 1 claim 0 date 0 │ in progress" in meta, meta
    async with AnnotatorApp(store, annotator="alice").run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        meta = str(pilot.app.active_pane().query_one(".pane-meta").render())
        assert "entity 1  claim 0  date 0  │  in progress" in meta, meta
