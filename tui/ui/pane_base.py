"""What every part of ArticlePane shares: its state (set in `__init__`), the app, the viewer and the
DocumentView; the methods one part calls in another are declared here for the type checker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.containers import Vertical
from textual.message import Message

from tui.ui.annotation import DocumentSession, Outcome
from tui.store.view_directions import ViewDirections
from tui.ui.compat import add_bindings
from tui.ui.document_view import DocumentView, SpanMark
from tui.ui.linking import LinkIndex
from tui.ui.pane_bindings import label_bindings
from tui.ui.pane_writes import PendingMarks

if TYPE_CHECKING:
    from tui.ui.search_rank import SearchResult
    from tui.store.candidates import Candidate
    from tui.store.models import Document, Label, Span
    from tui.ui.app import AnnotatorApp
    from tui.ui.panes import ArticlePane


class PaneBase(Vertical):
    """The state of an ArticlePane (tui.ui.panes), shared by its parts: PaneHeader (tui.ui.pane_header),
    SpanActions (tui.ui.pane_spans), StatusActions (tui.ui.pane_status)."""

    class Changed(Message, namespace="article_pane"):  # handled as on_article_pane_changed
        """The pane's document, spans or status changed (the screen refreshes its status)."""

        def __init__(self, pane: PaneBase, outcome: Outcome | None) -> None:
            super().__init__()
            self.pane = cast("ArticlePane", pane)  # PaneBase is only ever an ArticlePane's part
            self.outcome = outcome

    if TYPE_CHECKING:
        def report(self, outcome: Outcome) -> None: ...
        def options_for_mode(self) -> Any: ...
        def open_document(self, doc_id: str) -> None: ...
        def reload_spans(self) -> None: ...
        def refresh_title(self) -> None: ...
        def candidate_under_caret(self) -> Candidate | None: ...
        def _legend_style(self, name: str) -> Any: ...
        def _caret_paragraph(self) -> int | None: ...
        def _span_under_caret(self) -> Span | None: ...

    def __init__(self, index: int, labels: list[Label], label_styles: dict, options: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.index = index
        self.labels = labels
        self.label_names = [label.name for label in labels]
        add_bindings(self, label_bindings(labels))
        self._label_styles = label_styles
        self._options = options
        self.session: DocumentSession | None = None
        self.document: Document | None = None
        self.status = "in_progress"
        self.own: list[Span] = []
        self.acting_as: str | None = None  # review: the pane writes as this annotator (gold)
        self.sources: list[str] | None = None  # review: candidate sources of this pane only
        self.navigate_starts: Any = None  # review: ; and , belong to the review screen (next to decide)
        self.candidates: list[Candidate] = []  # offered here, not this annotator's
        self._candidate_marks: dict[int, Candidate] = {}  # SpanMark id (negative) -> Candidate
        self.matches: list[tuple[int, int]] = []
        self.search_result: SearchResult | None = None  # the `/` search shown (tui.ui.search_rank)
        self.indicator = ""
        self._carets: dict[str, int] = {}
        self.directions = ViewDirections()
        """The open article's reading-direction overrides (from the store; display only)."""
        self.touched: int | None = None  # the span last added or edited here (the current span if under the caret)
        self.cycle = 0  # `.` presses at this caret position
        self._cycle_caret = -1
        self.exact_once = False  # `!`: the next tag is character-exact
        self.progress_note = ""  # "3/120 done", set by the main screen
        self.link_index = LinkIndex()
        self.partner_ids: frozenset[int] = frozenset()
        self._shown: list[Span] = []  # the spans on display (own, plus others' when shown)
        self.pending_marks = PendingMarks()  # actions queued to the writer, drawn pending
        self.drawn_marks: list[SpanMark] = []  # the database's spans as last drawn (without pending ones)

    @property
    def tui(self) -> AnnotatorApp:
        return self.app  # type: ignore[return-value]

    @property
    def viewer(self) -> str:
        """Whose spans this pane shows and edits: `--as` for this pane, else the app's annotator."""
        if self.acting_as:
            return self.acting_as
        shown = getattr(self.tui, "as_annotators", [])
        return shown[self.index] if self.index < len(shown) and shown[self.index] else self.tui.annotator

    @property
    def candidate_sources(self) -> list[str]:
        """Whose spans are offered here as candidates: this pane's own list (review), else the app's."""
        if self.sources is not None:
            return list(self.sources)
        return list(getattr(self.tui, "candidate_sources", ()))

    @property
    def view(self) -> DocumentView:
        return self.query_one(DocumentView)
