"""SQLite store (sqlite-utils): schema, migrations and the Store repository. No UI imports."""

from typing import TYPE_CHECKING

from tui.store.bulk import ImportBatch, NewSpan, NewStatus, ReadSnapshot, SnapshotDocument, SnapshotSpan
from tui.store.errors import StoreError
from tui.store.links import Link, LinkLabel
from tui.store.models import STATUSES, Document, DocumentSummary, Event, Label, Span
from tui.store.schema import SCHEMA_VERSION
from tui.store.store import DocumentRejected, NewDocument, Store
from tui.store.view_directions import ViewDirections

if TYPE_CHECKING:
    from tui.store.candidates import Candidate, NewCandidate
    from tui.store.link_rows import LinkRow

__all__ = [
    "DocumentRejected", "ImportBatch", "NewDocument", "NewSpan", "NewStatus", "ReadSnapshot", "SnapshotDocument",
    "SnapshotSpan", "Candidate", "Link", "LinkLabel", "LinkRow", "NewCandidate", "SCHEMA_VERSION", "STATUSES", "Document",
    "DocumentSummary", "Event", "Label", "Span", "Store", "StoreError", "ViewDirections",
]

_LATER = {"Candidate": "tui.store.candidates", "NewCandidate": "tui.store.candidates", "LinkRow": "tui.store.link_rows"}
"""Exported names whose module opening a store does not import: loaded when first asked for."""


def __getattr__(name: str) -> object:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module 'tui.store' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
