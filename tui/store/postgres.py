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
  transaction) is a counter row in `tui_sequences`, not a PostgreSQL sequence (sequences are not
  transactional: a refused insert would burn an id and the two backends would number spans
  differently). A BEFORE INSERT trigger reads the row once per transaction, advances a
  transaction-local setting per row, and a deferred trigger writes the row back once at COMMIT (an
  UPDATE per row made a long import quadratic: see tui.store.postgres_schema.tui_next_id). `documents.seq` is max + 1, like an INTEGER PRIMARY KEY.
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

Modules: tui.store.postgres_sql (exceptions, statement translation, `import_psycopg`),
tui.store.postgres_adapter (`PgConnection`, `PgCursor`), tui.store.postgres_schema (the DDL, the
migration steps, the seed rows); this one opens, checks and migrates a database and re-exports
their names. psycopg is imported only when a PostgreSQL target is opened, so SQLite users need not
install it.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from tui.store.dbapi import Connection
from tui.store.errors import StoreError
from tui.store.postgres_adapter import WRITE_LOCK_KEY, AfterInsert, PgConnection, PgCursor
from tui.store.postgres_schema import (
    BASELINE_VERSION, MIGRATIONS_AFTER_BASELINE, SCHEMA, SEED_LINK_LABELS, TRIGRAM_INDEXES, _statements, seed_rows,
)
from tui.store.postgres_sql import (
    ID_COLUMNS, INSTALL_HINT, PG_ERRORS, PgDatabaseError, PgIntegrityError, PgOperationalError, Translated,
    convert_params, import_psycopg, is_postgres_error, translate, translate_error,
)
from tui.store.schema import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from tui.store.target import PostgresTarget


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
        # No JIT: the picker's full-text count and page over 100,000 articles cost enough to be
        # compiled (and inlined and optimised) by LLVM on every filter change, which took longer
        # than running them (issue 15's picker benchmark); the store's queries are short.
        raw.execute("SET jit = off")
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



def data_version(conn: Connection) -> int:
    """Changes after any tui's committed write transaction (PostgreSQL's stand-in for PRAGMA data_version)."""
    row = conn.execute("SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM tui_changes").fetchone()
    return int(row[0])



__all__ = [
    "BASELINE_VERSION", "INSTALL_HINT", "MIGRATIONS_AFTER_BASELINE", "PG_ERRORS", "PgConnection", "PgCursor",
    "SCHEMA", "check_version", "connect", "data_version", "explain", "import_psycopg", "is_postgres_error",
    "migrate", "translate",
    # re-exported from the modules it was split into (tui.store.postgres_sql, _adapter, _schema)
    "AfterInsert", "ID_COLUMNS", "PgDatabaseError", "PgIntegrityError", "PgOperationalError", "SEED_LINK_LABELS",
    "TRIGRAM_INDEXES", "Translated", "WRITE_LOCK_KEY", "convert_params", "schema_version", "seed_rows",
    "translate_error",
]
