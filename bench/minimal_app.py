"""The references for the start benchmarks: a minimal Textual app with one Static, and (with
``--footer N``) the same app with Textual's Footer showing N key bindings, as tui's main screen does:
the second one shows how much of tui's start-up is Textual's own Footer."""

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

MARKER = "minimal-textual-app-first-frame"


def make_app(footer_keys: int | None) -> App:
    class MinimalApp(App[None]):
        BINDINGS = [Binding(chr(ord("a") + i), f"noop({i})", f"k{i}", tooltip=f"Does thing {i}")
                    for i in range(footer_keys or 0)]

        def compose(self) -> ComposeResult:
            yield Static(MARKER)
            if footer_keys is not None:
                from textual.widgets import Footer  # only this variant pays for importing it

                yield Footer()

        def action_noop(self, index: int) -> None:
            pass

    return MinimalApp()


if __name__ == "__main__":
    keys = int(sys.argv[sys.argv.index("--footer") + 1]) if "--footer" in sys.argv else None
    make_app(keys).run()
