"""Document statuses (todo, in_progress, done, skipped) per annotator, and the reads of an
annotator's way through the corpus. Mixed into `Store` as `StatusMethods`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.store.dbapi import Connection
from tui.store.parts import StorePart
from tui.store import progress as progress_queries
from tui.store.connection import utc_now
from tui.store.errors import StoreError, check_annotator
from tui.store.history import record_event
from tui.store.models import STATUSES
from tui.store.progress import Progress

class StatusMethods(StorePart):
    """The status part of `Store` (mixed in)."""

    if TYPE_CHECKING:
        def _text(self, c: Connection, doc_id: str) -> str: ...

    def set_status(self, doc_id: str, annotator: str, status: str) -> None:
        """Record `annotator`'s progress on a document: todo, in_progress, done or skipped."""
        check_annotator(annotator)
        if status not in STATUSES:
            raise StoreError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}.")

        def action(c: Connection) -> None:
            self._text(c, doc_id)  # the document must exist
            row = c.execute(
                "SELECT status FROM document_status WHERE document_id = ? AND annotator = ?", (doc_id, annotator)
            ).fetchone()
            previous = "todo" if row is None else row[0]
            if previous != status or row is None:
                write_status(c, doc_id, annotator, status, previous, utc_now())

        self._write(action)

    def status(self, doc_id: str, annotator: str) -> str:
        row = self._read(
            lambda c: c.execute(
                "SELECT status FROM document_status WHERE document_id = ? AND annotator = ?", (doc_id, annotator)
            ).fetchone()
        )
        return "todo" if row is None else row[0]

    def progress(self, annotator: str) -> Progress:
        """How far `annotator` is: documents done, skipped, in progress, and in all."""
        return self._read(lambda c: progress_queries.progress(c, annotator))

    def next_todo(self, annotator: str, after: str | None = None) -> str | None:
        """The next article (after `after`, wrapping round) not yet done or skipped by `annotator`."""
        return self._read(lambda c: progress_queries.next_todo(c, annotator, after))

    def annotators(self) -> list[str]:
        """Everyone with a span or a status in this database, sorted."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT annotator FROM spans GROUP BY annotator UNION SELECT annotator FROM document_status "
                "ORDER BY 1"
            ).fetchall()
        )
        return [r[0] for r in rows]


def write_status(c: Connection, doc_id: str, annotator: str, status: str, previous: str, now: str) -> None:
    c.execute(
        "INSERT INTO document_status (document_id, annotator, status, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (document_id, annotator) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
        (doc_id, annotator, status, now),
    )
    record_event(c, "status", doc_id, annotator, None, {"status": previous}, {"status": status}, now=now)


def mark_in_progress(c: Connection, doc_id: str, annotator: str, now: str) -> None:
    """A 'todo' document (or one with no status yet) becomes 'in_progress': `annotator` just made or
    accepted a span in it. Inside the caller's transaction."""
    current = c.execute(
        "SELECT status FROM document_status WHERE document_id = ? AND annotator = ?", (doc_id, annotator)
    ).fetchone()
    if current is None or current[0] == "todo":
        write_status(c, doc_id, annotator, "in_progress", "todo", now)
