"""Candidates: spans from a *source* shown to an annotator without being theirs, until accepted.

A **source** is either

* an annotator (`import`, `model-x` from `tui import --annotator model-x`, `alice`, ...): their
  ordinary rows in `spans` are the candidates; or
* a *process* such as `tui suggest --apply`, which stores candidates that are nobody's spans in the
  `candidates` table under a source name of its own (by convention `suggest:NAME`, e.g.
  `suggest:dates`). Those rows are never counted, exported or compared as anyone's annotation:
  `tui stats`, `tui export` and `tui agree` read `spans` only. They carry no events (like imports).

Asking for a document's candidates of some sources gives every (label, start, end) a source has that
the annotator has neither as a span of their own nor decided on already. Several sources proposing
the same range give one candidate naming all of them.

**Accepting** creates the annotator's own span in one transaction with an `accept` event (its
`after` is the span plus `"source"`) and an `accept` row in `candidate_decisions`. **Rejecting**
appends a `reject` event (`span_id` NULL; `after` is the candidate plus `"source"`) and a `reject`
row. A decision is keyed by (document, annotator, label, start, end) whatever the source: a range
rejected once is not offered again by any source, after restarts too; a range accepted and later
deleted or resized is not offered again either. Both are undone and re-done like any span action
(tui.store.history): undoing an accept deletes the span and its decision, undoing a reject deletes
the decision, so the candidate is offered again. `accept_all_candidates` gives its events one
`"batch"` token: one undo (or redo) takes back (or re-applies) the whole batch.
Accepting or rejecting moves a `todo` document to `in_progress` for the annotator, as tagging does
(a document where every candidate was rejected has been annotated: it has no spans).

The Store's methods are in `tui.store.candidate_methods` (`CandidateMethods`), which imports this module
when one is first called: a plain start of the app does not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tui.store.dbapi import Connection
from tui.store.connection import utc_now
from tui.store.errors import StoreError
from tui.store.history import record_event, span_from_row, span_state
from tui.store.models import SPAN_COLUMNS, Event, Span
from tui.store.spans import insert_span
from tui.store.statuses import mark_in_progress
from tui.store.textutil import sorted_json

DECISIONS: tuple[str, ...] = ("accept", "reject")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A range some source proposes that the annotator has neither made nor decided on."""

    document_id: str
    label: str
    start: int
    end: int
    text: str
    sources: tuple[str, ...]  # every chosen source that has it, in the order asked for

    @property
    def source(self) -> str:
        return self.sources[0]

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.label, self.start, self.end)


@dataclass(frozen=True, slots=True)
class NewCandidate:
    """One candidate for `Store.add_candidates` (a process's proposal, nobody's span)."""

    document_id: str
    label: str
    start: int
    end: int
    meta: dict[str, Any] | None = None  # e.g. {"rule": "iso-date", "score": 0.9}


@dataclass(frozen=True, slots=True)
class Decision:
    document_id: str
    annotator: str
    label: str
    start: int
    end: int
    decision: str  # accept | reject
    source: str
    event_id: int
    decided_at: str


def _placeholders(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def pending(c: Connection, doc_id: str, annotator: str, sources: Sequence[str]) -> list[Candidate]:
    """The candidates of `sources` in `doc_id` still to be decided by `annotator`, by start, longest first."""
    chosen = [s for s in dict.fromkeys(sources) if s and s != annotator]
    if not chosen:
        return []
    marks = _placeholders(chosen)
    rows = c.execute(
        f'SELECT label, start, "end", text, annotator FROM spans WHERE document_id = ? AND annotator IN ({marks}) '
        f'UNION ALL SELECT label, start, "end", text, source FROM candidates '
        f"WHERE document_id = ? AND source IN ({marks})",
        (doc_id, *chosen, doc_id, *chosen),
    ).fetchall()
    if not rows:
        return []
    taken = set(c.execute(
        'SELECT label, start, "end" FROM spans WHERE document_id = ? AND annotator = ? '
        'UNION SELECT label, start, "end" FROM candidate_decisions WHERE document_id = ? AND annotator = ?',
        (doc_id, annotator, doc_id, annotator),
    ).fetchall())
    order = {source: i for i, source in enumerate(chosen)}
    found: dict[tuple[str, int, int], tuple[str, list[str]]] = {}
    for label, start, end, text, source in rows:
        key = (label, start, end)
        if key in taken:
            continue
        entry = found.setdefault(key, (text, []))
        if source not in entry[1]:
            entry[1].append(source)
    result = [
        Candidate(doc_id, label, start, end, text, tuple(sorted(names, key=order.__getitem__)))
        for (label, start, end), (text, names) in found.items()
    ]
    result.sort(key=lambda k: (k.start, -k.end, k.label))
    return result


def _source_has(c: Connection, doc_id: str, source: str, label: str, start: int, end: int) -> bool:
    return c.execute(
        'SELECT 1 FROM spans WHERE document_id = ? AND annotator = ? AND label = ? AND start = ? AND "end" = ? '
        'UNION ALL SELECT 1 FROM candidates WHERE document_id = ? AND source = ? AND label = ? AND start = ? '
        'AND "end" = ? LIMIT 1',
        (doc_id, source, label, start, end, doc_id, source, label, start, end),
    ).fetchone() is not None


def _check_offered(c: Connection, annotator: str, candidate: Candidate) -> None:
    if candidate.source == annotator:
        raise StoreError(f"{annotator} cannot take their own span as a candidate.")
    if not _source_has(c, candidate.document_id, candidate.source, candidate.label, candidate.start, candidate.end):
        raise StoreError(
            f"{candidate.source} no longer has that {candidate.label!r} span at {candidate.start}-{candidate.end} "
            "(changed in another session?). Reload the document."
        )
    row = c.execute(
        'SELECT decision FROM candidate_decisions WHERE document_id = ? AND annotator = ? AND label = ? '
        'AND start = ? AND "end" = ?',
        (candidate.document_id, annotator, candidate.label, candidate.start, candidate.end),
    ).fetchone()
    if row is not None:
        raise StoreError(
            f"{annotator} already {row[0]}ed the {candidate.label!r} candidate at {candidate.start}-{candidate.end}."
        )


def _write_decision(c: Connection, doc_id: str, annotator: str, label: str, start: int, end: int,
                    decision: str, source: str, event_id: int, now: str) -> None:
    c.execute(
        'INSERT INTO candidate_decisions (document_id, annotator, label, start, "end", decision, source, event_id, '
        "decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (doc_id, annotator, label, start, end, decision, source, event_id, now),
    )


def _drop_decision(c: Connection, doc_id: str, annotator: str, label: str, start: int, end: int) -> None:
    c.execute(
        'DELETE FROM candidate_decisions WHERE document_id = ? AND annotator = ? AND label = ? AND start = ? '
        'AND "end" = ?',
        (doc_id, annotator, label, start, end),
    )


def accept(c: Connection, annotator: str, candidate: Candidate, text: str, *,
           batch: str | None = None) -> Span:
    """Make `candidate` the annotator's span (inside the caller's transaction); `text` is the checked range."""
    _check_offered(c, annotator, candidate)
    now = utc_now()
    doc_id, label, start, end = candidate.document_id, candidate.label, candidate.start, candidate.end
    span = insert_span(c, doc_id, annotator, label, start, end, text, now)
    after = dict(span_state(span) or {}, source=candidate.source)
    if batch is not None:
        after["batch"] = batch
    event = record_event(c, "accept", doc_id, annotator, span.id, None, after, now=now)
    _write_decision(c, doc_id, annotator, label, start, end, "accept", candidate.source, event.id, now)
    mark_in_progress(c, doc_id, annotator, now)
    return span


def reject(c: Connection, annotator: str, candidate: Candidate) -> Event:
    """Record that the annotator rejects `candidate` (inside the caller's transaction)."""
    _check_offered(c, annotator, candidate)
    now = utc_now()
    after = {"document_id": candidate.document_id, "label": candidate.label, "start": candidate.start,
             "end": candidate.end, "text": candidate.text, "source": candidate.source}
    event = record_event(c, "reject", candidate.document_id, annotator, None, None, after, now=now)
    _write_decision(c, candidate.document_id, annotator, candidate.label, candidate.start, candidate.end,
                    "reject", candidate.source, event.id, now)
    mark_in_progress(c, candidate.document_id, annotator, now)
    return event


def new_batch() -> str:
    import secrets  # hmac, random...: only a batch of decisions needs it

    return secrets.token_hex(6)


def transition(c: Connection, kind: str, annotator: str, doc_id: str, span_id: int | None, target_id: int,
               target_action: str, frm: dict[str, Any] | None, to: dict[str, Any] | None) -> Event:
    """Undo (kind 'undo') or redo an accept/reject event `target_id`: the span (accept) and the decision row."""
    from tui.store import history

    state = to if to is not None else frm
    assert state is not None
    label, start, end = state["label"], state["start"], state["end"]
    if target_action == "accept":
        assert span_id is not None
        event = history.transition(c, kind, annotator, doc_id, span_id, target_id, target_action, frm, to)
    else:
        event = record_event(c, kind, doc_id, annotator, None, frm, to, target=target_id)
    if to is None:
        _drop_decision(c, doc_id, annotator, label, start, end)
    else:
        try:
            _write_decision(c, doc_id, annotator, label, start, end, target_action, state.get("source", ""),
                            target_id, event.created_at)
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"cannot {kind}: the candidate was decided on again since. Reload the document.") from exc
    return event


def add(c: Connection, source: str, items: Iterable[NewCandidate],
        text_of: Callable[[Connection, str], str], known_labels: set[str]) -> int:
    """Store a process's candidates under `source` (inside the caller's transaction); returns how many were new."""
    now = utc_now()
    added = 0
    for item in items:
        if item.label not in known_labels:
            raise StoreError(f"unknown label {item.label!r} for a {source} candidate; add the label first.")
        text = text_of(c, item.document_id)
        start, end = item.start, item.end
        if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start < end <= len(text):
            raise StoreError(f"{source} candidate {start!r}-{end!r} is outside document {item.document_id} "
                             f"(0-{len(text)}) or empty.")
        if not text[start:end].strip():
            raise StoreError(f"{source} candidate {start}-{end} in {item.document_id} covers only whitespace.")
        cursor = c.execute(
            'INSERT INTO candidates (document_id, source, label, start, "end", text, created_at, meta) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (item.document_id, source, item.label, start, end, text[start:end], now, sorted_json(item.meta or {})),
        )
        added += cursor.rowcount
    return added


def clear(c: Connection, source: str, doc_id: str | None = None) -> int:
    """Delete a process's stored candidates (all, or one document's); decisions on them stay."""
    if doc_id is None:
        return c.execute("DELETE FROM candidates WHERE source = ?", (source,)).rowcount
    return c.execute("DELETE FROM candidates WHERE source = ? AND document_id = ?", (source, doc_id)).rowcount


def sources(c: Connection) -> list[str]:
    """Every source there is: annotators with spans and process sources with stored candidates, sorted."""
    rows = c.execute(
        "SELECT annotator FROM spans GROUP BY annotator UNION SELECT source FROM candidates GROUP BY source ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


def decisions(c: Connection, doc_id: str, annotator: str) -> list[Decision]:
    rows = c.execute(
        'SELECT document_id, annotator, label, start, "end", decision, source, event_id, decided_at '
        'FROM candidate_decisions WHERE document_id = ? AND annotator = ? ORDER BY start, "end", label',
        (doc_id, annotator),
    ).fetchall()
    return [Decision(*r) for r in rows]
