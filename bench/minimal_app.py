"""The reference for the start benchmarks: a minimal Textual app with one Static."""

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "minimal-textual-app-first-frame"


class MinimalApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(MARKER)


if __name__ == "__main__":
    MinimalApp().run()
