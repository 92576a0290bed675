"""Undo/redo and the audit trail, computed from the append-only events table.

An add/delete/relabel/resize event holds the span before and after (JSON). Undo moves the
span from the event's "after" back to its "before" and appends an `undo` event naming it;
redo moves it forward again. An action is undone when it has more undo than redo events.
Link events (`link_add`, `link_delete`, `link_relabel`, see `tui.store.links`) take part too:
they are filed under the head span's document and name the child's document in their state, and
the history of a document is its own events plus the link events whose child is in it.
Everything here runs inside the caller's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from tui.store.dbapi import Connection
from tui.store.connection import utc_now
from tui.store.errors import StoreError
from tui.store.links import detach_span_links, link_transition, restore_links
from tui.store.models import SPAN_COLUMNS, Event, Span
from tui.store.textutil import sorted_json


def span_from_row(row: tuple[Any, ...]) -> Span:
    return Span(*row)


def span_state(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {
        "id": span.id, "document_id": span.document_id, "annotator": span.annotator, "label": span.label,
        "start": span.start, "end": span.end, "text": span.text,
        "created_at": span.created_at, "updated_at": span.updated_at,
    }


def dumps(value: dict[str, Any] | None) -> str | None:
    return None if value is None else sorted_json(value)


def loads(value: str | None) -> dict[str, Any] | None:
    return None if value is None else json.loads(value)


def record_event(
    c: Connection, action: str, doc_id: str | None, annotator: str, span_id: int | None,
    before: dict[str, Any] | None, after: dict[str, Any] | None, *, target: int | None = None,
    now: str | None = None,
) -> Event:
    now = now or utc_now()
    cursor = c.execute(
        "INSERT INTO events (created_at, annotator, document_id, action, span_id, before, after, target_event_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (now, annotator, doc_id, action, span_id, dumps(before), dumps(after), target),
    )
    assert cursor.lastrowid is not None  # an INSERT
    return Event(cursor.lastrowid, action, doc_id, annotator, span_id, before, after, target, now)


# Actions undo/redo take back and re-apply (accept/reject: tui.store.candidates; link_*: tui.store.links).
UNDOABLE: tuple[str, ...] = (
    "add", "delete", "relabel", "resize", "accept", "reject", "link_add", "link_delete", "link_relabel",
)
_UNDOABLE_SQL = ", ".join(f"'{a}'" for a in UNDOABLE)

# The events of one document's history are its own and the link events whose child span is in it:
# two indexed queries (SQLite does not use both indexes for an OR here), merged by id.
IN_DOCUMENT = (
    "document_id = :doc",  # events_by_annotator_document
    "json_extract(coalesce(after, before), '$.child_document_id') = :doc",  # events_by_link_child
)


def _in_document(c: Connection, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Rows of `sql` ({where} stands for the document condition) for both halves of a document's history."""
    rows: list[tuple[Any, ...]] = []
    for where in IN_DOCUMENT:
        rows.extend(c.execute(sql.format(where=where), params).fetchall())
    return list(dict.fromkeys(rows))  # a link inside one document is in both halves


def _batch(value: dict[str, Any] | None) -> str | None:
    """The token shared by the events of one multi-span action (accept all), or None."""
    return None if value is None else value.get("batch")


def undo(c: Connection, annotator: str, doc_id: str) -> Event | None:
    """Undo `annotator`'s latest not-yet-undone span action in `doc_id` (a whole batch); None if nothing."""
    event: Event | None = None
    batch: str | None = None
    while True:
        rows = _in_document(
            c,
            "SELECT id, action, before, after, span_id FROM events AS e "
            f"WHERE annotator = :ann AND {{where}} AND action IN ({_UNDOABLE_SQL}) "
            "AND (SELECT count(*) FROM events u WHERE u.target_event_id = e.id AND u.action = 'undo') "
            "  = (SELECT count(*) FROM events r WHERE r.target_event_id = e.id AND r.action = 'redo') "
            "ORDER BY id DESC LIMIT 1",
            {"ann": annotator, "doc": doc_id},
        )
        if not rows:
            return event
        row = max(rows)
        target_id, target_action, before, after = row[0], row[1], loads(row[2]), loads(row[3])
        if event is not None and (batch is None or _batch(after) != batch):
            return event
        batch = _batch(after)
        # Undo moves the span from the event's "after" state back to its "before" state.
        event = _apply(c, "undo", annotator, doc_id, row[4], target_id, target_action, after, before)
        if batch is None:
            return event


def redo(c: Connection, annotator: str, doc_id: str) -> Event | None:
    """Re-apply the action most recently undone (a whole batch), unless a new action came since; None if nothing."""
    last = max((row[0] or 0 for row in _in_document(
        c, f"SELECT max(id) FROM events WHERE annotator = :ann AND {{where}} AND action IN ({_UNDOABLE_SQL})",
        {"ann": annotator, "doc": doc_id},
    )), default=0)
    stack: list[int] = []
    for _, kind, target in sorted(_in_document(
        c,
        "SELECT id, action, target_event_id FROM events WHERE annotator = :ann AND {where} AND id > :last "
        "AND action IN ('undo', 'redo')",
        {"ann": annotator, "doc": doc_id, "last": last},
    )):
        if kind == "undo":
            stack.append(target)
        elif stack:
            stack.pop()
    event: Event | None = None
    batch: str | None = None
    while stack:
        target_id = stack[-1]
        target_action, before, after, span_id = c.execute(
            "SELECT action, before, after, span_id FROM events WHERE id = ?", (target_id,)
        ).fetchone()
        before, after = loads(before), loads(after)
        if event is not None and (batch is None or _batch(after) != batch):
            break
        batch = _batch(after)
        event = _apply(c, "redo", annotator, doc_id, span_id, target_id, target_action, before, after)
        stack.pop()
        if batch is None:
            break
    return event


def _apply(
    c: Connection, kind: str, annotator: str, doc_id: str, span_id: int | None, target_id: int,
    target_action: str, frm: dict[str, Any] | None, to: dict[str, Any] | None,
) -> Event:
    if target_action in ("accept", "reject"):
        from tui.store import candidates

        return candidates.transition(c, kind, annotator, doc_id, span_id, target_id, target_action, frm, to)
    if target_action.startswith("link_"):
        state = to or frm
        assert state is not None
        return link_transition(c, kind, annotator, int(state["id"]), target_id, target_action, frm, to)
    assert span_id is not None
    return transition(c, kind, annotator, doc_id, span_id, target_id, target_action, frm, to)


def transition(
    c: Connection, kind: str, annotator: str, doc_id: str, span_id: int, target_id: int,
    target_action: str, frm: dict[str, Any] | None, to: dict[str, Any] | None,
) -> Event:
    """Move span `span_id` from state `frm` to state `to` (None = absent), checking it is still in `frm`.

    A span that goes takes its links with it (kept in the recorded state, "links"); a state with
    "links" brings them back (those whose other span still exists).
    Labels renamed since the target event (`tui labels rename`) are read under their current name.
    """
    frm, to = _renamed(c, frm, target_id), _renamed(c, to, target_id)
    row = c.execute(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,)).fetchone()
    current = None if row is None else span_from_row(row)
    matches = (current is None) if frm is None else (
        current is not None and (current.label, current.start, current.end) == (frm["label"], frm["start"], frm["end"])
    )
    if not matches:
        raise StoreError(
            f"cannot {kind} the {target_action} of span {span_id}: it was changed since "
            "(by another session of the same annotator?). Reload the document."
        )
    now = utc_now()
    before_state = span_state(current)
    restored: list[dict[str, Any]] = []
    try:
        if to is None:
            links = detach_span_links(c, span_id)
            if links and before_state is not None:
                before_state["links"] = links
            c.execute("DELETE FROM spans WHERE id = ?", (span_id,))
            new = None
        elif current is None:
            c.execute(
                'INSERT INTO spans (id, document_id, annotator, label, start, "end", text, created_at, updated_at) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (span_id, to["document_id"], to["annotator"], to["label"], to["start"], to["end"], to["text"],
                 to["created_at"], now),
            )
            new = Span(span_id, to["document_id"], to["annotator"], to["label"], to["start"], to["end"],
                       to["text"], to["created_at"], now)
        else:
            c.execute('UPDATE spans SET label = ?, start = ?, "end" = ?, text = ?, updated_at = ? WHERE id = ?',
                      (to["label"], to["start"], to["end"], to["text"], now, span_id))
            new = Span(span_id, current.document_id, current.annotator, to["label"], to["start"], to["end"],
                       to["text"], current.created_at, now)
        if new is not None and to is not None and to.get("links"):
            restored = restore_links(c, to["links"], now)
    except sqlite3.IntegrityError as exc:
        label = (to or {}).get("label")
        if label is not None and c.execute("SELECT 1 FROM labels WHERE name = ?", (label,)).fetchone() is None:
            raise StoreError(f"cannot {kind}: the label {label!r} was deleted since. Add it again first "
                             f"(tui labels add {label}).") from exc
        raise StoreError(f"cannot {kind}: an identical span exists now. Delete it first.") from exc
    after_state = span_state(new)
    if restored and after_state is not None:
        after_state["links"] = restored
    return record_event(c, kind, doc_id, annotator, span_id, before_state, after_state,
                        target=target_id, now=now)


def _renamed(c: Connection, state: dict[str, Any] | None, since_event_id: int) -> dict[str, Any] | None:
    """`state` with its label under today's name (renames after event `since_event_id` followed)."""
    if state is None or "label" not in state:
        return state
    from tui.store.labels import current_name

    name = current_name(c, state["label"], since_event_id)
    return state if name == state["label"] else {**state, "label": name}
