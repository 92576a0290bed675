"""Label edits: add, rename, update (key, colour, description), delete when unused.

Each edit is one transaction together with its event row (`label_add`, `label_rename`,
`label_update`, `label_delete`; document_id NULL: a label belongs to the whole database). A
rename rewrites the spans' label in the same transaction (spans.label REFERENCES labels ON
UPDATE CASCADE). Events stay as they were written: undo reads an old name in a span's history
through the rename events that came after it (`current_name`).
Everything here runs inside the caller's transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Protocol, TypeVar

from tui.store.dbapi import Connection
from tui.store.parts import StorePart
from tui.safe_text import label_key_problem, label_name_problem, safe_repr
from tui.store.connection import utc_now
from tui.store.errors import StoreError, check_annotator
from tui.store.history import loads, record_event
from tui.store.models import Event, Label
from tui.store.schema import EXTRA_LABEL_COLOURS

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DESCRIPTION_LIMIT = 2000


def check_name(name: object) -> str:
    """A usable label name (stripped, NFC) or StoreError saying what is wrong. The rule is
    tui.safe_text.label_name_problem, the one the importers and the app use too."""
    if not isinstance(name, str) or not name.strip():
        raise StoreError("a label needs a name (e.g. person).")
    name = unicodedata.normalize("NFC", name.strip())
    problem = label_name_problem(name)
    if problem is not None:
        raise StoreError(f"cannot use {safe_repr(name, 40)} as a label name: {problem}.")
    return name


def check_key(key: object) -> str | None:
    """One visible one-column character (tui.safe_text.label_key_problem), or None/'' for no key."""
    if key is None or key == "":
        return None
    problem = label_key_problem(key)
    if problem is not None or not isinstance(key, str):
        raise StoreError(f"{problem or 'a label key must be a single character'} (e.g. p), not {safe_repr(key, 10)}.")
    return key


def check_colour(colour: object) -> str:
    if not isinstance(colour, str) or not COLOUR.match(colour):
        raise StoreError(f"a label colour looks like #rrggbb (e.g. #ff8700), not {colour!r}.")
    return colour.lower()


def check_description(description: object) -> str:
    if not isinstance(description, str):
        raise StoreError("a label description is text.")
    description = description.strip()
    if len(description) > DESCRIPTION_LIMIT:
        raise StoreError(f"a label description is at most {DESCRIPTION_LIMIT} characters.")
    if any(unicodedata.category(ch) == "Cc" and ch != "\n" for ch in description):
        raise StoreError("a label description cannot contain control characters.")
    return description


def get(c: Connection, name: str) -> Label | None:
    row = c.execute("SELECT name, key, colour, description FROM labels WHERE name = ?", (name,)).fetchone()
    return None if row is None else Label(*row)


def _require(c: Connection, name: str) -> Label:
    label = get(c, name)
    if label is None:
        names = ", ".join(r[0] for r in c.execute("SELECT name FROM labels ORDER BY position, name"))
        raise StoreError(f"no label {name!r}; the labels are: {names or 'none'} (tui labels list).")
    return label


def _check_key_free(c: Connection, key: str | None, owner: str | None) -> None:
    if key is None:
        return
    row = c.execute("SELECT name FROM labels WHERE key = ?", (key,)).fetchone()
    if row is not None and row[0] != owner:
        raise StoreError(f"key {key!r} already tags {row[0]!r}; choose another key or change that label first.")


def _state(label: Label) -> dict[str, object]:
    return {"name": label.name, "key": label.key, "colour": label.colour, "description": label.description}


def usage(c: Connection) -> dict[str, int]:
    """Spans per label (every label present, 0 when unused)."""
    counts = dict(c.execute("SELECT label, count(*) FROM spans GROUP BY label").fetchall())
    return {row[0]: counts.get(row[0], 0) for row in c.execute("SELECT name FROM labels ORDER BY position, name")}


def add(c: Connection, name: str, annotator: str, *, key: str | None = None, colour: str | None = None,
        description: str = "") -> Label:
    name = check_name(name)
    key = check_key(key)
    description = check_description(description)
    if get(c, name) is not None:
        raise StoreError(f"there is already a label {name!r} (tui labels set {name} ... changes it).")
    _check_key_free(c, key, None)
    count, position = c.execute("SELECT count(*), coalesce(max(position), -1) + 1 FROM labels").fetchone()
    colour = check_colour(colour) if colour is not None else EXTRA_LABEL_COLOURS[count % len(EXTRA_LABEL_COLOURS)]
    c.execute("INSERT INTO labels (name, key, colour, description, position) VALUES (?, ?, ?, ?, ?)",
              (name, key, colour, description, position))
    label = Label(name, key, colour, description)
    record_event(c, "label_add", None, annotator, None, None, _state(label))
    return label


def rename(c: Connection, old: str, new: str, annotator: str) -> tuple[Label, int]:
    """Rename `old` to `new` everywhere (the label row and every span); (label, spans renamed)."""
    label = _require(c, old)
    new = check_name(new)
    if new == old:
        raise StoreError(f"the label is already called {old!r}.")
    if get(c, new) is not None:
        raise StoreError(f"there is already a label {new!r}; rename or delete it first.")
    spans = c.execute("SELECT count(*) FROM spans WHERE label = ?", (old,)).fetchone()[0]
    now = utc_now()
    c.execute("UPDATE labels SET name = ? WHERE name = ?", (new, old))
    # ON UPDATE CASCADE has moved the spans; say so explicitly in case foreign keys are off.
    c.execute("UPDATE spans SET label = ?, updated_at = ? WHERE label = ?", (new, now, old))
    renamed = Label(new, label.key, label.colour, label.description)
    record_event(c, "label_rename", None, annotator, None, {**_state(label), "spans": spans},
                 {**_state(renamed), "spans": spans}, now=now)
    return renamed, spans


def update(c: Connection, name: str, annotator: str, *, key: str | None | bool = False,
           colour: str | None = None, description: str | None = None) -> Label:
    """Change a label's key (None removes it; False leaves it), colour or description."""
    label = _require(c, name)
    new_key = label.key if key is False else check_key(key)
    _check_key_free(c, new_key, name)
    new = Label(
        name, new_key, label.colour if colour is None else check_colour(colour),
        label.description if description is None else check_description(description),
    )
    return save_look(c, "labels", name, annotator, label, new, _state)


class _Look(Protocol):
    """What a label and a link label share: the name, and the look `set` changes."""

    @property
    def name(self) -> str: ...
    @property
    def key(self) -> str | None: ...
    @property
    def colour(self) -> str: ...
    @property
    def description(self) -> str: ...


LabelT = TypeVar("LabelT", bound=_Look)


def save_look(c: Connection, table: str, name: str, annotator: str, old: LabelT, new: LabelT,
              state: Callable[[LabelT], dict[str, object]]) -> LabelT:
    """Write label `name`'s new key, colour and description to `table` (labels, link_labels) with
    its `label_update` event (`state`: what the event records of each); nothing when nothing
    changed. Returns the label as it now is."""
    if new == old:
        return old
    c.execute(f"UPDATE {table} SET key = ?, colour = ?, description = ? WHERE name = ?",
              (new.key, new.colour, new.description, name))
    record_event(c, "label_update", None, annotator, None, state(old), state(new))
    return new


def delete(c: Connection, name: str, annotator: str) -> Label:
    """Delete a label no span uses (anyone's)."""
    label = _require(c, name)
    used = c.execute("SELECT count(*), count(DISTINCT annotator) FROM spans WHERE label = ?", (name,)).fetchone()
    if used[0]:
        raise StoreError(
            f"label {name!r} is used by {used[0]} span{'s' * (used[0] != 1)} of {used[1]} "
            f"annotator{'s' * (used[1] != 1)}; delete or relabel them first, or rename the label."
        )
    c.execute("DELETE FROM labels WHERE name = ?", (name,))
    record_event(c, "label_delete", None, annotator, None, _state(label), None)
    return label


def current_name(c: Connection, name: str, since_event_id: int) -> str:
    """What label `name`, as written by event `since_event_id`, is called now (renames followed)."""
    for before, after in c.execute(
        "SELECT json_extract(before, '$.name'), json_extract(after, '$.name') FROM events "
        "WHERE action = 'label_rename' AND id > ? ORDER BY id", (since_event_id,)
    ):
        if before == name:
            name = after
    return name


_DOCUMENT_REQUIRED = "document_id TEXT NOT NULL REFERENCES documents (id)"
_DOCUMENT_OPTIONAL = "document_id TEXT REFERENCES documents (id)"


def allow_label_events(c: Connection) -> None:
    """Migration 4: events.document_id may be NULL (label edits). Inside the migration's transaction.

    Removing a NOT NULL constraint does not change how rows are stored, so it is done in place as
    https://sqlite.org/lang_altertable.html ("otherwise" procedure) describes: edit the table's SQL in
    sqlite_schema and bump schema_version, so every connection reloads the schema."""
    (sql,) = c.execute("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'events'").fetchone()
    if _DOCUMENT_REQUIRED not in sql:
        if _DOCUMENT_OPTIONAL in sql:
            return
        raise StoreError("cannot migrate the events table: its schema is not the expected one.")
    version = int(c.execute("PRAGMA schema_version").fetchone()[0])
    c.execute("PRAGMA writable_schema = ON")
    try:
        c.execute("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'events'",
                  (sql.replace(_DOCUMENT_REQUIRED, _DOCUMENT_OPTIONAL, 1),))
        c.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        c.execute("PRAGMA writable_schema = OFF")


def ensure_label(
    c: Connection, name: str, *, key: str | None = None, colour: str | None = None, description: str = ""
) -> Label:
    """The label called `name`, created (with the next free colour) if missing. Inside a transaction."""
    row = c.execute("SELECT name, key, colour, description FROM labels WHERE name = ?", (name,)).fetchone()
    if row is not None:
        return Label(*row)
    count, position = c.execute("SELECT count(*), coalesce(max(position), -1) + 1 FROM labels").fetchone()
    colour = colour or EXTRA_LABEL_COLOURS[count % len(EXTRA_LABEL_COLOURS)]
    if key is not None and c.execute("SELECT 1 FROM labels WHERE key = ?", (key,)).fetchone():
        key = None
    c.execute(
        "INSERT INTO labels (name, key, colour, description, position) VALUES (?, ?, ?, ?, ?)",
        (name, key, colour, description, position),
    )
    return Label(name, key, colour, description)


class LabelMethods(StorePart):
    """The label part of `Store` (mixed in): the label list and its edits, one transaction each."""

    def labels(self) -> list[Label]:
        rows = self._read(
            lambda c: c.execute("SELECT name, key, colour, description FROM labels ORDER BY position, name").fetchall()
        )
        return [Label(*row) for row in rows]

    def add_label(self, name: str, key: str | None = None, colour: str | None = None, description: str = "") -> Label:
        """Add a label (or return the existing one of that name)."""
        if not name or not name.strip():
            raise StoreError("a label needs a name.")
        problem = label_name_problem(name) or (label_key_problem(key) if key is not None else None)
        if problem is not None:
            raise StoreError(f"cannot add label {safe_repr(name, 40)}: {problem}.")
        return self._write(lambda c: ensure_label(c, name, key=key, colour=colour, description=description))

    # Label edits (tui.store.labels): one transaction each, recorded as label_* events.

    def create_label(self, name: str, annotator: str, *, key: str | None = None, colour: str | None = None,
                     description: str = "") -> Label:
        """Add a new label (StoreError if the name or key is taken)."""
        check_annotator(annotator)
        return self._write(lambda c: add(c, name, annotator, key=key, colour=colour,
                                                     description=description))

    def rename_label(self, old: str, new: str, annotator: str) -> tuple[Label, int]:
        """Rename a label and every span that has it; (the label, spans renamed)."""
        check_annotator(annotator)
        return self._write(lambda c: rename(c, old, new, annotator))

    def update_label(self, name: str, annotator: str, *, key: str | None | bool = False,
                     colour: str | None = None, description: str | None = None) -> Label:
        """Set a label's key (None: no key; False: unchanged), colour or description."""
        check_annotator(annotator)
        return self._write(lambda c: update(c, name, annotator, key=key, colour=colour,
                                                        description=description))

    def delete_label(self, name: str, annotator: str) -> Label:
        """Delete a label no span uses."""
        check_annotator(annotator)
        return self._write(lambda c: delete(c, name, annotator))

    def label_usage(self) -> dict[str, int]:
        """Spans per label, every label present."""
        return self._read(usage)

    def label_events(self) -> list[Event]:
        """The label_* events (edits of the label list), oldest first."""
        rows = self._read(lambda c: c.execute(
            "SELECT id, action, document_id, annotator, span_id, before, after, target_event_id, created_at "
            "FROM events WHERE document_id IS NULL ORDER BY id").fetchall())
        return [Event(r[0], r[1], r[2], r[3], r[4], loads(r[5]), loads(r[6]), r[7], r[8]) for r in rows]
