"""SQLite store (sqlite-utils): schema, migrations and the Store repository. No UI imports."""

from tui.store.candidates import Candidate, NewCandidate
from tui.store.errors import StoreError
from tui.store.links import Link, LinkLabel, LinkRow
from tui.store.models import STATUSES, Document, DocumentSummary, Event, Label, Span
from tui.store.schema import SCHEMA_VERSION
from tui.store.store import Store
from tui.store.view_directions import ViewDirections

__all__ = [
    "Candidate", "Link", "LinkLabel", "LinkRow", "NewCandidate", "SCHEMA_VERSION", "STATUSES", "Document",
    "DocumentSummary", "Event", "Label", "Span", "Store", "StoreError", "ViewDirections",
]
