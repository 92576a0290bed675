"""The `/` search line, docked under the panes. Highlights matches as you type; enter jumps
(highlights stay, n/N step through them), escape clears.

The line never takes the focus: the article keeps it, and the App hands typed keys to the
line while it is open (`AnnotatorApp.on_key`). Every key then goes one way, in the order it
was typed: "/Putin⏎e" typed in one burst (or arriving in one SSH packet) searches for
"Putin" and tags it, where a focused Input would race the focus change and lose or misroute
keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Key, Paste
from textual.widgets import Label, Static

from tui.layout.bidi import may_need_bidi

if TYPE_CHECKING:
    from tui.layout import LayoutOptions

PROMPT = "/"


class SearchBar(Horizontal):
    """Hidden until `start()`. `on_query(text) -> match count` highlights live; `on_done`
    gets the query on enter or None on escape."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.query_text = ""
        self.on_query: Callable[[str], int] | None = None
        self.on_done: Callable[[str | None], None] | None = None

    def compose(self) -> ComposeResult:
        yield Label(PROMPT, id="search-prompt")
        yield Static("", id="search-input")
        yield Label("", id="search-count")

    @property
    def active(self) -> bool:
        return self.on_done is not None

    def start(self, on_query: Callable[[str], int], on_done: Callable[[str | None], None]) -> None:
        self.on_query, self.on_done = on_query, on_done
        self.query_text = ""
        self.display = True
        self._show(0)

    def take_key(self, event: Key) -> bool:
        """Take a key while open; True when it was for the search line."""
        if not self.active:
            return False
        if event.key == "enter":
            self._finish(self.query_text)
        elif event.key == "escape":
            self._finish(None)
        elif event.key in ("backspace", "ctrl+h"):
            self._set(self.query_text[:-1])
        elif event.key == "ctrl+u":
            self._set("")
        elif event.is_printable and event.character:
            self._set(self.query_text + event.character)
        # Any other key (arrows, tab, ...) is swallowed while the line is open.
        return True

    def handle_paste(self, event: Paste) -> bool:
        if not self.active:
            return False
        self._set(self.query_text + " ".join(event.text.split()))
        return True

    def _set(self, text: str) -> None:
        self.query_text = text
        count = self.on_query(text) if self.on_query is not None else 0
        self._show(count)

    def _show(self, count: int) -> None:
        # Plain Text: what the user typed is data, never markup. Control characters cannot be
        # typed into it (is_printable), and a paste is flattened to one line.
        from tui.ui.text_input import field_options  # the bidi field: only once a search is typed

        field = self.query_one("#search-input", Static)
        options = field_options(self.app) if may_need_bidi(self.query_text) else None
        if options is None:
            shown = Text(self.query_text, no_wrap=True, overflow="ellipsis")
            shown.append(" ", style="reverse")
        else:  # Arabic/Hebrew as the article shows it; the caret after the last letter typed
            shown = _visual_query(self.query_text, options, field.size.width or 40)
        field.update(shown)
        label = "" if not self.query_text else (f"{count} matches" if count != 1 else "1 match")
        hint = "  enter jump · esc clear"
        self.query_one("#search-count", Label).update(label + hint)

    def _finish(self, query: str | None) -> None:
        done, self.on_done, self.on_query = self.on_done, None, None
        self.display = False
        if done is not None:
            done(query)


def _visual_query(query: str, options: LayoutOptions, width: int) -> Text:
    """The query on one line of ``width`` cells, shaped and in visual order, next to the prompt (the
    line is wide, and notifications cover its right end), the caret (reverse) on the blank after its
    last letter: the left end of Arabic or Hebrew."""
    from tui.ui.text_input import field_window, visual_field

    line = visual_field(query, options)
    caret_x, x = 0, 0
    for cell in line.cells:
        if cell.start == len(query):
            caret_x = x
        x += cell.width
    start, pad = field_window(line, caret_x, width, flush_right=False)
    shown = Text(" " * pad, no_wrap=True, overflow="crop", end="")
    column = 0
    for cell in line.cells:
        if start <= column < start + width:
            shown.append(cell.text, style="reverse" if cell.start == len(query) else "")
        column += cell.width
    return shown
