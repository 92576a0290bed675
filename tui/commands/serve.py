"""`tui serve`: the app in a browser, one annotator per tab (textual-serve; the `web` extra)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import click

from tui.store.target import Target

from tui.commands.common import db_option, resolve_db
from tui.launch import PANE_RANGE, Settings, seeds_dir
from tui.web.access import Access, AccessError, access_for


def page_url(access: Access, port: int) -> str:
    """The address to give annotators (with ?token= when there is one)."""
    host = access.host
    if host in ("", "0.0.0.0", "::"):
        host = socket.getfqdn() or "THIS-MACHINE"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    url = f"http://{host}:{port}/"
    return url + (f"?token={access.token}" if access.token else "")


def announcement(db: Target, access: Access, port: int) -> list[str]:
    lines = [f"tui serve: {db} on {page_url(access, port)}"]
    if access.token is None and access.loopback:
        lines.append("  only this machine can connect; from elsewhere: ssh -L "
                     f"{port}:127.0.0.1:{port} THIS-HOST, then open http://127.0.0.1:{port}/")
    elif access.token is None:
        lines.append("  WARNING: --insecure-no-token: anyone who can reach this port can annotate as anyone")
    elif access.generated:
        lines.append("  the token was generated for this run and is shown only here; give the link to "
                     "annotators (add &annotator=NAME to skip the name screen)")
    lines.append("  ctrl+c stops the server (every action is already saved)")
    return lines


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs --token (or one is generated).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@db_option
@click.option("--token", default=None, envvar="TUI_SERVE_TOKEN", metavar="TOKEN",
              help="Every request must carry this token (?token=, cookie, or Authorization: Bearer). "
                   "Also read from $TUI_SERVE_TOKEN, which keeps it out of `ps`.")
@click.option("--insecure-no-token", is_flag=True,
              help="Serve a non-loopback address without a token: anyone who reaches the port can annotate.")
@click.option("--panes", type=click.IntRange(PANE_RANGE.start, PANE_RANGE.stop - 1), default=None,
              help="Articles side by side in each tab (1-4). Default: the config file's, else 2.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Settings file (TOML) for the app in every tab, e.g. key bindings.")
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, db_path: Target | None, token: str | None,
                  insecure_no_token: bool, panes: int | None, config_path: Path | None) -> None:
    """Serve the app to web browsers: each tab is one annotator (chosen in the page, or ?annotator=NAME).

    Listens on 127.0.0.1 (this machine only) unless --host says otherwise; then every request
    needs a token. Arabic is always reordered and joined by the app in the browser (--bidi app).

    Example: tui serve --db team.db   then open http://127.0.0.1:8000/?annotator=alice
    """
    try:
        access = access_for(host, token, insecure_no_token)
    except AccessError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        import textual_serve.server  # noqa: F401 - the web extra (with aiohttp and jinja2), which tui.web needs
    except ImportError as exc:
        raise click.ClickException(
            f"tui serve needs textual-serve ({exc.name or exc} is not installed): pip install 'tui-annotate[web]'"
        ) from None
    from tui.web.server import TuiServer
    settings = ctx.find_object(Settings)
    db = resolve_db(ctx, db_path)
    panes = panes if panes is not None else (settings.panes if settings is not None else None)
    config_path = config_path or (settings.config if settings is not None else None)
    _prepare_database(db)
    server = TuiServer(db.resolve() if isinstance(db, Path) else db, access, port=port, panes=panes,
                       config=config_path.resolve() if config_path else None,
                       announce=announcement(db, access, port))
    try:
        server.serve()
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}. "
                                   "Choose another --port or --host.") from None


def _prepare_database(db: Target) -> None:
    """Before the first tab: the database opens (migrated), is writable, and has documents
    (the sample corpus goes into an empty one, as `tui` does)."""
    from tui.store.connection import file_is_writable
    from tui.store.opening import open_target

    with open_target(db) as store:
        if not store.list_documents(limit=1):
            seeds = seeds_dir()
            if seeds is not None:
                from tui.formats import import_paths

                summary = import_paths(store, [seeds], annotator="import")
                print(f"Imported the sample corpus into {db}: {summary.describe()}.", file=sys.stderr)
    if isinstance(db, Path) and not file_is_writable(db):
        raise click.ClickException(f"{db}: cannot save annotations, the file or its folder is read-only.")
