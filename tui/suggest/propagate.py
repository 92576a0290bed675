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

The caller supplies the dictionary (:class:`Dictionary`: two batch lookups by hash), so the entries
can live in a database index (``tui.store.suggestions``) or in memory (:class:`Gazetteer`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from hashlib import blake2b
from typing import NamedTuple, Protocol

from tui.suggest.clusters import snap
from tui.suggest.folding import Folded, fold

_TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+|[^\w\s]|_")
_ARABIC_START = re.compile("[\u0621-\u064a]")
PROCLITICS: tuple[str, ...] = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")
"""attached in front of a name: و ف, or ب ل ك, or و/ف + ب/ل/ك (longest first)"""
SEPARATOR = " "

MOD = (1 << 61) - 1
"""keys are hashed token by token (h = h * BASE + token_hash mod MOD): an article's candidate keys
are computed without building strings, and a dictionary in SQLite indexes 61-bit integers"""
BASE = 1_000_003


class Dictionary(Protocol):
    """Where tagged strings or patterns are looked up (in memory, or an index in the database)."""

    def max_tokens(self, first_hashes: set[int]) -> Mapping[int, int]:
        """first-token hash -> the most tokens of any entry starting with that token"""
        ...

    def labels(self, key_hashes: set[int]) -> Mapping[int, Mapping[str, str]]:
        """key hash -> {key: label} of the entries with that hash (the key string checks collisions)"""
        ...


class Match(NamedTuple):
    start: int
    end: int
    label: str
    key: str


_token_hashes: dict[str, int] = {}


def token_hash(token: str) -> int:
    """A stable 61-bit hash of one folded token (the same in every process)."""
    found = _token_hashes.get(token)
    if found is None:
        if len(_token_hashes) > 200_000:
            _token_hashes.clear()
        found = _token_hashes[token] = int.from_bytes(blake2b(token.encode("utf-8", "surrogatepass"),
                                                              digest_size=8).digest(), "big") % MOD
    return found


def hash_tokens(parts: Iterable[str]) -> int:
    h = 0
    for i, part in enumerate(parts):
        h = token_hash(part) if i == 0 else (h * BASE + token_hash(part)) % MOD
    return h


class KeyInfo(NamedTuple):
    """What the dictionary stores for one entry."""

    key: str
    key_hash: int
    first_hash: int
    tokens: int


def describe(text: str) -> KeyInfo | None:
    """The key of a tagged string or pattern and its hashes (None: nothing to match on)."""
    key = key_of(text)
    return None if key is None else describe_key(key)


def describe_key(key: str) -> KeyInfo:
    parts = key.split(SEPARATOR)
    return KeyInfo(key, hash_tokens(parts), token_hash(parts[0]), len(parts))


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


def find(text: str, dictionary: Dictionary, *, folded: Folded | None = None) -> list[Match]:
    """Every dictionary entry found in ``text``: non-overlapping, longest first (most tokens, then
    most characters, then leftmost), in text order, with exact original offsets widened to whole
    clusters."""
    if not text:
        return []
    folded = folded if folded is not None else fold(text)
    ftext = folded.text
    spans = tokens(ftext)
    if not spans:
        return []
    words = [ftext[a:b] for a, b in spans]
    hashes = [token_hash(w) for w in words]
    variants = [_variants(w) for w in words]
    firsts = {token_hash(v) if k else hashes[i] for i, vs in enumerate(variants) for k, (_skip, v) in enumerate(vs)}
    longest = dictionary.max_tokens(firsts)
    if not longest:
        return []
    n = len(spans)
    # candidates by their number of tokens: (hash, first token index, last, characters skipped, first)
    by_length: dict[int, list[tuple[int, int, int, int, str]]] = {}
    for i, vs in enumerate(variants):
        for k, (skip, first) in enumerate(vs):
            h = token_hash(first) if k else hashes[i]
            most = longest.get(h)
            if not most:
                continue
            by_length.setdefault(1, []).append((h, i, i, skip, first))
            for j in range(i + 1, min(n, i + most)):
                h = (h * BASE + hashes[j]) % MOD
                by_length.setdefault(j - i + 1, []).append((h, i, j, skip, first))
    # Longest first: most tokens, then most characters, then leftmost. A length is looked up only
    # for candidates whose tokens no longer match has taken (one batch per length).
    covered = bytearray(n)
    chosen: list[Match] = []
    for length in sorted(by_length, reverse=True):
        open_ = [c for c in by_length[length] if covered.find(1, c[1], c[2] + 1) == -1]
        if not open_:
            continue
        found = dictionary.labels({c[0] for c in open_})
        if not found:
            continue
        hits: list[tuple[int, int, int, int, str, str]] = []  # folded start, end, i, j, label, key
        for h, i, j, skip, first in open_:
            entries = found.get(h)
            if not entries:
                continue
            key = first if i == j else first + SEPARATOR + SEPARATOR.join(words[i + 1:j + 1])
            label = entries.get(key)
            if label is not None:
                hits.append((spans[i][0] + skip, spans[j][1], i, j, label, key))
        hits.sort(key=lambda hit: (hit[0] - hit[1], hit[0]))
        for start, end, i, j, label, key in hits:
            if covered.find(1, i, j + 1) != -1:
                continue
            covered[i:j + 1] = b"\x01" * (j - i + 1)
            a, b = snap(text, *folded.original_span(start, end))
            chosen.append(Match(a, b, label, key))
    chosen.sort()
    out: list[Match] = []
    for m in chosen:  # widening to whole clusters may meet a neighbour: the earlier one stays
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


class Gazetteer:
    """An in-memory dictionary: key -> label (the label given most often wins; ties: alphabetical)."""

    def __init__(self, entries: Iterable[tuple[str, str, int]] = ()) -> None:
        self._counts: dict[str, dict[str, int]] = {}
        self._by_hash: dict[int, dict[str, str]] = {}
        self._longest: dict[int, int] = {}
        for key, label, count in entries:
            self.add(key, label, count)

    def add(self, key: str, label: str, count: int = 1) -> None:
        counts = self._counts.setdefault(key, {})
        counts[label] = counts.get(label, 0) + count
        info = describe_key(key)
        self._by_hash.setdefault(info.key_hash, {})[key] = most_frequent(counts)
        self._longest[info.first_hash] = max(self._longest.get(info.first_hash, 0), info.tokens)

    def __len__(self) -> int:
        return len(self._counts)

    def max_tokens(self, first_hashes: set[int]) -> dict[int, int]:
        longest = self._longest
        return {h: longest[h] for h in first_hashes if h in longest}

    def labels(self, key_hashes: set[int]) -> dict[int, dict[str, str]]:
        by_hash = self._by_hash
        return {h: by_hash[h] for h in key_hashes if h in by_hash}

    def find(self, text: str, *, folded: Folded | None = None) -> list[Match]:
        return find(text, self, folded=folded)


def most_frequent(counts: Mapping[str, int]) -> str:
    """The label given most often (ties: alphabetical, so every process picks the same)."""
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
