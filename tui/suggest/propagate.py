"""Names already tagged, found again: every tagged string (or gazetteer entry) wherever else it
occurs, folded (``tui.suggest.folding``: case, Vietnamese tone placement, Arabic harakat, tatweel
and letter variants), on whole tokens, longest match first.

A string is matched as its sequence of *tokens* (runs of letters and digits; every other
non-space character is a token of its own; whitespace only separates), so ``Nga - Belarus`` and
``Nga-Belarus`` are the same key and ``Putin`` is found in ``Putin-Lukachenko`` but not in
``Putins``. In Arabic, the proclitics ``و ف`` (conjunctions) and ``ب ل ك`` (prepositions), alone or
``و``/``ف`` followed by one of ``ب ل ك``, may be attached in front of the first token: ``وبوتين``
suggests ``بوتين`` with the proclitic outside the span; the article may follow them (``وبالكرملين``
suggests ``الكرملين``), and after ``ل`` the article's alef is dropped in writing (``للكرملين`` =
``ل`` + ``الكرملين``: the span is ``لكرملين``, the article's lam included).

The caller supplies the dictionary as a lookup function (keys -> label), so the entries can live
in a database index (``tui.store.suggestions``) or in memory (:class:`Gazetteer`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from tui.suggest.clusters import snap
from tui.suggest.folding import Folded, fold

_TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+|[^\w\s]|_")
_ARABIC_START = re.compile("[\u0621-\u064a]")
PROCLITICS: tuple[str, ...] = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")
"""attached in front of a name: و ف, or ب ل ك, or و/ف + ب/ل/ك (longest first)"""
SEPARATOR = " "

Lookup = Callable[[set[str]], Mapping[str, str]]
"""keys -> {key: label} for the keys that are in the dictionary"""


class Match(NamedTuple):
    start: int
    end: int
    label: str
    key: str


def tokens(folded: str) -> list[tuple[int, int]]:
    """(start, end) of each token of an already folded text."""
    return [m.span() for m in _TOKEN_RE.finditer(folded)]


def key_of(text: str) -> str | None:
    """The dictionary key of a tagged string or pattern (None: nothing to match on)."""
    folded = fold(text).text
    parts = [folded[a:b] for a, b in tokens(folded)]
    return SEPARATOR.join(parts) if parts else None


def key_of_tokens(words: Iterable[str]) -> str | None:
    """The key of a pattern given as tokens (spaCy ``[{"lower": "new"}, {"lower": "york"}]``)."""
    parts: list[str] = []
    for word in words:
        folded = fold(word).text
        parts.extend(folded[a:b] for a, b in tokens(folded))
    return SEPARATOR.join(parts) if parts else None


def token_count(key: str) -> int:
    return key.count(SEPARATOR) + 1


def _variants(token: str) -> list[tuple[int, str]]:
    """(characters skipped, first token to look up) for a token: itself, and without each
    proclitic chain in front of an Arabic word (with the article's dropped alef restored after ل)."""
    found = [(0, token)]
    if len(token) < 3 or _ARABIC_START.match(token) is None:
        return found
    for prefix in PROCLITICS:
        if token.startswith(prefix) and len(token) - len(prefix) >= 2:
            rest = token[len(prefix):]
            found.append((len(prefix), rest))
            if prefix.endswith("ل") and rest.startswith("ل"):
                found.append((len(prefix), "ا" + rest))  # لل = ل + ال
    return found


class _Candidate(NamedTuple):
    start: int  # folded offsets
    end: int
    key: str


def _candidates(folded: str, spans: list[tuple[int, int]], max_tokens: int) -> list[_Candidate]:
    words = [folded[a:b] for a, b in spans]
    out: list[_Candidate] = []
    for i, (a, _b) in enumerate(spans):
        for skip, first in _variants(words[i]):
            key = first
            for j in range(i, min(len(spans), i + max_tokens)):
                if j > i:
                    key = key + SEPARATOR + words[j]
                out.append(_Candidate(a + skip, spans[j][1], key))
    return out


def find(text: str, lookup: Lookup, max_tokens: int, *, folded: Folded | None = None) -> list[Match]:
    """Every dictionary entry found in ``text``: non-overlapping, longest first (ties: leftmost),
    in text order, with exact original offsets widened to whole clusters."""
    if max_tokens <= 0 or not text:
        return []
    folded = folded if folded is not None else fold(text)
    spans = tokens(folded.text)
    candidates = _candidates(folded.text, spans, max_tokens)
    if not candidates:
        return []
    labels = lookup({c.key for c in candidates})
    if not labels:
        return []
    hits = [c for c in candidates if c.key in labels]
    hits.sort(key=lambda c: (c.start - c.end, c.start))
    chosen: list[Match] = []
    taken: list[tuple[int, int]] = []
    for c in hits:
        a, b = folded.original_span(c.start, c.end)
        a, b = snap(text, a, b)
        if any(a < y and x < b for x, y in taken):
            continue
        taken.append((a, b))
        chosen.append(Match(a, b, labels[c.key], c.key))
    chosen.sort()
    return chosen


class Gazetteer:
    """An in-memory dictionary: key -> label (the label given most often wins; ties: the first)."""

    def __init__(self, entries: Iterable[tuple[str, str, int]] = ()) -> None:
        self._counts: dict[str, dict[str, int]] = {}
        self._labels: dict[str, str] = {}
        self.max_tokens = 0
        for key, label, count in entries:
            self.add(key, label, count)

    def add(self, key: str, label: str, count: int = 1) -> None:
        counts = self._counts.setdefault(key, {})
        counts[label] = counts.get(label, 0) + count
        self._labels[key] = most_frequent(counts)
        self.max_tokens = max(self.max_tokens, token_count(key))

    def __len__(self) -> int:
        return len(self._labels)

    def lookup(self, keys: set[str]) -> dict[str, str]:
        labels = self._labels
        return {k: labels[k] for k in keys if k in labels}

    def find(self, text: str, *, folded: Folded | None = None) -> list[Match]:
        return find(text, self.lookup, self.max_tokens, folded=folded)


def most_frequent(counts: Mapping[str, int]) -> str:
    """The label given most often (ties: alphabetical, so every process picks the same)."""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
