"""Helpers for app-level tests (imported by the test modules of tests/ui)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from tests.support import word_range
from tui.store import Store


def one_article_db(request: pytest.FixtureRequest, tmp_path: Path, text: str, *, title: str, language: str,
                   direction: str, work: Mapping[str, Sequence[tuple[str, str]]],
                   status: str | None = None) -> tuple[Path | str, str]:
    """A database holding one article and each annotator's spans in it ((label, word): the first
    occurrence of the word), each annotator's `status` set after their spans; (where, document id).
    A SQLite file in tmp_path, or — when the test asks for `backend` (tests/conftest.py) — the
    `store_target` of each backend."""
    path = tmp_path / "team.db"
    if "backend" in request.fixturenames:
        path = request.getfixturevalue("store_target")
    with Store.open(path) as store:
        doc, _ = store.add_document(text, title=title, language=language, direction=direction)
        for name, spans in work.items():
            for label, word in spans:
                store.add_span(doc, name, label, *word_range(text, word))
            if status is not None:
                store.set_status(doc, name, status)
    return path, doc


PUTIN_VI = "Putin"
PUTIN_AR = "بوتين"

REVIEW_TEXT = "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta."
REVIEW_WORK = {
    "alice": [("entity", "Alpha"), ("entity", "Gamma Delta"), ("date", "Theta"), ("claim", "Zeta")],
    "bob": [("entity", "Alpha"), ("entity", "Gamma"), ("date", "Theta")],
    "carol": [("entity", "Alpha"), ("entity", "Gamma Delta"), ("date", "Theta"), ("entity", "Eta")],
}
"""three annotators' finished work on REVIEW_TEXT, for the review (adjudication) tests"""


def status_line(app) -> str:
    """The main screen's status line, as shown."""
    return str(app.main_screen().query_one("#status").render())


def gold_of(store: Store, doc: str) -> list[tuple[str, str]]:
    return sorted((s.label, s.text) for s in store.spans(doc, "gold"))


async def tag_found(pilot, query: str, *extra: str) -> None:
    """Search for `query` (n/N then move between matches), tag the word under the caret as an entity."""
    await pilot.press("slash", *query, "enter", *extra, "escape", "e")
    await pilot.pause()


async def tag_both_putins(pilot) -> None:
    """In the seed articles' two panes: Tab, tag بوتين in the Arabic one, Tab, tag Putin in the
    Vietnamese one (where the caret stays)."""
    await pilot.press("tab")
    await tag_found(pilot, PUTIN_AR)
    await pilot.press("tab")
    await tag_found(pilot, PUTIN_VI)


async def search(pilot, query: str) -> None:
    """`/`, type the query, enter: the caret lands on the first match after it."""
    await pilot.press("slash")
    await pilot.press(*query)
    await pilot.press("enter")
    await pilot.pause()


class FailingStore:
    """A real store whose span writes fail on demand, as a full disk or a lock would."""

    WRITES = ("add_span", "delete_span", "relabel_span", "resize_span", "undo", "redo", "set_status")

    READS = ("spans", "status", "get_document", "neighbour_document", "list_documents", "count_documents")

    def __init__(self, store: Store, flags: dict[str, bool] | None = None) -> None:
        self._store = store
        self._flags = flags if flags is not None else {"failing": False, "failing_reads": False}

    @property
    def failing(self) -> bool:
        return self._flags["failing"]

    @failing.setter
    def failing(self, value: bool) -> None:
        self._flags["failing"] = value

    @property
    def failing_reads(self) -> bool:
        return self._flags["failing_reads"]

    @failing_reads.setter
    def failing_reads(self, value: bool) -> None:
        self._flags["failing_reads"] = value

    def writer_store(self) -> FailingStore:
        """The app's writer thread writes through its own connection, failing on the same switch."""
        return FailingStore(self._store.another_connection(), self._flags)

    def __getattr__(self, name: str):
        attr = getattr(self._store, name)
        if name in self.READS:
            def read(*args, **kwargs):
                if self.failing_reads:
                    raise sqlite3.OperationalError("database is locked")
                return attr(*args, **kwargs)
            return read
        if name in self.WRITES:
            def write(*args, **kwargs):
                if self.failing:
                    raise sqlite3.OperationalError("database or disk is full")
                return attr(*args, **kwargs)
            return write
        return attr


async def picker_settled(pilot, limit: float = 30.0) -> None:
    """Wait until the picker has applied the typed filter and read its rows (they are read in a
    thread worker, off the UI loop)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    await pilot.pause()
    while getattr(pilot.app.screen, "busy", False):
        assert loop.time() < deadline, "the picker never finished reading its rows"
        await pilot.pause(0.02)
    await pilot.pause()


async def until(pilot, check, message: str = "never happened", limit: float = 30.0) -> None:
    """Pause until `check()` holds (a deadline, not a speed assertion: a loaded machine is slower)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not check():
        assert loop.time() < deadline, message
        await pilot.pause(0.02)


async def scroll_settled(pilot, view, limit: float = 30.0) -> int:
    """Pause until `view` stops scrolling (its offset the same over a few frames); the offset."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    seen, same = view.scroll_offset.y, 0
    while same < 5:
        assert loop.time() < deadline, "the view never stopped scrolling"
        await pilot.pause(0.02)
        now = view.scroll_offset.y
        same, seen = (same + 1, seen) if now == seen else (0, now)
    return int(seen)
