"""DocumentLayout: a whole document laid out lazily, paragraph by paragraph, with the
logical <-> visual maps the document widget needs (caret movement: movement.py; a line's cells:
line_cells.py).

The unit of preparation and wrapping is a *block*: a paragraph, or, for a paragraph longer than
``giant.GIANT_PARAGRAPH``, one of the pieces it is cut into (found lazily, in order, as lines are
asked for; see giant.py for where and why it is cut). Only a paragraph's last block ends with its
terminator; the others end at their last character, where their last line ends.

Offsets are code-point indices into the document text. Screen coordinates are ``(y, x)``: visual
line index and column (``x`` includes ``VisualLine.indent``). Every logical index ``0..len(text)``
is shown by exactly one cell: characters by their cluster's cell, each newline and the end of the
text by the blank terminator cell that ends its paragraph's last line (see paragraph.py).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from typing import NamedTuple

from . import bidi, giant
from .line_cells import LineCells
from .model import Cell, Direction, LayoutOptions, VisualLine
from .movement import CaretMovement
from .paragraph import PreparedParagraph, prepare


def paragraph_direction(text: str, default: str = "ltr") -> str:
    """"rtl" or "ltr" for a paragraph by UAX #9 P2-P3 (first strong character outside
    isolates); ``default`` when it has no strong character."""
    classes = bidi.bidi_classes(text)
    level = bidi.first_strong_level(classes, 0, len(classes), -1)
    if level < 0:
        return default
    return "rtl" if level else "ltr"


_PREPARED_CACHE: OrderedDict[tuple[object, ...], PreparedParagraph] = OrderedDict()
"""(paragraph text, direction, shaping) -> PreparedParagraph, shared by all layouts (LRU); a
block of a giant paragraph adds its context (see _block_context) to its key"""
_PREPARED_CACHE_SIZE = 20_000
# Built VisualLines kept per layout: a few screens for the maps and movement. Kept small on purpose:
# long-lived cells make the garbage collector's full passes slower (the widget caches what it draws).
LINE_CACHE_SIZE = 256


def prepared_paragraph(text: str, options: LayoutOptions,
                       block: tuple[bool, int, int, str, str] | None = None) -> PreparedParagraph:
    """Shared cache: (paragraph text, direction, shaping) -> PreparedParagraph (LRU). ``block``:
    (terminated, paragraph level, entry level, text before, text after) of a block of a giant
    paragraph (see prepare)."""
    key = (text, options.direction, options.shaping) if block is None else (
        text, options.direction, options.shaping, *block)
    found = _PREPARED_CACHE.get(key)
    if found is None:
        if block is None:
            found = prepare(text, options.direction, options.shaping)
        else:
            found = prepare(text, options.direction, options.shaping, *block)
        _PREPARED_CACHE[key] = found
        if len(_PREPARED_CACHE) > _PREPARED_CACHE_SIZE:
            _PREPARED_CACHE.popitem(last=False)
    return found


class Block(NamedTuple):
    """The unit the engine prepares and wraps: ``text[start:end]`` of paragraph ``paragraph``;
    ``terminated`` when it is the paragraph's last block (its terminator shows offset ``end``)."""

    start: int
    end: int
    paragraph: int
    terminated: bool


class DocumentLayout(LineCells, CaretMovement):
    """Lazy layout of ``text`` at ``width`` columns.

    Blocks (paragraphs, or pieces of giant ones) are prepared (shaped, clustered, levels) and
    wrapped only when a line in or after them is asked for; ``resize`` keeps the prepared blocks
    and re-wraps lazily.
    """

    def __init__(self, text: str, width: int, options: LayoutOptions | None = None) -> None:
        self.text = text
        self.width = max(1, width)
        self.options = options or LayoutOptions()
        starts = [0]
        for part in text.split("\n")[:-1]:
            starts.append(starts[-1] + len(part) + 1)
        self._para_starts: list[int] = starts
        """paragraph index -> document offset of its first character"""
        self._blocks: list[Block] = []
        """block index -> Block, found in document order as far as layout has gone"""
        self._block_starts: list[int] = []
        """block index -> document offset of its first character (for bisect)"""
        self._prepared: list[PreparedParagraph | None] = []
        """block index -> prepared data (None until needed)"""
        self._giant_levels: dict[int, int] = {}
        """paragraph index -> level of a giant paragraph (P2-P3 read only as far as needed)"""
        self._entry_levels: dict[int, int] = {}
        """block index -> level of the UAX #9 paragraph it starts in (blocks of giant ones)"""
        self._overrides: dict[int, Direction] = dict(self.options.paragraph_directions)
        """paragraph index -> "ltr"/"rtl" asked by the reader (others: options.direction)"""
        self._options_by_direction: dict[Direction, LayoutOptions] = {}
        """direction -> options for preparing a paragraph in it (no overrides inside: cache keys)"""
        self._cells: OrderedDict[tuple[int, int], tuple[Cell, ...]] = OrderedDict()
        """(block, chunk) -> a Cell per cluster (see LineCells._cluster_cells; LRU; width-independent)"""
        self._reset_lines()

    # ------------------------------------------------------------------ blocks and lines
    def _reset_lines(self) -> None:
        self._first_line: list[int] = [0]
        """block index -> index of its first visual line (known for laid-out blocks, plus one
        entry past the last laid-out block)"""
        self._wraps: list[list[int]] = []
        """block index -> cluster index where each of its lines starts (laid-out ones)"""
        self._lines: OrderedDict[int, VisualLine] = OrderedDict()
        """line index -> built VisualLine (LRU of recently drawn lines)"""

    @property
    def paragraph_count(self) -> int:
        return len(self._para_starts)

    def _para_end(self, p: int) -> int:
        """Document offset of paragraph ``p``'s terminator (its newline, or len(text))."""
        if p + 1 < len(self._para_starts):
            return self._para_starts[p + 1] - 1
        return len(self.text)

    def _find_next_block(self) -> bool:
        """Append the block after the last one found; False at the end of the document."""
        if self._blocks:
            last = self._blocks[-1]
            p = last.paragraph + 1 if last.terminated else last.paragraph
            if p >= len(self._para_starts):
                return False
            start = self._para_starts[p] if last.terminated else last.end
        else:
            p = start = 0
        end = self._para_end(p)
        split = end if end - start <= giant.GIANT_PARAGRAPH else giant.split_point(
            self.text, start, end, giant.GIANT_PARAGRAPH)
        self._blocks.append(Block(start, split, p, split == end))
        self._block_starts.append(start)
        self._prepared.append(None)
        return True

    def _block_of(self, offset: int) -> int:
        """Index of the block showing ``offset`` (finds blocks up to it; ``offset`` clamped)."""
        while True:
            if self._blocks:
                last = self._blocks[-1]
                if offset < last.end + last.terminated:
                    break
            if not self._find_next_block():
                break
        return bisect_right(self._block_starts, offset) - 1

    def paragraph_direction_asked(self, p: int) -> Direction:
        """"auto", "ltr" or "rtl": what paragraph ``p`` is laid out with (its override, else the
        options' direction)."""
        return self._overrides.get(p, self.options.direction)

    def paragraph_at(self, offset: int) -> int:
        """Index of the paragraph (line of the text) containing ``offset`` (clamped)."""
        return self._paragraph_of(self._clamp(offset))

    def paragraph_is_rtl(self, p: int) -> bool:
        """True when paragraph ``p`` is laid out right to left (its resolved level is odd)."""
        return bool(self._para(self._block_of(self._para_starts[p])).level & 1)

    def _options_for(self, p: int) -> LayoutOptions:
        direction = self.paragraph_direction_asked(p)
        found = self._options_by_direction.get(direction)
        if found is None:
            found = self._options_by_direction[direction] = LayoutOptions(
                direction=direction, shaping=self.options.shaping, reorder=self.options.reorder)
        return found

    def _para(self, b: int) -> PreparedParagraph:
        """Prepared data of block ``b``."""
        para = self._prepared[b]
        if para is None:
            block = self._blocks[b]
            text = self.text[block.start:block.end]
            p = block.paragraph
            options = self._options_for(p)
            if block.terminated and block.start == self._para_starts[p]:
                para = prepared_paragraph(text, options)  # a whole (normal) paragraph
            else:
                para = prepared_paragraph(text, options, self._block_context(b))
            self._prepared[b] = para
        return para

    def _block_context(self, b: int) -> tuple[bool, int, int, str, str]:
        """(terminated, paragraph level, entry level, text before, text after) of block ``b`` of a
        giant paragraph: each block is resolved at the paragraph's level, continuing the UAX #9
        paragraph that was open at the end of the block before it (they differ only after a
        U+2029 or the like), with the text around it up to the nearest strong characters."""
        block = self._blocks[b]
        p = block.paragraph
        a, z = giant.context_bounds(self.text, block.start, block.end, self._para_starts[p],
                                    self._para_end(p))
        around = self.text[a:block.start], self.text[block.end:z]
        return (*self._block_levels(b), *around)

    def _block_levels(self, b: int) -> tuple[bool, int, int]:
        """(terminated, paragraph level, entry level) of block ``b`` (see _block_context)."""
        block = self._blocks[b]
        p = block.paragraph
        level = self._giant_levels.get(p)
        direction = self.paragraph_direction_asked(p)
        if level is None:
            level = self._giant_levels[p] = (
                1 if direction == "rtl" else 0 if direction == "ltr"
                else giant.paragraph_level(self.text, block.start, self._para_end(p)))
        if direction != "auto":
            return block.terminated, level, level
        first = b  # the paragraph's first block, or the last one whose entry level is known
        while first > 0 and self._blocks[first].start != self._para_starts[p] \
                and first not in self._entry_levels:
            first -= 1
        entry = self._entry_levels.get(first, level)
        for k in range(first, b):  # in order: each block continues the one before it
            before = self._blocks[k]
            entry = self._entry_levels[k + 1] = giant.exit_level(self.text, before.start,
                                                                 before.end, entry)
        return block.terminated, level, entry

    def _lay_out_next(self) -> bool:
        b = len(self._wraps)
        if b >= len(self._blocks) and not self._find_next_block():
            return False
        wraps = self._para(b).line_starts(self.width)
        self._wraps.append(wraps)
        self._first_line.append(self._first_line[-1] + len(wraps))
        return True

    def _ensure_line(self, y: int) -> bool:
        while self._first_line[-1] <= y:
            if not self._lay_out_next():
                return False
        return True

    def _ensure_block(self, b: int) -> None:
        while len(self._wraps) <= b:
            self._lay_out_next()

    @property
    def line_count(self) -> int:
        """Number of visual lines (lays out the whole document)."""
        while self._lay_out_next():
            pass
        return self._first_line[-1]

    def resize(self, width: int) -> None:
        """Re-wrap at a new width; shaping and levels are kept."""
        width = max(1, width)
        if width != self.width:
            self.width = width
            self._reset_lines()

    def line(self, y: int) -> VisualLine:
        """Visual line ``y`` (IndexError past the end); lays out only up to its block."""
        found = self._lines.get(y)
        if found is not None:
            self._lines.move_to_end(y)
            return found
        if y < 0 or not self._ensure_line(y):
            raise IndexError(f"line {y} out of range")
        b = bisect_right(self._first_line, y) - 1
        built = self._build_line(b, y - self._first_line[b])
        self._lines[y] = built
        if len(self._lines) > LINE_CACHE_SIZE:
            self._lines.popitem(last=False)
        return built

    # ------------------------------------------------------------------ maps
    def _clamp(self, offset: int) -> int:
        return min(max(offset, 0), len(self.text))

    def _paragraph_of(self, offset: int) -> int:
        return bisect_right(self._para_starts, offset) - 1

    def _cluster_of(self, offset: int) -> tuple[int, int]:
        """(block, cluster index in it) showing ``offset`` (clamped to ``0..len(text)``)."""
        b = self._block_of(self._clamp(offset))
        return b, self._para(b).cluster_index(self._clamp(offset) - self._block_starts[b])

    def _snap(self, offset: int) -> int:
        """Start of the cluster containing ``offset`` (clamped)."""
        b, k = self._cluster_of(offset)
        return self._block_starts[b] + self._para(b).cluster_start(k)

    def cluster_end(self, offset: int) -> int:
        """End of the cluster containing ``offset`` (a base with its marks, a lam-alef ligature...):
        where an inclusive selection that ends on that character stops. ``len(text)`` at the end."""
        b, k = self._cluster_of(offset)
        return self._clamp(self._block_starts[b] + self._para(b).cluster_end(k))

    def _line_of(self, offset: int) -> int:
        """Visual line index showing ``offset``."""
        b, k = self._cluster_of(offset)
        self._ensure_block(b)
        return self._first_line[b] + bisect_right(self._wraps[b], k) - 1

    def position_of(self, offset: int) -> tuple[int, int]:
        """(y, x) of the cell showing ``offset`` (clamped to ``0..len(text)``)."""
        offset = self._clamp(offset)
        y = self._line_of(offset)
        line = self.line(y)
        x = line.indent
        for cell in line.cells:
            if cell.start <= offset < cell.end or cell.start == offset:
                return y, x
            x += cell.width
        raise AssertionError(f"offset {offset} not on its line {y}")  # pragma: no cover

    def _cell_index_at(self, line: VisualLine, x: int) -> int:
        col = line.indent
        if x < col:
            return 0
        for i, cell in enumerate(line.cells):
            col += cell.width
            if x < col:
                return i
        return len(line.cells) - 1

    def offset_at(self, y: int, x: int) -> int:
        """Logical offset of the cell under screen (y, x); left of the text: the leftmost cell,
        right of it: the rightmost; y is clamped to the existing lines."""
        y = max(0, y)
        if not self._ensure_line(y):
            y = self._first_line[-1] - 1
        line = self.line(y)
        return line.cells[self._cell_index_at(line, x)].start

    def runs(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Screen runs ``(y, x0, x1)`` (x1 exclusive) of the cells showing any of ``[start, end)``."""
        start, end = self._clamp(start), self._clamp(end)
        if end <= start:
            return []
        result: list[tuple[int, int, int]] = []
        y = self._line_of(start)
        last = self._line_of(end - 1)
        while y <= last:
            line = self.line(y)
            x = line.indent
            run_start = None
            for cell in line.cells:
                inside = cell.start < end and (cell.end > start if cell.end > cell.start else start <= cell.start)
                if inside and run_start is None:
                    run_start = x
                elif not inside and run_start is not None:
                    result.append((y, run_start, x))
                    run_start = None
                x += cell.width
            if run_start is not None:
                result.append((y, run_start, x))
            y += 1
        return result
