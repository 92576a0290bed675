"""`tui labels`: list, add, rename, set (key, colour, description) and delete labels.

A thin click layer over the store's label edits (tui.store.labels): each is one transaction
with its event; a rename moves every span to the new name at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from tui.commands.common import db_file_option as db_option
from tui.commands.common import label_look_options
from tui.store.target import Target

# Keys the app binds to other actions (tui.ui: panes, main screen, document view): a label on
# one of them would hide that action. Digits are the labels' own position keys (1-9).
# tests/test_labels_cli.py checks this list against the app's live bindings.
RESERVED_KEYS = frozenset("hjklbwgGvVxrnNuU/msoqtiBJ?<>[]{}():.!#-_0123456789 " "aACDFKLPRSX")


def _settings(ctx: click.Context) -> tuple[Target, str]:
    from tui.commands.common import environment_target
    from tui.launch import Settings

    settings = ctx.find_object(Settings)
    db = settings.db if settings is not None else environment_target()
    annotator = settings.annotator if settings is not None else ""
    return db, annotator or ""


def _store(ctx: click.Context, db_path: Target | None, *, write: bool):
    from tui.commands.common import require_database
    from tui.store.opening import open_target

    db, annotator = _settings(ctx)
    db = db_path or db
    if isinstance(db, Path) and not db.exists():
        raise click.ClickException(f"{db} does not exist. Import documents first: tui import --db {db} FILES...")
    if not isinstance(db, Path):
        require_database(db)  # no tui tables yet: nothing to list or edit (and nothing created)
    if write and not annotator:
        raise click.ClickException(
            "who is editing the labels? $USER is not set: pass --annotator NAME before the command "
            "(tui --annotator alice labels ...)."
        )
    return open_target(db, readonly=not write), annotator


def _check_key(key: str | None) -> str | None:
    if key is not None and key in RESERVED_KEYS:
        raise click.ClickException(
            f"key {key!r} is taken by the app (movement, span keys, quit...); choose a letter such as p, "
            "or leave the label without a key (its number 1-9 still tags)."
        )
    return key


def _require_one_change(key: str | None, no_key: bool, colour: str | None, description: str | None) -> None:
    """`set` (labels and link labels) refuses --key with --no-key, and a call that changes nothing."""
    if key is not None and no_key:
        raise click.UsageError("--key and --no-key together: choose one.")
    if key is None and not no_key and colour is None and description is None:
        raise click.UsageError("nothing to change: give --key, --no-key, --colour or --description.")


def _key_argument(key: str | None, no_key: bool,
                  check: Callable[[str | None], str | None] = lambda key: key) -> str | None | bool:
    """The store's `key=` for `set` (update_label, update_link_label): None removes the key (--no-key),
    False leaves it (no --key), else the new key, passed through `check` first."""
    return None if no_key else (False if key is None else check(key))


@click.group("labels", invoke_without_command=True)
@db_option
@click.pass_context
def labels_command(ctx: click.Context, db_path: Target | None) -> None:
    """List and edit the labels (with no subcommand: list them).

    Example: tui labels add person --key p --colour #ff8700 --description "A named human being."
    """
    ctx.meta["labels.db"] = db_path
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_command, db_path=db_path)


def _db(ctx: click.Context, db_path: Target | None) -> Target | None:
    return db_path or ctx.meta.get("labels.db")


@labels_command.command("list")
@db_option
@click.pass_context
def list_command(ctx: click.Context, db_path: Target | None) -> None:
    """Show every label: key, colour, spans using it, description.

    Example: tui labels list
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from tui.cli import safe_text

    store, _ = _store(ctx, _db(ctx, db_path), write=False)
    with store:
        labels = store.labels()
        usage = store.label_usage()
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("key", no_wrap=True)
    table.add_column("label", no_wrap=True)
    table.add_column("colour", no_wrap=True)
    table.add_column("spans", justify="right", no_wrap=True)
    table.add_column("description")
    for index, label in enumerate(labels, start=1):
        keys = ", ".join(k for k in (label.key, str(index) if index <= 9 else None) if k)
        table.add_row(
            Text(safe_text(keys, 8)), Text(safe_text(label.name, 40), style="bold"),
            Text("█ ", style=label.colour).append(label.colour, style=""),
            f"{usage.get(label.name, 0):,}", Text(safe_text(label.description.replace("\n", " "), 500)),
        )
    Console().print(table)


@labels_command.command("add")
@click.argument("name")
@click.option("--key", default=None, metavar="K", help="One key that tags with this label in the app.")
@click.option("--colour", "--color", "colour", default=None, metavar="#RRGGBB",
              help="Colour in the app. Default: the next unused one.")
@click.option("--description", default="", metavar="TEXT",
              help="Guideline shown in the app's help and legend (what this label is for).")
@db_option
@click.pass_context
def add_command(ctx: click.Context, name: str, key: str | None, colour: str | None, description: str,
                db_path: Target | None) -> None:
    """Add a label.

    Example: tui labels add person --key p --description "A named human being."
    """
    store, annotator = _store(ctx, _db(ctx, db_path), write=True)
    with store:
        label = store.create_label(name, annotator, key=_check_key(key), colour=colour, description=description)
    click.echo(f"Added label {label.name!r}" + (f" (key {label.key})" if label.key else "") + ".", err=True)


@labels_command.command("rename")
@click.argument("old")
@click.argument("new")
@db_option
@click.pass_context
def rename_command(ctx: click.Context, old: str, new: str, db_path: Target | None) -> None:
    """Rename a label, and every span that has it, in one transaction.

    Undo in the app and tui export see the new name. Example: tui labels rename claim assertion
    """
    store, annotator = _store(ctx, _db(ctx, db_path), write=True)
    with store:
        label, spans = store.rename_label(old, new, annotator)
    click.echo(f"Renamed {old!r} to {label.name!r} ({spans} span{'s' * (spans != 1)}).", err=True)


@labels_command.command("set")
@click.argument("name")
@label_look_options(key="The key that tags with this label.",
                    no_key="Remove the label's key (its number 1-9 still tags).",
                    colour="Its colour in the app.", description="Its guideline (help screen and legend).")
@db_option
@click.pass_context
def set_command(ctx: click.Context, name: str, key: str | None, no_key: bool, colour: str | None,
                description: str | None, db_path: Target | None) -> None:
    """Change a label's key, colour or description.

    Example: tui labels set claim --description "A checkable statement presented as fact."
    """
    _require_one_change(key, no_key, colour, description)
    store, annotator = _store(ctx, _db(ctx, db_path), write=True)
    new_key = _key_argument(key, no_key, _check_key)
    with store:
        label = store.update_label(name, annotator, key=new_key, colour=colour, description=description)
    click.echo(f"Label {label.name!r}: key {label.key or '(none)'}, colour {label.colour}.", err=True)


@labels_command.command("delete")
@click.argument("name")
@db_option
@click.pass_context
def delete_command(ctx: click.Context, name: str, db_path: Target | None) -> None:
    """Delete a label that no span uses.

    Example: tui labels delete misc
    """
    store, annotator = _store(ctx, _db(ctx, db_path), write=True)
    with store:
        store.delete_label(name, annotator)
    click.echo(f"Deleted label {name!r}.", err=True)


# ------------------------------------------------------------------ link labels (issue 13)


@labels_command.group("links", invoke_without_command=True)
@db_option
@click.pass_context
def links_group(ctx: click.Context, db_path: Target | None) -> None:
    """List and edit the link labels (with no subcommand: list them).

    Example: tui labels links add paraphrase --key p --transitive --symmetric
    """
    ctx.meta["labels.db"] = db_path or ctx.meta.get("labels.db")
    if ctx.invoked_subcommand is None:
        ctx.invoke(links_list_command, db_path=db_path)


@links_group.command("list")
@db_option
@click.pass_context
def links_list_command(ctx: click.Context, db_path: Target | None) -> None:
    """Show every link label: key, kind (transitive, symmetric), links using it, description.

    Example: tui labels links list
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from tui.safe_text import safe_text

    store, _ = _store(ctx, _db(ctx, db_path), write=False)
    with store:
        labels = store.link_labels()
        usage = store.link_label_usage()
    table = Table(box=None, pad_edge=False, show_edge=False)
    for heading in ("key", "link label", "kind", "links", "description"):
        table.add_column(heading, no_wrap=heading != "description", justify="right" if heading == "links" else "left")
    for index, label in enumerate(labels, start=1):
        kind = ", ".join(word for word, on in (("transitive", label.transitive), ("symmetric", label.symmetric))
                         if on) or "directed"
        table.add_row(Text(safe_text(label.key or "", 4)), Text(safe_text(label.name, 40), style="bold"),
                      Text(kind), f"{usage.get(label.name, 0):,}",
                      Text(safe_text(label.description.replace("\n", " "), 500)))
    Console().print(table)


@links_group.command("add")
@click.argument("name")
@click.option("--key", default=None, metavar="K", help="The key that picks this label when a link is made.")
@click.option("--colour", "--color", "colour", default=None, metavar="#RRGGBB", help="Its colour.")
@click.option("--description", default="", metavar="TEXT", help="What the link label is for.")
@click.option("--transitive", is_flag=True, help="Its links make clusters (like same_entity).")
@click.option("--symmetric", is_flag=True, help="Head and child are unordered (like contradicts).")
@db_option
@click.pass_context
def links_add_command(ctx: click.Context, name: str, key: str | None, colour: str | None, description: str,
                      transitive: bool, symmetric: bool, db_path: Target | None) -> None:
    """Add a link label.

    Example: tui labels links add paraphrase --key p --transitive --symmetric
    """
    from tui.safe_text import safe_text

    store, annotator = _store(ctx, _db(ctx, db_path), write=True)
    with store:
        label = store.create_link_label(name, annotator, key=key, colour=colour, description=description,
                                        transitive=transitive, symmetric=symmetric)
    click.echo(f"Added link label {safe_text(label.name, 40)!r}"
               + (f" (key {safe_text(label.key, 4)})" if label.key else "") + ".", err=True)


@links_group.command("set")
@click.argument("name")
@label_look_options(key="The key that picks this label when a link is made.",
                    no_key="Remove the key (its position 1-9 still picks it).",
                    colour="Its colour.", description="What the link label is for.")
@db_option
@click.pass_context
def links_set_command(ctx: click.Context, name: str, key: str | None, no_key: bool, colour: str | None,
                      description: str | None, db_path: Target | None) -> None:
    """Change a link label's key, colour or description.

    Example: tui labels links set supports --description "The head gives evidence for the child."
    """
    from tui.safe_text import safe_text

    _require_one_change(key, no_key, colour, description)
    store, annotator = _store(ctx, _db(ctx, db_path), write=True)
    new_key = _key_argument(key, no_key)
    with store:
        label = store.update_link_label(name, annotator, key=new_key, colour=colour, description=description)
    click.echo(f"Link label {safe_text(label.name, 40)!r}: key {safe_text(label.key or '(none)', 8)}, "
               f"colour {safe_text(label.colour, 8)}.", err=True)
