"""Suggestion sources on or off (``S``): dates, names already tagged, patterns, an offline model."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label
from textual.widgets.selection_list import Selection

from tui.ui.screens.sources import SourcesScreen, TickList
from tui.ui.suggestions import CANDIDATE_SOURCES, DESCRIPTIONS, SOURCE_PREFIX


class SuggestionSourcesScreen(SourcesScreen):
    """Tick the suggestion sources to show (dismisses with the chosen ``suggest:...`` names)."""

    def __init__(self, chosen: list[str], model_available: bool) -> None:
        super().__init__(list(CANDIDATE_SOURCES), chosen)
        self.model_available = model_available

    def compose(self) -> ComposeResult:
        with Vertical(id="sources"):
            yield Label("Suggestions — space ticks a source, enter uses them, escape cancels", id="sources-title")
            yield TickList(
                *(Selection(Text(DESCRIPTIONS[name[len(SOURCE_PREFIX):]]), name, name in self.chosen)
                  for name in self.known),
                id="sources-list",
            )
            if not self.model_available:
                yield Label("model: none installed (pip install 'tui-annotate[vi]' for underthesea)",
                            id="sources-empty")
