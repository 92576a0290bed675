"""The repository: every read and write the app and the CLI make.

Each write is one ``BEGIN IMMEDIATE`` transaction that changes the span and appends its
event row together, committed before the method returns. Undo/redo history is the
events table itself, so it survives restarts and is shared by every process.

Candidates (spans of another source shown to an annotator for accept/reject; tui.store.candidates):
a source is an annotator (their spans) or a process that stored rows in `candidates` under its own
name (`suggest:NAME`), which are nobody's spans; decisions live in `candidate_decisions`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from tui.store.connection import (
    DEFAULT_BUSY_TIMEOUT_MS,
    check_file_before_open,
    forget_open,
    remember_open,
    connect,
    damaged_error,
    explain,
    immediate_transaction,
    is_busy,
    migrate,
    retry_busy,
    uri_path,
    utc_now,
)
from tui.safe_text import label_key_problem, label_name_problem, safe_repr
from tui.store import history
from tui.store.agreement import AgreementQueries
from tui.store.bulk import BulkMethods
from tui.store.candidates import CandidateMethods
from tui.store import labels as label_edits
from tui.store import progress as progress_queries
from tui.store import search as search_queries
from tui.store.search import DocumentQuery
from tui.store.progress import Progress
from tui.store.errors import StoreError
from tui.store.history import SPAN_COLUMNS, loads, record_event, span_from_row, span_state
from tui.store.links import LinksMixin, detach_span_links
from tui.store.stats import StatsQueries
from tui.store.suggestions import SuggestMethods
from tui.store.view_directions import ViewDirectionMethods
from tui.store.models import STATUSES, Document, DocumentSummary, Event, Label, Span
from tui.store.schema import DEFAULT_LABELS, EXTRA_LABEL_COLOURS, SCHEMA_VERSION
from tui.store.textutil import (
    document_id_for, fold_for_search, like_pattern, sorted_json, text_sha256, text_sha256_strict,
)

if TYPE_CHECKING:
    import sqlite_utils

T = TypeVar("T")

_TEXT_CACHE_SIZE = 16


class Store(CandidateMethods, LinksMixin, AgreementQueries, SuggestMethods, ViewDirectionMethods, BulkMethods, StatsQueries):
    """An open annotation database. Thread-safe (one lock per Store); one per process is typical.

    Link methods (add_link, delete_link, links, link_rows, ...) come from `tui.store.links.LinksMixin`;
    candidates from `tui.store.candidates.CandidateMethods`; agreement reads from
    `tui.store.agreement.AgreementQueries`; reading-direction overrides (view_directions,
    set_view_direction) from `tui.store.view_directions.ViewDirectionMethods`.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, *, readonly: bool, busy_timeout_ms: int) -> None:
        self._conn = conn
        self.path = path
        self._open_key = remember_open(conn, path)  # see connection.read_head: POSIX locks
        self.readonly = readonly
        self.busy_timeout_ms = busy_timeout_ms
        self._lock = threading.RLock()
        self.last_write_error: sqlite3.Error | None = None  # the last failed write's error (damage checks)
        self.keep_waiting: Callable[[float], bool] | None = None
        """Set by the app's writer thread: called with the seconds waited while another process
        holds the write lock past the busy timeout; True = keep waiting (see _retry_while_waiting)."""
        self._texts: OrderedDict[str, str] = OrderedDict()  # document id -> text (texts never change)
        self._db: sqlite_utils.Database | None = None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls, path: str | Path, *, readonly: bool = False, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
    ) -> Store:
        """Open (creating or migrating) the database at `path`; StoreError with a clear message if not."""
        path = Path(path)
        check_file_before_open(path)
        if readonly and not path.exists():
            raise StoreError(f"{path} does not exist. Import documents first: tui import --db {path} FILES...")
        created = [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")
                   if not Path(f"{path}{suffix}").exists()]
        try:
            return cls._open(path, readonly=readonly, busy_timeout_ms=busy_timeout_ms)
        except BaseException:
            if created and created[0] == path:
                _remove_failed_new_database(path, created)
            raise

    @classmethod
    def _open(cls, path: Path, *, readonly: bool, busy_timeout_ms: int) -> Store:
        conn = connect(path, readonly=readonly, busy_timeout_ms=busy_timeout_ms)
        try:
            if readonly:
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
                if version != SCHEMA_VERSION:
                    raise StoreError(
                        f"{path} has schema v{version}, this tui needs v{SCHEMA_VERSION}. "
                        "Open it once without read-only access to migrate it."
                    )
            else:
                retry_busy(lambda: migrate(conn, _seed), busy_timeout_ms)
        except sqlite3.Error as exc:
            conn.close()
            raise explain(exc, path) from exc
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, readonly=readonly, busy_timeout_ms=busy_timeout_ms)

    def another_connection(self, *, readonly: bool = False, busy_timeout_ms: int | None = None) -> Store:
        """Another Store on this same, already opened and migrated file (the app's writer thread,
        a background check). Opened by SQLite alone, without the header checks of `open`: a file
        SQLite holds open in this process must never be opened and closed with Python's open() —
        closing that descriptor drops every POSIX lock the process holds on the file, SQLite's
        included, and another process may then take the file for its last user and delete the
        -wal with our commits in it."""
        timeout = self.busy_timeout_ms if busy_timeout_ms is None else busy_timeout_ms
        conn = connect(self.path, readonly=readonly, busy_timeout_ms=timeout)
        return Store(conn, self.path, readonly=readonly, busy_timeout_ms=timeout)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            forget_open(self._open_key)
            self._open_key = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self) -> sqlite_utils.Database:
        """A sqlite-utils view of the same connection, for ad-hoc reads (imported lazily: it is slow to import)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self._conn, execute_plugins=False, recursive_triggers=False)
        return self._db

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection (autocommit mode; use `transaction()` to write)."""
        return self._conn

    # ------------------------------------------------------------ transactions

    def _read(self, action: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            try:
                return retry_busy(lambda: action(self._conn), self.busy_timeout_ms)
            except sqlite3.Error as exc:
                raise explain(exc, self.path) from exc

    def _write(self, action: Callable[[sqlite3.Connection], T]) -> T:
        """Run `action` in its own BEGIN IMMEDIATE transaction, retried while the database is busy."""
        if self.readonly:
            raise StoreError(f"{self.path} was opened read-only; cannot save changes.")

        def attempt() -> T:
            with immediate_transaction(self._conn):
                return action(self._conn)

        with self._lock:
            try:
                return self._retry_while_waiting(attempt)
            except sqlite3.Error as exc:
                self.last_write_error = exc
                raise explain(exc, self.path) from exc

    def _retry_while_waiting(self, attempt: Callable[[], T]) -> T:
        """retry_busy, and then, while `keep_waiting(seconds waited)` says so, again: the app's
        writer thread waits for a lock as long as it takes (showing how long), never giving up
        on an action by itself. Without the hook: StoreError after twice the busy timeout."""
        started = time.monotonic()
        while True:
            try:
                return retry_busy(attempt, self.busy_timeout_ms)
            except sqlite3.OperationalError as exc:
                keep_waiting = self.keep_waiting
                if keep_waiting is None or not is_busy(exc) or not keep_waiting(time.monotonic() - started):
                    raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One long IMMEDIATE transaction (used by imports: all or nothing). Waits while busy."""
        if self.readonly:
            raise StoreError(f"{self.path} was opened read-only; cannot save changes.")
        with self._lock:
            try:
                self._retry_while_waiting(lambda: self._conn.execute("BEGIN IMMEDIATE"))
            except sqlite3.Error as exc:
                raise explain(exc, self.path) from exc
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise explain(exc, self.path) from exc
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def quick_check(self) -> list[str]:
        """PRAGMA quick_check: [] when the file is sound, else SQLite's first problems (a file
        that cannot even be read that far counts as one problem)."""
        try:
            rows = self._read(lambda c: [str(row[0]) for row in c.execute("PRAGMA quick_check(10)")])
        except StoreError as exc:
            return [str(exc.__cause__ or exc)]
        return [] if rows == ["ok"] else rows

    def require_sound(self) -> None:
        """StoreError (saying what to do) when quick_check finds the file damaged: nothing may
        be written into a file known to be damaged."""
        problems = self.quick_check()
        if problems:
            raise damaged_error(self.path, problems[0])

    def data_version(self) -> int:
        """Changes whenever another connection commits (PRAGMA data_version): poll it to refresh."""
        return self._read(lambda c: int(c.execute("PRAGMA data_version").fetchone()[0]))

    # --------------------------------------------------------------- documents

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

        def query(c: sqlite3.Connection) -> str | None:
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

    def _text(self, c: sqlite3.Connection, doc_id: str) -> str:
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

    # ------------------------------------------------------------------- spans

    def spans(self, doc_id: str, annotator: str | None = None) -> list[Span]:
        """Spans of a document (one annotator's, or everyone's), by start then longest first."""
        if annotator is None:
            sql = f'SELECT {SPAN_COLUMNS} FROM spans WHERE document_id = ? ORDER BY start, "end" DESC, label, id'
            params: tuple[str, ...] = (doc_id,)
        else:
            sql = (f"SELECT {SPAN_COLUMNS} FROM spans WHERE document_id = ? AND annotator = ? "
                   'ORDER BY start, "end" DESC, label, id')
            params = (doc_id, annotator)
        return [span_from_row(r) for r in self._read(lambda c: c.execute(sql, params).fetchall())]

    def get_span(self, span_id: int) -> Span | None:
        row = self._read(lambda c: c.execute(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,)).fetchone())
        return None if row is None else span_from_row(row)

    def add_span(self, doc_id: str, annotator: str, label: str, start: int, end: int) -> Span:
        """Save a new span (committed when this returns). A 'todo' document becomes 'in_progress'."""
        _check_annotator(annotator)

        def action(c: sqlite3.Connection) -> Span:
            self._check_label(c, label)
            text = self._checked_range(c, doc_id, start, end)
            now = utc_now()
            try:
                cursor = c.execute(
                    'INSERT INTO spans (document_id, annotator, label, start, "end", text, created_at, updated_at) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (doc_id, annotator, label, start, end, text, now, now),
                )
            except sqlite3.IntegrityError as exc:
                raise StoreError(
                    f"{annotator} already has a {label!r} span at {start}-{end} in this document."
                ) from exc
            assert cursor.lastrowid is not None  # an INSERT
            span = Span(cursor.lastrowid, doc_id, annotator, label, start, end, text, now, now)
            record_event(c, "add", doc_id, annotator, span.id, None, span_state(span), now=now)
            current = c.execute(
                "SELECT status FROM document_status WHERE document_id = ? AND annotator = ?", (doc_id, annotator)
            ).fetchone()
            if current is None or current[0] == "todo":
                _write_status(c, doc_id, annotator, "in_progress", "todo" if current is None else current[0], now)
            return span

        return self._write(action)

    def delete_span(self, span_id: int, annotator: str) -> Span:
        """Delete a span and its links (kept in the event: undo restores both); returns it as it was."""

        def action(c: sqlite3.Connection) -> Span:
            span = _owned_span(c, span_id, annotator)
            before = span_state(span)
            links = detach_span_links(c, span_id)
            if links and before is not None:
                before["links"] = links
            c.execute("DELETE FROM spans WHERE id = ?", (span_id,))
            record_event(c, "delete", span.document_id, annotator, span.id, before, None)
            return span

        return self._write(action)

    def relabel_span(self, span_id: int, label: str, annotator: str) -> Span:
        """Give a span another label; returns the updated span."""

        def action(c: sqlite3.Connection) -> Span:
            self._check_label(c, label)
            span = _owned_span(c, span_id, annotator)
            if span.label == label:
                return span
            now = utc_now()
            try:
                c.execute("UPDATE spans SET label = ?, updated_at = ? WHERE id = ?", (label, now, span_id))
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"{annotator} already has a {label!r} span at {span.start}-{span.end}.") from exc
            new = Span(span.id, span.document_id, span.annotator, label, span.start, span.end, span.text,
                       span.created_at, now)
            record_event(c, "relabel", span.document_id, annotator, span.id, span_state(span), span_state(new), now=now)
            return new

        return self._write(action)

    def resize_span(self, span_id: int, start: int, end: int, annotator: str, *, batch: str | None = None) -> Span:
        """Move a span's boundaries; returns the updated span. Resizes sharing a `batch` token (a held
        key's burst) are undone and redone as one step."""

        def action(c: sqlite3.Connection) -> Span:
            span = _owned_span(c, span_id, annotator)
            if (span.start, span.end) == (start, end):
                return span
            text = self._checked_range(c, span.document_id, start, end)
            now = utc_now()
            try:
                c.execute('UPDATE spans SET start = ?, "end" = ?, text = ?, updated_at = ? WHERE id = ?',
                          (start, end, text, now, span_id))
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"{annotator} already has a {span.label!r} span at {start}-{end}.") from exc
            new = Span(span.id, span.document_id, span.annotator, span.label, start, end, text, span.created_at, now)
            after = span_state(new)
            if batch is not None and after is not None:
                after["batch"] = batch
            record_event(c, "resize", span.document_id, annotator, span.id, span_state(span), after, now=now)
            return new

        return self._write(action)

    def _checked_range(self, c: sqlite3.Connection, doc_id: str, start: int, end: int) -> str:
        text = self._text(c, doc_id)
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            raise StoreError(f"span offsets must be integers, got {start!r}-{end!r}.")
        if not 0 <= start < end <= len(text):
            raise StoreError(f"span {start}-{end} is outside the document (0-{len(text)}) or empty.")
        covered = text[start:end]
        if not covered.strip():
            raise StoreError(f"span {start}-{end} covers only whitespace; select some text.")
        return covered

    def _check_label(self, c: sqlite3.Connection, label: str) -> None:
        if c.execute("SELECT 1 FROM labels WHERE name = ?", (label,)).fetchone() is None:
            names = ", ".join(r[0] for r in c.execute("SELECT name FROM labels ORDER BY position, name"))
            raise StoreError(f"unknown label {label!r}; known labels: {names}.")

    # ------------------------------------------------------------- undo / redo

    def undo(self, annotator: str, doc_id: str) -> Event | None:
        """Undo `annotator`'s latest not-yet-undone span action in `doc_id`; None if nothing to undo."""
        return self._write(lambda c: history.undo(c, annotator, doc_id))

    def redo(self, annotator: str, doc_id: str) -> Event | None:
        """Re-apply the action most recently undone, unless a new action came since; None if nothing."""
        return self._write(lambda c: history.redo(c, annotator, doc_id))

    def history(self, doc_id: str, annotator: str | None = None) -> list[Event]:
        """The audit trail of a document, oldest first."""
        sql = ("SELECT id, action, document_id, annotator, span_id, before, after, target_event_id, created_at "
               "FROM events WHERE document_id = ?")
        params: tuple[str, ...] = (doc_id,)
        if annotator is not None:
            sql += " AND annotator = ?"
            params = (doc_id, annotator)
        rows = self._read(lambda c: c.execute(sql + " ORDER BY id", params).fetchall())
        return [Event(r[0], r[1], r[2], r[3], r[4], loads(r[5]), loads(r[6]), r[7], r[8]) for r in rows]

    # ---------------------------------------------------------------- statuses

    def set_status(self, doc_id: str, annotator: str, status: str) -> None:
        """Record `annotator`'s progress on a document: todo, in_progress, done or skipped."""
        _check_annotator(annotator)
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}.")

        def action(c: sqlite3.Connection) -> None:
            self._text(c, doc_id)  # the document must exist
            row = c.execute(
                "SELECT status FROM document_status WHERE document_id = ? AND annotator = ?", (doc_id, annotator)
            ).fetchone()
            previous = "todo" if row is None else row[0]
            if previous != status or row is None:
                _write_status(c, doc_id, annotator, status, previous, utc_now())

        self._write(action)

    def status(self, doc_id: str, annotator: str) -> str:
        row = self._read(
            lambda c: c.execute(
                "SELECT status FROM document_status WHERE document_id = ? AND annotator = ?", (doc_id, annotator)
            ).fetchone()
        )
        return "todo" if row is None else row[0]

    # ------------------------------------------------------------------ labels

    def labels(self) -> list[Label]:
        rows = self._read(
            lambda c: c.execute("SELECT name, key, colour, description FROM labels ORDER BY position, name").fetchall()
        )
        return [Label(*row) for row in rows]

    def add_label(self, name: str, key: str | None = None, colour: str | None = None, description: str = "") -> Label:
        """Add a label (or return the existing one of that name)."""
        if not name or not name.strip():
            raise StoreError("a label needs a name.")
        problem = label_name_problem(name) or (label_key_problem(key) if key is not None else None)
        if problem is not None:
            raise StoreError(f"cannot add label {safe_repr(name, 40)}: {problem}.")
        return self._write(lambda c: ensure_label(c, name, key=key, colour=colour, description=description))

    # Label edits (tui.store.labels): one transaction each, recorded as label_* events.

    def create_label(self, name: str, annotator: str, *, key: str | None = None, colour: str | None = None,
                     description: str = "") -> Label:
        """Add a new label (StoreError if the name or key is taken)."""
        _check_annotator(annotator)
        return self._write(lambda c: label_edits.add(c, name, annotator, key=key, colour=colour,
                                                     description=description))

    def rename_label(self, old: str, new: str, annotator: str) -> tuple[Label, int]:
        """Rename a label and every span that has it; (the label, spans renamed)."""
        _check_annotator(annotator)
        return self._write(lambda c: label_edits.rename(c, old, new, annotator))

    def update_label(self, name: str, annotator: str, *, key: str | None | bool = False,
                     colour: str | None = None, description: str | None = None) -> Label:
        """Set a label's key (None: no key; False: unchanged), colour or description."""
        _check_annotator(annotator)
        return self._write(lambda c: label_edits.update(c, name, annotator, key=key, colour=colour,
                                                        description=description))

    def delete_label(self, name: str, annotator: str) -> Label:
        """Delete a label no span uses."""
        _check_annotator(annotator)
        return self._write(lambda c: label_edits.delete(c, name, annotator))

    def label_usage(self) -> dict[str, int]:
        """Spans per label, every label present."""
        return self._read(label_edits.usage)

    def label_events(self) -> list[Event]:
        """The label_* events (edits of the label list), oldest first."""
        rows = self._read(lambda c: c.execute(
            "SELECT id, action, document_id, annotator, span_id, before, after, target_event_id, created_at "
            "FROM events WHERE document_id IS NULL ORDER BY id").fetchall())
        return [Event(r[0], r[1], r[2], r[3], r[4], loads(r[5]), loads(r[6]), r[7], r[8]) for r in rows]

    def count_matching(self, query: DocumentQuery) -> int:
        """How many documents the picker's query (filters, title and full-text search) matches."""
        return self._read(lambda c: search_queries.count(c, query))

    def find_documents(self, query: DocumentQuery, offset: int = 0, limit: int = 200) -> list[DocumentSummary]:
        """One page (import order) of the documents the picker's query matches."""
        return self._read(lambda c: search_queries.page(c, query, offset, limit))

    def languages(self) -> list[str]:
        return self._read(search_queries.languages)

    def progress(self, annotator: str) -> Progress:
        """How far `annotator` is: documents done, skipped, in progress, and in all."""
        return self._read(lambda c: progress_queries.progress(c, annotator))

    def next_todo(self, annotator: str, after: str | None = None) -> str | None:
        """The next article (after `after`, wrapping round) not yet done or skipped by `annotator`."""
        return self._read(lambda c: progress_queries.next_todo(c, annotator, after))

    def annotators(self) -> list[str]:
        """Everyone with a span or a status in this database, sorted."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT annotator FROM spans GROUP BY annotator UNION SELECT annotator FROM document_status "
                "ORDER BY 1"
            ).fetchall()
        )
        return [r[0] for r in rows]


# ---------------------------------------------------------------------- helpers


def _remove_failed_new_database(path: Path, created: list[Path]) -> None:
    """A database this call was creating could not be set up (a full disk, say): remove the files it
    left (the main file only while it is still empty), so no 0-byte "database" stays behind."""
    try:
        if path.exists() and path.stat().st_size > 0 and _has_objects(path):
            return  # a database with tables (someone else's, created meanwhile): leave it
        for file in created:
            file.unlink(missing_ok=True)
    except OSError:
        pass


def _has_objects(path: Path) -> bool:
    """True unless `path` is a database with nothing in it (what an interrupted creation leaves)."""
    try:
        conn = sqlite3.connect(f"file:{uri_path(path)}?mode=ro", uri=True, timeout=1)
        try:
            return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return True  # cannot tell: keep it


def _check_annotator(annotator: str) -> None:
    if not isinstance(annotator, str) or not annotator.strip():
        raise StoreError("an annotator name is required (use --annotator NAME).")


def _owned_span(c: sqlite3.Connection, span_id: int, annotator: str) -> Span:
    row = c.execute(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,)).fetchone()
    if row is None:
        raise StoreError(f"span {span_id} no longer exists (deleted in another session?). Reload the document.")
    span = span_from_row(row)
    if span.annotator != annotator:
        raise StoreError(f"span {span_id} belongs to {span.annotator}; {annotator} cannot change it.")
    return span


def _write_status(c: sqlite3.Connection, doc_id: str, annotator: str, status: str, previous: str, now: str) -> None:
    c.execute(
        "INSERT INTO document_status (document_id, annotator, status, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (document_id, annotator) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
        (doc_id, annotator, status, now),
    )
    record_event(c, "status", doc_id, annotator, None, {"status": previous}, {"status": status}, now=now)


def _seed(c: sqlite3.Connection, version: int) -> None:
    """Rows a migration step adds besides the schema (run inside the migration's transaction)."""
    if version == 6:
        label_edits.allow_label_events(c)
    if version == 1:
        for position, (name, key, colour, description) in enumerate(DEFAULT_LABELS):
            c.execute(
                "INSERT OR IGNORE INTO labels (name, key, colour, description, position) VALUES (?, ?, ?, ?, ?)",
                (name, key, colour, description, position),
            )


def ensure_label(
    c: sqlite3.Connection, name: str, *, key: str | None = None, colour: str | None = None, description: str = ""
) -> Label:
    """The label called `name`, created (with the next free colour) if missing. Inside a transaction."""
    row = c.execute("SELECT name, key, colour, description FROM labels WHERE name = ?", (name,)).fetchone()
    if row is not None:
        return Label(*row)
    count, position = c.execute("SELECT count(*), coalesce(max(position), -1) + 1 FROM labels").fetchone()
    colour = colour or EXTRA_LABEL_COLOURS[count % len(EXTRA_LABEL_COLOURS)]
    if key is not None and c.execute("SELECT 1 FROM labels WHERE key = ?", (key,)).fetchone():
        key = None
    c.execute(
        "INSERT INTO labels (name, key, colour, description, position) VALUES (?, ?, ?, ?, ?)",
        (name, key, colour, description, position),
    )
    return Label(name, key, colour, description)


def insert_document(
    c: sqlite3.Connection, text: str, *, title: str, language: str, direction: str, source: str | None,
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
    c: sqlite3.Connection, documents: Sequence[NewDocument], *, imported_at: str | None = None
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


__all__ = ["Store", "insert_document", "insert_documents", "NewDocument", "DocumentRejected", "ensure_label",
           "document_id_for"]
