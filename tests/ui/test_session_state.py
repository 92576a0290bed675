"""Starting tui again puts each annotator back where they left off: the articles in the panes, the
active pane and the caret in each article. Best effort: a bad state file never stops the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.ui import session_state
from tui.ui.app import AnnotatorApp, default_documents, restored_documents
from tui.ui.session_state import SessionState

pytestmark = pytest.mark.anyio


def test_state_round_trips_per_database_and_annotator(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    state = SessionState(["a", None], 1, {"a": 12, "b": 0})
    assert session_state.save(tmp_path / "x.db", "amira", state, path=path)
    assert session_state.load(tmp_path / "x.db", "amira", path=path) == state
    assert session_state.load(tmp_path / "x.db", "binh", path=path) is None  # another annotator
    assert session_state.load(tmp_path / "y.db", "amira", path=path) is None  # another database


@pytest.mark.parametrize("content", [b"", b"{not json", b"[1, 2]", b'{"k": 3}', b"\xff\xfe binary",
                                     json.dumps({"DB\nme": {"documents": "abc"}}).encode()])
def test_a_bad_state_file_means_the_defaults(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "sessions.json"
    path.write_bytes(content.replace(b"DB", str((tmp_path / "x.db").resolve()).encode()))
    assert session_state.load(tmp_path / "x.db", "me", path=path) is None
    assert session_state.save(tmp_path / "x.db", "me", SessionState(["a"]), path=path)  # and it is replaced
    assert session_state.load(tmp_path / "x.db", "me", path=path) == SessionState(["a"])


def test_wrong_types_inside_an_entry_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "sessions.json"
    key = f"{(tmp_path / 'x.db').resolve()}\nme"
    path.write_text(json.dumps({key: {"documents": ["a", None], "active": True,
                                      "carets": {"a": 3, "b": -1, "c": "7", "d": 2.5}}}))
    assert session_state.load(tmp_path / "x.db", "me", path=path) == SessionState(["a", None], 0, {"a": 3})


def test_a_state_that_cannot_be_written_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert not session_state.save(tmp_path / "x.db", "me", SessionState(["a"]), path=blocker / "sessions.json")


def test_only_the_most_recent_sessions_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_state, "MAX_SESSIONS", 3)
    path = tmp_path / "sessions.json"
    for n in range(5):
        session_state.save(tmp_path / f"{n}.db", "me", SessionState([str(n)]), path=path)
    kept = [n for n in range(5) if session_state.load(tmp_path / f"{n}.db", "me", path=path)]
    assert kept == [2, 3, 4]


def test_saved_articles_that_are_gone_are_replaced_by_the_defaults() -> None:
    exists = {"a", "b", "c"}.__contains__
    assert restored_documents(["b", "gone"], ["a", "b"], exists) == ["b", "a"]
    assert restored_documents(["gone", None, "c"], ["a", "b"], exists) == ["a", "b"]
    assert restored_documents(["c"], ["a", "b", None], exists) == ["c", "a", "b"]


async def test_reopening_the_app_returns_to_the_articles_pane_and_carets(store) -> None:
    defaults = default_documents(store, 2)
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        await pilot.press("greater_than_sign")  # pane 1: the next article
        await pilot.press(*["w"] * 7)
        await pilot.pause()
        first = app.main_screen().panes[0]
        first_doc, first_caret = first.document.id, first.view.caret
        await pilot.press("tab", "w", "w")  # pane 2 active (Arabic: w moves forward in the text), caret moved
        await pilot.pause()
        second = app.main_screen().panes[1]
        second_doc, second_caret = second.document.id, second.view.caret
        await pilot.press("q")
    assert first_doc != defaults[0] and first_caret > 0 and second_caret > 0

    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        main = app.main_screen()
        assert [pane.document.id for pane in main.panes] == [first_doc, second_doc]
        assert [pane.view.caret for pane in main.panes] == [first_caret, second_caret]
        assert app.active_pane() is main.panes[1] and main.panes[1].view.has_focus
        await pilot.press("less_than_sign")  # the previous article in pane 2 ...
        await pilot.press("greater_than_sign")  # ... and back: the caret is still where it was
        await pilot.pause()
        assert main.panes[1].view.caret == second_caret

    app = AnnotatorApp(store, annotator="bob")  # another annotator starts on the defaults
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        assert [pane.document.id for pane in app.main_screen().panes] == defaults
        assert app.main_screen().panes[0].view.caret == 0


async def test_articles_named_on_the_command_line_win_over_the_saved_ones(store) -> None:
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("greater_than_sign", "q")
    chosen = [summary.id for summary in store.list_documents(limit=5)][-1]
    app = AnnotatorApp(store, annotator="alice", panes=1, documents=[chosen])
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        assert app.active_pane().document.id == chosen
