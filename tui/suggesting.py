"""Suggestions for articles in a database: tui.suggest (pure) fed from the store (headless; used by
``tui suggest`` and by the app's worker).

Stored suggestions are candidates (tui.store.candidates) of the process sources ``suggest:dates``,
``suggest:propagate``, ``suggest:patterns`` and ``suggest:model`` — nobody's spans until an
annotator accepts them, never counted or exported before that; a rejection is remembered for that
annotator and the same suggestion is not offered to them again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from tui.store import Store
from tui.store.candidates import NewCandidate
from tui.suggest import propagate
from tui.suggest.engine import SOURCES, Context, Existing, ModelFn, Suggestion, suggest
from tui.suggest.propagate import Gazetteer, most_frequent

KEY_VERSION = "fold-1/hash-1"
"""names the folding (tui.suggest.folding) the stored keys were made with; change it with the folding"""

SOURCE_PREFIX = "suggest:"


def candidate_source(source: str) -> str:
    """The candidates' source name of a suggestion source: 'dates' -> 'suggest:dates'."""
    return SOURCE_PREFIX + source


CANDIDATE_SOURCES: tuple[str, ...] = tuple(candidate_source(s) for s in SOURCES)


@dataclass(frozen=True)
class DocumentSuggestion:
    doc_id: str
    suggestion: Suggestion

    def as_json(self) -> dict[str, object]:
        s = self.suggestion
        return {"doc_id": self.doc_id, "start": s.start, "end": s.end, "label": s.label, "text": s.text,
                "source": s.source}


class Suggester:
    """Suggestions for one database. Keeps the patterns and the model loaded between articles;
    tagged strings are looked up in the database each time (new spans count at once)."""

    def __init__(self, store: Store, *, model: ModelFn | None = None, load_model: bool = False) -> None:
        self.store = store
        self._model = model
        self._load_model = load_model and model is None
        self._gazetteer: Gazetteer | None = None
        self._patterns_version: tuple[int, int] | None = None

    # ------------------------------------------------------------------ sources

    @property
    def model(self) -> ModelFn | None:
        if self._load_model:
            from tui.suggest.models import load

            self._model = load()
            self._load_model = False
        return self._model

    def gazetteer(self) -> Gazetteer:
        version = self.store.patterns_version()
        if self._gazetteer is None or version != self._patterns_version:
            gazetteer = Gazetteer()
            for row in self.store.patterns():
                key = (propagate.key_of(row.pattern) if isinstance(row.pattern, str)
                       else propagate.key_of_tokens(next(iter(t.values())) for t in row.pattern))
                if key is not None:
                    gazetteer.add(key, row.label)
            self._gazetteer, self._patterns_version = gazetteer, version
        return self._gazetteer

    def prepare(self) -> None:
        """Give new tagged strings their keys (cheap when there are none; the first run on a big
        database keys every tagged string once, in batches)."""
        self.store.fill_span_text_keys(propagate.describe, KEY_VERSION)

    def _lexicon(self) -> propagate.Dictionary:
        self.prepare()
        memory: Gazetteer | None = None
        if self.store.readonly:  # keys cannot be stored: key the rest in memory
            unkeyed = self.store.unkeyed_span_texts()
            if unkeyed:
                memory = Gazetteer()
                for text, label, n in unkeyed:
                    key = propagate.key_of(text)
                    if key is not None:
                        memory.add(key, label, n)
        return _StoreDictionary(self.store, memory)

    # ----------------------------------------------------------------- suggesting

    def for_document(self, doc_id: str, *, sources: Sequence[str] = SOURCES, labels: Sequence[str] = (),
                     annotator: str | None = None, everything: bool = False) -> list[Suggestion]:
        """Suggestions for one article: not repeating a span already there (same range and
        label), not overlapping one of ``annotator``'s spans, nor anything ``annotator`` already
        accepted or rejected. ``everything``: all of them, whoever has what (what the app stores
        for every annotator; the candidates leave out each one's own spans and decisions)."""
        store = self.store
        doc = store.get_document(doc_id)
        context = self._context(sources)
        if not everything:
            existing = [Existing(s.start, s.end, s.label, s.annotator == annotator) for s in store.spans(doc_id)]
            if annotator is not None:
                existing.extend(Existing(d.start, d.end, d.label, False)
                                for d in store.candidate_decisions(doc_id, annotator))
            context.existing = existing
        return suggest(doc.text, context, sources=sources, labels=labels, language=doc.language)

    def _context(self, sources: Sequence[str]) -> Context:
        context = Context(known_labels=frozenset(label.name for label in self.store.labels()))
        if "propagate" in sources:
            context.lexicon = self._lexicon()
        if "patterns" in sources:
            context.gazetteer = self.gazetteer()
        if "model" in sources:
            context.model = self.model
        return context

    def store_for_document(self, doc_id: str, sources: Sequence[str] = SOURCES) -> int:
        """Recompute the article's suggestions of ``sources`` and make them its candidates of
        ``suggest:SOURCE`` (one transaction per source: what is no longer suggested goes, e.g.
        after the only span of a name was deleted). Returns how many candidates there are now."""
        found = self.for_document(doc_id, sources=sources, everything=True)
        total = 0
        for source in sources:
            items = [NewCandidate(doc_id, s.label, s.start, s.end, {"suggest": s.source})
                     for s in found if s.source == source]
            total += self.store.replace_candidates(candidate_source(source), doc_id, items)
        return total

    # -------------------------------------------------------------------- storing

    def apply(self, doc_id: str, suggestions: Sequence[Suggestion]) -> int:
        """Store suggestions as candidates of their sources (``suggest:SOURCE``); returns how many
        were new. Nobody's spans: an annotator accepts or rejects them in the app."""
        added = 0
        by_source: dict[str, list[NewCandidate]] = {}
        for s in suggestions:
            by_source.setdefault(candidate_source(s.source), []).append(
                NewCandidate(doc_id, s.label, s.start, s.end, {"suggest": s.source}))
        for source, items in by_source.items():
            added += self.store.add_candidates(source, items)
        return added


class _StoreDictionary:
    """Tagged strings in the database (span_texts), plus those a read-only database could not key."""

    def __init__(self, store: Store, memory: Gazetteer | None) -> None:
        self.store = store
        self.memory = memory

    def max_tokens(self, first_hashes: set[int]) -> dict[int, int]:
        found = self.store.span_text_max_tokens(first_hashes)
        if self.memory is not None:
            for h, n in self.memory.max_tokens(first_hashes).items():
                found[h] = max(n, found.get(h, 0))
        return found

    def labels(self, key_hashes: set[int]) -> dict[int, dict[str, str]]:
        counts = self.store.span_text_counts(key_hashes)
        out = {h: {key: most_frequent(labels) for key, labels in keys.items()} for h, keys in counts.items()}
        if self.memory is not None:
            for h, keys in self.memory.labels(key_hashes).items():
                for key, label in keys.items():
                    out.setdefault(h, {}).setdefault(key, label)
        return out


def all_document_ids(store: Store, page: int = 1000) -> Iterator[str]:
    """Every document id in list order, a page at a time."""
    offset = 0
    while True:
        rows = store.list_documents(offset=offset, limit=page)
        if not rows:
            return
        for row in rows:
            yield row.id
        offset += len(rows)
