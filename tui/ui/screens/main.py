"""The main screen: article panes side by side, a status line and the key bar.

Below MIN_PANE_WIDTH columns per pane it shows fewer panes (down to one) and Tab switches
between them; the title bars say which pane of how many is on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import DescendantFocus, Resize
from textual.screen import Screen

from tui.safe_text import safe_text
from tui.vocabulary import BIDI_MODES
from tui.ui import toasts
from tui.ui.annotation import Outcome
from tui.ui.document_view import DocumentView
from tui.ui.keybar import KeyBar
from tui.ui.panes import ArticlePane
from tui.ui.screens.main_links import LINK_BINDINGS, LinkingMixin
from tui.ui import refresh, suggestions
from tui.ui.screens import main_status
from tui.ui.screens.main_status import StatusLine
from tui.ui.screens.search import SearchBar
from tui.ui.write_status import still_failing
from tui.ui.writer import WriteTracker

if TYPE_CHECKING:
    from tui.store.models import Label
    from tui.ui.app import AnnotatorApp

MIN_PANE_WIDTH = 50
POLL_SECONDS = 2.0


class MainScreen(LinkingMixin, Screen[None]):
    AUTO_FOCUS = None  # the active pane's view is focused in on_mount (not the first pane's)
    BINDINGS = [*LINK_BINDINGS,
        Binding("tab", "cycle_pane(1)", "pane", show=True, id="next_pane",
                tooltip="Move to the next article pane"),
        Binding("shift+tab", "cycle_pane(-1)", "previous pane", show=False, id="previous_pane",
                tooltip="Move to the previous article pane"),
        Binding("t", "toggle_others", "others", show=False, id="toggle_others",
                tooltip="Show or hide other annotators' spans (read-only, dimmed)"),
        Binding("C", "choose_sources", "candidates", show=False, id="choose_candidate_sources",
                tooltip="Choose whose spans are offered to you as candidates (a accept, X reject)"),
        Binding("R", "review", "review", show=False, id="review_article",
                tooltip="Review this article: every annotator's spans with their votes, adjudicated into gold"),
        Binding("S", "choose_suggestions", "suggestions", show=False, id="choose_suggestions",
                tooltip="Turn suggestion sources on or off: dates, names already tagged, patterns, model"),
        Binding("asterisk", "accept_same_text", "accept this text", show=False, key_display="*",
                id="accept_same_text",
                tooltip="Accept every candidate with the text and label of the one under the caret"),
        Binding("B", "cycle_bidi", "bidi mode", show=False, id="cycle_bidi",
                tooltip="Cycle the bidi display mode: app → terminal → off"),
        Binding("J", "toggle_shaping", "shaping", show=False, id="toggle_shaping",
                tooltip="Turn Arabic letter joining on or off"),
        Binding("question_mark", "help", "help", key_display="?", id="help", tooltip="List every key"),
        Binding("q", "app.quit", "quit", id="quit", tooltip="Quit (everything is already saved)"),
    ]

    def __init__(self, documents: list[str | None], labels: list[Label], label_styles: dict) -> None:
        super().__init__()
        self.documents = documents
        self.labels = labels
        self.label_styles = label_styles
        self.active = 0
        self.window_start = 0
        self.last_outcome: Outcome | None = None
        self.failure: Outcome | None = None  # a failed write, shown until seen or the same action succeeds
        self._polling = False
        self.outcome_document: str | None = None  # the article the last outcome was about
        self.progress: Any = None  # tui.store.progress.Progress of this annotator
        self.last_options: Any = None
        self._version: int | None = None
        self._quiet: refresh.QuietIndexCommits | None = None  # the search index's commits (tui.ui.refresh)
        self._restored_carets: dict[str, int] = {}
        self.listener: refresh.ChangeListener | None = None
        self._panes: list[ArticlePane] = []  # composed once, never added or removed: see panes

    @property
    def tui(self) -> AnnotatorApp:
        return self.app  # type: ignore[return-value]

    @property
    def panes(self) -> list[ArticlePane]:
        # Asked for all the time (status line, titles, every key): one DOM query per screen, once
        # they are all mounted, not one each time (14 queries before the first frame: ~2 ms).
        if len(self._panes) != len(self.documents):
            self._panes = list(self.query(ArticlePane))
        return list(self._panes)

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            for index, _ in enumerate(self.documents):
                options = self.tui.options_for(None)
                yield ArticlePane(index, self.labels, self.label_styles, options, id=f"pane-{index}")
        yield SearchBar(id="search-bar")
        yield StatusLine(id="status")
        yield KeyBar(id="keys")
        yield WriteTracker()

    def restore(self, active: int, carets: dict[str, int]) -> None:
        """Before mounting: start on pane `active`, with these carets (article id -> offset)."""
        self.active = active if 0 <= active < len(self.documents) else 0
        self._restored_carets = dict(carets)

    def session_state(self) -> Any:
        """Where this annotator is: each pane's article, the active pane, the carets."""
        from tui.ui.session_state import SessionState

        carets: dict[str, int] = {}
        for pane in self.panes:
            carets.update(pane.carets())
        return SessionState([pane.document.id if pane.document is not None else None for pane in self.panes],
                            self.active, carets)

    def on_mount(self) -> None:
        self.refresh_progress(titles=False)  # before the articles open: each title is drawn once, with it
        for pane, doc_id in zip(self.panes, self.documents):
            pane.remember_carets(self._restored_carets)
            if doc_id is not None:
                pane.open_document(doc_id)  # draws the title
            if doc_id is None or pane.document is None:  # none, or it could not be opened
                pane.refresh_title()
        self.arrange_panes()
        self.set_focus(self.panes[self.active].view)
        # Textual's auto focus (the first focusable widget) and the panes' new display states
        # settle after this: focus the active pane's view again once they have (a session
        # restored on pane 2 at 80 columns was otherwise left with no focus: dead keys).
        self.call_after_refresh(self._focus_active)
        # PostgreSQL tells us of other connections' commits at once (tui.ui.refresh); SQLite is polled.
        self.listener = refresh.start(self)
        if self.listener is None:
            self._version = self._data_version()
            self._quiet = refresh.QuietIndexCommits(self.tui.store, getattr(self.tui, "search_index", None))
            self.set_interval(POLL_SECONDS, self.poll_database)
        self.update_partners()
        self.show_start_notices()

    def refresh_progress(self, *, titles: bool = True) -> None:
        """This annotator's done / total, in the status line and the pane titles (redrawn unless
        `titles` is False: the caller draws them)."""
        try:
            progress = self.tui.store.progress(self.tui.annotator)
        except Exception:  # a locked database: keep the last figure
            return
        self.progress = progress
        note = f"{progress.done}/{progress.total} done"
        for pane in self.panes:
            if pane.progress_note != note:
                pane.progress_note = note
                if titles:
                    pane.refresh_title()

    def show_start_notices(self) -> None:
        """First-run import, keymap problems: on the status line and as a toast, once each."""
        notices = getattr(self.tui, "start_notices", [])
        if notices:
            self.last_outcome = Outcome(saved=False, message=" · ".join(notices), changed=False)
            warnings: set[str] = getattr(self.tui, "start_warnings", set())
            for notice in notices:  # routine ones go after a few seconds (tui.ui.toasts)
                severity: Literal["information", "warning"] = "warning" if notice in warnings else "information"
                self.notify(safe_text(notice, 300), severity=severity, timeout=toasts.timeout_for(severity),
                            markup=False)
            notices.clear()
        self.show_status()

    def _focus_active(self) -> None:
        view = self.panes[self.active].view
        if self.focused is not view:
            self.set_focus(view)

    # -- layout ----------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self.arrange_panes()

    def visible_count(self) -> int:
        return max(1, min(len(self.documents), self.size.width // MIN_PANE_WIDTH))

    def arrange_panes(self) -> None:
        """Show as many panes as fit, always including the active one."""
        panes = self.panes
        count = len(panes)
        visible = self.visible_count()
        start = min(self.window_start, self.active)
        if self.active >= start + visible:
            start = self.active - visible + 1
        start = max(0, min(start, count - visible))
        self.window_start = start
        for index, pane in enumerate(panes):
            pane.display = start <= index < start + visible
            pane.query_one(".pane-title").set_class(index == self.active, "-active")
            indicator = f"‹{index + 1}/{count}› " if visible < count else ""
            if indicator != pane.indicator:
                pane.indicator = indicator
                pane.refresh_title()

    def action_cycle_pane(self, step: int) -> None:
        self.active = (self.active + step) % len(self.documents)
        self.arrange_panes()
        # Focus now, not at the next idle: the keys typed right after Tab are for this pane
        # (bindings resolve against the focus when each key reaches the App, in typing order).
        self.set_focus(self.panes[self.active].view)

    @on(DescendantFocus)
    def _track_active(self, event: DescendantFocus) -> None:
        for node in event.widget.ancestors_with_self:
            if isinstance(node, ArticlePane):
                if node.index != self.active:
                    self.active = node.index
                    self.arrange_panes()
                return

    def active_pane(self) -> ArticlePane:
        return self.panes[self.active]

    # -- status and outcomes ---------------------------------------------------------------

    @on(ArticlePane.Changed)
    def _pane_changed(self, event: ArticlePane.Changed) -> None:
        outcome = event.outcome
        if outcome is None:  # another article opened in the pane: where we are changed
            self.tui.remember_session()
            suggestions.refresh(self, event.pane)
            document = event.pane.document
            if self.outcome_document is not None and (document is None or document.id != self.outcome_document):
                self.last_outcome = None  # the last message was about the article no longer shown
                self.outcome_document = None
                self.show_status()
            return
        if outcome.changed and event.pane.document is not None:
            # Our own commits do not move data_version: refresh the other panes now (twins of this
            # document, and articles whose links changed with it).
            for pane in self.panes:
                if pane is not event.pane and pane.document is not None:
                    try:
                        pane.reload_spans()
                    except Exception:  # unreadable right now: the poll reloads it later
                        pass
            self.update_partners()
        if outcome.saved:  # a name just tagged is suggested wherever else it occurs
            suggestions.refresh(self, event.pane)
        if outcome.saved and outcome.message.startswith("saved: marked"):
            self.refresh_progress()
        self.failure = still_failing(self.failure, outcome)
        self.last_outcome = outcome
        self.outcome_document = event.pane.document.id if event.pane.document is not None else None
        self.last_options = event.pane.options_for_mode()
        if outcome.changed and not outcome.saved:
            self.notify(safe_text(outcome.message, 300), title="Not saved", severity="error", timeout=10,
                        markup=False)
        elif not outcome.changed:
            self.app.bell()
        self.show_status()

    def show_status(self) -> None:
        """The status line (tui.ui.screens.main_status: what it shows, fitted to the width)."""
        main_status.show(self)

    @on(DocumentView.CaretMoved)
    def _caret_moved(self) -> None:
        self.update_partners()
        self.show_status()

    # -- other annotators and processes ----------------------------------------------------

    def _data_version(self) -> int | None:
        try:
            return self.tui.store.data_version()
        except Exception:  # a locked or vanished database: try again at the next poll
            return None

    def poll_database(self) -> None:
        """Reload spans when another connection (annotator, process, our writer thread) committed.
        The check runs in a worker thread, never on the event loop: the screen does not wait for it."""
        if self._polling:
            return
        self._polling = True
        self.run_worker(self._poll_in_thread, thread=True, group="poll", exit_on_error=False)

    def _poll_in_thread(self) -> None:
        version = self._data_version()
        # the background indexer's commits move data_version too: not a reason to reload (tui.ui.refresh)
        quiet = (version is not None and version != self._version and self._quiet is not None
                 and self._quiet.only_the_index())
        try:
            self.app.call_from_thread(self._polled, version, quiet)
        except RuntimeError:  # the app is gone
            pass

    def _polled(self, version: int | None, quiet: bool = False) -> None:
        self._polling = False
        if version is not None and version != self._version:
            self._version = version
            if not quiet:
                self.reload_all()

    def on_unmount(self) -> None:
        if self.listener is not None:
            self.listener.stop()

    def dismiss_failure(self) -> bool:
        """Escape: the failure shown on the status line has been seen."""
        if self.failure is None:
            return False
        self.failure = None
        self.show_status()
        return True

    def reload_all(self) -> None:
        self.refresh_progress()  # another annotator's session (or process) may have marked articles
        failed = False
        for pane in self.panes:
            try:
                pane.reload_spans()
            except Exception as exc:  # keep the old picture, say why it may be stale
                failed = True
                self.last_outcome = Outcome(saved=False, message=f"could not reload: {exc}", changed=False)
                self.show_status()
        if not failed and self.last_outcome is not None and self.last_outcome.message.startswith("could not reload"):
            self.last_outcome = None  # the database answers again (a reconnect): the warning is stale
            self.show_status()
        self.update_partners()

    # -- application actions ---------------------------------------------------------------

    def action_toggle_others(self) -> None:
        self.tui.show_others = not self.tui.show_others
        self.reload_all()
        self.show_status()

    def action_review(self) -> None:
        pane = self.active_pane()
        if pane.document is None:
            self.last_outcome = Outcome(saved=False, message="no article open to review", changed=False)
            return self.show_status()
        self.tui.open_review(pane.document.id)

    def action_choose_sources(self) -> None:
        from tui.ui.screens.sources import SourcesScreen

        try:
            known = [s for s in self.tui.store.candidate_sources() if s != self.tui.annotator]
            known += [s for s in suggestions.CANDIDATE_SOURCES if s not in known]
        except Exception as exc:
            self.last_outcome = Outcome(saved=False, message=f"could not read the sources: {exc}", changed=False)
            return self.show_status()

        def chosen(sources: list[str] | None) -> None:
            if sources is not None:
                self.tui.candidate_sources = sources
                self.reload_all()
                suggestions.refresh_all(self)
            self.show_status()

        self.app.push_screen(SourcesScreen(known, list(self.tui.candidate_sources)), chosen)

    def action_choose_suggestions(self) -> None:
        suggestions.choose(self)

    def action_accept_same_text(self) -> None:
        if self.panes:
            suggestions.accept_same_text(self.active_pane())

    def action_cycle_bidi(self) -> None:
        modes = BIDI_MODES
        self.tui.set_display(bidi=modes[(modes.index(self.tui.bidi) + 1) % len(modes)])

    def action_toggle_shaping(self) -> None:
        self.tui.set_display(shaping=not self.tui.shaping)

    def action_help(self) -> None:
        from tui.ui.bindings import live_actions
        from tui.ui.screens.help import HelpScreen

        pane = self.active_pane() if self.panes else None
        labels = []
        for index, label in enumerate(self.labels, start=1):
            keys = ", ".join(k for k in (getattr(label, "key", None), str(index) if index <= 9 else None) if k)
            style = pane._legend_style(label.name) if pane is not None else ""
            labels.append((keys, label.name, getattr(label, "description", "") or "", style))
        self.app.push_screen(HelpScreen(live_actions(self, self.app.get_key_display), labels))
