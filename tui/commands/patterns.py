"""`tui patterns import FILE...` / `tui patterns export`: gazetteers (text<TAB>LABEL) and
Prodigy/spaCy pattern JSONL for the `patterns` suggestion source. Parsing is tui.suggest.patterns
(pure), storage tui.store.suggestions; an import is all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tui.store.target import Target

from tui.commands.common import db_option, open_store, resolve_db
from tui.safe_text import safe_text


@click.group("patterns", context_settings={"help_option_names": ["-h", "--help"]})
def patterns_group() -> None:
    """Gazetteers and patterns the `patterns` suggestion source matches (folded, whole tokens)."""


@patterns_group.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Remove every stored pattern first (in the same transaction).")
@db_option
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...], replace: bool, db_path: Target | None) -> None:
    """Add patterns from FILES: TSV lines `text<TAB>LABEL` (# comments), or JSONL lines
    {"label": ..., "pattern": "string" | [{"lower": ...}, ...]} (.jsonl/.json/.ndjson).

    All or nothing: a bad line stops the import naming FILE:LINE, and nothing is stored.
    Unknown labels are added to the label list.
    """
    from tui.store.patterns import NewPattern
    from tui.suggest.patterns import PatternError, parse

    items: list[NewPattern] = []
    for path in files:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise click.ClickException(f"{path}: {exc.strerror or exc}") from None
        try:
            content = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise click.ClickException(f"{path}:{line}: not valid UTF-8. Save the file as UTF-8.") from None
        try:
            parsed = parse(content.replace("\r\n", "\n"), str(path))
        except PatternError as exc:
            raise click.ClickException(safe_text(str(exc), 300)) from None
        if not parsed:
            raise click.ClickException(f"{path}: no patterns in the file (TSV text<TAB>LABEL or JSONL).")
        items.extend(NewPattern(p.label, p.kind, p.pattern, p.key, p.where) for p in parsed)
    db = resolve_db(ctx, db_path)
    with open_store(db) as store:
        added, existing = store.add_patterns(items, replace=replace)
    click.echo(f"{added:,} patterns added, {existing:,} already there ({len(files)} file"
               f"{'s' if len(files) != 1 else ''}).", err=True)


@patterns_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "tsv"]), default="jsonl", show_default=True,
              help="jsonl: Prodigy/spaCy patterns; tsv: text<TAB>LABEL.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (atomically); default: standard output.")
@db_option
@click.pass_context
def export_command(ctx: click.Context, fmt: str, output: Path | None, db_path: Target | None) -> None:
    """Print the stored patterns (they import back as they are)."""
    from tui.commands.suggest import open_database
    from tui.suggest.patterns import to_jsonl, to_tsv

    with open_database(ctx, db_path) as store:
        rows = store.patterns()
    write = to_jsonl if fmt == "jsonl" else to_tsv
    lines = [write(row.label, row.pattern) + "\n" for row in rows]
    if fmt == "tsv":
        lines.insert(0, "# text\tlabel (tui patterns export)\n")
    if output is None:
        sys.stdout.writelines(lines)
        sys.stdout.flush()
        return
    from tui.formats import atomic_output

    with atomic_output(output) as out:
        out.writelines(lines)
