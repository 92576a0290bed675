"""Turn one laid-out visual line into Rich segments: spans, selection, caret and search matches.

Pure drawing, no widget state: the document view decides *what* touches a line (and caches the
result); this module decides how each cell looks.  Cell text comes from the layout engine and is
drawn as data (``Segment(text, style)``), never parsed as markup.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable, Literal, Protocol, Sequence

from rich.segment import Segment
from rich.style import Style

from tui.ui.span_styles import CANDIDATE, PENDING, Palette

CaretKind = Literal["", "focused", "blurred"]

# Last line of defence: the engine promises printable cell text; anything that would still reach the
# terminal as a control (C0, DEL, C1, bidi controls) is drawn as U+FFFD instead.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class RangeLike(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


@dataclass(frozen=True, slots=True)
class RangeIndex:
    """Logical ranges sorted by start, answering "which ranges overlap [start, end)?" with a bisect.

    ``max_length`` bounds how far back a range that overlaps a window can start, so the query looks
    only at ranges starting in ``[start - max_length, end)``.
    """

    items: tuple
    starts: tuple[int, ...]
    max_length: int

    @classmethod
    def build(cls, items: Iterable[RangeLike]) -> RangeIndex:
        ordered = tuple(sorted(items, key=lambda item: (item.start, item.end)))
        longest = max((item.end - item.start for item in ordered), default=0)
        return cls(ordered, tuple(item.start for item in ordered), longest)

    def overlapping(self, start: int, end: int) -> tuple:
        """Ranges with ``range.start < end and range.end > start`` (a zero-width window at ``start``
        counts ranges containing ``start``)."""
        if not self.items:
            return ()
        end = max(end, start + 1)
        lo = bisect_left(self.starts, start - self.max_length)
        hi = bisect_left(self.starts, end)
        return tuple(item for item in self.items[lo:hi] if item.end > start and item.start < end)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True, slots=True)
class _Range:
    start: int
    end: int


def ranges(pairs: Sequence[tuple[int, int]]) -> list[_Range]:
    """Wrap plain ``(start, end)`` pairs (search matches) for :class:`RangeIndex`."""
    return [_Range(start, end) for start, end in pairs if end > start]


def render_cells(
    line,
    spans: Sequence,
    highlights: Sequence,
    selection: tuple[int, int] | None,
    caret_x: int | None,
    caret_kind: CaretKind,
    palette: Palette,
    base: Style,
) -> tuple[list[Segment], int]:
    """Segments for a ``VisualLine`` (indent, then cells left to right), merged into runs of equal
    style, and their total cell length.

    ``spans`` are the spans touching this line, outer first (they are composed in that order, so an
    inner span's colour wins and every span's cue shows). ``selection`` is the logical selection
    clipped to the line, ``caret_x`` the caret's screen column if the caret is on this line.
    A cell belongs to a span / the selection / a match when their logical ranges overlap, so a range
    in mixed-direction text is drawn as the several visual runs it really is.
    """
    segments: list[Segment] = []
    append = segments.append
    selection_active = caret_kind != "" and selection is not None
    cell_style = palette.cell_style
    indent = line.indent
    x = 0
    if indent:
        if caret_x is not None and caret_x < indent:
            # The caret sits in the blank margin (e.g. at the end of a right-aligned RTL line).
            caret_style = base + cell_style((), False, caret_kind, selection_active, False)
            if caret_x:
                append(Segment(" " * caret_x, base))
            append(Segment(" ", caret_style))
            if indent - caret_x - 1:
                append(Segment(" " * (indent - caret_x - 1), base))
        else:
            append(Segment(" " * indent, base))
        x = indent

    run_text: list[str] = []
    run_style: Style | None = None
    sel_start, sel_end = selection if selection is not None else (0, 0)
    for cell in line.cells:
        start, end = cell.start, cell.end
        linked = partner = False
        if spans:
            over = [s for s in spans if s.start < end and s.end > start]
            covering = tuple((s.label, PENDING if s.pending else CANDIDATE if s.candidate else s.readonly)
                             for s in over)
            for s in over:
                linked = linked or s.linked
                partner = partner or s.partner
        else:
            covering = ()
        highlighted = bool(highlights) and any(h.start < end and h.end > start for h in highlights)
        selected = sel_start < end and sel_end > start
        style = cell_style(
            covering, selected, caret_kind if x == caret_x else "", selection_active, highlighted, linked, partner
        )
        if style is not run_style:
            if run_text:
                append(Segment("".join(run_text), base + run_style))
            run_text = []
            run_style = style
        run_text.append(cell.text)
        x += cell.width
    if run_text:
        append(Segment("".join(run_text), base + run_style))

    if caret_x is not None and caret_x >= x:
        # Caret after the last cell (end of an LTR line / of the document): a one-cell block.
        if caret_x > x:
            append(Segment(" " * (caret_x - x), base))
        append(Segment(" ", base + cell_style((), False, caret_kind, selection_active, False)))
        x = caret_x + 1

    return [_safe(segment) for segment in segments], x


def _safe(segment: Segment) -> Segment:
    text = segment.text
    if _UNSAFE.search(text) is None:
        return segment
    return Segment(_UNSAFE.sub("\ufffd", text), segment.style)
