"""Opening what `--db` names, for the CLI and the app: a SQLite file or a PostgreSQL database.

    open_target(target, readonly=False) -> Store
    check_existing(target)   # StoreError (one line, no password) unless it holds a tui database

check_existing runs before a read-only command opens its database, so that `tui stats`,
`tui export`, `tui agree`... never create or initialise one.

SQLite: the file exists and is not empty (tui.store.connection.check_existing_database).
PostgreSQL: we can connect, and the database has tui's `documents` table; an empty database (just
made by `createdb`) is told to import first, and nothing is created in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.store.connection import check_existing_database
from tui.store.errors import StoreError
from tui.store.target import PostgresTarget

if TYPE_CHECKING:
    from tui.store.store import Store


def open_target(target: Path | PostgresTarget, *, readonly: bool = False) -> Store:
    """Store.open for either backend."""
    from tui.store.store import Store

    return Store.open(target, readonly=readonly)


def check_existing(target: Path | PostgresTarget) -> None:
    if isinstance(target, Path):
        check_existing_database(target)
        return
    if not postgres_has_tables(target):
        raise StoreError(f"{target.display} has no tui tables yet (an empty database). It was not modified. "
                         f"Import documents first: tui import --db {target.display} FILES...")


def postgres_has_tables(target: PostgresTarget) -> bool:
    """True when the database has tui's tables (StoreError, explained, when it cannot be reached)."""
    from tui.store.postgres_errors import explain_postgres

    try:
        import psycopg
    except ImportError:
        raise StoreError("PostgreSQL support needs psycopg: pip install 'tui-annotate[postgres]'") from None
    try:
        with psycopg.connect(target.conninfo, autocommit=True) as conn:
            row = conn.execute("SELECT to_regclass('documents') IS NOT NULL").fetchone()
    except psycopg.Error as exc:
        raise explain_postgres(exc, target) from None
    return bool(row and row[0])
