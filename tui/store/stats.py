"""Counts for `tui stats`: grouped queries only (no texts read), one page of documents at a time.

The Store's method is in `tui.store.stats_methods` (`StatsQueries`), which imports this module when
called: opening a store (a plain start of the app) does not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.store.dbapi import Connection

if TYPE_CHECKING:
    from tui.store.store import Store


@dataclass
class DocumentRow:
    document_id: str
    title: str
    language: str
    annotator: str
    status: str
    counts: dict[str, int] = field(default_factory=dict)  # label -> spans


@dataclass
class Stats:
    documents: int
    labels: list[str]
    annotators: list[str]
    totals: dict[str, dict[str, int]]  # annotator -> label -> spans
    statuses: dict[str, dict[str, int]]  # annotator -> status -> documents
    rows: list[DocumentRow]  # documents x annotators for the first `limit` documents
    shown_documents: int


def collect_stats(store: Store, *, limit: int = 50, annotators: list[str] | None = None) -> Stats:
    """`tui stats`' figures (``store.stats(...)``)."""
    return store.stats(limit=limit, annotators=annotators)


def read_stats(c: Connection, limit: int, annotators: list[str] | None) -> Stats:
    """`Store.stats`' figures, inside one read."""
    documents = int(c.execute("SELECT count(*) FROM documents").fetchone()[0])
    labels = [r[0] for r in c.execute("SELECT name FROM labels ORDER BY position, name")]
    totals: dict[str, dict[str, int]] = {}
    for annotator, label, n in c.execute(
        "SELECT annotator, label, count(*) FROM spans GROUP BY annotator, label"
    ):
        totals.setdefault(annotator, {})[label] = n
    statuses: dict[str, dict[str, int]] = {}
    for annotator, status, n in c.execute(
        "SELECT annotator, status, count(*) FROM document_status GROUP BY annotator, status"
    ):
        statuses.setdefault(annotator, {})[status] = n
    everyone = sorted(set(totals) | set(statuses))
    if annotators:
        everyone = [a for a in everyone if a in annotators]
    page = c.execute(
        "SELECT id, title, language FROM documents INDEXED BY documents_listing ORDER BY seq"
        + ("" if limit <= 0 else f" LIMIT {int(limit)}")
    ).fetchall()
    rows: list[DocumentRow] = []
    for doc_id, title, language in page:
        counts: dict[str, dict[str, int]] = {}
        for annotator, label, n in c.execute(
            "SELECT annotator, label, count(*) FROM spans WHERE document_id = ? GROUP BY annotator, label",
            (doc_id,),
        ):
            counts.setdefault(annotator, {})[label] = n
        status_of = dict(c.execute(
            "SELECT annotator, status FROM document_status WHERE document_id = ?", (doc_id,)).fetchall())
        present = [a for a in everyone if a in counts or a in status_of]
        if not present:
            rows.append(DocumentRow(doc_id, title, language, "", "todo", {}))
        for annotator in present:
            rows.append(DocumentRow(doc_id, title, language, annotator, status_of.get(annotator, "todo"),
                                    counts.get(annotator, {})))
    for per_label in totals.values():
        for label in per_label:
            if label not in labels:
                labels.append(label)
    return Stats(documents, labels, everyone, totals, statuses, rows, len(page))
