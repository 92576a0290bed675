"""`tui index`: build the full-text search index the picker searches article text with, now.

A big import leaves its articles out of the index (tui.store.search: indexing is FTS5's own work and
would cost the import more than half its time); the app indexes them in the background when it opens,
and this command does it at once, chunk by chunk, each chunk its own transaction: stopped (Ctrl-C,
killed) between chunks, nothing is lost and the next run goes on where it stopped.
"""

from __future__ import annotations

import shlex
import time

import click

from tui.commands.common import (
    db_option, environment_target, open_for_reading, open_store, progress_bar, progress_wanted, quiet_option,
    require_database, resolve_db,
)
from tui.safe_text import safe_text
from tui.store.target import Target

CLI_CHUNK = 2_000
"""Documents per transaction here (~0.2 s of FTS5 work: another process's save waits at most that)."""

PAUSE = 0.01
"""Seconds between chunks: SQLite's busy handler polls, and one writer committing back to back would
starve another process's save (the app's) until the end."""


def waiting_line(waiting: int, db: Target) -> str:
    """What `tui import` says when it left articles out of the search index."""
    # a command to copy: the name shell-quoted, after its characters are made safe to show
    where = "" if db == environment_target() else f" --db {shlex.quote(safe_text(db))}"
    return (f"{waiting:,} articles await the search index (titles are searchable already): the app indexes "
            f"them in the background when it opens, or run `tui index{where}` to do it now.")


@click.command("index")
@click.option("--status", "status_only", is_flag=True,
              help="Only say how many articles the search index holds; change nothing.")
@db_option
@quiet_option
@click.pass_context
def index_command(ctx: click.Context, status_only: bool, db_path: Target | None, quiet: bool) -> None:
    """Build the search index of article text now (after a big import), instead of waiting for the
    app to do it in the background. Safe to stop and run again; safe while the app is open.

    Example: tui index --status
    """
    db = resolve_db(ctx, db_path)
    require_database(db)
    if status_only:
        with open_for_reading(db) as store:
            indexed, total = store.search_index_progress()
        state = "complete" if indexed == total else f"{total - indexed:,} to index (tui index)"
        click.echo(f"Search index of {safe_text(db)}: {indexed:,} of {total:,} articles, {state}.")
        return
    with open_store(db) as store:
        indexed, total = store.search_index_progress()
        before = indexed
        try:
            with progress_bar(progress_wanted(quiet), "indexing", total - indexed) as update:
                while indexed < total:
                    last = indexed
                    indexed, total = store.index_search_chunk(CLI_CHUNK)
                    if indexed == last:  # pragma: no cover - nothing left after W: never, by the invariant
                        break
                    if indexed < total:
                        time.sleep(PAUSE)
                    update(max(0, indexed - before))
        except KeyboardInterrupt:
            click.echo(f"Stopped: the search index holds {indexed:,} of {total:,} articles; run tui index "
                       "again to go on (nothing indexed so far is lost).", err=True)
            raise SystemExit(130) from None
    if not quiet:
        click.echo(f"Search index of {safe_text(db)}: {total:,} articles, {indexed - before:,} indexed now.",
                   err=True)
