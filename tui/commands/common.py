"""What every `tui` subcommand shares: the --db, --quiet, --annotator, --label and --status options
and opening the database.

A command in its own module (tui/commands/NAME.py) uses these and is listed in
:data:`tui.commands.registry.COMMANDS`; tui/cli.py loads it when it is asked for.

`--db TARGET` is a SQLite file or a postgresql:// URL (tui.store.target.parse_target); without it,
$TUI_DB, else ./annotations.db. The file-only checks (a read-only command never creates the file,
`-o` never writes over it) apply to SQLite files; a PostgreSQL database is named by its URL without
the password in every message.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from tui.launch import Settings
from tui.safe_text import safe_text
from tui.store.target import PostgresTarget, Target, TargetError, parse_target
from tui.vocabulary import STATUSES

if TYPE_CHECKING:
    from tui.store import Store

F = TypeVar("F", bound=Callable[..., object])

DB_HELP = ("Database: a SQLite file, or postgresql://USER@HOST:PORT/DBNAME (password from PGPASSWORD or "
           "~/.pgpass). Default: the --db given before the command, else $TUI_DB, else ./annotations.db.")


class TargetType(click.ParamType):
    """``--db``'s value: a SQLite path (checked as click.Path checks it) or a PostgreSQL target.
    A bad URL is one line that never quotes it (it may hold a password)."""

    name = "target"

    def __init__(self, *, dir_okay: bool = True) -> None:
        self.path = click.Path(dir_okay=dir_okay, path_type=Path)

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "TARGET"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Target:
        if isinstance(value, (Path, PostgresTarget)):
            return value
        try:
            target = parse_target(str(value))
        except TargetError as exc:
            self.fail(str(exc), param, ctx)
        if isinstance(target, Path):
            return self.path.convert(str(value), param, ctx)
        return target


TARGET = TargetType()
TARGET_FILE = TargetType(dir_okay=False)


def db_option(func: F) -> F:
    """``--db TARGET`` on a subcommand (the group's --db, given before the command, is the default)."""
    return click.option("--db", "db_path", type=TARGET, default=None, help=DB_HELP)(func)


def db_file_option(func: F) -> F:
    """``--db TARGET`` where a folder is refused at once (click's usage error), as `db_option` otherwise."""
    return click.option("--db", "db_path", type=TARGET_FILE, default=None, help=DB_HELP)(func)


def annotators_option(help: str) -> Callable[[F], F]:
    """``--annotator NAME`` (repeatable) into the ``annotators`` tuple; `help` says whose work it picks."""
    return click.option("--annotator", "annotators", multiple=True, metavar="NAME", help=help)


def labels_option(help: str = "Only these labels (repeat for several).") -> Callable[[F], F]:
    """``--label LABEL`` (repeatable) into the ``labels`` tuple."""
    return click.option("--label", "labels", multiple=True, metavar="LABEL", help=help)


def status_option(help: str) -> Callable[[F], F]:
    """``--status`` (one of the document statuses, or None)."""
    return click.option("--status", type=click.Choice(STATUSES), default=None, help=help)


def label_look_options(*, key: str, no_key: str, colour: str, description: str) -> Callable[[F], F]:
    """``--key``, ``--no-key``, ``--colour`` and ``--description`` of `tui labels set` and `tui labels
    links set` (the arguments are their help texts)."""

    def apply(func: F) -> F:
        for option in reversed((
            click.option("--key", default=None, metavar="K", help=key),
            click.option("--no-key", is_flag=True, help=no_key),
            click.option("--colour", "--color", "colour", default=None, metavar="#RRGGBB", help=colour),
            click.option("--description", default=None, metavar="TEXT", help=description),
        )):
            func = option(func)
        return func

    return apply


def environment_target() -> Target:
    """$TUI_DB, else ./annotations.db; a bad $TUI_DB is one line naming the variable."""
    try:
        return parse_target(None)
    except TargetError as exc:
        raise click.ClickException(f"$TUI_DB: {exc}") from None


def quiet_option(func: F) -> F:
    return click.option(
        "--quiet", "-q", is_flag=True, help="No progress bar or summary (errors are still printed)."
    )(func)


def resolve_db(ctx: click.Context, db_path: Target | None) -> Target:
    """The database a subcommand works on: its own --db, else the group's, else $TUI_DB, else the default."""
    if db_path is not None:
        return db_path
    settings = ctx.find_object(Settings)
    return settings.db if settings is not None else environment_target()


def open_store(target: Target, *, readonly: bool = False) -> Store:
    from tui.store.opening import open_target

    return open_target(target, readonly=readonly)


def open_for_reading(target: Target) -> Store:
    """Commands that only read (export, stats, agree...): the database must exist and not be empty
    (they never create or initialise one); a file we may not write (or its folder) opens read-only."""
    from tui.store.connection import file_is_writable
    from tui.store.opening import check_existing

    check_existing(target)
    if isinstance(target, Path):
        return open_store(target, readonly=not file_is_writable(target))
    return open_store(target)


def require_database(db: Target) -> None:
    """A command that only reads stops with one clear line when the database does not exist, is an
    empty (0-byte) file, or a PostgreSQL database without tui's tables: it never creates or
    initialises one."""
    from tui.store import StoreError
    from tui.store.opening import check_existing

    try:
        check_existing(db)
    except StoreError as exc:
        raise click.ClickException(safe_text(exc)) from None


def exists(target: Target) -> bool:
    """Whether a SQLite file is already there (a PostgreSQL database always is: createdb made it)."""
    return not isinstance(target, Path) or target.exists()


def prepare_export(output: Path | None, db: Target) -> bool:
    """The guards of every export (spans and links): -o never writes over a database, the database
    must exist. Returns whether the output file existed before (it is left as it was when there is
    nothing to export)."""
    from tui.formats.exporter import refuse_database_output

    if output is not None:
        refuse_database_output(output, db)
    output_existed = output is not None and output.exists()
    require_database(db)
    return output_existed


def utf8_stdout() -> TextIO:
    """Standard output, writing UTF-8 whatever the locale says (JSONL is UTF-8)."""
    stdout = sys.stdout
    if hasattr(stdout, "reconfigure") and (stdout.encoding or "").lower().replace("-", "") != "utf8":
        stdout.reconfigure(encoding="utf-8")
    return stdout


def progress_wanted(quiet: bool) -> bool:
    """A progress bar only for a person watching: not with --quiet, not when stderr is piped."""
    return not quiet and sys.stderr.isatty()


@contextmanager
def progress_bar(enabled: bool, description: str, total: int | None, console: Any = None
                 ) -> Iterator[Callable[..., None]]:
    """Yields update(completed, items): a Rich bar on stderr with count, rate and time left."""
    if not enabled:
        yield lambda completed, items=None: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[items]:,} documents"),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=console or Console(stderr=True),
        transient=True,
    )
    task = progress.add_task(description, total=total, items=0, rate="")
    with progress:
        def update(completed: int, items: int | None = None) -> None:
            items = completed if items is None else items
            elapsed = progress.tasks[0].elapsed or 0.0
            rate = f"{items / elapsed:,.0f} documents/s" if elapsed > 0 and items else ""
            progress.update(task, completed=completed, items=items, rate=rate)

        yield update
