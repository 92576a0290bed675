"""The article picker: type to filter; rows load a page at a time from the store, so a
database of 100k documents opens as fast as one of five.

Counting and fetching run in a thread worker, never on the UI loop: a full-text filter over
100,000 articles takes a few hundred milliseconds on SQLite and seconds on a PostgreSQL server,
and typing must stay answered meanwhile. Each reload has a generation number; a result that
arrives for an older filter is dropped.

While the app builds the search index in the background (tui.ui.search_index, after a big import),
the count line says how far it is ("412 articles · search index 62,000 of 100,000 (indexing…)":
article text beyond that is not found yet, titles are), and the filter runs again once it is done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Label

from tui.safe_text import safe_text
from tui.store.errors import StoreError
from tui.ui.display import layout_options, visual_line_direction
from tui.ui.text_input import TextInput

from tui.ui.pane_header import STATUS_NAMES

if TYPE_CHECKING:
    from tui.store.models import DocumentSummary
    from tui.store.search import DocumentQuery
    from tui.store.store import Store

PAGE = 200
TITLE_CELLS = 60


def progress_of(summary: DocumentSummary) -> str:
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
        self._generation = 0
        self._fetching = False  # a count or page is being read in the worker
        self._debounce_pending = False  # a typed filter waits for the typing to pause
        self._indexing = False  # the app's background indexer was running at the last look
        self._unlisten: Any = None

    @property
    def busy(self) -> bool:
        """A typed filter is waiting, or rows are being read (tests wait on this)."""
        return self._fetching or self._debounce_pending

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
        indexer = getattr(self.app, "search_index", None)
        self._indexing = bool(getattr(indexer, "running", False))
        self._unlisten = indexer.listen(self._index_changed) if indexer is not None else None
        self.reload()

    def on_unmount(self) -> None:
        if self._unlisten is not None:
            self._unlisten()

    def _index_note(self) -> str:
        """' · search index 62,000 of 100,000 (indexing…)' while a text search cannot find everything."""
        indexer = getattr(self.app, "search_index", None)
        progress = getattr(indexer, "progress", None)
        if not self.search or progress is None or progress[0] >= progress[1]:
            return ""
        if not self._query(self.search).full_text or not self._query(self.search).search:
            return ""
        state = "indexing…" if getattr(indexer, "running", False) else "not built yet: tui index"
        return f" · search index {progress[0]:,} of {progress[1]:,} ({state})"

    def _index_changed(self) -> None:
        """After each chunk of the background indexer: the note follows; at the end, search again."""
        indexer = getattr(self.app, "search_index", None)
        was, self._indexing = self._indexing, bool(getattr(indexer, "running", False))
        if was and not self._indexing:
            if self.search:
                self.reload()
            return
        if not self._fetching:
            self._show_count()

    def _show_count(self) -> None:
        self.query_one("#picker-count", Label).update(Text(f"{self.total} articles{self._index_note()}"))

    def reload(self) -> None:
        """Start over for the current filter: count and first page are read off the UI loop."""
        self.query_one(DataTable).clear()
        self.loaded = 0
        self._generation += 1
        self._fetching = True
        self.query_one("#picker-count", Label).update("searching…")
        self._fetch(self._generation, self.search, 0, True)

    def load_page(self) -> None:
        """Ask for the next page of rows (at most PAGE); they are appended when they arrive."""
        if self._fetching or self.loaded >= self.total:
            return
        self._fetching = True
        self._fetch(self._generation, self.search, self.loaded, False)

    @work(thread=True, group="picker", exit_on_error=False)
    def _fetch(self, generation: int, search: str | None, offset: int, count: bool) -> None:
        try:
            total = self._count(search) if count else None
            rows = self._page(search, offset)
        except StoreError as exc:
            self._call(self._failed, generation, str(exc))
            return
        self._call(self._show, generation, offset, total, rows)

    def _call(self, callback: Any, *args: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app closed while the rows were read
            pass

    def _failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._fetching = False
            self.query_one("#picker-count", Label).update(Text(safe_text(message, 200)))

    def _show(self, generation: int, offset: int, total: int | None, rows: list[DocumentSummary]) -> None:
        if generation != self._generation or offset != self.loaded:
            return  # rows of an older filter
        self._fetching = False
        if total is not None:
            self.total = total
            self._show_count()
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
        elif table.row_count and table.cursor_row >= self.loaded - 20:
            self.load_page()  # the cursor went on down while this page was read

    def _query(self, search: str | None) -> DocumentQuery:
        from tui.store.search import parse_filter

        return replace(parse_filter(search or ""), annotator=self.annotator)

    def _count(self, search: str | None) -> int:
        """Filters and full-text search (tui.store.search) when there is a filter, else every title."""
        if search:
            return int(self.store.count_matching(self._query(search)))
        return int(self.store.count_documents(search=search))

    def _page(self, search: str | None, offset: int) -> list[DocumentSummary]:
        if search:
            return list(self.store.find_documents(self._query(search), offset=offset, limit=PAGE))
        return list(self.store.list_documents(offset=offset, limit=PAGE, search=search,
                                              annotator=self.annotator))

    @on(Input.Changed, "#picker-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        value = event.value.strip() or None
        self._debounce_pending = True
        self._debounce = self.set_timer(0.15, lambda: self._apply_filter(value))

    def _apply_filter(self, value: str | None) -> None:
        self._debounce_pending = False
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
