"""DocumentView: a Line API widget that draws the layout engine's output with caret, selection and spans.

Public API (the app embeds this widget; extend by adding, never by changing)::

    SpanMark(id, start, end, label, readonly=False, linked=False, partner=False)   # frozen; [start, end)

    view = DocumentView(options=LayoutOptions(), label_styles=None)   # None: default_label_styles()
    view.load(text, spans=(), caret=0)        # new document; clears selection, highlights
    view.set_spans(spans)                     # redraws only the lines whose spans changed
    view.set_options(options)                 # bidi / shaping mode switch at runtime
    view.set_label_styles(styles)             # e.g. label_styles_from_labels(store.labels())
    view.set_highlights([(start, end), ...])  # search matches
    view.caret                                # logical offset (settable: moves and scrolls)
    view.selection                            # (start, end) logical, start < end, or None (settable)
    view.snap = "word"                        # None (raw) | "word" | "char": the selection drawn is what a tag takes
    view.target_range()                       # selection, else word under caret, else None
    view.spans_at_caret()                     # spans containing the caret, innermost first
    view.move_caret_to(offset, select=False)  # scrolls into view
    view.clear_selection()
    view.show_range(start, end)               # scroll to show a range, the caret staying put
    view.text, view.text_layout, view.visual_mode  # read-only
    view.terminal_reorders = True             # --bidi terminal: arrows follow the terminal's RTL display
    view.layout_complete                      # True once idle-time layout reached the end
    DocumentView.CaretMoved(view, caret, selection)     # posted after every caret/selection change

Keys (every binding has an id ``document_view.*`` for keymaps): arrows move the caret *on screen*
(Left on an RTL line moves forward in the text), shift+arrows select, ctrl+left/right jump to the
nearest word start on screen in the arrow's direction, w/b to the next/previous word start in
reading order (vim), home/end visual line start/end, pageup/pagedown, ctrl+home/ctrl+end (g/G) top/bottom,
``v`` toggles visual selection mode, escape clears the selection, h/j/k/l vim aliases.
Mouse: click places the caret, drag selects, shift+click extends, double click selects the word.

The caret, anchor, visual mode, goal column and movements are a plain object
(:class:`tui.ui.editing.EditingModel`, no Textual); this widget maps keys and the mouse to it and
draws (:mod:`tui.ui.document_canvas`: ``render_line`` asks the engine for one visual line laid out
before the frame, draws its cells as plain segments through an LRU cache keyed by exactly what can
change that line's look, then crops to the scroll offset).  A caret move refreshes only the rows it
left and entered.  A keystroke lays out only the rows on screen and the caret's; the scroll height
comes from an estimate (``LineEstimate``) while an event-loop worker lays out the rest in short
slices.
"""

from __future__ import annotations

from typing import ClassVar, Mapping, Sequence

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.message import Message

from tui.layout import LayoutOptions
from tui.ui import widget_css
from tui.ui.document_canvas import DocumentCanvas
from tui.ui.editing import Change
from tui.ui.line_render import RangeIndex, ranges
from tui.ui.span_marks import SpanMark
from tui.ui.span_styles import LabelStyle

__all__ = ["DocumentView", "SpanMark"]


class DocumentView(DocumentCanvas, can_focus=True):
    """Scrollable, focusable view of one document laid out by :mod:`tui.layout`."""

    ALLOW_SELECT: ClassVar[bool] = False  # our own caret/selection, not the screen's text selection
    BINDING_GROUP_TITLE = "Document"

    DEFAULT_CSS = widget_css("document_view.tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move('left')", "Left", show=False, id="document_view.left"),
        Binding("right,l", "move('right')", "Right", show=False, id="document_view.right"),
        Binding("up,k", "move('up')", "Up", show=False, id="document_view.up"),
        Binding("down,j", "move('down')", "Down", show=False, id="document_view.down"),
        Binding("ctrl+left,alt+left", "move('word_left')", "Word left on screen", show=False,
                id="document_view.word_left",
                tooltip="To the nearest word start to the left on screen (forward on a right-to-left line)"),
        Binding("ctrl+right,alt+right", "move('word_right')", "word on screen", show=True,
                id="document_view.word_right",
                tooltip="To the nearest word start to the right on screen (back on a right-to-left line)"),
        Binding("w", "move('word_forward')", "next word", show=True, id="document_view.word_forward",
                tooltip="To the start of the next word in reading order, as vim's w (whatever the direction)"),
        Binding("b", "move('word_backward')", "Previous word", show=False, id="document_view.word_backward",
                tooltip="To the start of this or the previous word in reading order, as vim's b"),
        Binding("home", "move('home')", "Line start", show=False, id="document_view.home"),
        Binding("end", "move('end')", "Line end", show=False, id="document_view.end"),
        Binding("pageup", "move('page_up')", "Page up", show=False, id="document_view.page_up"),
        Binding("pagedown", "move('page_down')", "Page down", show=False, id="document_view.page_down"),
        Binding("ctrl+home,g", "move('top')", "Top", show=False, id="document_view.top"),
        Binding("ctrl+end,G", "move('bottom')", "Bottom", show=False, id="document_view.bottom"),
        Binding("shift+left", "move('left', True)", "Select left", show=False, id="document_view.select_left"),
        Binding("shift+right", "move('right', True)", "Select right", show=False, id="document_view.select_right"),
        Binding("shift+up", "move('up', True)", "Select up", show=False, id="document_view.select_up"),
        Binding("shift+down", "move('down', True)", "Select down", show=False, id="document_view.select_down"),
        Binding(
            "ctrl+shift+left", "move('word_left', True)", "Select word left", show=False,
            id="document_view.select_word_left",
        ),
        Binding(
            "ctrl+shift+right", "move('word_right', True)", "Select word right", show=False,
            id="document_view.select_word_right",
        ),
        Binding("shift+home", "move('home', True)", "Select to line start", show=False, id="document_view.select_home"),
        Binding("shift+end", "move('end', True)", "Select to line end", show=False, id="document_view.select_end"),
        Binding(
            "shift+pageup", "move('page_up', True)", "Select page up", show=False, id="document_view.select_page_up"
        ),
        Binding(
            "shift+pagedown", "move('page_down', True)", "Select page down", show=False,
            id="document_view.select_page_down",
        ),
        Binding("v", "toggle_visual", "Visual", id="document_view.visual", tooltip="Toggle visual selection mode"),
        Binding("escape", "clear_selection", "Unselect", show=False, id="document_view.clear_selection"),
    ]

    class CaretMoved(Message):
        """Posted after the caret or the selection changed."""

        def __init__(self, view: DocumentView, caret: int, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.view = view
            self.caret = caret
            self.selection = selection

        @property
        def control(self) -> DocumentView:
            return self.view

    # What this widget adds to the canvas (DocumentCanvas.__init__ takes the same arguments): the
    # instances start from these class values and set their own.
    _drag_anchor: int | None = None
    """The offset a mouse drag selects from, while a button is held."""
    _terminal_reorders: bool = False

    # ------------------------------------------------------------------ public API

    @property
    def text(self) -> str:
        """The document text (never modified by the view)."""
        return self._text

    @property
    def options(self) -> LayoutOptions:
        return self._options

    @property
    def visual_mode(self) -> bool:
        """True while ``v`` visual mode is on (plain movement extends the selection)."""
        return self._editing.visual_mode

    @property
    def spans(self) -> tuple[SpanMark, ...]:
        """The spans on display, sorted by (start, end)."""
        return self._spans.items

    @property
    def caret(self) -> int:
        """Logical caret offset in ``0..len(text)``."""
        return self._editing.caret

    @caret.setter
    def caret(self, offset: int) -> None:
        self.move_caret_to(offset)

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected logical range ``(start, end)`` with ``start < end``, or None, as drawn:
        snapped as :attr:`snap` says (see :class:`tui.ui.editing.EditingModel`).

        Shift+movement selects between the anchor and the caret (as editors do); visual mode, as in
        vim, also takes the character under the later of the two (so ``v`` alone selects one)."""
        return self._editing.selection

    @selection.setter
    def selection(self, value: tuple[int, int] | None) -> None:
        if value is None:
            self.clear_selection()
            return
        self._apply(self._editing.select(*value))  # an explicit range, taken as given

    @property
    def snap(self) -> str | None:
        """How the selection is snapped (and drawn): None (as moved), "word" or "char"
        (``tui.ui.editing.SNAPS``)."""
        return self._editing.snap

    @snap.setter
    def snap(self, mode: str | None) -> None:
        editing = self._editing
        if mode == editing.snap:
            return
        change = Change(editing.caret, editing.selection, editing.known_row)
        editing.snap = mode
        self._apply(change)  # redraws the rows whose selection changed

    def load(self, text: str, spans: Sequence[SpanMark] = (), caret: int = 0) -> None:
        """Show a new document with its spans and the caret at ``caret``."""
        self._text = text
        self._span_set = frozenset(spans)
        self._spans = RangeIndex.build(self._span_set)
        self._highlights = RangeIndex.build(())
        self._editing.reset(len(text), caret, text=text)
        self._relayout(keep_scroll=False)

    def set_spans(self, spans: Sequence[SpanMark]) -> None:
        """Replace the spans; only lines touched by a changed span are redrawn."""
        new = frozenset(spans)
        changed = new ^ self._span_set
        if not changed:
            return
        self._span_set = new
        self._spans = RangeIndex.build(new)
        self._refresh_ranges((span.start, span.end) for span in changed)

    def set_highlights(self, highlights: Sequence[tuple[int, int]]) -> None:
        """Mark search matches (logical ranges); only lines whose matches changed are redrawn."""
        old = {(item.start, item.end) for item in self._highlights.items}
        new = {(start, end) for start, end in highlights if end > start}
        if old == new:
            return
        self._highlights = RangeIndex.build(ranges(sorted(new)))
        self._refresh_ranges(old ^ new)

    def set_options(self, options: LayoutOptions) -> None:
        """Switch bidi / shaping mode; re-lays out and keeps the caret on the same character."""
        if options == self._options:
            return
        self._options = options
        self._relayout(keep_scroll=True)

    def set_label_styles(self, label_styles: Mapping[str, LabelStyle]) -> None:
        """Change how labels look (e.g. from the store's labels table)."""
        self._label_styles = dict(label_styles)
        self._styles_changed()

    def target_range(self) -> tuple[int, int] | None:
        """What a tag key applies to: the selection, else the word under the caret, else None."""
        return self._editing.target_range()

    def spans_at_caret(self) -> list[SpanMark]:
        """Spans containing the caret character, innermost (shortest) first."""
        caret = self._editing.caret
        found = [s for s in self._spans.overlapping(caret, caret + 1) if s.start <= caret < s.end]
        return sorted(found, key=lambda s: (s.end - s.start, s.readonly, -s.start))

    def move_caret_to(self, offset: int, *, select: bool = False) -> None:
        """Put the caret at a logical offset (extending the selection if ``select``) and scroll to it."""
        self._apply(self._editing.move_to(offset, select=select))

    def move_caret_to_match(self, start: int, end: int) -> None:
        """A search motion to ``[start, end)`` (in visual mode the selection takes in the match)."""
        self._apply(self._editing.move_to_match(start, end))

    def clear_selection(self) -> None:
        """Drop the selection and leave visual mode."""
        self._apply(self._editing.clear_selection())

    def show_range(self, start: int, end: int) -> None:
        """Scroll so that ``[start, end)`` is on screen (centred if it was not), leaving the caret
        where it is (a linked partner shown in another pane)."""
        lines = self._lines
        if lines is None or not 0 <= start <= len(self._text):
            return
        y0 = lines.position_of(start)[0]
        y1 = lines.position_of(max(start, min(end, len(self._text)) - 1))[0]
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_offset.y)
        if top <= y0 and y1 < top + height:
            return
        self._sync_virtual_size()
        self.scroll_to(y=max(0, y0 - max(0, height - (y1 - y0 + 1)) // 2), animate=False, immediate=True)
        self._lay_out_visible()

    @property
    def terminal_reorders(self) -> bool:
        """Set True when the terminal reorders RTL text itself (``--bidi terminal``): with
        ``options.reorder`` off, Left/Right and word jumps on RTL lines then follow what the terminal
        shows (Left = forward in the text) instead of the logical cell order we sent."""
        return self._terminal_reorders

    @terminal_reorders.setter
    def terminal_reorders(self, value: bool) -> None:
        self._terminal_reorders = bool(value)

    # ------------------------------------------------------------------ actions

    def action_move(self, where: str, select: bool = False) -> None:
        """Move the caret on screen (see ``tui.ui.editing.MOVES``); ``select`` (or visual mode)
        extends the selection."""
        self._apply(
            self._editing.move(
                where,
                select,
                page=self.scrollable_content_region.height - 1,
                mirror_rtl=self.terminal_reorders and not self._options.reorder,
            )
        )

    def action_toggle_visual(self) -> None:
        """Start (or stop) visual mode: plain movement then extends the selection."""
        self._apply(self._editing.toggle_visual())

    def action_clear_selection(self) -> None:
        """Clear the selection; with nothing selected, let escape reach the app."""
        if not self._editing.has_selection_state:
            raise SkipAction()
        self.clear_selection()

    def _apply(self, change: Change | None) -> None:
        """Show a change of the editing model and announce it (CaretMoved) if anything moved."""
        if change is None:
            return
        self._show_change(change)
        caret, selection = self._editing.caret, self._editing.selection
        if change.old_caret != caret or change.old_selection != selection:
            self.post_message(self.CaretMoved(self, caret, selection))

    # ------------------------------------------------------------------ mouse

    def _offset_at_event(self, event: events.MouseEvent) -> int | None:
        lines = self._lines
        if lines is None:
            return None
        offset = event.get_content_offset_capture(self)
        y = int(self.scroll_offset.y) + offset.y
        x = int(self.scroll_offset.x) + offset.x
        y = max(0, min(y, lines.known_lines(y + 1) - 1))
        return lines.offset_at(y, max(0, x))

    async def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        offset = self._offset_at_event(event)
        if offset is None:
            return
        self.focus()
        if event.shift:
            self.move_caret_to(offset, select=True)
        else:
            self._editing.visual_mode = False
            self.move_caret_to(offset)
        editing = self._editing
        self._drag_anchor = editing.anchor if editing.anchor is not None else editing.caret
        self.capture_mouse()
        event.stop()

    async def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_anchor is None or not event.button:
            return
        offset = self._offset_at_event(event)
        if offset is not None:
            self._apply(self._editing.drag_to(offset, self._drag_anchor))

    async def on_click(self, event: events.Click) -> None:
        if event.chain == 2 and self._lines is not None:  # double click: select the word
            self._apply(self._editing.select_word())
            event.stop()

    async def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_anchor is not None:
            self._drag_anchor = None
            self.release_mouse()


if __name__ == "__main__":
    from tui.ui.document_demo import main

    main()
