"""Word keys go where they point: ctrl+Left/ctrl+Right jump to the nearest word start *on screen*
in the arrow's direction (also over a Latin phrase inside an Arabic line), w/b to the next/previous
word start in *reading order* (vim), whatever direction the text is drawn in."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.layout import DocumentLayout, LayoutOptions

ARABIC_WITH_LATIN = 'قال الرئيس "We are ready now" ثم غادر القاعة.'


def _x(layout: DocumentLayout, offset: int) -> int:
    return layout.position_of(offset)[1]


def _presses(move, start: int, count: int) -> list[int]:
    offsets, offset = [], start
    for _ in range(count):
        offset = move(offset)
        offsets.append(offset)
    return offsets


def test_ctrl_left_over_a_latin_phrase_inside_arabic_moves_left_at_every_press():
    layout = DocumentLayout(ARABIC_WITH_LATIN, 80)
    text = ARABIC_WITH_LATIN
    offsets = _presses(layout.word_left, 0, 9)
    xs = [_x(layout, 0)] + [_x(layout, o) for o in offsets]
    assert all(b < a for a, b in zip(xs, xs[1:])), xs
    landed = [text[o:o + 5] for o in offsets]
    # forward through the Arabic, then the Latin words from the right (now, ready, are, We)
    assert landed[:5] == ["الرئي", "now\" ", "ready", "are r", "We ar"]
    assert landed[5:8] == ["ثم غا", "غادر ", "القاع"]


def test_ctrl_right_over_the_same_line_moves_right_at_every_press():
    layout = DocumentLayout(ARABIC_WITH_LATIN, 80)
    start = layout.line_end(0)  # the far left of the RTL line
    offsets = _presses(layout.word_right, start, 9)
    xs = [_x(layout, start)] + [_x(layout, o) for o in offsets]
    assert all(b > a for a, b in zip(xs, xs[1:])), xs
    assert [ARABIC_WITH_LATIN[o:o + 3] for o in offsets[3:7]] == ["We ", "are", "rea", "now"]


def test_w_and_b_follow_reading_order_in_arabic_latin_and_mixed_lines():
    for text in (ARABIC_WITH_LATIN, "Tổng thống Putin hôm 5/2 nói", "שלום עולם iPhone טוב"):
        layout = DocumentLayout(text, 80)
        forward = _presses(layout.word_forward, 0, text.count(" ") + 2)
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == " "]
        assert forward == starts[1:] + [len(text)] * (len(forward) - len(starts) + 1)
        back = _presses(layout.word_backward, len(text), len(starts) + 1)
        assert back == starts[::-1] + [0]


def test_w_in_an_arabic_line_moves_forward_in_the_text_and_left_on_screen():
    text = "وعد الرئيس البيلاروسي ألكسندر لوكاشينكو"
    layout = DocumentLayout(text, 80)
    offsets = _presses(layout.word_forward, 0, 4)
    assert offsets == sorted(offsets) and offsets[0] == text.index("الرئيس")
    xs = [_x(layout, 0)] + [_x(layout, o) for o in offsets]
    assert xs == sorted(xs, reverse=True)


def test_ctrl_arrows_in_pure_ltr_and_pure_rtl_text_are_the_usual_word_jumps():
    latin = "one two  three"
    layout = DocumentLayout(latin, 40)
    assert _presses(layout.word_right, 0, 3) == [4, 9, len(latin)]
    assert _presses(layout.word_left, len(latin), 3) == [9, 4, 0]
    arabic = "قال الرئيس أمس"
    layout = DocumentLayout(arabic, 40)
    assert _presses(layout.word_left, 0, 3) == [4, 11, len(arabic)]  # left = forward in RTL
    assert _presses(layout.word_right, len(arabic), 3) == [11, 4, 0]


def test_ctrl_arrows_cross_to_the_next_line_in_reading_order():
    text = "alpha beta gamma delta"
    layout = DocumentLayout(text, 11)  # "alpha beta " / "gamma delta"
    assert layout.word_right(text.index("beta")) == text.index("gamma")
    assert layout.word_left(text.index("gamma")) == text.index("beta")
    arabic = "قال الرئيس أمس في موسكو"
    layout = DocumentLayout(arabic, 11)
    first_end = layout.line(0).end
    last_word = max(cell.start for cell in layout.line(0).cells if not cell.text.isspace())
    assert layout.word_left(layout._snap(last_word)) >= first_end  # off the left edge: next line


words = st.sampled_from(["قال", "الرئيس", "We", "are", "ready", "2022", "(بوتين)", "Việt", "،", "iPhone's",
                         "\"now\"", "שלום"])
lines = st.lists(words, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(lines, st.integers(12, 60), st.booleans(), st.data())
def test_ctrl_arrows_always_move_in_the_arrows_direction_on_their_line(text, width, reorder, data):
    layout = DocumentLayout(text, width, LayoutOptions(reorder=reorder))
    offset = data.draw(st.integers(0, len(text)))
    offset = layout.offset_at(*layout.position_of(offset))
    y, x = layout.position_of(offset)
    for move, right in ((layout.word_left, False), (layout.word_right, True)):
        target = move(offset)
        ty, tx = layout.position_of(target)
        if ty == y and target != offset:
            assert (tx > x) if right else (tx < x)
    forward = layout.word_forward(offset)
    assert forward > offset or forward == len(text)
    backward = layout.word_backward(offset)
    assert backward < offset or backward == 0
