"""Behaviour of DocumentLayout a reader or annotator would notice: wrapping, right-to-left lines,
the caret maps, selections, movement keys, laziness and caching."""

from __future__ import annotations

import pytest

from tests.layout.invariants import check_layout
from tui.layout import DocumentLayout, LayoutOptions, paragraph_direction
from tui.layout import engine, line_cells, paragraph


def screen(layout: DocumentLayout) -> list[str]:
    """Each visual line as it appears on screen (indent included, trailing blanks stripped)."""
    return [(" " * line.indent + "".join(c.text for c in line.cells)).rstrip()
            for line in (layout.line(y) for y in range(layout.line_count))]


PLAIN = LayoutOptions(shaping=False)


def test_ltr_wraps_at_word_boundaries_in_order():
    layout = DocumentLayout("the quick brown fox jumps over", 11)
    assert screen(layout) == ["the quick", "brown fox", "jumps over"]
    check_layout(layout)


def test_overlong_word_is_broken_at_cluster_boundaries():
    layout = DocumentLayout("abcdefghij xy", 4)
    assert screen(layout) == ["abcd", "efgh", "ij", "xy"]
    check_layout(layout)


def test_lines_never_exceed_width_and_whitespace_keeps_its_cell():
    text = "aaaa    bb  c\n\n  lead"
    for width in range(1, 12):
        check_layout(DocumentLayout(text, width))


def test_rtl_paragraph_is_reversed_right_aligned_with_numbers_ltr_and_brackets_mirrored():
    text = "\u0645\u0639 (2024) \u062c\u062f"  # مع (2024) جد
    layout = DocumentLayout(text, 20, PLAIN)
    line = layout.line(0)
    assert line.rtl and line.indent == 20 - line.width + line.indent
    shown = "".join(c.text for c in line.cells)
    # visual: terminator, جد reversed, space, (2024) with brackets mirrored back to reading shape
    assert shown == " \u062f\u062c (2024) \u0639\u0645"
    assert line.indent + sum(c.width for c in line.cells) == 20
    check_layout(layout)


def test_wrapping_happens_before_reordering():
    words = ["\u0627\u0644\u0623\u0648\u0644", "\u0627\u0644\u062b\u0627\u0646\u064a",
             "\u0627\u0644\u062b\u0627\u0644\u062b"]
    layout = DocumentLayout(" ".join(words), 8, PLAIN)
    lines = [layout.line(y) for y in range(layout.line_count)]
    # the first logical word is on the first line, read right to left
    for line, word in zip(lines, words):
        read = "".join(layout.text[c.start:c.end] for c in reversed(line.cells)).strip()
        assert read == word


def test_lam_alef_is_one_cell_covering_two_code_points_and_harakat_stay_on_their_base():
    text = "\u0644\u0627 \u0628\u064e"  # لا بَ
    layout = DocumentLayout(text, 20)
    cells = {c.start: c for c in layout.line(0).cells}
    assert cells[0].text == "\ufefb" and (cells[0].start, cells[0].end, cells[0].width) == (0, 2, 1)
    assert cells[3].text == "\ufe8f\u064e" and (cells[3].end, cells[3].width) == (5, 1)
    check_layout(layout)


def test_vietnamese_nfd_marks_are_one_cluster():
    text = "Vie\u0323\u0302t Nam"
    layout = DocumentLayout(text, 20)
    cells = layout.line(0).cells
    assert cells[2].text == "e\u0323\u0302" and (cells[2].start, cells[2].end) == (2, 5)
    assert layout.move_right(2) == 5 and layout.move_left(5) == 2
    check_layout(layout)


def test_zwj_sequences_are_one_cluster_measured_like_rich():
    layout = DocumentLayout("a\u200db c", 20)
    assert layout.line(0).cells[0].text == "a\u200db"
    check_layout(layout)


@pytest.mark.parametrize("raw, shown", [
    ("\x1b[31m", "\u241b"), ("\t", "\u2409"), ("\x7f", "\u2421"), ("\x85", "\u00a4"),
    ("\u202e", "\u205e"), ("\u2066", "\u205e"), ("\u200f", "\u205e"), ("\u200b", "\u00a4"),
    ("\ud800", "\ufffd"), ("\u2028", "\u00a4"),
])
def test_hidden_characters_are_visible_placeholders_covering_their_own_offset(raw, shown):
    text = "a" + raw + "b"
    layout = DocumentLayout(text, 20)
    cell = next(c for c in layout.line(0).cells if c.start == 1)
    assert cell.text.startswith(shown) and (cell.end, cell.width) == (2, 1)
    check_layout(layout)


def test_escape_sequences_never_reach_the_screen():
    layout = DocumentLayout("\x1b]0;pwned\x07 \x1b[2J\u202eevil", 30)
    assert all(ord(ch) >= 0x20 and ch not in "\x7f\u202e" for c in layout.line(0).cells for ch in c.text)


def test_newlines_and_end_of_text_each_have_a_caret_cell():
    text = "ab\n\ncd"
    layout = DocumentLayout(text, 10)
    assert screen(layout) == ["ab", "", "cd"]
    assert layout.position_of(2) == (0, 2)  # the newline after "ab"
    assert layout.position_of(3) == (1, 0)  # the empty paragraph
    assert layout.position_of(6) == (2, 2)  # end of text
    check_layout(layout)
    check_layout(DocumentLayout("", 10))
    assert DocumentLayout("", 10).line_count == 1


def test_rtl_terminator_is_at_the_left_end():
    layout = DocumentLayout("\u0627\u0628\n", 10)
    line = layout.line(0)
    assert line.cells[0].start == 2 and line.cells[0].text == " "
    assert layout.position_of(2) == (0, line.indent)


def test_runs_of_a_selection_in_mixed_text_can_be_several_per_line():
    text = "\u0627\u0628 abc \u062c\u062f"  # اب abc جد : RTL paragraph
    layout = DocumentLayout(text, 20, PLAIN)
    runs = layout.runs(1, 5)  # ب + space + "ab"
    assert len(runs) == 2 and all(y == 0 for y, _a, _b in runs)
    covered = {layout.offset_at(y, x) for y, a, b in runs for x in range(a, b)}
    assert covered == {1, 2, 3, 4}


def test_runs_span_lines_and_cover_exactly_the_range():
    text = "one two three four five six"
    layout = DocumentLayout(text, 9)
    runs = layout.runs(4, 18)
    covered = sorted(layout.offset_at(y, x) for y, a, b in runs for x in range(a, b))
    assert covered == list(range(4, 18))


def test_left_and_right_are_visual_on_rtl_lines():
    text = "\u0627\u0628\u062c"
    layout = DocumentLayout(text, 10, PLAIN)
    assert layout.move_left(0) == 1  # left reads forward on an RTL line
    assert layout.move_right(1) == 0
    assert layout.move_left(2) == 3  # onto the terminator
    assert layout.move_left(3) == 3  # end of document: stays


def test_right_off_the_end_of_an_ltr_line_goes_to_the_next_line():
    layout = DocumentLayout("abc def", 4)
    assert layout.position_of(3) == (0, 3)
    assert layout.move_right(3) == 4
    assert layout.move_left(4) == 3


def test_word_jumps_follow_the_screen_direction():
    ltr = DocumentLayout("xin ch\u00e0o b\u1ea1n", 40)
    assert ltr.word_right(0) == 4 and ltr.word_right(4) == 9 and ltr.word_left(9) == 4
    rtl = DocumentLayout("\u0645\u0646 \u0647\u0630\u0627 \u0647\u0648", 40)
    assert rtl.word_left(0) == 3 and rtl.word_left(3) == 7 and rtl.word_right(7) == 3


def test_line_up_and_down_keep_the_column():
    layout = DocumentLayout("abcd efgh ijkl", 5)
    assert layout.line_down(1, 1) == 6
    assert layout.line_up(6, 1) == 1
    assert layout.line_up(1, 1) == 1
    assert layout.line_down(11, 1) == 11


def test_home_end_paragraph_start_end():
    text = "abcd efgh\nxyz"
    layout = DocumentLayout(text, 5)
    assert layout.line_home(7) == 5 and layout.line_end(7) == 9
    assert layout.line_end(1) == 4
    assert layout.paragraph_start(7) == 0 and layout.paragraph_end(7) == 9
    assert layout.paragraph_start(11) == 10 and layout.paragraph_end(11) == 13


def test_word_at_strips_punctuation():
    text = "\u0642\u0627\u0644 \u201c\u0628\u0648\u062a\u064a\u0646\u201d, ok"
    layout = DocumentLayout(text, 40)
    assert text[slice(*layout.word_at(6))] == "\u0628\u0648\u062a\u064a\u0646"
    assert layout.word_at(3) == (3, 3)


def test_paragraph_direction():
    assert paragraph_direction("\u2067abc\u2069 \u0627") == "rtl"
    assert paragraph_direction("123 abc \u0627") == "ltr"
    assert paragraph_direction("123", default="rtl") == "rtl"


def test_first_screen_does_not_lay_out_the_whole_document():
    text = "\n".join(f"paragraph {i} " + "word " * 30 for i in range(5000))
    layout = DocumentLayout(text, 80)
    for y in range(30):
        layout.line(y)
    assert len(layout._wraps) < 20
    assert sum(p is not None for p in layout._prepared) < 20


def test_resize_rewraps_without_reshaping_or_recomputing_levels(monkeypatch):
    text = "\u0645\u0631\u062d\u0628\u0627 abc 123\n" * 3 + "plain text here"
    layout = DocumentLayout(text, 12)
    before = layout.line_count
    calls = []
    monkeypatch.setattr(engine, "prepare", lambda *a: calls.append(a) or paragraph.prepare(*a))
    layout.resize(7)
    assert layout.line_count > before
    assert calls == []
    check_layout(layout)


def test_options_are_part_of_the_cache_key():
    text = "\u0644\u0627"
    shaped = DocumentLayout(text, 10).line(0).cells
    plain = DocumentLayout(text, 10, PLAIN).line(0).cells
    assert len(shaped) == 2 and len(plain) == 3
    forced = DocumentLayout("abc", 10, LayoutOptions(direction="rtl")).line(0)
    assert forced.rtl and forced.indent == 6


def test_reorder_off_keeps_logical_order_and_does_not_indent_rtl_lines():
    """A terminal that reorders by itself (or raw logical text) gets the line from column 0: our
    right-alignment blanks would end up on the wrong side once the terminal reorders."""
    text = "\u0627\u0628 ab"
    layout = DocumentLayout(text, 10, LayoutOptions(shaping=False, reorder=False))
    line = layout.line(0)
    assert [c.start for c in line.cells] == [0, 1, 2, 3, 4, 5]
    assert line.rtl and line.indent == 0 and layout.position_of(0) == (0, 0)
    check_layout(layout)
    for direction in ("rtl", "auto"):
        wrapped = DocumentLayout("\u0645\u0631\u062d\u0628\u0627 \u0628\u0643 " * 5, 12,
                                 LayoutOptions(direction=direction, reorder=False))
        assert all(wrapped.line(y).indent == 0 for y in range(wrapped.line_count))
        check_layout(wrapped)
    assert DocumentLayout(text, 10, LayoutOptions(shaping=False)).line(0).indent == 4


def test_no_break_space_does_not_break_a_line():
    layout = DocumentLayout("aaa 10\u00a0000 bbb", 8)
    assert screen(layout) == ["aaa", "10\u00a0000", "bbb"]
    check_layout(layout)


def test_a_huge_paragraph_spans_cell_chunks_correctly(monkeypatch):
    monkeypatch.setattr(line_cells, "CELL_CHUNK", 7)
    text = "\u0645\u0631\u062d\u0628\u0627 abc (12) \u0644\u0627 " * 12 + "\nend"
    for width in (5, 9, 30):
        check_layout(DocumentLayout(text, width))


def test_building_cells_leaves_the_garbage_collector_as_it_was():
    import gc

    DocumentLayout("abc \u0627\u0628", 10).line(0)
    assert gc.isenabled()
    gc.disable()
    try:
        DocumentLayout("abc \u0627\u0628 x", 10).line(0)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_paragraph_overrides_change_only_their_paragraph():
    text = "שלום עולם\niPhone של אפל\nThe end"
    auto = DocumentLayout(text, 40, LayoutOptions())
    assert [auto.line(y).rtl for y in range(3)] == [True, False, False]
    options = LayoutOptions().with_paragraph_direction(1, "rtl")
    assert options.paragraph_directions == ((1, "rtl"),) and options.direction_of(1) == "rtl"
    shown = DocumentLayout(text, 40, options)
    assert [shown.line(y).rtl for y in range(3)] == [True, True, False]
    assert shown.line(1).indent == 40 - shown.line(1).width + shown.line(1).indent
    everything = DocumentLayout(text, 40, LayoutOptions(direction="ltr").with_paragraph_direction(0, "rtl"))
    assert [everything.line(y).rtl for y in range(3)] == [True, False, False]
    assert options.with_paragraph_direction(1, "auto") == LayoutOptions()
    assert shown.paragraph_at(len("שלום עולם") + 2) == 1 and shown.paragraph_is_rtl(1)
