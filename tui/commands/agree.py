"""`tui agree`: agreement between annotators (or against gold), drawn as Rich tables or printed as JSON.

The figures come from tui.agreement (headless), the records from the store (read-only: this
command never creates, initialises or writes a database).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from tui.commands.common import (
    annotators_option, db_file_option, labels_option, open_for_reading, require_database, resolve_db, status_option,
)
from tui.store.target import Target
from tui.commands.stats import display_title, safe_text
from tui.launch import Settings

if TYPE_CHECKING:
    from rich.console import Console

    from tui.agreement import AgreementReport, GoldReport
    from tui.agreement.links import LinkPairRow
    from tui.store import Store

DEFAULT_GOLD = "gold"
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def open_existing(ctx: click.Context, db_path: Target | None) -> Store:
    """The database named by --db, opened for reading; never created (a missing file is an error)."""
    db = resolve_db(ctx, db_path)
    require_database(db)
    return open_for_reading(db)


def choose_annotators(store: Store, wanted: Sequence[str], *, exclude: Sequence[str] = ()) -> list[str]:
    """The --annotator names (checked to exist), else everyone but `exclude` (the gold annotator)."""
    known = store.annotators()
    if wanted:
        missing = [name for name in wanted if name not in known]
        if missing:
            raise click.ClickException(
                f"no annotator {safe_text(missing[0], 40)!r} in {store.path}; "
                f"known: {', '.join(safe_text(k, 40) for k in known) or 'none yet'}.")
        return list(dict.fromkeys(wanted))
    return [name for name in known if name not in exclude]


def choose_labels(store: Store, wanted: Sequence[str]) -> list[str]:
    names = [label.name for label in store.labels()]
    missing = [name for name in wanted if name not in names]
    if missing:
        raise click.ClickException(
            f"unknown label {safe_text(missing[0], 40)!r}; known labels: {', '.join(names)}.")
    return [name for name in names if name in wanted] if wanted else names


@click.command("agree")
@annotators_option("Compare only these annotators (repeat for several). Default: everyone but the gold annotator.")
@labels_option()
@status_option("Only documents the annotators have in this status (e.g. done).")
@click.option("--gold", "gold", default=None, metavar="NAME",
              help="Report each annotator against this gold annotator (precision, recall, F1) instead.")
@click.option("--top", type=click.IntRange(0), default=20, show_default=True,
              help="Documents with the most disagreement to list (0 = all).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@db_file_option
@click.pass_context
def agree_command(ctx: click.Context, annotators: tuple[str, ...], labels: tuple[str, ...], status: str | None,
                  gold: str | None, top: int, as_json: bool, db_path: Target | None) -> None:
    """Agreement between annotators: exact and overlap span F1 and Cohen's kappa per pair and label,
    Krippendorff's alpha per label, and the documents to adjudicate first.

    A pair is compared on the documents both annotated (a span there, or a status other than todo).

    Examples: tui agree · tui agree --label entity --status done --json · tui agree --gold gold
    """
    from tui.agreement import compute_against_gold, compute_agreement

    with open_existing(ctx, db_path) as store:
        chosen_labels = choose_labels(store, labels)
        colours = {label.name: label.colour for label in store.labels() if _COLOUR.fullmatch(label.colour)}
        if gold is not None:
            if gold not in store.annotators():
                raise click.ClickException(
                    f"{safe_text(gold, 40)!r} has no spans or statuses in {store.path}; "
                    f"make gold first: tui merge --into {safe_text(gold, 40)} (or adjudicate in tui review).")
            names = [a for a in choose_annotators(store, annotators, exclude=(gold,)) if a != gold]
            if not names:
                raise click.ClickException("no annotator to compare with gold (use --annotator NAME).")
            report = compute_against_gold(store.annotated_documents([*names, gold], status=status), gold, names,
                                          chosen_labels)
            if as_json:
                click.echo(json.dumps(report.to_json(), ensure_ascii=False))
            else:
                print_gold(report, colours)
            return
        names = choose_annotators(store, annotators, exclude=(DEFAULT_GOLD,))
        if len(names) < 2:
            raise click.ClickException(
                f"agreement needs at least two annotators; {store.path} has "
                f"{', '.join(safe_text(n, 40) for n in names) or 'none'}. Name them with --annotator.")
        result = compute_agreement(store.annotated_documents(names, status=status), names, chosen_labels, top=top)
        titles = store.document_titles([row.doc_id for row in result.documents])
        link_rows = link_agreement(store, names)
    from dataclasses import replace

    result.documents = [replace(row, title=titles.get(row.doc_id, "")) for row in result.documents]
    if as_json:
        click.echo(json.dumps({**result.to_json(), "links": [row.to_json() for row in link_rows]}, ensure_ascii=False))
    else:
        settings = ctx.find_object(Settings)
        print_agreement(result, colours, bidi=getattr(settings, "bidi", None), shaping=getattr(settings, "shaping", None))
        print_link_agreement(link_rows)


def link_agreement(store: Store, names: Sequence[str]) -> list[LinkPairRow]:
    """Exact link F1 per pair and link label (tui.agreement.links)."""
    from tui.agreement.links import compute_link_agreement

    labels = store.link_labels()
    return compute_link_agreement(store.link_keys(names), names, [label.name for label in labels],
                                  [label.name for label in labels if label.symmetric])


def print_link_agreement(rows: Sequence[LinkPairRow]) -> None:
    """The links table: pairs, link label, links each, matched, exact F1 (nothing when nobody linked)."""
    if not rows:
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _console()
    console.print(Text("links: exact F1 over (head, child, label); head/child unordered for symmetric labels",
                       style="bold"))
    table = Table(box=box.SIMPLE_HEAD)
    for heading in ("a", "b", "link label"):
        table.add_column(heading, no_wrap=True, overflow="ellipsis")
    for heading in ("links a", "links b", "matched", "exact F1"):
        table.add_column(heading, justify="right", no_wrap=True)
    for row in rows:
        f1 = row.exact_f1
        table.add_row(_name(row.a, 16), _name(row.b, 16), Text(safe_text(row.label, 16)), f"{row.a_links:,}",
                      f"{row.b_links:,}", f"{row.matched:,}", Text(_figure(f1), style=_figure_style(f1)))
    console.print(table)


# ------------------------------------------------------------------------ drawing


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _figure_style(value: float | None) -> str:
    if value is None:
        return "dim"
    if value >= 0.8:
        return "green"
    if value >= 0.6:
        return "yellow"
    return "red"


def _name(text: str, limit: int = 24):
    from rich.text import Text

    return Text(safe_text(text, limit))


def _console() -> Console:
    from rich.console import Console

    return Console(file=sys.stdout)


def print_agreement(report: AgreementReport, colours: dict[str, str], *, bidi: str | None = None,
                    shaping: bool | None = None) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from tui.agreement import POOLED

    console = _console()
    console.print(Text(
        f"{len(report.annotators)} annotators · {report.documents_compared:,} documents annotated by at least two",
        style="bold"))

    console.print(Text("\nexact span F1, all labels (overlap F1 in brackets)", style="bold"))
    matrix = Table(box=box.SIMPLE_HEAD)
    matrix.add_column("", no_wrap=True)
    for name in report.annotators:
        matrix.add_column(_name(name, 12), justify="right", no_wrap=True)
    for a in report.annotators:
        cells: list[Text] = []
        for b in report.annotators:
            if a == b:
                cells.append(Text("·", style="dim"))
                continue
            row = report.pair(a, b, POOLED)
            exact = None if row is None else row.exact_f1
            overlap = None if row is None else row.overlap_f1
            cell = Text(_figure(exact), style=_figure_style(exact))
            cell.append(f" ({_figure(overlap)})", style="dim")
            cells.append(cell)
        matrix.add_row(_name(a, 16), *cells)
    console.print(matrix)

    console.print(Text("pairs, per label", style="bold"))
    pairs = Table(box=box.SIMPLE_HEAD)
    for heading in ("a", "b", "label"):
        pairs.add_column(heading, no_wrap=True, overflow="ellipsis")
    for heading in ("documents", "exact F1", "overlap F1", "κ"):
        pairs.add_column(heading, justify="right", no_wrap=True)
    for row in report.pairs:
        pairs.add_row(
            _name(row.a, 16), _name(row.b, 16), Text(safe_text(row.label, 16), style=colours.get(row.label, "")),
            f"{row.documents:,}",
            Text(_figure(row.exact_f1), style=_figure_style(row.exact_f1)),
            Text(_figure(row.overlap_f1), style=_figure_style(row.overlap_f1)),
            Text(_figure(row.kappa), style=_figure_style(row.kappa)),
        )
    console.print(pairs)

    console.print(Text("labels: Krippendorff's α (nominal, on characters), all annotators", style="bold"))
    labels = Table(box=box.SIMPLE_HEAD)
    labels.add_column("label", no_wrap=True)
    labels.add_column("α", justify="right", no_wrap=True)
    labels.add_column("spans", justify="right", no_wrap=True)
    for label_row in report.label_rows:
        labels.add_row(Text(safe_text(label_row.label, 16), style=colours.get(label_row.label, "")),
                       Text(_figure(label_row.alpha), style=_figure_style(label_row.alpha)), f"{label_row.spans:,}")
    console.print(labels)

    if not report.documents:
        console.print(Text("no disagreement: every document's annotators made the same spans", style="green"))
        return
    console.print(Text("documents to adjudicate first (disputed: distinct spans not every annotator made)",
                       style="bold"))
    docs = Table(box=box.SIMPLE_HEAD)
    title_width = max(12, console.width - 16 - 8 - 8 - 10 - 16)
    docs.add_column("document", no_wrap=True)
    docs.add_column("title", width=title_width, no_wrap=True, overflow="ellipsis")
    docs.add_column("disputed", justify="right", no_wrap=True)
    docs.add_column("of spans", justify="right", no_wrap=True)
    docs.add_column("annotators", justify="right", no_wrap=True)
    for doc in report.documents:
        docs.add_row(Text(safe_text(doc.doc_id, 16)),
                     Text(display_title(doc.title, title_width, bidi, shaping)),
                     Text(f"{doc.disagreement:,}", style="red"), f"{doc.spans:,}", f"{doc.annotators}")
    console.print(docs)


def print_gold(report: GoldReport, colours: dict[str, str]) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _console()
    console.print(Text(f"each annotator against {safe_text(report.gold, 24)}: "
                       "precision, recall, F1 — exact spans | overlapping spans (greedy IoU)", style="bold"))
    wide = console.width >= 100
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("annotator", no_wrap=True, max_width=16, overflow="ellipsis")
    table.add_column("label", no_wrap=True, max_width=12, overflow="ellipsis")
    table.add_column("docs", justify="right", no_wrap=True)
    if wide:
        table.add_column("spans", justify="right", no_wrap=True)
        table.add_column("gold", justify="right", no_wrap=True)
    for heading in ("P", "R", "F1", "│", "P", "R", "F1"):
        table.add_column(heading, justify="right", no_wrap=True, style="dim" if heading == "│" else "")
    for row in report.rows:
        figures = (row.exact_precision, row.exact_recall, row.exact_f1, row.overlap_precision, row.overlap_recall,
                   row.overlap_f1)
        cells = [Text(_figure(v), style=_figure_style(v)) for v in figures]
        cells.insert(3, Text("│"))
        table.add_row(_name(row.annotator, 16), Text(safe_text(row.label, 12), style=colours.get(row.label, "")),
                      f"{row.documents:,}", *([f"{row.spans:,}", f"{row.gold_spans:,}"] if wide else []), *cells)
    console.print(table)
