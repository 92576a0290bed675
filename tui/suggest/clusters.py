"""Suggested spans never split what the screen shows as one character.

The layout's clusters (``tui.layout.clusters``) are a base letter with its combining marks (Arabic
harakat, Vietnamese NFD accents), ZWJ sequences, and the lam-alef ligature (its alef is drawn by the
lam's glyph). A span boundary inside one is widened outward to the whole cluster, as the import does
with boundaries that fall between a letter and its mark. Clusters never cross whitespace, so only
the word around a boundary is clustered.
"""

from __future__ import annotations

from tui.layout.chars import BASE, HIDDEN, ZWJ, kind_of
from tui.layout.clusters import split_clusters
from tui.layout.shaping import shape_with_ligatures

_ALEFS = frozenset("\u0627\u0623\u0625\u0622")
_LAM = "\u0644"


def _plainly_a_boundary(text: str, offset: int) -> bool:
    """A quick yes for the usual case (a base character after anything but ZWJ, not an alef that a
    lam before it could draw); False means: ask the layout's clusters."""
    ch = text[offset]
    kind = kind_of(ch)[0]
    if kind != BASE and kind != HIDDEN:
        return False
    before = text[offset - 1]
    if before == ZWJ:
        return False
    if ch in _ALEFS:
        i = offset - 1
        while i >= 0 and kind_of(text[i])[0] != BASE:
            i -= 1
        if i >= 0 and text[i] == _LAM:
            return False
    return True


def _word_around(text: str, offset: int) -> tuple[int, int]:
    """The run of non-whitespace around ``offset`` with one whitespace character on each side
    when there is one (clusters never reach across whitespace, but a mark may sit on a space)."""
    start = offset
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    if start > 0:
        start -= 1
    end = offset
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _cluster_starts(text: str, offset: int) -> tuple[int, int, list[int]] | None:
    """(start and end of the word around ``offset``, the cluster starts in it, relative to it); None
    when ``offset`` is at either end of the text or plainly a boundary (then it is the answer)."""
    if offset <= 0 or offset >= len(text) or _plainly_a_boundary(text, offset):
        return None
    a, b = _word_around(text, offset)
    word = text[a:b]
    glyphs, folded = shape_with_ligatures(word)
    return a, b, list(split_clusters(word, glyphs, folded).starts)


def cluster_start_at_or_before(text: str, offset: int) -> int:
    """The start of the cluster holding ``offset`` (``offset`` itself if a cluster starts there)."""
    found = _cluster_starts(text, offset)
    if found is None:
        return max(0, min(offset, len(text)))
    a, _, starts = found
    best = a
    for s in starts:
        if a + s > offset:
            break
        best = a + s
    return best


def cluster_end_at_or_after(text: str, offset: int) -> int:
    """The end of the cluster holding ``offset - 1`` (``offset`` itself if a cluster starts there)."""
    found = _cluster_starts(text, offset)
    if found is None:
        return max(0, min(offset, len(text)))
    a, b, starts = found
    for s in starts:
        if a + s >= offset:
            return a + s
    return b


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened outward to whole clusters."""
    return cluster_start_at_or_before(text, start), cluster_end_at_or_after(text, end)


def is_boundary(text: str, offset: int) -> bool:
    """Does a cluster start (or the text end) at ``offset``?"""
    return cluster_start_at_or_before(text, offset) == offset
