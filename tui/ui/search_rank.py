"""Which matches of an in-article search `/` shows (issue 19): a reader who types "EU" means the
word EU, not the "iều" folded out of "điều". The matches are ranked in tiers and the best tier
found is the one highlighted and stepped through by n/N:

1. whole words with the very characters typed (case and marks as typed),
2. whole words as a reader means them (tui.folding: case, Vietnamese and Arabic marks, tatweel
   and Arabic letter variants ignored),
3. anywhere, folded (inside words too: "ngh" finds "nghị").

Pure (no Textual): offsets are code-point offsets into the stored text, as tui.folding finds them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from tui.folding import folded_text

TIERS = ("whole word, exact", "whole word", "part of a word")
"""How each tier is named on the status line."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    matches: list[tuple[int, int]]
    """The matches of the best tier found, in text order."""
    tier: str
    """Its name (one of :data:`TIERS`); "" without matches."""
    total: int
    """Every folded match, inside words too."""


def _word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


def is_whole_word(text: str, start: int, end: int) -> bool:
    """True when ``[start, end)`` neither starts nor ends inside a word (letters, digits, marks)."""
    before = start > 0 and _word_char(text[start - 1]) and _word_char(text[start])
    after = end < len(text) and _word_char(text[end]) and _word_char(text[end - 1])
    return not before and not after


def ranked_matches(text: str, query: str) -> SearchResult:
    """The matches of ``query`` in ``text`` that `/` shows: the best non-empty tier."""
    every = folded_text(text).find(query) if query else []
    words = [(s, e) for s, e in every if e > s and is_whole_word(text, s, e)]
    exact = [(s, e) for s, e in words if text[s:e] == query]
    for tier, matches in zip(TIERS, (exact, words, every)):
        if matches:
            return SearchResult(matches, tier, len(every))
    return SearchResult([], "", 0)


def describe(result: SearchResult, current: int | None = None, *, short: bool = False) -> str:
    """"match 2/5 (whole word, exact; 9 with parts of words)"; "no match" when there is none.
    ``current``: index of the match under the caret, if any; ``short``: only "2/5" (a message
    about the last action needs the room)."""
    count = len(result.matches)
    if not count:
        return "no match"
    if short:
        return f"{current + 1 if current is not None else '-'}/{count}"
    head = f"match {current + 1}/{count}" if current is not None else (
        f"{count} matches" if count != 1 else "1 match")
    extra = f"; {result.total} with parts of words" if result.total > count else ""
    return f"{head} ({result.tier}{extra})"


__all__ = ["SearchResult", "TIERS", "describe", "is_whole_word", "ranked_matches"]
