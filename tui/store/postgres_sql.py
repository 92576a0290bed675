"""The PostgreSQL adapter's mechanics: the sqlite3-shaped exceptions a psycopg error becomes, and the
translation of the store's sqlite3-style statements into psycopg's (`?`, `?1`, `:name` -> `%s` /
`%(name)s`, `%` -> `%%`, SQLite's `INDEXED BY` hints dropped). See tui.store.postgres.

psycopg is imported only by `import_psycopg`, when a PostgreSQL target is opened.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tui.store.errors import StoreError

INSTALL_HINT = "PostgreSQL support needs psycopg: pip install 'tui-annotate[postgres]'"


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
