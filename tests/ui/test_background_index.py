"""After a big import the app builds the search index in the background, through its writer: the
annotator's actions go between its chunks, the panes are not reloaded for its commits, and the
picker says how far it is, then finds everything once it is done."""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from tests.store.fts_index import articles, instances, trigger_built
from tests.ui.ui_helpers import picker_settled, until
from tui.store import Store
from tui.store import search
from tui.ui import search_index
from tui.ui.app import AnnotatorApp
from tui.ui.screens.picker import PickerScreen

pytestmark = pytest.mark.anyio


def _unindexed(path: Path, n: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "IMPORT_INDEX_LIMIT", 0)
    with Store.open(path) as store:
        with store.bulk_import() as batch:
            batch.add_documents(articles(n))
        assert store.search_index_progress() == (0, n)


class Gate:
    """Holds each chunk of the background indexer until let through; records the threads it ran on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.permits = threading.Semaphore(0)
        self.done = 0  # chunks committed
        self.threads: set[str] = set()
        self.spans_before: list[int] = []  # spans stored when each chunk began
        real = search_index.index_chunk

        def gated(store):
            self.threads.add(threading.current_thread().name)
            self.spans_before.append(store.connection.execute("SELECT count(*) FROM spans").fetchone()[0])
            assert self.permits.acquire(timeout=30)
            try:
                return real(store)
            finally:
                self.done += 1

        monkeypatch.setattr(search_index, "index_chunk", gated)
        monkeypatch.setattr(search_index, "INDEX_CHUNK", 10)

    def let(self, chunks: int = 1000) -> None:
        self.permits.release(chunks)


async def _until(pilot, check, limit: float = 30.0) -> None:
    await until(pilot, check, limit=limit)


@asynccontextmanager
async def indexing(tmp_path: Path, n: int, monkeypatch: pytest.MonkeyPatch):
    """An app opened on `n` unindexed articles, its background indexer started and held by a Gate:
    yields (store, app, pilot, gate)."""
    db = tmp_path / "a.db"
    _unindexed(db, n, monkeypatch)
    gate = Gate(monkeypatch)
    with Store.open(db) as store:
        app = AnnotatorApp(store, annotator="alice", panes=1)
        async with app.run_test(size=(110, 30)) as pilot:
            await _until(pilot, lambda: app.search_index.running)
            yield store, app, pilot, gate


def _count_line(picker: PickerScreen) -> str:
    return str(picker.query_one("#picker-count").render())


async def test_the_app_indexes_in_the_background_and_the_picker_shows_it(tmp_path: Path, monkeypatch):
    db = tmp_path / "a.db"
    _unindexed(db, 60, monkeypatch)
    gate = Gate(monkeypatch)
    with Store.open(db) as store:
        app = AnnotatorApp(store, annotator="alice", panes=1)
        async with app.run_test(size=(110, 30)) as pilot:
            indexer = app.search_index
            await _until(pilot, lambda: indexer.running)
            assert app.writer.pending == []  # nobody's action: the status line says nothing of it
            await pilot.press("o")
            picker = app.screen
            assert isinstance(picker, PickerScreen)
            await pilot.press(*"minsk")
            await picker_settled(pilot)
            assert _count_line(picker) == "0 articles · search index 0 of 60 (indexing…)"  # not indexed yet
            gate.let()
            await _until(pilot, lambda: not indexer.running)
            await picker_settled(pilot)
            assert indexer.progress == (60, 60)
            assert picker.total == 30 and _count_line(picker) == "30 articles"  # searched again, all found
            assert gate.threads == {"tui-writer"}  # every chunk on the writer thread
        held = instances(store.connection)
        assert held == trigger_built(store, tmp_path)


async def test_a_complete_index_is_not_counted_when_the_app_opens(tmp_path: Path, monkeypatch):
    """Opening a fully indexed database asks one cheap question (is any document past the index?)
    and never counts the documents (a full scan of the listing, held under the store's lock while
    the first screen is read): no note, nothing to index."""
    db = tmp_path / "a.db"
    with Store.open(db) as store:
        with store.bulk_import() as batch:
            batch.add_documents(articles(12))
        counted: list[int] = []
        real = Store.search_index_progress
        monkeypatch.setattr(Store, "search_index_progress", lambda self: counted.append(1) or real(self))
        asked: list[bool] = []
        lags = Store.search_index_lags
        monkeypatch.setattr(Store, "search_index_lags", lambda self: asked.append(lags(self)) or asked[-1])
        app = AnnotatorApp(store, annotator="alice", panes=1)
        async with app.run_test(size=(110, 30)) as pilot:
            await _until(pilot, lambda: asked)
            await pilot.pause(0.2)
            assert asked == [False] and counted == []
            assert app.search_index.progress is None and not app.search_index.running


async def test_titles_are_found_while_the_text_is_not_indexed(tmp_path: Path, monkeypatch):
    async with indexing(tmp_path, 20, monkeypatch) as (store, app, pilot, gate):
        await pilot.press("o")
        await pilot.press(*"tin 12")
        await picker_settled(pilot)
        assert app.screen.total == 1
        assert _count_line(app.screen) == "1 articles · search index 0 of 20 (indexing…)"
        gate.let()
        await _until(pilot, lambda: not app.search_index.running)


async def test_an_action_goes_between_two_chunks(tmp_path: Path, monkeypatch):
    async with indexing(tmp_path, 60, monkeypatch) as (store, app, pilot, gate):

        def open_once_queued() -> None:  # (the key press below returns once the action is saved)
            for _ in range(3000):
                if app.writer.pending:
                    break
                threading.Event().wait(0.01)
            gate.let()

        threading.Thread(target=open_once_queued, daemon=True).start()
        await pilot.press("e")  # tag the first word while the first chunk holds the writer
        await _until(pilot, lambda: not app.writer.pending)
        doc = app.active_pane().document
        assert len(store.spans(doc.id, annotator="alice")) == 1
        await _until(pilot, lambda: not app.search_index.running)
        assert gate.spans_before == [0, 1, 1, 1, 1, 1]  # saved right after the chunk it waited for


async def test_the_index_commits_do_not_reload_the_panes_and_others_still_do(tmp_path: Path, monkeypatch):
    async with indexing(tmp_path, 40, monkeypatch) as (store, app, pilot, gate):
        main = app.main_screen()
        reloads: list[int] = []
        original = main.reload_all
        monkeypatch.setattr(main, "reload_all", lambda: (reloads.append(1), original()))

        async def poll() -> None:
            main.poll_database()
            await _until(pilot, lambda: not main._polling)

        for chunk in range(1, 5):
            gate.let(1)
            await _until(pilot, lambda: gate.done == chunk and app.search_index.chunks == chunk)
            await poll()
        assert not app.search_index.running and app.search_index.progress == (40, 40)
        await poll()
        assert reloads == []  # four commits of the index: no reload
        with Store.open(tmp_path / "a.db") as other:  # another annotator tags the article shown
            other.add_span(app.active_pane().document.id, "bob", "entity", 0, 3)
        await poll()
        assert reloads == [1]
