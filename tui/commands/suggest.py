"""`tui suggest`: suggestions that work offline (dates, names already tagged, patterns, an optional
model), printed as JSON lines or stored as candidates. The suggestions come from tui.suggesting
(headless); this module only reads options and prints."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tui.store.target import Target

from tui.commands.common import db_option, open_for_reading, require_database, resolve_db
from tui.safe_text import safe_text
from tui.suggest.engine import SOURCES

if TYPE_CHECKING:
    from tui.store import Store


def open_database(ctx: click.Context, db_path: Target | None) -> Store:
    """The database named by --db (never created: a missing file is an error); read-only when
    it cannot be written."""
    db = resolve_db(ctx, db_path)
    require_database(db)
    return open_for_reading(db)


@click.command("suggest", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--label", "labels", multiple=True, metavar="LABEL", help="Only suggestions with this label (repeatable).")
@click.option("--doc", "doc_ids", multiple=True, metavar="ID", help="Only this document (repeatable). Default: every document.")
@click.option("--source", "sources", multiple=True, type=click.Choice(SOURCES),
              help="Where suggestions come from (repeatable): dates (the date grammar), propagate (strings "
                   "already tagged), patterns (tui patterns import), model (an installed offline model). "
                   "Default: all.")
@click.option("--annotator", default=None, metavar="NAME",
              help="Suggest for this annotator: nothing overlapping their spans or already accepted/rejected by them.")
@click.option("--apply", "apply", is_flag=True,
              help="Store the suggestions as candidates (sources suggest:dates, suggest:propagate, ...) for "
                   "--annotator to accept or reject in the app; never as anyone's spans.")
@click.option("--quiet", "-q", is_flag=True, help="Print no JSON lines (with --apply: only the summary).")
@db_option
@click.pass_context
def suggest_command(ctx: click.Context, labels: tuple[str, ...], doc_ids: tuple[str, ...], sources: tuple[str, ...],
                    annotator: str | None, apply: bool, quiet: bool, db_path: Target | None) -> None:
    """Suggest spans: one JSON line per suggestion on standard output,
    {"doc_id", "start", "end", "label", "text", "source"}.

    Offsets are code-point indices into the stored text (text[start:end] == text). Nothing is
    downloaded: dates and propagation are built in, patterns come from `tui patterns import`, and
    the model source uses underthesea (pip install 'tui-annotate[vi]') or an installed spaCy
    pipeline when there is one.
    """
    from tui.suggesting import DocumentSuggestion, Suggester, all_document_ids

    if apply and not annotator:
        raise click.UsageError("--apply needs --annotator NAME (whose candidates they become).")
    if annotator is not None and not annotator.strip():
        raise click.BadParameter("must not be empty", param_hint="--annotator")
    chosen = tuple(dict.fromkeys(sources)) or SOURCES
    with open_database(ctx, db_path) as store:
        if apply and store.readonly:
            raise click.ClickException(f"{store.path} cannot be written; --apply needs to store candidates.")
        known = [label.name for label in store.labels()]
        for label in labels:
            if label not in known:
                raise click.ClickException(f"unknown label {safe_text(label, 40)!r}; known labels: "
                                           f"{', '.join(safe_text(k, 40) for k in known)}.")
        for doc_id in doc_ids:
            if not store.has_document(doc_id):
                raise click.ClickException(f"no document with id {safe_text(doc_id, 40)!r} in {store.path}. "
                                           "`tui stats --limit 0` lists them.")
        suggester = Suggester(store, load_model="model" in chosen)
        if "model" in chosen and suggester.model is None:
            if sources:  # asked for explicitly
                click.echo("tui suggest: no offline model is installed (pip install 'tui-annotate[vi]' for "
                           "underthesea, or a spaCy pipeline); the other sources still ran.", err=True)
            chosen = tuple(s for s in chosen if s != "model")
        from tui.formats.exporter import dumps_line
        from tui.safe_text import escape_json_for_terminal

        out = sys.stdout
        terminal = out.isatty()  # on a screen, control and bidi characters are written as \\u escapes
        total = added = documents = 0
        for doc_id in (doc_ids or all_document_ids(store)):
            found = suggester.for_document(doc_id, sources=chosen, labels=labels, annotator=annotator)
            documents += 1
            total += len(found)
            if not quiet:
                for s in found:
                    line = dumps_line(DocumentSuggestion(doc_id, s).as_json())
                    out.write(escape_json_for_terminal(line) if terminal else line)
            if apply and found:
                added += suggester.apply(doc_id, found)
        out.flush()
        if apply:
            click.echo(f"{total:,} suggestions in {documents:,} documents; {added:,} new candidates stored for "
                       f"{safe_text(annotator or '', 40)} (sources suggest:{', suggest:'.join(chosen)}).",
                       err=True)
