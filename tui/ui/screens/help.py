"""The help screen: every key, generated from the live bindings (so remapped keys show)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.safe_rich import safe
from tui.safe_text import safe_text
from tui.ui.bindings import BoundAction

SECTIONS = ("Annotation", "Caret, selection, scrolling", "Application")

NOTES = (
    "Tagging acts on the selection, or on the word under the caret when nothing is selected.\n"
    "A selection snaps to whole words as you make it: what is drawn is what a tag stores\n"
    "(config snap = \"char\", or ! for the next tag: exactly as selected).\n"
    "Span keys (x, r, [ ] { } by a character, ( ) - _ by a word) act on the current span, marked ▸ ◂ on\n"
    "the status line: the one you added or touched last if it is under the caret, else the innermost;\n"
    ". makes the next one current.\n"
    "Mouse (optional): click places the caret, drag selects.\n"
    "Every change is committed to the database before the status line says “saved”.\n"
    "Remap keys in the config file:  [keymap]  binding_id = \"key\"  (ids in the right column)."
)


def labels_table(labels: Sequence[tuple[str, str, str, Style | str]]) -> Group:
    """The labels and their guidelines (labels.description), each name in its span style."""
    table = Table(expand=True, box=None, show_header=False, pad_edge=False, padding=(0, 1))
    table.add_column("Keys", no_wrap=True, style="bold", min_width=10)
    table.add_column("Label", no_wrap=True)
    table.add_column("Guideline", ratio=1)
    for keys, name, description, style in labels:
        table.add_row(Text(safe_text(keys, 12)), Text(safe_text(name, 24), style=style),
                      Text(safe_text(" ".join(description.split()), 600) or "—"))
    return Group(Text("Labels (i shows them over the text)", style="bold underline"), table, Text(""))


def help_table(actions: list[BoundAction]) -> Group:
    """One table per section (annotation, caret, application): keys, action, binding id."""
    order = {name: index for index, name in enumerate(SECTIONS)}
    parts: list[RenderableType] = []
    for section in sorted({a.section for a in actions}, key=lambda name: order.get(name, len(order))):
        table = Table(expand=True, box=None, show_header=False, pad_edge=False, padding=(0, 1))
        table.add_column("Keys", no_wrap=True, style="bold", min_width=10)
        table.add_column("Action", ratio=1)
        table.add_column("id", style="dim", no_wrap=True)
        in_section = [a for a in actions if a.section == section]
        in_section.sort(key=lambda a: not a.action.startswith("tag("))  # tagging first
        for action in in_section:
            description = action.description
            if action.tooltip:
                description = f"{description} — {action.tooltip}"
            # Text cells, never str: a str cell is parsed as markup, and label names, keys and
            # binding ids come from the labels table.
            table.add_row(safe(", ".join(action.keys), 40), safe(description), safe(" ".join(action.binding_ids), 60))
        parts += [Text(section, style="bold underline"), table, Text("")]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """Lists every binding active in the article view; any of escape, q, ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "close help", id="help.close"),
    ]

    def __init__(self, actions: list[BoundAction], labels: Sequence[tuple[str, str, str, Style | str]] = ()) -> None:
        super().__init__()
        self.actions = actions
        self.labels = tuple(labels)  # (keys, name, description, style as the spans are drawn)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("Keys — escape, q or ? closes; ids are for [keymap] in the config file", style="bold"), id="help-heading")
            if self.labels:
                yield Static(labels_table(self.labels), id="help-labels")
            yield Static(help_table(self.actions), id="help-table")
            yield Static(Text(NOTES, style="italic"), id="help-notes")
