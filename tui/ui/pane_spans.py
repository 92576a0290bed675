"""The pane's span and candidate actions: tag, delete, relabel, resize, the current span, the span and
label lists, links, accept/reject candidates. Every write goes through tui.ui.pane_writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from tui.safe_text import safe_text
from tui.ui import pane_writes
from tui.ui.annotation import WRITE_ERRORS, Outcome, clean, label_counts, nothing, quote
from tui.store.models import Span
from tui.ui.span_edit import current_span, spans_under
from tui.ui.pane_writes import after_writes
from tui.ui.pane_base import PaneBase

if TYPE_CHECKING:
    from tui.store.candidates import Candidate


class SpanActions(PaneBase):
    """The span and candidate actions of ArticlePane (mixed in)."""

    def _span_under_caret(self) -> Span | None:
        """The current span: the one last added or touched if it covers the caret, else the
        innermost of yours there; `.` cycles (tui.ui.span_edit.current_span)."""
        caret = self.view.caret
        if caret != self._cycle_caret:
            self.cycle, self._cycle_caret = 0, caret
        return current_span(self.own, caret, self.touched, self.cycle)

    def current_span(self) -> Span | None:
        return self._span_under_caret() if self.session is not None else None

    @after_writes
    def action_cycle_span(self) -> None:
        under = spans_under(self.own, self.view.caret)
        if len(under) < 2:
            return self.report(nothing("only one span of yours here" if under else "no span of yours under the caret"))
        self._span_under_caret()
        self.cycle += 1
        span = self._span_under_caret()
        if span is None:  # not after the check above: two of yours are under the caret
            return None
        self.touched, self.cycle = span.id, 0
        self.report(nothing(f"current span: {span.label}", span.text))

    def action_span_list(self) -> None:
        """The article's spans (yours, and others' when shown) in text order; Enter jumps."""
        if self.session is None or self.document is None:
            return self.report(nothing("no article open"))
        from tui.ui.display import visual_line
        from tui.ui.screens.span_list import ListOverlay, span_rows

        try:
            spans = self.session.all_spans() if self.tui.show_others else self.session.own_spans()
        except WRITE_ERRORS as exc:
            return self.report(nothing(f"could not read the spans: {exc}"))
        options = self.options_for_mode()
        width = max(12, min(60, (self.app.size.width or 80) - 40))
        rows = span_rows(spans, self.document.text, style_of=self._legend_style,
                         excerpt=lambda text, room: visual_line(text, options, room), width=width)

        def chosen(span: Span | None) -> None:
            if span is not None:
                self.view.clear_selection()
                self.view.move_caret_to(span.start)
                if span.annotator == self.tui.annotator:
                    self.touched = span.id
            self.view.focus()

        self.tui.push_screen(ListOverlay(
            "Spans — type to filter, enter jumps, escape closes",
            ("label", "text", "annotator"), rows, placeholder="filter: entity, claim, an annotator, a word…",
            empty="no spans yet"), chosen)

    def action_legend(self) -> None:
        """The labels as they look in the text, with their keys, your counts and guidelines."""
        from tui.ui.screens.span_list import ListOverlay, legend_rows

        counts = label_counts(self.own, self.label_names)
        rows = legend_rows(self.labels, counts, self._legend_style)

        def closed(_: Any) -> None:
            self.view.focus()

        self.tui.push_screen(ListOverlay("Labels as they look in the text — escape closes",
                                         ("keys", "label", "yours", "guideline"), rows,
                                         placeholder="filter labels"), closed)

    def sync_snap(self) -> None:
        """The view snaps (and draws) the selection as the next tag will take it: whole words,
        unless `snap = "char"` or `!` was pressed for this tag."""
        exact = self.exact_once or getattr(self.tui, "snap", "word") == "char"
        self.view.snap = "char" if exact else "word"

    def action_exact_once(self) -> None:
        self.exact_once = not self.exact_once
        self.sync_snap()
        self.report(nothing("next tag: exactly the selection" if self.exact_once else "next tag: whole words"))

    def action_tag(self, label: str) -> None:
        if self.session is None:
            return self.report(nothing("no article open"))
        target = self.view.target_range()
        if target is None:
            return self.report(nothing("nothing to tag here: select text or put the caret on a word"))
        start, end = target  # snapped by the view as it draws it (sync_snap): what you see is tagged
        self.view.clear_selection()
        self.exact_once = False
        self.sync_snap()  # answered at once; the tag is saved by the writer thread
        caret = self.view.caret

        def placed(outcome: Outcome) -> None:
            if outcome.saved and isinstance(outcome.span, Span):
                # The caret goes inside the new span (unless it moved on meanwhile), so the span
                # keys act on it straight away.
                self.touched = outcome.span.id
                if self.view.caret == caret:
                    inside = min(max(caret, outcome.span.start), outcome.span.end - 1)
                    if inside != caret:
                        self.view.move_caret_to(inside)

        text = self.session.text
        pane_writes.submit(self, f"{clean(label)} “{quote(text[start:end], 20)}”",
                           lambda s: s.tag(label, start, end),
                           mark=lambda job: pane_writes.new_span_mark(job, start, end, label),
                           key=("tag", self.session.doc_id, label, start, end), excerpt=text[start:end],
                           then=placed)

    @after_writes
    def action_delete_span(self) -> None:
        span = self._span_under_caret()
        if span is None or self.session is None:
            if self.candidate_under_caret() is not None:
                return self.report(nothing("a candidate, not your span: X rejects it, a accepts it"))
            return self.report(nothing("no span of yours under the caret"))
        session = span_session = self.session
        try:
            links = self.tui.store.links_of_span(span.id)
        except WRITE_ERRORS as exc:
            return self.report(Outcome(saved=False, message=f"NOT saved (delete): {exc}"))
        if not links:
            return self._delete(span)
        from tui.ui.screens.links import ConfirmScreen, excerpt

        question = Text(f"Delete this {safe_text(span.label, 40)} span ", style="bold")
        question.append(f"“{excerpt(span.text, self.tui.bidi, self.tui.shaping)}”")
        question.append(f" and its {len(links)} link{'s' * (len(links) != 1)}?", style="bold")
        question.append("\nUndo (u) brings back the span and its links together.")

        def answer(yes: bool | None) -> None:
            if yes and self.session is span_session:
                self._delete(span)
            else:
                self.report(nothing("nothing deleted"))
            self.view.focus()

        self.tui.push_screen(ConfirmScreen(question), answer)

    @after_writes
    def action_link(self) -> None:
        self.screen.link_key(self)  # type: ignore[attr-defined]

    @after_writes
    def action_link_here(self) -> None:
        self.screen.link_key(self)  # type: ignore[attr-defined]

    def action_cancel_link(self) -> None:
        self.screen.cancel_link()  # type: ignore[attr-defined]

    @after_writes
    def action_jump_partner(self) -> None:
        self.screen.jump_to_partner(self)  # type: ignore[attr-defined]

    def action_links_list(self) -> None:
        self.screen.open_links_list(self)  # type: ignore[attr-defined]

    def own_span_under_caret(self) -> Span | None:
        return self._span_under_caret()

    def _delete(self, span: Span) -> None:
        pane_writes.submit(self, f"delete {clean(span.label)}", lambda s: s.delete(span),
                           mark=lambda job: pane_writes.existing_span_mark(span),
                           key=("delete", span.id), excerpt=span.text)

    @after_writes
    def action_relabel(self, label: str = "") -> None:
        span = self._span_under_caret()
        if span is None or self.session is None:
            return self.report(nothing("no span of yours under the caret"))
        if not label:
            names = self.label_names
            label = names[(names.index(span.label) + 1) % len(names)] if span.label in names else names[0]
        if label == span.label:
            return self.report(nothing(f"already {clean(label)}"))
        pane_writes.submit(self, f"{clean(span.label)} → {clean(label)}", lambda s: s.relabel(span, label),
                           mark=lambda job: pane_writes.existing_span_mark(span, label=label),
                           key=("relabel", span.id, label), excerpt=span.text)

    @after_writes
    def action_resize(self, edge: str, step: int, by_word: bool = False) -> None:
        span = self._span_under_caret()
        if span is None or self.session is None:
            return self.report(nothing("no span of yours under the caret"))
        self.touched = span.id
        caret = self.view.caret

        def kept_inside(outcome: Outcome) -> None:
            if outcome.saved and isinstance(outcome.span, Span) and self.view.caret == caret:
                # Keep the caret inside the span so repeated presses act on the same span.
                inside = min(max(caret, outcome.span.start), outcome.span.end - 1)
                if inside != caret:
                    self.view.move_caret_to(inside)

        # The burst token is taken here, on this pane's session (the writer runs each job on a
        # fresh one): presses of a held key share it, and one undo takes them all back.
        batch = self.session._burst_token(span.id)
        pane_writes.submit(self, f"resize {clean(span.label)}",
                           lambda s: s.resize(span, edge, step, by_word, batch=batch),
                           mark=lambda job: pane_writes.existing_span_mark(span),
                           key=("resize", span.id, edge, step, by_word), excerpt=span.text, then=kept_inside)

    @after_writes
    def action_next_span(self, step: int) -> None:
        starts = sorted({span.start for span in self.own})
        caret = self.view.caret
        later = [s for s in starts if s > caret] if step > 0 else [s for s in starts if s < caret]
        if not later:
            return self.report(nothing("no more spans that way"))
        self.view.move_caret_to(later[0] if step > 0 else later[-1])

    # -- candidates ------------------------------------------------------------------------

    def candidate_under_caret(self) -> Candidate | None:
        """The innermost candidate under the caret, or None."""
        for mark in self.view.spans_at_caret():
            if mark.candidate and mark.id in self._candidate_marks:
                return self._candidate_marks[mark.id]
        return None

    def _no_candidate(self) -> None:
        if not self.candidate_sources:
            return self.report(nothing("no candidate sources chosen: press C (or start with --candidates SOURCE)"))
        self.report(nothing("no candidate under the caret (; and , jump to the next and previous)"))

    @after_writes
    def action_accept_candidate(self) -> None:
        candidate = self.candidate_under_caret()
        if candidate is None or self.session is None:
            return self._no_candidate()
        pane_writes.submit(self, f"accept {clean(candidate.label)}", lambda s: s.accept(candidate),
                           mark=lambda job: pane_writes.new_span_mark(job, candidate.start, candidate.end,
                                                                      candidate.label),
                           key=("accept", candidate), excerpt=self.session.text[candidate.start:candidate.end])

    @after_writes
    def action_reject_candidate(self) -> None:
        candidate = self.candidate_under_caret()
        if candidate is None or self.session is None:
            return self._no_candidate()
        pane_writes.submit(self, f"reject {clean(candidate.label)}", lambda s: s.reject(candidate),
                           key=("reject", candidate), excerpt=self.session.text[candidate.start:candidate.end])

    def action_accept_all_candidates(self) -> None:
        if self.session is None:
            return self.report(nothing("no article open"))
        sources = list(self.candidate_sources)
        if not sources:
            return self._no_candidate()
        pane_writes.submit(self, "accept all candidates", lambda s: s.accept_all(sources),
                           key=("accept_all", self.session.doc_id, tuple(sources)))

    def action_next_candidate(self, step: int) -> None:
        starts = sorted({c.start for c in self.candidates})
        if not starts:
            return self._no_candidate() if not self.candidate_sources else self.report(
                nothing("no candidates left in this article"))
        caret = self.view.caret
        ahead = [s for s in starts if s > caret] if step > 0 else [s for s in starts if s < caret]
        if not ahead:
            return self.report(nothing("no more candidates that way"))
        self.view.move_caret_to(ahead[0] if step > 0 else ahead[-1])
