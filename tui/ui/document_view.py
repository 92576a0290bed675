"""DocumentView: a Line API widget that draws the layout engine's output with caret, selection and spans.

Public API (the app embeds this widget; extend by adding, never by changing)::

    SpanMark(id, start, end, label, readonly=False)     # frozen; logical [start, end) code points

    view = DocumentView(options=LayoutOptions(), label_styles=None)   # None: default_label_styles()
    view.load(text, spans=(), caret=0)        # new document; clears selection, highlights
    view.set_spans(spans)                     # redraws only the lines whose spans changed
    view.set_options(options)                 # bidi / shaping mode switch at runtime
    view.set_label_styles(styles)             # e.g. label_styles_from_labels(store.labels())
    view.set_highlights([(start, end), ...])  # search matches
    view.caret                                # logical offset (settable: moves and scrolls)
    view.selection                            # (start, end) logical, start < end, or None (settable)
    view.target_range()                       # selection, else word under caret, else None
    view.spans_at_caret()                     # spans containing the caret, innermost first
    view.move_caret_to(offset, select=False)  # scrolls into view
    view.clear_selection()
    view.text, view.layout, view.visual_mode  # read-only
    view.terminal_reorders = True             # --bidi terminal: arrows follow the terminal's RTL display
    view.layout_complete                      # True once idle-time layout reached the end
    DocumentView.CaretMoved(view, caret, selection)     # posted after every caret/selection change

Keys (every binding has an id ``document_view.*`` for keymaps): arrows move the caret *on screen*
(Left on an RTL line moves forward in the text), shift+arrows select, ctrl+left/right (b/w) jump
words, home/end visual line start/end, pageup/pagedown, ctrl+home/ctrl+end (g/G) top/bottom,
``v`` toggles visual selection mode, escape clears the selection, h/j/k/l vim aliases.
Mouse: click places the caret, drag selects, shift+click extends, double click selects the word.

Drawing: ``render_line`` asks the engine for one visual line, draws its cells as plain segments
(document text is data, never markup) through an LRU cache keyed by exactly what can change that
line's look, then crops to the scroll offset.  A caret move refreshes only the rows it left and
entered.  A keystroke lays out only the rows on screen and the caret's; the scroll height comes from
an estimate (``LineEstimate``) while an event-loop worker lays out the rest in short slices.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from time import perf_counter
from typing import ClassVar, Mapping, Sequence

from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker

from tui.layout import DocumentLayout, LayoutOptions
from tui.ui import widget_css
from tui.ui.line_estimate import LineEstimate
from tui.ui.line_render import CaretKind, RangeIndex, ranges, render_cells
from tui.ui.span_styles import LabelStyle, Palette, cached_palette, default_label_styles

__all__ = ["DocumentView", "SpanMark"]


@dataclass(frozen=True, slots=True)
class SpanMark:
    """A span as the view draws it: logical ``[start, end)`` in code points, and its label."""

    id: int
    start: int
    end: int
    label: str
    readonly: bool = False
    """True for another annotator's span: drawn dimmer, never the target of edits."""


def _outer_first(span: SpanMark) -> tuple:
    # Read-only spans underneath, then longer (outer) spans before the spans nested in them.
    return (not span.readonly, -(span.end - span.start), span.start, span.id)


_MIRRORED = {"left": "right", "right": "left", "word_left": "word_right", "word_right": "word_left"}


class DocumentView(ScrollView, can_focus=True):
    """Scrollable, focusable view of one document laid out by :mod:`tui.layout`."""

    ALLOW_SELECT: ClassVar[bool] = False  # our own caret/selection, not the screen's text selection
    BINDING_GROUP_TITLE = "Document"
    SCROLL_MARGIN: ClassVar[int] = 2
    """Rows of context kept above/below the caret when scrolling (when the view is tall enough)."""
    BACKGROUND_LAYOUT: ClassVar[bool] = True
    """Lay the rest of the document out in small slices while idle, so jumps to the end and the
    scrollbar become exact without ever blocking a keystroke for long."""
    BACKGROUND_SLICE: ClassVar[float] = 0.010
    """Seconds of layout per background slice."""
    BACKGROUND_PAUSE: ClassVar[float] = 0.010
    """Seconds between slices, left to keystrokes and repaints (slice/(slice+pause) = CPU share)."""

    DEFAULT_CSS = widget_css("document_view.tcss")
    COMPONENT_CLASSES: ClassVar[set[str]] = {"document-view--selection", "document-view--highlight"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "move('left')", "Left", show=False, id="document_view.left"),
        Binding("right,l", "move('right')", "Right", show=False, id="document_view.right"),
        Binding("up,k", "move('up')", "Up", show=False, id="document_view.up"),
        Binding("down,j", "move('down')", "Down", show=False, id="document_view.down"),
        Binding("ctrl+left,b", "move('word_left')", "Word left", show=False, id="document_view.word_left"),
        Binding("ctrl+right,w", "move('word_right')", "Word right", show=False, id="document_view.word_right"),
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

    def __init__(
        self,
        *,
        options: LayoutOptions = LayoutOptions(),
        label_styles: Mapping[str, LabelStyle] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._options = options
        self._label_styles: dict[str, LabelStyle] = dict(label_styles or default_label_styles())
        self._text = ""
        self._layout: DocumentLayout | None = None
        """The engine's layout of ``_text`` at ``_wrap_width``; None until the widget has a size."""
        self._wrap_width = 0
        self._spans = RangeIndex.build(())
        self._span_set: frozenset[SpanMark] = frozenset()
        self._highlights = RangeIndex.build(())
        self._caret = 0
        self._anchor: int | None = None
        """Selection anchor (logical); the selection is [min(anchor, caret), max(...)) when they differ."""
        self._visual_mode = False
        self._goal_x: int | None = None
        """Screen column that up/down try to keep (set by horizontal moves)."""
        self._caret_yx: tuple[int, int] | None = None
        """Cached ``layout.position_of(caret)``; None when it must be recomputed."""
        self._line_cache: LRUCache[tuple, Strip] = LRUCache(1024)
        """(line index, width, options, style generation, spans/highlights/selection/caret touching
        the line) -> the rendered, uncropped line."""
        self._style_generation = 0
        self._palette: Palette | None = None
        self._last_palette: Palette | None = None
        self._base: Style | None = None
        self._drag_anchor: int | None = None
        self._line_total = 0
        """Height of the scroll area: ``_estimate.total`` when last synced."""
        self._estimate: LineEstimate | None = None
        self._sync_pending = False
        self._background: Worker | None = None
        self._background_generation = 0
        self._terminal_reorders = False

    # ------------------------------------------------------------------ public API

    @property
    def text(self) -> str:
        """The document text (never modified by the view)."""
        return self._text

    @property
    def layout(self) -> DocumentLayout | None:
        """The engine's layout, or None before the widget has been sized."""
        return self._layout

    @property
    def options(self) -> LayoutOptions:
        return self._options

    @property
    def visual_mode(self) -> bool:
        """True while ``v`` visual mode is on (plain movement extends the selection)."""
        return self._visual_mode

    @property
    def spans(self) -> tuple[SpanMark, ...]:
        """The spans on display, sorted by (start, end)."""
        return self._spans.items

    @property
    def caret(self) -> int:
        """Logical caret offset in ``0..len(text)``."""
        return self._caret

    @caret.setter
    def caret(self, offset: int) -> None:
        self.move_caret_to(offset)

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected logical range ``(start, end)`` with ``start < end``, or None.

        Shift+movement selects between the anchor and the caret (as editors do); visual mode, as in
        vim, also takes the character under the later of the two (so ``v`` alone selects one)."""
        anchor = self._anchor
        if anchor is None:
            return None
        start, end = (anchor, self._caret) if anchor < self._caret else (self._caret, anchor)
        if self._visual_mode and self._layout is not None:
            end = self._layout.cluster_end(end)
        return (start, end) if start < end else None

    @selection.setter
    def selection(self, value: tuple[int, int] | None) -> None:
        if value is None:
            self.clear_selection()
            return
        self._visual_mode = False  # an explicit range, taken as given
        start, end = value
        self._set_caret(self._clamp(end), anchor=self._clamp(start))

    def load(self, text: str, spans: Sequence[SpanMark] = (), caret: int = 0) -> None:
        """Show a new document with its spans and the caret at ``caret``."""
        self._text = text
        self._span_set = frozenset(spans)
        self._spans = RangeIndex.build(self._span_set)
        self._highlights = RangeIndex.build(())
        self._caret = self._clamp(caret)
        self._anchor = None
        self._visual_mode = False
        self._goal_x = None
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
        selection = self.selection
        if selection is not None:
            return selection
        if self._layout is None or not self._text:
            return None
        start, end = self._layout.word_at(self._caret)
        return (start, end) if end > start else None

    def spans_at_caret(self) -> list[SpanMark]:
        """Spans containing the caret character, innermost (shortest) first."""
        caret = self._caret
        found = [s for s in self._spans.overlapping(caret, caret + 1) if s.start <= caret < s.end]
        return sorted(found, key=lambda s: (s.end - s.start, s.readonly, -s.start))

    def move_caret_to(self, offset: int, *, select: bool = False) -> None:
        """Put the caret at a logical offset (extending the selection if ``select``) and scroll to it."""
        anchor = (self._caret if self._anchor is None else self._anchor) if select else None
        self._goal_x = None
        self._set_caret(self._clamp(offset), anchor=anchor)

    def clear_selection(self) -> None:
        """Drop the selection and leave visual mode."""
        self._visual_mode = False
        if self._anchor is not None:
            self._set_caret(self._caret, anchor=None)

    # ------------------------------------------------------------------ actions

    def action_move(self, where: str, select: bool = False) -> None:
        """Move the caret on screen; ``select`` (or visual mode) extends the selection."""
        layout = self._layout
        if layout is None:
            return
        select = select or self._visual_mode
        caret = self._caret
        keep_goal = where in ("up", "down", "page_up", "page_down")
        if self.terminal_reorders and not self._options.reorder and where in _MIRRORED:
            if self._line(self._caret_position()[0]).rtl:
                where = _MIRRORED[where]  # the terminal shows this line right to left
        if where == "left":
            target = layout.move_left(caret)
        elif where == "right":
            target = layout.move_right(caret)
        elif where == "word_left":
            target = layout.word_left(caret)
        elif where == "word_right":
            target = layout.word_right(caret)
        elif where == "home":
            target = layout.line_home(caret)
        elif where == "end":
            target = layout.line_end(caret)
        elif where == "top":
            target = 0
        elif where == "bottom":
            target = len(self._text)
        elif where in ("up", "down"):
            y, x = self._caret_position()
            goal = x if self._goal_x is None else self._goal_x
            self._goal_x = goal
            target = layout.line_up(caret, goal) if where == "up" else layout.line_down(caret, goal)
        elif where in ("page_up", "page_down"):
            target = self._page_target(where == "page_down")
        else:
            raise ValueError(f"unknown movement {where!r}")
        anchor = (caret if self._anchor is None else self._anchor) if select else None
        if not keep_goal:
            self._goal_x = None
        self._set_caret(self._clamp(target), anchor=anchor)

    def action_toggle_visual(self) -> None:
        """Start (or stop) visual mode: plain movement then extends the selection."""
        if self._visual_mode:
            self.clear_selection()
            return
        self._visual_mode = True
        self._set_caret(self._caret, anchor=self._caret)

    def action_clear_selection(self) -> None:
        """Clear the selection; with nothing selected, let escape reach the app."""
        if self._anchor is None and not self._visual_mode:
            raise SkipAction()
        self.clear_selection()

    # ------------------------------------------------------------------ caret bookkeeping

    @property
    def terminal_reorders(self) -> bool:
        """Set True when the terminal reorders RTL text itself (``--bidi terminal``): with
        ``options.reorder`` off, Left/Right and word jumps on RTL lines then follow what the terminal
        shows (Left = forward in the text) instead of the logical cell order we sent."""
        return self._terminal_reorders

    @terminal_reorders.setter
    def terminal_reorders(self, value: bool) -> None:
        self._terminal_reorders = bool(value)

    def _clamp(self, offset: int) -> int:
        return max(0, min(len(self._text), int(offset)))

    def _caret_position(self) -> tuple[int, int]:
        """(line, column) of the caret, computed once per caret move."""
        if self._caret_yx is None:
            if self._layout is None:
                return (0, 0)
            y, x = self._layout.position_of(self._caret)
            self._line(y)
            self._caret_yx = (y, x)
        return self._caret_yx

    def _set_caret(self, caret: int, *, anchor: int | None) -> None:
        """Move caret/anchor, refresh only the lines whose look changed, scroll, announce."""
        old_caret, old_selection = self._caret, self.selection
        old_y = self._caret_yx[0] if self._caret_yx is not None else None
        self._caret = caret
        self._anchor = anchor
        self._caret_yx = None
        new_selection = self.selection
        if self._layout is not None:
            new_y, new_x = self._caret_position()
            if old_y is not None:
                self.refresh_line(old_y)
            self.refresh_line(new_y)
            if old_selection != new_selection:
                self._refresh_selection_change(old_selection, new_selection)
            self._sync_virtual_size()
            self._scroll_caret_into_view(new_y, new_x)
        if old_caret != caret or old_selection != new_selection:
            self.post_message(self.CaretMoved(self, caret, new_selection))

    def _scroll_caret_into_view(self, y: int, x: int) -> None:
        """Scroll the least needed to show the caret row with SCROLL_MARGIN rows of context."""
        height = self.scrollable_content_region.height
        margin = self.SCROLL_MARGIN if height > 2 * self.SCROLL_MARGIN + 2 else 0
        self.scroll_to_region(
            Region(x, y, 1, 1),
            spacing=Spacing(margin, 0, margin, 0),
            animate=False,
            force=True,
            immediate=True,
            x_axis=False,
        )

    def _refresh_selection_change(
        self, old: tuple[int, int] | None, new: tuple[int, int] | None
    ) -> None:
        """Refresh the lines covered by the part of the selection that changed."""
        if old is None or new is None:
            changed = [r for r in (old, new) if r is not None]
        else:
            changed = []
            if old[0] != new[0]:
                changed.append((min(old[0], new[0]), max(old[0], new[0])))
            if old[1] != new[1]:
                changed.append((min(old[1], new[1]), max(old[1], new[1])))
        self._refresh_ranges(changed)

    def _refresh_ranges(self, changed) -> None:
        """Refresh visible lines that show any of the logical ranges (off-screen lines re-render
        with a new cache key when they scroll in, so they need nothing)."""
        layout = self._layout
        if layout is None:
            return
        first, last = self._visible_rows()
        last = min(last, self._known_lines(last + 1) - 1)
        if last < first:
            return
        window_start = self._line(first).start
        window_end = self._line(last).end
        rows: set[int] = set()
        for start, end in changed:
            lo, hi = max(start, window_start), min(max(end, start + 1), window_end + 1)
            if lo >= hi:
                continue
            y0 = layout.position_of(lo)[0]
            y1 = layout.position_of(max(lo, hi - 1))[0]
            rows.update(range(max(first, min(y0, y1)), min(last, max(y0, y1)) + 1))
        for y in sorted(rows):
            self.refresh_line(y)

    def _visible_rows(self) -> tuple[int, int]:
        """First and last laid-out rows currently on screen (last < first if none)."""
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        last = min(top + height, self._line_total) - 1
        return top, last

    def _page_target(self, down: bool) -> int:
        layout = self._layout
        assert layout is not None
        y, x = self._caret_position()
        goal = x if self._goal_x is None else self._goal_x
        self._goal_x = goal
        page = max(1, self.scrollable_content_region.height - 1)
        if down:
            target_y = y + page
            total = self._known_lines(target_y + 1)
            if target_y >= total:
                return len(self._text)
        else:
            target_y = y - page
            if target_y < 0:
                return 0
        self.scroll_to(y=max(0, self.scroll_offset.y + (page if down else -page)), animate=False, immediate=True)
        return layout.offset_at(target_y, goal)

    # ------------------------------------------------------------------ layout and size

    def _line(self, y: int):
        """``layout.line(y)``, telling the line estimate what now exists (IndexError past the end)."""
        layout = self._layout
        assert layout is not None and self._estimate is not None
        if y < 0:
            raise IndexError(y)
        try:
            line = layout.line(y)
        except IndexError:
            self._estimate.finished(layout.line_count)  # cheap: the engine has reached the end
            raise
        self._estimate.seen(y, line.end)
        return line

    def _known_lines(self, at_least: int) -> int:
        """Line count if the document has fewer than ``at_least`` lines, else at least ``at_least``
        (lays out only that far)."""
        if self._layout is None or self._estimate is None:
            return 0
        try:
            self._line(at_least - 1)
        except IndexError:
            return self._estimate.total
        return max(at_least, self._estimate.total)

    def _relayout(self, *, keep_scroll: bool) -> None:
        """(Re)create the layout at the current width; keeps the caret on the same character."""
        width = self.scrollable_content_region.width if self.is_mounted else 0
        self._line_cache.clear()
        self._caret_yx = None
        if width <= 0:
            self._layout = None
            self._wrap_width = 0
            return
        self._wrap_width = width
        self._layout = DocumentLayout(self._text, width, self._options)
        self._estimate = LineEstimate(self._text, width)
        self._after_relayout(keep_scroll)

    @property
    def layout_complete(self) -> bool:
        """True once the whole document has been laid out at the current width (exact scroll height)."""
        return self._estimate is not None and self._estimate.exact

    def _background_step(self) -> bool:
        """Lay out one slice after the lines known so far; False once the end is reached."""
        estimate = self._estimate
        if self._layout is None or estimate is None or estimate.exact:
            return False
        deadline = perf_counter() + self.BACKGROUND_SLICE
        y = estimate.known_lines
        try:
            while perf_counter() < deadline:
                y += 8
                self._line(y)
        except IndexError:
            return False
        return True

    async def _lay_out_rest(self) -> None:
        """Worker on the UI's event loop (so no locking): slices of layout with pauses between
        them, where keystrokes and repaints run; the scroll height is re-synced a few times a second."""
        synced = perf_counter()
        while self._background_step():
            if perf_counter() - synced > 0.25:
                self._sync_virtual_size()
                synced = perf_counter()
            await asyncio.sleep(self.BACKGROUND_PAUSE)
        self._sync_virtual_size()

    def _stop_background(self) -> None:
        self._background_generation += 1  # drops a start still waiting for its refresh
        if self._background is not None:
            self._background.cancel()
            self._background = None

    def _start_background(self) -> None:
        self._stop_background()
        if self.BACKGROUND_LAYOUT and self.is_mounted:
            # After the next repaint: the screen first, then the rest of the document (this
            # kept ~10-20 ms of layout slices out of the time to the app's first frame).
            self.call_after_refresh(self._spawn_background, self._background_generation)

    def _spawn_background(self, generation: int) -> None:
        if generation == self._background_generation and self.is_mounted:
            self._background = self.run_worker(
                self._lay_out_rest, name="document-view-layout", exit_on_error=False
            )

    def _after_relayout(self, keep_scroll: bool) -> None:
        self._start_background()
        self._line_total = 0
        self._sync_virtual_size()
        if not keep_scroll:
            self.scroll_to(0, 0, animate=False, immediate=True)
        y, x = self._caret_position()
        self._sync_virtual_size()
        self._scroll_caret_into_view(y, x)
        self.refresh()

    def _sync_virtual_size(self) -> None:
        """Size the scroll area from the line estimate (never lays out the whole document)."""
        self._sync_pending = False
        if self._layout is None or self._estimate is None:
            self.virtual_size = Size(0, 0)
            return
        total = self._estimate.total
        if total != self._line_total or self.virtual_size.width != self._wrap_width:
            self._line_total = total
            self.virtual_size = Size(self._wrap_width, total)

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wrap_width and self._layout is not None:
            return
        if self._layout is None:
            self._relayout(keep_scroll=False)
            return
        self._wrap_width = width
        self._line_cache.clear()
        self._caret_yx = None
        self._layout.resize(width)
        assert self._estimate is not None
        self._estimate.resize(width)
        self._after_relayout(keep_scroll=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "theme", self._styles_changed, init=False)
        if self._layout is None:
            self._relayout(keep_scroll=False)

    # ------------------------------------------------------------------ drawing

    def _styles_changed(self, *_: object) -> None:
        """Theme, CSS or label styles may have changed: re-resolve the palette before the next frame."""
        self._palette = None
        self._base = None
        self.refresh()

    def _base_style(self) -> Style:
        """The widget's own colours (``rich_style`` walks every ancestor, so it is cached until the
        next style update, as Textual caches component styles)."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles_changed()

    def _get_palette(self) -> Palette:
        if self._palette is None:
            app = self.app
            color_system = None if app.no_color else (app.console.color_system or "truecolor")
            bgcolor = self._base_style().bgcolor
            background = Color.from_rich_color(bgcolor) if bgcolor else Color(0, 0, 0)
            selection = self.get_component_rich_style("document-view--selection").bgcolor
            highlight = self.get_component_rich_style("document-view--highlight").bgcolor
            palette = cached_palette(
                tuple(sorted(self._label_styles.items())),
                color_system,
                background,
                Color.from_rich_color(selection) if selection else Color(38, 79, 120),
                Color.from_rich_color(highlight) if highlight else Color(95, 95, 0),
            )
            if palette is not self._last_palette:  # same inputs give the same (cached) palette
                self._last_palette = palette
                self._style_generation += 1
                self._line_cache.clear()
            self._palette = palette
        return self._palette

    def _caret_kind(self) -> CaretKind:
        return "focused" if self.has_focus else "blurred"

    def on_focus(self) -> None:
        if self._caret_yx is not None:
            self.refresh_line(self._caret_yx[0])

    def on_blur(self) -> None:
        if self._caret_yx is not None:
            self.refresh_line(self._caret_yx[0])

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self._base_style()
        palette = self._get_palette()
        layout = self._layout
        index = scroll_y + y
        if layout is None or self._estimate is None or index >= self._line_total:
            return Strip.blank(width, base)
        try:
            line = self._line(index)
        except IndexError:
            line = None
        if self._estimate.total != self._line_total and not self._sync_pending:
            self._sync_pending = True  # the estimate improved: resize the scroll area after this frame
            self.call_later(self._sync_virtual_size)
        if line is None:
            return Strip.blank(width, base)

        start, end = line.start, line.end
        spans = self._spans.overlapping(start, end) if self._spans.items else ()
        highlights = self._highlights.overlapping(start, end) if self._highlights.items else ()
        selection = self.selection
        if selection is not None:
            lo, hi = max(selection[0], start), min(selection[1], max(end, start + 1))
            selection = (lo, hi) if lo < hi else None
        caret_y, caret_x = self._caret_position()
        caret = (caret_x, self._caret_kind(), self._anchor is not None) if caret_y == index else None
        key = (
            index,
            self._wrap_width,
            self._options,
            self._style_generation,
            base,
            spans,
            highlights,
            selection,
            caret,
        )
        strip = self._line_cache.get(key)
        if strip is None:
            ordered = sorted(spans, key=_outer_first) if spans else ()
            segments, length = render_cells(
                line,
                ordered,
                highlights,
                selection,
                caret_x if caret is not None else None,
                self._caret_kind() if caret is not None else "",
                palette,
                base,
            )
            strip = Strip(segments, length)
            self._line_cache[key] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    # ------------------------------------------------------------------ mouse

    def _offset_at_event(self, event: events.MouseEvent) -> int | None:
        layout = self._layout
        if layout is None:
            return None
        offset = event.get_content_offset_capture(self)
        y = int(self.scroll_offset.y) + offset.y
        x = int(self.scroll_offset.x) + offset.x
        y = max(0, min(y, self._known_lines(y + 1) - 1))
        return layout.offset_at(y, max(0, x))

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
            self._visual_mode = False
            self.move_caret_to(offset)
        self._drag_anchor = self._anchor if self._anchor is not None else self._caret
        self.capture_mouse()
        event.stop()

    async def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_anchor is None or not event.button:
            return
        offset = self._offset_at_event(event)
        if offset is not None:
            self._goal_x = None
            self._set_caret(offset, anchor=self._drag_anchor)

    async def on_click(self, event: events.Click) -> None:
        if event.chain == 2 and self._layout is not None:  # double click: select the word
            start, end = self._layout.word_at(self._caret)
            if end > start:
                self._set_caret(end, anchor=start)
            event.stop()

    async def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_anchor is not None:
            self._drag_anchor = None
            self.release_mouse()


# ---------------------------------------------------------------------- demo

def _demo(argv: Sequence[str] | None = None) -> None:
    """``python -m tui.ui.document_view FILE [--demo-spans] [--bidi app|terminal|off]``: look at a file."""
    import argparse
    import re

    from textual.app import App, ComposeResult
    from textual.widgets import Footer

    parser = argparse.ArgumentParser(prog="python -m tui.ui.document_view")
    parser.add_argument("path")
    parser.add_argument("--demo-spans", action="store_true", help="tag a few words to show the label cues")
    parser.add_argument("--bidi", choices=("app", "terminal", "off"), default="app")
    parser.add_argument("--caret", type=int, default=0)
    args = parser.parse_args(argv)
    with open(args.path, encoding="utf-8") as handle:
        text = handle.read()
    options = LayoutOptions(
        shaping=args.bidi != "off", reorder=args.bidi == "app"
    )
    spans: list[SpanMark] = []
    if args.demo_spans:
        words = [m.span() for m in re.finditer(r"\w+", text)]
        labels = ("entity", "date", "entity")
        for index, (start, end) in enumerate(words[2:40:6]):
            spans.append(SpanMark(index, start, end, labels[index % 3]))
        if len(words) > 30:
            spans.append(SpanMark(99, words[7][0], words[16][1], "claim"))

    class Demo(App):
        def compose(self) -> ComposeResult:
            yield DocumentView(options=options)
            yield Footer()

        def on_mount(self) -> None:
            view = self.query_one(DocumentView)
            view.load(text, spans, caret=args.caret)
            view.focus()

    Demo().run()


if __name__ == "__main__":
    _demo()
