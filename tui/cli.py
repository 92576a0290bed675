"""The `tui` command: a thin click layer over tui.store and tui.formats; the UI is imported lazily.
(A plain `tui` with only the app's options skips click: see tui.launch, the console script.)

    tui                      open the app (importing seeds/ into an empty database first)
    tui import PATH...       add .txt / JSONL documents (and their spans) to the database
    tui export               write JSONL for spaCy / Prodigy / doccano
    tui stats                documents x annotators: span counts per label, status, bars
    tui agree, merge, ...    commands in their own modules (tui/commands/, listed in tui.commands.registry)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from tui import __version__
from tui.commands.common import (
    TARGET, annotators_option, db_option, environment_target, exists, labels_option, open_for_reading, open_store,
    prepare_export, progress_bar, progress_wanted, quiet_option, require_database, resolve_db, status_option,
    utf8_stdout,
)
from tui.commands.registry import COMMANDS, load_command
from tui.launch import (
    BIDI_CHOICES, NO_ANNOTATOR, PANE_RANGE, SHAPING_CHOICES, Settings, default_annotator,
    failure_message, name_list, open_app,
)
from tui.safe_text import safe_text
from tui.store.target import Target, redact_urls


class TuiGroup(click.Group):
    """Turns expected failures into one clear line and exit code 1, never a traceback; every
    message (ours and click's usage errors, which quote what was typed) passes tui.safe_text."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:  # a usage error quoting what was typed (maybe a URL's password)
            exc.message = safe_text(redact_urls(exc.message))  # type: ignore[misc]  # click marks it Final; same exception, same exit code
            raise

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (tui export | head): stop quietly, without a traceback.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)
        except click.ClickException as exc:
            exc.message = safe_text(redact_urls(exc.message))  # type: ignore[misc]  # click marks it Final; same exception, same exit code
            raise
        except Exception as exc:
            message = failure_message(exc)
            if message is None:
                raise
            raise click.ClickException(message) from None

    # Commands in their own modules (tui.commands.registry) are loaded only when asked for.
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands:
            command = load_command(name)
            if command is not None:
                self.add_command(command, name)
        return super().get_command(ctx, name)


# The shared helpers under their old names (commands written before tui.commands.common use them).
_db = resolve_db
_open_store = open_store
_open_for_reading = open_for_reading


@click.group(
    cls=TuiGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Run `tui COMMAND --help` for the options of each command.",
)
@click.option("--db", "db_path", type=TARGET, default=None,
              help="Database: a SQLite file (created on first use), or postgresql://USER@HOST:PORT/DBNAME "
                   "(made with createdb; password from the URL, PGPASSWORD or ~/.pgpass, never printed). "
                   "Default: $TUI_DB, else ./annotations.db.")
@click.option("--annotator", default=None, metavar="NAME",
              help="Your annotator name in the app (and for label edits). Default: $USER (or $LOGNAME).")
@click.option("--panes", type=click.IntRange(PANE_RANGE.start, PANE_RANGE.stop - 1), default=None,
              help="How many articles to show side by side (1-4). Default: the config file's, else 2.")
@click.option("--bidi", type=click.Choice(BIDI_CHOICES), default=None,
              help="Who reorders right-to-left text: the app, the terminal (if it implements bidi), or "
                   "nobody (logical order, for debugging). Default: the config file's, else app.")
@click.option("--shaping", type=click.Choice(SHAPING_CHOICES), default=None,
              help="Join Arabic letters (contextual forms). Default: the config file's, else on.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), default=None,
              help="Settings file (TOML) for the app, e.g. key bindings.")
@click.option("--candidates", "candidates", default=None, metavar="SOURCE[,SOURCE]",
              help="Offer these sources' spans as candidates to accept (a) or reject (X): annotators "
                   "(import, model-x, bob) or processes (suggest:dates). Also C in the app.")
@click.option("--as", "as_annotators", default=None, metavar="NAME[,NAME]",
              help="Whose spans each pane shows, pane by pane (others' are read-only), e.g. "
                   "--panes 3 --as alice,bob,gold to adjudicate side by side.")
@click.version_option(__version__, "--version", "-V", help="Show the version and exit.")
@click.pass_context
def main(ctx: click.Context, db_path: Target | None, annotator: str | None, panes: int | None, bidi: str | None,
         shaping: str | None, config_path: Path | None, candidates: str | None, as_annotators: str | None) -> None:
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
    if db_path is None:
        db_path = environment_target()
    settings = Settings(db_path, annotator, panes, bidi, None if shaping is None else shaping == "on", config_path,
                        name_list(candidates), name_list(as_annotators))
    ctx.obj = settings
    if ctx.invoked_subcommand is None:
        ctx.exit(open_app(settings))


# ------------------------------------------------------------------------ progress
# (tui.commands.common: `tui index` draws the same bar)

_progress_wanted = progress_wanted
_progress = progress_bar


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
                   keep_annotators: bool, lang: str | None, db_path: Target | None, quiet: bool) -> None:
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
    existed = exists(db)
    try:
        with _open_store(db) as store:
            with _progress(_progress_wanted(quiet), "importing", total) as update:
                summary = import_paths(store, files, annotator=annotator, language=lang, progress=update,
                                       keep_annotators=keep_annotators)
            indexed, documents = store.search_index_progress()
    except BaseException:
        if not existed and isinstance(db, Path):
            from tui.store.connection import remove_if_empty

            remove_if_empty(db)  # a failed first import leaves no database behind
        raise
    if not quiet:
        click.echo(f"Imported into {safe_text(db)}: {summary.describe()}.", err=True)
        if indexed < documents:
            from tui.commands.index import waiting_line

            click.echo(waiting_line(documents - indexed, db), err=True)


# -------------------------------------------------------------------------- export


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["spacy", "doccano", "mentions"]), default=None,
              help="spacy (default): Prodigy/spaCy records {text, spans, meta, _annotator_id, answer}; "
                   "doccano: {id, text, label: [[start, end, LABEL]], annotator}; "
                   "mentions (with --links): one line per mention of a cluster, with its cluster_id.")
@click.option("--links", "links", is_flag=True,
              help="Export links between spans, one JSON line per link (see README: Links).")
@annotators_option("Only this annotator's work (repeat for several). Default: everyone.")
@labels_option("Only spans with this label (repeat for several). Default: all labels.")
@status_option("Only (document, annotator) pairs with this status, e.g. done.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (atomically: all of it or nothing). Default: standard output.")
@db_option
@quiet_option
@click.pass_context
def export_command(ctx: click.Context, fmt: str | None, links: bool, annotators: tuple[str, ...],
                   labels: tuple[str, ...], status: str | None, output: Path | None, db_path: Target | None,
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
    output_existed = prepare_export(output, db)
    with _open_for_reading(db) as store:
        total = store.count_documents()
        # The bar goes to stderr; not while JSONL is scrolling past on the same terminal.
        show = _progress_wanted(quiet) and (output is not None or not sys.stdout.isatty())
        with _progress(show, "exporting", total) as update:
            if output is None:
                stdout = utf8_stdout()
                summary = export_jsonl(store, stdout, fmt=fmt, annotators=annotators, labels=labels, status=status,
                                       progress=lambda n: update(n), terminal=stdout.isatty())
                stdout.flush()
            else:
                with atomic_output(output, keep_if_empty=True) as handle:
                    summary = export_jsonl(store, handle, fmt=fmt, annotators=annotators, labels=labels,
                                           status=status, progress=lambda n: update(n))
    if not quiet and summary.lines == 0:
        kept = f" {safe_text(output)} was left as it was." if output_existed else ""
        click.echo("Nothing to export: nobody has spans or a status on a document yet, or the filters matched "
                   f"nothing (see tui stats).{kept}", err=True)
    elif not quiet and output is not None:
        click.echo(f"Wrote {summary.lines} lines ({summary.documents} documents, {summary.spans} spans) "
                   f"to {safe_text(output)}.", err=True)


from tui.commands.stats import display_title  # noqa: E402,F401  (used by other commands)


if __name__ == "__main__":  # pragma: no cover
    main()
