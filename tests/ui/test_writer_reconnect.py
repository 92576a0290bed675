"""The writer thread when the connection to a database server goes away (tui.ui.writer): the
jobs stay pending (never reported saved, never failed), the writer says why in one line, opens
its store again with backoff, and then runs them in order, each once. Backend-free: a fake
server whose connections can be cut; the real thing on PostgreSQL is in tests/reliability."""

from __future__ import annotations

import asyncio
import itertools
import threading

import pytest

from tui.ui.writer import Writer, WriterStopped

pytestmark = pytest.mark.anyio


class Lost(Exception):
    connection_lost = True


class FakeServer:
    """Committed rows; connections opened while `up`; `cut()` breaks every open connection."""

    def __init__(self) -> None:
        self.rows: list[str] = []
        self.up = threading.Event()
        self.up.set()
        self.generation = 0
        self.opened = 0

    def open(self) -> FakeStore:
        if not self.up.is_set():
            raise Lost("the server at /tmp/socket is not answering")
        self.opened += 1
        return FakeStore(self, self.generation)

    def cut(self) -> None:
        self.up.clear()
        self.generation += 1


class FakeStore:
    def __init__(self, server: FakeServer, generation: int) -> None:
        self.server, self.generation = server, generation
        self.keep_waiting = None

    def insert(self, row: str) -> str:
        if self.generation != self.server.generation:
            raise Lost("server closed the connection unexpectedly")
        self.server.rows.append(row)
        return row

    def close(self) -> None:
        pass


async def _until(predicate, timeout: float = 20.0) -> None:
    for _ in range(int(timeout / 0.01)):
        if predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached")


async def test_jobs_cut_off_wait_for_the_server_and_are_then_saved_in_order_once_each():
    server = FakeServer()
    changes: list[str | None] = []
    writer = Writer(server.open)
    writer.on_change = lambda: changes.append(writer.disconnected)
    writer.reconnect_delays = lambda: itertools.repeat(0.01)
    results = []
    writer.submit(lambda s: s.insert("a"), "a", results.append)
    await _until(lambda: len(results) == 1)
    server.cut()
    for name in "bcd":
        writer.submit(lambda s, name=name: s.insert(name), name, results.append)
    await _until(lambda: writer.disconnected is not None)
    await asyncio.sleep(0.1)  # the writer keeps trying while the server is down
    assert [r.value for r in results] == ["a"]  # nothing after the cut is reported, saved or failed
    assert [job.description for job in writer.pending] == ["b", "c", "d"]
    assert "connection to the database lost" in writer.disconnected and "\n" not in writer.disconnected
    server.up.set()
    await _until(lambda: len(results) == 4)
    writer.close()
    assert [r.value for r in results] == ["a", "b", "c", "d"] and all(r.ok for r in results)
    assert server.rows == ["a", "b", "c", "d"]  # in order, each once
    assert writer.disconnected is None and writer.reconnects == 1 and writer.pending == []
    assert any(c is not None for c in changes) and changes[-1] is None  # the screen heard both


async def test_quitting_while_disconnected_leaves_the_jobs_unsaved_and_says_which():
    server = FakeServer()
    writer = Writer(server.open)
    writer.reconnect_delays = lambda: itertools.repeat(0.01)
    results = []
    writer.submit(lambda s: s.insert("a"), "a", results.append)
    await _until(lambda: len(results) == 1)
    server.cut()
    writer.submit(lambda s: s.insert("b"), "entity “b”", results.append)
    await _until(lambda: writer.disconnected is not None)
    writer.cancel()
    await _until(lambda: len(results) == 2)
    writer.close()
    assert not results[1].ok and isinstance(results[1].error, WriterStopped)
    assert writer.not_saved == ["entity “b”"] and server.rows == ["a"]


async def test_a_job_the_store_says_committed_before_the_loss_is_not_run_again():
    server = FakeServer()

    class Knows(FakeStore):
        def insert(self, row: str) -> str:
            if row == "b" and "b" not in server.rows:
                server.rows.append(row)  # the commit reached the server, its answer did not
                server.cut()
                raise Lost("server closed the connection unexpectedly")
            return super().insert(row)

        def committed_before_loss(self, exc: BaseException) -> bool:
            return "b" in server.rows

    def open_store():
        store = server.open()
        return Knows(server, store.generation)

    writer = Writer(open_store)
    writer.reconnect_delays = lambda: itertools.repeat(0.01)
    results = []
    for name in "abc":
        writer.submit(lambda s, name=name: s.insert(name), name, results.append)
    await _until(lambda: writer.disconnected is not None)
    server.up.set()
    await _until(lambda: len(results) == 3)
    writer.close()
    assert server.rows == ["a", "b", "c"] and all(r.ok for r in results)
