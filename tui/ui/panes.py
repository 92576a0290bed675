"""ArticlePane: a title bar over a DocumentView, and the annotation actions on its document.

The pane owns one document at a time and a `DocumentSession` for it. Every action writes
through the session (store first), then redraws from what the store says: the screen only
shows a span once its transaction has committed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from tui.folding import folded_text
from tui.safe_rich import safe_style
from tui.safe_text import label_key_problem, safe_text
from tui.ui import pane_writes
from tui.ui.annotation import (
    WRITE_ERRORS, DocumentSession, Outcome, clean, event_range, label_counts, nothing, quote,
)
from tui.store.models import Event, Span
from tui.store.view_directions import ViewDirections, next_direction
from tui.ui.compat import add_bindings
from tui.ui.display import layout_options, visual_line_direction
from tui.ui.span_edit import current_span, snap_to_words, spans_under
from tui.ui.document_view import DocumentView, SpanMark
from tui.ui.linking import LinkIndex
from tui.ui.pane_writes import PendingMarks, after_writes

if TYPE_CHECKING:
    from tui.store.models import Document, DocumentSummary, Label
    from tui.ui.app import AnnotatorApp

STATUS_NAMES = {"todo": "to do", "in_progress": "in progress", "done": "done", "skipped": "skipped"}


def label_bindings(labels: list[Label]) -> list[Binding]:
    """One binding per label of the store: its letter key and its position (1, 2, 3...).

    Names and keys come from the labels table (anyone may edit it): a key that is not one visible
    character is not bound (the position key still is), names are shown through tui.safe_text and
    passed to the action as a Python literal, never spliced into it."""
    bindings = []
    for index, label in enumerate(labels, start=1):
        keys = [str(index)] if index <= 9 else []
        letter = getattr(label, "key", None) or label.name[:1]
        if letter and label_key_problem(letter) is None and letter not in keys:
            keys.insert(0, letter)
        if not keys:
            continue
        shown = safe_text(label.name, 24)
        bindings.append(
            Binding(
                ",".join(keys),
                f"tag({label.name!r})",
                shown,
                show=index <= 3,
                id=f"tag_{label.name}",
                tooltip=f"Tag the selection (or the word under the caret) as {shown}",
            )
        )
    return bindings


class PaneTitle(Static):
    """The pane number (when panes are hidden) and the article title."""


class PaneMeta(Static):
    """Language, direction, this annotator's span counts per label, document status."""


class ArticlePane(Vertical):
    """An article and its annotation keys."""

    BINDINGS = [
        Binding("x,delete", "delete_span", "delete", id="delete_span",
                tooltip="Delete the innermost span under the caret"),
        Binding("r", "relabel", "relabel", show=True, id="relabel",
                tooltip="Change the label of the span under the caret to the next label"),
        Binding("left_square_bracket", "resize('start', -1)", "grow start", show=False,
                key_display="[", id="grow_start", tooltip="Move the span's start one character earlier"),
        Binding("right_square_bracket", "resize('start', 1)", "shrink start", show=False,
                key_display="]", id="shrink_start", tooltip="Move the span's start one character later"),
        Binding("left_curly_bracket", "resize('end', -1)", "shrink end", show=False,
                key_display="{", id="shrink_end", tooltip="Move the span's end one character earlier"),
        Binding("right_curly_bracket", "resize('end', 1)", "grow end", show=False,
                key_display="}", id="grow_end", tooltip="Move the span's end one character later"),
        Binding("left_parenthesis,alt+left_square_bracket", "resize('start', -1, True)", "start a word earlier",
                show=False, key_display="(", id="grow_start_word",
                tooltip="Move the span's start one word earlier"),
        Binding("alt+right_square_bracket", "resize('start', 1, True)", "start a word later", show=False,
                key_display="alt+]", id="shrink_start_word", tooltip="Move the span's start one word later"),
        Binding("alt+left_curly_bracket", "resize('end', -1, True)", "end a word earlier", show=False,
                key_display="alt+{", id="shrink_end_word", tooltip="Move the span's end one word earlier"),
        Binding("right_parenthesis,alt+right_curly_bracket", "resize('end', 1, True)", "end a word later",
                show=False, key_display=")", id="grow_end_word", tooltip="Move the span's end one word later"),
        Binding("full_stop", "cycle_span", "next span here", show=False, key_display=".", id="cycle_span",
                tooltip="Several spans under the caret: make the next one current (what x, r, [ ] { } act on)"),
        Binding("number_sign", "span_list", "spans", show=True, key_display="#", id="span_list",
                tooltip="List this article's spans in text order (type to filter by label, enter jumps)"),
        Binding("i", "legend", "labels", show=False, id="label_legend",
                tooltip="The labels: keys, colours as in the text, and their guidelines"),
        Binding("exclamation_mark", "exact_once", "exact tag", show=False, key_display="!", id="exact_once",
                tooltip="The next tag takes the selection exactly as it is (no snapping to whole words)"),
        Binding("n", "next_match(1)", "next match", show=False, id="next_match",
                tooltip="Jump to the next search match"),
        Binding("N", "next_match(-1)", "previous match", show=False, id="previous_match",
                tooltip="Jump to the previous search match"),
        Binding("n", "next_span(1)", "next span", show=True, id="next_span",
                tooltip="Jump to the next span"),
        Binding("N", "next_span(-1)", "previous span", show=False, id="previous_span",
                tooltip="Jump to the previous span"),
        Binding("u,ctrl+z", "undo", "undo", id="undo", tooltip="Undo your last change (kept across restarts)"),
        Binding("U,ctrl+y", "redo", "redo", show=False, id="redo", tooltip="Redo what you undid"),
        Binding("slash", "search", "search", show=True, key_display="/", id="search",
                tooltip="Search in this article (in visual mode: extend the selection to the match)"),
        Binding("escape", "clear_search", "clear search", show=False, id="clear_search",
                tooltip="Remove the search highlights (n/N then jump between spans again)"),
        Binding("m", "status('done')", "done", show=True, id="mark_done",
                tooltip="Mark the document done (again: back to in progress)"),
        Binding("s", "status('skipped')", "mark skipped", show=False, id="mark_skipped",
                tooltip="Mark the document skipped (again: back to in progress)"),
        Binding("greater_than_sign", "neighbour(1)", "next article", show=False, key_display=">",
                id="next_document", tooltip="Open the next article in this pane"),
        Binding("less_than_sign", "neighbour(-1)", "previous article", show=False, key_display="<",
                id="previous_document", tooltip="Open the previous article in this pane"),
        Binding("o", "pick", "open", show=True, id="pick_document", tooltip="Choose the article for this pane"),
        Binding("D", "paragraph_direction", "paragraph direction", show=False, id="paragraph_direction",
                tooltip="Show the paragraph under the caret auto → right to left → left to right "
                        "(display only, remembered for this article)"),
        Binding("ctrl+d", "document_direction", "article direction", show=False, id="document_direction",
                tooltip="Show the whole article auto → right to left → left to right "
                        "(paragraphs with their own setting keep it; display only, remembered)"),
        Binding("a", "accept_candidate", "accept", show=False, id="accept_candidate",
                tooltip="Accept the candidate under the caret: it becomes your span"),
        Binding("X", "reject_candidate", "reject", show=False, id="reject_candidate",
                tooltip="Reject the candidate under the caret (never offered to you again)"),
        Binding("A", "accept_all_candidates", "accept all", show=False, id="accept_all_candidates",
                tooltip="Accept every candidate in this article (one undo takes them all back)"),
        Binding("semicolon", "next_candidate(1)", "next candidate", show=False, key_display=";",
                id="next_candidate", tooltip="Jump to the next candidate"),
        Binding("comma", "next_candidate(-1)", "previous candidate", show=False, key_display=",",
                id="previous_candidate", tooltip="Jump to the previous candidate"),
        Binding("L", "link", "link", show=False, id="link",
                tooltip="Link spans: press on a span, go to the other span (Tab to another pane), press again"),
        Binding("enter", "link_here", "link here", show=False, id="link_here",
                tooltip="Finish the link on the span under the caret (while linking)"),
        Binding("escape", "cancel_link", "cancel link", show=False, id="cancel_link",
                tooltip="Stop making a link"),
        Binding("P", "jump_partner", "partner", show=False, id="jump_partner",
                tooltip="Jump to the span linked to the one under the caret (again: the next partner)"),
        Binding("K", "links_list", "links", show=False, id="links_list",
                tooltip="List this article's links with their cluster ids (enter jumps, x deletes, r relabels)"),
    ]

    class Changed(Message):
        """The pane's document, spans or status changed (the screen refreshes its status)."""

        def __init__(self, pane: ArticlePane, outcome: Outcome | None) -> None:
            super().__init__()
            self.pane = pane
            self.outcome = outcome

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
        self.own: list[Any] = []
        self.acting_as: str | None = None  # review: the pane writes as this annotator (gold)
        self.sources: list[str] | None = None  # review: candidate sources of this pane only
        self.navigate_starts: Any = None  # review: ; and , belong to the review screen (next to decide)
        self.candidates: list[Any] = []  # tui.store.Candidate: offered here, not this annotator's
        self._candidate_marks: dict[int, Any] = {}  # SpanMark id (negative) -> Candidate
        self.matches: list[tuple[int, int]] = []
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
        self._shown: list[Any] = []  # the spans on display (own, plus others' when shown)
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

    def span_by_id(self, span_id: int) -> Any:
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

    def refresh_title(self) -> None:
        """Two lines: the article title; then language, direction, counts per label, status."""
        title = self.query_one(PaneTitle)
        meta_line = self.query_one(PaneMeta)
        document = self.document
        head = Text(no_wrap=True, overflow="ellipsis", style="bold")
        if self.indicator:
            head.append(f" {self.indicator}")
        if getattr(self.tui, "as_annotators", None) or self.acting_as:
            editable = self.viewer == self.tui.annotator or bool(self.acting_as)
            head.append(f" {clean(self.viewer, 16)}{'' if editable else ' (read-only)'} ·",
                        style="reverse" if editable else "dim")
        if self.progress_note:  # this annotator's way through the corpus: done / total
            head.append(f" {self.progress_note} ·")
        if document is None:
            head.append(" no article — press o to open one")
            title.update(head)
            meta_line.update("")
            return
        room = max(4, (self.size.width or 80) - head.cell_len - 2)
        title_options = layout_options(self.tui.bidi, self.tui.shaping, self.directions.document)
        shown, rtl = visual_line_direction(getattr(document, "title", "") or document.id, title_options, room)
        if rtl and self.tui.bidi == "app":  # flush right like an RTL paragraph
            shown = shown.rjust(room)
        head.append(" " + shown)
        title.update(head)
        meta_line.update(self._meta_line(document, self.size.width or 80))

    def _meta_line(self, document: Document, width: int) -> Text:
        """Language, direction, span counts, status; spaced out when it fits, tight when narrow (a
        pane of an 80- or 100-column terminal), so the status is not cut."""
        counts = label_counts(self.own, self.label_names)
        status = STATUS_NAMES.get(self.status, self.status)
        for gap in ("  ", " "):
            meta = Text(no_wrap=True, overflow="ellipsis")
            meta.append(f" {safe_text(getattr(document, 'language', '') or '?', 12)} {document_direction(document)}")
            meta.append(self._direction_note(gap))
            meta.append(" │ ")
            for name, count in counts.items():
                meta.append(f"{safe_text(name, 24)} {count}", style=self._legend_style(name))
                meta.append(gap)
            if self.candidates:
                meta.append(f"◌ {len(self.candidates)}", style="dim")
                meta.append(gap)
            pad = gap[1:]
            meta.append("│ ")
            meta.append(f"{pad}{status}{pad}", style="reverse" if self.status in ("done", "skipped") else "")
            if meta.cell_len <= width:
                break
        return meta

    def _direction_note(self, gap: str) -> str:
        """The reader's direction overrides, when there are any: "shown rtl", "¶3 ltr", "+2¶"."""
        notes = []
        if self.directions.document != "auto":
            notes.append(f"shown {self.directions.document}")
        paragraphs = self.directions.paragraphs
        if paragraphs:
            here = self._caret_paragraph()
            if here is not None and here in paragraphs:
                notes.append(f"¶{here + 1} {paragraphs[here]}")
                if len(paragraphs) > 1:
                    notes.append(f"+{len(paragraphs) - 1}¶")
            else:
                notes.append(f"{len(paragraphs)}¶ set")
        return (gap[:1] + " ".join(notes)) if notes else ""

    def _caret_paragraph(self) -> int | None:
        layout = self.view.text_layout
        return None if layout is None else layout.paragraph_at(self.view.caret)

    def _legend_style(self, name: str) -> Any:
        """The label's style exactly as its spans are drawn (tui.ui.document_canvas.label_style)."""
        try:
            return self.view.label_style(name)
        except Exception:  # not mounted yet: the cue and colour alone
            return _count_style(self._label_styles.get(name))

    def on_resize(self) -> None:
        self.refresh_title()

    def on_document_view_caret_moved(self, event: DocumentView.CaretMoved) -> None:
        # "¶3 rtl" follows the caret when the article has paragraph overrides
        if self.directions.paragraphs and self.document is not None:
            self.query_one(PaneMeta).update(self._meta_line(self.document, self.size.width or 80))

    # -- reading direction (display only) --------------------------------------------------

    @after_writes
    def action_paragraph_direction(self) -> None:
        paragraph = self._caret_paragraph()
        if paragraph is None or self.document is None:
            return self.report(nothing("no article open"))
        self._set_direction(paragraph, next_direction(self.directions.of(paragraph)))

    @after_writes
    def action_document_direction(self) -> None:
        if self.document is None:
            return self.report(nothing("no article open"))
        self._set_direction(None, next_direction(self.directions.document))

    def _set_direction(self, paragraph: int | None, direction: Any) -> None:
        """Save the override, then show it (the text is never changed)."""
        what = "the article" if paragraph is None else f"paragraph {paragraph + 1}"
        shown = {"auto": "in its own direction (auto)", "rtl": "right to left", "ltr": "left to right"}[direction]
        committed: list[ViewDirections] = []

        def shown_now(outcome: Outcome) -> None:  # on the UI thread, once the writer reported
            if outcome.saved and committed:
                self.directions = committed[-1]
                self.view.set_options(self.options_for_mode())

        annotator = self.tui.annotator
        assert self.document is not None  # a direction is only cycled on an open article
        pane_writes.submit(self, f"{what} direction", lambda s: s.set_view_direction(
            paragraph, direction, annotator, f"{what} shown {shown} (display only)", committed.append),
            key=("view", self.document.id, paragraph), then=shown_now)

    # -- annotation actions ----------------------------------------------------------------

    def report(self, outcome: Outcome) -> None:
        """Redraw from the store after any write attempt, then tell the screen what happened."""
        if outcome.changed:
            try:
                self.reload_spans()
            except WRITE_ERRORS as exc:  # the database is unreadable right now: say so
                outcome = replace(outcome, message=f"{outcome.message} — view NOT refreshed: {exc}")
        self.post_message(self.Changed(self, outcome))

    def _span_under_caret(self) -> Any:
        """The current span: the one last added or touched if it covers the caret, else the
        innermost of yours there; `.` cycles (tui.ui.span_edit.current_span)."""
        caret = self.view.caret
        if caret != self._cycle_caret:
            self.cycle, self._cycle_caret = 0, caret
        return current_span(self.own, caret, self.touched, self.cycle)

    def current_span(self) -> Any:
        return self._span_under_caret() if self.session is not None else None

    @after_writes
    def action_cycle_span(self) -> None:
        under = spans_under(self.own, self.view.caret)
        if len(under) < 2:
            return self.report(nothing("only one span of yours here" if under else "no span of yours under the caret"))
        self._span_under_caret()
        self.cycle += 1
        span = self._span_under_caret()
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

    def action_exact_once(self) -> None:
        self.exact_once = not self.exact_once
        self.report(nothing("next tag: exactly the selection" if self.exact_once else "next tag: whole words"))

    def action_tag(self, label: str) -> None:
        if self.session is None:
            return self.report(nothing("no article open"))
        target = self.view.target_range()
        if target is None:
            return self.report(nothing("nothing to tag here: select text or put the caret on a word"))
        start, end = target
        if getattr(self.tui, "snap", "word") == "word" and not self.exact_once:
            snapped = snap_to_words(self.session.text, start, end)
            if snapped is not None:
                start, end = snapped
        self.exact_once = False
        self.view.clear_selection()  # answered at once; the tag is saved by the writer thread
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

    def own_span_under_caret(self) -> Any:
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

    def candidate_under_caret(self) -> Any:
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

    def action_next_match(self, step: int) -> None:
        caret = self.view.caret
        starts = [start for start, _ in self.matches]
        ahead = [s for s in starts if s > caret] if step > 0 else [s for s in starts if s < caret]
        target = (ahead[0] if step > 0 else ahead[-1]) if ahead else (starts[0] if step > 0 else starts[-1])
        self.view.move_caret_to(target)

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

    def action_pick(self) -> None:
        self.tui.open_picker(self)

    def action_search(self) -> None:
        self.tui.open_search(self)

    def set_search(self, query: str, origin: int) -> int:
        """Highlight every match of `query` (ignoring case) and put the caret on the first
        one at or after `origin`. Returns the number of matches."""
        self.matches = find_all(self.document.text if self.document else "", query)
        self.view.set_highlights(self.matches)
        select = self.view.visual_mode  # like vim: v then / extends the selection to the match
        if self.matches:
            ahead = [start for start, _ in self.matches if start >= origin]
            self.view.move_caret_to(ahead[0] if ahead else self.matches[0][0], select=select)
        else:
            self.view.move_caret_to(origin, select=select)
        self.refresh_bindings()
        return len(self.matches)

    def action_clear_search(self) -> None:
        self.clear_search()

    def clear_search(self) -> None:
        self.matches = []
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


def document_direction(document: Document | DocumentSummary) -> str:
    direction = getattr(document, "direction", None)
    return direction if direction in ("ltr", "rtl") else "auto"


def _count_style(style: Any) -> Any:
    colour = getattr(style, "color", None)
    cue = getattr(style, "cue", None)
    parts = [cue] if cue in ("bold", "underline", "italic", "reverse") else []
    if colour:
        parts.append(colour)
    return safe_style(" ".join(parts))  # a colour from the database that does not parse: no colour


def _shown_title(document: Document | DocumentSummary, bidi: str, shaping: bool) -> str:
    """A title for a dialog line: shaped and in visual order as the app draws it, control-free."""
    from tui.ui.display import visual_line

    options = layout_options(bidi, shaping, document_direction(document))
    return visual_line(getattr(document, "title", "") or document.id, options, 60)
