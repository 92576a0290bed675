"""The `/` search bar: highlights matches as you type; enter jumps, escape clears."""

from __future__ import annotations

from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class SearchScreen(ModalScreen[str | None]):
    """A one-line bar at the bottom. `on_query(text) -> match count` highlights live.

    Dismisses with the query on enter (highlights stay; n/N step through them) and with
    None on escape (the caller clears the highlights)."""

    BINDINGS = [Binding("escape", "cancel", "clear search", id="search.cancel")]

    def __init__(self, on_query: Callable[[str], int], initial: str = "") -> None:
        super().__init__()
        self.on_query = on_query
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            yield Label("/", id="search-prompt")
            yield Input(self.initial, placeholder="search this article", id="search-input")
            yield Label("", id="search-count")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        count = self.on_query(event.value)
        text = "" if not event.value else (f"{count} matches" if count != 1 else "1 match")
        self.query_one("#search-count", Label).update(text)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
