"""The pane's undo/redo, the document's status (m, s) and the way to another article (next to do,
neighbours)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from tui.ui import pane_writes
from tui.ui.annotation import WRITE_ERRORS, Outcome, event_range, nothing
from tui.store.models import Event
from tui.ui.display import layout_options
from tui.ui.pane_base import PaneBase
from tui.ui.pane_header import document_direction

if TYPE_CHECKING:
    from tui.store.models import Document, DocumentSummary


class StatusActions(PaneBase):
    """Undo/redo, status and article-to-article actions of ArticlePane (mixed in)."""

    def action_undo(self) -> None:
        if self.session is not None:
            pane_writes.submit(self, "undo", lambda s: s.undo(), key=("undo", self.session.doc_id),
                               then=self._move_to_history)

    def action_redo(self) -> None:
        if self.session is not None:
            pane_writes.submit(self, "redo", lambda s: s.redo(), key=("redo", self.session.doc_id),
                               then=self._move_to_history)

    def _move_to_history(self, outcome: Outcome) -> None:
        """Undo/redo: the caret (and the view) go to the change."""
        where = event_range(outcome.span) if outcome.saved and isinstance(outcome.span, Event) else None
        if where is not None:
            self.view.clear_selection()
            self.view.move_caret_to(min(where[0], len(self.view.text)))
            after = getattr(outcome.span, "after", None)
            self.touched = getattr(outcome.span, "span_id", None) if after else self.touched

    def action_status(self, status: str) -> None:
        if self.session is None:
            return
        new = "in_progress" if self.status == status else status

        def then(outcome: Outcome) -> None:
            if outcome.saved and new == "done":
                self.call_after_refresh(self.offer_next_todo)

        pane_writes.submit(self, f"status {new}", lambda s: s.set_status(new),
                           key=("status", self.session.doc_id, new), then=then)

    def offer_next_todo(self) -> None:
        """After m (done): the next article not done or skipped, as the after_done setting says:
        ask (a yes/no dialog), always (open it), never."""
        mode = getattr(self.tui, "after_done", "ask")
        if mode == "never" or self.document is None:
            return
        try:
            doc_id = self.tui.store.next_todo(self.tui.annotator, self.document.id)
            summary = None if doc_id is None else self.tui.store.get_document(doc_id)
        except WRITE_ERRORS as exc:
            return self.report(nothing(f"could not find the next article: {exc}"))
        if doc_id is None or summary is None:
            return self.report(Outcome(saved=True, message="saved: marked done — every article is done or skipped",
                                       changed=False))
        if mode == "always":
            self.open_document(doc_id)
            return
        from tui.ui.screens.confirm import ConfirmScreen

        question = Text("Done. Open the next article to do?\n\n  ")
        question.append(_shown_title(summary, self.tui.bidi, self.tui.shaping), style="bold")

        def answered(yes: bool | None) -> None:
            if yes:
                self.open_document(doc_id)
            self.view.focus()

        self.tui.push_screen(ConfirmScreen(question), answered)

    def action_neighbour(self, step: int) -> None:
        if self.document is None:
            return
        try:
            doc_id = self.tui.store.neighbour_document(self.document.id, step)
        except WRITE_ERRORS as exc:
            return self.report(nothing(f"could not read the article list: {exc}"))
        if doc_id is None:
            return self.report(nothing("no more articles that way"))
        self.open_document(doc_id)


def _shown_title(document: Document | DocumentSummary, bidi: str, shaping: bool) -> str:
    """A title for a dialog line: shaped and in visual order as the app draws it, control-free."""
    from tui.ui.display import visual_line

    options = layout_options(bidi, shaping, document_direction(document))
    return visual_line(getattr(document, "title", "") or document.id, options, 60)
