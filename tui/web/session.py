"""What one browser tab runs (started by tui.web.server under textual-serve's web driver):

    python -m tui.web.session [--db PATH] [--annotator NAME] [--panes N] [--config PATH]

(without --db: $TUI_DB, which is how tui serve hands over a PostgreSQL URL, password included,
without putting it on a command line.)

The annotation app, as `tui` runs it in a terminal (tui.ui.app.run_app: same store, config and
keymap; in the browser always bidi app with shaping on), except that without --annotator it first
asks who is annotating (tui.web.screen) instead of taking $USER.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import argparse
import sys
from pathlib import Path
from typing import Any

from tui.ui import app as ui_app
from tui.ui.app import AnnotatorApp, run_app
from tui.ui.screens.main import MainScreen
from tui.web.names import InvalidName, check_annotator_name

if TYPE_CHECKING:
    from tui.store.store import Store


class WebAnnotatorApp(AnnotatorApp):
    """The app for one tab. An empty annotator means: ask on the first screen."""

    CSS_PATH = str(Path(ui_app.__file__).with_name("app.tcss"))  # the terminal app's stylesheet

    def __init__(self, store: Store, *, annotator: str, **options: Any) -> None:
        super().__init__(store, annotator=annotator, **options)
        self.sub_title = annotator

    def get_default_screen(self) -> Any:
        if self.annotator:
            return super().get_default_screen()
        from tui.web.screen import AnnotatorScreen

        try:
            known = list(self.store.annotators())
        except Exception:  # an unreadable database shows up on the main screen, with its reason
            known = []
        return AnnotatorScreen(known, self.start_as)

    def start_as(self, annotator: str) -> None:
        """Leave the first screen for the main screen, as `annotator` (a checked name)."""
        self.annotator = annotator
        self.sub_title = annotator
        main: MainScreen = super().get_default_screen()
        # Over the first screen (the app's default screen cannot be switched away); nothing pops it.
        self.push_screen(main)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tui.web.session", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--annotator", default=None)
    parser.add_argument("--panes", type=int, default=None)
    parser.add_argument("--config", type=Path, default=None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    annotator = ""
    if args.annotator is not None:
        try:
            annotator = check_annotator_name(args.annotator)
        except InvalidName as exc:
            print(f"tui: --annotator: {exc}", file=sys.stderr)
            return 2
    from tui.store.target import TargetError, parse_target

    try:
        db = parse_target(args.db)
    except TargetError as exc:
        print(f"tui: --db / $TUI_DB: {exc}", file=sys.stderr)
        return 2
    return run_app(db, annotator=annotator, panes=args.panes, config_path=args.config,
                   app_class=WebAnnotatorApp)


if __name__ == "__main__":
    sys.exit(main())
