"""A list overlay of spans (or anything with a place in the text): rows in text order, a filter
line, Enter jumps. Reusable: give it `ListRow`s (the span list of an article, links...); it
dismisses with the chosen row's `key` (None on escape). Works at 80x24 as an overlay.

Every cell is a rich `Text` (DataTable would parse a str as markup; labels, annotators and document
text are untrusted); document text goes through the layout engine (shaped, visual order,
control characters as placeholders) via `tui.ui.display.visual_line`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Label

from tui.safe_text import safe_text

if TYPE_CHECKING:
    from tui.store import models
    from tui.store.models import Span


@dataclass(frozen=True)
class ListRow:
    """One row: `key` comes back when it is chosen; `cells` are shown; `words` are what the
    filter line matches (e.g. the label and the annotator)."""

    key: Any
    cells: tuple[Text, ...]
    words: tuple[str, ...] = ()
    order: tuple[int, ...] = field(default=(0,))


class ListOverlay(ModalScreen[Any]):
    """Rows with a filter line; Enter (or a click) dismisses with the row's key, escape with None."""

    BINDINGS = [
        Binding("escape", "cancel", "close", id="list.cancel"),
        Binding("down", "move(1)", "down", show=False, id="list.down"),
        Binding("up", "move(-1)", "up", show=False, id="list.up"),
    ]

    def __init__(self, title: str, columns: Sequence[str], rows: Sequence[ListRow], *,
                 placeholder: str = "filter", empty: str = "nothing to list") -> None:
        super().__init__()
        self.heading = title
        self.columns = tuple(columns)
        self.rows = sorted(rows, key=lambda row: row.order)
        self.placeholder = placeholder
        self.empty = empty
        self.shown: list[ListRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="list-overlay"):
            yield Label(Text(self.heading, style="bold"), id="list-title")
            yield Input(placeholder=self.placeholder, id="list-filter")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="list-table")
            yield Label("", id="list-count")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for column in self.columns:
            table.add_column(column)
        self.apply_filter("")
        table.focus()

    def apply_filter(self, value: str) -> None:
        words = value.casefold().split()
        self.shown = [row for row in self.rows
                      if all(any(word in w.casefold() for w in row.words) for word in words)]
        table = self.query_one(DataTable)
        table.clear()
        for index, row in enumerate(self.shown):
            table.add_row(*row.cells, key=str(index))
        count = len(self.shown)
        self.query_one("#list-count", Label).update(
            Text(f"{count} of {len(self.rows)}" if count or self.rows else self.empty, style="dim"))

    @on(Input.Changed, "#list-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    def on_key(self, event: Any) -> None:
        # Typing goes to the filter line even while the table has the focus.
        field_ = self.query_one(Input)
        if self.focused is not field_ and event.is_printable and event.character and event.key != "enter":
            field_.insert_text_at_cursor(event.character)
            event.stop()

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    @on(Input.Submitted)
    @on(DataTable.RowSelected)
    def _choose(self) -> None:
        table = self.query_one(DataTable)
        if not self.shown or not table.row_count:
            return
        self.dismiss(self.shown[min(table.cursor_row, len(self.shown) - 1)].key)

    def action_cancel(self) -> None:
        self.dismiss(None)


def span_rows(spans: Sequence[Span], text: str, *, style_of: Callable[[str], Style | str],
              excerpt: Callable[[str, int], str], width: int) -> list[ListRow]:
    """Rows for an article's spans: label (in its span style), text, annotator; in text order.
    The key is the span itself."""
    rows: list[ListRow] = []
    for span in spans:
        label = safe_text(span.label, 20)
        annotator = safe_text(span.annotator, 16)
        shown = excerpt(text[span.start:span.end], width)
        rows.append(ListRow(
            key=span,
            cells=(Text(label, style=style_of(span.label)), Text(shown), Text(annotator, style="dim")),
            words=(span.label, span.annotator, text[span.start:span.end]),
            order=(span.start, span.end, span.id),
        ))
    return rows


def legend_rows(labels: Sequence[models.Label], counts: dict[str, int], style_of: Callable[[str], Style | str]
                ) -> list[ListRow]:
    """Rows for the label legend: key, the label in its span style, spans of yours, guideline."""
    rows = []
    for index, label in enumerate(labels, start=1):
        keys = ", ".join(k for k in (getattr(label, "key", None), str(index) if index <= 9 else None) if k)
        description = safe_text(" ".join((getattr(label, "description", "") or "").split()), 400)
        rows.append(ListRow(
            key=label.name,
            cells=(Text(safe_text(keys, 8), style="bold"), Text(safe_text(label.name, 20), style=style_of(label.name)),
                   Text(str(counts.get(label.name, 0))), Text(description or "—")),
            words=(label.name, description),
            order=(index,),
        ))
    return rows
