"""`tui export --links` and `tui import --links FILE`: the click side (thin; the work is in tui.formats.links)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from tui.safe_text import safe_text
from tui.store.target import Target


def export_links_command(
    db: Target, fmt: str | None, links: bool, annotators: Sequence[str], labels: Sequence[str], status: str | None,
    output: Path | None, quiet: bool, open_for_reading: Callable[[Target], Any],
) -> None:
    from tui.commands.common import prepare_export, utf8_stdout
    from tui.formats.exporter import atomic_output
    from tui.formats.links import export_links

    if not links:
        raise click.UsageError("--format mentions lists the mentions of linked spans: add --links.")
    if fmt not in (None, "mentions"):
        raise click.UsageError(f"--links writes links (default) or --format mentions, not --format {fmt}.")
    if labels or status:
        raise click.UsageError("--label and --status filter spans; with --links use --annotator only.")
    kind = fmt or "links"
    output_existed = prepare_export(output, db)  # the same guards as tui export
    with open_for_reading(db) as store:
        if output is None:
            stdout = utf8_stdout()
            summary = export_links(store, stdout, fmt=kind, annotators=annotators, terminal=stdout.isatty())
            stdout.flush()
        else:
            with atomic_output(output, keep_if_empty=True) as handle:
                summary = export_links(store, handle, fmt=kind, annotators=annotators)
    if not quiet and summary.lines == 0:
        kept = f" {safe_text(str(output))} was left as it was." if output_existed else ""
        click.echo(f"Nothing to export: nobody has linked spans yet, or the filters matched nothing.{kept}",
                   err=True)
    elif not quiet and output is not None:
        what = f"{summary.links} links" if kind == "links" else f"{summary.mentions} mentions"
        click.echo(f"Wrote {what} to {safe_text(str(output))}.", err=True)


def import_links_command(db: Target, links_file: Path | None, paths: Sequence[Path], quiet: bool) -> None:
    if links_file is None:
        raise click.UsageError("Missing argument 'PATHS...' (files or folders to import, or --links FILE).")
    if paths:
        raise click.UsageError("--links FILE imports links only: import the articles first, in their own command.")
    if isinstance(db, Path) and not db.exists():
        raise click.ClickException(f"{db} does not exist. Import the articles first: tui import --db {db} FILES...")
    if not isinstance(db, Path):
        from tui.commands.common import require_database

        require_database(db)  # no tui tables: the articles were not imported (and nothing is created)
    from tui.formats.links import import_links
    from tui.store.opening import open_target

    with open_target(db) as store:
        summary = import_links(store, links_file)
    if not quiet:
        click.echo(f"Imported into {safe_text(str(db))}: {summary.describe()}.", err=True)
