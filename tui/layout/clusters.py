"""Split a paragraph into clusters: the units of width, wrapping, caret and selection.

A cluster is a base character followed by its zero-width marks (combining marks such as Arabic
harakat and Vietnamese NFD accents, ZWNJ, variation selectors), with ZWJ gluing the next base on
(rich, which draws our cells, counts ``a`` ZWJ ``b`` as one cell), and with the alef of a lam-alef
ligature folded into the lam's cluster. Hidden characters (controls, bidi controls, other format
characters) are always a cluster of their own, drawn as a width-1 placeholder. A mark with no base
to sit on is drawn on a dotted circle.

Most characters are "simple" (a printable 1-cell base: a cluster of its own); the splitter copies
runs of them in bulk and runs the full rules only around the other characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import repeat

from .chars import (BASE, DOTTED_CIRCLE, FORMAT_PLACEHOLDER, HIDDEN, JOINER, MARK, cell_width,
                    is_break_space, is_simple, kind_of)


@dataclass(slots=True)
class Clusters:
    """Clusters of one paragraph, offsets relative to the paragraph.

    Cluster ``k`` covers ``text[starts[k]:starts[k + 1]]`` (``starts`` ends with ``len(text)``),
    draws ``texts[k]`` (before mirroring) in ``widths[k]`` cells, and a line may break after it
    when ``spaces[k]``.
    """

    starts: list[int]
    texts: list[str]
    widths: list[int]
    spaces: list[bool]
    skeleton: str
    """one character per cluster, whitespace exactly where ``spaces`` (for regex wrapping)"""
    narrow: bool
    """every cluster is 1 cell wide"""
    multi: list[int]
    """indices of the clusters made of more than one character"""


_special_re_cache: dict[str, re.Pattern[str]] = {}
"""sorted special characters -> regex finding any of them"""


_KNOWN_SIMPLE: set[str] = set()
"""characters seen so far that are simple"""
_KNOWN_SPECIAL: set[str] = set()
"""characters seen so far that are not"""


def special_characters(text: str, chars: set[str] | None = None) -> str:
    """The distinct characters of ``text`` (``chars``: set(text) if the caller has it) that are
    not simple, as a sorted string. Set operations on characters seen before; is_simple only for
    new ones."""
    if chars is None:
        chars = set(text)
    unknown = chars - _KNOWN_SIMPLE
    if not unknown:
        return ""
    for ch in unknown - _KNOWN_SPECIAL:
        (_KNOWN_SIMPLE if is_simple(ch) else _KNOWN_SPECIAL).add(ch)
    return "".join(sorted(chars & _KNOWN_SPECIAL))


def _special_re(chars: str) -> re.Pattern[str]:
    found = _special_re_cache.get(chars)
    if found is None:
        if len(_special_re_cache) > 512:
            _special_re_cache.clear()
        found = _special_re_cache[chars] = re.compile("[" + re.escape(chars) + "]")
    return found


def split_clusters(text: str, glyphs: list[str] | None, folded: list[int] | None = None,
                   special: str | None = None) -> Clusters:
    """Clusters of ``text``. ``glyphs``/``folded`` come from shaping.shape_with_ligatures (glyph
    per character; indices drawn by a ligature before them); ``special`` is
    special_characters(text) when the caller already has it."""
    if special is None:
        special = special_characters(text)
    if glyphs is not None and folded is None:
        folded = [i for i, g in enumerate(glyphs) if not g]
    positions = [m.start() for m in _special_re(special).finditer(text)] if special else []
    if folded:
        positions = sorted(set(positions).union(folded))
    shown = glyphs if glyphs is not None else text
    starts: list[int] = []
    texts: list[str] = []
    widths: list[int] = []
    spaces: list[bool] = []
    skeleton: list[str] = []
    multi: list[int] = []
    n = len(text)
    i = 0  # everything before i is already in clusters

    def bulk(a: int, b: int) -> None:
        starts.extend(range(a, b))
        texts.extend(shown[a:b])
        widths.extend(repeat(1, b - a))
        spaces.extend(map(str.isspace, text[a:b]))
        skeleton.append(text[a:b])

    for p in positions:
        if p < i:
            continue  # already taken into a cluster
        kind = kind_of(text[p])[0]
        attaches = (kind == MARK or kind == JOINER or (glyphs is not None and glyphs[p] == "")) and p > i
        a = p - 1 if attaches else p
        if a > i:
            bulk(i, a)
        i = a
        while i <= p:
            first = i
            i = _one_cluster(text, glyphs, i, starts, texts, widths, spaces)
            skeleton.append(" " if spaces[-1] else "x")
            if i - first > 1:
                multi.append(len(starts) - 1)
    if i < n:
        bulk(i, n)
    starts.append(n)
    narrow = not special or max(widths, default=1) == 1
    return Clusters(starts, texts, widths, spaces, "".join(skeleton), narrow, multi)


def _one_cluster(text: str, glyphs: list[str] | None, i: int, starts: list[int], texts: list[str],
                 widths: list[int], spaces: list[bool]) -> int:
    """Append the cluster starting at ``i``; return where the next one starts."""
    n = len(text)
    ch = text[i]
    kind, shown = kind_of(ch)
    starts.append(i)
    if kind == HIDDEN:
        texts.append(shown)
        widths.append(1)
        spaces.append(is_break_space(ch))
        return i + 1
    if kind == BASE:
        parts = [glyphs[i] if glyphs is not None else ch]
    elif kind == MARK:
        parts = [DOTTED_CIRCLE, ch]
    else:  # a ZWJ with nothing before it to join
        parts = [FORMAT_PLACEHOLDER]
    space = kind == BASE and is_break_space(ch)
    i += 1
    while i < n:
        nxt = text[i]
        if glyphs is not None and glyphs[i] == "":
            i += 1  # alef drawn by the lam-alef ligature glyph before it
            continue
        nkind = kind_of(nxt)[0]
        if nkind == MARK:
            parts.append(glyphs[i] if glyphs is not None else nxt)
            i += 1
        elif nkind == JOINER and kind != JOINER:
            i += 1
            if i < n and kind_of(text[i])[0] == BASE and not text[i].isspace() and not space:
                parts.append(nxt)
                parts.append(glyphs[i] if glyphs is not None else text[i])
                i += 1
            # else: a trailing ZWJ is not drawn (it would hide whatever is drawn after it)
        else:
            break
    shown_text = "".join(parts)
    texts.append(shown_text)
    widths.append(cell_width(shown_text))
    spaces.append(space)
    return i
