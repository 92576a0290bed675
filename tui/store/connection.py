"""Opening the SQLite file safely: checks before writing, pragmas, migrations, retries.

Nothing is written to a file before we know we understand it: the header is read as
bytes and ``user_version`` through a read-only connection, so a database from a newer
tui (or a file that is not a database) is refused with its bytes untouched.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar, overload

from tui.folding import fold
from tui.store.dbapi import Connection
from tui.store.errors import StoreError
from tui.store.held_files import read_head
from tui.store.schema import MIGRATIONS, SCHEMA_VERSION
from tui.store.search import fts_body

if TYPE_CHECKING:
    from tui.store.target import PostgresTarget

T = TypeVar("T")

SQLITE_MAGIC = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT_MS = 5000


def utc_now() -> str:
    """ISO 8601 UTC timestamp with milliseconds, e.g. 2025-02-05T10:00:00.123Z."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def is_busy(exc: BaseException) -> bool:
    """True for SQLITE_BUSY / SQLITE_LOCKED: another connection holds the lock."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def explain(exc: BaseException, path: Path | PostgresTarget) -> StoreError:
    """Turn a sqlite3 error into a StoreError saying what happened and what to do next (a
    PostgreSQL database's errors: tui.store.postgres.explain)."""
    if not isinstance(path, Path):
        from tui.store.postgres import explain as explain_on_postgres

        return explain_on_postgres(exc, path)
    message = str(exc)
    lowered = message.lower()
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if is_busy(exc):
        return StoreError(
            f"{path}: the database stayed locked by another process for too long ({message}). "
            "Try again in a moment; if it persists, look for a stuck tui or sqlite process."
        )
    if code == sqlite3.SQLITE_READONLY or "readonly" in lowered or "read-only" in lowered:
        return StoreError(
            f"{path}: cannot write, the file or its folder is read-only ({message}). "
            "Fix the permissions (the folder must be writable too, for the -wal file) or work on a copy."
        )
    if code == sqlite3.SQLITE_FULL or "disk is full" in lowered or "database or disk is full" in lowered:
        return StoreError(
            f"{path}: the disk is full ({message}); the last action was not saved, earlier ones are safe. "
            "Free some space and try again."
        )
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in lowered or "not a database" in lowered:
        return StoreError(
            f"{path}: the database file is damaged ({message}). It was not modified. "
            f"Restore it from a backup, or try `sqlite3 {path} .recover`."
        )
    if (code == sqlite3.SQLITE_IOERR or "disk i/o" in lowered) and _disk_nearly_full(path):
        # A full disk often shows as an I/O error (no room for the -shm or -wal file).
        return StoreError(
            f"{path}: the disk is full ({message}); nothing was saved by this command, earlier work is safe. "
            "Free some space and try again."
        )
    if code == sqlite3.SQLITE_IOERR or "disk i/o" in lowered:
        return StoreError(f"{path}: the disk reported an I/O error ({message}). Check the disk and try again.")
    if code == sqlite3.SQLITE_CANTOPEN or "unable to open" in lowered:
        return StoreError(
            f"{path}: cannot open the database file ({message}). Check that the folder exists and that you may "
            f"write to it: SQLite creates {path.name}-wal and {path.name}-shm beside the database."
        )
    return StoreError(f"{path}: database error: {message}")


def damaged_error(path: Path, problem: str) -> StoreError:
    """The one line for a database file that PRAGMA quick_check (or SQLITE_CORRUPT) says is damaged."""
    first = " ".join(problem.replace("*** in database main ***", "").split())[:160]
    return StoreError(
        f"{path}: the database file is damaged ({first}). Nothing was written to it. Rescue what it holds "
        f"with `sqlite3 {path} .recover | sqlite3 rescued.db` and work on rescued.db, or restore a backup."
    )


def _disk_nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent if str(path.parent) else ".").free < 1 << 20
    except OSError:
        return False


def is_sqlite_file(path: Path) -> bool:
    """True when `path` is a file that starts with the SQLite header (any program's database)."""
    try:
        return read_head(path, len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def check_existing_database(path: Path) -> None:
    """For commands that only read (stats, export, agree...): StoreError unless `path` is an
    existing, non-empty file. They never create or initialise a database."""
    if not path.exists():
        raise StoreError(f"{path} does not exist. Import documents first: tui import --db {path} FILES...")
    if path.is_file() and path.stat().st_size == 0:
        raise StoreError(f"{path} is an empty file (0 bytes), not a tui database yet. It was not modified. "
                         f"Import documents first: tui import --db {path} FILES...")


def check_file_before_open(path: Path) -> None:
    """Refuse, without writing anything, files that are not SQLite or come from a newer tui."""
    if path.exists() and not path.is_file():
        raise StoreError(f"{path} is not a file. Pass --db with the path of a database file.")
    if not path.exists():
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise StoreError(f"{path}: the folder {parent} does not exist. Create it or choose another --db path.")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise StoreError(f"{path}: cannot create the database, the folder {parent} is not writable. "
                             "Choose another --db path or fix the folder's permissions.")
        return
    try:
        header = read_head(path, 100)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database file ({exc.strerror}). Check its permissions.") from exc
    if not header:
        return  # an empty file is a valid empty database
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        raise StoreError(
            f"{path} is not a SQLite database (or its header is damaged). It was not modified. "
            "Choose another --db path, or restore the file from a backup."
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    size_is_valid = header[92:96] == header[24:28]  # "version-valid-for" equals the change counter
    if size_is_valid and pages and path.stat().st_size < page_size * pages:
        raise StoreError(
            f"{path} is truncated: its header says {page_size * pages:,} bytes, the file has "
            f"{path.stat().st_size:,}. It was not modified. Restore it from a backup, or try "
            f"`sqlite3 {path} .recover`."
        )
    version, objects = read_user_version(path, count_objects=True)
    if version == 0 and objects:
        raise StoreError(
            f"{path} is a SQLite database of some other program (it has tables but no tui schema). "
            "It was not modified. Choose another --db path."
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} uses database schema v{version}, written by a newer tui; this tui understands up to "
            f"v{SCHEMA_VERSION}. The file was not modified. Upgrade tui (pip install -U tui-annotate) to open it."
        )


@overload
def read_user_version(path: Path, *, count_objects: Literal[False] = False) -> int: ...
@overload
def read_user_version(path: Path, *, count_objects: Literal[True]) -> tuple[int, int]: ...
def read_user_version(path: Path, *, count_objects: bool = False) -> int | tuple[int, int]:
    """PRAGMA user_version through a read-only connection (writes nothing to the file).

    With `count_objects`, returns (version, number of tables/indexes/views in the file).
    """
    uri = "file:" + uri_path(path) + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=DEFAULT_BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise explain(exc, path) from exc
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if not count_objects:
            return version
        return version, int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    except sqlite3.Error as exc:
        raise explain(exc, path) from exc
    finally:
        conn.close()


def uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path.absolute()))


def connect(path: Path, *, readonly: bool, busy_timeout_ms: int) -> sqlite3.Connection:
    """A connection in autocommit mode: every transaction is an explicit BEGIN ... COMMIT."""
    try:
        if readonly:
            conn = sqlite3.connect(
                "file:" + uri_path(path) + "?mode=ro", uri=True, timeout=busy_timeout_ms / 1000,
                isolation_level=None, check_same_thread=False,
            )
        else:
            conn = sqlite3.connect(
                str(path), timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
            )
    except sqlite3.Error as exc:
        raise explain(exc, path) from exc
    register_functions(conn)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        if not readonly:
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone(), busy_timeout_ms)
    except sqlite3.Error as exc:
        conn.close()
        raise explain(exc, path) from exc
    return conn


def retry_busy(action: Callable[[], T], busy_timeout_ms: int) -> T:
    """Run `action`, retrying with jittered back-off while the database is busy.

    SQLite's busy handler already waits up to the busy timeout, but some lock conflicts
    (WAL recovery, journal-mode change, a BEGIN IMMEDIATE race) return SQLITE_BUSY at
    once; this keeps "database is locked" from reaching the user unless the lock is held
    for longer than twice the busy timeout.
    """
    deadline = time.monotonic() + 2 * busy_timeout_ms / 1000
    delay = 0.002
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.1)


@contextlib.contextmanager
def immediate_transaction(conn: Connection) -> Iterator[Connection]:
    """BEGIN IMMEDIATE ... COMMIT; rolls back on any exception (the caller retries if it can)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions migrations and queries call: tui_fold() folds titles and search queries
    alike (tui.folding); tui_fts_body() is what the full-text index holds for a document (imports
    fill the index with it). Any connection that runs `migrate` needs them."""
    conn.create_function("tui_fold", 1, fold, deterministic=True)
    conn.create_function("tui_fts_body", 3, fts_body, deterministic=True)


def split_statements(script: str) -> list[str]:
    """Split a SQL script into statements (triggers included) so they run inside our transaction.

    sqlite3's executescript() would COMMIT first, breaking the one-transaction migration.
    """
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.strip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def migrate(conn: sqlite3.Connection, seed: Callable[[sqlite3.Connection, int], None]) -> int:
    """Apply pending migrations in one IMMEDIATE transaction; returns the final version.

    `seed(conn, version)` runs after each step inside the same transaction (default labels).
    An up-to-date database takes no write lock at all (opening must not wait behind an import).
    """
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if current == SCHEMA_VERSION:
        return current
    with immediate_transaction(conn):
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the database uses schema v{version}, newer than this tui (v{SCHEMA_VERSION}). Upgrade tui."
            )
        for migration in MIGRATIONS:
            if migration.version <= version:
                continue
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            seed(conn, migration.version)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, utc_now()),
            )
            conn.execute(f"PRAGMA user_version = {migration.version}")
            version = migration.version
    return version


def file_is_writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent if str(path.parent) else ".", os.W_OK)


def remove_if_empty(db: Path) -> None:
    """Delete a database (and its -wal, -shm, -journal) that holds no documents: one a failed first
    import created and nobody else used. Anything unreadable is left alone."""
    try:
        conn = sqlite3.connect(f"file:{uri_path(db)}?mode=ro", uri=True)
        try:
            empty = conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
        finally:
            conn.close()
    except sqlite3.Error:
        return
    if empty:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
