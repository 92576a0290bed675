"""What suggestions read and keep in the database (issue 14): the counts of tagged strings and the
imported patterns. SQL only; the folding is tui.suggest's, passed in as a function.

- ``span_texts`` (migration 7) counts every distinct (text, label) in ``spans``; triggers keep it
  exact whatever writes the spans. Its ``key`` column is the folded match key: filled here, in small
  batches outside any long transaction, by :meth:`SuggestMethods.fill_span_text_keys` for rows that
  have none, and cleared when the folding version changes. Looking up the keys one article could
  contain is then a few thousand index probes, whatever the size of the corpus.
- ``patterns``: gazetteer entries and token patterns (``tui patterns import``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from tui.store.connection import utc_now
from tui.store.errors import StoreError

T = TypeVar("T")

KEY_BATCH = 5000
_LOOKUP_CHUNK = 20000


@dataclass(frozen=True, slots=True)
class PatternRow:
    """One stored pattern: ``pattern`` is the string (kind 'text') or the token list (kind 'tokens')."""

    id: int
    label: str
    kind: str
    pattern: str | list[dict[str, str]]
    source: str


@dataclass(frozen=True, slots=True)
class NewPattern:
    label: str
    kind: str  # text | tokens
    pattern: str | list[dict[str, str]]
    key: str
    source: str = ""


class SuggestMethods:
    """The suggestion part of `Store` (mixed in): every method is one read or committed transactions."""

    if TYPE_CHECKING:
        readonly: bool

        def _read(self, action: Callable[[sqlite3.Connection], T]) -> T: ...
        def _write(self, action: Callable[[sqlite3.Connection], T]) -> T: ...

    # ---------------------------------------------------------------- tagged strings

    def fill_span_text_keys(self, key_of: Callable[[str], str | None], version: str,
                            token_count: Callable[[str], int]) -> int:
        """Give every tagged string without one its folded key (``key_of``; ``version`` names the
        folding, and a different one clears the old keys first). Batches of KEY_BATCH rows, each its
        own short transaction. Returns how many rows were keyed; 0 on a read-only database."""
        if self.readonly:
            return 0
        stored = self._read(lambda c: c.execute(
            "SELECT value FROM suggest_state WHERE name = 'key_version'").fetchone())
        if stored is None or stored[0] != version:
            def reset(c: sqlite3.Connection) -> None:
                c.execute("UPDATE span_texts SET key = NULL, tokens = NULL WHERE key IS NOT NULL")
                c.execute("INSERT INTO suggest_state (name, value) VALUES ('key_version', ?) "
                          "ON CONFLICT (name) DO UPDATE SET value = excluded.value", (version,))
            self._write(reset)
        done = 0
        while True:
            rows = self._read(lambda c: c.execute(
                "SELECT text, label FROM span_texts INDEXED BY span_texts_unkeyed WHERE key IS NULL LIMIT ?",
                (KEY_BATCH,)).fetchall())
            if not rows:
                return done
            updates = []
            for text, label in rows:
                key = key_of(text)
                # a string with nothing to match on still gets a key that no text produces
                updates.append((key if key is not None else "\x00", token_count(key) if key else 0, text, label))

            def write(c: sqlite3.Connection) -> None:
                c.executemany("UPDATE span_texts SET key = ?, tokens = ? WHERE text = ? AND label = ? "
                              "AND key IS NULL", updates)
            self._write(write)
            done += len(rows)

    def span_text_max_tokens(self) -> int:
        """The most tokens any keyed tagged string has (0 when there is none)."""
        row = self._read(lambda c: c.execute(
            "SELECT max(tokens) FROM span_texts INDEXED BY span_texts_by_tokens WHERE tokens IS NOT NULL"
        ).fetchone())
        return int(row[0] or 0)

    def span_text_counts(self, keys: Iterable[str]) -> dict[str, dict[str, int]]:
        """For the keys that some tagged string has: key -> label -> how many spans."""
        wanted = list(keys)
        found: dict[str, dict[str, int]] = {}
        for i in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = json.dumps(wanted[i:i + _LOOKUP_CHUNK], ensure_ascii=False)
            rows = self._read(lambda c: c.execute(
                "SELECT key, label, n FROM span_texts INDEXED BY span_texts_by_key "
                "WHERE key IN (SELECT value FROM json_each(?))", (chunk,)).fetchall())
            for key, label, n in rows:
                labels = found.setdefault(key, {})
                labels[label] = labels.get(label, 0) + n
        return found

    def unkeyed_span_texts(self) -> list[tuple[str, str, int]]:
        """(text, label, n) of tagged strings without a key yet (a read-only database cannot store them)."""
        return self._read(lambda c: c.execute(
            "SELECT text, label, n FROM span_texts INDEXED BY span_texts_unkeyed WHERE key IS NULL").fetchall())

    # ----------------------------------------------------------------------- patterns

    def add_patterns(self, items: Sequence[NewPattern], *, replace: bool = False) -> tuple[int, int]:
        """Store patterns in one transaction (all or nothing); unknown labels are added. With
        ``replace`` the old patterns go first. Returns (added, already there)."""
        from tui.store.schema import EXTRA_LABEL_COLOURS

        def action(c: sqlite3.Connection) -> tuple[int, int]:
            if replace:
                c.execute("DELETE FROM patterns")
            known = {r[0] for r in c.execute("SELECT name FROM labels")}
            position = int(c.execute("SELECT coalesce(max(position), 0) FROM labels").fetchone()[0])
            now = utc_now()
            added = 0
            for item in items:
                if item.kind not in ("text", "tokens"):
                    raise StoreError(f"pattern kind must be text or tokens, not {item.kind!r}.")
                if not item.label.strip():
                    raise StoreError(f"{item.source}: a pattern needs a label.")
                if item.label not in known:
                    position += 1
                    colour = EXTRA_LABEL_COLOURS[(position - 1) % len(EXTRA_LABEL_COLOURS)]
                    c.execute("INSERT INTO labels (name, key, colour, description, position) VALUES (?, NULL, ?, '', ?)",
                              (item.label, colour, position))
                    known.add(item.label)
                stored = item.pattern if isinstance(item.pattern, str) else json.dumps(item.pattern, ensure_ascii=False)
                cursor = c.execute(
                    "INSERT INTO patterns (label, pattern, kind, key, source, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (key, label) DO NOTHING",
                    (item.label, stored, item.kind, item.key, item.source, now))
                added += cursor.rowcount
            return added, len(items) - added

        return self._write(action)

    def patterns(self) -> list[PatternRow]:
        rows = self._read(lambda c: c.execute(
            "SELECT id, label, kind, pattern, source FROM patterns ORDER BY id").fetchall())
        return [PatternRow(r[0], r[1], r[2], r[3] if r[2] == "text" else json.loads(r[3]), r[4]) for r in rows]

    def clear_patterns(self) -> int:
        return self._write(lambda c: c.execute("DELETE FROM patterns").rowcount)

    def patterns_version(self) -> tuple[int, int]:
        """Changes whenever patterns are added or removed (count, highest id): to refresh a cache."""
        row = self._read(lambda c: c.execute("SELECT count(*), coalesce(max(id), 0) FROM patterns").fetchone())
        return int(row[0]), int(row[1])


__all__ = ["NewPattern", "PatternRow", "SuggestMethods"]
