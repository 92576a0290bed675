"""Property tests over random mixes of Arabic (letters, harakat, both digit sets), Vietnamese (NFC
and NFD), Latin, digits, punctuation, brackets, ZWJ/ZWNJ, bidi controls, control characters and
wide characters. Trial count: TUI_TRIALS (default 150 per property)."""

from __future__ import annotations

from bidi import get_display
from hypothesis import given
from hypothesis import strategies as st

from tests.layout.invariants import check_layout
from tests.layout.strategies import SETTINGS, doc_text, line_text, options
from tui.layout import DocumentLayout, LayoutOptions, bidi


@SETTINGS
@given(doc_text, st.integers(1, 30), options)
def test_every_offset_is_shown_once_and_maps_are_inverses(text, width, opts):
    layout = DocumentLayout(text, width, opts)
    check_layout(layout)
    for p, direction in opts.paragraph_directions:  # a reader's override decides its lines
        if p < layout.paragraph_count:
            assert layout.paragraph_is_rtl(p) == (direction == "rtl")
    layout.resize(width + 7)
    check_layout(layout)


@SETTINGS
@given(doc_text, st.integers(1, 25), st.data())
def test_movement_lands_on_cells_and_left_right_are_visual_neighbours(text, width, data):
    layout = DocumentLayout(text, width)
    offset = layout.offset_at(data.draw(st.integers(0, layout.line_count - 1)),
                              data.draw(st.integers(0, width)))
    y, x = layout.position_of(offset)
    for move in (layout.move_left, layout.move_right, layout.word_left, layout.word_right,
                 layout.line_home, layout.line_end, layout.paragraph_start, layout.paragraph_end):
        target = move(offset)
        ty, tx = layout.position_of(target)
        assert layout.offset_at(ty, tx) == target
    right = layout.move_right(offset)
    ry, rx = layout.position_of(right)
    line = layout.line(y)
    if x + next(c.width for c in _cells_at(line, x)) < line.width:  # not at the right edge
        assert (ry, rx) == (y, x + next(c.width for c in _cells_at(line, x)))
        assert layout.move_left(right) == offset
    for move in (layout.line_up, layout.line_down):
        ty, _tx = layout.position_of(move(offset, x))
        assert abs(ty - y) <= 1
    start, end = layout.word_at(offset)
    assert start <= end and (start == end or text[start:end].strip() == text[start:end])


def _cells_at(line, x):
    col = line.indent
    for cell in line.cells:
        if col <= x < col + cell.width:
            yield cell
        col += cell.width


def _clusters_have_one_level(text: str) -> bool:
    classes = bidi.bidi_classes(text)
    levels, para = bidi.resolve_levels(text, None, classes)
    line = bidi.reset_line_levels(classes, levels, 0, len(text), para)
    layout = DocumentLayout(text, 10 * len(text) + 10, LayoutOptions(shaping=False))
    return all(len({line[i] for i in range(c.start, c.end)}) <= 1
               for c in layout.line(0).cells if c.end > c.start)


@SETTINGS
@given(line_text)
def test_single_line_visual_string_equals_python_bidi_get_display(text):
    """With shaping off, one unwrapped line read left to right (each cell's source characters)
    equals ``bidi.get_display(text)``. get_display keeps bidi controls in its output, placed as
    if at the level of the character before them, exactly as our placeholders are placed, so the
    controls are compared too. get_display neither mirrors (L4) nor keeps combining marks after
    their base (L3); so the source characters of an odd-level cell are compared reversed, and
    mirroring is checked separately: every mirrorable character at an odd level is drawn as its
    mirror. Inputs where one cluster (e.g. letter+ZWJ+letter of different directions) has
    characters at different levels are skipped: there the comparison is not defined."""
    if not _clusters_have_one_level(text):
        return
    layout = DocumentLayout(text, 10 * len(text) + 10, LayoutOptions(shaping=False))
    assert layout.line_count == 1
    cells = [c for c in layout.line(0).cells if c.end > c.start and c.start < len(text)]
    ours = "".join(text[c.start:c.end][::-1] if c.level & 1 else text[c.start:c.end] for c in cells)
    assert ours == get_display(text)
    for cell in cells:
        source = text[cell.start]
        if cell.level & 1 and source in bidi.MIRRORS:
            assert cell.text[0] == bidi.MIRRORS[source]


@SETTINGS
@given(doc_text, st.integers(1, 25), options)
def test_cluster_end_closes_the_cell_under_an_offset(text, width, opts):
    """What visual mode adds to a selection: the rest of the character (cluster) under the caret."""
    layout = DocumentLayout(text, width, opts)
    assert layout.cluster_end(len(text)) == len(text)
    for offset in range(len(text)):
        end = layout.cluster_end(offset)
        assert offset < end <= len(text)
        start = layout._snap(offset)
        # one cell shows exactly [start, end): every offset in it snaps to its start, `end` starts the next
        assert all(layout._snap(inner) == start for inner in range(start, end))
        assert end == len(text) or layout._snap(end) == end
        assert layout.position_of(offset) == layout.position_of(start)
