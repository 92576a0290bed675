"""`tui merge --into gold`: the batch part of adjudication (spans enough annotators agree on exactly)."""

from __future__ import annotations


import click

from tui.commands.agree import DEFAULT_GOLD, choose_annotators, choose_labels
from tui.commands.common import (
    annotators_option, db_file_option, labels_option, open_store, require_database, resolve_db,
)
from tui.store.target import Target
from tui.commands.stats import safe_text


@click.command("merge")
@click.option("--into", "gold", default=DEFAULT_GOLD, show_default=True, metavar="NAME",
              help="The gold annotator the agreed spans are added to.")
@click.option("--min-votes", type=click.IntRange(1), default=None, metavar="N",
              help="Add a span when at least N of the annotators have it exactly. Default: all of them.")
@annotators_option("Annotators whose votes count (repeat for several). Default: everyone but the gold annotator.")
@labels_option()
@click.option("--dry-run", is_flag=True, help="Print what would be added; change nothing.")
@db_file_option
@click.pass_context
def merge_command(ctx: click.Context, gold: str, min_votes: int | None, annotators: tuple[str, ...],
                  labels: tuple[str, ...], dry_run: bool, db_path: Target | None) -> None:
    """Add to gold every span (document, start, end, label) that at least N annotators made exactly.

    Gold's existing spans are kept and running it twice adds nothing. Each added span is an ordinary
    gold span with an event, so review, undo and `tui export --annotator gold` work on it.

    Examples: tui merge --into gold · tui merge --into gold --min-votes 2 --label entity
    """
    from rich.console import Console
    from rich.text import Text

    gold = gold.strip()
    if not gold:
        raise click.BadParameter("must not be empty", param_hint="--into")
    db = resolve_db(ctx, db_path)
    require_database(db)
    if gold in annotators:
        raise click.ClickException(f"--into {safe_text(gold, 40)} is also an --annotator; gold cannot vote.")
    with open_store(db, readonly=dry_run) as store:
        chosen_labels = choose_labels(store, labels)
        names = choose_annotators(store, annotators, exclude=(gold,))
        if not names:
            raise click.ClickException(f"nobody to merge: {db} has no annotator besides {safe_text(gold, 40)}.")
        votes = len(names) if min_votes is None else min_votes
        if votes > len(names):
            raise click.ClickException(
                f"--min-votes {votes} is more than the {len(names)} annotators merged "
                f"({', '.join(safe_text(n, 24) for n in names)}).")
        added = store.merge_into(gold, names, labels=chosen_labels if labels else (), min_votes=votes,
                                 dry_run=dry_run)
    console = Console()
    verb = "would add" if dry_run else "added"
    total = sum(added.values())
    line = Text(f"{verb} {total:,} span{'s' if total != 1 else ''} to ")
    line.append(safe_text(gold, 40), style="bold")
    line.append(f" (at least {votes} of {len(names)}: {', '.join(safe_text(n, 24) for n in names)})")
    console.print(line)
    for label in chosen_labels:
        if label in added:
            console.print(Text(f"  {safe_text(label, 24)}: {added[label]:,}"))
