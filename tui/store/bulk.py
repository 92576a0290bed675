"""Bulk writes for imports and one-snapshot reads for exports: the SQL `tui.formats` needs, kept in
the store (the formats name no table and open no connection).

    with store.bulk_import() as batch:              # one IMMEDIATE transaction: all or nothing
        results = batch.add_documents(new_documents)    # [(id, added)]; DocumentRejected(index)
        added = batch.add_spans(new_spans, documents_are_new=True)
        batch.add_statuses([NewStatus(doc_id, annotator, status), ...])   # never overrides one
        batch.find_or_add_span(...), batch.add_link(...)    # tui import --links
    batch.unindexed                                 # articles left for the search index (tui index)

    with store.read_snapshot() as snapshot:         # its own read-only connection, one snapshot
        for document in snapshot.documents():       # in import order
            snapshot.statuses(document.id), snapshot.spans(document.id)

Errors are translated as every other store call translates them (StoreError with a clear message).

The full-text index is not written row by row during an import: at its end an import indexes what
the index lacks when that is at most IMPORT_INDEX_LIMIT (2,000) articles, else it leaves them all to
`tui index` / the app's background job (tui.store.search explains why and how the index stays exact).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tui.store.dbapi import Connection, stream
from tui.store.connection import explain, uri_path, utc_now
from tui.store.search import FTS_INSERT_TRIGGER, dialect_of, index_if_few

if TYPE_CHECKING:
    from tui.store.store import NewDocument
    from tui.store.target import PostgresTarget

__all__ = ["BulkMethods", "ImportBatch", "NewSpan", "NewStatus", "ReadSnapshot", "SnapshotDocument",
           "SnapshotSpan"]


class NewSpan(NamedTuple):
    """A span for `ImportBatch.add_spans`; `text` is exactly document.text[start:end]."""

    document_id: str
    annotator: str
    label: str
    start: int
    end: int
    text: str


class NewStatus(NamedTuple):
    document_id: str
    annotator: str
    status: str


_SPAN_INSERT = (
    'INSERT INTO spans (document_id, annotator, label, start, "end", text, created_at, updated_at) '
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
)
# NOT EXISTS rather than INSERT OR IGNORE: an ignored insert still advances the AUTOINCREMENT
# counter, and a re-import must change nothing at all.
_SPAN_INSERT_IF_NEW = (
    'INSERT INTO spans (document_id, annotator, label, start, "end", text, created_at, updated_at) '
    "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7 WHERE NOT EXISTS (SELECT 1 FROM spans WHERE "
    'document_id = ?1 AND annotator = ?2 AND label = ?3 AND start = ?4 AND "end" = ?5)'
)
# Never overrides a status already recorded: an import does not undo anyone's work.
_STATUS_INSERT = (
    "INSERT INTO document_status (document_id, annotator, status, updated_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (document_id, annotator) DO NOTHING"
)


class ImportBatch:
    """Writes inside one import transaction (see `BulkMethods.bulk_import`); every row gets the same
    time stamp, the batch's `now`."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.now = utc_now()
        self._labels: set[str] = {row[0] for row in conn.execute("SELECT name FROM labels")}
        self._pause_text_index()

    def _pause_text_index(self) -> None:
        """The full-text index is not written by its insert trigger row by row during an import
        (that trigger tripled the time of one): the trigger is dropped inside this transaction and
        created again in it, as it was (`finish`): a rollback restores it, and no other connection
        ever sees the database without it. (PostgreSQL indexes each batch of documents as it is
        inserted: tui.store.search.index_documents.)"""
        self._fts_trigger: str | None = None
        self.unindexed = 0
        """After `finish`: documents the search index does not hold yet (tui index builds it)."""
        if dialect_of(self._conn) != "sqlite":
            return
        row = self._conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                                 (FTS_INSERT_TRIGGER,)).fetchone()
        self._fts_trigger = None if row is None else str(row[0])
        if self._fts_trigger is not None:
            self._conn.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")

    def finish(self) -> None:
        """Index the documents the index lacks when they are few (at most IMPORT_INDEX_LIMIT, in
        one statement, in this transaction), else leave them all to `tui index` / the app's
        background job (tui.store.search: FTS5's own indexing would cost an import more than half
        its time); then put the insert trigger back. Called by `bulk_import` before it commits."""
        if self._fts_trigger is None:
            return
        self.unindexed = index_if_few(self._conn)
        self._conn.execute(self._fts_trigger)
        self._fts_trigger = None

    def add_documents(self, documents: Sequence[NewDocument]) -> list[tuple[str, bool]]:
        """(id, added) for each document, in order; a text already stored is not added again.
        DocumentRejected(index) names the first document that cannot be stored."""
        from tui.store.store import insert_documents

        return insert_documents(self._conn, documents, imported_at=self.now)

    def add_spans(self, spans: Sequence[NewSpan], *, documents_are_new: bool) -> int:
        """Insert spans (creating labels not yet known); returns how many rows were added. With
        `documents_are_new` (documents this batch just added: no spans yet) a plain insert, else only
        the spans not already stored (same document, annotator, label, start and end)."""
        from tui.store.store import ensure_label

        for label in dict.fromkeys(span.label for span in spans):  # in order: first seen, first coloured
            if label not in self._labels:
                ensure_label(self._conn, label)
                self._labels.add(label)
        now = self.now
        rows = [(*span, now) for span in spans]
        # cursor rowcounts: sqlite3_changes() leaves out rows the span triggers write
        return self._conn.executemany(_SPAN_INSERT if documents_are_new else _SPAN_INSERT_IF_NEW, rows).rowcount

    def add_statuses(self, statuses: Sequence[NewStatus]) -> None:
        """Record statuses where none is recorded yet (an import never overrides one)."""
        now = self.now
        self._conn.executemany(_STATUS_INSERT, [(*status, now) for status in statuses])

    # -- links (tui import --links)

    def document_text(self, doc_id: str) -> str | None:
        """The stored text of a document, or None when there is no such document."""
        from tui.store.link_methods import document_text

        return document_text(self._conn, doc_id)

    def find_or_add_span(self, doc_id: str, annotator: str, label: str, start: int, end: int,
                         text: str) -> tuple[int, bool]:
        """(id, added) of `annotator`'s span with exactly these fields, added when missing."""
        from tui.store.link_methods import find_or_add_span

        return find_or_add_span(self._conn, doc_id, annotator, label, start, end, text, self.now)

    def add_link(self, annotator: str, head_span_id: int, child_span_id: int, label: str, *,
                 link_id: int | None, transitive_if_new: bool) -> bool:
        """Store a link between two spans unless it exists; True when added (see tui.store.links)."""
        from tui.store.link_methods import import_link

        return import_link(self._conn, annotator, head_span_id, child_span_id, label, link_id=link_id,
                           transitive_if_new=transitive_if_new, now=self.now)


class SnapshotDocument(NamedTuple):
    id: str
    title: str
    text: str
    language: str
    direction: str
    text_sha256: str
    meta: str
    """The stored meta, as JSON text."""


class SnapshotSpan(NamedTuple):
    annotator: str
    id: int
    start: int
    end: int
    label: str
    text: str


class ReadSnapshot:
    """Reads from one read transaction on a connection of its own (see `BulkMethods.read_snapshot`):
    what it returns is consistent, however long the reading takes and whoever writes meanwhile."""

    def __init__(self, conn: Connection, path: Path | PostgresTarget) -> None:
        self._conn = conn
        self._cursor = conn.cursor()
        self._path = path

    def documents(self) -> Iterator[SnapshotDocument]:
        """Every document, in import order (streamed)."""
        try:
            for row in stream(self._conn,
                              "SELECT id, title, text, language, direction, text_sha256, meta FROM documents ORDER BY seq"):
                yield SnapshotDocument(*row)
        except sqlite3.Error as exc:
            raise explain(exc, self._path) from exc

    def statuses(self, doc_id: str) -> dict[str, str]:
        """annotator -> status recorded for the document."""
        try:
            return dict(self._cursor.execute(
                "SELECT annotator, status FROM document_status WHERE document_id = ?", (doc_id,)).fetchall())
        except sqlite3.Error as exc:
            raise explain(exc, self._path) from exc

    def spans(self, doc_id: str) -> list[SnapshotSpan]:
        """Every annotator's spans of the document (no particular order)."""
        try:
            return [SnapshotSpan(*row) for row in self._cursor.execute(
                'SELECT annotator, id, start, "end", label, text FROM spans WHERE document_id = ?', (doc_id,))]
        except sqlite3.Error as exc:
            raise explain(exc, self._path) from exc


class BulkMethods:
    """The import/export part of `Store` (mixed in)."""

    if TYPE_CHECKING:
        path: Path | PostgresTarget
        busy_timeout_ms: int
        _lock: threading.RLock

        def _connect(self, *, readonly: bool, busy_timeout_ms: int) -> Connection: ...

        @contextmanager
        def transaction(self) -> Iterator[Connection]: ...

    @contextmanager
    def bulk_import(self) -> Iterator[ImportBatch]:
        """One long IMMEDIATE transaction for an import: everything or nothing (waits while busy)."""
        with self.transaction() as conn:
            try:
                batch = ImportBatch(conn)
            except sqlite3.Error as exc:
                raise explain(exc, self.path) from exc
            yield batch
            batch.finish()

    @contextmanager
    def read_snapshot(self) -> Iterator[ReadSnapshot]:
        """A read-only connection of its own holding one snapshot until the block ends (an export
        never blocks the app's writes nor sees half of them)."""
        timeout = self.busy_timeout_ms
        reader: Connection
        try:
            if isinstance(self.path, Path):
                reader = sqlite3.connect(f"file:{uri_path(self.path)}?mode=ro", uri=True, timeout=timeout / 1000,
                                         isolation_level=None)
                reader.execute(f"PRAGMA busy_timeout = {int(timeout)}")
            else:  # a REPEATABLE READ transaction on a read-only connection (tui.store.postgres)
                reader = self._connect(readonly=True, busy_timeout_ms=timeout)
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc
        try:
            reader.execute("BEGIN")
            yield ReadSnapshot(reader, self.path)
            reader.execute("COMMIT")
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc
        finally:
            reader.close()
