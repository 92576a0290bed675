"""UAX #9 on a line (tui.layout.bidi): L1 (separators and trailing whitespace back to the paragraph
level), L2 (reordering, on runs of equal level) and L4 (mirroring)."""

from __future__ import annotations

import re
from typing import Sequence

from .bidi_classes import L1_TRAILING
from .tables._bidi_mirroring import MIRRORS


_SEPARATOR_RE = re.compile("[SB]")


def l1_resets(classes: str, start: int, end: int) -> list[int]:
    """L1 for the line ``[start, end)``: indices that take the paragraph level: segment and
    paragraph separators, and the whitespace (and isolate/removed controls) before them or at
    the end of the line."""
    reset: list[int] = []
    k = end
    while k > start and classes[k - 1] in L1_TRAILING:
        k -= 1
        reset.append(k)
    for match in _SEPARATOR_RE.finditer(classes, start, end):
        k = match.start()
        reset.append(k)
        while k > start and classes[k - 1] in L1_TRAILING:
            k -= 1
            reset.append(k)
    return reset


def reset_line_levels(classes: str, levels: Sequence[int], start: int, end: int,
                      para: int) -> bytearray:
    """The levels of the line ``[start, end)`` after L1 (see l1_resets)."""
    line = bytearray(levels[start:end])
    for k in l1_resets(classes, start, end):
        line[k - start] = para
    return line


_LEVEL_RUN_RE = re.compile(rb"(.)\1*", re.DOTALL)


def visual_runs(levels: Sequence[int], reorder: bool = True) -> list[tuple[int, int, bool, int]]:
    """L2 on runs: ``(start, end, reversed, level)`` for each run of equal level, in left-to-right
    display order; a reversed run is displayed from ``end - 1`` down to ``start``. With
    ``reorder=False`` the runs stay in logical order."""
    data = bytes(levels)
    spans = [m.span() for m in _LEVEL_RUN_RE.finditer(data)]
    if not reorder:
        return [(a, b, False, data[a]) for a, b in spans]
    lowest = min(data) if data else 0
    highest = max(data) if data else 0
    if highest - lowest <= 1:
        # Two adjacent levels (the usual case: numbers or Latin inside Arabic, or the reverse).
        # If the lower one is odd, everything is reversed once and the higher runs once more.
        if lowest & 1:
            return [(a, b, data[a] == lowest, data[a]) for a, b in reversed(spans)]
        return [(a, b, data[a] != lowest, data[a]) for a, b in spans]
    runs: list[list[int]] = [[a, b, 0, data[a]] for a, b in spans]
    lowest_odd = lowest | 1
    m = len(runs)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < m:
            if runs[i][3] >= level:
                j = i + 1
                while j < m and runs[j][3] >= level:
                    j += 1
                if j - i > 1:
                    runs[i:j] = runs[i:j][::-1]
                for run in runs[i:j]:
                    run[2] ^= 1
                i = j
            else:
                i += 1
    return [(a, b, bool(flipped), level) for a, b, flipped, level in runs]


def visual_order(levels: list[int]) -> list[int]:
    """L2: indices of ``levels`` in left-to-right display order."""
    order: list[int] = []
    for a, b, flipped, _level in visual_runs(levels):
        order.extend(range(b - 1, a - 1, -1) if flipped else range(a, b))
    return order


MIRRORED_RE = re.compile("[" + re.escape("".join(MIRRORS)) + "]")


def mirror(ch: str) -> str:
    """L4: the mirror glyph of ``ch`` (itself when it has none)."""
    return MIRRORS.get(ch, ch)
