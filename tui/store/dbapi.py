"""The part of a DB-API connection the store's SQL modules use, as a Protocol both backends satisfy.

`sqlite3.Connection` satisfies it as it is; `tui.store.postgres.PgConnection` is the adapter that
gives psycopg the same shape (qmark/named parameters, cursors with `rowcount`/`lastrowid`, tuple
rows, sqlite3's exception classes). The modules that hold the store's queries are typed against
this Protocol, so mypy proves they call nothing a PostgreSQL connection lacks; what is SQLite-only
(PRAGMAs, the file checks, `sqlite_schema`) stays typed `sqlite3.Connection` in tui.store.connection.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    @property
    def lastrowid(self) -> int | None: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class ExecutingCursor(Cursor, Protocol):
    def execute(self, sql: str, parameters: Any = ..., /) -> ExecutingCursor: ...


class Connection(Protocol):
    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Cursor: ...

    def cursor(self) -> ExecutingCursor: ...

    @property
    def in_transaction(self) -> bool: ...

    def close(self) -> None: ...


def stream(c: Connection, sql: str, parameters: Any = ()) -> Iterator[Any]:
    """The rows of a long read one by one (a SQLite cursor already streams; on PostgreSQL a
    server-side cursor, so an export of every document never holds them all in memory). Inside a
    read transaction; other statements may run on `c` meanwhile."""
    streaming = getattr(c, "stream", None)
    if streaming is not None:
        rows: Iterator[Any] = streaming(sql, parameters)
        return rows
    return iter(c.execute(sql, parameters))
