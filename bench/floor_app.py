"""A floor for the start benchmark: tui's first screen drawn by Textual alone, without tui's code.

The same widget tree as tui's main screen (two article panes, each a title line, a meta line and a
scrolling line view; the hidden search line with its three children; the status line; a one-widget
key bar), the same stylesheets (tui/ui/app.tcss and the widgets' .tcss files, read as files) and
the same first words on screen, but the article lines are the seed files' first lines cut to width: no tui import, no database, no
shaping, no bidi. What this costs over a one-Static app is what Textual charges for tui's screen;
tui's own work (its imports, the store, the layout engine) is what tui costs over this.

    python bench/floor_app.py SEED_FILE SEED_FILE STATUS_TEXT
"""

import sys
from pathlib import Path

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Label, Static

ROOT = Path(__file__).resolve().parents[1]
UI = ROOT / "tui" / "ui"


class PaneTitle(Static):
    pass


class PaneMeta(Static):
    pass


class DocumentView(ScrollView, can_focus=True):
    DEFAULT_CSS = (UI / "document_view.tcss").read_text(encoding="utf-8")  # tui's own, read as a file

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        text = self.lines[index] if index < len(self.lines) else ""
        return Strip([Segment(text[: self.size.width])])


class ArticlePane(Vertical):
    def __init__(self, path: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:40]

    def compose(self) -> ComposeResult:
        yield PaneTitle(self.lines[0], classes="pane-title")
        yield PaneMeta("vi · ltr · entity 0 claim 0 date 0 · in progress", classes="pane-meta")
        yield DocumentView(self.lines)


class SearchBar(Horizontal):
    def compose(self) -> ComposeResult:
        yield Label("/", id="search-prompt")
        yield Static("", id="search-input")
        yield Label("", id="search-count")


class StatusLine(Static):
    pass


class KeyBar(Static):
    DEFAULT_CSS = (UI / "keybar.tcss").read_text(encoding="utf-8")


class FloorApp(App[None]):
    CSS_PATH = str(UI / "app.tcss")

    def __init__(self, articles: list[Path], status: str) -> None:
        super().__init__()
        self.articles = articles
        self.status = status

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            for index, path in enumerate(self.articles):
                yield ArticlePane(path, id=f"pane-{index}")
        yield SearchBar(id="search-bar")
        yield StatusLine(f" {self.status}  bidi app · shaping on", id="status")
        yield KeyBar(" e entity  c claim  d date  x delete  u undo  o open  / search  ? help  q quit  ▏^p commands")

    def on_mount(self) -> None:
        self.query_one(DocumentView).focus()


if __name__ == "__main__":
    FloorApp([Path(sys.argv[1]), Path(sys.argv[2])], sys.argv[3]).run()
