"""The PostgreSQL backend: a psycopg 3 connection shaped like the sqlite3 one the store is written
against, and the PostgreSQL schema.

Why an adapter rather than a second copy of every query: the store's ~190 statements are plain SQL
that both databases run alike once the parameter style is translated. `PgConnection` translates
that mechanically (`?`, `?1`, `:name` -> psycopg's `%s` / `%(name)s`, `%` -> `%%`, SQLite's
`INDEXED BY` hints dropped) and gives the store what sqlite3 gives it: `lastrowid` (a `RETURNING` of
the table's key), `rowcount`, tuple rows, a failed statement that undoes only itself inside a
transaction (every data-changing statement runs under a SAVEPOINT, as SQLite's statement journal
does), `executemany` that stops at the refused row with the rows before it kept, and sqlite3's
exception classes (`IntegrityError` for constraints, `OperationalError` with SQLITE_BUSY for a lock
wait that timed out), so every `except sqlite3.IntegrityError` and busy retry in the store means the
same on both. What really differs is written by hand here, once per concern:

* the schema (`SCHEMA`): the same tables, columns, keys, CHECKs, foreign keys, views and triggers as
  SQLite's at SCHEMA_VERSION. Text columns use the "C" collation, so ORDER BY, GROUP BY and
  UNION sort and compare code points as SQLite's BINARY collation does, whatever the server's locale.
  JSON columns stay text (byte-identical to what was written) with a validity CHECK.
* ids: SQLite's AUTOINCREMENT (never reused, advanced by ignored inserts, rolled back with the
  transaction) is a counter row in `tui_sequences` bumped by a BEFORE INSERT trigger, not a
  PostgreSQL sequence (sequences are not transactional: a refused insert would burn an id and the two
  backends would number spans differently). `documents.seq` is max + 1, like an INTEGER PRIMARY KEY.
* writes: `BEGIN IMMEDIATE` is `BEGIN` + `pg_advisory_xact_lock` on one key per database: write
  transactions queue one at a time exactly as SQLite's single write lock makes them, so every
  check-then-write in the store (uniqueness of links, undo's "is the span still as recorded", label
  positions) sees the same state as on SQLite, with no serialization failures to retry; readers
  are never blocked (MVCC). `lock_timeout` is the busy timeout. A plain `BEGIN` (the store's
  multi-statement reads) is REPEATABLE READ: one snapshot, as a SQLite read transaction.
* search: the FTS5 index becomes `documents_search`, the words of the title and text as SQLite's
  unicode61 tokenizer splits and folds them, computed in Python when a document is inserted (the
  adapter plays the role of SQLite's FTS trigger; see tui.store.search), queried with LIKE (trigram
  index when pg_trgm can be created).
* the schema version: `max(version)` of `schema_migrations` (SQLite: PRAGMA user_version). A new
  database gets the whole schema in one transaction with the rows of every migration it contains.

psycopg is imported only when a PostgreSQL target is opened, so SQLite users need not install it.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from tui.store.dbapi import Connection
from tui.store.errors import StoreError
from tui.store.schema import DEFAULT_LABELS, EVENT_ACTIONS, MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    import psycopg

    from tui.store.target import PostgresTarget

INSTALL_HINT = "PostgreSQL support needs psycopg: pip install 'tui-annotate[postgres]'"

WRITE_LOCK_KEY = 0x7475_6961_6E6E  # "tuiann": the one advisory lock every write transaction takes

BASELINE_VERSION = 10
"""The schema version `SCHEMA` creates. A later migration N adds its PostgreSQL step to
`MIGRATIONS_AFTER_BASELINE` (tests check there is one for every SQLite migration above this)."""

MIGRATIONS_AFTER_BASELINE: dict[int, str] = {}
"""version -> PostgreSQL DDL of that migration (same number and meaning as the SQLite one)."""


def import_psycopg() -> Any:
    """psycopg, or StoreError with the one line that says how to install it."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(INSTALL_HINT) from None
    return psycopg


# ---------------------------------------------------------------------------------- errors


class PgIntegrityError(sqlite3.IntegrityError):
    """A constraint PostgreSQL enforced (unique, check, foreign key, not null, the events triggers)."""


class PgOperationalError(sqlite3.OperationalError):
    """The server, the connection or a lock wait failed (SQLITE_BUSY code for lock timeouts)."""


class PgDatabaseError(sqlite3.DatabaseError):
    """Any other error PostgreSQL reported."""


PG_ERRORS = (PgIntegrityError, PgOperationalError, PgDatabaseError)

_BUSY_STATES = {"55P03", "40P01", "40001"}  # lock_not_available, deadlock_detected, serialization_failure


def translate_error(exc: BaseException) -> sqlite3.DatabaseError:
    """The sqlite3-shaped exception for a psycopg error; the original stays as `.postgres`."""
    state = getattr(exc, "sqlstate", None) or ""
    message = _message(exc, state)
    error: sqlite3.DatabaseError
    if state.startswith("23"):
        error = PgIntegrityError(message)
    elif state in _BUSY_STATES:
        error = PgOperationalError(f"database is locked ({message})")
        error.sqlite_errorcode = sqlite3.SQLITE_BUSY
    elif state.startswith(("08", "57", "53")) or not state:
        error = PgOperationalError(message)
    else:
        error = PgDatabaseError(message)
    setattr(error, "postgres", exc)
    setattr(error, "sqlstate", state)
    return error


def _message(exc: BaseException, state: str) -> str:
    """SQLite's words for the constraint failures the store and its tests name, else the server's."""
    diag = getattr(exc, "diag", None)
    constraint = getattr(diag, "constraint_name", None)
    table = getattr(diag, "table_name", None)
    column = getattr(diag, "column_name", None)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if state == "23505":
        return f"UNIQUE constraint failed: {table}.{constraint} ({first})"
    if state == "23514":
        return f"CHECK constraint failed: {constraint} ({first})"
    if state == "23503":
        return f"FOREIGN KEY constraint failed ({first})"
    if state == "23502":
        return f"NOT NULL constraint failed: {table}.{column}"
    return first


def is_postgres_error(exc: BaseException) -> bool:
    return isinstance(exc, PG_ERRORS)


# ------------------------------------------------------------------------ SQL translation


@dataclass(frozen=True, slots=True)
class Translated:
    sql: str
    style: str  # "none" | "qmark" | "numbered" | "named"
    insert_table: str | None  # INSERT INTO <table> (...): the table
    insert_columns: tuple[str, ...]


# Hand-written equivalents of the few SQLite-only fragments the shared queries contain.
_REWRITES: tuple[tuple[str, str], ...] = (
    # suggestions: a JSON array of integers as a set
    ("SELECT value FROM json_each(?)", "SELECT value::bigint FROM jsonb_array_elements_text(?::jsonb)"),
)

_SCAN = re.compile(
    r"""(?P<str>'(?:[^']|'')*')
      | (?P<ident>"(?:[^"]|"")*")
      | (?P<comment>--[^\n]*)
      | (?P<num>\?\d+)
      | (?P<qmark>\?)
      | (?P<named>(?<![:\w]):[A-Za-z_]\w*)
      | (?P<pct>%)
      | (?P<indexed>\bINDEXED\s+BY\s+\w+\s*)""",
    re.X | re.I,
)
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)", re.I)

ID_COLUMNS: dict[str, str] = {
    "documents": "seq", "spans": "id", "events": "id", "candidates": "id", "links": "id", "patterns": "id",
}
"""The integer key sqlite3's lastrowid reports, per table."""


@lru_cache(maxsize=4096)
def translate(sql: str) -> Translated:
    """psycopg's form of one of the store's statements (cached: the store's SQL is a small set)."""
    for sqlite_form, postgres_form in _REWRITES:
        sql = sql.replace(sqlite_form, postgres_form)
    styles: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        kind = match.lastgroup
        text = match.group(0)
        if kind == "str":
            return text.replace("%", "%%")
        if kind in ("ident", "comment"):
            return text.replace("%", "%%")
        if kind == "num":
            styles.add("numbered")
            return f"%(p{text[1:]})s"
        if kind == "qmark":
            styles.add("qmark")
            return "%s"
        if kind == "named":
            styles.add("named")
            return f"%({text[1:]})s"
        if kind == "pct":
            return "%%"
        return ""  # INDEXED BY: a SQLite planner hint

    out = _SCAN.sub(replace, sql)
    if len(styles) > 1:
        raise ValueError(f"mixed parameter styles in {sql!r}")
    style = styles.pop() if styles else "none"
    insert = _INSERT.match(out)
    table = insert.group(1).lower() if insert else None
    columns = tuple(c.strip().strip('"').lower() for c in insert.group(2).split(",")) if insert else ()
    return Translated(out, style, table, columns)


def convert_params(style: str, params: Any) -> Any:
    if params is None:
        return ()
    if style == "numbered":
        return {f"p{i}": value for i, value in enumerate(params, 1)}
    if style == "named":
        return dict(params)
    if isinstance(params, Mapping):
        return dict(params)
    return tuple(params)


# --------------------------------------------------------------------------- the adapter


class PgCursor:
    """What the store reads from an executed statement (sqlite3.Cursor's subset)."""

    def __init__(self, conn: PgConnection, raw: psycopg.Cursor[Any] | None = None, *, lastrowid: int | None = None,
                 rowcount: int = -1) -> None:
        self._conn = conn
        self._raw = raw
        self._lastrowid = lastrowid
        self._rowcount = rowcount

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._lastrowid

    def execute(self, sql: str, parameters: Any = (), /) -> PgCursor:
        cursor = self._conn.execute(sql, parameters)
        self._raw, self._lastrowid, self._rowcount = cursor._raw, cursor._lastrowid, cursor._rowcount
        return self

    def _has_rows(self) -> bool:
        return self._raw is not None and self._raw.description is not None

    def fetchone(self) -> Any:
        if not self._has_rows():
            return None
        assert self._raw is not None
        try:
            return self._raw.fetchone()
        except Exception as exc:
            raise self._conn.failed(exc) from exc

    def fetchall(self) -> list[Any]:
        if not self._has_rows():
            return []
        assert self._raw is not None
        try:
            return self._raw.fetchall()
        except Exception as exc:
            raise self._conn.failed(exc) from exc

    def __iter__(self) -> Iterator[Any]:
        if not self._has_rows():
            return iter(())
        assert self._raw is not None
        return iter(self._raw.fetchall())


AfterInsert = Callable[["PgConnection", tuple[str, ...], Sequence[Sequence[Any]]], None]


class PgConnection:
    """A psycopg connection in autocommit mode that runs the store's sqlite3-style SQL (see the
    module docstring). Used by one Store at a time, under that Store's lock."""

    dialect = "postgres"

    def __init__(self, raw: psycopg.Connection[Any], *, display: str) -> None:
        self._raw = raw
        self.display = display
        self._writing = False
        self.write_xid: int | None = None  # the last write transaction's txid_current()
        self.after_insert: dict[str, AfterInsert] = {}
        """Python-side AFTER INSERT triggers by table (the search index of documents)."""
        self._psycopg = import_psycopg()

    @property
    def raw(self) -> psycopg.Connection[Any]:
        """The psycopg connection itself (LISTEN/NOTIFY, tests)."""
        return self._raw

    # -- errors

    def failed(self, exc: BaseException) -> BaseException:
        if isinstance(exc, self._psycopg.Error):
            return translate_error(exc)
        return exc

    # -- transactions

    @property
    def in_transaction(self) -> bool:
        status = self._raw.info.transaction_status
        pq = self._psycopg.pq.TransactionStatus
        return status in (pq.INTRANS, pq.INERROR, pq.ACTIVE)

    def _control(self, statement: str) -> bool:
        """BEGIN [IMMEDIATE|EXCLUSIVE|DEFERRED], COMMIT, END, ROLLBACK: True when handled."""
        words = statement.split()
        if not words:
            return False
        head = words[0].upper()
        if head == "BEGIN" and len(words) <= 3:
            mode = words[1].upper() if len(words) > 1 else ""
            if mode in ("IMMEDIATE", "EXCLUSIVE"):
                self._raw.execute("BEGIN")
                try:
                    # The transaction's id comes with the lock, in the same round trip: if the
                    # connection is lost during COMMIT, txid_status(write_xid) on a new connection
                    # says whether it committed (tui.store.store.Store.committed_before_loss).
                    row = self._raw.execute("SELECT pg_advisory_xact_lock(%s), txid_current()",
                                            (WRITE_LOCK_KEY,)).fetchone()
                    self.write_xid = int(row[1]) if row is not None else None
                except BaseException:
                    self._raw.execute("ROLLBACK")
                    raise
                self._writing = True
            else:
                self._raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            return True
        if head in ("COMMIT", "END") and len(words) <= 2:
            wrote, self._writing = self._writing, False
            if self._raw.info.transaction_status == self._psycopg.pq.TransactionStatus.INERROR:
                # PostgreSQL would answer COMMIT with a silent ROLLBACK: say so instead
                self._raw.execute("ROLLBACK")
                raise PgOperationalError("the transaction failed earlier and was rolled back; nothing was saved")
            self._raw.execute("COMMIT")
            if wrote:
                self._changed()
            return True
        if head == "ROLLBACK" and len(words) <= 2:
            self._writing = False
            self._raw.execute("ROLLBACK")
            return True
        return False

    def _changed(self) -> None:
        """After a write transaction committed: bump the counter data_version reads (after the
        commit, so whoever sees the new value finds the new rows)."""
        try:
            self._raw.execute("SELECT nextval('tui_changes')")
        except self._psycopg.Error:
            pass  # the commit stands; at worst another process refreshes on its next change

    # -- statements

    def execute(self, sql: str, parameters: Any = (), /) -> PgCursor:
        try:
            if self._control(sql.strip().rstrip(";")):
                return PgCursor(self)
            t = translate(sql)
            params = convert_params(t.style, parameters)
            if t.insert_table is not None or _is_dml(t.sql):
                return self._execute_dml(t, params, parameters)
            raw = self._raw.execute(t.sql, params)
            return PgCursor(self, raw, rowcount=raw.rowcount)
        except self._psycopg.Error as exc:
            raise translate_error(exc) from exc

    def _execute_dml(self, t: Translated, params: Any, original: Any) -> PgCursor:
        key = ID_COLUMNS.get(t.insert_table or "")
        sql = t.sql
        returning = key is not None and " RETURNING " not in sql.upper()
        if returning:
            sql += f" RETURNING {key}"
        with self._statement():
            raw = self._raw.execute(sql, params)
            lastrowid = None
            if returning:
                row = raw.fetchone()
                lastrowid = None if row is None else int(row[0])
            cursor = PgCursor(self, None if returning else raw, lastrowid=lastrowid, rowcount=raw.rowcount)
            trigger = self.after_insert.get(t.insert_table or "")
            if trigger is not None and raw.rowcount:
                trigger(self, t.insert_columns, [_as_row(t, original)])
        return cursor

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> PgCursor:
        rows = list(parameters)
        try:
            t = translate(sql)
            converted = [convert_params(t.style, row) for row in rows]
            if not converted:
                return PgCursor(self, rowcount=0)
            try:
                with self._statement():
                    cur = self._raw.cursor()
                    cur.executemany(t.sql, converted)
                    count = cur.rowcount
                    trigger = self.after_insert.get(t.insert_table or "")
                    if trigger is not None:
                        trigger(self, t.insert_columns, [_as_row(t, row) for row in rows])
                return PgCursor(self, rowcount=count)
            except self._psycopg.IntegrityError:
                if not self.in_transaction:
                    raise
            # As sqlite3 does: the rows before the refused one stay in, the refused one raises.
            count = 0
            for row, values in zip(rows, converted):
                with self._statement():
                    cur = self._raw.execute(t.sql, values)  # raises at the refused row
                    count += cur.rowcount
                    trigger = self.after_insert.get(t.insert_table or "")
                    if trigger is not None and cur.rowcount:
                        trigger(self, t.insert_columns, [_as_row(t, row)])
            return PgCursor(self, rowcount=count)
        except self._psycopg.Error as exc:
            raise translate_error(exc) from exc

    def stream(self, sql: str, parameters: Any = ()) -> Iterator[Any]:
        """Rows through a server-side cursor (inside a transaction; else as execute): see dbapi.stream."""
        if not self.in_transaction:
            return iter(self.execute(sql, parameters))
        t = translate(sql)
        try:
            cursor = self._raw.cursor(name=f"tui_stream_{next(_STREAMS)}")
            cursor.itersize = 500
            cursor.execute(t.sql, convert_params(t.style, parameters))
        except self._psycopg.Error as exc:
            raise translate_error(exc) from exc
        return self._rows(cursor)

    def _rows(self, cursor: psycopg.ServerCursor[Any]) -> Iterator[Any]:
        try:
            try:
                yield from cursor
            except self._psycopg.Error as exc:
                raise translate_error(exc) from exc
        finally:
            try:
                cursor.close()
            except self._psycopg.Error:
                pass

    def _statement(self) -> _Savepoint:
        return _Savepoint(self._raw, self.in_transaction)

    def cursor(self) -> PgCursor:
        return PgCursor(self)

    def close(self) -> None:
        try:
            self._raw.close()
        except self._psycopg.Error:
            pass

    @property
    def closed(self) -> bool:
        return bool(self._raw.closed)


class _Savepoint:
    """Inside a transaction, a statement that fails undoes only itself (SQLite's statement journal)."""

    def __init__(self, raw: psycopg.Connection[Any], active: bool) -> None:
        self._raw = raw
        self._active = active

    def __enter__(self) -> None:
        if self._active:
            self._raw.execute("SAVEPOINT tui_statement")

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if not self._active:
            return
        if exc is None:
            self._raw.execute("RELEASE SAVEPOINT tui_statement")
        else:
            try:
                self._raw.execute("ROLLBACK TO SAVEPOINT tui_statement")
                self._raw.execute("RELEASE SAVEPOINT tui_statement")
            except Exception:
                pass  # the connection is gone: the caller's rollback will say so


def _is_dml(sql: str) -> bool:
    head = sql.lstrip()[:7].upper()
    return head.startswith(("INSERT", "UPDATE", "DELETE"))


def _as_row(t: Translated, params: Any) -> Sequence[Any]:
    """A statement's parameters in the order of its INSERT column list (for after_insert)."""
    if t.style == "numbered" or t.style == "qmark" or t.style == "none":
        return list(params)
    return [params[c] for c in t.insert_columns]


# ------------------------------------------------------------------------------- schema

T = 'text COLLATE "C"'  # code-point order and equality, as SQLite's BINARY collation
_ACTIONS = ", ".join(f"'{a}'" for a in EVENT_ACTIONS)
_AUTOINCREMENT = ("spans", "events", "candidates", "links", "patterns")

SCHEMA = f"""
CREATE FUNCTION tui_json_valid(value text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
    PERFORM value::jsonb;
    RETURN true;
EXCEPTION WHEN others THEN
    RETURN false;
END $$;

-- SQLite's json_extract for the '$.key' paths the store queries with.
CREATE FUNCTION json_extract(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT doc::jsonb #>> string_to_array(substr(path, 3), '.') $$;

CREATE TABLE schema_migrations (
    version bigint PRIMARY KEY,
    name {T} NOT NULL,
    applied_at {T} NOT NULL
);

-- SQLite's sqlite_sequence: AUTOINCREMENT counters, transactional (see tui_next_id).
CREATE TABLE tui_sequences (
    name {T} PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO tui_sequences (name, value) VALUES {", ".join(f"('{t}', 0)" for t in _AUTOINCREMENT)};

CREATE FUNCTION tui_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        UPDATE tui_sequences SET value = value + 1 WHERE name = TG_TABLE_NAME RETURNING value INTO NEW.id;
    ELSE
        UPDATE tui_sequences SET value = greatest(value, NEW.id) WHERE name = TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END $$;

-- Bumped after every committed write transaction (Store.data_version).
CREATE SEQUENCE tui_changes;

CREATE TABLE documents (
    seq bigint PRIMARY KEY,
    id {T} NOT NULL UNIQUE,
    title {T} NOT NULL,
    title_folded {T} NOT NULL,
    text {T} NOT NULL,
    language {T} NOT NULL,
    direction {T} NOT NULL CHECK (direction IN ('ltr', 'rtl')),
    length bigint NOT NULL CHECK (length >= 0),
    source {T},
    text_sha256 {T} NOT NULL UNIQUE,
    imported_at {T} NOT NULL,
    meta {T} NOT NULL DEFAULT '{{}}' CONSTRAINT "json_valid(meta)" CHECK (tui_json_valid(meta))
);
CREATE INDEX documents_listing ON documents (seq) INCLUDE (id, language, direction, length);

-- An INTEGER PRIMARY KEY: max + 1 (documents are never deleted).
CREATE FUNCTION tui_next_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seq IS NULL THEN
        NEW.seq := coalesce((SELECT max(seq) FROM documents), 0) + 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER documents_seq BEFORE INSERT ON documents FOR EACH ROW EXECUTE FUNCTION tui_next_seq();

CREATE TABLE labels (
    name {T} PRIMARY KEY CHECK (name <> ''),
    key {T} UNIQUE,
    colour {T} NOT NULL,
    description {T} NOT NULL DEFAULT '',
    position bigint NOT NULL DEFAULT 0
);

CREATE TABLE spans (
    id bigint PRIMARY KEY,
    document_id {T} NOT NULL REFERENCES documents (id),
    annotator {T} NOT NULL CHECK (annotator <> ''),
    label {T} NOT NULL REFERENCES labels (name) ON UPDATE CASCADE,
    start bigint NOT NULL CHECK (start >= 0),
    "end" bigint NOT NULL CHECK ("end" > start),
    text {T} NOT NULL,
    created_at {T} NOT NULL,
    updated_at {T} NOT NULL,
    UNIQUE (document_id, annotator, label, start, "end")
);
CREATE INDEX spans_by_annotator ON spans (annotator, label, document_id);

CREATE TABLE events (
    id bigint PRIMARY KEY,
    created_at {T} NOT NULL,
    annotator {T} NOT NULL,
    document_id {T} REFERENCES documents (id),
    action {T} NOT NULL CHECK (action IN ({_ACTIONS})),
    span_id bigint,
    before {T} CONSTRAINT "json_valid(before)" CHECK (before IS NULL OR tui_json_valid(before)),
    after {T} CONSTRAINT "json_valid(after)" CHECK (after IS NULL OR tui_json_valid(after)),
    target_event_id bigint REFERENCES events (id)
);
CREATE INDEX events_by_annotator_document ON events (annotator, document_id, id);
CREATE INDEX events_by_target ON events (target_event_id) WHERE target_event_id IS NOT NULL;
CREATE INDEX events_label_renames ON events (id) WHERE action = 'label_rename';
CREATE INDEX events_by_link_child ON events (annotator, json_extract(coalesce(after, before), '$.child_document_id'), id)
WHERE json_extract(coalesce(after, before), '$.child_document_id') IS NOT NULL;

CREATE FUNCTION tui_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
FOR EACH ROW EXECUTE FUNCTION tui_events_append_only();
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
FOR EACH ROW EXECUTE FUNCTION tui_events_append_only();
CREATE FUNCTION tui_events_document_required() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events: only label edits (label_*) belong to no document'
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER events_document_required BEFORE INSERT ON events
FOR EACH ROW WHEN (NEW.document_id IS NULL AND substr(NEW.action, 1, 6) <> 'label_')
EXECUTE FUNCTION tui_events_document_required();

CREATE TABLE document_status (
    document_id {T} NOT NULL REFERENCES documents (id),
    annotator {T} NOT NULL,
    status {T} NOT NULL CHECK (status IN ('todo', 'in_progress', 'done', 'skipped')),
    updated_at {T} NOT NULL,
    PRIMARY KEY (document_id, annotator)
);

CREATE VIEW spans_with_documents AS
SELECT
    spans.id, spans.document_id, documents.title AS document_title, documents.language, documents.direction,
    spans.annotator, spans.label, spans.start, spans."end", spans.text, spans.created_at, spans.updated_at
FROM spans JOIN documents ON documents.id = spans.document_id;

CREATE TABLE candidates (
    id bigint PRIMARY KEY,
    document_id {T} NOT NULL REFERENCES documents (id),
    source {T} NOT NULL CHECK (source <> ''),
    label {T} NOT NULL REFERENCES labels (name) ON UPDATE CASCADE,
    start bigint NOT NULL CHECK (start >= 0),
    "end" bigint NOT NULL CHECK ("end" > start),
    text {T} NOT NULL,
    created_at {T} NOT NULL,
    meta {T} NOT NULL DEFAULT '{{}}' CONSTRAINT "json_valid(meta)" CHECK (tui_json_valid(meta)),
    UNIQUE (document_id, source, label, start, "end")
);
CREATE INDEX candidates_by_source ON candidates (source, document_id);

CREATE TABLE candidate_decisions (
    document_id {T} NOT NULL REFERENCES documents (id),
    annotator {T} NOT NULL,
    label {T} NOT NULL REFERENCES labels (name) ON UPDATE CASCADE,
    start bigint NOT NULL,
    "end" bigint NOT NULL,
    decision {T} NOT NULL CHECK (decision IN ('accept', 'reject')),
    source {T} NOT NULL,
    event_id bigint NOT NULL REFERENCES events (id),
    decided_at {T} NOT NULL,
    PRIMARY KEY (document_id, annotator, label, start, "end")
);

CREATE TABLE link_labels (
    name {T} PRIMARY KEY CHECK (name <> ''),
    key {T} UNIQUE,
    colour {T} NOT NULL,
    description {T} NOT NULL DEFAULT '',
    transitive bigint NOT NULL DEFAULT 0 CHECK (transitive IN (0, 1)),
    "symmetric" bigint NOT NULL DEFAULT 0 CHECK ("symmetric" IN (0, 1)),  -- a reserved word in PostgreSQL
    position bigint NOT NULL DEFAULT 0
);
CREATE TABLE links (
    id bigint PRIMARY KEY,
    annotator {T} NOT NULL CHECK (annotator <> ''),
    label {T} NOT NULL REFERENCES link_labels (name) ON UPDATE CASCADE,
    head_span_id bigint NOT NULL REFERENCES spans (id),
    child_span_id bigint NOT NULL REFERENCES spans (id),
    created_at {T} NOT NULL,
    updated_at {T} NOT NULL,
    CHECK (head_span_id <> child_span_id),
    UNIQUE (head_span_id, child_span_id, label)
);
CREATE INDEX links_by_child ON links (child_span_id);
CREATE INDEX links_by_annotator ON links (annotator, label);

-- span_texts: one row per distinct (text, label) of spans, kept exact by triggers. A span's text
-- may be longer than a b-tree entry can be, so uniqueness is on md5(text) and lookups by text use
-- a hash index.
CREATE TABLE span_texts (
    text {T} NOT NULL,
    label {T} NOT NULL,
    n bigint NOT NULL CHECK (n > 0),
    key {T},
    tokens bigint,
    key_hash bigint,
    first_hash bigint
);
CREATE UNIQUE INDEX span_texts_text_label ON span_texts (label, md5(text));
CREATE INDEX span_texts_by_text ON span_texts USING hash (text);
CREATE INDEX span_texts_unkeyed ON span_texts (label) WHERE key IS NULL;
CREATE INDEX span_texts_by_hash ON span_texts (key_hash) WHERE key_hash IS NOT NULL;
CREATE INDEX span_texts_by_first ON span_texts (first_hash, tokens) WHERE first_hash IS NOT NULL;

CREATE FUNCTION tui_span_texts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM span_texts WHERE label = OLD.label AND md5(text) = md5(OLD.text) AND text = OLD.text AND n <= 1;
        UPDATE span_texts SET n = n - 1 WHERE label = OLD.label AND md5(text) = md5(OLD.text) AND text = OLD.text;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO span_texts (text, label, n) VALUES (NEW.text, NEW.label, 1)
        ON CONFLICT (label, md5(text)) DO UPDATE SET n = span_texts.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER span_texts_insert AFTER INSERT ON spans FOR EACH ROW EXECUTE FUNCTION tui_span_texts();
CREATE TRIGGER span_texts_delete AFTER DELETE ON spans FOR EACH ROW EXECUTE FUNCTION tui_span_texts();
CREATE TRIGGER span_texts_update AFTER UPDATE OF text, label ON spans FOR EACH ROW
WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.label IS DISTINCT FROM NEW.label)
EXECUTE FUNCTION tui_span_texts();

CREATE TABLE suggest_state (
    name {T} PRIMARY KEY,
    value {T} NOT NULL
);

CREATE TABLE patterns (
    id bigint PRIMARY KEY,
    label {T} NOT NULL REFERENCES labels (name) ON UPDATE CASCADE,
    pattern {T} NOT NULL,
    kind {T} NOT NULL CHECK (kind IN ('text', 'tokens')),
    key {T} NOT NULL,
    source {T} NOT NULL DEFAULT '',
    created_at {T} NOT NULL,
    UNIQUE (key, label)
);

CREATE TABLE view_directions (
    document_id {T} NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    paragraph bigint NOT NULL CHECK (paragraph >= -1),
    direction {T} NOT NULL CHECK (direction IN ('ltr', 'rtl')),
    annotator {T} NOT NULL,
    updated_at {T} NOT NULL,
    PRIMARY KEY (document_id, paragraph)
);

-- SQLite's documents_fts: the words of title and text as FTS5's unicode61 tokenizer makes them
-- (tui.store.search.search_body), written by the store when a document is inserted.
CREATE TABLE documents_search (
    document_id {T} PRIMARY KEY REFERENCES documents (id),
    body {T} NOT NULL
);
""" + "".join(
    f"CREATE TRIGGER {table}_id BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION tui_next_id();\n"
    for table in _AUTOINCREMENT
)

TRIGRAM_INDEXES = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX documents_search_words ON documents_search USING gin (body gin_trgm_ops);
CREATE INDEX documents_title_folded ON documents USING gin (title_folded gin_trgm_ops);
"""
"""Fast LIKE '%...%' for the picker's searches, when the pg_trgm extension can be created (it is a
trusted extension: any database owner may); without it the same queries scan, with the same rows."""


def _statements(script: str) -> list[str]:
    """Split a DDL script on the semicolons that end statements (not those inside $$ bodies)."""
    parts: list[str] = []
    buffer: list[str] = []
    in_body = False
    for line in script.splitlines():
        if not buffer and (not line.strip() or line.strip().startswith("--")):
            continue
        buffer.append(line)
        if line.count("$$") % 2:
            in_body = not in_body
        if not in_body and line.rstrip().endswith(";"):
            parts.append("\n".join(buffer).rstrip().rstrip(";"))
            buffer = []
    if buffer:
        parts.append("\n".join(buffer))
    return parts


# ------------------------------------------------------------------------------- opening


def connect(target: PostgresTarget, *, readonly: bool, busy_timeout_ms: int) -> PgConnection:
    """A connection in autocommit mode (transactions are the store's explicit BEGIN ... COMMIT)."""
    psycopg = import_psycopg()
    try:
        raw = psycopg.connect(target.conninfo, autocommit=True, application_name="tui")
    except psycopg.Error as exc:
        raise explain(exc, target) from None
    try:
        raw.execute(f"SET lock_timeout = {int(busy_timeout_ms)}")
        if readonly:
            raw.execute("SET default_transaction_read_only = on")
    except psycopg.Error as exc:
        raw.close()
        raise explain(exc, target) from None
    conn = PgConnection(raw, display=target.display)
    from tui.store.search import index_documents

    conn.after_insert["documents"] = index_documents
    return conn


def explain(exc: BaseException, target: object) -> StoreError:
    """A psycopg error (or its sqlite3-shaped translation) as one line naming the database."""
    original = getattr(exc, "postgres", exc)
    if isinstance(exc, (PgIntegrityError, PgDatabaseError)):
        return StoreError(f"{target}: database error: {exc}")  # as SQLite's: the constraint, the statement
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY:
        first = (str(original).strip().splitlines() or [type(original).__name__])[0]
        return StoreError(f"{target}: the database stayed locked by another tui for too long ({first}). "
                          "Try again in a moment; if it persists, look for a stuck tui.")
    from tui.store.postgres_errors import explain_postgres
    from tui.store.target import PostgresTarget

    if isinstance(target, PostgresTarget):
        return explain_postgres(original, target)
    first = (str(original).strip().splitlines() or [type(original).__name__])[0]
    return StoreError(f"{target}: database error: {first}")


def schema_version(conn: PgConnection) -> int | None:
    """The database's schema version; None for a database with no tui schema (empty or not ours)."""
    row = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if not row[0]:
        return None
    found = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()
    return int(found[0] or 0)


def _has_tables(conn: PgConnection) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'p')").fetchone()
    return bool(row[0])


def check_version(conn: PgConnection, target: object, *, readonly: bool) -> int | None:
    """StoreError (nothing touched) for a newer schema or a database of another program."""
    version = schema_version(conn)
    if version is None:
        if _has_tables(conn):
            raise StoreError(f"{target} holds tables of some other program (no tui schema). It was not "
                             "modified. Create an empty database for tui (createdb NAME) and use that.")
        if readonly:
            raise StoreError(f"{target} has no tui schema yet. Import documents first: tui import --db URL FILES...")
        return None
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{target} uses database schema v{version}, written by a newer tui; this tui understands up to "
            f"v{SCHEMA_VERSION}. The database was not modified. Upgrade tui (pip install -U tui-annotate) to open it.")
    if readonly and version != SCHEMA_VERSION:
        raise StoreError(f"{target} has schema v{version}, this tui needs v{SCHEMA_VERSION}. "
                         "Open it once without read-only access to migrate it.")
    return version


def migrate(conn: PgConnection, target: object, now: str) -> int:
    """Create the schema in an empty database, or apply the migrations it lacks, in one write
    transaction under the write lock (two first opens at once: the second finds it done)."""
    current = check_version(conn, target, readonly=False)
    if current == SCHEMA_VERSION:
        return current
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = check_version(conn, target, readonly=False)
        if current is None:
            _create(conn, now)
        elif current < SCHEMA_VERSION:
            for migration in MIGRATIONS:
                if migration.version <= current:
                    continue
                step = MIGRATIONS_AFTER_BASELINE.get(migration.version)
                if step is None:
                    raise StoreError(f"{target}: no PostgreSQL step for schema v{migration.version} "
                                     f"({migration.name}); this tui cannot migrate it.")
                for statement in _statements(step):
                    conn.raw.execute(statement)
                conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                             (migration.version, migration.name, now))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return SCHEMA_VERSION


def _create(conn: PgConnection, now: str) -> None:
    from tui.store.changes import POSTGRES_NOTIFY_SQL  # the LISTEN/NOTIFY triggers (tui.store.changes)

    for statement in _statements(SCHEMA) + _statements(POSTGRES_NOTIFY_SQL):
        conn.raw.execute(statement)
    conn.raw.execute("SAVEPOINT trigram")
    try:
        for statement in _statements(TRIGRAM_INDEXES):
            conn.raw.execute(statement)
        conn.raw.execute("RELEASE SAVEPOINT trigram")
    except Exception:
        conn.raw.execute("ROLLBACK TO SAVEPOINT trigram")
    seed_rows(conn)
    for migration in MIGRATIONS:
        if migration.version <= BASELINE_VERSION:
            conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                         (migration.version, migration.name, now))
    for version in range(BASELINE_VERSION + 1, SCHEMA_VERSION + 1):
        step = MIGRATIONS_AFTER_BASELINE[version]
        for statement in _statements(step):
            conn.raw.execute(statement)
        name = next(m.name for m in MIGRATIONS if m.version == version)
        conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                     (version, name, now))


SEED_LINK_LABELS = """INSERT INTO link_labels (name, key, colour, description, transitive, "symmetric", position) VALUES
    ('same_entity', 'e', '#5fafff', 'The two spans name the same person, organisation, place or thing.', 1, 1, 0),
    ('same_claim', 'c', '#ffaf5f', 'The two spans make the same claim.', 1, 1, 1),
    ('contradicts', 'x', '#ff5f5f', 'The two spans make claims that cannot both be true.', 0, 1, 2),
    ('supports', 's', '#87d787', 'The head span gives evidence for the child span.', 0, 0, 3)"""


def seed_rows(conn: PgConnection) -> None:
    """The rows a new database starts with (SQLite's migrations 1 and 4 add the same)."""
    for position, (name, key, colour, description) in enumerate(DEFAULT_LABELS):
        conn.execute("INSERT INTO labels (name, key, colour, description, position) VALUES (?, ?, ?, ?, ?)",
                     (name, key, colour, description, position))
    conn.raw.execute(SEED_LINK_LABELS)


def data_version(conn: Connection) -> int:
    """Changes after any tui's committed write transaction (PostgreSQL's stand-in for PRAGMA data_version)."""
    row = conn.execute("SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM tui_changes").fetchone()
    return int(row[0])


_STREAMS = itertools.count(1)


__all__ = [
    "BASELINE_VERSION", "INSTALL_HINT", "MIGRATIONS_AFTER_BASELINE", "PG_ERRORS", "PgConnection", "PgCursor",
    "SCHEMA", "check_version", "connect", "data_version", "explain", "import_psycopg", "is_postgres_error",
    "migrate", "translate",
]
