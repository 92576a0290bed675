"""The `tui` command: a thin click layer over tui.store and tui.formats; the UI is imported lazily.
(A plain `tui` with only the app's options skips click: see tui.launch, the console script.)

    tui                      open the app (importing seeds/ into an empty database first)
    tui import PATH...       add .txt / JSONL documents (and their spans) to the database
    tui export               write JSONL for spaCy / Prodigy / doccano
    tui stats                documents x annotators: span counts per label, status, bars
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from tui import __version__
from tui.launch import (
    BIDI_CHOICES, DEFAULT_DB, NO_ANNOTATOR, PANE_RANGE, SHAPING_CHOICES, Settings, default_annotator,
    failure_message, open_app,
)

STATUS_CHOICES = ("todo", "in_progress", "done", "skipped")


class TuiGroup(click.Group):
    """Turns expected failures into one clear line and exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (tui export | head): stop quietly, without a traceback.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:
            message = failure_message(exc)
            if message is None:
                raise
            raise click.ClickException(message) from None

    # `doctor` is loaded only when asked for: it is not needed to open the app.
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), "doctor"})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name == "doctor" and name not in self.commands:
            from tui.doctor import doctor

            self.add_command(doctor)
        return super().get_command(ctx, name)


def db_option(func: Callable) -> Callable:
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="SQLite database file. Default: the --db given before the command, else ./annotations.db.",
    )(func)


def quiet_option(func: Callable) -> Callable:
    return click.option(
        "--quiet", "-q", is_flag=True, help="No progress bar or summary (errors are still printed)."
    )(func)


def _db(ctx: click.Context, db_path: Path | None) -> Path:
    if db_path is not None:
        return db_path
    settings = ctx.find_object(Settings)
    return settings.db if settings is not None else DEFAULT_DB


def _open_store(path: Path, *, readonly: bool = False):
    from tui.store import Store

    return Store.open(path, readonly=readonly)


def _open_for_reading(path: Path):
    """Export and stats only read: a database we may not write (file or folder) opens read-only."""
    from tui.store.connection import file_is_writable

    return _open_store(path, readonly=not file_is_writable(path))


@click.group(
    cls=TuiGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Run `tui COMMAND --help` for the options of each command.",
)
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DB,
              show_default=True, help="SQLite database file (created on first use).")
@click.option("--annotator", default=None, metavar="NAME",
              help="Your annotator name in the app (and for label edits). Default: $USER (or $LOGNAME).")
@click.option("--panes", type=click.IntRange(PANE_RANGE.start, PANE_RANGE.stop - 1), default=None,
              help="How many articles to show side by side (1-4). Default: the config file's, else 2.")
@click.option("--bidi", type=click.Choice(BIDI_CHOICES), default=None,
              help="Who reorders right-to-left text: the app, the terminal (if it implements bidi), or "
                   "nobody (logical order, for debugging). Default: the config file's, else app.")
@click.option("--shaping", type=click.Choice(SHAPING_CHOICES), default=None,
              help="Join Arabic letters (contextual forms). Default: the config file's, else on.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Settings file (TOML) for the app, e.g. key bindings.")
@click.version_option(__version__, "--version", "-V", help="Show the version and exit.")
@click.pass_context
def main(ctx: click.Context, db_path: Path, annotator: str | None, panes: int | None, bidi: str | None,
         shaping: str | None, config_path: Path | None) -> None:
    """Read news articles side by side (correct right-to-left Arabic) and annotate spans for NLP.

    With no command, opens the app on the database (importing the sample articles in seeds/
    first when the database has no documents).
    """
    given = annotator is not None
    annotator = (annotator or default_annotator()).strip()
    if given and not annotator:
        raise click.BadParameter("must not be empty", param_hint="--annotator")
    if not annotator and ctx.invoked_subcommand is None:
        raise click.ClickException(NO_ANNOTATOR)
    settings = Settings(db_path, annotator, panes, bidi, None if shaping is None else shaping == "on", config_path)
    ctx.obj = settings
    if ctx.invoked_subcommand is None:
        ctx.exit(open_app(settings))


# ------------------------------------------------------------------------ progress


def _progress_wanted(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


@contextmanager
def _progress(enabled: bool, description: str, total: int | None, console: Any = None
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


# -------------------------------------------------------------------------- import


@main.command("import")
@click.argument("paths", nargs=-1, required=False, type=click.Path(path_type=Path))
@click.option("--links", "links_file", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Import links between spans (JSONL as tui export --links writes) instead of articles.")
@click.option("--annotator", default="import", show_default=True, metavar="NAME",
              help="Annotator the imported spans (and statuses) are stored under.")
@click.option("--keep-annotators", is_flag=True,
              help="Store each record's spans under the annotator it names (_annotator_id in spacy form, "
                   "annotator in doccano form, as tui export writes them); --annotator is the fallback.")
@click.option("--lang", default=None, metavar="CODE",
              help="Language of every document (e.g. vi, ar). Default: from the record's meta, else "
                   "detected from the script.")
@db_option
@quiet_option
@click.pass_context
def import_command(ctx: click.Context, paths: tuple[Path, ...], links_file: Path | None, annotator: str,
                   keep_annotators: bool, lang: str | None, db_path: Path | None, quiet: bool) -> None:
    """Import .txt files, folders of them, and JSONL (Prodigy/spaCy or doccano).

    A .txt file is one document: the whole file is stored (UTF-8 or UTF-16 with BOM, CRLF made
    LF, NFC) and its first non-blank line is the title. JSONL records may carry spans, stored as
    ANNOTATOR's. Re-importing the same content adds nothing. The import is one transaction: a bad
    file or line stops it with FILE:LINE: REASON, exit code 1, and the database unchanged.

    Example: tui import seeds/ more/articles.jsonl --annotator alice

    With --links FILE, imports links between spans instead (after the articles: tui import --links links.jsonl).
    """
    from tui.formats import collect_files, import_paths

    db = _db(ctx, db_path)
    if links_file is not None or not paths:
        from tui.cli_links import import_links_command

        return import_links_command(db, links_file, paths, quiet)
    files = collect_files(paths)
    total = sum(path.stat().st_size for path in files)
    existed = db.exists()
    try:
        with _open_store(db) as store:
            with _progress(_progress_wanted(quiet), "importing", total) as update:
                summary = import_paths(store, files, annotator=annotator, language=lang, progress=update,
                                       keep_annotators=keep_annotators)
    except BaseException:
        if not existed:
            _remove_if_still_empty(db)  # a failed first import leaves no database behind
        raise
    if not quiet:
        click.echo(f"Imported into {db}: {summary.describe()}.", err=True)


def _remove_if_still_empty(db: Path) -> None:
    """Delete a database this command created, if it holds no documents (nobody else used it)."""
    import sqlite3

    try:
        conn = sqlite3.connect(db)
        try:
            empty = conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
        finally:
            conn.close()
    except sqlite3.Error:
        return
    if empty:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)


# -------------------------------------------------------------------------- export


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["spacy", "doccano", "mentions"]), default=None,
              help="spacy (default): Prodigy/spaCy records {text, spans, meta, _annotator_id, answer}; "
                   "doccano: {id, text, label: [[start, end, LABEL]], annotator}; "
                   "mentions (with --links): one line per mention of a cluster, with its cluster_id.")
@click.option("--links", "links", is_flag=True,
              help="Export links between spans, one JSON line per link (see README: Links).")
@click.option("--annotator", "annotators", multiple=True, metavar="NAME",
              help="Only this annotator's work (repeat for several). Default: everyone.")
@click.option("--label", "labels", multiple=True, metavar="LABEL",
              help="Only spans with this label (repeat for several). Default: all labels.")
@click.option("--status", type=click.Choice(STATUS_CHOICES), default=None,
              help="Only (document, annotator) pairs with this status, e.g. done.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (atomically: all of it or nothing). Default: standard output.")
@db_option
@quiet_option
@click.pass_context
def export_command(ctx: click.Context, fmt: str | None, links: bool, annotators: tuple[str, ...],
                   labels: tuple[str, ...], status: str | None, output: Path | None, db_path: Path | None,
                   quiet: bool) -> None:
    """Export annotations as JSONL, one line per (document, annotator).

    Offsets are code-point indices into "text"; every span is checked (text[start:end] equals
    the span's text) before its line is written, and a mismatch stops the export with exit code 1
    (with -o, nothing is written). Output is deterministic: documents in import order,
    annotators by name, spans by (start, end, label).

    Example: tui export --status done --annotator alice -o train.jsonl
    """
    from tui.formats import export_jsonl
    from tui.formats.exporter import atomic_output

    db = _db(ctx, db_path)
    if links or fmt == "mentions":
        from tui.cli_links import export_links_command

        return export_links_command(db, fmt, links, annotators, labels, status, output, quiet, _open_for_reading)
    fmt = fmt or "spacy"
    if not db.exists():
        raise click.ClickException(f"{db} does not exist. Import documents first: tui import --db {db} FILES...")
    with _open_for_reading(db) as store:
        total = store.count_documents()
        # The bar goes to stderr; not while JSONL is scrolling past on the same terminal.
        show = _progress_wanted(quiet) and (output is not None or not sys.stdout.isatty())
        with _progress(show, "exporting", total) as update:
            if output is None:
                stdout = sys.stdout
                if hasattr(stdout, "reconfigure") and (stdout.encoding or "").lower().replace("-", "") != "utf8":
                    stdout.reconfigure(encoding="utf-8")  # JSONL is UTF-8 whatever the locale says
                summary = export_jsonl(store, stdout, fmt=fmt, annotators=annotators, labels=labels, status=status,
                                       progress=lambda n: update(n))
                stdout.flush()
            else:
                with atomic_output(output) as handle:
                    summary = export_jsonl(store, handle, fmt=fmt, annotators=annotators, labels=labels,
                                           status=status, progress=lambda n: update(n))
    if not quiet and summary.lines == 0:
        click.echo("Nothing to export: nobody has spans or a status on a document yet, or the filters matched "
                   "nothing (see tui stats).", err=True)
    elif not quiet and output is not None:
        click.echo(f"Wrote {summary.lines} lines ({summary.documents} documents, {summary.spans} spans) "
                   f"to {output}.", err=True)


# --------------------------------------------------------------------------- stats


@main.command("stats")
@click.option("--annotator", "annotators", multiple=True, metavar="NAME",
              help="Only these annotators (repeat for several). Default: everyone.")
@click.option("--limit", type=click.IntRange(0), default=50, show_default=True,
              help="Documents to list one by one (0 = all); totals always cover every document.")
@db_option
@click.pass_context
def stats_command(ctx: click.Context, annotators: tuple[str, ...], limit: int, db_path: Path | None) -> None:
    """Show documents x annotators: span counts per label, status and a bar of the label mix.

    Example: tui stats --annotator alice
    """
    from tui.store.stats import collect_stats

    db = _db(ctx, db_path)
    if not db.exists():
        raise click.ClickException(f"{db} does not exist. Import documents first: tui import --db {db} FILES...")
    with _open_for_reading(db) as store:
        stats = collect_stats(store, limit=limit, annotators=list(annotators) or None)
        colours = {label.name: label.colour for label in store.labels()}
    settings = ctx.find_object(Settings)
    bidi = settings.bidi if settings is not None else None
    shaping = settings.shaping if settings is not None else None
    _print_stats(stats, colours, lambda title, width: display_title(title, width, bidi, shaping))


def display_title(title: str, width: int, bidi: str | None, shaping: bool | None) -> str:
    """A title for a table cell of `width` columns, drawn as the app draws it.

    With --bidi app (the default) right-to-left titles are shaped and put in visual order by the
    layout engine (terminals that do no bidi then show them right); otherwise logical order.
    Control, format and bidi-control characters never reach the terminal either way.
    """
    if bidi not in (None, "app") or width < 4:
        return safe_text(title, width)
    from tui.layout import DocumentLayout, LayoutOptions

    flat = safe_text(title, max(len(title), 1)).replace("\n", " ")
    layout = DocumentLayout(flat, width - 1, LayoutOptions(shaping=shaping is not False))
    line = layout.line(0)
    shown = "".join(cell.text for cell in line.cells).strip()
    if line.end < len(flat.rstrip()):  # cut: the ellipsis goes where the reading stops
        shown = "…" + shown if line.rtl else shown + "…"
    return shown


def safe_text(text: str, limit: int = 60) -> str:
    """Text for a table cell: control, format and bidi-control characters become '·'; cut to `limit`."""
    cleaned = "".join(
        "·" if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp") else ch
        for ch in text[: limit + 1]
    )
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _bar(counts: dict[str, int], labels: list[str], colours: dict[str, str], width: int = 16):
    from rich.text import Text

    total = sum(counts.values())
    bar = Text()
    if not total:
        return Text("·" * width, style="dim")
    used = 0
    for index, label in enumerate(labels):
        n = counts.get(label, 0)
        if not n:
            continue
        cells = round(n / total * width) if index < len(labels) - 1 else width - used
        cells = max(1, min(cells, width - used))
        bar.append("█" * cells, style=colours.get(label, "white"))
        used += cells
    if used < width:
        bar.append(" " * (width - used))
    return bar


def _table_overhead(columns: int) -> int:
    """Columns a rich Table with a SIMPLE_HEAD box adds around its cells: one space of padding each
    side of a cell, one between columns and one at each edge (its rules are spaces)."""
    return 3 * columns + 1


def _print_stats(stats: Any, colours: dict[str, str], title_for: Callable[[str, int], str] | None = None) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    labels = stats.labels
    legend = Text("  ").join(Text(f"█ {label}", style=colours.get(label, "white")) for label in labels)

    # Numbers and their headings are never squeezed (an 80-column terminal would show "in prog…");
    # the name columns give way instead.
    people = Table(title=f"{stats.documents} documents · annotators", box=box.SIMPLE_HEAD, title_justify="left",
                   caption=None if stats.annotators else "nobody has annotated yet", caption_justify="left")
    mix = console.width >= 100  # the bars only where they fit beside every number (not at 80 columns)
    statuses = ("done", "in_progress", "skipped")
    headings = [status.replace("_", " ") for status in statuses] + [safe_text(label, 12) for label in labels]
    widths = [max(len(heading), len(f"{most:,}")) for heading, most in zip(headings, [
        max([per.get(status, 0) for per in stats.statuses.values()] + [0]) for status in statuses] + [
        max([per.get(label, 0) for per in stats.totals.values()] + [0]) for label in labels])]
    columns = 1 + len(widths) + mix
    name_width = min(24, max(8, console.width - sum(widths) - 16 * mix - _table_overhead(columns)))
    people.add_column("annotator", width=name_width, no_wrap=True, overflow="ellipsis")
    for index, (heading, width) in enumerate(zip(headings, widths)):
        label_style = colours.get(labels[index - len(statuses)]) if index >= len(statuses) else None
        people.add_column(heading, width=width, justify="right", style=label_style, no_wrap=True)
    if mix:
        people.add_column("label mix", width=16, no_wrap=True)
    for annotator in stats.annotators:
        per_status = stats.statuses.get(annotator, {})
        counts = stats.totals.get(annotator, {})
        people.add_row(
            Text(safe_text(annotator, 24)),
            *(f"{per_status.get(s, 0):,}" for s in ("done", "in_progress", "skipped")),
            *(f"{counts.get(label, 0):,}" for label in labels),
            *([_bar(counts, labels, colours)] if mix else []),
        )
    console.print(people)

    docs = Table(title="documents × annotators", box=box.SIMPLE_HEAD, title_justify="left")
    annotator_width = min(16, max([9] + [len(row.annotator) for row in stats.rows]))
    label_widths = [max(5, min(12, len(label))) for label in labels]
    padding = _table_overhead(4 + mix + len(labels))
    room = console.width - (4 + 11 + sum(label_widths) + (10 if mix else 0)) - padding
    annotator_width = max(6, min(annotator_width, room - 12))  # narrow: the title keeps 12 columns if it can
    title_width = max(8, room - annotator_width)
    docs.add_column("document", width=title_width, no_wrap=True, overflow="ellipsis")
    docs.add_column("lang", width=4, no_wrap=True, overflow="ellipsis")
    docs.add_column("annotator", width=annotator_width, no_wrap=True, overflow="ellipsis")
    docs.add_column("status", width=11, no_wrap=True)
    for label, width in zip(labels, label_widths):
        docs.add_column(safe_text(label, 12), width=width, justify="right", style=colours.get(label), no_wrap=True,
                        overflow="ellipsis")
    if mix:
        docs.add_column("label mix", width=10, no_wrap=True)
    status_style = {"done": "green", "in_progress": "yellow", "skipped": "dim", "todo": "dim"}
    for row in stats.rows:
        docs.add_row(
            Text(title_for(row.title, title_width) if title_for else safe_text(row.title, title_width)), Text(safe_text(row.language, 8)), Text(safe_text(row.annotator, 24)),
            Text(row.status.replace("_", " "), style=status_style.get(row.status, "")),
            *(f"{row.counts.get(label, 0):,}" if row.annotator else "" for label in labels),
            *([_bar(row.counts, labels, colours, width=10) if row.annotator else Text("")] if mix else []),
        )
    console.print(docs)
    if stats.shown_documents < stats.documents:
        console.print(Text(f"… {stats.documents - stats.shown_documents:,} more documents (--limit 0 lists all)",
                           style="dim"))
    if mix:
        console.print(legend)


from tui.commands.agree import agree_command  # noqa: E402  (commands in their own modules)

from tui.commands.merge import merge_command  # noqa: E402

main.add_command(agree_command)
main.add_command(merge_command)
from tui.commands.labels import labels_command  # noqa: E402

main.add_command(labels_command)

if __name__ == "__main__":  # pragma: no cover
    main()
