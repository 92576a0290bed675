"""Other annotators' changes on screen: LISTEN where the backend notifies, else the 2 s poll.

`start(screen)` is called once the main screen is mounted. When the store's backend can notify
(`tui.store.changes.change_feed`: PostgreSQL), a daemon thread waits on the feed (its own
connection; the screen never waits for it) and hands each batch of changes to the UI thread,
which reloads the panes showing those articles, at once. Otherwise (SQLite) it returns False
and the screen keeps its `PRAGMA data_version` poll exactly as before.

The feed reconnects by itself (backoff) when the server goes away; while it is away the status
line says live updates are paused, and once it is back every pane is reloaded (the notices sent
meanwhile are gone).
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, Any

from rich.text import Text

from tui.safe_text import safe_text

if TYPE_CHECKING:
    from tui.store.changes import ChangeFeed, Changes
    from tui.store.store import Store
    from tui.ui.search_index import BackgroundIndexer
    from tui.ui.screens.main import MainScreen

WAIT_SECONDS = 1.0
"""How long one wait on the feed lasts before the thread checks whether it should stop."""


class ChangeListener:
    """The listening thread of one main screen (see the module docstring)."""

    def __init__(self, screen: MainScreen, feed: ChangeFeed) -> None:
        self.screen = screen
        self.feed = feed
        self.loop = asyncio.get_running_loop()
        self.stopped = threading.Event()
        self.problem: str | None = None  # shown on the status line while the feed is away
        self.batches = 0  # changes handed to the screen so far (tests wait on it)
        self.thread = threading.Thread(target=self._run, name="tui-listen", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.feed.close()

    def _run(self) -> None:
        while not self.stopped.is_set():
            try:
                changes = self.feed.wait(WAIT_SECONDS)
            except Exception as exc:  # noqa: BLE001 - never let the thread die: poll-less is worse
                self._post_problem(f"live updates paused: {type(exc).__name__}")
                self.stopped.wait(WAIT_SECONDS)
                continue
            if self.stopped.is_set():
                return
            problem = self.feed.problem
            if problem != self.problem:
                self._post_problem(problem)
            if changes is not None:
                self._post(changes)

    def _post(self, changes: Changes) -> None:
        try:
            self.loop.call_soon_threadsafe(self._deliver, changes)
        except RuntimeError:  # the event loop is closed: the app has gone
            self.stopped.set()

    def _post_problem(self, problem: str | None) -> None:
        self.problem = problem
        try:
            self.loop.call_soon_threadsafe(self._show_problem)
        except RuntimeError:
            self.stopped.set()

    def _show_problem(self) -> None:
        if self.screen.is_mounted:
            self.screen.show_status()

    def _deliver(self, changes: Changes) -> None:
        """On the UI thread: reload what changed."""
        if self.stopped.is_set() or not self.screen.is_mounted:
            return
        self.batches += 1
        apply_changes(self.screen, changes)
        top = self.screen.app.screen  # a screen over the main one (the review) follows too
        hook = getattr(top, "changes_elsewhere", None) if top is not self.screen else None
        if callable(hook):
            hook()


def apply_changes(screen: MainScreen, changes: Changes) -> None:
    """Reload the panes whose article another connection changed (every pane for `everything`)."""
    if changes.everything:
        screen.reload_all()
        return
    touched = [pane for pane in screen.panes if pane.document is not None and changes.touches(pane.document.id)]
    screen.refresh_progress()
    for pane in touched:
        try:
            pane.reload_spans()
        except Exception as exc:  # noqa: BLE001 - keep the old picture, say why it may be stale
            from tui.ui.annotation import Outcome

            screen.last_outcome = Outcome(saved=False, message=f"could not reload: {exc}", changed=False)
            screen.show_status()
    if touched:
        screen.update_partners()


def start(screen: MainScreen) -> ChangeListener | None:
    """Listen for other connections' commits when the backend can notify; None: poll instead."""
    store = screen.tui.store
    make = getattr(store, "change_feed", None)
    if callable(make):  # the Store (None on SQLite): tui.store.changes is then not imported at start (~1 ms)
        feed = make()
    else:
        from tui.store.changes import change_feed

        feed = change_feed(store)
    if feed is None:
        return None
    listener = ChangeListener(screen, feed)
    listener.start()
    return listener


class QuietIndexCommits:
    """The background indexer's chunks (tui.ui.search_index) are commits of another connection (the
    writer's): each moves `PRAGMA data_version`, and the poll would reload every pane every 2 s for
    as long as indexing lasts. While the indexer runs (or committed since the last poll), a moved
    data_version reloads only when the store's `annotation_stamp` moved too: a chunk changes
    nothing it covers. (A change it cannot see, made by another program while the index is being
    built, such as a row edited in place with the sqlite3 shell, is shown at the next change it can.)"""

    def __init__(self, store: Store, indexer: BackgroundIndexer | None) -> None:
        self.store, self.indexer = store, indexer
        self.chunks = getattr(indexer, "chunks", 0)
        self.stamp = self._read()

    def _read(self) -> Any:
        stamp = getattr(self.store, "annotation_stamp", None)
        try:
            return stamp() if callable(stamp) else None
        except Exception:  # noqa: BLE001 - unreadable now: reload as before
            return None

    def only_the_index(self) -> bool:
        """In the poll's thread, data_version having moved: were the commits only the index's?"""
        chunks = getattr(self.indexer, "chunks", 0)
        indexing = bool(getattr(self.indexer, "running", False)) or chunks != self.chunks
        self.chunks = chunks
        stamp = self._read()
        quiet = indexing and stamp is not None and stamp == self.stamp
        self.stamp = stamp
        return quiet


def status_segment(listener: ChangeListener | None) -> Text:
    """What the status line says about live updates (nothing while they work)."""
    line = Text()
    if listener is not None and listener.problem:
        line.append(" │ ")
        line.append("live updates paused: " + safe_text(listener.problem, 60), style="yellow")
    return line
