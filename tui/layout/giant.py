"""Giant paragraphs: where to cut a paragraph too long to prepare in one go.

Shaping and UAX #9 run over a whole paragraph (about 2.7 s per million characters), so a document
that is one 10 MB line would freeze before its first screen. The engine therefore prepares a
paragraph longer than ``GIANT_PARAGRAPH`` code points in *blocks* of at most that size, lazily,
block by block as lines are asked for (see engine.py). Each block is shaped and resolved on its own
at the whole paragraph's embedding level (as a higher-level protocol may do, UAX #9 HL1), with the
text up to the nearest strong character on each side as context (``context_bounds``: numbers and
punctuation at its edges resolve as in the whole paragraph). This is a deliberate approximation,
confined to giant paragraphs: ``GIANT_PARAGRAPH`` is far above any normal paragraph (news
paragraphs are a few hundred characters; the conformance data is one short line per case). What it
can change: a bracket pair or embedding longer than half a block, a word cut by a hard split (its
halves shaped apart), and P2-P3 of a UAX #9 paragraph started by a U+2029 near a block's end.

``split_point`` cuts where the approximation changes nothing in practice, preferring, among the
boundaries in the second half of the window (so a block is at least half the limit):
1. a boundary outside every explicit embedding, override and isolate (counted from the block's
   start; a paragraph separator closes them all, as in UAX #9);
2. outside every bracket pair (BD16 pairs found in the window; an opener not closed in the window
   counts as open to its end);
3. after a sentence end (``.`` ``!`` ``?`` ``؟`` ...) followed by spaces;
4. then the latest such boundary.
A boundary is a non-space character after a run of U+0020 spaces that starts a cluster, so a
line may break there (wrapping restarts at a block: the block's last line may be short). Without
any space in the window it cuts hard at a cluster boundary (never inside a cluster, nor between
a lam and the alef of its ligature), which may split a word: its two halves are shaped apart.

Every offset stays shown exactly once and the maps stay inverse: blocks are laid out like
paragraphs without a terminator (only the paragraph's last block has one).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .bidi import BRACKETS, first_strong_level, bidi_classes
from .chars import BASE, HIDDEN, ZWJ, kind_of

GIANT_PARAGRAPH = 16_384
"""code points: a longer paragraph is prepared in blocks of at most this many"""

_BOUNDARY_RE = re.compile(r" +(?=\S)")
_SENTENCE_ENDS = frozenset(".!?\u061f\u06d4\u3002\u2026\u0964\u203c\u2049")
_EXPLICIT_RE = re.compile("[\u202a-\u202e\u2066-\u2069\r\x1c-\x1e\x85\u2029]")
_BRACKET_RE = re.compile("[" + re.escape("".join(chr(cp) for cp in BRACKETS)) + "]")
_PARAGRAPH_SEPARATOR_RE = re.compile("[\r\x1c-\x1e\x85\u2029]")
_LAM = "\u0644"
_ALEFS = frozenset("\u0627\u0623\u0625\u0622")
_MAX_BRACKET_DEPTH = 63  # BD16 stops pairing beyond this


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of closed intervals ``[a, b]``, sorted and disjoint."""
    merged: list[tuple[int, int]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1] + 1:
            if b > merged[-1][1]:
                merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def explicit_unsafe(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut positions ``[a, b]`` in ``(start, end]`` inside an explicit embedding, override or
    isolate that starts at or after ``start`` (X1-X8 stack, without overflow)."""
    stack: list[str] = []
    opened = 0
    found: list[tuple[int, int]] = []
    for match in _EXPLICIT_RE.finditer(text, start, end):
        i = match.start()
        ch = text[i]
        was_open = bool(stack)
        if ch in "\u202a\u202b\u202d\u202e":
            stack.append("e")
        elif ch in "\u2066\u2067\u2068":
            stack.append("i")
        elif ch == "\u202c":
            if stack and stack[-1] == "e":
                stack.pop()
        elif ch == "\u2069":
            if "i" in stack:
                while stack.pop() != "i":
                    pass
        else:  # a paragraph separator (class B) ends every embedding
            stack.clear()
        if stack and not was_open:
            opened = i
        elif was_open and not stack:
            found.append((opened + 1, i))
    if stack:
        found.append((opened + 1, end))
    return found


def bracket_unsafe(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut positions ``[a, b]`` in ``(start, end]`` between the two brackets of a pair (BD16 over
    ``text[start:end]``), or after an opener not closed before ``end`` (it may close later)."""
    openers: list[tuple[int, int]] = []  # (closing bracket code point, position)
    found: list[tuple[int, int]] = []
    for match in _BRACKET_RE.finditer(text, start, end):
        i = match.start()
        cp = ord(text[i])
        pair, is_open = BRACKETS[cp]
        if is_open:
            if len(openers) == _MAX_BRACKET_DEPTH:
                found.append((i + 1, end))
                break
            openers.append((_canonical(pair), i))
            continue
        closing = _canonical(cp)
        for depth in range(len(openers) - 1, -1, -1):
            if openers[depth][0] == closing:
                found.append((openers[depth][1] + 1, i))
                del openers[depth:]
                break
    found.extend((i + 1, end) for _cp, i in openers)
    return _merge(found)


def _canonical(cp: int) -> int:
    return {0x2329: 0x3008, 0x232A: 0x3009}.get(cp, cp)


def _inside(intervals: list[tuple[int, int]], p: int) -> bool:
    """Is ``p`` in one of the sorted disjoint ``intervals``?"""
    k = bisect_right(intervals, (p, _BIG)) - 1
    return k >= 0 and intervals[k][1] >= p


_BIG = 1 << 62


def _cluster_boundary(text: str, p: int) -> bool:
    """Does a cluster start at ``p`` (shaping included: not the alef of a lam-alef)?"""
    kind = kind_of(text[p])[0]
    if kind != BASE and kind != HIDDEN:
        return False
    before = text[p - 1]
    return before != ZWJ and not (before == _LAM and text[p] in _ALEFS)


def split_point(text: str, start: int, end: int, limit: int = GIANT_PARAGRAPH) -> int:
    """Where the block of the paragraph ``text[start:end]`` (or of its rest, from ``start``)
    ends: ``end`` if at most ``limit`` code points remain, else a cut in
    ``(start + limit // 2, start + limit]`` chosen as the module docstring says."""
    limit = max(2, limit)
    if end - start <= limit:
        return end
    high = start + limit
    low = start + limit // 2
    explicit = explicit_unsafe(text, start, high)
    brackets = bracket_unsafe(text, start, high)
    best = -1
    best_key = (False, False, False)
    # From the end of the window backwards, a slice at a time: the best possible boundary (safe
    # and after a sentence) is usually within the last few hundred characters.
    step = 512
    top = high + 1
    while top > low + 1 and best_key != (True, True, True):
        bottom = max(low, top - 1 - step)
        for match in reversed(list(_BOUNDARY_RE.finditer(text, bottom, top))):
            p = match.end()
            if not _cluster_boundary(text, p):
                continue
            before = p - 1
            while before > start and text[before] == " ":
                before -= 1
            key = (not _inside(explicit, p), not _inside(brackets, p), text[before] in _SENTENCE_ENDS)
            if key > best_key or best < 0:
                best, best_key = p, key
                if key == (True, True, True):
                    break
        top = bottom + 1
        step *= 4
    if best > 0:
        return best
    for p in range(high, low, -1):
        if _cluster_boundary(text, p):
            return p
    return high


def paragraph_level(text: str, start: int, end: int) -> int:
    """UAX #9 P2-P3 of the paragraph ``text[start:end]`` reading only as far as needed (windows
    that double in size): 1 if its first strong character outside isolates is R or AL, else 0."""
    size = 4096
    while True:
        stop = min(end, start + size)
        classes = bidi_classes(text[start:stop])
        level = first_strong_level(classes, 0, len(classes), -1)
        if level >= 0:
            return level
        if stop == end or "B" in classes:  # no strong character before the first separator
            return 0
        size *= 2


def exit_level(text: str, start: int, end: int, entry: int) -> int:
    """Level of the UAX #9 paragraph still open at the end of the block ``text[start:end]`` whose
    first one is at ``entry``: unchanged unless a paragraph separator (class B) inside the block
    started a new one, whose level is then P2-P3 of what follows it in the block."""
    last = -1
    for match in _PARAGRAPH_SEPARATOR_RE.finditer(text, start, end):
        last = match.start()
    if last < 0:
        return entry
    classes = bidi_classes(text[last + 1:end])
    return first_strong_level(classes, 0, len(classes))


CONTEXT = 512
"""code points looked at around a block for its nearest strong characters"""
_STRONG = frozenset("LRA")
_BARRIERS = frozenset("123456789B")  # explicit controls and paragraph separators


def context_bounds(text: str, start: int, end: int, para_start: int, para_end: int) -> tuple[int, int]:
    """``(a, z)``: the block ``text[start:end]`` is resolved as ``text[a:z]`` (levels outside it
    are dropped), so that weak and neutral characters at its edges see the nearest strong
    character (L, R, AL) on each side, as in the whole paragraph (W2, W7, N1, N2). The context
    stops before an explicit control or paragraph separator, and after ``CONTEXT`` characters."""
    a = start
    if start > para_start:
        low = max(para_start, start - CONTEXT)
        classes = bidi_classes(text[low:start])
        for i in range(len(classes) - 1, -1, -1):
            if classes[i] in _STRONG:
                a = low + i
                break
            if classes[i] in _BARRIERS:
                a = low + i + 1
                break
    z = end
    if end < para_end:
        classes = bidi_classes(text[end:min(para_end, end + CONTEXT)])
        for i, cls in enumerate(classes):
            if cls in _STRONG:
                z = end + i + 1
                break
            if cls in _BARRIERS:
                z = end + i
                break
    return a, z
