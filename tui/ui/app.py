"""The annotation app: wiring of store, settings, screens; `run_app` (tui.ui.run) is what the CLI calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

import gc
from functools import partial
from pathlib import Path
from typing import Any, cast

from textual import events
from textual.app import App
from textual.binding import Binding

from tui.safe_text import safe_text
from tui.ui import start_checks, toasts
from tui.ui.config import BIDI_MODES, MAX_PANES
from tui.ui.display import layout_options
from tui.ui.screens.main import MainScreen
from tui.store.target import PostgresTarget
from tui.ui.run import run_app
from tui.ui.session_state import default_documents, restored_documents
from tui.ui.span_styles import label_styles_from_labels

if TYPE_CHECKING:
    from tui.store.store import Store


def _actions_provider() -> type:
    """The palette's provider, imported when the palette first opens (not at start-up)."""
    from tui.ui.commands import ActionsProvider

    return ActionsProvider


class AnnotatorApp(App[int], inherit_bindings=False):
    """Side-by-side article panes for one annotator, every action committed to the store.

    Textual's default ctrl+q quit is not inherited: terminals with flow control swallow it,
    so quitting is `q` (remappable) and the palette's "quit"."""

    CSS_PATH = "app.tcss"
    NOTIFICATION_TIMEOUT = toasts.ROUTINE  # a routine toast covers the key bar's right end: short-lived
    TITLE = "tui"
    COMMANDS = {_actions_provider}
    BINDINGS = [
        Binding("ctrl+p", "command_palette", "commands", show=False, priority=True, id="command_palette",
                tooltip="Search every action by name"),
        Binding("colon", "command_palette", "commands", show=False, id="command_palette_alt",
                tooltip="Search every action by name"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self,
        store: Store,
        *,
        annotator: str,
        panes: int = 2,
        bidi: str = "app",
        shaping: bool = True,
        keymap: dict[str, str] | None = None,
        documents: list[str | None] | None = None,
        candidates: list[str] | tuple[str, ...] = (),
        as_annotators: list[str] | tuple[str, ...] = (),
        **app_options: Any,
    ) -> None:
        super().__init__(**app_options)
        if bidi not in BIDI_MODES:
            raise ValueError(f"bidi must be one of {BIDI_MODES}, not {bidi!r}")
        self.store = store
        self.annotator = annotator
        self.pane_count = max(1, min(MAX_PANES, panes))
        self.bidi = bidi
        self.shaping = shaping
        self.show_others = False
        self.candidate_sources: list[str] = [c for c in dict.fromkeys(candidates) if c and c != annotator]
        self.as_annotators: list[str] = list(as_annotators)  # pane i shows as_annotators[i]'s spans
        self.gold = "gold"  # the reserved annotator the review screen writes as (config: gold = "...")
        self.review: tuple[str, list[str]] | None = None  # open the review of (doc id, annotators) at start
        self.user_keymap = dict(keymap or {})
        self.documents = documents
        self.snap = "word"  # config `snap`: tagging snaps selections to whole words, or "char"
        self.after_done = "ask"  # config `after_done`: m then opens the next to-do article?
        self.start_notices: list[str] = []  # shown once the main screen is up (first-run import, keymap)
        self.start_warnings: set[str] = set()  # those of them that are warnings (their toasts stay longer)
        from tui.ui.writer import Writer

        self.writer = Writer(self._open_writer_store, on_change=self._writes_changed, on_submit=self._track_write,
                             path=getattr(store, "path", None))
        """Every annotation action is written by this one ordered writer thread (tui.ui.writer)."""
        from tui.ui.search_index import BackgroundIndexer

        self.search_index = BackgroundIndexer(self)
        """Builds what a big import left of the search index, chunk by chunk, through the writer."""
        self.unsaved_at_exit: list[str] = []  # actions given up on by quitting twice while pending
        self._quit_requested = False
        self._told_lost = False  # a toast said the database connection was lost (tui.ui.writer)

    def get_default_screen(self) -> MainScreen:
        # The main screen is the app's first screen, not pushed over Textual's empty default one:
        # pushing a second screen at start-up cost ~0.1 s before the first frame (BENCHMARKS.md).
        labels = self.store.labels()
        saved = None if self.documents is not None else self._saved_session()
        if self.documents is not None:
            documents = list(self.documents)
        else:
            documents = default_documents(self.store, self.pane_count)
            if saved is not None:
                documents = restored_documents(saved.documents, documents, self._document_exists)
        documents = (list(documents) + [None] * self.pane_count)[: self.pane_count]
        screen = MainScreen(documents, labels, label_styles_from_labels(labels))
        if saved is not None:
            screen.restore(saved.active, saved.carets)
        return screen

    # -- where this annotator left off (tui.ui.session_state) -------------------------------

    def _session_key(self) -> Path | PostgresTarget | None:
        path = getattr(self.store, "path", None)
        if path is None or isinstance(path, PostgresTarget):
            return path
        return Path(path)

    def _saved_session(self) -> Any:
        db = self._session_key()
        if db is None:
            return None
        from tui.ui import session_state

        return session_state.load(db, self.annotator)

    def _document_exists(self, doc_id: str) -> bool:
        try:
            return bool(self.store.has_document(doc_id))
        except Exception:  # the database cannot be read: start on the defaults
            return False

    def remember_session(self) -> None:
        """Save the panes' articles, the active pane and the carets (best effort, never raises)."""
        db, main = self._session_key(), self.main_screen()
        if db is None or main is None or not main.is_mounted:
            return
        from tui.ui import session_state

        try:
            state = main.session_state()
        except Exception:  # the screen is being torn down: keep what was saved last
            return
        session_state.save(db, self.annotator, state)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self.remember_session()
        self.writer.close(timeout=0)  # the thread ends after what is queued (run_app waits for it)
        super().exit(*args, **kwargs)

    def on_unmount(self) -> None:
        self.writer.close(timeout=0)

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(start_checks.checked_keymap(self, self.user_keymap))
        start_checks.warn_about_labels(self)
        # The threads after the first frame: started before it, they cost the UI thread ~3 ms (thread
        # start-up, then the GIL) and the first paint waits for nothing they find.
        self.call_after_refresh(self._after_first_frame)
        from tui.terminal import current_session
        from tui.ui.compat import around_suspend

        session = current_session()
        if session is not None:  # undo our terminal setup while suspended (ctrl+z, SIGTSTP), redo it after
            around_suspend(self, after_suspend=session.suspend, before_resume=session.resume)
        if self.review is not None:
            self.open_review(*self.review)

    def _after_first_frame(self) -> None:
        """Once the first frame is drawn: the garbage collector back on (run_app turns it off for
        the start), then PRAGMA quick_check (tui.ui.start_checks) and the search index's lag
        (tui.ui.search_index), each in a worker thread."""
        gc.enable()
        self.run_worker(partial(start_checks.check_database, self), thread=True, group="quick_check",
                        exit_on_error=False)
        self.search_index.start()

    def open_review(self, doc_id: str, annotators: list[str] | None = None) -> None:
        """Push the review (adjudication) screen for `doc_id`, writing as the gold annotator."""
        from tui.ui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(doc_id, self.gold, annotators or None))

    def database_damaged(self, message: str) -> None:
        """Stop writing and say so, prominently and until the app quits."""
        self.writer.mark_damaged(message)
        self.notify(safe_text(message, 400), title="Database damaged: nothing more is saved",
                    severity="error", timeout=3600, markup=False)

    # -- the writer thread (tui.ui.writer) ---------------------------------------------------

    def _open_writer_store(self) -> Store:
        """The writer's own store: another connection to the same file (in the writer thread).
        A store object may provide `writer_store()` (tests inject faults that way); one without
        a path (an in-memory fake) is shared, as it is thread-safe."""
        opener = getattr(self.store, "writer_store", None)
        if callable(opener):
            return opener()
        another = getattr(self.store, "another_connection", None)
        if not callable(another):
            return self.store
        from tui.ui.writer import WRITER_BUSY_TIMEOUT_MS

        # Never Store.open here: its header check opens and closes the file with Python, which
        # would drop this process's SQLite locks on it (see Store.another_connection).
        return another(busy_timeout_ms=WRITER_BUSY_TIMEOUT_MS)

    def _track_write(self, job: Any) -> None:
        from tui.ui.writer import WriteTracker

        main = self.main_screen()
        if job.finished is None:
            return
        top = self.screen_stack[-1] if self.screen_stack else None
        for screen in dict.fromkeys(s for s in (main, top) if s is not None):  # a review screen on top
            for tracker in screen.query(WriteTracker):
                tracker.post_message(WriteTracker.Wait(job.finished))

    def _writes_changed(self) -> None:
        main = self.main_screen()
        if main is not None and main.is_mounted:
            main.show_status()
        top = self.screen_stack[-1] if self.screen_stack else None
        show = getattr(top, "show_status", None) if top is not None and top is not main else None
        if top is not None and top.is_mounted and callable(show):
            show()  # the review screen's status line says "… saving" too
        self._tell_connection()
        if self._quit_requested and not self.writer.pending:
            self.exit()

    def _tell_connection(self) -> None:
        """A lost connection to the database server: one toast when it goes, one when it is back
        (the status line says it meanwhile). The writer's line never holds the password."""
        lost = getattr(self.writer, "disconnected", None)
        if lost and not self._told_lost:
            self._told_lost = True
            self.notify(safe_text(lost, 300), title="Actions NOT saved yet: reconnecting to the database",
                        severity="error", timeout=30, markup=False)
        elif not lost and self._told_lost:
            self._told_lost = False
            self.notify("reconnected to the database: the waiting actions are being saved, in order",
                        timeout=toasts.ROUTINE, markup=False)

    async def action_quit(self) -> None:
        """Quit; with actions still waiting to be written, say so and wait for them (quit again
        to leave them unsaved: they were never shown as saved, and are listed when tui exits)."""
        pending = self.writer.pending
        if not pending:
            self.exit()
            return
        if self._quit_requested:
            self.writer.cancel()
            self.unsaved_at_exit = [job.description for job in pending]  # may still commit: see run_app
            self.exit()
            return
        self._quit_requested = True
        main = self.main_screen()
        if main is not None:
            main.show_status()

    # -- shared state ----------------------------------------------------------------------

    def action_command_palette(self) -> None:
        """Textual's command palette, with a field that draws typed Arabic/Hebrew in visual order."""
        from textual.command import CommandPalette

        from tui.ui.text_input import TuiCommandPalette

        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(TuiCommandPalette(id="--command-palette"))

    def options_for(self, direction: str | None) -> Any:
        return layout_options(self.bidi, self.shaping, direction)

    def main_screen(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def active_pane(self) -> Any:
        main = self.main_screen()
        return main.active_pane() if main is not None else None

    def set_display(self, *, bidi: str | None = None, shaping: bool | None = None) -> None:
        """Switch the display mode at runtime (command palette, `b`, `J`)."""
        if bidi is not None and bidi != self.bidi:
            self.bidi = bidi
            _tell_terminal(bidi, self)
        if shaping is not None:
            self.shaping = shaping
        main = self.main_screen()
        if main is not None:
            for pane in main.panes:
                pane.apply_display_mode()
            main.show_status()

    # -- modal screens ---------------------------------------------------------------------

    def open_picker(self, pane: Any) -> None:
        from tui.ui.screens.picker import PickerScreen

        current = pane.document.id if pane.document is not None else None

        def chosen(doc_id: str | None) -> None:
            if doc_id is not None:
                pane.open_document(doc_id)
            pane.view.focus()

        self.push_screen(PickerScreen(self.store, self.annotator, self.bidi, self.shaping, current), chosen)

    def open_search(self, pane: Any) -> None:
        from tui.ui.screens.search import SearchBar

        origin = pane.view.caret

        def done(query: str | None) -> None:
            if query is None:
                pane.clear_search()
                pane.view.move_caret_to(origin, select=pane.view.visual_mode)

        self.screen.query_one(SearchBar).start(lambda query: pane.set_search(query, origin), done)

    def _open_search_bar(self) -> Any:
        from tui.ui.screens.search import SearchBar

        main = self.main_screen()
        if main is None or self.screen is not main:
            return None
        bar = main.query_one(SearchBar)
        return bar if bar.active else None

    async def on_key(self, event: events.Key) -> None:
        # Keys reach here in typing order, after the focused view passed them on; while the
        # search line is open they are its input, not bindings. (Textual then calls App's own key
        # handler, which runs the bindings, unless we prevent_default.)
        bar = self._open_search_bar()
        if bar is not None and bar.take_key(event):
            event.prevent_default()
            event.stop()
            main = self.main_screen()
            if main is not None:  # the match count (and which match the caret is on)
                self.call_later(main.show_status)
            return
        # After this key's binding has run (App's handler, next in the MRO), refresh the status
        # line: visual mode can toggle without the caret moving.
        main = self.main_screen()
        if main is not None:
            if event.key == "escape" and self.screen is main:
                main.dismiss_failure()  # a failed save on the status line has been seen
            self.call_later(main.show_status)

    def on_paste(self, event: events.Paste) -> None:
        bar = self._open_search_bar()
        if bar is not None and bar.handle_paste(event):
            event.stop()


def _tell_terminal(bidi: str, app: App[int]) -> None:
    from tui.terminal import apply_mode
    from tui.ui.compat import driver_writer

    apply_mode(bidi, write=driver_writer(app))


__all__ = ["AnnotatorApp", "default_documents", "restored_documents", "run_app"]
