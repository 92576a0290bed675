"""The candidate part of `Store` (`CandidateMethods`, mixed in). The model and the reads and writes
inside a transaction are in `tui.store.candidates`, imported by the first method called: opening a
store (a plain start of the app) does not load it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from tui.store.dbapi import Connection
from tui.store.errors import StoreError
from tui.store.parts import StorePart

if TYPE_CHECKING:
    from tui.store.candidates import Candidate, Decision, NewCandidate
    from tui.store.models import Event, Span


class CandidateMethods(StorePart):
    """The candidate part of `Store` (mixed in): every method is one read or one committed transaction."""

    if TYPE_CHECKING:
        def _checked_range(self, c: Connection, doc_id: str, start: int, end: int) -> str: ...
        def _check_label(self, c: Connection, label: str) -> None: ...
        def _text(self, c: Connection, doc_id: str) -> str: ...

    def candidates(self, doc_id: str, annotator: str, sources: Sequence[str]) -> list[Candidate]:
        """Spans of `sources` in `doc_id` that `annotator` has neither made nor accepted/rejected."""
        from tui.store.candidates import pending

        return self._read(lambda c: pending(c, doc_id, annotator, sources))

    def accept_candidate(self, annotator: str, candidate: Candidate) -> Span:
        """The candidate becomes `annotator`'s span, with an `accept` event naming its source."""
        from tui.store.candidates import accept

        _check_name(annotator)

        def action(c: Connection) -> Span:
            self._check_label(c, candidate.label)
            text = self._checked_range(c, candidate.document_id, candidate.start, candidate.end)
            return accept(c, annotator, candidate, text)

        return self._write(action)

    def reject_candidate(self, annotator: str, candidate: Candidate) -> Event:
        """Record the rejection (a `reject` event): the range is not offered to `annotator` again."""
        from tui.store.candidates import reject

        _check_name(annotator)
        return self._write(lambda c: reject(c, annotator, candidate))

    def accept_all_candidates(self, doc_id: str, annotator: str, sources: Sequence[str]) -> list[Span]:
        """Accept every pending candidate of `sources` in `doc_id` in one transaction (one undo takes it back)."""
        from tui.store.candidates import pending

        _check_name(annotator)
        return self._write(lambda c: self._accept_batch(c, annotator, pending(c, doc_id, annotator, sources)))

    def accept_candidates(self, annotator: str, chosen: Sequence[Candidate]) -> list[Span]:
        """Accept these candidates in one transaction, as one batch (one undo takes them all back)."""
        _check_name(annotator)
        return self._write(lambda c: self._accept_batch(c, annotator, chosen))

    def _accept_batch(self, c: Connection, annotator: str, chosen: Sequence[Candidate]) -> list[Span]:
        from tui.store.candidates import accept, new_batch

        batch = new_batch()
        accepted = []
        for candidate in chosen:
            self._check_label(c, candidate.label)
            text = self._checked_range(c, candidate.document_id, candidate.start, candidate.end)
            accepted.append(accept(c, annotator, candidate, text, batch=batch))
        return accepted

    def candidate_decisions(self, doc_id: str, annotator: str) -> list[Decision]:
        """What `annotator` accepted and rejected in `doc_id` (undone decisions are gone)."""
        from tui.store.candidates import decisions

        return self._read(lambda c: decisions(c, doc_id, annotator))

    def candidate_sources(self) -> list[str]:
        """Annotators with spans and process sources with stored candidates, sorted."""
        from tui.store.candidates import sources

        return self._read(sources)

    def add_candidates(self, source: str, items: Iterable[NewCandidate]) -> int:
        """Store a process's candidates (nobody's spans) under `source`, e.g. 'suggest:dates'; all or nothing.

        Returns how many were new (a candidate already stored for that source is skipped).
        """
        from tui.store.candidates import add

        _check_name(source)
        batch = list(items)

        def action(c: Connection) -> int:
            labels = {r[0] for r in c.execute("SELECT name FROM labels")}
            return add(c, source, batch, self._text, labels)

        return self._write(action)

    def clear_candidates(self, source: str, doc_id: str | None = None) -> int:
        """Delete the stored candidates of a process source (all documents, or one); returns how many."""
        from tui.store.candidates import clear

        return self._write(lambda c: clear(c, source, doc_id))

    def candidate_meta(self, doc_id: str, source: str) -> dict[tuple[str, int, int], dict[str, Any]]:
        """The meta a process stored with its candidates in `doc_id`, by (label, start, end)."""
        rows = self._read(lambda c: c.execute(
            'SELECT label, start, "end", meta FROM candidates WHERE document_id = ? AND source = ?', (doc_id, source)
        ).fetchall())
        return {(r[0], r[1], r[2]): json.loads(r[3]) for r in rows}


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise StoreError("an annotator or source name is required.")


__all__ = ["Candidate", "NewCandidate", "Decision", "CandidateMethods", "DECISIONS", "SPAN_COLUMNS", "span_from_row"]
