"""All sources together: one article's text in, its suggestions out (pure: the dictionaries come in
as lookups and gazetteers, the model as a callable).

Sources, in the order they are asked and reported: ``dates`` (the grammar), ``propagate`` (strings
already tagged), ``patterns`` (imported gazetteers and token patterns), ``model`` (an optional
offline model). Within a source suggestions never overlap; across sources the same range and label
is reported once, by the first source that found it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from tui.suggest.dates import find_dates
from tui.suggest.folding import fold
from tui.suggest.propagate import Dictionary, Gazetteer, find

SOURCES: tuple[str, ...] = ("dates", "propagate", "patterns", "model")
DATE_LABEL = "date"


class Suggestion(NamedTuple):
    start: int
    end: int
    label: str
    text: str
    source: str  # one of SOURCES


class Existing(NamedTuple):
    """A span already in the article: suggestions never repeat one (same range and label), and
    never overlap one of ``own`` (the annotator the suggestions are for)."""

    start: int
    end: int
    label: str
    own: bool


ModelFn = Callable[[str, str], Iterable[tuple[int, int, str]]]
"""(text, language) -> (start, end, label) entity candidates of an optional model"""


@dataclass
class Context:
    """What the sources need besides the text."""

    lexicon: Dictionary | None = None
    """strings already tagged (each with its most frequent label)"""
    gazetteer: Gazetteer | None = None
    model: ModelFn | None = None
    date_label: str = DATE_LABEL
    known_labels: frozenset[str] | None = None
    """labels that exist (None: any); a suggestion with another label is dropped"""
    existing: Sequence[Existing] = field(default_factory=tuple)


def suggest(text: str, context: Context, *, sources: Sequence[str] = SOURCES,
            labels: Sequence[str] = (), language: str = "und") -> list[Suggestion]:
    """Suggestions for one text, in text order (then by source order)."""
    wanted = set(labels)
    found: list[Suggestion] = []
    folded = None

    def keep(start: int, end: int, label: str, source: str) -> None:
        if wanted and label not in wanted:
            return
        if context.known_labels is not None and label not in context.known_labels:
            return
        if not (0 <= start < end <= len(text)) or not text[start:end].strip():
            return
        found.append(Suggestion(start, end, label, text[start:end], source))

    for source in SOURCES:
        if source not in sources:
            continue
        if source == "dates":
            if wanted and context.date_label not in wanted:
                continue
            langs = (language,) if language in ("vi", "ar") else None
            for m in find_dates(text, langs):
                keep(m.start, m.end, context.date_label, source)
        elif source == "propagate" and context.lexicon is not None:
            folded = folded or fold(text)
            for hit in find(text, context.lexicon, folded=folded):
                keep(hit.start, hit.end, hit.label, source)
        elif source == "patterns" and context.gazetteer is not None and len(context.gazetteer):
            folded = folded or fold(text)
            for hit in context.gazetteer.find(text, folded=folded):
                keep(hit.start, hit.end, hit.label, source)
        elif source == "model" and context.model is not None:
            for start, end, label in context.model(text, language):
                keep(start, end, label, source)
    return _filter(found, context.existing)


def _overlaps(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Does [start, end) overlap one of the sorted ranges (starts[k], ends[k]), ends[k] the running max?"""
    k = bisect_left(starts, end) - 1  # the last range starting before `end`
    return k >= 0 and ends[k] > start


def _filter(found: list[Suggestion], existing: Sequence[Existing]) -> list[Suggestion]:
    same = {(e.start, e.end, e.label) for e in existing}
    own = sorted((e.start, e.end) for e in existing if e.own)
    own_starts = [a for a, _b in own]
    own_ends: list[int] = []
    for _a, b in own:
        own_ends.append(max(b, own_ends[-1]) if own_ends else b)
    seen: set[tuple[int, int, str]] = set()
    out = []
    for s in sorted(found, key=lambda s: (s.start, -s.end, SOURCES.index(s.source))):
        key = (s.start, s.end, s.label)
        if key in seen or key in same:
            continue
        if own and _overlaps(own_starts, own_ends, s.start, s.end):
            continue
        seen.add(key)
        out.append(s)
    return out
