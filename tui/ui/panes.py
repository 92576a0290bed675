"""ArticlePane: a title bar over a DocumentView, and the annotation actions on its document.

The pane owns one document at a time and a `DocumentSession` for it. Every action writes
through the session (store first), then redraws from what the store says: the screen only
shows a span once its transaction has committed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import ComposeResult

from tui.folding import folded_text
from tui.ui.annotation import WRITE_ERRORS, DocumentSession, Outcome, clean, nothing
from tui.ui.display import layout_options
from tui.ui.document_view import DocumentView, SpanMark
from tui.ui.linking import LinkIndex
from tui.ui.pane_bindings import PANE_BINDINGS, label_bindings
from tui.ui.pane_header import STATUS_NAMES, PaneHeader, PaneMeta, PaneTitle, document_direction
from tui.ui.pane_spans import SpanActions
from tui.ui.pane_status import StatusActions
from tui.store.models import Span


class ArticlePane(PaneHeader, SpanActions, StatusActions):
    """An article and its annotation keys. Its parts: the state (tui.ui.pane_base), the header lines
    and reading directions (pane_header), span and candidate actions (pane_spans), undo/redo, status
    and the way to other articles (pane_status), the keys (pane_bindings); loading, refresh and
    search are here."""

    BINDINGS = PANE_BINDINGS

    def compose(self) -> ComposeResult:
        yield PaneTitle(" ", classes="pane-title")
        yield PaneMeta(" ", classes="pane-meta")
        yield DocumentView(options=self._options, label_styles=self._label_styles)

    # -- loading ---------------------------------------------------------------------------

    def remember_carets(self, carets: dict[str, int]) -> None:
        """Carets to use when these articles are opened here (a restored session)."""
        self._carets.update(carets)

    def carets(self) -> dict[str, int]:
        """Where the caret was in each article this pane showed, the current one last."""
        carets = dict(self._carets)
        if self.document is not None:
            carets.pop(self.document.id, None)
            carets[self.document.id] = self.view.caret
        return carets

    def open_document(self, doc_id: str) -> None:
        """Show `doc_id` here, caret where this session last left it in that document."""
        try:
            self._open_document(doc_id)
        except WRITE_ERRORS as exc:
            self.post_message(self.Changed(self, nothing(f"could not open the article: {exc}")))

    def _open_document(self, doc_id: str) -> None:
        if self.document is not None:
            self._carets[self.document.id] = self.view.caret
        store = self.tui.store
        document = store.get_document(doc_id)
        self.document = document
        self.touched, self.cycle, self.exact_once = None, 0, False
        self.sync_snap()
        self.pending_marks.clear()  # the writer still reports them, on the status line
        viewer = self.viewer
        me = self.tui.annotator
        read_only = None if viewer == me or self.acting_as else (
            f"read-only: this pane shows {clean(viewer)}'s spans (you are {clean(me)}; --as sets each pane)")
        self.session = DocumentSession(store, document.id, viewer, document.text, read_only=read_only)
        self.directions = store.view_directions(document.id)
        self.matches = []
        self.view.terminal_reorders = self.tui.bidi == "terminal"
        self.view.set_options(self.options_for_mode())
        self.view.load(document.text, self.span_marks(), self._carets.get(document.id, 0))
        self.view.set_highlights([])
        self.refresh_title()
        self.post_message(self.Changed(self, None))

    def options_for_mode(self) -> Any:
        """Layout options: every paragraph in its own direction (UAX #9 P2-P3, ``auto``) unless the
        reader set the article's or the paragraph's direction (``D``, ctrl+d)."""
        base = layout_options(self.tui.bidi, self.tui.shaping, self.directions.document)
        return replace(base, paragraph_directions=tuple(sorted(self.directions.paragraphs.items())))

    def apply_display_mode(self) -> None:
        # --bidi terminal: the terminal shows RTL lines right to left, so arrows follow it.
        self.view.terminal_reorders = self.tui.bidi == "terminal"
        self.view.set_options(self.options_for_mode())
        self.refresh_title()

    def span_marks(self) -> list[SpanMark]:
        """Spans to draw: this annotator's, plus everyone else's read-only when toggled on."""
        if self.session is None:
            return []
        spans = self.session.all_spans() if self.tui.show_others else self.session.own_spans()
        me = self.session.annotator
        sources = list(self.candidate_sources)
        self.own = [span for span in spans if span.annotator == me]
        self.status = self.tui.store.status(self.session.doc_id, me)
        self.candidates = self.session.candidates(sources)
        self._candidate_marks = {-(index + 1): c for index, c in enumerate(self.candidates)}
        # A source's spans show as candidates, not as others' spans.
        self._shown = [span for span in spans if span.annotator == me or span.annotator not in sources]
        self.link_index = LinkIndex.build(self.tui.store.links(self.session.doc_id, annotator=me))
        return self._marks()

    def _marks(self) -> list[SpanMark]:
        me = self.session.annotator if self.session is not None else self.tui.annotator
        linked = self.link_index.linked_span_ids()
        marks = [
            SpanMark(span.id, span.start, span.end, span.label, span.annotator != me,
                     linked=span.id in linked, partner=span.id in self.partner_ids)
            for span in self._shown
        ]
        marks.extend(SpanMark(mark_id, c.start, c.end, c.label, readonly=True, candidate=True)
                     for mark_id, c in self._candidate_marks.items())
        self.drawn_marks = marks
        return self.pending_marks.merged(marks)

    def span_by_id(self, span_id: int) -> Span | None:
        return next((span for span in self._shown if span.id == span_id), None)

    def show_partners(self, span_ids: frozenset[int]) -> None:
        """Draw these spans (linked to the span under the caret somewhere) as partners."""
        if span_ids != self.partner_ids:
            self.partner_ids = span_ids
            if self.session is not None:
                self.view.set_spans(self._marks())

    def reload_spans(self) -> None:
        """Redraw spans, counts and status from the database (the single source of truth)."""
        if self.session is not None:
            self.view.set_spans(self.span_marks())
            self._reload_directions()
            self.refresh_title()

    def _reload_directions(self) -> None:
        """Direction overrides set in another pane or process since: shown now."""
        if self.document is None:
            return
        directions = self.tui.store.view_directions(self.document.id)
        if directions != self.directions:
            self.directions = directions
            self.view.set_options(self.options_for_mode())

    def on_resize(self) -> None:
        self.refresh_title()

    def on_document_view_caret_moved(self, event: DocumentView.CaretMoved) -> None:
        # "¶3 rtl" follows the caret when the article has paragraph overrides
        if self.directions.paragraphs and self.document is not None:
            self.query_one(PaneMeta).update(self._meta_line(self.document, self.size.width or 80))

    # -- annotation actions ----------------------------------------------------------------

    def report(self, outcome: Outcome) -> None:
        """Redraw from the store after any write attempt, then tell the screen what happened."""
        if outcome.changed:
            try:
                self.reload_spans()
            except WRITE_ERRORS as exc:  # the database is unreadable right now: say so
                outcome = replace(outcome, message=f"{outcome.message} — view NOT refreshed: {exc}")
        self.post_message(self.Changed(self, outcome))

    def action_next_match(self, step: int) -> None:
        caret, matches = self.view.caret, self.matches
        if not matches:
            return
        # The caret is on a match's start, or (visual mode, forward) on its last character.
        current = next((m for m in matches if m[0] <= caret < m[1]), None)
        here = current[0] if current is not None else caret
        ahead = [m for m in matches if m[0] > here] if step > 0 else [m for m in matches if m[0] < here]
        target = (ahead[0] if step > 0 else ahead[-1]) if ahead else (matches[0] if step > 0 else matches[-1])
        self.view.move_caret_to_match(*target)

    def action_pick(self) -> None:
        self.tui.open_picker(self)

    def action_search(self) -> None:
        self.tui.open_search(self)

    def set_search(self, query: str, origin: int) -> int:
        """Highlight the matches of `query` (whole words first: tui.ui.search_rank) and put the
        caret on the first one at or after `origin`. Returns the number of matches shown."""
        from tui.ui.search_rank import ranked_matches  # only once `/` is used

        result = ranked_matches(self.document.text if self.document else "", query)
        self.search_result, self.matches = result, result.matches  # the best tier: whole words first
        self.view.set_highlights(self.matches)
        if self.matches:  # like vim: v then / extends the selection, here over the whole match
            ahead = [match for match in self.matches if match[0] >= origin]
            self.view.move_caret_to_match(*(ahead[0] if ahead else self.matches[0]))
        else:
            self.view.move_caret_to(origin, select=self.view.visual_mode)
        self.refresh_bindings()
        return len(self.matches)

    def search_summary(self, *, short: bool = False) -> str | None:
        """"match 2/5 (whole word)" (``short``: "2/5") for the status line while a search is shown,
        else None."""
        result = self.search_result
        if result is None or not self.matches:
            return None
        caret = self.view.caret
        current = next((i for i, (s, e) in enumerate(self.matches) if s <= caret < e), None)
        from tui.ui.search_rank import describe

        return describe(result, current, short=short)

    def action_clear_search(self) -> None:
        self.clear_search()

    def clear_search(self) -> None:
        self.matches, self.search_result = [], None
        self.view.set_highlights([])
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_candidate" and self.navigate_starts is not None:
            return False
        # n/N step through search matches while a search is shown, else through spans.
        if action == "next_match":
            return bool(self.matches)
        if action == "next_span":
            return not self.matches
        if action == "clear_search":
            return bool(self.matches)
        if action in ("link_here", "cancel_link"):
            return getattr(self.screen, "pending_link", None) is not None
        return True


def find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Every (start, end) where `query` occurs in `text` as a reader means it (tui.folding: case,
    Vietnamese and Arabic marks, tatweel and Arabic letter variants ignored), as code-point
    offsets into the stored text (the text is folded once and cached, never changed)."""
    return folded_text(text).find(query)


__all__ = ["ArticlePane", "PaneMeta", "PaneTitle", "STATUS_NAMES", "document_direction", "find_all", "label_bindings"]
