"""The one-line text fields of tui's screens: Textual's Input, with Alt+arrows moving by word as
ctrl+arrows do (in a browser xterm.js sends Alt+Left as ctrl+Left, so the two keys must mean the
same thing everywhere: tui.ui.browser), and right-to-left text drawn as the article is.

Bidi: with ``--bidi app`` (we reorder) a value holding Arabic or Hebrew is drawn by the same layout
engine as the articles: letters joined, in visual order, the field's direction taken from its first
strong character (UAX #9 P2-P3) and an RTL value flush right, as in a ``dir=auto`` browser field.
The caret is drawn on the cell that shows its logical position (after the last letter typed: the
left end of Arabic text), Left/Right move one cell *on screen*, and a click lands on the letter under
the mouse. The value itself stays in logical order (what is searched and stored). Values without
right-to-left text, and the other bidi modes (the terminal reorders, or raw text), are Textual's
own rendering, unchanged.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.command import CommandInput, CommandPalette
from textual.strip import Strip
from textual.widgets import Input
from textual.widgets.input import Selection

from tui.layout import DocumentLayout, LayoutOptions, VisualLine
from tui.layout.bidi import may_need_bidi
from tui.ui.compat import input_cursor_visible

__all__ = ["PaletteInput", "TextInput", "TuiCommandPalette", "visual_field"]

WIDE = 100_000
"""Layout width for a one-line field: never wraps."""


def field_options(app: Any) -> LayoutOptions | None:
    """Layout options for drawing a field of ``app`` ourselves; None when the terminal reorders
    (``--bidi terminal``) or raw text is wanted (``off``): Textual's rendering is then right."""
    if getattr(app, "bidi", "app") != "app":
        return None
    return LayoutOptions(shaping=bool(getattr(app, "shaping", True)))


def visual_field(value: str, options: LayoutOptions) -> VisualLine:
    """``value`` laid out on one line (visual order, shaped; its last cell is the blank that
    shows the end of the value, where a caret after the last letter sits)."""
    return DocumentLayout(value, WIDE, options).line(0)


def field_window(line: VisualLine, caret_x: int, width: int, flush_right: bool = True) -> tuple[int, int]:
    """(first column shown, blank columns before the text) for a field ``width`` cells wide: an RTL
    line flush right (unless not ``flush_right``), a long one scrolled so the caret stays in view
    (an RTL one shows its beginning, on the right, while it can)."""
    total = sum(cell.width for cell in line.cells)
    if total <= width:
        return 0, (width - total if line.rtl and flush_right else 0)
    start = total - width if line.rtl else 0
    if caret_x < start:
        start = caret_x
    elif caret_x >= start + width:
        start = caret_x - width + 1
    return start, 0


class BidiFieldMixin:
    """Draws and moves like an Input, but through the layout engine when the value is RTL."""

    value: str
    cursor_position: int
    selection: Selection
    has_focus: bool
    app: Any

    _bidi_view: tuple[int, int, VisualLine] | None = None
    """(first column shown, blank columns before, line) of the last bidi rendering (for clicks)."""

    def _bidi_options(self) -> LayoutOptions | None:
        value = self.value
        if not value or getattr(self, "password", False) or not may_need_bidi(value):
            return None
        return field_options(self.app)

    def render_line(self, y: int) -> Strip:
        options = self._bidi_options() if y == 0 else None
        if options is None:
            self._bidi_view = None
            return super().render_line(y)  # type: ignore[misc]
        widget: Any = self
        # Textual's Input draws one column more than it shows (room for a caret at the end of a
        # scrolled value): our text stays inside the columns shown, or its first letter is cut
        width = max(1, widget.scrollable_content_region.width)
        line = visual_field(self.value, options)
        caret = self.cursor_position
        caret_x, x = 0, 0
        for cell in line.cells:
            if cell.start <= caret < cell.end or cell.start == caret:
                caret_x = x
                break
            x += cell.width
        start, pad = field_window(line, caret_x, width)
        self._bidi_view = (start, pad, line)
        cursor_style: Style | None = None
        if self.has_focus and input_cursor_visible(widget):
            cursor_style = widget.get_component_rich_style("input--cursor")
        selection_style = widget.get_component_rich_style("input--selection")
        low, high = sorted(self.selection) if self.has_focus and not self.selection.is_empty else (0, 0)
        segments = [Segment(" " * pad)] if pad else []
        for cell in line.cells:
            style = None
            if low <= cell.start < high:
                style = selection_style
            if cursor_style is not None and (cell.start <= caret < cell.end or cell.start == caret):
                style = cursor_style if style is None else style + cursor_style
            segments.append(Segment(cell.text, style))
        strip = Strip(segments).crop(start, start + width).extend_cell_length(width + 1)
        return strip.apply_style(widget.rich_style)

    def _visual_step(self, right: bool) -> int | None:
        options = self._bidi_options()
        if options is None:
            return None
        layout = DocumentLayout(self.value, WIDE, options)
        return layout.move_right(self.cursor_position) if right else layout.move_left(self.cursor_position)

    def _move_to(self, position: int, select: bool) -> None:
        if select:
            self.selection = Selection(self.selection.start, position)
        else:
            self.cursor_position = position

    def action_cursor_left(self, select: bool = False) -> None:
        target = self._visual_step(right=False)
        if target is None:
            super().action_cursor_left(select)  # type: ignore[misc]
        else:
            self._move_to(target, select)

    def action_cursor_right(self, select: bool = False) -> None:
        target = self._visual_step(right=True)
        if target is None:
            super().action_cursor_right(select)  # type: ignore[misc]
        else:
            self._move_to(target, select)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click on RTL text puts the caret on the letter under the mouse (Textual's own handler,
        which ran first, counts cells in logical order)."""
        view = self._bidi_view
        if view is None:
            return
        start, pad, line = view
        x = event.get_content_offset_capture(self).x - pad + start  # type: ignore[arg-type]
        column = 0
        for cell in line.cells:
            column += cell.width
            if x < column:
                self.selection = Selection.cursor(cell.start)
                return
        self.selection = Selection.cursor(len(self.value))


class TextInput(BidiFieldMixin, Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("alt+left", "cursor_left_word", "Move cursor left a word", show=False),
        Binding("alt+right", "cursor_right_word", "Move cursor right a word", show=False),
    ]


class PaletteInput(BidiFieldMixin, CommandInput):
    """The command palette's field, drawing typed Arabic or Hebrew as the articles do."""


class TuiCommandPalette(CommandPalette):
    """Textual's command palette with a bidi-aware field (the rest is Textual's)."""

    def compose(self) -> Any:
        for widget in super().compose():
            if type(widget) is CommandInput:
                widget = PaletteInput(placeholder=widget.placeholder, select_on_focus=False)
            yield widget
