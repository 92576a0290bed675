"""The app's writer thread (tui.ui.writer) and what the screen says about writes."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from tui.store import Store
from tui.ui.annotation import Outcome
from tui.ui.write_status import still_failing
from tui.ui.writer import Writer

pytestmark = pytest.mark.anyio


async def test_jobs_run_in_order_on_the_writer_thread_and_report_on_the_loop(seeded_db: Path):
    import threading

    main_thread = threading.get_ident()
    ran: list[tuple[int, bool]] = []
    reported: list[int] = []
    with Store.open(seeded_db) as store:
        writer = Writer(lambda: store.another_connection())
        done = asyncio.Event()
        for n in range(20):
            writer.submit(lambda s, n=n: ran.append((n, threading.get_ident() != main_thread)) or n, f"job {n}",
                          lambda result: (reported.append(result.value), len(reported) == 20 and done.set()))
        assert len(writer.pending) >= 1
        await asyncio.wait_for(done.wait(), 10)
        writer.close()
    assert [n for n, _ in ran] == list(range(20)) and all(other for _, other in ran)
    assert reported == list(range(20)) and writer.pending == []


async def test_a_failing_job_is_reported_not_ok_and_the_next_one_still_runs(seeded_db: Path):
    results = []
    with Store.open(seeded_db) as store:
        writer = Writer(lambda: store.another_connection())
        finished = asyncio.Event()

        def boom(s):
            raise sqlite3.OperationalError("database or disk is full")

        writer.submit(boom, "boom", results.append)
        writer.submit(lambda s: "fine", "fine", lambda r: (results.append(r), finished.set()))
        await asyncio.wait_for(finished.wait(), 10)
        writer.close()
    assert not results[0].ok and "disk is full" in str(results[0].error)
    assert results[1].ok and results[1].value == "fine"


def test_a_failure_stays_until_the_same_action_succeeds():
    failed = Outcome(False, "NOT saved (entity): locked", key=("tag", 1))
    other = Outcome(True, "saved: claim", key=("tag", 2))
    same = Outcome(True, "saved: entity", key=("tag", 1))
    assert still_failing(None, failed) is failed
    assert still_failing(failed, other) is failed  # another action's success does not hide it
    assert still_failing(failed, Outcome(False, "nothing here", changed=False)) is failed
    assert still_failing(failed, same) is None


async def test_quit_with_a_pending_write_waits_and_quit_again_leaves_it_unsaved(seeded_db: Path):
    from tui.ui.app import AnnotatorApp

    with Store.open(seeded_db, busy_timeout_ms=300) as store:
        app = AnnotatorApp(store, annotator="alice", panes=1)
        async with app.run_test(size=(160, 30)):
            holder = sqlite3.connect(seeded_db, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                app.simulate_key("e")
                for _ in range(50):
                    await asyncio.sleep(0.05)
                    if app.writer.pending:
                        break
                assert app.writer.pending
                app.simulate_key("q")
                await asyncio.sleep(0.3)
                assert app.is_running  # waits for the pending save
                status = str(app.main_screen().query_one("#status").render())
                assert "quitting once" in status and "q again" in status
                app.simulate_key("q")
                for _ in range(50):
                    await asyncio.sleep(0.05)
                    if not app.is_running:
                        break
                assert not app.is_running
                app.writer.close()  # as run_app does; the lock is still held
            finally:
                holder.execute("ROLLBACK")
                holder.close()
        assert app.writer.not_saved and "entity" in app.writer.not_saved[0]
    with Store.open(seeded_db) as store:
        assert not [s for d in store.list_documents() for s in store.spans(d.id, annotator="alice")]
