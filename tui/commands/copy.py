"""`tui copy SRC DST`: a whole project from one database into another (SQLite or PostgreSQL, either
way). The work is tui.store.copying; this module checks the two targets and reports."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from tui.commands.common import TARGET_FILE, quiet_option, require_database
from tui.safe_text import safe_text
from tui.store.target import PostgresTarget, Target


@click.command("copy")
@click.argument("src", type=TARGET_FILE, metavar="SRC")
@click.argument("dst", type=TARGET_FILE, metavar="DST")
@quiet_option
def copy_command(src: Target, dst: Target, quiet: bool) -> None:
    """Copy a whole project from SRC into DST: documents (in their order), spans, the full history
    (so undo works on the copy), statuses, labels, links, candidates and decisions, patterns and
    reading directions. Each is a SQLite file or a postgresql:// URL.

    DST must be empty: a new file, a database just made with createdb, or one with no documents
    and no history; anything else is refused and left as it is. The copy is one transaction: all
    of it or nothing. SRC is only read.

    Example: tui copy annotations.db postgresql://alice@db.lab/news
    """
    from tui.store.copying import copy_project, project_counts, refuse_unless_empty
    from tui.store.opening import check_existing, open_target

    if _same(src, dst):
        raise click.ClickException(f"SRC and DST are the same database ({safe_text(src)}): nothing to copy.")
    require_database(src)
    created = isinstance(dst, Path) and not dst.exists()
    if not created and _has_tables(dst):
        check_existing(dst)
        with open_target(dst, readonly=True) as existing:  # looked at, never written
            held = refuse_unless_empty(existing)
        if held is not None:
            raise click.ClickException(
                f"{safe_text(dst)} is not empty ({held}): tui copy only fills an empty database. Nothing "
                "was changed. Choose a new file, or a database made with createdb.")
    try:
        with open_target(src, readonly=True) as source:
            counts = project_counts(source)
            total = sum(counts.values())
            with open_target(dst) as target, _progress(not quiet and sys.stderr.isatty(), total) as update:
                copied = copy_project(source, target, progress=update)
    except BaseException:
        if created and isinstance(dst, Path):
            _remove_new_file(dst)  # a failed copy into a new file leaves no file behind
        raise
    if not quiet:
        parts = [f"{copied['documents']:,} documents", f"{copied['spans']:,} spans", f"{copied['events']:,} events",
                 f"{copied['document_status']:,} statuses", f"{copied['labels']:,} labels",
                 f"{copied['links']:,} links", f"{copied['candidates']:,} candidates"]
        click.echo(f"Copied {safe_text(src)} into {safe_text(dst)}: {', '.join(parts)}.", err=True)


def _same(src: Target, dst: Target) -> bool:
    if isinstance(src, PostgresTarget) or isinstance(dst, PostgresTarget):
        return isinstance(src, PostgresTarget) and isinstance(dst, PostgresTarget) and src.without_password() == \
            dst.without_password()
    try:
        return src.exists() and dst.exists() and src.samefile(dst)
    except OSError:
        return os.path.abspath(src) == os.path.abspath(dst)


def _has_tables(target: Target) -> bool:
    """A file that exists (checked further when opened), or a server database with tui's tables."""
    if isinstance(target, Path):
        return target.exists() and target.stat().st_size > 0
    from tui.store.opening import postgres_has_tables

    return postgres_has_tables(target)


def _remove_new_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[int, str], None]]:
    """A bar on stderr (rows copied, the table being copied), only when stderr is a terminal."""
    if not enabled:
        yield lambda done, table: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    progress = Progress(TextColumn("[bold]copying"), BarColumn(), TaskProgressColumn(),
                        TextColumn("{task.fields[table]}"), TimeRemainingColumn(),
                        console=Console(stderr=True), transient=True)
    task = progress.add_task("copying", total=total or None, table="")
    with progress:
        yield lambda done, table: progress.update(task, completed=done, table=table.replace("_", " "))
