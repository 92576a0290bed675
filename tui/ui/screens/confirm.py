"""A one-question dialog: y / enter says yes, n / escape says no."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (y, enter) or False (n, escape). The question is shown as plain text."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "no", id="confirm.no"),
    ]

    def __init__(self, question: Text | str, hint: str = "y / enter: yes    n / escape: no") -> None:
        super().__init__()
        self.question = question if isinstance(question, Text) else Text(question)
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question, id="confirm-question")
            yield Static(Text(self.hint, style="dim"), id="confirm-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
