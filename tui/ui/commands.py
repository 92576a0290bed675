"""Command palette: every bound action (with its current key) plus the display modes."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable

from typing import Any

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from tui.layout.bidi import may_need_bidi
from tui.safe_text import safe_text
from tui.ui.bindings import live_actions
from tui.vocabulary import BIDI_MODES
from tui.ui.display import visual_line
from tui.ui.text_input import field_options

if TYPE_CHECKING:
    from tui.ui.app import AnnotatorApp


class ActionsProvider(Provider):
    """Lists the actions reachable from where the palette was opened, and display modes."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app: AnnotatorApp = self.app  # type: ignore[assignment]
        commands: list[tuple[str, Callable[[], object], str]] = []
        for action in live_actions(self.screen, app.get_key_display):
            if action.action in ("command_palette", "app.command_palette"):
                continue
            title = safe_text(f"{action.description}  ({', '.join(action.keys)})", 120)
            commands.append((title, partial(app.run_action, action.action, action.node),
                             safe_text(action.tooltip or "", 200)))
        pane = app.active_pane()
        for mode in BIDI_MODES:
            commands.append(
                (f"bidi mode: {mode}", partial(app.set_display, bidi=mode), _BIDI_HELP[mode])
            )
        for on in (True, False):
            commands.append(
                (f"shaping: {'on' if on else 'off'}", partial(app.set_display, shaping=on),
                 "Join Arabic letters (presentation forms)" if on else "Show unjoined letters")
            )
        if pane is not None:
            for name in pane.label_names:
                commands.append(
                    (f"relabel span as {safe_text(name, 40)}", partial(pane.action_relabel, name),
                     f"Change the span under the caret to {safe_text(name, 40)}")
                )
        return commands

    async def discover(self) -> Hits:
        for title, command, help_text in self._commands():
            yield DiscoveryHit(_bidi_title(self.app, title) or Text(title), command, help=_plain(help_text))

    async def search(self, query: str) -> Hits:
        # Titles and help hold label names (untrusted): they go to the palette as Text/Content,
        # because Textual parses a str prompt or help, and Matcher.highlight(), as markup.
        matcher = self.matcher(query)
        for title, command, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                shown = _bidi_title(self.app, title) or _highlighted(matcher, query, title)
                yield Hit(score, shown, command, help=_plain(help_text), text=title)


def _bidi_title(app: Any, title: str) -> Text | None:
    """A title holding right-to-left text (an Arabic label name) as the articles draw it: shaped,
    in visual order (no match highlighting: its characters are no longer in typed order); None
    for other titles, or when the terminal reorders by itself."""
    if not may_need_bidi(title):
        return None
    options = field_options(app)
    if options is None:
        return None
    return Text(visual_line(title, options, 200))


def _plain(text: str) -> Any:
    """Help text as Content (not markup), or None."""
    return Content(text) if text else None


def _highlighted(matcher: Matcher, query: str, title: str) -> Text:
    """`title` as Text with the fuzzy-matched characters styled, as Matcher.highlight does."""
    shown = Text(title)
    _score, offsets = matcher.fuzzy_search.match(query, title)
    for offset in offsets:
        if not title[offset].isspace():
            shown.stylize("bold underline", offset, offset + 1)
    return shown


_BIDI_HELP = {
    "app": "We shape and reorder right-to-left text (xterm, kitty, Alacritty, Windows Terminal)",
    "terminal": "Send logical order; for terminals that reorder RTL themselves (VTE, Konsole, mintty)",
    "off": "Raw logical text: no reordering, no shaping",
}
