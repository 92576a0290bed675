"""Review and adjudication of one article: every distinct span the chosen annotators made, with its
votes and state, turned into gold from the keyboard.

The article pane on the left writes as the gold annotator (`gold` unless configured): gold's spans
are ordinary spans (resize, relabel, delete, undo as anywhere), and every annotator's span gold has
not decided on is a *candidate* (tui.store.candidates) drawn faint with a double underline. The
table on the right lists the distinct spans: state by colour and glyph (● unanimous, ◐ majority,
◆ disputed, ○ single), `entity  ann1✓ ann2✓ ann3✗  67%`, and what gold did with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui.agreement.votes import UNANIMOUS, VoteRow, vote_rows
from tui.ui.annotation import WRITE_ERRORS, Outcome, clean, nothing
from tui.ui.writer import WriteTracker
from tui.ui.display import visual_line
from tui.ui.document_view import DocumentView
from tui.ui.keybar import KeyBar
from tui.ui.panes import ArticlePane

if TYPE_CHECKING:
    from collections.abc import Callable

    from tui.store.candidates import Candidate
    from tui.store.store import Store
    from tui.ui.app import AnnotatorApp

STATE_STYLES = {"unanimous": "bold green", "majority": "bold yellow", "disputed": "bold red", "single": "bold magenta"}


def review_annotators(store: Store, doc_id: str, gold: str, wanted: list[str] | None = None) -> list[str]:
    """Who votes on `doc_id`: the given names, else everyone with a span or a status there but gold."""
    if wanted:
        return [name for name in dict.fromkeys(wanted) if name != gold]
    names = {span.annotator for span in store.spans(doc_id)}
    names |= {name for name, status in store.document_statuses(doc_id).items() if status != "todo"}
    return sorted(names - {gold})


def document_votes(store: Store, doc_id: str, gold: str, annotators: list[str]) -> list[VoteRow]:
    """The vote rows of one document, with what gold already decided."""
    spans = store.spans(doc_id)
    statuses = store.document_statuses(doc_id)
    by_annotator: dict[str, list[tuple[str, int, int]]] = {}
    for span in spans:
        if span.annotator in annotators:
            by_annotator.setdefault(span.annotator, []).append((span.label, span.start, span.end))
    for name in annotators:
        if name not in by_annotator and statuses.get(name, "todo") != "todo":
            by_annotator[name] = []  # read it, found nothing: a vote against every span
    decisions = store.candidate_decisions(doc_id, gold)
    in_gold = [(s.label, s.start, s.end) for s in spans if s.annotator == gold]
    in_gold += [(d.label, d.start, d.end) for d in decisions if d.decision == "accept"]
    rejected = [(d.label, d.start, d.end) for d in decisions if d.decision == "reject"]
    return vote_rows(by_annotator, annotators, gold=in_gold, rejected=rejected)


class ReviewTitle(Static):
    """What is being reviewed: the article's progress and the keys that matter here."""


class ReviewStatus(Static):
    """The outcome of the last action."""


class ReviewScreen(Screen[None]):
    """Adjudicate one article into the gold annotator."""

    BINDINGS = [
        Binding("semicolon", "next_open(1)", "next to decide", key_display=";", id="review.next_open",
                tooltip="Jump to the next span not unanimous that gold has not decided on"),
        Binding("comma", "next_open(-1)", "previous to decide", show=False, key_display=",",
                id="review.previous_open", tooltip="Jump to the previous span gold has still to decide on"),
        Binding("equals_sign", "accept_unanimous", "accept unanimous", key_display="=",
                id="review.accept_unanimous", tooltip="Accept into gold every span all annotators made"),
        Binding("T", "take_annotator", "take all of…", id="review.take_annotator",
                tooltip="Accept into gold every open span of the annotators you tick"),
        Binding("M", "adjudicated", "adjudicated", id="review.adjudicated",
                tooltip="Mark the article adjudicated (gold's status done; again: back to in progress)"),
        Binding("escape", "leave", "back", id="review.leave", tooltip="Leave the review (everything is saved)"),
        Binding("question_mark", "help", "help", key_display="?", id="review.help", tooltip="List every key"),
        Binding("q", "app.quit", "quit", id="review.quit", tooltip="Quit (everything is already saved)"),
    ]

    def __init__(self, doc_id: str, gold: str, annotators: list[str] | None = None) -> None:
        super().__init__()
        self.doc_id = doc_id
        self.gold = gold
        self.wanted = list(annotators) if annotators else None
        self.annotators: list[str] = []
        self.rows: list[VoteRow] = []
        self.last_outcome: Outcome | None = None
        self.failure: Outcome | None = None  # a write that failed, shown until the same action succeeds
        self._version: int | None = None
        self._quiet: Any = None  # tui.ui.refresh.QuietIndexCommits, from on_mount

    @property
    def tui(self) -> AnnotatorApp:
        return self.app  # type: ignore[return-value]

    @property
    def pane(self) -> ArticlePane:
        return self.query_one(ArticlePane)

    def compose(self) -> ComposeResult:
        labels = self.tui.store.labels()
        from tui.ui.span_styles import label_styles_from_labels

        yield ReviewTitle(" ", id="review-title")
        with Horizontal(id="review-body"):
            pane = ArticlePane(0, labels, label_styles_from_labels(labels), self.tui.options_for(None),
                               id="review-pane")
            pane.acting_as = self.gold
            yield pane
            with Vertical(id="review-side"):
                yield DataTable(cursor_type="row", zebra_stripes=False, id="review-votes")
                yield Static(" ", id="review-legend")
        yield ReviewStatus(" ", id="review-status")
        yield WriteTracker()
        yield KeyBar(id="review-keys")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, heading in (("gold", "gold"), ("state", "state"), ("span", "span"), ("votes", "votes")):
            table.add_column(heading, key=key)
        self.annotators = review_annotators(self.tui.store, self.doc_id, self.gold, self.wanted)
        pane = self.pane
        pane.sources = list(self.annotators)
        pane.navigate_starts = self._open_starts
        pane.open_document(self.doc_id)
        legend = Text(" ")
        for state, glyph in (("unanimous", "●"), ("majority", "◐"), ("disputed", "◆"), ("single", "○")):
            legend.append(f"{glyph} {state}  ", style=STATE_STYLES[state])
        legend.append("gold: ✓ in · ✗ rejected · · to decide", style="dim")
        self.query_one("#review-legend", Static).update(legend)
        self.refresh_votes()
        pane.view.focus()
        self._version = self._data_version()
        from tui.ui.refresh import QuietIndexCommits

        self._quiet = QuietIndexCommits(self.tui.store, getattr(self.tui, "search_index", None))
        self.set_interval(2.0, self._poll)

    def _data_version(self) -> int | None:
        try:
            return int(self.tui.store.data_version())
        except Exception:  # a locked or vanished database: try again at the next poll
            return None

    def changes_elsewhere(self) -> None:
        """Called by the main screen's listener (tui.ui.refresh, PostgreSQL) at another
        connection's commit: the same as the poll, at once."""
        self._poll()

    def _poll(self) -> None:
        """Another adjudicator or annotator committed: redraw the spans and the votes."""
        version = self._data_version()
        if version is not None and version != self._version:
            self._version = version
            if self._quiet is not None and self._quiet.only_the_index():  # the background indexer's commit (tui.ui.refresh)
                return
            try:
                self.pane.reload_spans()
            except WRITE_ERRORS:
                return
            self.refresh_votes()

    # -- votes -----------------------------------------------------------------------------

    def refresh_votes(self) -> None:
        try:
            self.rows = document_votes(self.tui.store, self.doc_id, self.gold, self.annotators)
        except WRITE_ERRORS as exc:
            self.last_outcome = nothing(f"could not read the votes: {exc}")
            self.show_status()
            return
        table = self.query_one(DataTable)
        table.clear()
        text = self.pane.document.text if self.pane.document is not None else ""
        options = self.pane.options_for_mode()
        for index, row in enumerate(self.rows):
            style = STATE_STYLES[row.state]
            state = Text(f"{row.glyph} {row.state}", style=style if row.decision is None else "dim")
            span = Text(clean(row.label, 10), style="bold")
            # Document text goes through the layout engine: shaped, in visual order, no controls.
            span.append(" " + visual_line(text[row.start:row.end], options, 16))
            ballot = Text()
            for name, made in row.ballot():
                ballot.append(clean(name, 8))
                ballot.append("✓ " if made else "✗ ", style="green" if made else "red")
            ballot.append(f"{round(row.share * 100)}%", style=style)
            if row.decision == "gold":
                decided = Text("✓", style="bold green")
            elif row.decision == "rejected":
                decided = Text("✗", style="bold red")
            else:
                decided = Text("·", style="dim")
            table.add_row(decided, state, span, ballot, key=str(index))
        self.refresh_title()
        self._follow_caret()

    def open_rows(self) -> list[VoteRow]:
        """Spans gold has still to decide on that are not unanimous."""
        return [row for row in self.rows if row.decision is None and row.state != UNANIMOUS]

    def _open_starts(self) -> list[int]:
        return sorted({row.start for row in self.open_rows()})

    def refresh_title(self) -> None:
        pane = self.pane
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" review → {clean(self.gold, 16)} ", style="bold reverse")
        names = ", ".join(clean(name, 16) for name in self.annotators) or "nobody has annotated this article"
        line.append(f" votes of {names}")
        open_count = len(self.open_rows())
        unanimous = sum(1 for row in self.rows if row.decision is None and row.state == UNANIMOUS)
        line.append(" │ ")
        line.append(f"{open_count} to decide", style="bold red" if open_count else "bold green")
        if unanimous:
            line.append(f" · {unanimous} unanimous open (=)")
        status = getattr(pane, "status", "todo")
        line.append(" │ ")
        line.append("adjudicated" if status == "done" else "not adjudicated yet (M)",
                    style="bold green" if status == "done" else "")
        self.query_one(ReviewTitle).update(line)

    def _follow_caret(self) -> None:
        """Put the table's cursor on the row of the span under the caret."""
        caret = self.pane.view.caret
        for index, row in enumerate(self.rows):
            if row.start <= caret < row.end:
                table = self.query_one(DataTable)
                if table.row_count > index:
                    table.move_cursor(row=index, animate=False)
                return

    def show_status(self) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        outcome = self.last_outcome
        row = self._row_at_caret()
        if row is not None:
            line.append(f" {row.glyph} ", style=STATE_STYLES[row.state])
            line.append(clean(row.label, 12), style="bold")
            for name, made in row.ballot():
                line.append(f" {clean(name, 12)}")
                line.append("✓" if made else "✗", style="green" if made else "red")
            line.append(f"  {round(row.share * 100)}%")
        from tui.ui.write_status import writes_segment

        line.append_text(writes_segment(getattr(self.tui, "writer", None), failure=self.failure, last=outcome,
                                        quitting=getattr(self.tui, "_quit_requested", False)))
        if outcome is not None:
            line.append(" │ ")
            if outcome.saved:
                line.append("✓ ", style="bold green")
                line.append(outcome.message)
            elif outcome.changed:
                line.append("✗ " + outcome.message, style="bold red reverse")
            else:
                line.append(outcome.message, style="italic")
        self.query_one(ReviewStatus).update(line)

    def _row_at_caret(self) -> VoteRow | None:
        caret = self.pane.view.caret
        found = [row for row in self.rows if row.start <= caret < row.end]
        return min(found, key=lambda r: r.end - r.start) if found else None

    @on(ArticlePane.Changed)
    def _changed(self, event: ArticlePane.Changed) -> None:
        event.stop()
        if event.outcome is not None:
            from tui.ui.write_status import still_failing

            self.failure = still_failing(self.failure, event.outcome)
            self.last_outcome = event.outcome
            if event.outcome.changed and not event.outcome.saved:
                self.notify(event.outcome.message, title="Not saved", severity="error", timeout=10)
            elif not event.outcome.changed:
                self.app.bell()
        if self.is_mounted and self.pane.document is not None:
            self.refresh_votes()
        self.show_status()

    @on(DocumentView.CaretMoved)
    def _caret_moved(self) -> None:
        self._follow_caret()
        self.show_status()

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        index = int(str(event.row_key.value))
        if 0 <= index < len(self.rows):
            self.pane.view.move_caret_to(self.rows[index].start)
            self.pane.view.focus()

    # -- actions ---------------------------------------------------------------------------

    def action_next_open(self, step: int) -> None:
        starts = self._open_starts()
        if not starts:
            self.last_outcome = nothing("nothing left to decide here (= accepts the unanimous ones)")
            self.app.bell()
            return self.show_status()
        caret = self.pane.view.caret
        ahead = [s for s in starts if s > caret] if step > 0 else [s for s in starts if s < caret]
        target = (ahead[0] if step > 0 else ahead[-1]) if ahead else (starts[0] if step > 0 else starts[-1])
        self.pane.view.move_caret_to(target)
        self.pane.view.focus()

    def _candidates_where(self, keep: Callable[[VoteRow], bool]) -> list[Candidate]:
        rows = {row.key: row for row in self.rows}
        return [c for c in self.pane.candidates if c.key in rows and keep(rows[c.key])]

    def action_accept_unanimous(self) -> None:
        chosen = self._candidates_where(lambda row: row.state == UNANIMOUS)
        self._accept_batch(chosen, "unanimous")

    def action_take_annotator(self) -> None:
        from tui.ui.screens.sources import SourcesScreen

        def picked(names: list[str] | None) -> None:
            if names:
                chosen = self._candidates_where(lambda row: any(name in row.voters for name in names))
                self._accept_batch(chosen, "of " + ", ".join(clean(n, 16) for n in names))
            self.pane.view.focus()

        self.app.push_screen(SourcesScreen(list(self.annotators), [], title="Take every open span of — space "
                                           "ticks an annotator, enter takes their spans into gold"), picked)

    def _accept_batch(self, chosen: list[Any], what: str) -> None:
        """Take these candidates into gold in one transaction, through the app's writer thread: the
        status line says "… saving" until it is committed (tui.ui.pane_writes)."""
        if not chosen:
            return self.pane.report(nothing(f"no open spans {what} to accept"))
        from tui.ui import pane_writes

        gold = clean(self.gold, 16)
        pane_writes.submit(
            self.pane, f"accept {len(chosen)} {what} into {gold}",
            lambda s: s.accept_candidates(
                chosen, lambda n: f"{n} span{'s' if n != 1 else ''} {what} into {gold}; u undoes them all",
                f"accept {what}"),
            key=("accept_batch", self.doc_id, what))

    def action_adjudicated(self) -> None:
        self.pane.action_status("done")

    def action_leave(self) -> None:
        if len(self.app.screen_stack) > 1 and not self._is_root():
            self.app.pop_screen()
        else:
            self.app.exit()

    def _is_root(self) -> bool:
        from tui.ui.screens.main import MainScreen

        return not any(isinstance(screen, MainScreen) for screen in self.app.screen_stack)

    def action_help(self) -> None:
        from tui.ui.bindings import live_actions
        from tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(live_actions(self, self.app.get_key_display)))
