"""Checks every layout must satisfy, shared by the unit, property and seed tests."""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len

from tui.layout import DocumentLayout
from tui.layout.chars import BIDI_CONTROLS, ZWJ, ZWNJ

ALLOWED_FORMAT = {ZWJ, ZWNJ}


def all_lines(layout: DocumentLayout):
    return [layout.line(y) for y in range(layout.line_count)]


def check_layout(layout: DocumentLayout) -> None:
    """Every offset 0..len(text) is shown by exactly one cell; the two maps are inverses; cells are
    safe to print and measured as rich measures them; lines fit the width."""
    text = layout.text
    seen = [0] * (len(text) + 1)
    for y, line in enumerate(all_lines(layout)):
        x = line.indent
        assert line.indent >= 0
        for cell in line.cells:
            assert cell.width in (1, 2), cell
            assert cell_len(cell.text) == cell.width, (cell, cell_len(cell.text))
            for ch in cell.text:
                category = unicodedata.category(ch)
                assert ch not in BIDI_CONTROLS, cell
                assert category not in ("Cc", "Cs", "Zl", "Zp"), cell
                assert category != "Cf" or ch in ALLOWED_FORMAT, cell
            assert not cell.text.endswith(ZWJ), cell
            if cell.end == cell.start:  # the end-of-text terminator
                assert cell.start == len(text)
                seen[len(text)] += 1
            for offset in range(cell.start, cell.end):
                seen[offset] += 1
            assert layout.offset_at(y, x) == cell.start
            assert layout.position_of(cell.start) == (y, x), (cell, y, x)
            x += cell.width
        assert x <= max(layout.width, 2), (y, x, line)
        assert line.width == x
    assert seen == [1] * (len(text) + 1), [i for i, count in enumerate(seen) if count != 1]


def logical_from_rtl_line(layout: DocumentLayout, line) -> str:
    """Read an RTL line right to left, mapping each cell back through its logical range."""
    return "".join(layout.text[cell.start:cell.end] for cell in reversed(line.cells))
