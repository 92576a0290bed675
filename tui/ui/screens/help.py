"""The help screen: every key, generated from the live bindings (so remapped keys show)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.ui.bindings import BoundAction

SECTIONS = ("Annotation", "Caret, selection, scrolling", "Application")

NOTES = (
    "Tagging acts on the selection, or on the word under the caret when nothing is selected.\n"
    "Span keys (delete, relabel, grow/shrink, n/N) act on the innermost span of yours under the caret.\n"
    "Mouse (optional): click places the caret, drag selects.\n"
    "Every change is committed to the database before the status line says “saved”.\n"
    "Remap keys in the config file:  [keymap]  binding_id = \"key\"  (ids in the right column)."
)


def help_table(actions: list[BoundAction]) -> Table:
    table = Table(expand=True, box=None, show_header=True, header_style="bold", pad_edge=False)
    table.add_column("Keys", no_wrap=True, style="bold")
    table.add_column("Action", ratio=1)
    table.add_column("id", style="dim", no_wrap=True)
    order = {name: index for index, name in enumerate(SECTIONS)}
    current = None
    for action in sorted(actions, key=lambda a: order.get(a.section, len(order))):
        if action.section != current:
            current = action.section
            table.add_row(Text(current, style="bold underline"), "", "")
        description = action.description
        if action.tooltip:
            description = f"{description} — {action.tooltip}"
        table.add_row(", ".join(action.keys), description, " ".join(action.binding_ids))
    return table


class HelpScreen(ModalScreen[None]):
    """Lists every binding active in the article view; any of escape, q, ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "close help", id="help.close"),
    ]

    def __init__(self, actions: list[BoundAction]) -> None:
        super().__init__()
        self.actions = actions

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("Keys", style="bold"), id="help-heading")
            yield Static(help_table(self.actions), id="help-table")
            yield Static(Text(NOTES, style="italic"), id="help-notes")
