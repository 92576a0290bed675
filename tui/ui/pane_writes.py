"""A pane's annotation actions on their way through the app's writer (tui.ui.writer).

`submit(pane, description, work, ...)` answers the key at once: the action is queued to the
writer thread, its span is drawn *pending* (`SpanMark.pending`) and the status line says
"… saving"; when the writer reports, the pane redraws from the database and reports the
outcome (`✓ saved` only for a committed transaction). `work(session)` runs in the writer
thread with a `DocumentSession` on the writer's own store.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tui.safe_text import safe_text
from tui.ui.annotation import DocumentSession, Outcome, quote
from tui.ui.span_marks import SpanMark

if TYPE_CHECKING:
    from tui.store.models import Span
    from tui.store.store import Store
    from tui.ui.pane_base import PaneBase
    from tui.ui.writer import WriteResult

PENDING_ID_BASE = -1_000_000_000
"""Marks of spans that do not exist yet (a pending tag) get ids below this: never a real span id
(those are positive) nor a candidate's (small negative numbers)."""


class PendingMarks:
    """Pending writes' marks on one pane: job id -> the mark drawn until the writer reports; and
    the pane's jobs in flight, with the span actions waiting for them (see `after_writes`)."""

    def __init__(self) -> None:
        self.marks: dict[int, SpanMark] = {}
        self.jobs = 0  # this pane's writes not yet reported
        self.deferred: list[Callable[[], None]] = []  # span actions pressed meanwhile, in order

    def add(self, job_id: int, mark: SpanMark) -> None:
        self.marks[job_id] = mark

    def discard(self, job_id: int) -> None:
        self.marks.pop(job_id, None)

    def clear(self) -> None:
        """Another article opened: its pending marks and waiting span actions no longer apply
        (the writes themselves still run and are reported)."""
        self.marks.clear()
        self.deferred.clear()

    def run_deferred(self) -> None:
        """Run the span actions that waited, in order, while no write of this pane is in flight."""
        while self.deferred and not self.jobs:
            self.deferred.pop(0)()


    def merged(self, marks: list[SpanMark]) -> list[SpanMark]:
        """`marks` from the database with every pending mark drawn over them: a pending mark
        with a span's id replaces it (relabel, resize, delete), one with a new id is added."""
        if not self.marks:
            return marks
        by_id = {mark.id: mark for mark in self.marks.values()}
        merged = [by_id.pop(mark.id, mark) for mark in marks]
        merged.extend(by_id.values())
        return merged


def after_writes(method: Callable[..., None]) -> Callable[..., None]:
    """For pane actions that act on a span (delete, relabel, resize, link...): pressed while the
    pane's earlier writes are still in flight (`e` then `x` at once), the action waits for them,
    so it sees the span the `e` made. Keys stay answered: only this action waits, in order."""

    @functools.wraps(method)
    def wrapper(pane: Any, *args: Any) -> None:
        pending: PendingMarks = pane.pending_marks
        if pending.jobs or pending.deferred:
            pending.deferred.append(lambda: method(pane, *args))
            return
        method(pane, *args)

    return wrapper


def new_span_mark(job_id: int, start: int, end: int, label: str) -> SpanMark:
    return SpanMark(PENDING_ID_BASE - job_id, start, end, label, pending=True)


def existing_span_mark(span: Span, **changes: Any) -> SpanMark:
    mark = SpanMark(span.id, span.start, span.end, span.label, pending=True)
    return replace(mark, **changes) if changes else mark


def failure_outcome(description: str, error: BaseException | None, excerpt: str = "") -> Outcome:
    """A job that raised (or never ran) as the status line's `✗ NOT saved (…): reason`."""
    reason = safe_text(str(error) if error is not None else "unknown error", 300)
    return Outcome(saved=False, message=f"NOT saved ({description}): {reason}", excerpt=quote(excerpt))


def submit(pane: PaneBase, description: str, work: Callable[[DocumentSession], Outcome], *,
           mark: Callable[[int], SpanMark] | None = None, key: object = None, excerpt: str = "",
           then: Callable[[Outcome], None] | None = None) -> None:
    """Queue `work` for the writer thread; show it pending; report its outcome when written.

    `mark(job_id)` makes the pending mark; `key` names the action (a failure stays on the status
    line until the same action succeeds); `then(outcome)` runs on the UI thread before the pane
    redraws (caret moves and the like), only while the pane still shows the same document."""
    session = pane.session
    if session is None:
        return
    doc_id, annotator, text, read_only = session.doc_id, session.annotator, session.text, session.read_only
    writer = getattr(pane.tui, "writer", None)
    if writer is None:  # an app without a writer thread (embedding, tests of the pane alone)
        outcome = replace(work(session), key=key)
        if then is not None:
            then(outcome)
        pane.report(outcome)
        return

    def run(store: Store) -> Outcome:
        return work(DocumentSession(store, doc_id, annotator, text, read_only=read_only))

    def done(result: WriteResult[Outcome]) -> None:
        pane.pending_marks.discard(result.job.id)
        pane.pending_marks.jobs -= 1
        try:
            _report(result)
        finally:
            pane.pending_marks.run_deferred()

    def _report(result: WriteResult[Outcome]) -> None:
        if result.ok and isinstance(result.value, Outcome):
            outcome = result.value
        else:
            outcome = failure_outcome(description, result.error, excerpt)
        outcome = replace(outcome, key=key)
        showing = pane.session is not None and pane.session.doc_id == doc_id
        if showing and then is not None:
            then(outcome)
        if showing:
            pane.report(outcome)
        else:  # another article is open here now: only the status line hears of it
            pane.post_message(pane.Changed(pane, outcome))

    job = writer.submit(run, description, done, key=key)
    pane.pending_marks.jobs += 1
    if mark is not None:
        pane.pending_marks.add(job.id, mark(job.id))
        pane.view.set_spans(pane.pending_marks.merged(pane.drawn_marks))
