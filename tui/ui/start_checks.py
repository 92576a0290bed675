"""What the app checks once it has started, each problem said once (on the status line and as a
toast): the user's keymap (unknown ids, clashes, quit/help/palette left without a key), label
colours that do not parse, and, in a worker thread, PRAGMA quick_check of the database (a damaged
file stops every write: AnnotatorApp.database_damaged)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.ui.app import AnnotatorApp


def checked_keymap(app: AnnotatorApp, keymap: dict[str, str]) -> dict[str, str]:
    """The keymap minus what would leave quit, help or the palette without a key; problems
    (unknown ids, clashes) become one line shown at start."""
    from tui.ui.document_view import DocumentView
    from tui.ui.keymap_check import bindings_of, check_keymap
    from tui.ui.panes import ArticlePane, label_bindings
    from tui.ui.screens.main import MainScreen

    main = app.main_screen()
    labels = main.labels if main is not None else []
    report = check_keymap(bindings_of([
        (0, DocumentView.BINDINGS), (1, [*ArticlePane.BINDINGS, *label_bindings(labels)]),
        (2, MainScreen.BINDINGS), (3, type(app).BINDINGS),
    ]), keymap)
    if report.problems:
        app.start_notices.append(report.line("keymap"))
        app.start_warnings.add(app.start_notices[-1])
        if main is not None and main.is_mounted:
            main.show_start_notices()
    return report.keymap


def check_database(app: AnnotatorApp) -> None:
    """In a worker thread after the start: PRAGMA quick_check on a connection of its own (the
    screen never waits for it). A damaged file stops every write (tui.ui.writer)."""
    path = getattr(app.store, "path", None)
    another = getattr(app.store, "another_connection", None)
    if not isinstance(path, (str, Path)) or not callable(another):
        # PRAGMA quick_check is SQLite's: a PostgreSQL server keeps its own pages sound, and a
        # server that does not answer is a lost connection (the writer waits), not a damaged file.
        return
    from tui.store import StoreError

    try:
        with another(readonly=True) as checker:
            problems = checker.quick_check()
    except StoreError as exc:
        problems = [str(exc)]
    if problems:
        from tui.store.connection import damaged_error

        message = str(damaged_error(Path(path), problems[0]))
        try:
            app.call_from_thread(app.database_damaged, message)
        except RuntimeError:  # the app has gone meanwhile
            pass


def warn_about_labels(app: AnnotatorApp) -> None:
    """Label colours that do not parse are drawn in the default style: say so, once, at start."""
    from tui.ui.span_styles import label_colour_warnings

    try:
        warnings = label_colour_warnings(app.store.labels())
    except Exception:  # noqa: BLE001 - an unreadable database is reported elsewhere
        return
    if warnings:
        app.start_notices.extend(warnings)
        app.start_warnings.update(warnings)
        main = app.main_screen()
        if main is not None and main.is_mounted:
            main.show_start_notices()
