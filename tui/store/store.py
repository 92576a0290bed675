"""The repository: every read and write the app and the CLI make.

Each write is one ``BEGIN IMMEDIATE`` transaction that changes the span and appends its
event row together, committed before the method returns. Undo/redo history is the
events table itself, so it survives restarts and is shared by every process.

Candidates (spans of another source shown to an annotator for accept/reject; tui.store.candidates):
a source is an annotator (their spans) or a process that stored rows in `candidates` under its own
name (`suggest:NAME`), which are nobody's spans; decisions live in `candidate_decisions`.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tui.store.connection import (
    DEFAULT_BUSY_TIMEOUT_MS,
    utc_now,
    check_file_before_open,
    connect,
    damaged_error,
    explain,
    immediate_transaction,
    is_busy,
    migrate,
    retry_busy,
    uri_path,
)
from tui.store import labels as label_edits
from tui.store.agreement import AgreementQueries
from tui.store.bulk import BulkMethods
from tui.store.candidate_methods import CandidateMethods
from tui.store.documents import DocumentMethods, DocumentRejected, NewDocument, insert_document, insert_documents
from tui.store.dbapi import Connection
from tui.store.errors import StoreError
from tui.store.held_files import forget_open, remember_open
from tui.store.labels import LabelMethods, ensure_label
from tui.store.link_methods import LinksMixin
from tui.store.lost_connection import LostConnectionHandling
from tui.store.schema import DEFAULT_LABELS, SCHEMA_VERSION
from tui.store.spans import SpanMethods
from tui.store.stats_methods import StatsQueries
from tui.store.statuses import StatusMethods
from tui.store.suggestions import SuggestMethods
from tui.store.target import PostgresTarget, parse_target
from tui.store.textutil import document_id_for
from tui.store.view_directions import ViewDirectionMethods

if TYPE_CHECKING:
    import sqlite_utils

    from tui.store.changes import ChangeFeed

T = TypeVar("T")


class Store(CandidateMethods, LinksMixin, AgreementQueries, SuggestMethods, ViewDirectionMethods, BulkMethods, StatsQueries,
            DocumentMethods, SpanMethods, StatusMethods, LabelMethods, LostConnectionHandling):
    """An open annotation database. Thread-safe (one lock per Store); one per process is typical.

    Link methods (add_link, delete_link, links, link_rows, ...) come from `tui.store.link_methods.LinksMixin`;
    candidates from `tui.store.candidate_methods.CandidateMethods`; agreement reads from
    `tui.store.agreement.AgreementQueries`; reading-direction overrides (view_directions,
    set_view_direction) from `tui.store.view_directions.ViewDirectionMethods`; documents from
    `tui.store.documents.DocumentMethods`; span writes and undo/redo from `tui.store.spans.SpanMethods`;
    statuses and progress from `tui.store.statuses.StatusMethods`; labels from
    `tui.store.labels.LabelMethods`; what a lost PostgreSQL connection does to reads and writes
    (reconnect, committed_before_loss) from `tui.store.lost_connection.LostConnectionHandling`.
    """

    def __init__(self, conn: Connection, path: Path | PostgresTarget, *, readonly: bool, busy_timeout_ms: int) -> None:
        self._conn = conn
        self.path = path
        """Where the data lives: the SQLite file, or the PostgreSQL target (its str() never holds the
        password: safe in messages)."""
        self._open_key = (remember_open(conn, path) if isinstance(conn, sqlite3.Connection) and isinstance(path, Path)
                          else None)  # see held_files.read_head: POSIX locks
        self.readonly = readonly
        self.busy_timeout_ms = busy_timeout_ms
        self._lock = threading.RLock()
        self._depth = 0  # transactions of this store in progress (never a reconnect inside one)
        self.reconnects = 0  # PostgreSQL: connections replaced after a lost one (before a read)
        self.last_write_error: sqlite3.Error | None = None  # the last failed write's error (damage checks)
        self.keep_waiting: Callable[[float], bool] | None = None
        """Set by the app's writer thread: called with the seconds waited while another process
        holds the write lock past the busy timeout; True = keep waiting (see _retry_while_waiting)."""
        self._texts: OrderedDict[str, str] = OrderedDict()  # document id -> text (texts never change)
        self._db: sqlite_utils.Database | None = None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls, path: str | Path | PostgresTarget, *, readonly: bool = False,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> Store:
        """Open (creating or migrating) the database at `path` (a SQLite file, or a postgresql:// URL /
        PostgresTarget); StoreError with a clear message if not."""
        target = parse_target(path)
        if isinstance(target, PostgresTarget):
            return cls._open_postgres(target, readonly=readonly, busy_timeout_ms=busy_timeout_ms)
        path = target
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

        def prepare() -> None:
            if readonly:
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
                if version != SCHEMA_VERSION:
                    raise StoreError(
                        f"{path} has schema v{version}, this tui needs v{SCHEMA_VERSION}. "
                        "Open it once without read-only access to migrate it."
                    )
            else:
                retry_busy(lambda: migrate(conn, _seed), busy_timeout_ms)

        return cls._prepared(conn, path, prepare, readonly=readonly, busy_timeout_ms=busy_timeout_ms)

    @classmethod
    def _open_postgres(cls, target: PostgresTarget, *, readonly: bool, busy_timeout_ms: int) -> Store:
        from tui.store import postgres

        conn = postgres.connect(target, readonly=readonly, busy_timeout_ms=busy_timeout_ms)

        def prepare() -> None:
            if readonly:
                postgres.check_version(conn, target, readonly=True)
            else:
                retry_busy(lambda: postgres.migrate(conn, target, utc_now()), busy_timeout_ms)

        return cls._prepared(conn, target, prepare, readonly=readonly, busy_timeout_ms=busy_timeout_ms)

    @classmethod
    def _prepared(cls, conn: Connection, target: Path | PostgresTarget, prepare: Callable[[], None], *,
                  readonly: bool, busy_timeout_ms: int) -> Store:
        """The store on `conn` once `prepare` (version check or migration) succeeded; otherwise the
        connection is closed and the failure explained, for either backend."""
        try:
            prepare()
        except sqlite3.Error as exc:
            conn.close()
            raise explain(exc, target) from exc
        except BaseException:
            conn.close()
            raise
        return cls(conn, target, readonly=readonly, busy_timeout_ms=busy_timeout_ms)

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgres'."""
        return "sqlite" if isinstance(self.path, Path) else "postgres"

    def _connect(self, *, readonly: bool, busy_timeout_ms: int) -> Connection:
        """A new connection to the same database (another Store, a read snapshot)."""
        if isinstance(self.path, PostgresTarget):
            from tui.store import postgres

            return postgres.connect(self.path, readonly=readonly, busy_timeout_ms=busy_timeout_ms)
        return connect(self.path, readonly=readonly, busy_timeout_ms=busy_timeout_ms)

    def change_feed(self) -> ChangeFeed | None:
        """Other processes' commits as they happen (tui.store.changes): a LISTEN on a connection of its
        own on PostgreSQL; None on SQLite (poll `data_version`)."""
        target = self.path
        if not isinstance(target, PostgresTarget):
            return None
        from tui.store.changes import PostgresChangeFeed
        from tui.store.postgres import import_psycopg

        def listen_connection() -> Any:
            return import_psycopg().connect(target.conninfo, autocommit=True, application_name="tui-listen")

        return PostgresChangeFeed(listen_connection, describe=lambda exc: str(self.explain_error(exc)))

    def explain_error(self, exc: BaseException) -> StoreError:
        """The one line for a database error of this store's backend (no password in it)."""
        return explain(exc, self.path)

    def another_connection(self, *, readonly: bool = False, busy_timeout_ms: int | None = None) -> Store:
        """Another Store on this same, already opened and migrated file (the app's writer thread,
        a background check). Opened by SQLite alone, without the header checks of `open`: a file
        SQLite holds open in this process must never be opened and closed with Python's open() —
        closing that descriptor drops every POSIX lock the process holds on the file, SQLite's
        included, and another process may then take the file for its last user and delete the
        -wal with our commits in it."""
        timeout = self.busy_timeout_ms if busy_timeout_ms is None else busy_timeout_ms
        conn = self._connect(readonly=readonly, busy_timeout_ms=timeout)
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
            if not isinstance(self._conn, sqlite3.Connection):
                raise StoreError(f"{self.path}: sqlite-utils reads SQLite files only; use the Store's methods.")
            import sqlite_utils

            self._db = sqlite_utils.Database(self._conn, execute_plugins=False, recursive_triggers=False)
        return self._db

    @property
    def connection(self) -> Connection:
        """The raw connection (autocommit mode; use `transaction()` to write)."""
        return self._conn

    # ------------------------------------------------------------ transactions

    def _read(self, action: Callable[[Connection], T]) -> T:
        with self._lock:
            try:
                return retry_busy(lambda: action(self._conn), self.busy_timeout_ms)
            except sqlite3.Error as exc:
                if not self._reconnect_after(exc):
                    raise explain(exc, self.path) from exc
            try:  # a read is safe to ask again, once, on the new connection
                return retry_busy(lambda: action(self._conn), self.busy_timeout_ms)
            except sqlite3.Error as exc:
                self._note_lost(exc)
                raise explain(exc, self.path) from exc

    def _write(self, action: Callable[[Connection], T]) -> T:
        """Run `action` in its own BEGIN IMMEDIATE transaction, retried while the database is busy."""
        if self.readonly:
            raise StoreError(f"{self.path} was opened read-only; cannot save changes.")

        def attempt() -> T:
            with immediate_transaction(self._conn):
                return action(self._conn)

        with self._lock:
            self._depth += 1
            try:
                return self._retry_while_waiting(attempt)
            except sqlite3.Error as exc:
                self.last_write_error = self._with_xid(exc)
                raise explain(exc, self.path) from exc
            finally:
                self._depth -= 1

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
    def transaction(self) -> Iterator[Connection]:
        """One long IMMEDIATE transaction (used by imports: all or nothing). Waits while busy."""
        if self.readonly:
            raise StoreError(f"{self.path} was opened read-only; cannot save changes.")
        with self._lock:
            try:
                self._retry_while_waiting(lambda: self._conn.execute("BEGIN IMMEDIATE"))
            except sqlite3.Error as exc:
                raise explain(exc, self.path) from exc
            self._depth += 1
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._with_xid(exc)
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise explain(exc, self.path) from exc
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            finally:
                self._depth -= 1

    def quick_check(self) -> list[str]:
        """PRAGMA quick_check: [] when the file is sound, else SQLite's first problems (a file
        that cannot even be read that far counts as one problem). On PostgreSQL the server keeps
        its own pages sound: the check is that the database answers."""
        if self.backend == "postgres":
            try:
                self._read(lambda c: c.execute("SELECT 1").fetchone())
            except StoreError as exc:
                return [str(exc)]
            return []
        try:
            rows = self._read(lambda c: [str(row[0]) for row in c.execute("PRAGMA quick_check(10)")])
        except StoreError as exc:
            return [str(exc.__cause__ or exc)]
        return [] if rows == ["ok"] else rows

    def require_sound(self) -> None:
        """StoreError (saying what to do) when quick_check finds the file damaged: nothing may
        be written into a file known to be damaged."""
        problems = self.quick_check()
        if problems and isinstance(self.path, PostgresTarget):
            raise StoreError(problems[0])
        if problems and isinstance(self.path, Path):
            raise damaged_error(self.path, problems[0])

    def data_version(self) -> int:
        """Changes whenever another connection commits (PRAGMA data_version): poll it to refresh.
        On PostgreSQL: a counter every tui write transaction bumps after its commit."""
        if self.backend == "postgres":
            from tui.store import postgres

            return self._read(lambda c: postgres.data_version(c))
        return self._read(lambda c: int(c.execute("PRAGMA data_version").fetchone()[0]))

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



__all__ = ["Store", "insert_document", "insert_documents", "NewDocument", "DocumentRejected", "ensure_label",
           "document_id_for"]
