"""The key bar: the screen's shown bindings (key + description) on one line, one widget.

Textual's `Footer` builds a widget per key and recomposes them whenever the bindings change
(twice more in the first second, as focus lands); at start-up that alone cost more CPU than
the rest of tui's first frame (BENCHMARKS.md, "start"). This bar draws the same thing as one
`render()` and repaints on the screen's `bindings_updated_signal`. Keys come from the live
binding chain, so keymap remaps show; the command palette hint stays on the right; a click
on a key presses it, as with the Footer.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

from tui.ui import widget_css

PALETTE_ACTIONS = ("command_palette", "app.command_palette")
ELLIPSIS = "…"
_DIM = Style(dim=True)  # a binding whose check_action says "disabled"


class KeyItem(NamedTuple):
    key: str  # the key as bound after the keymap: what a click simulates
    display: str  # what the bar shows for it ("^p", "?")
    description: str
    enabled: bool
    tooltip: str
    optional: bool = False  # shown only when everything fits (KeyBar.OPTIONAL)
    binding_id: str = ""


ORDER = ("help", "quit", "tag_", "delete_span", "relabel", "next_match", "previous_match", "next_span", "undo", "search",
         "mark_done", "pick_document", "next_pane")
"""Binding ids (or prefixes) in the order the bar lists them: help and quit first (as nano and htop
do: a toast over the bar's right end, or a narrow terminal, never hides them), then the day's keys;
others after."""

SHORT = {"delete_span": "del", "relabel": "rel", "next_span": "next", "next_match": "", "previous_match": "match",
         "undo": "undo", "search": "find",
         "mark_done": "done", "pick_document": "open", "next_pane": "pane",
         "help": "help", "quit": "quit"}
"""Descriptions below COMPACT_BELOW columns (80x24 over SSH), where the tag keys share one word."""

COMPACT_BELOW = 120
"""Below this width the bar is compact, and the palette hint gives way (ctrl+p and : still open it)."""

FULL = {"next_span": "next", "search": "find", "next_match": "", "previous_match": "match"}
"""Descriptions on a wide bar that are shorter than the bindings' own (which the help screen shows).
While a search is shown, n and N step through its matches ("n N match", early on the bar, so they
show at 80 columns too); otherwise n is "next" span."""


def _rank(item: KeyItem) -> int:
    for index, prefix in enumerate(ORDER):
        if item.binding_id == prefix or (prefix.endswith("_") and item.binding_id.startswith(prefix)):
            return index
    return len(ORDER)


def compact(items: list[KeyItem]) -> list[KeyItem]:
    """The tag keys share one word ("e c d tag", each key still its own click), short descriptions
    for the rest; keys the bar does not name (v) give way."""
    tags = [item for item in items if item.binding_id.startswith("tag_")]
    result: list[KeyItem] = []
    for item in items:
        if item.binding_id.startswith("tag_"):
            result.append(item._replace(description="tag" if item is tags[-1] else ""))
            continue
        if item.binding_id in SHORT:  # keys the bar does not list by name (v) give way at this width
            display = "⇥" if item.display.lower() == "tab" else item.display
            result.append(item._replace(display=display, description=SHORT[item.binding_id]))
    return result


class KeyRegion(NamedTuple):
    start: int
    end: int
    item: KeyItem


class KeyBar(Widget, can_focus=False):
    """One line: `key description` for each shown binding, the palette keys at the right.

    Bindings named in ``OPTIONAL`` are shown only when every shown binding fits (wide terminals):
    they never push an essential key (quit, help, the tag keys) off a narrow bar."""

    OPTIONAL: frozenset[str] = frozenset({"document_view.word_forward", "document_view.word_right"})

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keybar--key", "keybar--description"}
    DEFAULT_CSS = widget_css("keybar.tcss")

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._regions: list[KeyRegion] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: object) -> None:
        # As Textual's Footer: after the pending refresh, and only for our own screen.
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self.refresh)

    # -- what to show ----------------------------------------------------------------------

    def items(self) -> tuple[list[KeyItem], list[KeyItem]]:
        """(shown bindings, command palette bindings) of the active screen, one per action
        (the first key bound to it), in binding-chain order, as Textual's Footer lists them."""
        app = self.app
        shown: dict[str, KeyItem] = {}
        palette: list[KeyItem] = []
        for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if binding.action in PALETTE_ACTIONS:
                if app.ENABLE_COMMAND_PALETTE:
                    palette.append(KeyItem(key, app.get_key_display(binding), binding.description or "commands",
                                           enabled, binding.tooltip or binding.description))
                continue
            if not binding.show or binding.action in shown:
                continue
            shown[binding.action] = KeyItem(key, app.get_key_display(binding), binding.description, enabled,
                                            tooltip or binding.description, binding.id in self.OPTIONAL,
                                            binding.id or "")
        labels = [getattr(label, "name", "") for label in getattr(self.screen, "labels", None) or []]
        position = {f"tag_{name}": index for index, name in enumerate(labels)}
        # Stable: the chain's order within a rank; tag keys in the labels' order (a remap moves
        # a binding to the end of Textual's map).
        ordered = sorted(shown.values(), key=lambda item: (_rank(item), position.get(item.binding_id, 0)))
        if self.size.width and self.size.width < COMPACT_BELOW:
            return compact(ordered), []
        return [item._replace(description=FULL.get(item.binding_id, item.description)) for item in ordered], palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key")
        description_style = self.get_component_rich_style("keybar--description")
        width = self.size.width
        shown, palette = self.items()
        regions: list[KeyRegion] = []

        hint = Text()
        if palette:
            hint.append("▏", description_style + _DIM)  # the Footer's divider before the palette key
            for index, item in enumerate(palette):
                if index:
                    hint.append("/", description_style)
                hint.append(item.display, key_style)
            hint.append(" " + palette[0].description, description_style)
        reserve = hint.cell_len + 1 if hint.cell_len and hint.cell_len + 1 < width else 0

        line = Text(no_wrap=True, overflow="crop", end="")
        room = width - reserve
        full = sum(len(item.display) + 1 + len(item.description) + 1 for item in shown)
        if full > room:
            shown = [item for item in shown if not item.optional]
        for index, item in enumerate(shown):
            piece = Text()
            piece.append(item.display, key_style if item.enabled else key_style + _DIM)
            if item.description:
                piece.append(" " + item.description, description_style if item.enabled else description_style + _DIM)
            gap = 1 if index else 0
            rest_needs_ellipsis = index < len(shown) - 1
            needed = gap + piece.cell_len + (2 if rest_needs_ellipsis else 0)
            if line.cell_len + needed > room:
                if line.cell_len + gap + 1 <= room:
                    line.append(" " * gap + ELLIPSIS, description_style)
                break
            line.append(" " * gap)
            regions.append(KeyRegion(line.cell_len, line.cell_len + piece.cell_len, item))
            line.append_text(piece)

        if not reserve and line.cell_len < width:
            line.append(" " * (width - line.cell_len))
        if reserve:
            line.append(" " * (width - line.cell_len - hint.cell_len))
            offset = line.cell_len
            # A click anywhere on the hint opens the palette (through its first key).
            regions.append(KeyRegion(offset, offset + hint.cell_len, palette[0]))
            line.append_text(hint)
        self._regions = regions
        return line

    # -- mouse -----------------------------------------------------------------------------

    def item_at(self, x: int) -> KeyItem | None:
        for region in self._regions:
            if region.start <= x < region.end:
                return region.item
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self.item_at(event.x)
        if item is None:
            return
        event.stop()
        if not item.enabled:
            self.app.bell()
        else:
            self.app.simulate_key(item.key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self.item_at(event.x)
        self.tooltip = item.tooltip if item is not None and item.tooltip else None

