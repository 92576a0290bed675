"""What suggestions read and keep in the database (issue 14): the counts of tagged strings and the
imported patterns. SQL only; the folding is tui.suggest's, passed in as a function.

- ``span_texts`` (migration 7) counts every distinct (text, label) in ``spans``; triggers keep it
  exact whatever writes the spans. Its ``key`` column is the folded match key: filled here, in small
  batches outside any long transaction, by :meth:`SuggestMethods.fill_span_text_keys` for rows that
  have none, and cleared when the folding version changes; with it two 61-bit hashes (the key, and
  its first token with the token count), indexed. Looking up the keys one article could contain is
  then a few thousand integer index probes, whatever the size of the corpus.
- ``patterns``: gazetteer entries and token patterns (``tui patterns import``; their rows are
  tui.store.patterns', imported when read or written: a plain start of the app does not).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from tui.store.dbapi import Connection
from tui.store.parts import StorePart
from tui.store.connection import utc_now
from tui.store.errors import StoreError
from tui.store.models import Span

if TYPE_CHECKING:
    from tui.store.candidates import Candidate, NewCandidate
    from tui.store.patterns import NewPattern, PatternRow

KEY_BATCH = 5000
_LOOKUP_CHUNK = 20000

NO_KEY = "\ufffe"
"""The key of a tagged string with nothing to match on: a noncharacter no folded text contains
(and, unlike NUL, one PostgreSQL can store)."""

KeyRow = tuple[str, int, int, int]
"""(key, key_hash, first_hash, tokens) of a tagged string"""


def _chunks(values: list[int]) -> Iterable[str]:
    for i in range(0, len(values), _LOOKUP_CHUNK):
        yield json.dumps(values[i:i + _LOOKUP_CHUNK])


class SuggestMethods(StorePart):
    """The suggestion part of `Store` (mixed in): every method is one read or committed transactions."""

    if TYPE_CHECKING:
        readonly: bool

        def _checked_range(self, c: Connection, doc_id: str, start: int, end: int) -> str: ...
        def _check_label(self, c: Connection, label: str) -> None: ...
        def _text(self, c: Connection, doc_id: str) -> str: ...

    # ---------------------------------------------------------------- tagged strings

    def fill_span_text_keys(self, describe: Callable[[str], KeyRow | None], version: str) -> int:
        """Give every tagged string without one its folded key and hashes (``describe(text)`` ->
        (key, key_hash, first_hash, tokens), or None when there is nothing to match on; ``version``
        names the folding, and a different one clears the old keys first). Batches of KEY_BATCH
        rows, each its own short transaction. Returns how many rows were keyed; 0 when read-only."""
        if self.readonly:
            return 0
        stored = self._read(lambda c: c.execute(
            "SELECT value FROM suggest_state WHERE name = 'key_version'").fetchone())
        if stored is None or stored[0] != version:
            def reset(c: Connection) -> None:
                c.execute("UPDATE span_texts SET key = NULL, tokens = NULL, key_hash = NULL, first_hash = NULL "
                          "WHERE key IS NOT NULL")
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
            updates: list[tuple[str, int, int | None, int | None, str, str]] = []
            for text, label in rows:
                info = describe(text)
                # a string with nothing to match on gets a key no text produces, and no hashes
                if info is None:
                    updates.append((NO_KEY, 0, None, None, text, label))
                else:
                    key, key_hash, first_hash, tokens = info
                    updates.append((key, tokens, key_hash, first_hash, text, label))

            def write(c: Connection) -> None:
                c.executemany("UPDATE span_texts SET key = ?, tokens = ?, key_hash = ?, first_hash = ? "
                              "WHERE text = ? AND label = ? AND key IS NULL", updates)
            self._write(write)
            done += len(rows)

    def span_text_max_tokens(self, first_hashes: Iterable[int]) -> dict[int, int]:
        """first-token hash -> the most tokens of a tagged string starting with that token."""
        found: dict[int, int] = {}
        for chunk in _chunks(list(first_hashes)):
            rows = self._read(lambda c: c.execute(
                "SELECT first_hash, max(tokens) FROM span_texts INDEXED BY span_texts_by_first "
                "WHERE first_hash IN (SELECT value FROM json_each(?)) GROUP BY first_hash", (chunk,)).fetchall())
            found.update((h, int(n)) for h, n in rows)
        return found

    def span_text_counts(self, key_hashes: Iterable[int]) -> dict[int, dict[str, dict[str, int]]]:
        """key hash -> key -> label -> how many spans, for the hashes some tagged string has."""
        found: dict[int, dict[str, dict[str, int]]] = {}
        for chunk in _chunks(list(key_hashes)):
            rows = self._read(lambda c: c.execute(
                "SELECT key_hash, key, label, n FROM span_texts INDEXED BY span_texts_by_hash "
                "WHERE key_hash IN (SELECT value FROM json_each(?))", (chunk,)).fetchall())
            for h, key, label, n in rows:
                labels = found.setdefault(h, {}).setdefault(key, {})
                labels[label] = labels.get(label, 0) + n
        return found

    def unkeyed_span_texts(self) -> list[tuple[str, str, int]]:
        """(text, label, n) of tagged strings without a key yet (a read-only database cannot store them)."""
        return self._read(lambda c: c.execute(
            "SELECT text, label, n FROM span_texts INDEXED BY span_texts_unkeyed WHERE key IS NULL").fetchall())

    # ------------------------------------------------------------------- candidates

    def accept_candidates(self, annotator: str, chosen: Sequence[Candidate]) -> list[Span]:
        """Accept these candidates (e.g. every suggestion with one text) in one transaction, as one
        batch: one undo takes them all back (tui.store.candidates)."""
        from tui.store import candidates as cand

        if not isinstance(annotator, str) or not annotator.strip():
            raise StoreError("an annotator name is required.")

        def action(c: Connection) -> list[Span]:
            batch = cand.new_batch()
            accepted = []
            for candidate in chosen:
                self._check_label(c, candidate.label)
                text = self._checked_range(c, candidate.document_id, candidate.start, candidate.end)
                accepted.append(cand.accept(c, annotator, candidate, text, batch=batch))
            return accepted

        return self._write(action) if chosen else []

    def replace_candidates(self, source: str, doc_id: str, items: Sequence[NewCandidate]) -> int:
        """Make ``items`` the only candidates of ``source`` in ``doc_id`` (one transaction): what a
        suggestion source proposes now, nothing it no longer does. Decisions stay. Returns how many
        rows there are now."""
        from tui.store import candidates as cand

        if not source.strip():
            raise StoreError("a source name is required.")

        def action(c: Connection) -> int:
            cand.clear(c, source, doc_id)
            labels = {r[0] for r in c.execute("SELECT name FROM labels")}
            return cand.add(c, source, items, self._text, labels)

        return self._write(action)

    # ----------------------------------------------------------------------- patterns

    def add_patterns(self, items: Sequence[NewPattern], *, replace: bool = False) -> tuple[int, int]:
        """Store patterns in one transaction (all or nothing); unknown labels are added. With
        ``replace`` the old patterns go first. Returns (added, already there)."""
        def action(c: Connection) -> tuple[int, int]:
            if replace:
                c.execute("DELETE FROM patterns")
            from tui.store.labels import check_name
            from tui.store.store import ensure_label

            known = {r[0] for r in c.execute("SELECT name FROM labels")}
            now = utc_now()
            added = 0
            for item in items:
                if item.kind not in ("text", "tokens"):
                    raise StoreError(f"pattern kind must be text or tokens, not {item.kind!r}.")
                if not item.label.strip():
                    raise StoreError(f"{item.source}: a pattern needs a label.")
                if item.label not in known:
                    try:
                        ensure_label(c, check_name(item.label))
                    except StoreError as exc:
                        raise StoreError(f"{item.source}: {exc}") from None
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
        from tui.store.patterns import PatternRow

        rows = self._read(lambda c: c.execute(
            "SELECT id, label, kind, pattern, source FROM patterns ORDER BY id").fetchall())
        return [PatternRow(r[0], r[1], r[2], r[3] if r[2] == "text" else json.loads(r[3]), r[4]) for r in rows]

    def clear_patterns(self) -> int:
        return self._write(lambda c: c.execute("DELETE FROM patterns").rowcount)

    def patterns_version(self) -> tuple[int, int]:
        """Changes whenever patterns are added or removed (count, highest id): to refresh a cache."""
        row = self._read(lambda c: c.execute("SELECT count(*), coalesce(max(id), 0) FROM patterns").fetchone())
        return int(row[0]), int(row[1])


__all__ = ["SuggestMethods"]
