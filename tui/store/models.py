"""Plain immutable records returned by the store (no database handles inside)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.vocabulary import STATUSES as STATUSES
from tui.vocabulary import Status as Status

SPAN_ACTIONS: tuple[str, ...] = ("add", "delete", "relabel", "resize")
EVENT_ACTIONS: tuple[str, ...] = SPAN_ACTIONS + ("undo", "redo", "status", "accept", "reject")
SPAN_COLUMNS = 'id, document_id, annotator, label, start, "end", text, created_at, updated_at'
"""The columns of `spans` in the order of `Span`'s fields (read with `history.span_from_row`)."""


@dataclass(frozen=True, slots=True)
class Document:
    """One stored article. `text` is exactly what offsets index into."""

    id: str
    title: str
    text: str
    language: str
    direction: str  # "ltr" | "rtl": first strong character (UAX #9 P2-P3)
    length: int  # len(text) in code points
    source: str | None
    text_sha256: str
    imported_at: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """A row of the document list: everything but the text."""

    id: str
    title: str
    language: str
    direction: str
    length: int
    span_count: int  # spans of the annotator asked about (all annotators when None)
    status: str  # that annotator's status; "todo" when none is recorded


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled range [start, end) of code points; text == document.text[start:end]."""

    id: int
    document_id: str
    annotator: str
    label: str
    start: int
    end: int
    text: str
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    key: str | None  # single key that applies the label in the app
    colour: str  # "#rrggbb"
    description: str


@dataclass(frozen=True, slots=True)
class Event:
    """One row of the append-only events table.

    For add/delete/relabel/resize, `before`/`after` are the span as a dict (None when absent).
    For undo/redo they are the span before and after the undo/redo was applied, and
    `target_event_id` names the add/delete/relabel/resize event that was undone or re-done.
    """

    id: int
    action: str
    document_id: str | None  # None for edits of the label list (label_add, label_rename, ...)
    annotator: str
    span_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    target_event_id: int | None
    created_at: str
