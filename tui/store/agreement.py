"""Reads for `tui agree` and `tui merge`: who annotated which document, and their spans.

A document counts as annotated by an annotator who has a span in it or a status other than
`todo` (with a status filter: whose status there is that one). Everything streams one document at a
time from one read snapshot, spans through the covering unique index of `spans` (no sort, no texts
read), so memory stays flat on a million spans.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from tui.store.dbapi import Connection, stream
from tui.store.parts import StorePart

if TYPE_CHECKING:  # (imported where a document is built: `tui agree` needs it, the app's start does not)
    from tui.agreement.metrics import AnnotatedDocument, SpanKey

def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def annotated_documents(c: Connection, annotators: Sequence[str], status: str | None = None
                        ) -> Iterator[AnnotatedDocument]:
    """Every document some of `annotators` annotated, in document-id order (inside a read snapshot)."""
    from tui.agreement.metrics import AnnotatedDocument

    names = list(dict.fromkeys(annotators))
    if not names:
        return
    lengths = dict(c.execute("SELECT id, length FROM documents INDEXED BY documents_listing"))
    statuses: dict[str, dict[str, str]] = {}
    for doc_id, annotator, state in c.execute(
        f"SELECT document_id, annotator, status FROM document_status WHERE annotator IN ({_marks(names)})", names
    ):
        statuses.setdefault(doc_id, {})[annotator] = state

    def counted(doc_id: str, annotator: str, has_spans: bool) -> bool:
        state = statuses.get(doc_id, {}).get(annotator, "todo")
        if status is not None:
            return state == status and (has_spans or state != "todo")
        return has_spans or state != "todo"

    def finish(doc_id: str, spans: dict[str, list[SpanKey]]) -> AnnotatedDocument | None:
        kept = {a: s for a, s in spans.items() if counted(doc_id, a, True)}
        for annotator, state in statuses.get(doc_id, {}).items():
            if annotator not in kept and counted(doc_id, annotator, False):
                kept[annotator] = []
        if not kept:
            return None
        return AnnotatedDocument(doc_id, lengths.get(doc_id, 0), kept)

    status_only = sorted(statuses)
    k = 0

    def up_to(doc_id: str, doc_spans: dict[str, list[SpanKey]]) -> Iterator[AnnotatedDocument]:
        """The documents with only a status that sort before `doc_id`, then `doc_id` itself."""
        nonlocal k
        while k < len(status_only) and status_only[k] < doc_id:
            done = finish(status_only[k], {})
            if done is not None:
                yield done
            k += 1
        if k < len(status_only) and status_only[k] == doc_id:
            k += 1
        done = finish(doc_id, doc_spans)
        if done is not None:
            yield done
    current: str | None = None
    spans: dict[str, list[SpanKey]] = {}
    # Every span through the covering unique index (document_id, annotator, ...), already in order:
    # no sort, and no per-row IN test in SQL (filtering here is cheaper than SQLite's IN list).
    wanted = set(names)
    cursor = stream(c, 'SELECT document_id, annotator, label, start, "end" FROM spans ORDER BY document_id, annotator')
    for doc_id, annotator, label, start, end in cursor:
        if annotator not in wanted:
            continue
        if doc_id != current:
            if current is not None:
                yield from up_to(current, spans)
            current = doc_id
            spans = {}
        spans.setdefault(annotator, []).append((label, start, end))
    if current is not None:
        yield from up_to(current, spans)
    for doc_id in status_only[k:]:
        done = finish(doc_id, {})
        if done is not None:
            yield done


def merge_into(c: Connection, gold: str, annotators: Sequence[str], labels: Sequence[str], min_votes: int,
               *, dry_run: bool = False) -> dict[str, int]:
    """Add to `gold` every (document, label, start, end) at least `min_votes` of `annotators` have exactly,
    unless gold has it already (inside the caller's transaction). Returns spans added per label.

    Each span gets an ordinary `add` event (``after`` has ``"source": "merge"`` and one ``"batch"``
    token for the whole run), so undo in a document takes back what the merge put there.
    """
    from tui.store.candidates import new_batch
    from tui.store.statuses import mark_in_progress
    from tui.store.connection import utc_now
    from tui.store.history import record_event, span_state
    from tui.store.models import Span

    names = [a for a in dict.fromkeys(annotators) if a != gold]
    if not names:
        return {}
    params: list[object] = [*names]
    label_filter = ""
    if labels:
        label_filter = f"AND s.label IN ({_marks(labels)}) "
        params.extend(labels)
    rows = c.execute(
        'SELECT s.document_id, s.label, s.start, s."end", min(s.text) FROM spans AS s '
        f"WHERE s.annotator IN ({_marks(names)}) {label_filter}"
        'GROUP BY s.document_id, s.label, s.start, s."end" HAVING count(DISTINCT s.annotator) >= ? '
        'AND NOT EXISTS (SELECT 1 FROM spans AS g WHERE g.document_id = s.document_id AND g.annotator = ? '
        'AND g.label = s.label AND g.start = s.start AND g."end" = s."end") '
        'ORDER BY s.document_id, s.start, s."end" DESC, s.label',
        (*params, min_votes, gold),
    ).fetchall()
    added: dict[str, int] = {}
    for _, label, _, _, _ in rows:
        added[label] = added.get(label, 0) + 1
    if dry_run or not rows:
        return added
    now = utc_now()
    batch = new_batch()
    touched: set[str] = set()
    for doc_id, label, start, end, text in rows:
        cursor = c.execute(
            'INSERT INTO spans (document_id, annotator, label, start, "end", text, created_at, updated_at) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, gold, label, start, end, text, now, now),
        )
        span = Span(int(cursor.lastrowid or 0), doc_id, gold, label, start, end, text, now, now)
        after = dict(span_state(span) or {}, source="merge", batch=batch)
        record_event(c, "add", doc_id, gold, span.id, None, after, now=now)
        if doc_id not in touched:
            touched.add(doc_id)
            mark_in_progress(c, doc_id, gold, now)
    return added


class AgreementQueries(StorePart):
    """The agreement part of `Store` (mixed in): read-only except `merge_into`."""

    if TYPE_CHECKING:
        _lock: threading.RLock
        _conn: Connection

    def annotated_documents(self, annotators: Sequence[str], *, status: str | None = None
                            ) -> Iterator[AnnotatedDocument]:
        """Stream, from one consistent snapshot, each document some of `annotators` annotated with
        every such annotator's (label, start, end) spans (an annotator with none: an empty list)."""
        with self._lock:
            c = self._conn
            c.execute("BEGIN")
            try:
                yield from annotated_documents(c, annotators, status)
            finally:
                c.execute("COMMIT")

    def merge_into(self, gold: str, annotators: Sequence[str], *, labels: Sequence[str] = (),
                   min_votes: int | None = None, dry_run: bool = False) -> dict[str, int]:
        """`tui merge`: spans enough annotators made exactly become `gold`'s; one transaction.

        `min_votes` defaults to all of `annotators`; gold's existing spans are kept, and running it
        again adds nothing. Returns spans added per label (what would be added, with dry_run).
        """
        from tui.store.errors import StoreError

        names = [a for a in dict.fromkeys(annotators) if a != gold]
        votes = len(names) if min_votes is None else min_votes
        if not 1 <= votes <= max(1, len(names)):
            raise StoreError(f"--min-votes must be between 1 and {len(names)} (the annotators merged).")
        if dry_run:
            return self._read(lambda c: merge_into(c, gold, names, labels, votes, dry_run=True))
        return self._write(lambda c: merge_into(c, gold, names, labels, votes))

    def document_statuses(self, doc_id: str) -> dict[str, str]:
        """Every recorded status in one document, by annotator (no row: todo)."""
        return self._read(lambda c: dict(c.execute(
            "SELECT annotator, status FROM document_status WHERE document_id = ?", (doc_id,)).fetchall()))

    def document_titles(self, doc_ids: Sequence[str]) -> dict[str, str]:
        """Titles of the given documents (by id; missing ids are left out)."""
        ids = list(doc_ids)

        def query(c: Connection) -> dict[str, str]:
            found: dict[str, str] = {}
            for start in range(0, len(ids), 500):
                part = ids[start:start + 500]
                found.update(c.execute(f"SELECT id, title FROM documents WHERE id IN ({_marks(part)})", part))
            return found

        return self._read(query)


__all__ = ["AgreementQueries", "annotated_documents"]
