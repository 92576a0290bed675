"""The drawing half of the document view: lazy layout, scroll height, background layout and
``render_line`` (the keys, mouse and public API are in :mod:`tui.ui.document_view`).

``render_line`` has no side effects beyond its caches: the rows on screen are laid out *before* a
frame (when the view scrolls, resizes or re-lays out: :meth:`DocumentCanvas._lay_out_visible`), so
drawing only reads lines the engine already has, and the scroll area is resized there, not from the
render path.  Lines are drawn as plain segments (document text is data, never markup) through an LRU
cache keyed by exactly what can change a line's look, then cropped to the scroll offset.
"""

from __future__ import annotations

import asyncio
from time import perf_counter
from typing import ClassVar, Iterable, Mapping

from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Region, Size, Spacing
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker

from tui.layout import DocumentLayout, LayoutOptions
from tui.ui.editing import Change, EditingModel
from tui.ui.line_estimate import EstimatedLayout
from tui.ui.line_render import CaretKind, RangeIndex, render_cells
from tui.ui.span_marks import SpanMark, outer_first
from tui.ui.span_styles import LabelStyle, Palette, cached_palette, default_label_styles

__all__ = ["DocumentCanvas"]


class DocumentCanvas(ScrollView):
    """Scrollable view of one document laid out by :mod:`tui.layout`, with caret and selection
    from an :class:`~tui.ui.editing.EditingModel`."""

    SCROLL_MARGIN: ClassVar[int] = 2
    """Rows of context kept above/below the caret when scrolling (when the view is tall enough)."""
    BACKGROUND_LAYOUT: ClassVar[bool] = True
    """Lay the rest of the document out in small slices while idle, so jumps to the end and the
    scrollbar become exact without ever blocking a keystroke for long."""
    BACKGROUND_SLICE: ClassVar[float] = 0.010
    """Seconds of layout per background slice."""
    BACKGROUND_PAUSE: ClassVar[float] = 0.010
    """Seconds between slices, left to keystrokes and repaints (slice/(slice+pause) = CPU share)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"document-view--selection", "document-view--highlight"}

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
        self._editing = EditingModel()
        self._lines: EstimatedLayout | None = None
        """The engine's layout of ``_text`` at ``_wrap_width`` and its height estimate; None until
        the widget has a size."""
        self._wrap_width = 0
        self._spans = RangeIndex.build(())
        self._span_set: frozenset[SpanMark] = frozenset()
        self._highlights = RangeIndex.build(())
        self._line_cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        """(line index, width, options, style generation, spans/highlights/selection/caret touching
        the line) -> the rendered, uncropped line."""
        self._style_generation = 0
        self._palette: Palette | None = None
        self._last_palette: Palette | None = None
        self._base: Style | None = None
        self._line_total = 0
        """Height of the scroll area: the estimate's total when last synced."""
        self._background: Worker[None] | None = None
        self._background_generation = 0

    @property
    def text_layout(self) -> DocumentLayout | None:
        """The engine's layout, or None before the widget has been sized."""
        return self._lines.layout if self._lines is not None else None

    @property
    def layout_complete(self) -> bool:
        """True once the whole document has been laid out at the current width (exact scroll height)."""
        return self._lines is not None and self._lines.estimate.exact

    # ------------------------------------------------------------------ caret on screen

    def _show_change(self, change: Change) -> None:
        """Redraw what a model change touched (the rows the caret left and entered, the part of
        the selection that changed), scroll the caret into view."""
        editing = self._editing
        new_selection = editing.selection
        if self._lines is not None:
            if change.scroll_rows:
                y = max(0, self.scroll_offset.y + change.scroll_rows)
                self.scroll_to(y=y, animate=False, immediate=True)
            new_y, new_x = self._caret_position()
            if change.old_row is not None:
                self.refresh_line(change.old_row)
            self.refresh_line(new_y)
            if change.old_selection != new_selection:
                self._refresh_selection_change(change.old_selection, new_selection)
            self._sync_virtual_size()
            self._scroll_caret_into_view(new_y, new_x)

    def _caret_position(self) -> tuple[int, int]:
        """(line, column) of the caret; its line is laid out (and known to the estimate)."""
        y, x = self._editing.caret_position()
        if self._lines is not None:
            self._lines.line(y)
        return y, x

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

    def _refresh_ranges(self, changed: Iterable[tuple[int, int]]) -> None:
        """Refresh visible lines that show any of the logical ranges (off-screen lines re-render
        with a new cache key when they scroll in, so they need nothing)."""
        lines = self._lines
        if lines is None:
            return
        first, last = self._visible_rows()
        last = min(last, lines.known_lines(last + 1) - 1)
        if last < first:
            return
        window_start = lines.line(first).start
        window_end = lines.line(last).end
        rows: set[int] = set()
        for start, end in changed:
            lo, hi = max(start, window_start), min(max(end, start + 1), window_end + 1)
            if lo >= hi:
                continue
            y0 = lines.position_of(lo)[0]
            y1 = lines.position_of(max(lo, hi - 1))[0]
            rows.update(range(max(first, min(y0, y1)), min(last, max(y0, y1)) + 1))
        for y in sorted(rows):
            self.refresh_line(y)

    def _visible_rows(self) -> tuple[int, int]:
        """First and last laid-out rows currently on screen (last < first if none)."""
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        last = min(top + height, self._line_total) - 1
        return top, last

    # ------------------------------------------------------------------ layout and size

    def _relayout(self, *, keep_scroll: bool) -> None:
        """(Re)create the layout at the current width; keeps the caret on the same character."""
        width = self.scrollable_content_region.width if self.is_mounted else 0
        self._line_cache.clear()
        if width <= 0:
            self._lines = None
            self._editing.attach(None)
            self._wrap_width = 0
            return
        self._wrap_width = width
        self._lines = EstimatedLayout(self._text, width, self._options)
        self._editing.attach(self._lines)
        self._after_relayout(keep_scroll)

    def _lay_out_visible(self) -> None:
        """Lay out the rows on screen before they are drawn (``render_line`` only reads them) and
        size the scroll area from what that taught the estimate."""
        if self._lines is None:
            return
        top = int(self.scroll_offset.y)
        self._lines.known_lines(top + max(1, self.scrollable_content_region.height))
        self._sync_virtual_size()

    def _background_step(self) -> bool:
        """Lay out one slice after the lines known so far; False once the end is reached."""
        return self._lines is not None and self._lines.lay_out_slice(self.BACKGROUND_SLICE)

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
        self._lay_out_visible()
        self.refresh()

    def _sync_virtual_size(self) -> None:
        """Size the scroll area from the line estimate (never lays out the whole document)."""
        if self._lines is None:
            self.virtual_size = Size(0, 0)
            return
        total = self._lines.estimate.total
        if total != self._line_total or self.virtual_size.width != self._wrap_width:
            self._line_total = total
            self.virtual_size = Size(self._wrap_width, total)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._lay_out_visible()

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wrap_width and self._lines is not None:
            self._lay_out_visible()  # taller: more rows to lay out before they are drawn
            return
        if self._lines is None:
            self._relayout(keep_scroll=False)
            return
        self._wrap_width = width
        self._line_cache.clear()
        self._lines.resize(width)
        self._editing.attach(self._lines)
        self._after_relayout(keep_scroll=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "theme", self._styles_changed, init=False)
        if self._lines is None:
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
        """The palette for the current theme and label styles (memoized until styles change)."""
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

    def label_style(self, label: str) -> Style:
        """The exact style a span with `label` is drawn with here (colour mode, theme, cue): for
        legends, so they look like the spans."""
        return self._get_palette().cell_style(((label, False),), False, "", False, False)

    def _caret_kind(self) -> CaretKind:
        return "focused" if self.has_focus else "blurred"

    def on_focus(self) -> None:
        if self._editing.known_row is not None:
            self.refresh_line(self._editing.known_row)

    def on_blur(self) -> None:
        if self._editing.known_row is not None:
            self.refresh_line(self._editing.known_row)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self._base_style()
        palette = self._get_palette()
        lines = self._lines
        index = scroll_y + y
        if lines is None or index >= self._line_total:
            return Strip.blank(width, base)
        try:
            line = lines.layout.line(index)  # laid out before the frame by _lay_out_visible
        except IndexError:
            return Strip.blank(width, base)

        editing = self._editing
        start, end = line.start, line.end
        spans = self._spans.overlapping(start, end) if self._spans.items else ()
        highlights = self._highlights.overlapping(start, end) if self._highlights.items else ()
        selection = editing.selection
        if selection is not None:
            lo, hi = max(selection[0], start), min(selection[1], max(end, start + 1))
            selection = (lo, hi) if lo < hi else None
        caret_y, caret_x = editing.caret_position()
        caret = (caret_x, self._caret_kind(), editing.anchor is not None) if caret_y == index else None
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
            ordered = sorted(spans, key=outer_first) if spans else ()
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
