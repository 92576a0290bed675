"""What every `tui` subcommand shares: the --db and --quiet options and opening the database.

A command in its own module (tui/commands/NAME.py) uses these and is listed in
:data:`tui.commands.registry.COMMANDS`; tui/cli.py loads it when it is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from tui.launch import DEFAULT_DB, Settings
from tui.safe_text import safe_text

if TYPE_CHECKING:
    from tui.store import Store

F = TypeVar("F", bound=Callable[..., object])


def db_option(func: F) -> F:
    """``--db FILE`` on a subcommand (the group's --db, given before the command, is the default)."""
    return click.option(
        "--db", "db_path", type=click.Path(path_type=Path), default=None,
        help="SQLite database file. Default: the --db given before the command, else ./annotations.db.",
    )(func)


def quiet_option(func: F) -> F:
    return click.option(
        "--quiet", "-q", is_flag=True, help="No progress bar or summary (errors are still printed)."
    )(func)


def resolve_db(ctx: click.Context, db_path: Path | None) -> Path:
    """The database a subcommand works on: its own --db, else the group's, else the default."""
    if db_path is not None:
        return db_path
    settings = ctx.find_object(Settings)
    return settings.db if settings is not None else DEFAULT_DB


def open_store(path: Path, *, readonly: bool = False) -> Store:
    from tui.store import Store

    return Store.open(path, readonly=readonly)


def open_for_reading(path: Path) -> Store:
    """Commands that only read (export, stats, agree...): the database must exist and not be empty
    (they never create or initialise one); one we may not write (file or folder) opens read-only."""
    from tui.store.connection import check_existing_database, file_is_writable

    check_existing_database(path)
    return open_store(path, readonly=not file_is_writable(path))


def require_database(db: Path) -> None:
    """A command that only reads stops with one clear line when the database does not exist or is
    an empty (0-byte) file: it never creates or initialises one."""
    from tui.store import StoreError
    from tui.store.connection import check_existing_database

    try:
        check_existing_database(db)
    except StoreError as exc:
        raise click.ClickException(safe_text(exc)) from None
