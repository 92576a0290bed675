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


# ---------------------------------------------------------------- the selection drawn is what a tag takes

AR_LINE = "وعد الرئيس الروسي بوتين بالسلام.\n\nفقرة ثانية هنا."
VI_LINE = "Tổng thống Nga Vladimir Putin hôm 5/2.\n\nĐoạn hai ở đây."


def snapping_model(text: str, caret: int, snap: str | None = "word", width: int = 30):
    layout = DocumentLayout(text, width)
    model = EditingModel()
    model.reset(len(text), caret, text=text)
    model.snap = snap
    model.attach(layout)
    return model, layout


def shown(model: EditingModel, text: str) -> str | None:
    selection = model.selection
    return None if selection is None else text[selection[0]:selection[1]]


def test_v_b_b_in_an_arabic_line_shows_and_tags_whole_words():
    model, _ = snapping_model(AR_LINE, AR_LINE.index("الروسي"))
    model.toggle_visual()
    model.move("word_backward")
    model.move("word_backward")
    raw = model.raw_selection
    assert raw is not None and AR_LINE[raw[0]:raw[1]] == "وعد الرئيس ا", "vim takes the caret's letter"
    assert shown(model, AR_LINE) == "وعد الرئيس", "drawn without the letter of the next word"
    assert model.target_range() == model.selection, "and that is what a tag takes"


def test_v_w_in_an_arabic_line_and_ctrl_arrows_on_screen_show_whole_words():
    model, layout = snapping_model(AR_LINE, 0)
    model.toggle_visual()
    model.move("word_forward")
    model.move("word_forward")
    assert shown(model, AR_LINE) == "وعد الرئيس"
    # ctrl+left on a right-to-left line moves forward in the text (the next word on screen)
    model, layout = snapping_model(AR_LINE, 0)
    model.toggle_visual()
    model.move("word_left")
    assert model.caret == AR_LINE.index("الرئيس")
    assert shown(model, AR_LINE) == "وعد"


def test_v_w_e_in_a_vietnamese_line_and_shift_ctrl_right_show_whole_words():
    start = VI_LINE.index("Vladimir")
    model, _ = snapping_model(VI_LINE, start)
    model.toggle_visual()
    model.move("word_forward")
    assert shown(model, VI_LINE) == "Vladimir"
    model.move("word_forward")
    assert shown(model, VI_LINE) == "Vladimir Putin"
    model, _ = snapping_model(VI_LINE, start)
    model.move("word_right", select=True)
    model.move("word_right", select=True)
    assert shown(model, VI_LINE) == "Vladimir Putin", "the trailing space is not drawn"
    model.move("right", select=True)
    assert shown(model, VI_LINE) == "Vladimir Putin", "one letter into the next word: dropped"
    model.move("right", select=True)
    assert shown(model, VI_LINE) == "Vladimir Putin hôm", "two letters: that word, whole"


def test_v_w_onto_punctuation_or_a_one_letter_word_leaves_it_out():
    text = "Putin, ông ở Moscow ، هنا 5/2 đã"
    for begin, expected in (("Putin", "Putin"), ("ông", "ông"), ("Moscow", "Moscow")):
        model, _ = snapping_model(text, text.index(begin))
        model.toggle_visual()
        model.move("word_forward")  # onto ",", "ở", "،": the next word or mark starts under the caret
        assert shown(model, text) == expected, begin
        assert model.target_range() == model.selection
    model, _ = snapping_model(text, text.index("ông"))
    model.toggle_visual()
    model.move("word_forward")
    model.move("right")  # the caret on the space after "ở": "ở" is taken whole
    assert shown(model, text) == "ông ở"
    model, _ = snapping_model(text, text.index("5/2"))
    model.toggle_visual()
    model.move("word_forward")  # a date is one word for w: onto đã
    assert shown(model, text) == "5/2"
    model.snap = "char"  # exact: the caret's character is taken, as vim does
    assert shown(model, text) == "5/2 đ"
    model, _ = snapping_model(text, text.index("5/2"))
    model.toggle_visual()
    model.move("right")
    model.move("right")  # moving by characters, vim's character under the caret is in
    assert shown(model, text) == "5/2"
    date = "hôm qua, 19/12/2022, lần đầu"
    model, _ = snapping_model(date, date.index("19"))
    model.toggle_visual()
    model.move("word_forward")
    assert shown(model, date) == "19/12/2022"


def test_a_selection_that_cuts_words_is_drawn_with_them_whole():
    model, _ = snapping_model(VI_LINE, VI_LINE.index("thống") + 2)
    model.toggle_visual()
    for _ in range(4):
        model.move("right")
    assert shown(model, VI_LINE) == "thống", "the caret on N: one letter into Nga, dropped"
    model.move("right")
    assert shown(model, VI_LINE) == "thống Nga"


def test_a_word_motion_never_takes_the_selection_into_the_next_paragraph():
    for text, last in ((VI_LINE, "5/2"), (AR_LINE, "بالسلام")):
        model, _ = snapping_model(text, text.index(last))
        model.toggle_visual()
        model.move("word_forward")
        assert model.caret == text.index("\n\n") + 2, "w went on to the next paragraph's first word"
        selection = model.selection
        assert selection is not None and "\n" not in text[selection[0]:selection[1]]
        assert text[selection[0]:selection[1]] == last, "and without the paragraph's full stop"


def test_snap_char_draws_the_selection_as_moved_without_edge_whitespace():
    start = VI_LINE.index("Vladimir")
    model, _ = snapping_model(VI_LINE, start, snap="char")
    model.toggle_visual()
    model.move("word_forward")
    assert shown(model, VI_LINE) == "Vladimir P", "exact: the letter under the caret is taken"
    model.move("left")
    assert shown(model, VI_LINE) == "Vladimir", "the space at the edge is trimmed, as a tag trims it"
    model.snap = None
    assert shown(model, VI_LINE) == "Vladimir "
    model.snap = "word"
    assert shown(model, VI_LINE) == "Vladimir"


def test_only_whitespace_selected_is_drawn_but_tags_nothing():
    model, _ = snapping_model(VI_LINE, VI_LINE.index(" Nga"))
    model.toggle_visual()
    assert shown(model, VI_LINE) == " "
    assert model.target_range() is None


def test_the_text_given_must_be_the_documents():
    with pytest.raises(ValueError):
        EditingModel().reset(3, text="ab")


SNAP_ALPHABET = "ab cđ\u0301\u064e وع\n.5/-"
snap_texts = st.text(alphabet=SNAP_ALPHABET, max_size=40).map(lambda t: t.replace("\n", "\n\n"))


@settings(max_examples=200, deadline=None)
@given(text=snap_texts, width=st.integers(3, 20), steps=moves, visual=st.booleans(), data=st.data())
def test_the_snapped_selection_is_whole_words_exact_offsets_and_stays_in_its_paragraphs(
        text, width, steps, visual, data):
    from tui.ui.span_edit import is_word_char, starts_token

    model, layout = snapping_model(text, data.draw(st.integers(0, len(text))), width=width)
    if visual:
        model.toggle_visual()
    for where, select in steps:
        model.move(where, select or visual)
        raw, selection, target = model.raw_selection, model.selection, model.target_range()
        if raw is None:
            assert selection is None
            continue
        assert selection is not None
        start, end = selection
        assert 0 <= start < end <= len(text)
        if target is None:  # only whitespace: drawn as selected, nothing to tag
            assert text[raw[0]:raw[1]].isspace() or not text[raw[0]:raw[1]].strip()
            assert selection == raw
            continue
        assert target == selection, "what is drawn is what a tag takes"
        span = text[start:end]
        assert span == span.strip(), "no whitespace at an edge"
        assert start == 0 or not (is_word_char(text[start - 1]) and is_word_char(text[start])), "start inside a word"
        assert end == len(text) or not (is_word_char(text[end - 1]) and is_word_char(text[end])), "end inside a word"
        # snapping only widens into the words at the edges (never over whitespace, so never over a
        # paragraph break) and only narrows over whitespace or one dropped letter
        for lo, hi in ((start, raw[0]), (raw[1], end)):
            assert all(is_word_char(ch) for ch in text[lo:hi])
        if "\n\n" in span:
            assert "\n\n" in text[raw[0]:raw[1]], "a paragraph break the selection did not have"
        later = max(model.anchor, model.caret)
        if visual and model.word_motion and raw[0] < later < raw[1] and starts_token(text, later) and text[raw[0]:later].strip():
            assert end <= later, "never one letter into the next word (or onto the next mark)"


def test_a_word_motion_back_onto_a_number_after_a_lone_full_stop_leaves_the_number_out():
    # found by the property above: " .5", v from the start, to the end, then a word back onto "5"
    model, _ = snapping_model(" .5", 0, width=3)
    model.toggle_visual()
    model.move("bottom", True)
    model.move("word_left", True)
    assert shown(model, " .5") == ".", "the caret's word is not taken after a word motion"
