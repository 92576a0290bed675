"""SQLite store (sqlite-utils): schema, migrations and the Store repository. No UI imports."""

from tui.store.bulk import ImportBatch, NewSpan, NewStatus, ReadSnapshot, SnapshotDocument, SnapshotSpan
from tui.store.candidates import Candidate, NewCandidate
from tui.store.errors import StoreError
from tui.store.links import Link, LinkLabel, LinkRow
from tui.store.models import STATUSES, Document, DocumentSummary, Event, Label, Span
from tui.store.schema import SCHEMA_VERSION
from tui.store.store import DocumentRejected, NewDocument, Store
from tui.store.view_directions import ViewDirections

__all__ = [
    "DocumentRejected", "ImportBatch", "NewDocument", "NewSpan", "NewStatus", "ReadSnapshot", "SnapshotDocument",
    "SnapshotSpan", "Candidate", "Link", "LinkLabel", "LinkRow", "NewCandidate", "SCHEMA_VERSION", "STATUSES", "Document",
    "DocumentSummary", "Event", "Label", "Span", "Store", "StoreError", "ViewDirections",
]
