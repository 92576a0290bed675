"""The article picker: type to filter; rows load a page at a time from the store, so a
database of 100k documents opens as fast as one of five."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Label

from tui.safe_text import safe_text
from tui.ui.display import layout_options, visual_line_direction
from tui.ui.text_input import TextInput

from tui.ui.pane_header import STATUS_NAMES

if TYPE_CHECKING:
    from tui.store.store import Store

PAGE = 200
TITLE_CELLS = 60


def progress_of(summary: Any) -> str:
    """The annotator's progress on a document: status and span count, when the store says."""
    status = getattr(summary, "status", None) or "—"
    spans = getattr(summary, "span_count", None)
    status = STATUS_NAMES.get(status, status.replace("_", " "))  # as the pane's meta line says it
    if spans is None:
        return status
    return f"{status} · {spans} span{'' if spans == 1 else 's'}"


class PickerScreen(ModalScreen[str | None]):
    """Dismisses with the chosen document id, or None."""

    AUTO_FOCUS = "#picker-filter"

    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="picker.cancel"),
        Binding("down", "move(1)", "down", show=False, id="picker.down"),
        Binding("up", "move(-1)", "up", show=False, id="picker.up"),
        Binding("pagedown", "page(1)", "page down", show=False, id="picker.page_down"),
        Binding("pageup", "page(-1)", "page up", show=False, id="picker.page_up"),
    ]

    def __init__(self, store: Store, annotator: str, bidi: str, shaping: bool, current: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.annotator = annotator
        self.bidi, self.shaping = bidi, shaping
        self.current = current
        self.search: str | None = None
        self.total = 0
        self.loaded = 0
        self._debounce: Timer | None = None
        self.title_cells = TITLE_CELLS

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label("Open an article — search titles and text; enter opens, escape closes",
                        id="picker-title")
            yield TextInput(placeholder="words · status:todo|in_progress|done|skipped · lang:vi · has:/no:spans",
                            id="picker-filter")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="picker-table")
            yield Label("", id="picker-count")

    def on_mount(self) -> None:
        # Title column: what the dialog (95% wide, at most 110) leaves after lang, dir, progress.
        dialog = min(110, int(self.app.size.width * 0.95)) - 2
        self.title_cells = max(12, min(TITLE_CELLS, dialog - 40))
        table = self.query_one(DataTable)
        table.add_column("title", key="title")
        table.add_column("lang", key="lang")
        table.add_column("dir", key="dir")
        table.add_column("progress", key="progress")
        self.reload()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        self.loaded = 0
        self.total = self._count()
        self.load_page()
        self.query_one("#picker-count", Label).update(f"{self.total} articles")

    def load_page(self) -> None:
        """Append the next page of rows (at most PAGE) to the table."""
        if self.loaded >= self.total:
            return
        rows = self._page(self.loaded)
        table = self.query_one(DataTable)
        for summary in rows:
            direction = getattr(summary, "direction", None) or "auto"
            # the title in its own direction (its first strong character), as the article's
            # paragraphs are; the dir column keeps the document's direction
            options = layout_options(self.bidi, self.shaping, "auto")
            title, rtl = visual_line_direction(getattr(summary, "title", "") or summary.id, options,
                                               self.title_cells)
            if rtl and options.reorder:  # a reordering terminal aligns RTL itself
                title = title.rjust(self.title_cells - 1)
            # Text(), never str: DataTable parses str cells as markup, and titles are untrusted.
            table.add_row(
                Text(title),
                Text(safe_text(getattr(summary, "language", "") or "?", 8)),
                Text(direction),
                Text(progress_of(summary)),
                key=summary.id,
            )
            if summary.id == self.current:
                table.move_cursor(row=table.row_count - 1)
        self.loaded += len(rows)
        if not rows:  # the store had fewer rows than it counted (a concurrent delete)
            self.total = self.loaded

    def _query(self) -> Any:
        from tui.store.search import parse_filter

        return replace(parse_filter(self.search or ""), annotator=self.annotator)

    def _count(self) -> int:
        """Filters and full-text search when the store has them (tui.store.search), else titles."""
        if hasattr(self.store, "count_matching") and self.search:
            return int(self.store.count_matching(self._query()))
        return int(self.store.count_documents(search=self.search))

    def _page(self, offset: int) -> list[Any]:
        if hasattr(self.store, "find_documents") and self.search:
            return list(self.store.find_documents(self._query(), offset=offset, limit=PAGE))
        return list(self.store.list_documents(offset=offset, limit=PAGE, search=self.search,
                                              annotator=self.annotator))

    @on(Input.Changed, "#picker-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        value = event.value.strip() or None
        self._debounce = self.set_timer(0.15, lambda: self._apply_filter(value))

    def _apply_filter(self, value: str | None) -> None:
        if value != self.search:
            self.search = value
            self.reload()

    @on(DataTable.RowHighlighted)
    def _near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.loaded - 20:
            self.load_page()

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def on_key(self, event) -> None:
        # Keys typed right after `o`, before the filter field had the focus, reach the screen:
        # they are still the start of the filter.
        field = self.query_one(Input)
        if self.focused is not field and event.is_printable and event.character:
            field.insert_text_at_cursor(event.character)
            self.set_focus(field)
            event.stop()

    def action_page(self, direction: int) -> None:
        rows = max(1, self.query_one(DataTable).scrollable_content_region.height - 2)
        self.action_move(direction * rows)

    @on(Input.Submitted)
    @on(DataTable.RowSelected)
    def _choose(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key
        self.dismiss(str(key.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
