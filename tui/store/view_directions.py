"""Reading-direction overrides: how a reader asked a document, or one of its paragraphs, to be shown.

Display only (UAX #9's HL1 done in the open): the stored text never changes; an override makes the
layout use ``ltr`` or ``rtl`` for that paragraph instead of deciding it from the paragraph's first
strong character (P2-P3). One row per (document, paragraph) in ``view_directions``: ``paragraph``
is the index of a line of the text (``text.split("\\n")``, from 0), or ``-1`` for the whole
document (every paragraph without an override of its own). No row means ``auto``. The settings
belong to the document, whoever set them (``annotator`` says who did last), and every change also
appends a ``view`` event (``before``/``after``: ``{"paragraph", "direction"}``), which undo ignores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tui.store.dbapi import Connection
from tui.store.parts import StorePart
from tui.store.connection import utc_now
from tui.store.errors import StoreError
from tui.store.history import record_event

ViewDirection = Literal["auto", "ltr", "rtl"]
DIRECTIONS: tuple[ViewDirection, ...] = ("auto", "rtl", "ltr")
"""The cycle a key steps through: auto -> rtl -> ltr -> auto."""
WHOLE_DOCUMENT = -1


@dataclass(frozen=True, slots=True)
class ViewDirections:
    """A document's overrides: ``document`` for the whole document, ``paragraphs`` per paragraph."""

    document: ViewDirection = "auto"
    paragraphs: dict[int, ViewDirection] = field(default_factory=dict)

    def of(self, paragraph: int) -> ViewDirection:
        """The override of one paragraph ("auto": none of its own)."""
        return self.paragraphs.get(paragraph, "auto")


def next_direction(direction: ViewDirection) -> ViewDirection:
    """The next step of the cycle auto -> rtl -> ltr -> auto."""
    return DIRECTIONS[(DIRECTIONS.index(direction) + 1) % len(DIRECTIONS)]


def _direction(value: object) -> ViewDirection:
    return "rtl" if value == "rtl" else "ltr"


def fetch_view_directions(c: Connection, doc_id: str) -> ViewDirections:
    document: ViewDirection = "auto"
    paragraphs: dict[int, ViewDirection] = {}
    for paragraph, direction in c.execute(
            "SELECT paragraph, direction FROM view_directions WHERE document_id = ? ORDER BY paragraph",
            (doc_id,)):
        if paragraph == WHOLE_DOCUMENT:
            document = _direction(direction)
        else:
            paragraphs[int(paragraph)] = _direction(direction)
    return ViewDirections(document, paragraphs)


def write_view_direction(c: Connection, doc_id: str, paragraph: int, direction: ViewDirection,
                         annotator: str) -> ViewDirections:
    """Set (or, with ``auto``, clear) one override and record a ``view`` event; inside the caller's
    transaction."""
    if direction not in DIRECTIONS:
        raise StoreError(f"unknown direction {direction!r}: use auto, ltr or rtl.")
    if paragraph < WHOLE_DOCUMENT:
        raise StoreError(f"paragraph {paragraph} does not exist: paragraphs count from 0 (-1: the document).")
    row = c.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if row is None:
        raise StoreError(f"no document {doc_id!r} in this database.")
    if paragraph > str(row[0]).count("\n"):
        raise StoreError(f"paragraph {paragraph} does not exist in document {doc_id}.")
    found = c.execute("SELECT direction FROM view_directions WHERE document_id = ? AND paragraph = ?",
                      (doc_id, paragraph)).fetchone()
    before: ViewDirection = "auto" if found is None else _direction(found[0])
    if before != direction:
        now = utc_now()
        if direction == "auto":
            c.execute("DELETE FROM view_directions WHERE document_id = ? AND paragraph = ?", (doc_id, paragraph))
        else:
            c.execute(
                "INSERT INTO view_directions (document_id, paragraph, direction, annotator, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (document_id, paragraph) DO UPDATE SET "
                "direction = excluded.direction, annotator = excluded.annotator, updated_at = excluded.updated_at",
                (doc_id, paragraph, direction, annotator, now))
        where = None if paragraph == WHOLE_DOCUMENT else paragraph
        record_event(c, "view", doc_id, annotator, None, {"paragraph": where, "direction": before},
                     {"paragraph": where, "direction": direction}, now=now)
    return fetch_view_directions(c, doc_id)


class ViewDirectionMethods(StorePart):
    """Store methods for reading-direction overrides (mixed into `tui.store.Store`)."""

    def view_directions(self, doc_id: str) -> ViewDirections:
        """The document's direction overrides (``auto`` and no paragraphs when none were set)."""
        return self._read(lambda c: fetch_view_directions(c, doc_id))

    def set_view_direction(self, doc_id: str, paragraph: int | None, direction: ViewDirection,
                           annotator: str) -> ViewDirections:
        """Show paragraph ``paragraph`` (None: the whole document) ``direction``; ``auto`` removes the
        override. Committed (with its ``view`` event) when this returns; returns all overrides."""
        if not isinstance(annotator, str) or not annotator.strip():
            raise StoreError("an annotator name is required (use --annotator NAME).")
        where = WHOLE_DOCUMENT if paragraph is None else paragraph
        return self._write(lambda c: write_view_direction(c, doc_id, where, direction, annotator))
