"""The first screen of a browser tab: who is annotating? Type a name or pick one already in
the database; enter starts the app as that annotator. Nothing is assumed: in a browser there is
no $USER worth the name (the server's user is not the person at the keyboard)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.safe_rich import safe
from tui.ui.text_input import TextInput
from tui.web.names import InvalidName, check_annotator_name, name_problem


class AnnotatorScreen(Screen[None]):
    """Calls `chosen(name)` with a checked name (see tui.web.names)."""

    DEFAULT_CSS = Path(__file__).with_name("screen.tcss").read_text(encoding="utf-8")
    AUTO_FOCUS = "#who-name"
    BINDINGS = [
        Binding("down", "to_list", "names", show=False, id="who.to_list",
                tooltip="Move to the list of annotators already in the database"),
    ]

    def __init__(self, known: list[str], chosen: Callable[[str], None]) -> None:
        super().__init__()
        self.known = [name for name in known if name_problem(name) is None]
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(id="who"):
            yield Label("Who is annotating?", id="who-title")
            yield Label("Your name goes on every span you tag. Type it (or pick it below), then enter.",
                        id="who-help")
            yield TextInput(placeholder="your name", max_length=64, id="who-name")
            yield Label("", id="who-problem")
            yield OptionList(*self._options(""), id="who-list")
            yield Label("Tip: open this page as …/?annotator=NAME to start straight away.", id="who-tip")

    def on_mount(self) -> None:
        self.query_one("#who-list").display = bool(self.known)
        # Not left to AUTO_FOCUS: a browser tab starts blurred (textual-serve sends "blur" first),
        # and Textual auto-focuses only while the app has focus.
        self.query_one("#who-name", Input).focus()

    def _options(self, typed: str) -> list[Option]:
        folded = typed.strip().casefold()
        # Names come from the database: through the safe-text boundary, never parsed as markup.
        return [Option(safe(name), id=f"who-{index}") for index, name in enumerate(self.known)
                if folded in name.casefold()]

    @on(Input.Changed, "#who-name")
    def _typed(self, event: Input.Changed) -> None:
        problem = name_problem(event.value) if event.value.strip() else None
        self.query_one("#who-problem", Label).update(safe(problem or ""))
        options = self.query_one("#who-list", OptionList)
        options.clear_options()
        options.add_options(self._options(event.value))
        options.display = bool(options.option_count)

    @on(Input.Submitted, "#who-name")
    def _submitted(self, event: Input.Submitted) -> None:
        self._start(event.value)

    @on(OptionList.OptionSelected, "#who-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._start(self.known[int(str(event.option.id).removeprefix("who-"))])

    def _start(self, raw: str) -> None:
        try:
            name = check_annotator_name(raw)
        except InvalidName as exc:
            self.query_one("#who-problem", Label).update(safe(str(exc)))
            self.query_one("#who-name", Input).focus()
            return
        self.chosen(name)

    def action_to_list(self) -> None:
        options = self.query_one("#who-list", OptionList)
        if options.display and self.focused is not options:
            options.focus()
            if options.highlighted is None and options.option_count:
                options.highlighted = 0

