"""Other processes' changes, as they happen: the backend-neutral wait behind the app's refresh.

    feed = change_feed(store)          # None: this backend cannot notify (SQLite): keep polling
    changes = feed.wait(timeout=1.0)   # None on timeout; else Changes(documents, everything)
    feed.close()                       # from any thread; a wait in progress returns soon after

On PostgreSQL every write transaction announces the documents it touched: triggers (installed with
the schema: `POSTGRES_NOTIFY_SQL`) call `pg_notify('tui_changes', <document id>)` inside the same
transaction, so the notice is delivered only when, and only if, it commits. A change that is not
about one document (a label renamed, candidates of a whole run) says `'*'`: everything. The feed
LISTENs on a connection of its own (never the store's: a wait must not hold the store's lock) and
reconnects by itself with backoff when the server goes away; after a reconnect it reports
`everything` once, since notices sent while it was away are gone (and so on the first connect:
what was committed between the caller's first read and the LISTEN is covered too).

On SQLite nothing changes: the app polls `PRAGMA data_version` every 2 s (`Store.data_version`).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import psycopg

    from tui.store.target import PostgresTarget

CHANNEL = "tui_changes"
EVERYTHING = "*"
MAX_DOCUMENTS_PER_NOTICE = 100
"""A statement touching more documents than this (an import, a merge) says `'*'` once instead."""

# The triggers that announce every committed change. Idempotent (run by every migration that
# recreates the tables they sit on). Every action of an annotator records an `events` row (one
# notice per row, its document, or '*' for label edits); spans written without an event (imports)
# and candidates (suggestion runs) are announced per statement. PostgreSQL folds identical notices
# of one transaction into one.
POSTGRES_NOTIFY_SQL = f"""
CREATE OR REPLACE FUNCTION tui_notify_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', coalesce(NEW.document_id, '{EVERYTHING}'));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tui_notify_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched integer;
BEGIN
    SELECT count(DISTINCT document_id) INTO touched FROM changed_rows;
    IF touched > {MAX_DOCUMENTS_PER_NOTICE} THEN
        PERFORM pg_notify('{CHANNEL}', '{EVERYTHING}');
    ELSIF touched > 0 THEN
        PERFORM pg_notify('{CHANNEL}', d) FROM (SELECT DISTINCT document_id AS d FROM changed_rows) AS x;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tui_notify_everything() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '{EVERYTHING}');
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS tui_notify_events ON events;
CREATE TRIGGER tui_notify_events AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION tui_notify_event();
DROP TRIGGER IF EXISTS tui_notify_spans_insert ON spans;
CREATE TRIGGER tui_notify_spans_insert AFTER INSERT ON spans
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tui_notify_rows();
DROP TRIGGER IF EXISTS tui_notify_spans_delete ON spans;
CREATE TRIGGER tui_notify_spans_delete AFTER DELETE ON spans
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION tui_notify_rows();
DROP TRIGGER IF EXISTS tui_notify_candidates ON candidates;
CREATE TRIGGER tui_notify_candidates AFTER INSERT OR DELETE ON candidates
    FOR EACH STATEMENT EXECUTE FUNCTION tui_notify_everything();
"""

POSTGRES_NOTIFY_TABLES = ("events", "spans", "candidates")
"""The tables the triggers sit on (they must exist before POSTGRES_NOTIFY_SQL runs)."""


@dataclass(frozen=True)
class Changes:
    """What other connections committed since the last wait: these documents, or everything."""

    documents: frozenset[str] = frozenset()
    everything: bool = False

    def touches(self, doc_id: str | None) -> bool:
        return self.everything or (doc_id is not None and doc_id in self.documents)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.documents | other.documents, self.everything or other.everything)


class ChangeFeed(Protocol):
    """Waits for other connections' commits (see the module docstring)."""

    def wait(self, timeout: float) -> Changes | None: ...

    def close(self) -> None: ...

    @property
    def problem(self) -> str | None:
        """Why the feed is not listening right now (one line, no password), or None."""
        ...


def change_feed(store: object) -> ChangeFeed | None:
    """A feed of other connections' commits to `store`'s database, or None when its backend cannot
    notify (SQLite: poll `store.data_version()` instead). Nothing is connected until the first wait."""
    make = getattr(store, "change_feed", None)
    if callable(make):
        feed: ChangeFeed | None = make()
        return feed
    target = postgres_target_of(store)
    if target is None:
        return None
    return PostgresChangeFeed(lambda: listen_connection(target), describe=lambda exc: describe_problem(exc, target))


def postgres_target_of(store: object) -> PostgresTarget | None:
    """The PostgresTarget `store` is open on, or None (a SQLite file, a fake)."""
    from tui.store.target import PostgresTarget

    for name in ("target", "path"):
        value = getattr(store, name, None)
        if isinstance(value, PostgresTarget):
            return value
    return None


def listen_connection(target: PostgresTarget) -> psycopg.Connection[Any]:
    """A new autocommit connection for LISTEN (same server and credentials as the store's)."""
    import psycopg

    return psycopg.connect(target.conninfo, autocommit=True, application_name="tui-listen", connect_timeout=10)


def describe_problem(exc: BaseException, target: PostgresTarget) -> str:
    """One line for why the feed is not listening: the store's explanation (never the password)."""
    try:
        from tui.store.postgres_errors import explain_postgres

        return str(explain_postgres(exc, target))
    except Exception:  # noqa: BLE001 - the explanation must not break the feed
        return connection_problem(exc)


def connection_problem(exc: BaseException) -> str:
    """One line saying the server cannot be reached, without anything from the connection string."""
    detail = " ".join(str(getattr(exc, "sqlstate", "") or type(exc).__name__).split())
    return f"the database server cannot be reached ({detail}); reconnecting"


def backoff_delays(first: float = 0.25, ceiling: float = 8.0, *, jitter: float = 0.2,
                   rng: random.Random | None = None) -> Iterator[float]:
    """0.25, 0.5, 1, 2, 4, 8, 8, ... seconds (each ±jitter), for reconnect attempts."""
    rng = rng or random.Random()
    delay = first
    while True:
        yield delay * (1.0 + rng.uniform(-jitter, jitter))
        delay = min(ceiling, delay * 2)


class _Closable(Protocol):
    def close(self) -> object: ...


def close_quietly(resource: _Closable | None) -> None:
    """Close a connection or store that may already be broken (the server gone, the connection
    dropped): an error on closing it says nothing new and must not hide the one that got us here."""
    if resource is not None:
        try:
            resource.close()
        except Exception:  # noqa: BLE001 - closing a broken connection
            pass


def is_connection_lost(exc: BaseException | None) -> bool:
    """True when `exc` (or what it was raised from) says the connection to the server is gone:
    the action did not reach the database, or its commit may not have; reconnecting may help.
    Never True for SQLite errors (a file does not go away like a server)."""
    seen = 0
    while exc is not None and seen < 5:
        if getattr(exc, "connection_lost", False) or getattr(exc, "kind", None) == "connection_lost":
            return True  # tui.store.postgres_errors.ConnectionLost
        module = type(exc).__module__ or ""
        if module.startswith("psycopg"):
            try:
                import psycopg
            except ImportError:  # pragma: no cover - a psycopg error without psycopg
                return False
            if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
                sqlstate = getattr(exc, "sqlstate", None)
                # 08: connection exceptions; 57P01-03: admin shutdown, crash shutdown, cannot connect now
                if sqlstate is None or sqlstate.startswith("08") or sqlstate in ("57P01", "57P02", "57P03"):
                    return True
        # tui.store.postgres keeps the psycopg error it translated as `.postgres`
        exc = getattr(exc, "postgres", None) or exc.__cause__ or exc.__context__
        seen += 1
    return False


@dataclass
class PostgresChangeFeed:
    """LISTEN tui_changes on a connection of its own; reconnects with backoff (see module docstring).

    `connect()` returns a new autocommit psycopg connection (`listen_connection(target)`: same
    server, same credentials). Thread-safe: `wait` from one thread, `close` from any."""

    connect: Callable[[], psycopg.Connection[Any]] = field(repr=False)
    describe: Callable[[BaseException], str] = field(default=connection_problem, repr=False)
    _conn: psycopg.Connection[Any] | None = field(default=None, repr=False)
    _closed: threading.Event = field(default_factory=threading.Event, repr=False)
    _delays: Iterator[float] | None = field(default=None, repr=False)
    _retry_at: float = 0.0
    # Not listening yet, or lost it: report everything once (re)connected. Also on the first
    # connect: whatever was committed between the caller's first read and the LISTEN is covered.
    _lost: bool = True
    problem: str | None = None

    def wait(self, timeout: float) -> Changes | None:
        """Block up to `timeout` seconds for notices; the changes they name, else None."""
        deadline = time.monotonic() + timeout
        if self._closed.is_set():
            return None
        conn = self._conn
        if conn is None or conn.closed:
            conn = self._reconnect(deadline)
            if conn is None:
                return None
            if self._lost:  # notices sent while we were away are gone
                self._lost = False
                return Changes(everything=True)
        documents: set[str] = set()
        everything = False
        try:
            remaining = max(0.0, deadline - time.monotonic())
            for notice in conn.notifies(timeout=remaining, stop_after=1):
                everything, documents = _add(notice.payload, everything, documents)
            # gather what else has arrived already, without waiting
            for notice in conn.notifies(timeout=0.0):
                everything, documents = _add(notice.payload, everything, documents)
        except Exception as exc:  # noqa: BLE001 - the server went away: reconnect, report everything
            self._drop(exc)
            if self._closed.is_set():
                return None
            return Changes(frozenset(documents), everything=True)
        if everything or documents:
            return Changes(frozenset(documents), everything)
        return None

    def close(self) -> None:
        self._closed.set()
        conn, self._conn = self._conn, None
        close_quietly(conn)

    # -- internals --------------------------------------------------------------------------

    def _reconnect(self, deadline: float) -> psycopg.Connection[Any] | None:
        now = time.monotonic()
        if now < self._retry_at:
            self._closed.wait(max(0.0, min(self._retry_at, deadline) - now))
            if time.monotonic() < self._retry_at or self._closed.is_set():
                return None
        try:
            conn = self.connect()
            conn.execute(f"LISTEN {CHANNEL}")
        except Exception as exc:  # noqa: BLE001 - the server is not there (yet): try again later
            self.problem = self.describe(exc)
            if self._delays is None:
                self._delays = backoff_delays()
            self._retry_at = time.monotonic() + next(self._delays)
            self._lost = True
            return None
        if self._closed.is_set():
            conn.close()
            return None
        self._conn, self._delays, self._retry_at, self.problem = conn, None, 0.0, None
        return conn

    def _drop(self, exc: BaseException) -> None:
        self.problem = self.describe(exc)
        self._lost = True
        conn, self._conn = self._conn, None
        close_quietly(conn)


def _add(payload: str, everything: bool, documents: set[str]) -> tuple[bool, set[str]]:
    if payload == EVERYTHING or not payload:
        return True, documents
    documents.add(payload)
    return everything, documents
