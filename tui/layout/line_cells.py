"""Building a visual line's cells: a block's clusters become Cells (document offsets, levels,
mirrored glyphs at odd levels) in cached chunks, and a line is slices of those chunks, run by run
in visual order, with L1's resets applied and its indent for right-to-left alignment.

Mixed into DocumentLayout (engine.py), which finds, prepares and wraps the blocks.
"""

from __future__ import annotations

import gc
from collections import OrderedDict
from contextlib import contextmanager
from itertools import chain, repeat
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from . import bidi
from .model import Cell, LayoutOptions, VisualLine
from .paragraph import PreparedParagraph, Run, line_runs

if TYPE_CHECKING:
    from .engine import Block

_MIRRORS = bidi.MIRRORS
CELL_CHUNK = 2048  # clusters per cached block of cells
CELL_CHUNK_CACHE_SIZE = 64


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while thousands of Cells are made at once: they are
    tuples of atoms, so its passes would only scan and untrack them (about a quarter of the
    time of building a paragraph's cells). Restored on exit, errors included."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _visual_index(runs: list[Run], k: int) -> tuple[int, int]:
    """(position on the line, level) of cluster ``k`` among a line's runs."""
    i = 0
    for a, b, flipped, level in runs:
        if a <= k < b:
            return i + (b - 1 - k if flipped else k - a), level
        i += b - a
    raise ValueError(k)  # pragma: no cover


def _mirrored(shown: str) -> str:
    """L4: the cluster text with its base character mirrored (if it has a mirror glyph)."""
    mirror = _MIRRORS.get(shown[0])
    if mirror is None:
        return shown
    return mirror + shown[1:]


class LineCells:
    """Cells and visual lines of the host's blocks; the host provides the blocks and their
    prepared data and wraps."""

    text: str
    width: int
    options: LayoutOptions
    _para_starts: list[int]
    _blocks: list[Block]
    _wraps: list[list[int]]
    _cells: OrderedDict[tuple[int, int], tuple[Cell, ...]]

    if TYPE_CHECKING:
        def _para(self, b: int) -> PreparedParagraph: ...

    def _cluster_cells(self, p: int, chunk: int) -> tuple[Cell, ...]:
        """Cells of clusters ``[chunk * CELL_CHUNK, (chunk + 1) * CELL_CHUNK)`` of block ``p`` in logical
        order (document offsets, levels before L1, mirrored at odd levels): lines are slices of
        these (LRU of recent chunks; chunks keep a big paragraph's first screen cheap)."""
        key = (p, chunk)
        found = self._cells.get(key)
        if found is not None:
            self._cells.move_to_end(key)
            return found
        para = self._para(p)
        block = self._blocks[p]
        base = block.start
        c0 = chunk * CELL_CHUNK
        c1 = min(c0 + CELL_CHUNK, para.count)
        starts: Iterable[int]
        ends: Iterable[int]
        if para.uniform:
            starts = range(base + c0, base + c1)
            ends = range(base + c0 + 1, base + c1 + 1)
            widths: Iterable[int] = repeat(1)
        else:
            assert para.starts is not None and para.widths is not None  # not uniform
            starts = map(base.__add__, para.starts[c0:c1])
            ends = map(base.__add__, para.starts[c0 + 1:c1 + 1])
            widths = para.widths[c0:c1]
        levels: Iterable[int] = repeat(para.level) if para.levels is None else para.levels[c0:c1]
        shown: Sequence[str] = para.texts[c0:c1]
        mirrored = [k for k in para.mirrorable if c0 <= k < c1
                    and (para.level if para.levels is None else para.levels[k]) & 1]
        if mirrored:
            shown = list(shown)
            for k in mirrored:
                shown[k - c0] = _mirrored(shown[k - c0])
        with _collector_paused():
            cells = tuple(map(tuple.__new__, repeat(Cell), zip(shown, starts, ends, widths, levels)))
        if c1 == para.count and block.terminated and block.paragraph + 1 == len(self._para_starts):
            # the document's last terminator stands for the end of the text: an empty range
            cells = cells[:-1] + (cells[-1]._replace(end=cells[-1].start),)
        self._cells[key] = cells
        if len(self._cells) > CELL_CHUNK_CACHE_SIZE:
            self._cells.popitem(last=False)
        return cells

    def _cells_between(self, p: int, a: int, b: int) -> tuple[Cell, ...]:
        """Cells of clusters ``[a, b)`` of block ``p`` in logical order."""
        first, last = a // CELL_CHUNK, (b - 1) // CELL_CHUNK
        if first == last:
            offset = first * CELL_CHUNK
            return self._cluster_cells(p, first)[a - offset:b - offset]
        joined = tuple(chain.from_iterable(self._cluster_cells(p, c) for c in range(first, last + 1)))
        offset = first * CELL_CHUNK
        return joined[a - offset:b - offset]

    def _build_line(self, p: int, row: int) -> VisualLine:
        """Line ``row`` of block ``p``: slices of the block's cells, run by run."""
        para = self._para(p)
        wraps = self._wraps[p]
        c0 = wraps[row]
        c1 = para.count if row + 1 == len(wraps) else wraps[row + 1]
        block = self._blocks[p]
        base = block.start
        runs, resets = line_runs(para, c0, c1, self.options.reorder)
        if len(runs) == 1:
            a, b, flipped, _level = runs[0]
            cells = self._cells_between(p, a, b)
            if flipped:
                cells = cells[::-1]
        else:
            every = self._cells_between(p, c0, c1)
            cells = tuple(chain.from_iterable(
                [every[a - c0:b - c0][::-1] if flipped else every[a - c0:b - c0]
                 for a, b, flipped, _l in runs]))
        if resets:  # L1 put these clusters (trailing whitespace, separators) at paragraph level
            patched = list(cells)
            for k in resets:
                i, _level = _visual_index(runs, k)
                patched[i] = patched[i]._replace(level=para.level)
            cells = tuple(patched)
        used = c1 - c0 if para.widths is None else sum(para.widths[c0:c1])
        rtl = bool(para.level & 1)
        # Right-aligned only when we reorder: without reordering (a terminal that reorders by
        # itself, or raw logical text) the terminal would keep our blanks on the wrong side.
        indent = max(0, self.width - used) if rtl and self.options.reorder else 0
        line_end = min(base + para.cluster_start(c1), len(self.text))
        return VisualLine(cells, base + para.cluster_start(c0), line_end, block.paragraph, rtl, indent)
