"""`tui stats`: documents x annotators, span counts per label, statuses and a bar of the label mix,
drawn as Rich tables (the figures come from tui.store.stats)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Callable
from typing import Any

import click

from tui.store.target import Target

from tui.commands.common import annotators_option, db_option, open_for_reading, require_database, resolve_db
from tui.launch import Settings
from tui.safe_text import safe_text

if TYPE_CHECKING:
    from tui.store.models import Label
    from tui.vocabulary import Status

COUNTED_STATUSES: tuple[Status, ...] = ("done", "in_progress", "skipped")
"""The annotators table's status columns, in this order (each a tui.vocabulary status: mypy checks)."""


@click.command("stats")
@annotators_option("Only these annotators (repeat for several). Default: everyone.")
@click.option("--limit", type=click.IntRange(0), default=50, show_default=True,
              help="Documents to list one by one (0 = all); totals always cover every document.")
@db_option
@click.pass_context
def stats_command(ctx: click.Context, annotators: tuple[str, ...], limit: int, db_path: Target | None) -> None:
    """Show documents x annotators: span counts per label, status and a bar of the label mix.

    Example: tui stats --annotator alice
    """
    from tui.store.stats import collect_stats

    db = resolve_db(ctx, db_path)
    require_database(db)
    with open_for_reading(db) as store:
        stats = collect_stats(store, limit=limit, annotators=list(annotators) or None)
        colours = label_colours(store.labels())
    settings = ctx.find_object(Settings)
    bidi = settings.bidi if settings is not None else None
    shaping = settings.shaping if settings is not None else None
    _print_stats(stats, colours, lambda title, width: display_title(title, width, bidi, shaping))


def label_colours(labels: list[Label]) -> dict[str, str]:
    """Label name -> a colour Rich can draw; a colour that does not parse (the labels table is
    anyone's to edit) is left out, with a warning on stderr, and the label is drawn uncoloured."""
    from tui.safe_rich import colour_warning, parse_colour

    colours: dict[str, str] = {}
    for label in labels:
        colour = parse_colour(label.colour) if label.colour else None
        if colour is not None:
            colours[label.name] = colour
        elif label.colour:
            click.echo(f"Warning: {colour_warning(label.name, label.colour)}", err=True)
    return colours


def display_title(title: str, width: int, bidi: str | None, shaping: bool | None) -> str:
    """A title for a table cell of `width` columns, drawn as the app draws it.

    With --bidi app (the default) right-to-left titles are shaped and put in visual order by the
    layout engine (terminals that do no bidi then show them right); otherwise logical order.
    Control, format and bidi-control characters never reach the terminal either way.
    """
    if bidi not in (None, "app") or width < 4:
        return safe_text(title, width)
    from tui.layout import DocumentLayout, LayoutOptions

    flat = safe_text(" ".join(title.split()))
    layout = DocumentLayout(flat, width - 1, LayoutOptions(shaping=shaping is not False))
    line = layout.line(0)
    shown = "".join(cell.text for cell in line.cells).strip()
    if line.end < len(flat.rstrip()):  # cut: the ellipsis goes where the reading stops
        shown = "…" + shown if line.rtl else shown + "…"
    return shown


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
    legend = Text("  ").join(Text(f"█ {safe_text(label, 24)}", style=colours.get(label, "white")) for label in labels)

    # Numbers and their headings are never squeezed (an 80-column terminal would show "in prog…");
    # the name columns give way instead.
    people = Table(title=f"{stats.documents} documents · annotators", box=box.SIMPLE_HEAD, title_justify="left",
                   caption=None if stats.annotators else "nobody has annotated yet", caption_justify="left")
    mix = console.width >= 100  # the bars only where they fit beside every number (not at 80 columns)
    statuses = COUNTED_STATUSES
    # Headings are Text, never str: Rich parses a str heading as markup, and label names are untrusted.
    headings = [status.replace("_", " ") for status in statuses] + [safe_text(label, 12) for label in labels]
    widths = [max(len(heading), len(f"{most:,}")) for heading, most in zip(headings, [
        max([per.get(status, 0) for per in stats.statuses.values()] + [0]) for status in statuses] + [
        max([per.get(label, 0) for per in stats.totals.values()] + [0]) for label in labels])]
    columns = 1 + len(widths) + mix
    name_width = min(24, max(8, console.width - sum(widths) - 16 * mix - _table_overhead(columns)))
    people.add_column("annotator", width=name_width, no_wrap=True, overflow="ellipsis")
    for index, (heading, width) in enumerate(zip(headings, widths)):
        label_style = colours.get(labels[index - len(statuses)]) if index >= len(statuses) else None
        people.add_column(Text(heading), width=width, justify="right", style=label_style, no_wrap=True)
    if mix:
        people.add_column("label mix", width=16, no_wrap=True)
    for annotator in stats.annotators:
        per_status = stats.statuses.get(annotator, {})
        counts = stats.totals.get(annotator, {})
        people.add_row(
            Text(safe_text(annotator, 24)),
            *(f"{per_status.get(s, 0):,}" for s in statuses),
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
        docs.add_column(Text(safe_text(label, 12)), width=width, justify="right", style=colours.get(label), no_wrap=True,
                        overflow="ellipsis")
    if mix:
        docs.add_column("label mix", width=10, no_wrap=True)
    status_style = {"done": "green", "in_progress": "yellow", "skipped": "dim", "todo": "dim"}
    for row in stats.rows:
        docs.add_row(
            Text(title_for(row.title, title_width) if title_for else safe_text(row.title, title_width)),
            Text(safe_text(row.language, 8)), Text(safe_text(row.annotator, 24)),
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
