"""Per-character facts the layout needs: terminal cell width and how a character is shown.

Widths replicate ``rich.cells.cell_len`` (the widget draws with rich) from a vendored copy of rich's
table, so ``cell_width(cell.text) == rich.cells.cell_len(cell.text)`` for every cell we emit
(checked by tests/layout/test_clusters.py). Characters that must never reach the terminal raw
(controls, bidi controls, other format characters, lone surrogates, line/paragraph separators) are
shown as a visible width-1 placeholder instead.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right

from .tables._widths import NARROW_TO_WIDE, WIDTH_RANGES

ZWJ = "\u200d"
ZWNJ = "\u200c"
VS16 = "\ufe0f"
DOTTED_CIRCLE = "\u25cc"  # base shown under a combining mark that has nothing to sit on

BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BIDI_CONTROL_PLACEHOLDER = "\u205e"  # ⁞  any bidi control (LRM, RLO, FSI, PDI, ...)
FORMAT_PLACEHOLDER = "\u00a4"  # ¤  other non-printing format / C1 control character
SURROGATE_PLACEHOLDER = "\ufffd"  # �  lone surrogate (cannot be encoded for the terminal)

_RANGE_STARTS = [start for start, _end, _width in WIDTH_RANGES]


def _table_width(cp: int) -> int:
    """Cells of one code point exactly as rich.cells.get_character_cell_size computes it."""
    if cp and cp < 32 or 0x7F <= cp < 0xA0:
        return 0
    index = bisect_right(_RANGE_STARTS, cp) - 1
    if index >= 0:
        start, end, width = WIDTH_RANGES[index]
        if start <= cp <= end:
            return width
    return 1


_width_cache: dict[str, int] = {}
"""character -> cells (rich's measure)"""


def char_width(ch: str) -> int:
    """Terminal cells of one character as rich measures it (0, 1 or 2)."""
    width = _width_cache.get(ch)
    if width is None:
        width = _width_cache[ch] = _table_width(ord(ch))
    return width


def cell_width(text: str) -> int:
    """Cells of a string as rich.cells.cell_len measures it (ZWJ hides the next character,
    VS16 widens the narrow emoji before it)."""
    if ZWJ not in text and VS16 not in text:
        return sum(map(char_width, text))
    total = 0
    last = None
    index = 0
    count = len(text)
    while index < count:
        ch = text[index]
        if ch == ZWJ:
            index += 1
        elif ch == VS16:
            if last is not None:
                total += ord(last) in NARROW_TO_WIDE
                last = None
        else:
            width = char_width(ch)
            if width:
                last = ch
                total += width
        index += 1
    return total


# Character kinds for clustering
BASE = 0  # printable, width >= 1: starts a cluster
MARK = 1  # printable, width 0 (combining marks, ZWNJ, variation selectors): joins the cluster before
JOINER = 2  # ZWJ: joins the cluster before and the base after it
HIDDEN = 3  # must not reach the terminal: its own cluster, shown as a placeholder

_kind_cache: dict[str, tuple[int, str]] = {}
"""character -> (cluster kind, display text)"""


def _compute_kind(ch: str) -> tuple[int, str]:
    cp = ord(ch)
    if ch == ZWJ:
        return JOINER, ch
    if ch == ZWNJ:
        return MARK, ch
    if cp < 0x20:
        return HIDDEN, chr(0x2400 + cp)  # Control Pictures ␀..␟ (tab shows as ␉)
    if cp == 0x7F:
        return HIDDEN, "\u2421"  # ␡
    if ch in BIDI_CONTROLS:
        return HIDDEN, BIDI_CONTROL_PLACEHOLDER
    category = unicodedata.category(ch)
    if category == "Cs":
        return HIDDEN, SURROGATE_PLACEHOLDER
    if category in ("Cc", "Cf", "Zl", "Zp"):
        return HIDDEN, FORMAT_PLACEHOLDER
    if char_width(ch) == 0:
        return MARK, ch
    return BASE, ch


def kind_of(ch: str) -> tuple[int, str]:
    """(kind, display text) of one character; display text is a placeholder for HIDDEN."""
    found = _kind_cache.get(ch)
    if found is None:
        found = _kind_cache[ch] = _compute_kind(ch)
    return found


_simple_cache: dict[str, bool] = {}
"""character -> is a simple 1-cell base"""


def is_simple(ch: str) -> bool:
    """A printable 1-cell base character: always a cluster of its own, drawn as itself."""
    found = _simple_cache.get(ch)
    if found is None:
        found = _simple_cache[ch] = (kind_of(ch)[0] == BASE and char_width(ch) == 1
                                     and ch not in NO_BREAK_SPACES)
    return found


NO_BREAK_SPACES = frozenset("\u00a0\u2007\u202f")  # whitespace, but never a line break


def is_break_space(ch: str) -> bool:
    """A line may break after this character (whitespace, including tab; not no-break spaces).
    No-break spaces are not "simple", so runs of simple characters can use str.isspace."""
    return ch.isspace() and ch not in NO_BREAK_SPACES
