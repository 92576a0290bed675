"""Choose candidate sources: whose spans (another annotator, `import`, a model imported under its own
name, a process such as `suggest:dates`) are offered to you for accept/reject."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, SelectionList
from textual.widgets.selection_list import Selection

from tui.ui.annotation import clean


class TickList(SelectionList[str]):
    """A SelectionList whose space ticks at once (SelectionList ticks one message later) and whose
    enter is the screen's "use these": both are the list's own bindings, so they run in typing
    order (a priority enter on the screen ran before the ticks typed just before it)."""

    BINDINGS = [Binding("space", "tick", "Toggle option", show=False),
                Binding("enter", "screen.done", "use these", show=False)]

    def action_tick(self) -> None:
        if self.highlighted is not None:
            self.toggle(self.get_option_at_index(self.highlighted))


class SourcesScreen(ModalScreen[list[str] | None]):
    """Dismisses with the chosen sources (in the listed order), or None when cancelled."""

    AUTO_FOCUS = "#sources-list"

    BINDINGS = [
        Binding("enter", "done", "use these", id="sources.done"),
        Binding("escape", "cancel", "cancel", id="sources.cancel"),
    ]

    def __init__(self, known: list[str], chosen: list[str], *, title: str | None = None) -> None:
        super().__init__()
        self.title_text = title or "Candidates from — space ticks a source, enter uses them, escape cancels"
        # Sources given on the command line that have no spans yet still show, ticked.
        self.known = list(dict.fromkeys([*known, *chosen]))
        self.chosen = set(chosen)

    def compose(self) -> ComposeResult:
        with Vertical(id="sources"):
            yield Label(self.title_text, id="sources-title")
            yield TickList(
                *(Selection(Text(clean(name, 60)), name, name in self.chosen) for name in self.known),
                id="sources-list",
            )
            if not self.known:
                yield Label("nobody else has spans yet: import a model's output with "
                            "tui import FILE --annotator model-x", id="sources-empty")

    def action_done(self) -> None:
        # enter is a priority binding: it runs before the keys typed just before it reach the list.
        # Read the ticks from the list's own queue, after those keys.
        picked = set(self.query_one(SelectionList).selected)
        self.dismiss([name for name in self.known if name in picked])

    def action_cancel(self) -> None:
        self.dismiss(None)
