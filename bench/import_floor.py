"""The floor of `tui import` for the import benchmark: what any importer into tui's schema must do.

    python -m bench.import_floor DB FILE.jsonl

Decodes each JSON line, computes the document id (sha256 of the UTF-8 text), and inserts the row
into the app's own schema (created by the store's migration: same indexes, WAL, synchronous=FULL) in
one transaction with executemany. No validation, normalisation, language or direction detection.

The full-text index's insert trigger is dropped inside that transaction and created again before it
commits, as `tui import` does (tui.store.bulk.ImportBatch): a big import leaves the index to be built
afterwards (`tui index`, the app's background job), so the floor does not pay FTS5's indexing either.
(From migration 10 until the index was deferred, the floor paid the trigger row by row: it was no
floor then.)
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path


def main(db: Path, source: Path) -> None:
    from tui.store import Store
    from tui.store.search import FTS_INSERT_TRIGGER

    with Store.open(db) as store:
        conn = store.connection

        def rows():
            with open(source, "rb") as handle:
                for line in handle:
                    record = json.loads(line)
                    text = record["text"]
                    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                    title = record["meta"]["title"]
                    yield (digest[:16], title, title.casefold(), text, record["meta"]["lang"],
                           "ltr", len(text), str(source), digest, "t", "{}")

        conn.execute("BEGIN IMMEDIATE")
        trigger = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                               (FTS_INSERT_TRIGGER,)).fetchone()[0]
        conn.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
        conn.executemany(
            "INSERT INTO documents (id, title, title_folded, text, language, direction, length, source, "
            "text_sha256, imported_at, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows())
        conn.execute(trigger)
        conn.execute("COMMIT")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
