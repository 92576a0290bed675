"""`PgConnection`: a psycopg 3 connection in autocommit mode that runs the store's sqlite3-style SQL
(statements translated by tui.store.postgres_sql; see tui.store.postgres for the whole design).

psycopg is imported only when a connection is made (`import_psycopg`), never at import time.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from tui.store.postgres_sql import (
    ID_COLUMNS, PgOperationalError, Translated, convert_params, import_psycopg, translate, translate_error,
)

if TYPE_CHECKING:
    import psycopg

WRITE_LOCK_KEY = 0x7475_6961_6E6E  # "tuiann": the one advisory lock every write transaction takes

_STREAMS = itertools.count(1)


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

    def _fetched(self, fetch: Callable[[psycopg.Cursor[Any]], Any], empty: Any) -> Any:
        """`fetch` on the statement's rows (`empty` when it returns none), failures translated as
        the connection translates them."""
        if not self._has_rows():
            return empty
        assert self._raw is not None
        try:
            return fetch(self._raw)
        except Exception as exc:
            raise self._conn.failed(exc) from exc

    def fetchone(self) -> Any:
        return self._fetched(lambda raw: raw.fetchone(), None)

    def fetchall(self) -> list[Any]:
        rows: list[Any] = self._fetched(lambda raw: raw.fetchall(), [])
        return rows

    def __iter__(self) -> Iterator[Any]:
        if not self._has_rows():
            return iter(())
        assert self._raw is not None
        return iter(self._raw.fetchall())


AfterInsert = Callable[["PgConnection", tuple[str, ...], Sequence[Sequence[Any]]], None]


class PgConnection:
    """A psycopg connection in autocommit mode that runs the store's sqlite3-style SQL (see
    tui.store.postgres). Used by one Store at a time, under that Store's lock."""

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
