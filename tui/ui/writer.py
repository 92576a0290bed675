"""The app's one ordered writer: every annotation action is written by a worker thread with its
own database connection, so the screen never waits for the database.

    job = app.writer.submit(work, "entity “Hà Nội”", done)

- `work(store)` runs in the writer thread against the writer's own `Store` (same file, another
  connection) and returns a value or raises; jobs run one at a time, in the order submitted.
- `done(result)` runs afterwards on the UI thread (the app's event loop) with a `WriteResult`:
  `result.ok` only when `work` returned, i.e. its transaction committed.
- While a job waits for a lock another process holds, the writer keeps retrying it (nothing
  is dropped, nothing reordered); `job.waited` says for how long, and `on_change` runs on the
  UI thread whenever the queue or the wait changes, so the status line can say so.
- A damaged database (SQLITE_CORRUPT, or a failed `PRAGMA quick_check`: `mark_damaged`) stops
  all writing: every later job fails at once with the reason, nothing is written into the file.
- A lost connection to a database server (PostgreSQL: the server restarted, the backend was
  terminated, the network went away: `tui.store.changes.is_connection_lost`) is not a failure of
  the job: the job stays pending, `disconnected` says why in one line (no password: the store's
  message), the writer opens its store again with backoff (`reconnect_delays`) and then runs the
  job again, then the rest, in order. A job whose transaction did not commit is run once more; one
  the store reports as committed before the loss (`store.committed_before_loss(exc)`, when the
  backend can tell) is reported saved, not run twice.

The screen shows submitted jobs as pending ("… saving") until their `done` ran; it never says
"saved" for a job whose result is not `ok`. On quit with jobs pending the app says so and
waits (`pending`), or, asked twice, leaves them unsaved (`cancel`) and says which.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual.message import Message
from textual.widget import Widget

if TYPE_CHECKING:
    from tui.store.store import Store

T = TypeVar("T")

WRITER_BUSY_TIMEOUT_MS = 250
"""The writer connection's busy timeout: short, so it can report how long it has waited
(Store.keep_waiting is asked after each round of twice this)."""


class WriterStopped(Exception):
    """The job was never run: the app quit (or gave up waiting) before its turn."""


class DatabaseDamaged(Exception):
    """The job was not run: the database is known to be damaged."""


@dataclass(eq=False)
class WriteJob(Generic[T]):
    """One submitted write: what it is, when it was submitted / started, how long it waited."""

    id: int
    description: str
    work: Callable[[Store], T]
    done: Callable[[WriteResult[T]], None] | None
    key: object = None
    submitted: float = field(default_factory=time.monotonic)
    started: float | None = None
    waited: float = 0.0  # seconds spent waiting for another process's lock so far
    finished: asyncio.Future[None] | None = None  # resolved on the UI thread once done() ran
    background: bool = False  # the app's own upkeep (the search index): no one's action, see submit


@dataclass(frozen=True)
class WriteResult(Generic[T]):
    job: WriteJob[T]
    value: T | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        """True only when the job's work returned (its transaction committed)."""
        return self.error is None


def is_corrupt(exc: BaseException) -> bool:
    """SQLITE_CORRUPT / SQLITE_NOTADB, raw or as the StoreError the store made of it."""
    for error in (exc, exc.__cause__):
        if isinstance(error, sqlite3.DatabaseError):
            code = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
            if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in str(error).lower():
                return True
    return False


class Writer:
    """A worker thread running write jobs in order against its own store (see the module docstring).

    `open_store()` is called in the writer thread and returns the store to write with (its own
    connection). `on_change()` is called on the UI thread after every change of the queue."""

    def __init__(self, open_store: Callable[[], Store], *, on_change: Callable[[], None] | None = None,
                 on_submit: Callable[[WriteJob[Any]], None] | None = None, path: object = None) -> None:
        self._open_store = open_store
        self.on_change = on_change
        self.on_submit = on_submit
        self.path = path
        self._queue: queue.SimpleQueue[WriteJob[Any] | None] = queue.SimpleQueue()
        self._pending: list[WriteJob[Any]] = []  # submitted, done() not yet run; UI thread only
        self._ids = itertools.count(1)
        self._current: WriteJob[Any] | None = None
        self._cancelled = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._store: Store | None = None  # the writer thread's store (opened again after a lost connection)
        self._last_wait_report = 0.0
        self.damaged: str | None = None  # why nothing more is written, once the file is known damaged
        self.disconnected: str | None = None  # the lost connection's one line, while reconnecting
        self.reconnects = 0  # times the writer's store was opened again after a lost connection
        self.reconnect_delays: Callable[[], Iterator[float]] = _default_delays
        self.on_reconnect: Callable[[], None] | None = None  # UI thread, after each reconnect
        self.not_saved: list[str] = []  # after cancel(): the jobs that did not commit (read after close())

    # -- UI thread -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the thread; call from the running event loop (results are delivered to it)."""
        if self._thread is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._run, name="tui-writer", daemon=True)
        self._thread.start()

    def submit(self, work: Callable[[Store], T], description: str,
               done: Callable[[WriteResult[T]], None] | None = None, *, key: object = None,
               background: bool = False) -> WriteJob[T]:
        """Queue `work` (run in the writer thread with its store); `done` runs on the UI thread.

        A `background` job (the search index, tui.ui.search_index) is nobody's action: it is not
        `pending` (the status line does not say "saving" for it, quitting does not wait for it,
        tests' write trackers do not wait on it) and, given up on at quit, is not listed unsaved.
        It is run in order like any job: submitted one at a time, each action queued meanwhile
        goes before the next one."""
        job: WriteJob[T] = WriteJob(next(self._ids), description, work, done, key, background=background)
        if self._thread is None:
            self.start()
        assert self._loop is not None
        job.finished = self._loop.create_future()
        self._queue.put(job)
        if background:
            return job
        self._pending.append(job)
        if self.on_submit is not None:
            self.on_submit(job)
        self._changed()
        return job

    @property
    def pending(self) -> list[WriteJob[Any]]:
        """Jobs submitted and not yet reported, oldest first."""
        return list(self._pending)

    def waiting(self) -> float:
        """How long the oldest pending job has waited for the database so far (0: not waiting)."""
        job = self._current
        return job.waited if job is not None else 0.0

    def mark_damaged(self, reason: str) -> None:
        """Stop writing: every job from now on fails with `reason` (a failed quick_check)."""
        if self.damaged is None:
            self.damaged = reason
        self._changed()

    def cancel(self) -> list[WriteJob[Any]]:
        """Give up on every pending job (quit anyway): none of them is written or reported saved.
        Returns them. A job already inside its transaction still commits or rolls back whole, and
        one whose lock comes free in the meantime may still commit: `not_saved` (after `close()`)
        lists exactly those that did not."""
        self._cancelled.set()
        return self.pending

    def close(self, timeout: float = 5.0) -> None:
        """Stop the thread after the jobs already queued (from any thread, e.g. after the app ran)."""
        if self._thread is None:
            return
        self._queue.put(None)
        self._thread.join(timeout)

    def _changed(self) -> None:
        if self.on_change is not None:
            try:
                self.on_change()
            except Exception:  # noqa: BLE001 - a status refresh never breaks a write
                pass

    def _deliver(self, result: WriteResult[Any]) -> None:
        """On the UI thread: the job is no longer pending; its `done` says what happened."""
        job = result.job
        if job in self._pending:
            self._pending.remove(job)
        try:
            if job.done is not None:
                job.done(result)
        finally:
            if job.finished is not None and not job.finished.done():
                job.finished.set_result(None)
            if not job.background:
                self._changed()

    # -- writer thread ---------------------------------------------------------------------

    def _post(self, callback: Callable[[], None]) -> None:
        loop = self._loop
        if loop is None:
            return
        try:
            loop.call_soon_threadsafe(callback)
        except RuntimeError:  # the event loop is closed: the app has gone
            pass

    def _keep_waiting(self, waited: float) -> bool:
        job = self._current
        if job is not None:
            job.waited = waited
        now = time.monotonic()
        if now - self._last_wait_report >= 0.25:
            self._last_wait_report = now
            self._post(self._changed)
        return not self._cancelled.is_set()

    def _run(self) -> None:
        open_error: BaseException | None = None
        try:
            self._store = self._open_store()
            self._store.keep_waiting = self._keep_waiting
        except BaseException as exc:  # noqa: BLE001 - every job reports it
            open_error = exc
        try:
            while True:
                job = self._queue.get()
                if job is None:
                    return
                result = self._execute(job, self._store, open_error)
                if self._store is not None:
                    open_error = None  # reopened after a lost connection
                self._post(functools.partial(self._deliver, result))
        finally:
            close_quietly(self._store)

    def _execute(self, job: WriteJob[Any], store: Store | None, open_error: BaseException | None) -> WriteResult[Any]:
        result = self._execute_one(job, store, open_error)
        # (A job may return an unsaved outcome instead of raising: annotation sessions do.)
        if self._cancelled.is_set() and not job.background and (
                not result.ok or getattr(result.value, "saved", True) is False):
            self.not_saved.append(job.description)
        return result

    def _execute_one(self, job: WriteJob[Any], store: Store | None, open_error: BaseException | None) -> WriteResult[Any]:
        while True:
            result, lost = self._attempt(job, self._store if self._store is not None else store, open_error)
            if lost is None:
                return result
            # The connection went away: the job is not failed, it waits for the server.
            if not self._reconnect(lost):
                return WriteResult(job, error=WriterStopped("the app quit before it was written"))
            open_error = None
            if _committed_before_loss(self._store, lost):  # it did commit: report it saved (its value is re-read by the screen)
                return WriteResult(job, value=_committed_value(result))

    def _attempt(self, job: WriteJob[Any], store: Store | None,
                 open_error: BaseException | None) -> tuple[WriteResult[Any], BaseException | None]:
        """Run the job once: its result, and the error when the connection was lost meanwhile."""
        if self._cancelled.is_set():
            return WriteResult(job, error=WriterStopped("the app quit before it was written")), None
        if open_error is not None:
            if is_connection_lost(open_error):
                return WriteResult(job, error=open_error), open_error
            return WriteResult(job, error=open_error), None
        if self.damaged is not None:
            return WriteResult(job, error=DatabaseDamaged(self.damaged)), None
        self._current = job
        job.started = job.started or time.monotonic()
        if store is not None and hasattr(store, "last_write_error"):
            store.last_write_error = None
        assert store is not None, "no store and no open_error"  # _run keeps the error when opening failed
        try:
            value = job.work(store)
        except BaseException as exc:  # noqa: BLE001 - reported to the UI, never lost
            if is_connection_lost(exc):
                return WriteResult(job, error=exc), exc
            self._check_damage(exc)
            return WriteResult(job, error=exc), None
        finally:
            self._current = None
        # Sessions turn store errors into an unsaved Outcome: the store keeps the last one.
        last = getattr(store, "last_write_error", None)
        if is_connection_lost(last):
            return WriteResult(job, value=value), last
        self._check_damage(last)
        return WriteResult(job, value=value), None

    def _reconnect(self, lost: BaseException) -> bool:
        """Close the broken store and open it again, with backoff, until it works or the app
        gives up (quit twice). Meanwhile `disconnected` says why; pending jobs stay pending."""
        self.disconnected = connection_line(lost)
        self._post(self._changed)
        broken, self._store = self._store, None
        close_quietly(broken)
        for delay in self.reconnect_delays():
            if self._cancelled.wait(delay):
                return False
            try:
                store = self._open_store()
                store.keep_waiting = self._keep_waiting
            except BaseException as exc:  # noqa: BLE001 - still away: try again later
                line = connection_line(exc)
                if line != self.disconnected:
                    self.disconnected = line
                    self._post(self._changed)
                continue
            self._store = store
            self.reconnects += 1
            self.disconnected = None
            if self.on_reconnect is not None:
                self._post(self.on_reconnect)
            self._post(self._changed)
            return True
        return False  # pragma: no cover - the delays never run out

    def _check_damage(self, exc: BaseException | None) -> None:
        if exc is not None and is_corrupt(exc) and self.damaged is None:
            self.damaged = damaged_message(self.path, str(exc))


def _default_delays() -> Iterator[float]:
    from tui.store.changes import backoff_delays

    return backoff_delays()


def is_connection_lost(exc: BaseException | None) -> bool:
    from tui.store.changes import is_connection_lost as lost

    return lost(exc)


def close_quietly(store: Store | None) -> None:
    from tui.store.changes import close_quietly as close

    close(store)


def connection_line(exc: BaseException) -> str:
    """The one line the screen shows for a lost connection (the store's words: no password)."""
    from tui.safe_text import safe_text

    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return safe_text(f"connection to the database lost: {first}", 200)


def _committed_before_loss(store: Store | None, exc: BaseException) -> bool:
    """Did the transaction that was cut off commit after all? Only a backend that can tell
    (`committed_before_loss`) says yes; otherwise the job had not committed (the statement or the
    COMMIT itself failed before the server answered: PostgreSQL rolls such a transaction back)."""
    ask = getattr(store, "committed_before_loss", None)
    if not callable(ask):
        return False
    try:
        return bool(ask(exc))
    except Exception:  # noqa: BLE001 - cannot tell: run it again (the store refuses an exact duplicate)
        return False


def _committed_value(result: WriteResult[Any]) -> Any:
    value = result.value
    if value is not None and getattr(value, "saved", None) is False:
        from dataclasses import replace

        try:
            return replace(value, saved=True, message="saved (before the connection was lost)")
        except TypeError:
            return value
    return value


def damaged_message(path: object, detail: str) -> str:
    """The one line shown when the database file is damaged (as the store words it)."""
    from pathlib import Path

    from tui.store.connection import damaged_error

    return str(damaged_error(Path(str(path)), detail or "quick_check failed"))


class WriteTracker(Widget):
    """An invisible widget whose message queue waits for each submitted write to be reported.

    Anything that waits for the screen to have processed its messages (Textual's Pilot in the
    tests, `App.run_test`) then sees every write's outcome; keys and repaints are never held
    up: only this widget's own queue waits."""

    DEFAULT_CSS = "WriteTracker { display: none; }"

    class Wait(Message):
        def __init__(self, finished: asyncio.Future[None]) -> None:
            super().__init__()
            self.finished = finished

    async def on_write_tracker_wait(self, message: WriteTracker.Wait) -> None:
        await message.finished
