"""Dialogs for links: pick a link label, confirm deleting a linked span, and the article's links list.

Every string from the database (span text, label names, annotator) is drawn through `Text`
(never parsed as markup); span text goes through the layout engine (`visual_line`: shaped, in
visual order, control characters as placeholders), as everywhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from tui.safe_text import safe_text
from tui.ui.compat import add_bindings
from tui.ui.display import layout_options, visual_line

if TYPE_CHECKING:
    from tui.store.links import LinkLabel


def excerpt(text: str, bidi: str, shaping: bool, width: int = 28) -> str:
    """Document text for a dialog line: one line, shaped and reordered like the article."""
    return visual_line(text, layout_options(bidi, shaping, None), width)


def label_keys(labels: Sequence[LinkLabel]) -> list[tuple[str, str]]:
    """(key, label name) for the picker: the label's own key, else its position 1..9."""
    keys: list[tuple[str, str]] = []
    used: set[str] = {"enter", "escape"}
    for index, label in enumerate(labels, start=1):
        key = getattr(label, "key", None)
        if not key or len(key) != 1 or not key.isprintable() or key in used:
            key = str(index) if index <= 9 else ""
        if key and key not in used:
            used.add(key)
            keys.append((key, label.name))
        else:
            keys.append(("", label.name))
    return keys


class LinkLabelScreen(ModalScreen[str | None]):
    """Which link label: a key per label, enter = the first (the default), escape cancels."""

    BINDINGS = [
        Binding("enter", "choose_default", "default label", id="link_label.default"),
        Binding("escape", "cancel", "cancel", id="link_label.cancel"),
    ]

    def __init__(self, labels: Sequence[LinkLabel], head: str, child: str) -> None:
        super().__init__()
        self.labels = list(labels)
        self.keys = label_keys(self.labels)
        self.head, self.child = head, child
        extra = [
            Binding(key, f"choose({index})", safe_text(name, 40), show=False, id=f"link_label.{index}")
            for index, (key, name) in enumerate(self.keys) if key
        ]
        add_bindings(self, extra)

    def compose(self) -> ComposeResult:
        with Vertical(id="link-label-dialog"):
            heading = Text("Link ", style="bold")
            heading.append(f"“{self.head}”")
            heading.append(" ↔ ")
            heading.append(f"“{self.child}”")
            heading.append(" as:")
            yield Static(heading, id="link-label-heading")
            for index, ((key, name), label) in enumerate(zip(self.keys, self.labels)):
                row = Text()
                row.append(f" {safe_text(key or ' ', 1)} ", style="bold reverse")
                row.append(f" {safe_text(name, 40)}", style="bold" if index == 0 else "")
                if index == 0:
                    row.append("  (enter)", style="dim")
                kind = [word for word, on_ in (("transitive", label.transitive), ("symmetric", label.symmetric)) if on_]
                if kind:
                    row.append(f"  {', '.join(kind)}", style="dim")
                yield Static(row, classes="link-label-row")
            yield Static(Text("escape cancels", style="italic dim"))

    def action_choose(self, index: int) -> None:
        self.dismiss(self.labels[index].name)

    def action_choose_default(self) -> None:
        self.dismiss(self.labels[0].name if self.labels else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y or enter says yes; n or escape says no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "no", id="confirm.no"),
    ]

    def __init__(self, question: Text) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(self.question)
            yield Static(Text("y / enter: yes    n / escape: no", style="italic dim"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


@dataclass(frozen=True)
class ListRow:
    """One row of a `RowListScreen`: what it shows and what it stands for."""

    prompt: Text
    value: Any


class RowListScreen(ModalScreen[None]):
    """A list overlay (the article's links; reusable for other lists): up/down, enter acts on the
    row, extra keys act on the highlighted row, escape closes. `rows()` is asked again after an
    action, so the list shows what the database says."""

    BINDINGS = [
        Binding("escape", "close", "close", id="row_list.close"),
    ]

    def __init__(self, title: str, rows: Callable[[], list[ListRow]], on_enter: Callable[[Any], bool],
                 actions: Sequence[tuple[str, str, Callable[[Any], None]]] = (), empty: str = "nothing here") -> None:
        super().__init__()
        self.title_text = title
        self._list_rows = rows
        self._list_enter = on_enter
        self._list_actions = list(actions)
        self._list_empty = empty
        self.values: list[Any] = []
        extra = [Binding(key, f"row_action({index})", description, id=f"row_list.{index}")
                 for index, (key, description, _) in enumerate(self._list_actions)]
        add_bindings(self, extra)

    def compose(self) -> ComposeResult:
        with Vertical(id="row-list"):
            yield Label(Text(self.title_text, style="bold"), id="row-list-title")
            yield OptionList(id="row-list-options")
            keys = "  ".join(f"{key}: {description}" for key, description, _ in self._list_actions)
            yield Label(Text(f"enter: go to   {keys}   escape: close", style="italic dim"), id="row-list-keys")

    def on_mount(self) -> None:
        self.refill()

    def refill(self) -> None:
        options = self.query_one(OptionList)
        keep = options.highlighted
        rows = self._list_rows()
        self.values = [row.value for row in rows]
        options.clear_options()
        if rows:
            options.add_options([Option(row.prompt) for row in rows])
            options.highlighted = min(keep or 0, len(rows) - 1)
        else:
            options.add_option(Option(Text(self._list_empty, style="italic"), disabled=True))
        options.focus()

    def _current(self) -> Any:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.values):
            return None
        return self.values[index]

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        value = self._current()
        if value is not None and self._list_enter(value):
            self.dismiss(None)

    def action_row_action(self, index: int) -> None:
        value = self._current()
        if value is not None:
            self._list_actions[index][2](value)
            self.refill()

    def action_close(self) -> None:
        self.dismiss(None)
