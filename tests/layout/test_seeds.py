"""The five seed articles laid out at every width from 20 to 120: no character lost or duplicated,
and every right-to-left line read right to left gives back its logical text (shaped glyphs mapped
back through Cell.start/end)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.layout.invariants import check_layout
from tui.layout import DocumentLayout

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


def test_there_are_five_seeds():
    assert len(SEEDS) == 5


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_laid_out_at_every_width(path):
    text = path.read_text(encoding="utf-8")
    layout = DocumentLayout(text, 20)
    for width in range(20, 121):
        layout.resize(width)
        lines = [layout.line(y) for y in range(layout.line_count)]
        shown = sorted((c.start, c.end) for line in lines for c in line.cells)
        rebuilt = "".join(text[a:b] for a, b in shown)
        assert rebuilt == text, f"width {width}: characters lost or duplicated"
        assert all(line.width <= width for line in lines)
        if width in (20, 80, 120):
            check_layout(layout)


@pytest.mark.parametrize("path", [p for p in SEEDS if p.name[:3] in ("003", "004")], ids=lambda p: p.name)
def test_arabic_lines_read_right_to_left_give_back_the_logical_text(path):
    """Every line of the Arabic articles: reading the cells right to left, with each embedded
    left-to-right run (numbers, Latin) read left to right, yields the line's logical text."""
    text = path.read_text(encoding="utf-8")
    for width in (20, 37, 64, 80, 120):
        layout = DocumentLayout(text, width)
        for y in range(layout.line_count):
            line = layout.line(y)
            if not line.rtl:
                continue
            assert _read_rtl(text, line) == text[line.start:line.end], (width, y)


def _read_rtl(text: str, line) -> str:
    """Right to left over the cells, but runs of even-level cells (LTR islands) left to right."""
    cells = list(reversed(line.cells))
    out = []
    i = 0
    while i < len(cells):
        if cells[i].level & 1:
            out.append(text[cells[i].start:cells[i].end])
            i += 1
            continue
        j = i
        while j < len(cells) and not cells[j].level & 1:
            j += 1
        out.extend(text[c.start:c.end] for c in reversed(cells[i:j]))
        i = j
    return "".join(out)
