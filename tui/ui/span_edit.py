"""What span edits mean, as pure functions of the text (no Textual, no store): snapping a
selection to whole words, moving a span's edge by a character or a word without ever leaving
whitespace at an edge, and choosing the *current span* among several under the caret.

Offsets are code-point offsets into the stored text; every function returns offsets with
``0 <= start < end <= len(text)`` or None. Words are runs of letters, marks, digits (and the
joiners inside them); a word never crosses whitespace, so snapping never crosses a paragraph.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Protocol, TypeVar


def is_word_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LMN" or ch in "\u200c\u200d_'’-"


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


def _word_start(text: str, offset: int) -> int:
    while offset > 0 and is_word_char(text[offset - 1]):
        offset -= 1
    return offset


def _word_end(text: str, offset: int) -> int:
    while offset < len(text) and is_word_char(text[offset]):
        offset += 1
    return offset


def starts_token(text: str, offset: int) -> bool:
    """True when the character at `offset` begins a new word or run of punctuation (where vim's
    ``w`` stops): after whitespace, or a letter after punctuation, or punctuation after a letter."""
    if not 0 < offset < len(text) or text[offset].isspace():
        return False
    before = text[offset - 1]
    return before.isspace() or is_word_char(before) != is_word_char(text[offset])


SEPARATORS = frozenset(",;:.!?…،؛؟۔")
"""Punctuation that closes a phrase (never the end of a name or claim a word motion meant)."""


def before_separators(text: str, start: int, end: int) -> int:
    """`end` moved back over whitespace and phrase-closing punctuation (`,` `.` `،` `؛`...), not
    before `start + 1`: where a selection that stopped before the next word really ends."""
    while end > start + 1 and (text[end - 1].isspace() or text[end - 1] in SEPARATORS):
        end -= 1
    return end


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """[start, end) without whitespace at either edge; None if nothing is left."""
    start, end = max(0, start), min(len(text), end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The selection a tag means: whitespace trimmed, each edge that cuts a word moved to that
    word's edge (outwards), except a last word the selection only touches with its first
    character after whitespace (vim's ``v w`` lands on the next word's first letter): that letter
    is dropped. Never crosses whitespace, so never a paragraph; None if nothing is left."""
    trimmed = trim(text, start, end)
    if trimmed is None:
        return None
    start, end = trimmed
    if end < len(text) and is_word_char(text[end]) and is_word_char(text[end - 1]):
        word_start = _word_start(text, end - 1)
        first_cluster_end = word_start + 1
        while first_cluster_end < len(text) and _is_mark(text[first_cluster_end]):
            first_cluster_end += 1
        if end == first_cluster_end and word_start > start:  # one letter into the next word
            dropped = trim(text, start, word_start)
            if dropped is not None:
                start, end = dropped
        else:
            end = _word_end(text, end)
    if start > 0 and is_word_char(text[start]) and is_word_char(text[start - 1]):
        start = _word_start(text, start)
    return (start, end) if start < end else None


def _step_char(text: str, offset: int, step: int) -> int:
    """One character (a base with its combining marks) forward or back."""
    offset = max(0, min(len(text), offset + step))
    while 0 < offset < len(text) and _is_mark(text[offset]):
        offset = max(0, min(len(text), offset + step))
    return offset


def move_edge(text: str, start: int, end: int, edge: str, step: int, *, by_word: bool = False
              ) -> tuple[int, int] | None:
    """New (start, end) after moving the `edge` ("start" or "end") of span [start, end) one
    character (or one word) earlier (step -1) or later (+1). The edge never stops on whitespace:
    it jumps over it to the next character, but never over a line break into another paragraph.
    None when the span would vanish or cannot move."""
    n = len(text)
    if edge == "start":
        s = start
        if by_word:
            if step < 0:
                while s > 0 and not is_word_char(text[s - 1]):
                    s -= 1
                s = _word_start(text, s) if s > 0 and is_word_char(text[s - 1]) else s
            else:
                s = _word_end(text, s) if is_word_char(text[s]) else s + 1
                while s < end and not is_word_char(text[s]):
                    s += 1
        else:
            s = _step_char(text, s, step)
            while 0 < s < n and text[s].isspace():
                s = _step_char(text, s, step)
        if s < 0 or s >= end:
            return None
        result = trim(text, s, end)
    else:
        e = end
        if by_word:
            if step > 0:
                while e < n and not is_word_char(text[e]):
                    e += 1
                e = _word_end(text, e)
            else:
                e = _word_start(text, e) if is_word_char(text[e - 1]) else e - 1
                while e > start and not is_word_char(text[e - 1]):
                    e -= 1
        else:
            e = _step_char(text, e, step)
            while 0 < e < n and text[e - 1].isspace():
                e = _step_char(text, e, step)
        if e <= start or e > n:
            return None
        result = trim(text, start, e)
    if result is None or result == (start, end):
        return None
    if "\n" in text[result[0]:start] or "\n" in text[end:result[1]]:
        return None  # growing never takes in a line break: a span stays in its paragraph
    return result


class SpanLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=SpanLike)
"""a span type (tui.store.Span, a drawn SpanMark): what goes in comes out"""


def spans_under(spans: Sequence[S], caret: int) -> list[S]:
    """Spans covering the character at `caret` (or ending right at it, for a caret after a
    word), innermost (shortest) first."""
    covering = [s for s in spans if s.start <= caret < s.end]
    if not covering:
        covering = [s for s in spans if s.end == caret]
    return sorted(covering, key=lambda s: (s.end - s.start, -s.start, s.id))


def current_span(spans: Sequence[S], caret: int, touched: int | None = None, cycle: int = 0) -> S | None:
    """The span a span key acts on: the last one added or touched (`touched`) when it covers the
    caret, else the innermost; `cycle` steps through the others (the cycle key)."""
    under = spans_under(spans, caret)
    if not under:
        return None
    first = next((i for i, s in enumerate(under) if s.id == touched), 0)
    return under[(first + cycle) % len(under)]


def describe_edge(text: str, start: int, end: int, edge: str, limit: int = 36) -> str:
    """The span as one short line with the moving edge marked: "▸Vladimir Putin" or "…Putin◂"
    (glyphs every terminal font has; the status line's current-span marks are the same)."""
    flat = " ".join(text[start:end].split())
    if len(flat) > limit:
        flat = flat[:limit - 1] + "…" if edge == "start" else "…" + flat[-(limit - 1):]
    return f"▸{flat}" if edge == "start" else f"{flat}◂"
