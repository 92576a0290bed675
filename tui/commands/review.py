"""`tui review [DOC_ID]`: open the adjudication screen (votes per span, into the gold annotator)."""

from __future__ import annotations


import click

from tui.commands.common import annotators_option, db_file_option, open_store, require_database, resolve_db
from tui.store.target import Target
from tui.commands.stats import safe_text


@click.command("review")
@click.argument("doc_id", required=False)
@click.option("--gold", default=None, metavar="NAME",
              help="The gold annotator to write as. Default: the config file's gold, else 'gold'.")
@annotators_option("Whose votes to show (repeat for several). Default: everyone who annotated the article.")
@db_file_option
@click.pass_context
def review_command(ctx: click.Context, doc_id: str | None, gold: str | None, annotators: tuple[str, ...],
                   db_path: Target | None) -> None:
    """Adjudicate an article: every span any annotator made, with its votes and state, into gold.

    Without DOC_ID, opens the article with the most disagreement (as `tui agree` ranks them).
    Keys: ; , next/previous to decide · a accept · X reject · = accept every unanimous span ·
    T take all of an annotator's · M mark adjudicated · u undo · ? every key.

    Example: tui review --annotator alice --annotator bob --annotator carol
    """
    from tui.launch import Settings
    from tui.ui.config import ConfigError, load_config

    db = resolve_db(ctx, db_path)
    require_database(db)
    settings = ctx.find_object(Settings)
    try:
        config = load_config(settings.config if settings is not None else None)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    gold = (gold or config.gold).strip()
    if not gold:
        raise click.BadParameter("must not be empty", param_hint="--gold")
    with open_store(db) as store:
        known = store.annotators()
        missing = [name for name in annotators if name not in known]
        if missing:
            raise click.ClickException(f"no annotator {safe_text(missing[0], 40)!r} in {db}.")
        if doc_id is None:
            doc_id = _most_disputed(store, [a for a in (annotators or known) if a != gold])
            if doc_id is None:
                raise click.ClickException("no article has spans from two annotators that disagree; "
                                           "name one: tui review DOC_ID")
        elif not store.has_document(doc_id):
            raise click.ClickException(f"no document {safe_text(doc_id, 40)!r} in {db} (tui agree lists ids).")
    from tui.ui.app import run_app

    annotator = settings.annotator if settings is not None else gold
    code = run_app(db, annotator=annotator or gold, panes=1,
                   bidi=settings.bidi if settings is not None else None,
                   shaping=settings.shaping if settings is not None else None,
                   config_path=settings.config if settings is not None else None,
                   review=(doc_id, list(annotators)), gold=gold)
    ctx.exit(int(code or 0))


def _most_disputed(store: object, annotators: list[str]) -> str | None:
    from tui.agreement import compute_agreement
    from tui.store import Store

    assert isinstance(store, Store)
    if len(annotators) < 2:
        return None
    labels = [label.name for label in store.labels()]
    report = compute_agreement(store.annotated_documents(annotators), annotators, labels, top=1)
    return report.documents[0].doc_id if report.documents else None
