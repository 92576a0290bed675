"""`run_app`: what the CLI calls to run the annotation app (tui.ui.app) on a database: the config,
the store, the terminal session around the app, and the exit code (1 when actions were not saved)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.safe_text import safe_text
from tui.store.target import PostgresTarget
from tui.ui.config import ConfigError, load_config

if TYPE_CHECKING:
    from tui.ui.app import AnnotatorApp


def run_app(
    db_path: Path | PostgresTarget,
    *,
    annotator: str,
    panes: int | None = None,
    bidi: str | None = None,
    shaping: bool | None = None,
    config_path: Path | None = None,
    notice: str | None = None,
    app_class: type[AnnotatorApp] | None = None,
    candidates: tuple[str, ...] = (),
    as_annotators: tuple[str, ...] = (),
    review: tuple[str, list[str]] | None = None,
    gold: str | None = None,
) -> int:
    """Open the database and run the app; returns the process exit code.

    None for panes/bidi/shaping means: take it from the config file (defaults 2, app, on).
    In a browser (tui.ui.browser) the display is always bidi app with shaping on."""
    from tui.store import StoreError
    from tui.store.opening import open_target
    from tui.ui.app import AnnotatorApp

    try:
        config = load_config(config_path)
    except ConfigError as exc:
        print(f"tui: {safe_text(exc)}", file=sys.stderr)
        return 1
    try:
        store = open_target(db_path if isinstance(db_path, PostgresTarget) else Path(db_path))
    except StoreError as exc:
        print(f"tui: {safe_text(exc)}", file=sys.stderr)
        return 1
    from tui.store.connection import file_is_writable

    if not isinstance(db_path, PostgresTarget) and not file_is_writable(Path(db_path)):
        # SQLite opens a read-only file without complaint; every save would then fail.
        store.close()
        print(f"tui: {safe_text(db_path)}: cannot save annotations, the file or its folder is read-only. Fix the "
              "permissions or work on a copy (tui export and tui stats can still read it).", file=sys.stderr)
        return 1
    from tui.ui.browser import browser_display

    bidi, shaping = browser_display(bidi or config.bidi, config.shaping if shaping is None else shaping)
    from tui.terminal import bidi_terminal_session, textual_app_options

    app = (app_class or AnnotatorApp)(
        store,
        annotator=annotator,
        panes=panes if panes is not None else config.panes,
        bidi=bidi,
        shaping=shaping,
        keymap=config.keymap,
        candidates=candidates,
        as_annotators=as_annotators,
        **textual_app_options(),
    )
    app.start_notices = [notice] if notice else []
    app.snap, app.after_done = config.snap, config.after_done
    app.gold = gold or config.gold
    app.review = review
    try:
        with bidi_terminal_session(bidi, app=app):
            # What is alive now (the modules, the store, the app: ~40,000 objects, no garbage) lives
            # as long as the app: out of the collector's way, else its first full pass lands while
            # the main screen mounts (~13 ms before the first frame) and every later one walks them.
            # No collection at all until the first frame is drawn (~3 ms of young-object passes):
            # AnnotatorApp turns the collector back on then (_after_first_frame).
            gc.freeze()
            gc.disable()
            try:
                app.run()
            finally:
                gc.enable()
                gc.unfreeze()
    finally:
        app.writer.close()
        app.unsaved_at_exit = list(app.writer.not_saved)  # exactly the actions that did not commit
        if app.unsaved_at_exit:
            print(f"tui: quit while the database was locked: {len(app.unsaved_at_exit)} action(s) NOT saved: "
                  + "; ".join(safe_text(d, 60) for d in app.unsaved_at_exit[:10]), file=sys.stderr)
        close = getattr(store, "close", None)
        if close is not None:
            close()
    return 1 if app.unsaved_at_exit else app.return_code or 0
