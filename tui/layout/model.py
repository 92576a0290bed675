"""The layout's data: options in, cells and visual lines out (immutable values)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, NamedTuple

Direction = Literal["auto", "ltr", "rtl"]


@dataclass(frozen=True, slots=True)
class LayoutOptions:
    """How to lay out: paragraph direction (``auto`` = UAX #9 P2-P3 on each paragraph, as a browser
    does with ``dir=auto`` per paragraph), Arabic shaping, bidi reordering (off: cells stay in
    logical order and RTL lines are not indented, for a terminal that reorders by itself or for
    raw logical text).

    ``paragraph_directions`` are a reader's display overrides (UAX #9 HL1): ``(paragraph index,
    "ltr" | "rtl")`` pairs, sorted by index; every other paragraph takes ``direction``. A paragraph
    is a line of the text (``text.split("\n")``). The text itself is never changed.
    """

    direction: Direction = "auto"
    shaping: bool = True
    reorder: bool = True
    paragraph_directions: tuple[tuple[int, Direction], ...] = ()

    def direction_of(self, paragraph: int) -> Direction:
        """The direction asked for paragraph ``paragraph`` (``auto``: decided by its text)."""
        for index, direction in self.paragraph_directions:
            if index == paragraph:
                return direction
        return self.direction

    def with_paragraph_direction(self, paragraph: int, direction: Direction) -> "LayoutOptions":
        """These options with paragraph ``paragraph`` set to ``direction`` (``auto``: no override)."""
        kept = tuple((p, d) for p, d in self.paragraph_directions if p != paragraph)
        if direction != "auto":
            kept = tuple(sorted(kept + ((paragraph, direction),)))
        return replace(self, paragraph_directions=kept)


class Cell(NamedTuple):
    """One screen cell-group, in left-to-right order on its line (immutable; a NamedTuple because
    a document has one per character and tuple construction is several times cheaper).

    ``text`` is what to draw (shaped and mirrored glyph with its marks, or a placeholder; never a
    control or bidi control), ``[start, end)`` the logical range it shows (document offsets),
    ``width`` its columns (== rich.cells.cell_len(text)), ``level`` its resolved bidi level.
    """

    text: str
    start: int
    end: int
    width: int
    level: int


@dataclass(frozen=True, slots=True)
class VisualLine:
    """One screen row: ``cells`` left to right after ``indent`` blank columns (right alignment of
    an RTL line; 0 when not reordering); shows the logical range ``[start, end)`` of paragraph
    number ``paragraph`` (``rtl``: its direction)."""

    cells: tuple[Cell, ...]
    start: int
    end: int
    paragraph: int
    rtl: bool
    indent: int

    @property
    def width(self) -> int:
        """Columns used including the indent."""
        return self.indent + sum(cell.width for cell in self.cells)
