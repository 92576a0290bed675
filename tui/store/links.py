"""Links between spans: the same entity, the same claim, contradicts, supports (issue 13).

A link joins two spans of its own annotator, in one article or (usually) across articles. Every
change is one transaction that writes the link and appends its event (`link_add`, `link_delete`,
`link_relabel`), so links undo and redo like spans (see `tui.store.history`). A link event is filed
under the head span's document; its JSON state names both documents (`head_document_id`,
`child_document_id`), and undo in either article finds it.

Deleting a span deletes its links in the same transaction; the span's `delete` event keeps them
(`before["links"]`), so undoing the delete restores the span and its links together.

The functions taking a connection run inside the caller's transaction; `LinksMixin`
(tui.store.link_methods) gives `Store` its public methods, with the reads of links and clusters.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tui.store.dbapi import Connection
from tui.store.connection import utc_now
from tui.store.errors import StoreError
from tui.store.models import SPAN_COLUMNS, Event, Span

LinkKey = tuple[str, tuple[str, int, int, str], tuple[str, int, int, str]]
"""(link label, (document id, start, end, span label) of the head, the same of the child)."""

LINK_ACTIONS: tuple[str, ...] = ("link_add", "link_delete", "link_relabel")

LINK_COLUMNS = (
    "links.id, links.annotator, links.label, links.head_span_id, links.child_span_id, "
    "head.document_id, child.document_id, links.created_at, links.updated_at"
)
LINK_FROM = "links JOIN spans AS head ON head.id = links.head_span_id JOIN spans AS child ON child.id = links.child_span_id"

# Colours for link labels added later (cycled).
EXTRA_LINK_COLOURS: tuple[str, ...] = ("#d787d7", "#5fd7d7", "#d7d75f", "#87afff", "#afd787", "#d7af87")


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled link from a head span to a child span (both of `annotator`)."""

    id: int
    annotator: str
    label: str
    head_span_id: int
    child_span_id: int
    head_document_id: str
    child_document_id: str
    created_at: str
    updated_at: str

    def other(self, span_id: int) -> int:
        """The span at the other end from `span_id`."""
        return self.child_span_id if span_id == self.head_span_id else self.head_span_id


@dataclass(frozen=True, slots=True)
class LinkLabel:
    name: str
    key: str | None  # the key that picks this label when a link is made
    colour: str  # "#rrggbb"
    description: str
    transitive: bool  # links of this label make clusters (connected components)
    symmetric: bool  # (head, child) is unordered: a-b and b-a are the same link


def link_from_row(row: Sequence[Any]) -> Link:
    return Link(*row)


def link_state(link: Link) -> dict[str, Any]:
    return {
        "id": link.id, "annotator": link.annotator, "label": link.label,
        "head_span_id": link.head_span_id, "child_span_id": link.child_span_id,
        "head_document_id": link.head_document_id, "child_document_id": link.child_document_id,
        "created_at": link.created_at, "updated_at": link.updated_at,
    }


def link_from_state(state: dict[str, Any]) -> Link:
    return Link(state["id"], state["annotator"], state["label"], state["head_span_id"], state["child_span_id"],
                state["head_document_id"], state["child_document_id"], state["created_at"], state["updated_at"])


# ------------------------------------------------------------------ queries (inside a transaction)


def fetch_link(c: Connection, link_id: int) -> Link | None:
    row = c.execute(f"SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE links.id = ?", (link_id,)).fetchone()
    return None if row is None else link_from_row(row)


def links_of_span(c: Connection, span_id: int) -> list[Link]:
    rows = c.execute(
        f"SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE links.head_span_id = ?1 OR links.child_span_id = ?1 "
        "ORDER BY links.id", (span_id,),
    ).fetchall()
    return [link_from_row(r) for r in rows]


def fetch_link_labels(c: Connection) -> list[LinkLabel]:
    rows = c.execute(
        "SELECT name, key, colour, description, transitive, \"symmetric\" FROM link_labels ORDER BY position, name"
    ).fetchall()
    return [LinkLabel(r[0], r[1], r[2], r[3], bool(r[4]), bool(r[5])) for r in rows]


def fetch_link_label(c: Connection, name: str) -> LinkLabel:
    row = c.execute(
        "SELECT name, key, colour, description, transitive, \"symmetric\" FROM link_labels WHERE name = ?", (name,)
    ).fetchone()
    if row is None:
        names = ", ".join(label.name for label in fetch_link_labels(c))
        raise StoreError(f"unknown link label {name!r}; known link labels: {names}.")
    return LinkLabel(row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5]))


def ensure_link_label(
    c: Connection, name: str, *, key: str | None = None, colour: str | None = None, description: str = "",
    transitive: bool = False, symmetric: bool = False,
) -> LinkLabel:
    """The link label called `name`, created if missing (a taken key is dropped). Inside a transaction."""
    if not isinstance(name, str) or not name.strip():
        raise StoreError("a link label needs a name.")
    row = c.execute("SELECT 1 FROM link_labels WHERE name = ?", (name,)).fetchone()
    if row is not None:
        return fetch_link_label(c, name)
    count, position = c.execute("SELECT count(*), coalesce(max(position), -1) + 1 FROM link_labels").fetchone()
    colour = colour or EXTRA_LINK_COLOURS[count % len(EXTRA_LINK_COLOURS)]
    if key is not None and c.execute("SELECT 1 FROM link_labels WHERE key = ?", (key,)).fetchone():
        key = None
    c.execute(
        "INSERT INTO link_labels (name, key, colour, description, transitive, \"symmetric\", position) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (name, key, colour, description, int(transitive), int(symmetric), position),
    )
    return LinkLabel(name, key, colour, description, transitive, symmetric)


def _link_label_state(label: LinkLabel) -> dict[str, object]:
    return {"kind": "link_label", "name": label.name, "key": label.key, "colour": label.colour,
            "description": label.description, "transitive": label.transitive, "symmetric": label.symmetric}


def create_link_label(
    c: Connection, name: str, annotator: str, *, key: str | None = None, colour: str | None = None,
    description: str = "", transitive: bool = False, symmetric: bool = False,
) -> LinkLabel:
    """`tui labels links add`: a new link label with its `label_add` event (state kind "link_label")."""
    from tui.store import labels as checks
    from tui.store.history import record_event

    name = checks.check_name(name)
    key = checks.check_key(key)
    colour = None if colour is None else checks.check_colour(colour)
    description = checks.check_description(description)
    if c.execute("SELECT 1 FROM link_labels WHERE name = ?", (name,)).fetchone() is not None:
        raise StoreError(f"there is already a link label {name!r}.")
    if key is not None and c.execute("SELECT name FROM link_labels WHERE key = ?", (key,)).fetchone():
        raise StoreError(f"key {key!r} already picks another link label; choose another key.")
    label = ensure_link_label(c, name, key=key, colour=colour, description=description, transitive=transitive,
                              symmetric=symmetric)
    record_event(c, "label_add", None, annotator, None, None, _link_label_state(label))
    return label


def update_link_label(
    c: Connection, name: str, annotator: str, *, key: str | None | bool = False, colour: str | None = None,
    description: str | None = None,
) -> LinkLabel:
    """`tui labels links set`: key (None: no key; False: unchanged), colour, description, with a
    `label_update` event. Whether a label is transitive or symmetric is fixed once links use it."""
    from tui.store import labels as checks

    label = fetch_link_label(c, name)
    new_key = label.key if key is False else checks.check_key(key)
    if new_key is not None and new_key != label.key and c.execute(
            "SELECT 1 FROM link_labels WHERE key = ? AND name <> ?", (new_key, name)).fetchone():
        raise StoreError(f"key {new_key!r} already picks another link label; choose another key.")
    new = LinkLabel(label.name, new_key, label.colour if colour is None else checks.check_colour(colour),
                    label.description if description is None else checks.check_description(description),
                    label.transitive, label.symmetric)
    return checks.save_look(c, "link_labels", name, annotator, label, new, _link_label_state)


def link_label_usage(c: Connection) -> dict[str, int]:
    """Links per link label, every label present."""
    counts = {label.name: 0 for label in fetch_link_labels(c)}
    counts.update(dict(c.execute("SELECT label, count(*) FROM links GROUP BY label").fetchall()))
    return counts


def _span(c: Connection, span_id: int) -> Span | None:
    row = c.execute(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,)).fetchone()
    return None if row is None else Span(*row)


def existing_link(c: Connection, head_span_id: int, child_span_id: int, label: LinkLabel) -> Link | None:
    """The link that (head, child, label) would duplicate: the same, or reversed for a symmetric label."""
    sql = f"SELECT {LINK_COLUMNS} FROM {LINK_FROM} WHERE links.label = ?1 AND ("
    sql += "(links.head_span_id = ?2 AND links.child_span_id = ?3)"
    if label.symmetric:
        sql += " OR (links.head_span_id = ?3 AND links.child_span_id = ?2)"
    row = c.execute(sql + ") ORDER BY links.id LIMIT 1", (label.name, head_span_id, child_span_id)).fetchone()
    return None if row is None else link_from_row(row)


def insert_link(
    c: Connection, annotator: str, head_span_id: int, child_span_id: int, label: str, *,
    link_id: int | None = None, now: str | None = None, created_at: str | None = None,
) -> Link:
    """Check and insert one link (no event). StoreError names what is wrong; nothing is written then."""
    if head_span_id == child_span_id:
        raise StoreError("a span cannot be linked to itself; put the caret on another span.")
    link_label = fetch_link_label(c, label)
    head, child = _span(c, head_span_id), _span(c, child_span_id)
    for name, span, span_id in (("head", head, head_span_id), ("child", child, child_span_id)):
        if span is None:
            raise StoreError(f"the {name} span {span_id} no longer exists (deleted in another session?).")
        if span.annotator != annotator:
            raise StoreError(f"span {span_id} belongs to {span.annotator}; {annotator} can link only their own spans.")
    assert head is not None and child is not None
    duplicate = existing_link(c, head_span_id, child_span_id, link_label)
    if duplicate is not None:
        raise StoreError(f"these spans are already linked as {label} (link {duplicate.id}).")
    now = now or utc_now()
    created = created_at or now
    if link_id is not None and c.execute("SELECT 1 FROM links WHERE id = ?", (link_id,)).fetchone() is None:
        cursor = c.execute(
            "INSERT INTO links (id, annotator, label, head_span_id, child_span_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (link_id, annotator, label, head_span_id, child_span_id, created, now))
    else:
        cursor = c.execute(
            "INSERT INTO links (annotator, label, head_span_id, child_span_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)", (annotator, label, head_span_id, child_span_id, created, now))
    new_id = cursor.lastrowid
    assert new_id is not None
    return Link(new_id, annotator, label, head_span_id, child_span_id, head.document_id, child.document_id,
                created, now)


def record_link_event(
    c: Connection, action: str, annotator: str, before: Link | None, after: Link | None, *,
    target: int | None = None, now: str | None = None,
) -> Event:
    from tui.store.history import record_event  # history imports this module

    link = after or before
    assert link is not None
    return record_event(c, action, link.head_document_id, annotator, link.head_span_id,
                 None if before is None else link_state(before), None if after is None else link_state(after),
                 target=target, now=now)


def detach_span_links(c: Connection, span_id: int) -> list[dict[str, Any]]:
    """Delete every link of a span (before the span itself goes); their states, for its delete event."""
    links = links_of_span(c, span_id)
    if links:
        c.execute("DELETE FROM links WHERE head_span_id = ?1 OR child_span_id = ?1", (span_id,))
    return [link_state(link) for link in links]


def restore_links(c: Connection, states: Iterable[dict[str, Any]], now: str) -> list[dict[str, Any]]:
    """Put back links a span's deletion took with it (same ids); those whose other span is gone, or that
    exist again, are left out. Returns the states restored."""
    restored: list[dict[str, Any]] = []
    for state in states:
        link = link_from_state(state)
        if _span(c, link.head_span_id) is None or _span(c, link.child_span_id) is None:
            continue
        if c.execute("SELECT 1 FROM links WHERE id = ?", (link.id,)).fetchone() is not None:
            continue
        try:
            label = fetch_link_label(c, link.label)
        except StoreError:
            continue
        if existing_link(c, link.head_span_id, link.child_span_id, label) is not None:
            continue
        c.execute(
            "INSERT INTO links (id, annotator, label, head_span_id, child_span_id, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (link.id, link.annotator, link.label, link.head_span_id, link.child_span_id, link.created_at, now))
        restored.append({**state, "updated_at": now})
    return restored


def link_transition(
    c: Connection, kind: str, annotator: str, link_id: int, target_id: int, target_action: str,
    frm: dict[str, Any] | None, to: dict[str, Any] | None,
) -> Event:
    """Undo/redo of a link event: move link `link_id` from state `frm` to `to` (None = absent)."""
    current = fetch_link(c, link_id)
    if frm is None:
        matches = current is None
    else:
        matches = current is not None and (current.label, current.head_span_id, current.child_span_id) == (
            frm["label"], frm["head_span_id"], frm["child_span_id"])
    if not matches:
        raise StoreError(
            f"cannot {kind} the {target_action.replace('_', ' ')} of link {link_id}: it was changed since "
            "(by another session of the same annotator?). Reload the document."
        )
    now = utc_now()
    new: Link | None
    if to is None:
        c.execute("DELETE FROM links WHERE id = ?", (link_id,))
        new = None
    elif current is None:
        try:
            new = insert_link(c, annotator, to["head_span_id"], to["child_span_id"], to["label"], link_id=link_id,
                              now=now, created_at=to["created_at"])
        except StoreError as exc:
            raise StoreError(f"cannot {kind} the link: {exc}") from exc
    else:
        c.execute("UPDATE links SET label = ?, updated_at = ? WHERE id = ?", (to["label"], now, link_id))
        new = Link(current.id, current.annotator, to["label"], current.head_span_id, current.child_span_id,
                   current.head_document_id, current.child_document_id, current.created_at, now)
    return record_link_event(c, kind, annotator, current, new, target=target_id, now=now)

__all__ = [
    "LINK_ACTIONS", "Link", "LinkLabel", "detach_span_links",
    "ensure_link_label", "insert_link", "link_transition", "restore_links",
]
