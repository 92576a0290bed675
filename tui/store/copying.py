"""A whole project from one database into another, either backend to either (`tui copy SRC DST`).

    counts = project_counts(source)               # rows per table, what a copy would write
    problem = refuse_unless_empty(target)         # None, or why the target is not empty
    copy_project(source, target, progress=...)    # one transaction on the target: all or nothing

Every row keeps its key: documents their `seq` (import order), spans, events, candidates, links and
patterns their ids, so the copied events still name the spans they changed and undo/redo work on the
copy exactly as on the original; the AUTOINCREMENT counters are carried over too (an id once used is
never handed out again, as SQLite promises). Labels and link labels replace the defaults a new
database starts with. Derived tables are not copied but rebuilt by the target itself: the full-text
index and `span_texts` (by its triggers), the suggestion keys (recomputed when next needed).

The source is read in one snapshot (a read transaction), page by page in key order, so a copy of a
large corpus does not hold it all in memory and sees no half-finished write of another process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.store.dbapi import Connection
from tui.store.errors import StoreError
from tui.store.search import dialect_of

if TYPE_CHECKING:
    from tui.store.store import Store

PAGE = 500


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]  # the primary key: rows are read in its order, page by page

    def quoted(self, columns: Sequence[str]) -> str:
        return ", ".join(f'"{c}"' for c in columns)


# In an order every foreign key is satisfied in (events after events they undo: ids grow).
TABLES: tuple[Table, ...] = (
    Table("documents", ("seq", "id", "title", "title_folded", "text", "language", "direction", "length", "source",
                        "text_sha256", "imported_at", "meta"), ("seq",)),
    Table("labels", ("name", "key", "colour", "description", "position"), ("name",)),
    Table("link_labels", ("name", "key", "colour", "description", "transitive", "symmetric", "position"), ("name",)),
    Table("spans", ("id", "document_id", "annotator", "label", "start", "end", "text", "created_at", "updated_at"),
          ("id",)),
    Table("events", ("id", "created_at", "annotator", "document_id", "action", "span_id", "before", "after",
                     "target_event_id"), ("id",)),
    Table("document_status", ("document_id", "annotator", "status", "updated_at"), ("document_id", "annotator")),
    Table("candidates", ("id", "document_id", "source", "label", "start", "end", "text", "created_at", "meta"),
          ("id",)),
    Table("candidate_decisions", ("document_id", "annotator", "label", "start", "end", "decision", "source",
                                  "event_id", "decided_at"), ("document_id", "annotator", "label", "start", "end")),
    Table("links", ("id", "annotator", "label", "head_span_id", "child_span_id", "created_at", "updated_at"), ("id",)),
    Table("patterns", ("id", "label", "pattern", "kind", "key", "source", "created_at"), ("id",)),
    Table("view_directions", ("document_id", "paragraph", "direction", "annotator", "updated_at"),
          ("document_id", "paragraph")),
)
DERIVED = frozenset({"schema_migrations", "span_texts", "suggest_state"})
"""Tables a copy does not write: the schema's own bookkeeping, and what the target rebuilds."""

# The tables whose rows are someone's work: a target with any of them is not empty.
WORK = tuple(table.name for table in TABLES if table.name not in ("labels", "link_labels"))

Progress = Callable[[int, str], None]
"""progress(rows copied so far, table being copied)."""


def project_counts(store: Store) -> dict[str, int]:
    """Rows per copied table."""
    conn = store.connection
    return {table.name: int(conn.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]) for table in TABLES}


def refuse_unless_empty(store: Store) -> str | None:
    """None when `store` holds nobody's work (a new database: only its default labels), else what it holds."""
    return _held(store.connection)


def _held(conn: Connection) -> str | None:
    held = []
    for name in WORK:
        count = int(conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0])
        if count:
            held.append(f"{count:,} {name.replace('_', ' ')}")
    return ", ".join(held) if held else None


def copy_project(source: Store, target: Store, *, progress: Progress | None = None) -> dict[str, int]:
    """Copy every table of `source` into the empty `target` in one transaction; rows copied per table.

    StoreError (nothing written) when the target is not empty."""
    src = source.connection
    copied: dict[str, int] = {}
    src.execute("BEGIN")  # one snapshot of the source for the whole copy
    try:
        counters = _counters(src)
        with target.transaction() as dst:
            held = _held(dst)
            if held is not None:
                raise StoreError(f"{target.path} is not empty ({held}): tui copy only fills an empty database. "
                                 "Nothing was changed.")
            dst.execute("DELETE FROM labels")  # the defaults of a new database: the source's replace them
            dst.execute("DELETE FROM link_labels")
            done = 0
            for table in TABLES:
                copied[table.name] = 0
                insert = (f"INSERT INTO {table.name} ({table.quoted(table.columns)}) "
                          f"VALUES ({', '.join('?' for _ in table.columns)})")
                for rows in _pages(src, table):
                    dst.executemany(insert, rows)
                    copied[table.name] += len(rows)
                    done += len(rows)
                    if progress is not None:
                        progress(done, table.name)
            _set_counters(dst, counters)
    finally:
        if src.in_transaction:
            src.execute("ROLLBACK")  # it only read
    return copied


def _pages(conn: Connection, table: Table) -> Iterator[list[tuple[Any, ...]]]:
    """The table's rows in key order, PAGE at a time (keyset paging: each page starts after the last key)."""
    columns = table.quoted(table.columns)
    key = table.quoted(table.key)
    positions = [table.columns.index(column) for column in table.key]
    last: tuple[Any, ...] | None = None
    while True:
        if last is None:
            rows = conn.execute(f"SELECT {columns} FROM {table.name} ORDER BY {key} LIMIT {PAGE}").fetchall()
        else:
            after = ", ".join("?" for _ in table.key)
            rows = conn.execute(f"SELECT {columns} FROM {table.name} WHERE ({key}) > ({after}) "
                                f"ORDER BY {key} LIMIT {PAGE}", last).fetchall()
        if not rows:
            return
        page = [tuple(row) for row in rows]
        yield page
        if len(page) < PAGE:
            return
        last = tuple(page[-1][i] for i in positions)


def _counters(conn: Connection) -> dict[str, int]:
    """The AUTOINCREMENT counters: the largest id each table ever gave (deleted rows included)."""
    if dialect_of(conn) == "postgres":
        rows = conn.execute("SELECT name, value FROM tui_sequences").fetchall()
    else:
        rows = conn.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
    return {str(name): int(value) for name, value in rows}


def _set_counters(conn: Connection, counters: dict[str, int]) -> None:
    postgres = dialect_of(conn) == "postgres"
    for name, value in sorted(counters.items()):
        if postgres:
            conn.execute("UPDATE tui_sequences SET value = greatest(value, ?) WHERE name = ?", (value, name))
            continue
        changed = conn.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (value, name))
        if changed.rowcount == 0:
            conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, value))
