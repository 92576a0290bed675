"""The `/` search bar, docked under the panes (not a modal: a modal re-tints the whole
screen on every keystroke). Highlights matches as you type; enter jumps, escape clears."""

from __future__ import annotations

from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label


class SearchBar(Horizontal):
    """Hidden until `start()`. `on_query(text) -> match count` highlights live; `on_done`
    gets the query on enter (highlights stay; n/N step through them) or None on escape."""

    # Priority bindings run while the App dispatches the key, before the next key is read:
    # a fast "/word⏎c" then tags with c instead of typing it into the closing search field.
    BINDINGS = [
        Binding("enter", "submit", "jump", priority=True, id="search.submit"),
        Binding("escape", "cancel", "clear search", priority=True, id="search.cancel"),
        Binding("tab,shift+tab", "ignore", show=False, id="search.stay"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.on_query: Callable[[str], int] | None = None
        self.on_done: Callable[[str | None], None] | None = None

    def compose(self) -> ComposeResult:
        yield Label("/", id="search-prompt")
        yield Input(placeholder="search this article", id="search-input")
        yield Label("", id="search-count")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.display  # the priority keys act only while the bar is open

    def start(self, on_query: Callable[[str], int], on_done: Callable[[str | None], None]) -> None:
        self.on_query, self.on_done = on_query, on_done
        field = self.query_one(Input)
        with field.prevent(Input.Changed):
            field.value = ""
        self.query_one("#search-count", Label).update("")
        self.display = True
        field.focus()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.on_query is None:
            return
        count = self.on_query(event.value)
        text = "" if not event.value else (f"{count} matches" if count != 1 else "1 match")
        self.query_one("#search-count", Label).update(text)

    def action_submit(self) -> None:
        self._finish(self.query_one(Input).value)

    def action_cancel(self) -> None:
        self._finish(None)

    def action_ignore(self) -> None:
        """Tab stays in the search field (the panes' Tab would leave it half-done)."""

    def _finish(self, query: str | None) -> None:
        done, self.on_done, self.on_query = self.on_done, None, None
        self.display = False
        if done is not None:
            done(query)
