"""The Store's link methods (`LinksMixin`), the reads of links (export rows with their clusters: tui.store.link_rows;
agreement keys) and the link part of imports. The link model and the writes inside a transaction
are in `tui.store.links`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.store.dbapi import Connection
from tui.store.parts import StorePart
from tui.store.connection import utc_now
from tui.store.errors import StoreError
from tui.store.links import (
    LINK_COLUMNS, Link, LinkKey, LinkLabel, LINK_FROM, fetch_link_label,
    create_link_label, ensure_link_label, existing_link, fetch_link, fetch_link_labels, insert_link,
    link_from_row, link_label_usage, links_of_span, record_link_event, update_link_label,
)

if TYPE_CHECKING:
    from tui.store.link_rows import LinkRow

# ------------------------------------------------------------------------------------ importing


def document_text(c: Connection, doc_id: str) -> str | None:
    row = c.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return None if row is None else str(row[0])


def find_or_add_span(
    c: Connection, doc_id: str, annotator: str, label: str, start: int, end: int, text: str, now: str,
) -> tuple[int, bool]:
    """The id of `annotator`'s span (doc_id, label, start, end), added (no event, as imports add spans;
    an unknown label is added to the labels) when missing; (id, added). `text` must be the document's
    text[start:end] (the caller checked it). Inside a transaction."""
    row = c.execute(
        'SELECT id FROM spans WHERE document_id = ? AND annotator = ? AND label = ? AND start = ? AND "end" = ?',
        (doc_id, annotator, label, start, end),
    ).fetchone()
    if row is not None:
        return int(row[0]), False
    from tui.store.store import ensure_label  # store imports this module

    ensure_label(c, label)
    cursor = c.execute(
        'INSERT INTO spans (document_id, annotator, label, start, "end", text, created_at, updated_at) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (doc_id, annotator, label, start, end, text, now, now),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid, True


def import_link(
    c: Connection, annotator: str, head_span_id: int, child_span_id: int, label: str, *,
    link_id: int | None, transitive_if_new: bool, now: str,
) -> bool:
    """Store an imported link (no event) unless the same link exists; True when added. A link label not
    known yet is added (transitive and symmetric when `transitive_if_new`). Inside a transaction."""
    if c.execute("SELECT 1 FROM link_labels WHERE name = ?", (label,)).fetchone() is None:
        ensure_link_label(c, label, transitive=transitive_if_new, symmetric=transitive_if_new)
    if existing_link(c, head_span_id, child_span_id, fetch_link_label(c, label)) is not None:
        return False
    insert_link(c, annotator, head_span_id, child_span_id, label, link_id=link_id, now=now)
    return True


# ---------------------------------------------------------------------------------------- Store


class LinksMixin(StorePart):
    """Store methods for links (mixed into `tui.store.Store`)."""

    def link_labels(self) -> list[LinkLabel]:
        """Link labels in their order (the first is the default when a link is made)."""
        return self._read(fetch_link_labels)

    def add_link_label(
        self, name: str, key: str | None = None, colour: str | None = None, description: str = "",
        *, transitive: bool = False, symmetric: bool = False,
    ) -> LinkLabel:
        """Add a link label (or return the existing one of that name)."""
        return self._write(lambda c: ensure_link_label(c, name, key=key, colour=colour, description=description,
                                                       transitive=transitive, symmetric=symmetric))

    def create_link_label(
        self, name: str, annotator: str, *, key: str | None = None, colour: str | None = None,
        description: str = "", transitive: bool = False, symmetric: bool = False,
    ) -> LinkLabel:
        """Add a new link label, with its event (StoreError if the name or key is taken)."""
        return self._write(lambda c: create_link_label(c, name, annotator, key=key, colour=colour,
                                                       description=description, transitive=transitive,
                                                       symmetric=symmetric))

    def update_link_label(
        self, name: str, annotator: str, *, key: str | None | bool = False, colour: str | None = None,
        description: str | None = None,
    ) -> LinkLabel:
        """Set a link label's key (None: no key; False: unchanged), colour or description, with its event."""
        return self._write(lambda c: update_link_label(c, name, annotator, key=key, colour=colour,
                                                       description=description))

    def link_label_usage(self) -> dict[str, int]:
        return self._read(link_label_usage)

    def add_link(self, annotator: str, head_span_id: int, child_span_id: int, label: str) -> Link:
        """Link two of `annotator`'s spans (committed when this returns)."""
        if not isinstance(annotator, str) or not annotator.strip():
            raise StoreError("an annotator name is required (use --annotator NAME).")

        def action(c: Connection) -> Link:
            now = utc_now()
            link = insert_link(c, annotator, head_span_id, child_span_id, label, now=now)
            record_link_event(c, "link_add", annotator, None, link, now=now)
            return link

        return self._write(action)

    def delete_link(self, link_id: int, annotator: str) -> Link:
        """Delete one of `annotator`'s links; returns it as it was."""

        def action(c: Connection) -> Link:
            link = _owned_link(c, link_id, annotator)
            c.execute("DELETE FROM links WHERE id = ?", (link_id,))
            record_link_event(c, "link_delete", annotator, link, None)
            return link

        return self._write(action)

    def relabel_link(self, link_id: int, label: str, annotator: str) -> Link:
        """Give a link another label; returns the updated link."""

        def action(c: Connection) -> Link:
            link = _owned_link(c, link_id, annotator)
            if link.label == label:
                return link
            new_label = fetch_link_label(c, label)
            duplicate = existing_link(c, link.head_span_id, link.child_span_id, new_label)
            if duplicate is not None:
                raise StoreError(f"these spans are already linked as {label} (link {duplicate.id}).")
            now = utc_now()
            c.execute("UPDATE links SET label = ?, updated_at = ? WHERE id = ?", (label, now, link_id))
            new = Link(link.id, link.annotator, label, link.head_span_id, link.child_span_id,
                       link.head_document_id, link.child_document_id, link.created_at, now)
            record_link_event(c, "link_relabel", annotator, link, new, now=now)
            return new

        return self._write(action)

    def get_link(self, link_id: int) -> Link | None:
        return self._read(lambda c: fetch_link(c, link_id))

    def links_of_span(self, span_id: int) -> list[Link]:
        """Every link with this span at either end, oldest first."""
        return self._read(lambda c: links_of_span(c, span_id))

    def links(self, doc_id: str | None = None, annotator: str | None = None) -> list[Link]:
        """Links with an end in `doc_id` (every link when None), of one annotator or everyone, oldest first."""
        where, params = [], []
        if doc_id is not None:
            where.append("(head.document_id = ? OR child.document_id = ?)")
            params += [doc_id, doc_id]
        if annotator is not None:
            where.append("links.annotator = ?")
            params.append(annotator)
        sql = f"SELECT {LINK_COLUMNS} FROM {LINK_FROM}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._read(lambda c: c.execute(sql + " ORDER BY links.id", params).fetchall())
        return [link_from_row(r) for r in rows]

    def link_keys(self, annotators: Sequence[str]) -> dict[str, list[LinkKey]]:
        """Each annotator's links by content (for agreement: no database ids)."""
        return self._read(lambda c: fetch_link_keys(c, list(annotators)))

    def link_rows(
        self, annotators: Sequence[str] = (), document_id: str | None = None
    ) -> list[LinkRow]:
        """Links with both spans and cluster ids in export order (see `tui.store.link_rows.fetch_link_rows`), read in one snapshot."""

        from tui.store.link_rows import fetch_link_rows

        def read(c: Connection) -> list[LinkRow]:
            c.execute("BEGIN")
            try:
                return fetch_link_rows(c, annotators, document_id)
            finally:
                c.execute("COMMIT")

        return self._read(read)


def fetch_link_keys(c: Connection, annotators: Sequence[str]) -> dict[str, list[LinkKey]]:
    """Every link of these annotators by content: (label, (doc, start, end, span label) of head and child)."""
    found: dict[str, list[LinkKey]] = {name: [] for name in annotators}
    if not annotators:
        return found
    rows = c.execute(
        'SELECT links.annotator, links.label, head.document_id, head.start, head."end", head.label, '
        'child.document_id, child.start, child."end", child.label '
        f"FROM {LINK_FROM} WHERE links.annotator IN ({', '.join('?' * len(annotators))}) ORDER BY links.id",
        list(annotators),
    )
    for annotator, label, hd, hs, he, hl, cd, cs, ce, cl in rows:
        found[annotator].append((label, (hd, hs, he, hl), (cd, cs, ce, cl)))
    return found


def _owned_link(c: Connection, link_id: int, annotator: str) -> Link:
    link = fetch_link(c, link_id)
    if link is None:
        raise StoreError(f"link {link_id} no longer exists (deleted in another session?). Reload the document.")
    if link.annotator != annotator:
        raise StoreError(f"link {link_id} belongs to {link.annotator}; {annotator} cannot change it.")
    return link


__all__ = ["LinksMixin", "document_text", "fetch_link_keys", "find_or_add_span", "import_link"]
