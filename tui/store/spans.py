"""Span writes (add, delete, relabel, resize) and their undo/redo: each one BEGIN IMMEDIATE transaction
that changes the span and appends its event row together. Mixed into `Store` as `SpanMethods`."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from tui.store.dbapi import Connection
from tui.store.parts import StorePart
from tui.store import history
from tui.store.connection import utc_now
from tui.store.errors import StoreError, check_annotator
from tui.store.history import loads, record_event, span_from_row, span_state
from tui.store.links import detach_span_links
from tui.store.models import SPAN_COLUMNS, Event, Span
from tui.store.statuses import mark_in_progress

class SpanMethods(StorePart):
    """The span part of `Store` (mixed in): every write is one committed transaction with its event."""

    if TYPE_CHECKING:
        def _text(self, c: Connection, doc_id: str) -> str: ...

    def spans(self, doc_id: str, annotator: str | None = None) -> list[Span]:
        """Spans of a document (one annotator's, or everyone's), by start then longest first."""
        if annotator is None:
            sql = f'SELECT {SPAN_COLUMNS} FROM spans WHERE document_id = ? ORDER BY start, "end" DESC, label, id'
            params: tuple[str, ...] = (doc_id,)
        else:
            sql = (f"SELECT {SPAN_COLUMNS} FROM spans WHERE document_id = ? AND annotator = ? "
                   'ORDER BY start, "end" DESC, label, id')
            params = (doc_id, annotator)
        return [span_from_row(r) for r in self._read(lambda c: c.execute(sql, params).fetchall())]

    def get_span(self, span_id: int) -> Span | None:
        row = self._read(lambda c: c.execute(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,)).fetchone())
        return None if row is None else span_from_row(row)

    def add_span(self, doc_id: str, annotator: str, label: str, start: int, end: int) -> Span:
        """Save a new span (committed when this returns). A 'todo' document becomes 'in_progress'."""
        check_annotator(annotator)

        def action(c: Connection) -> Span:
            self._check_label(c, label)
            text = self._checked_range(c, doc_id, start, end)
            now = utc_now()
            span = insert_span(c, doc_id, annotator, label, start, end, text, now)
            record_event(c, "add", doc_id, annotator, span.id, None, span_state(span), now=now)
            mark_in_progress(c, doc_id, annotator, now)
            return span

        return self._write(action)

    def delete_span(self, span_id: int, annotator: str) -> Span:
        """Delete a span and its links (kept in the event: undo restores both); returns it as it was."""

        def action(c: Connection) -> Span:
            span = _owned_span(c, span_id, annotator)
            before = span_state(span)
            links = detach_span_links(c, span_id)
            if links and before is not None:
                before["links"] = links
            c.execute("DELETE FROM spans WHERE id = ?", (span_id,))
            record_event(c, "delete", span.document_id, annotator, span.id, before, None)
            return span

        return self._write(action)

    def relabel_span(self, span_id: int, label: str, annotator: str) -> Span:
        """Give a span another label; returns the updated span."""

        def action(c: Connection) -> Span:
            self._check_label(c, label)
            span = _owned_span(c, span_id, annotator)
            if span.label == label:
                return span
            now = utc_now()
            try:
                c.execute("UPDATE spans SET label = ?, updated_at = ? WHERE id = ?", (label, now, span_id))
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"{annotator} already has a {label!r} span at {span.start}-{span.end}.") from exc
            new = Span(span.id, span.document_id, span.annotator, label, span.start, span.end, span.text,
                       span.created_at, now)
            record_event(c, "relabel", span.document_id, annotator, span.id, span_state(span), span_state(new), now=now)
            return new

        return self._write(action)

    def resize_span(self, span_id: int, start: int, end: int, annotator: str, *, batch: str | None = None) -> Span:
        """Move a span's boundaries; returns the updated span. Resizes sharing a `batch` token (a held
        key's burst) are undone and redone as one step."""

        def action(c: Connection) -> Span:
            span = _owned_span(c, span_id, annotator)
            if (span.start, span.end) == (start, end):
                return span
            text = self._checked_range(c, span.document_id, start, end)
            now = utc_now()
            try:
                c.execute('UPDATE spans SET start = ?, "end" = ?, text = ?, updated_at = ? WHERE id = ?',
                          (start, end, text, now, span_id))
            except sqlite3.IntegrityError as exc:
                raise StoreError(f"{annotator} already has a {span.label!r} span at {start}-{end}.") from exc
            new = Span(span.id, span.document_id, span.annotator, span.label, start, end, text, span.created_at, now)
            after = span_state(new)
            if batch is not None and after is not None:
                after["batch"] = batch
            record_event(c, "resize", span.document_id, annotator, span.id, span_state(span), after, now=now)
            return new

        return self._write(action)

    def _checked_range(self, c: Connection, doc_id: str, start: int, end: int) -> str:
        text = self._text(c, doc_id)
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
            raise StoreError(f"span offsets must be integers, got {start!r}-{end!r}.")
        if not 0 <= start < end <= len(text):
            raise StoreError(f"span {start}-{end} is outside the document (0-{len(text)}) or empty.")
        covered = text[start:end]
        if not covered.strip():
            raise StoreError(f"span {start}-{end} covers only whitespace; select some text.")
        return covered

    def _check_label(self, c: Connection, label: str) -> None:
        if c.execute("SELECT 1 FROM labels WHERE name = ?", (label,)).fetchone() is None:
            names = ", ".join(r[0] for r in c.execute("SELECT name FROM labels ORDER BY position, name"))
            raise StoreError(f"unknown label {label!r}; known labels: {names}.")

    def undo(self, annotator: str, doc_id: str) -> Event | None:
        """Undo `annotator`'s latest not-yet-undone span action in `doc_id`; None if nothing to undo."""
        return self._write(lambda c: history.undo(c, annotator, doc_id))

    def redo(self, annotator: str, doc_id: str) -> Event | None:
        """Re-apply the action most recently undone, unless a new action came since; None if nothing."""
        return self._write(lambda c: history.redo(c, annotator, doc_id))

    def history(self, doc_id: str, annotator: str | None = None) -> list[Event]:
        """The audit trail of a document, oldest first."""
        sql = ("SELECT id, action, document_id, annotator, span_id, before, after, target_event_id, created_at "
               "FROM events WHERE document_id = ?")
        params: tuple[str, ...] = (doc_id,)
        if annotator is not None:
            sql += " AND annotator = ?"
            params = (doc_id, annotator)
        rows = self._read(lambda c: c.execute(sql + " ORDER BY id", params).fetchall())
        return [Event(r[0], r[1], r[2], r[3], r[4], loads(r[5]), loads(r[6]), r[7], r[8]) for r in rows]


def insert_span(c: Connection, doc_id: str, annotator: str, label: str, start: int, end: int, text: str,
                now: str) -> Span:
    """Insert `annotator`'s span (no event; `text` is the checked range) inside the caller's transaction;
    StoreError when they already have that span."""
    try:
        cursor = c.execute(
            'INSERT INTO spans (document_id, annotator, label, start, "end", text, created_at, updated_at) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, annotator, label, start, end, text, now, now),
        )
    except sqlite3.IntegrityError as exc:
        raise StoreError(f"{annotator} already has a {label!r} span at {start}-{end} in this document.") from exc
    assert cursor.lastrowid is not None  # an INSERT
    return Span(cursor.lastrowid, doc_id, annotator, label, start, end, text, now, now)


def _owned_span(c: Connection, span_id: int, annotator: str) -> Span:
    row = c.execute(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,)).fetchone()
    if row is None:
        raise StoreError(f"span {span_id} no longer exists (deleted in another session?). Reload the document.")
    span = span_from_row(row)
    if span.annotator != annotator:
        raise StoreError(f"span {span_id} belongs to {span.annotator}; {annotator} cannot change it.")
    return span
