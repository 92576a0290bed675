"""The editing model (caret, anchor, visual mode, goal column, movements) without any app: plain
unit tests and property tests over the real layout engine."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.layout import DocumentLayout, LayoutOptions
from tui.ui.editing import MOVES, EditingModel

ARABIC = "قال الرئيس إن القمة ناجحة"


def model_for(text: str, width: int = 80, caret: int = 0, options: LayoutOptions = LayoutOptions()):
    layout = DocumentLayout(text, width, options)
    model = EditingModel()
    model.reset(len(text), caret)
    model.attach(layout)
    return model, layout


# ---------------------------------------------------------------- unit tests

def test_arrows_move_one_character_and_forget_the_goal_column():
    model, _ = model_for("hello world")
    model.move("right")
    model.move("right")
    assert model.caret == 2 and model.selection is None and model.goal_x is None


def test_up_and_down_keep_the_column_across_a_short_line():
    model, layout = model_for("a long first line\nab\nanother long line", caret=10)
    model.move("down")
    assert layout.position_of(model.caret) == (1, 2), "the short line's end"
    model.move("down")
    assert layout.position_of(model.caret) == (2, 10), "back to the column it started from"
    assert model.goal_x == 10
    model.move("left")
    assert model.goal_x is None


def test_shift_movement_selects_from_the_anchor_and_plain_movement_drops_it():
    model, _ = model_for("Hanoi hosts the summit")
    model.move("word_right", select=True)
    assert model.selection == (0, 6)
    model.move("right", select=True)
    assert model.selection == (0, 7), "the anchor stays where the selection began"
    model.move("left")
    assert model.selection is None and model.anchor is None


def test_visual_mode_selects_the_character_under_the_caret_and_extends_with_plain_moves():
    model, _ = model_for("Hanoi hosts")
    model.toggle_visual()
    assert model.visual_mode and model.selection == (0, 1), "v alone selects one character"
    model.move("word_right")
    assert model.selection == (0, 7)
    model.toggle_visual()
    assert not model.visual_mode and model.selection is None


def test_visual_mode_takes_a_whole_cluster():
    text = "ệ\u0301x"  # e with two marks, one of them combining: one cluster of two code points
    model, layout = model_for(text)
    model.toggle_visual()
    assert model.selection == (0, layout.cluster_end(0)) == (0, 2)


def test_clear_selection_reports_nothing_to_clear():
    model, _ = model_for("abc")
    assert model.clear_selection() is None
    model.move("right", select=True)
    change = model.clear_selection()
    assert change is not None and change.old_selection == (0, 1) and model.selection is None


def test_page_moves_scroll_by_a_page_and_stop_at_the_ends():
    text = "\n".join(f"line {n}" for n in range(20))
    model, layout = model_for(text)
    change = model.move("page_down", page=5)
    assert change is not None and change.scroll_rows == 5
    assert layout.position_of(model.caret)[0] == 5
    change = model.move("page_up", page=10)
    assert change is not None and model.caret == 0 and change.scroll_rows == 0
    model.move("bottom")
    change = model.move("page_down", page=5)
    assert change is not None and model.caret == len(text) and change.scroll_rows == 0


def test_top_and_bottom():
    model, _ = model_for("one\ntwo", caret=2)
    model.move("bottom")
    assert model.caret == 7
    model.move("top")
    assert model.caret == 0


def test_on_a_line_the_terminal_reverses_left_reads_forward():
    model, _ = model_for(ARABIC, options=LayoutOptions(shaping=False, reorder=False))
    model.move("left")
    assert model.caret == 0, "cells in logical order: Left goes back"
    model.move("left", mirror_rtl=True)
    assert model.caret == 1, "the terminal shows the line right to left: Left goes forward"


def test_change_remembers_what_to_redraw():
    model, _ = model_for("one\ntwo")
    model.caret_position()
    change = model.move("down")
    assert change is not None and change.old_caret == 0 and change.old_row == 0
    assert model.known_row is None, "the new row is computed on demand"
    assert model.caret_position()[0] == 1


def test_without_a_layout_nothing_moves():
    model = EditingModel()
    model.reset(5, caret=2)
    assert model.move("right") is None and model.caret == 2
    assert model.caret_position() == (0, 0)
    assert model.target_range() is None


def test_unknown_movement_is_an_error():
    model, _ = model_for("abc")
    with pytest.raises(ValueError, match="sideways"):
        model.move("sideways")


def test_target_range_is_the_selection_else_the_word_under_the_caret():
    model, _ = model_for("Hanoi hosts", caret=7)
    assert model.target_range() == (6, 11)
    model.select(1, 3)
    assert model.target_range() == (1, 3) and not model.visual_mode


def test_every_key_binding_names_a_movement():
    from tui.ui.document_view import DocumentView

    named = {
        binding.action.split("'")[1]
        for binding in DocumentView.BINDINGS
        if getattr(binding, "action", "").startswith("move(")
    }
    assert named == set(MOVES)


# ---------------------------------------------------------------- properties

ALPHABET = "ab c\n وقع١٢ ệ\u0301."
texts = st.text(alphabet=ALPHABET, max_size=40)
moves = st.lists(st.tuples(st.sampled_from(sorted(MOVES)), st.booleans()), max_size=25)


@settings(max_examples=150, deadline=None)
@given(text=texts, width=st.integers(3, 20), steps=moves, data=st.data())
def test_any_key_sequence_keeps_the_caret_and_selection_in_the_text(text, width, steps, data):
    caret = data.draw(st.integers(0, len(text)))
    model, layout = model_for(text, width, caret)
    for where, select in steps:
        model.move(where, select, page=data.draw(st.integers(1, 5)))
        assert 0 <= model.caret <= len(text)
        selection = model.selection
        if selection is not None:
            start, end = selection
            assert 0 <= start < end <= len(text)
        if not select:
            assert model.anchor is None, "plain movement outside visual mode drops the selection"
        if MOVES[where].vertical:
            assert model.goal_x is not None
        else:
            assert model.goal_x is None


@settings(max_examples=100, deadline=None)
@given(text=texts, width=st.integers(3, 20), steps=moves, data=st.data())
def test_shift_moves_never_move_the_anchor(text, width, steps, data):
    caret = data.draw(st.integers(0, len(text)))
    model, _ = model_for(text, width, caret)
    start = model.caret
    for where, _ in steps:
        model.move(where, select=True)
        assert model.anchor == start
        selection = model.selection
        expected = (min(start, model.caret), max(start, model.caret))
        assert selection == (expected if expected[0] < expected[1] else None)


@settings(max_examples=100, deadline=None)
@given(text=texts, width=st.integers(3, 20), steps=moves, data=st.data())
def test_visual_mode_always_covers_the_caret_cluster(text, width, steps, data):
    model, layout = model_for(text, width, data.draw(st.integers(0, len(text))))
    model.toggle_visual()
    for where, select in steps:
        model.move(where, select)
        selection = model.selection
        if model.caret < len(text):
            assert selection is not None and selection[0] <= model.caret < selection[1]
    model.toggle_visual()
    assert model.selection is None and not model.visual_mode


@settings(max_examples=100, deadline=None)
@given(text=texts, width=st.integers(3, 20), data=st.data())
def test_the_movements_are_the_engines(text, width, data):
    caret = data.draw(st.integers(0, len(text)))
    where = data.draw(st.sampled_from(["left", "right", "word_left", "word_right", "home", "end"]))
    model, layout = model_for(text, width, caret)
    engine = getattr(layout, {"left": "move_left", "right": "move_right", "home": "line_home", "end": "line_end"}.get(where, where))
    expected = engine(model.caret)
    model.move(where)
    if where == "end" and expected > layout.line_home(expected) and (expected == len(text) or text[expected].isspace()):
        # End stops ON the line's last character (as vim's $), not on its terminator or trailing space
        cluster = text[model.caret:layout.cluster_end(model.caret)]
        assert layout.line_home(expected) <= model.caret < expected and not cluster.isspace() or (
            text[layout.line_home(expected):expected].isspace())
        return
    assert model.caret == expected


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet="abc de\n", min_size=1, max_size=60), width=st.integers(3, 12), data=st.data())
def test_down_then_up_comes_back_on_left_to_right_text(text, width, data):
    layout = DocumentLayout(text, width)
    model, _ = model_for(text, width, data.draw(st.integers(0, len(text))))
    start = model.caret
    y = layout.position_of(start)[0]
    model.move("down")
    if layout.position_of(model.caret)[0] == y + 1:
        model.move("up")
        assert model.caret == start, "the goal column brings the caret back where it was"
