"""Greedy line breaking in logical order, over clusters.

Break opportunities are after a run of whitespace clusters. A "segment" is a word plus the
whitespace run after it; a segment goes on the current line if all of it fits, else it starts a new
line; a segment wider than the whole width is broken at cluster boundaries. So every line fits in
``width`` cells (only a single 2-cell cluster at width 1 can overflow) and whitespace never hangs
past the edge: every cell, including the paragraph terminator, is visible. Whitespace that did not
fit at the end of an overlong segment starts the next line.
"""

from __future__ import annotations

import re
from typing import Sequence



def wrap_clusters(widths: Sequence[int], spaces: Sequence[bool], width: int) -> list[int]:
    """Cluster index where each line starts (first is 0), for clusters of the given widths."""
    width = max(width, 1)
    m = len(widths)
    starts = [0]
    x = 0
    k = 0
    while k < m:
        e = k
        seg = 0
        while e < m and not spaces[e]:
            seg += widths[e]
            e += 1
        while e < m and spaces[e]:
            seg += widths[e]
            e += 1
        if x + seg <= width:
            x += seg
            k = e
            continue
        if x > 0:
            starts.append(k)
            x = 0
            continue
        while k < e:  # the segment alone is too wide: fill cluster by cluster
            w = widths[k]
            if x + w > width and x > 0:
                starts.append(k)
                x = 0
            x += w
            k += 1
    return starts


_LINE_RE_CACHE: dict[int, re.Pattern[str]] = {}
"""width -> regex matching one line"""


def _line_re(width: int) -> re.Pattern[str]:
    """One line at ``width``: the longest prefix of at most ``width`` characters that ends after
    whitespace and before a non-space (or the end); failing that, ``width`` characters."""
    found = _LINE_RE_CACHE.get(width)
    if found is None:
        found = _LINE_RE_CACHE[width] = re.compile(
            rf"[\s\S]{{1,{width}}}(?<=\s)(?=\S|\Z)|[\s\S]{{1,{width}}}")
    return found


def wrap_uniform(text: str, width: int) -> list[int]:
    """Same as wrap_clusters when every character is its own 1-cell cluster (the fast path: one
    regular-expression match per line); ``text`` includes the terminator as a trailing space."""
    width = max(width, 1)
    if len(text) <= width:
        return [0]
    return [match.start() for match in _line_re(width).finditer(text)]
