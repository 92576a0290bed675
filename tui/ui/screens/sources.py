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


class SourcesScreen(ModalScreen[list[str] | None]):
    """Dismisses with the chosen sources (in the listed order), or None when cancelled."""

    AUTO_FOCUS = "#sources-list"

    BINDINGS = [
        Binding("enter", "done", "use these", id="sources.done", priority=True),
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
            yield SelectionList[str](
                *(Selection(Text(clean(name, 60)), name, name in self.chosen) for name in self.known),
                id="sources-list",
            )
            if not self.known:
                yield Label("nobody else has spans yet: import a model's output with "
                            "tui import FILE --annotator model-x", id="sources-empty")

    def action_done(self) -> None:
        picked = set(self.query_one(SelectionList).selected)
        self.dismiss([name for name in self.known if name in picked])

    def action_cancel(self) -> None:
        self.dismiss(None)
