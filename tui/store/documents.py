"""Documents: the reads of the document list and texts, and the inserts of imports (one document, or a
batch inside the caller's transaction). Mixed into `Store` as `DocumentMethods`."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tui.store.dbapi import Connection
from tui.store.parts import StorePart
from tui.store import search as search_queries
from tui.store.connection import utc_now
from tui.store.errors import StoreError
from tui.store.models import Document, DocumentSummary
from tui.store.search import DocumentQuery
from tui.store.target import PostgresTarget
from tui.store.textutil import fold_for_search, like_pattern, sorted_json, text_sha256, text_sha256_strict

_TEXT_CACHE_SIZE = 16


class DocumentMethods(StorePart):
    """The document part of `Store` (mixed in): listing, reading and adding documents."""

    if TYPE_CHECKING:
        path: Path | PostgresTarget
        _lock: threading.RLock
        _texts: OrderedDict[str, str]

    def count_documents(self, search: str | None = None) -> int:
        if not search:
            return self._read(lambda c: int(c.execute("SELECT count(*) FROM documents").fetchone()[0]))
        pattern = like_pattern(fold_for_search(search))
        return self._read(
            lambda c: int(c.execute(
                "SELECT count(*) FROM documents INDEXED BY documents_listing "
                "WHERE title_folded LIKE ? ESCAPE '\\'",
                (pattern,),
            ).fetchone()[0])
        )

    def list_documents(
        self, offset: int = 0, limit: int = 200, search: str | None = None, annotator: str | None = None
    ) -> list[DocumentSummary]:
        """One page of documents in import order; reads the listing index, never the texts."""
        where, params = "", []
        if search:
            where = "WHERE d.title_folded LIKE ? ESCAPE '\\'"
            params.append(like_pattern(fold_for_search(search)))
        if annotator is None:
            counts = "(SELECT count(*) FROM spans s WHERE s.document_id = d.id)"
            status = "'todo'"
        else:
            counts = "(SELECT count(*) FROM spans s WHERE s.document_id = d.id AND s.annotator = :ann)"
            status = (
                "coalesce((SELECT st.status FROM document_status st "
                "WHERE st.document_id = d.id AND st.annotator = :ann), 'todo')"
            )
        sql = (
            f"SELECT d.id, d.title, d.language, d.direction, d.length, {counts}, {status} "
            f"FROM documents AS d INDEXED BY documents_listing {where} ORDER BY d.seq LIMIT :limit OFFSET :offset"
        )
        named: dict[str, Any] = {"ann": annotator, "limit": int(limit), "offset": max(0, int(offset))}
        if params:
            sql = sql.replace("LIKE ?", "LIKE :pattern")
            named["pattern"] = params[0]
        rows = self._read(lambda c: c.execute(sql, named).fetchall())
        return [DocumentSummary(*row) for row in rows]

    def get_document(self, doc_id: str) -> Document:
        row = self._read(
            lambda c: c.execute(
                "SELECT id, title, text, language, direction, length, source, text_sha256, imported_at, meta "
                "FROM documents WHERE id = ?",
                (doc_id,),
            ).fetchone()
        )
        if row is None:
            raise StoreError(f"no document with id {doc_id!r} in {self.path}.")
        doc_id_, title, text, language, direction, length, source, sha, imported_at, meta = row
        doc = Document(doc_id_, title, text, language, direction, length, source, sha, imported_at, json.loads(meta))
        self._remember_text(doc.id, doc.text)
        return doc

    def has_document(self, doc_id: str) -> bool:
        """Whether `doc_id` is stored (reads the id index only, never the text)."""
        return self._read(
            lambda c: c.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone()
        ) is not None

    def neighbour_document(self, doc_id: str, step: int = 1) -> str | None:
        """The id `step` places after (or before, if negative) `doc_id` in list order, or None."""
        if step == 0:
            return doc_id

        def query(c: Connection) -> str | None:
            seq = c.execute("SELECT seq FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if seq is None:
                raise StoreError(f"no document with id {doc_id!r} in {self.path}.")
            if step > 0:
                sql = "SELECT id FROM documents WHERE seq > ? ORDER BY seq LIMIT 1 OFFSET ?"
            else:
                sql = "SELECT id FROM documents WHERE seq < ? ORDER BY seq DESC LIMIT 1 OFFSET ?"
            row = c.execute(sql, (seq[0], abs(step) - 1)).fetchone()
            return None if row is None else row[0]

        return self._read(query)

    def add_document(
        self, text: str, *, title: str, language: str, direction: str, source: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> tuple[str, bool]:
        """Store one document (text exactly as given); returns (id, added). Same text -> same id, no-op."""
        return self._write(
            lambda c: insert_document(c, text, title=title, language=language, direction=direction,
                                      source=source, meta=meta or {})
        )

    def _text(self, c: Connection, doc_id: str) -> str:
        text = self._texts.get(doc_id)
        if text is not None:
            self._texts.move_to_end(doc_id)
            return text
        row = c.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise StoreError(f"no document with id {doc_id!r} in {self.path}.")
        stored: str = row[0]
        self._remember_text(doc_id, stored)
        return stored

    def _remember_text(self, doc_id: str, text: str) -> None:
        with self._lock:
            self._texts[doc_id] = text
            self._texts.move_to_end(doc_id)
            while len(self._texts) > _TEXT_CACHE_SIZE:
                self._texts.popitem(last=False)

    def count_matching(self, query: DocumentQuery) -> int:
        """How many documents the picker's query (filters, title and full-text search) matches."""
        return self._read(lambda c: search_queries.count(c, query))

    def find_documents(self, query: DocumentQuery, offset: int = 0, limit: int = 200) -> list[DocumentSummary]:
        """One page (import order) of the documents the picker's query matches."""
        return self._read(lambda c: search_queries.page(c, query, offset, limit))

    def languages(self) -> list[str]:
        return self._read(search_queries.languages)

    # -- the full-text index, built after big imports (tui.store.search) ------------------------

    def search_index_lags(self) -> bool:
        """True when the full-text index lacks a document (never on PostgreSQL); cheap, unlike
        `search_index_progress`, which counts."""
        if isinstance(self.path, PostgresTarget):
            return False
        return self._read(search_queries.index_lags)

    def search_index_progress(self) -> tuple[int, int]:
        """(documents the full-text index holds, documents): equal once it is complete (always on
        PostgreSQL, which indexes each document as it is inserted)."""
        if isinstance(self.path, PostgresTarget):
            total = self.count_documents()
            return total, total
        return self._read(search_queries.index_progress)

    def annotation_stamp(self) -> tuple[Any, ...] | None:
        """A cheap stamp (b-tree probes only) of what the app's panes show that moves with (nearly)
        every write but the search index's: the AUTOINCREMENT counters (every action of the app
        appends an event; spans, candidates and links imported or suggested take new ids), the last
        document and the last status row (an import's statuses are new rows). The poll compares it
        while the background indexer commits (tui.ui.refresh.QuietIndexCommits); None on PostgreSQL
        (its changes are notified, tui.store.changes)."""
        if isinstance(self.path, PostgresTarget):
            return None
        return self._read(lambda c: tuple(c.execute(
            "SELECT (SELECT group_concat(name || '=' || seq) FROM sqlite_sequence), "
            "(SELECT max(seq) FROM documents), (SELECT max(rowid) FROM document_status)").fetchone()))

    def index_search_chunk(self, limit: int = search_queries.INDEX_CHUNK) -> tuple[int, int]:
        """Index the next `limit` documents the full-text index lacks, in one short IMMEDIATE
        transaction of its own (two processes doing it at once never index one twice); returns
        (indexed so far, documents). Stopping between chunks loses nothing: the next call goes on."""
        if isinstance(self.path, PostgresTarget):
            return self.search_index_progress()
        return self._write(lambda c: search_queries.index_next(c, limit))


def insert_document(
    c: Connection, text: str, *, title: str, language: str, direction: str, source: str | None,
    meta: dict[str, Any], imported_at: str | None = None,
) -> tuple[str, bool]:
    """Insert a document unless the same text is already stored; returns (id, added). Inside a transaction."""
    if direction not in ("ltr", "rtl"):
        raise StoreError(f"direction must be 'ltr' or 'rtl', got {direction!r}.")
    digest = text_sha256(text)
    doc_id = digest[:16]
    try:
        cursor = c.execute(
            "INSERT INTO documents (id, title, title_folded, text, language, direction, length, source, text_sha256, "
            "imported_at, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (doc_id, title, fold_for_search(title), text, language, direction, len(text), source, digest,
             imported_at or utc_now(), sorted_json(meta)),
        )
    except UnicodeEncodeError as exc:  # a lone surrogate cannot be stored as UTF-8
        raise StoreError(f"the document cannot be stored: it contains a lone surrogate "
                         f"(U+{ord(exc.object[exc.start]):04X}); fix the source text.") from None
    if cursor.rowcount == 0:
        existing = c.execute("SELECT text_sha256 FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if existing is not None and existing[0] != digest:
            raise StoreError(f"document id collision on {doc_id} (different texts share a sha256 prefix).")
        return doc_id, False
    return doc_id, True


class NewDocument(NamedTuple):
    """A document for `insert_documents`: the text exactly as it will be stored."""

    text: str
    title: str
    language: str
    direction: str
    source: str | None
    meta: dict[str, Any]
    text_sha256: str | None = None  # hex sha256 of the UTF-8 text, when the caller already hashed it


class DocumentRejected(StoreError):
    """`insert_documents` could not store documents[index]; the message says why."""

    def __init__(self, index: int, message: str) -> None:
        self.index = index
        super().__init__(message)


_INSERT_DOCUMENT = (
    "INSERT INTO documents (id, title, title_folded, text, language, direction, length, source, text_sha256, "
    "imported_at, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def insert_documents(
    c: Connection, documents: Sequence[NewDocument], *, imported_at: str | None = None
) -> list[tuple[str, bool]]:
    """Insert a batch of documents inside the caller's transaction; (id, added) for each, in order.

    The same result as `insert_document` on each in turn (a text already stored, or earlier in the
    batch, is not added again), with one SELECT for the batch's ids and one `executemany`.
    DocumentRejected(index) names the first document that cannot be stored; the rows of the batch
    written before it are then still in the transaction (the caller rolls the whole transaction back).
    """
    imported_at = imported_at or utc_now()
    results: list[tuple[str, bool]] = []
    rows: list[tuple[Any, ...]] = []
    row_index: list[int] = []  # documents[] index of each row
    prepared: list[tuple[str, str]] = []
    for index, doc in enumerate(documents):
        if doc.direction not in ("ltr", "rtl"):
            raise DocumentRejected(index, f"direction must be 'ltr' or 'rtl', got {doc.direction!r}.")
        digest = doc.text_sha256
        if digest is None:
            try:
                digest = text_sha256_strict(doc.text)
            except UnicodeEncodeError as exc:
                raise DocumentRejected(index, _surrogate_message(exc)) from None
        prepared.append((digest[:16], digest))
    stored: dict[str, str] = {}
    ids = [doc_id for doc_id, _ in prepared]
    for start in range(0, len(ids), 500):  # well under SQLite's limit on bound variables
        part = ids[start:start + 500]
        stored.update(c.execute(
            f"SELECT id, text_sha256 FROM documents WHERE id IN ({', '.join('?' * len(part))})", part
        ).fetchall())
    for index, (doc, (doc_id, digest)) in enumerate(zip(documents, prepared)):
        existing = stored.get(doc_id)
        if existing is not None:
            if existing != digest:
                raise DocumentRejected(
                    index, f"document id collision on {doc_id} (different texts share a sha256 prefix).")
            results.append((doc_id, False))
            continue
        stored[doc_id] = digest
        rows.append((doc_id, doc.title, fold_for_search(doc.title), doc.text, doc.language, doc.direction,
                     len(doc.text), doc.source, digest, imported_at, sorted_json(doc.meta)))
        row_index.append(index)
        results.append((doc_id, True))
    if rows:
        try:
            c.executemany(_INSERT_DOCUMENT, rows)
        except (sqlite3.IntegrityError, UnicodeEncodeError) as exc:
            # executemany stops at the refused row (a CHECK such as json_valid(meta) on NaN); the rows
            # before it are in: the first row of the batch not stored is the one to name.
            present = {row[0] for start in range(0, len(rows), 500) for row in c.execute(
                f"SELECT id FROM documents WHERE id IN ({', '.join('?' * len(rows[start:start + 500]))})",
                [r[0] for r in rows[start:start + 500]])}
            index = next((i for row, i in zip(rows, row_index) if row[0] not in present), row_index[-1])
            if isinstance(exc, UnicodeEncodeError):
                raise DocumentRejected(index, _surrogate_message(exc)) from None
            raise DocumentRejected(index, f"the database refused the document ({exc}).") from None
    return results


def _surrogate_message(exc: UnicodeEncodeError) -> str:
    return (f"the document cannot be stored: it contains a lone surrogate "
            f"(U+{ord(exc.object[exc.start]):04X}); fix the source text.")
