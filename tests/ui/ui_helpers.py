"""Helpers for app-level tests (imported by the test modules of tests/ui)."""

from __future__ import annotations

import sqlite3

from tui.store import Store


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
