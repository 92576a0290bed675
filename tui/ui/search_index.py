"""The search index, built in the background when the app opens a database whose index lags behind
its documents (a big `tui import` leaves it to be built: tui.store.search).

    indexer = BackgroundIndexer(app)     # app.search_index
    indexer.start()                      # once the main screen is up
    indexer.progress                     # (indexed, documents) as last seen, or None: not known yet
                                         # (or the index was complete when the app opened)
    indexer.running                      # chunks are being indexed
    indexer.listen(callback)             # called on the UI thread after each chunk and at the end

Each chunk (`INDEX_CHUNK` documents, ~50 ms) is one job of the app's writer thread (tui.ui.writer;
every write the screen makes goes through it), submitted one at a time as a `background` job: an
action typed meanwhile is queued before the next chunk, so it waits at most one chunk, and the
status line never says "saving" for the index. Quitting leaves the rest for next time (nothing is
lost: each chunk is its own transaction). The panes are not reloaded for the index's commits
(tui.ui.refresh.QuietIndexCommits); the picker says how far the index is and searches again once it
is complete (tui.ui.screens.picker).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui.store.search import INDEX_CHUNK

if TYPE_CHECKING:
    from textual.app import App

    from tui.store.store import Store


def index_chunk(store: Store) -> tuple[int, int]:
    """The writer job: index the next chunk on the writer's own store."""
    indexed, total = store.index_search_chunk(INDEX_CHUNK)
    return int(indexed), int(total)


class BackgroundIndexer:
    """Builds the rest of the search index through the app's writer (see the module docstring)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.progress: tuple[int, int] | None = None
        self.running = False
        self.problem: str | None = None  # why it stopped before the end (retried at the next start)
        self.chunks = 0  # chunks committed (tui.ui.refresh.QuietIndexCommits)
        self._listeners: list[Callable[[], None]] = []

    @property
    def complete(self) -> bool:
        """True when the index is known to hold every document."""
        return self.progress is not None and self.progress[0] >= self.progress[1]

    def listen(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback` (UI thread) after each chunk and when indexing ends; returns the remover."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def start(self) -> None:
        """Read how far the index is (off the UI loop); when it lags, start indexing."""
        store = getattr(self.app, "store", None)
        if store is None or not callable(getattr(store, "search_index_progress", None)):
            return
        self.app.run_worker(lambda: self._read(store), thread=True, group="search-index", exit_on_error=False)

    def _read(self, store: Store) -> None:
        try:
            if not store.search_index_lags():  # the usual case: nothing to count, nothing to do
                return
            indexed, total = store.search_index_progress()
            progress = (int(indexed), int(total))
        except Exception:  # noqa: BLE001 - unreadable now: the picker still finds titles
            return
        try:
            self.app.call_from_thread(self._begin, progress)
        except RuntimeError:  # the app has gone
            pass

    def _begin(self, progress: tuple[int, int]) -> None:
        self.progress = progress
        if progress[0] < progress[1] and not self.running:
            self.running = True
            self._changed()
            self._submit()

    def _submit(self) -> None:
        writer = getattr(self.app, "writer", None)
        if writer is None or writer.damaged is not None:
            self.running = False
            self._changed()
            return
        writer.submit(index_chunk, "search index", self._done, background=True)

    def _done(self, result: Any) -> None:
        if not result.ok:
            self.running = False
            self.problem = str(result.error)
            self._changed()
            return
        self.progress = result.value
        self.chunks += 1
        if not self.complete:
            self._changed()
            self._submit()
            return
        self.running = False
        self._changed()

    def _changed(self) -> None:
        for callback in list(self._listeners):
            try:
                callback()
            except Exception:  # noqa: BLE001 - a listener never stops the indexing
                pass
