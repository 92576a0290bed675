"""Helpers for the tests of the full-text index (tui.store.search): what it holds, read through
fts5vocab, and the index SQLite's own triggers build for the same documents."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.store import Store
from tui.store.documents import NewDocument


def vocabulary(store: Store) -> list[tuple]:
    """(term, documents, occurrences) for every term of the index, in term order."""
    conn = store.connection
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, documents_fts, 'row')")
    return conn.execute("SELECT term, doc, cnt FROM temp.vocab ORDER BY term").fetchall()


def instances(conn: sqlite3.Connection) -> list[tuple]:
    """Every (term, rowid, column, offset) the index holds, sorted: a document indexed twice shows
    each of its words twice."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab_i USING fts5vocab(main, documents_fts, 'instance')")
    return sorted(conn.execute("SELECT term, doc, col, \"offset\" FROM temp.vocab_i").fetchall())


def indexed_rowids(conn: sqlite3.Connection) -> list[int]:
    return [row[0] for row in conn.execute("SELECT id FROM documents_fts_docsize ORDER BY id")]


def trigger_built(store: Store, folder: Path) -> list[tuple]:
    """`instances` of the index the insert trigger builds when the store's documents (same seq, same
    rows) are inserted one by one, in order, into a new database."""
    reference = folder / "trigger_built.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{reference}{suffix}").unlink(missing_ok=True)
    with Store.open(reference) as ref:
        conn = ref.connection
        conn.execute("ATTACH DATABASE ? AS src", (str(store.path),))
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO main.documents SELECT * FROM src.documents ORDER BY seq")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
        assert indexed_rowids(conn) == [row[0] for row in conn.execute("SELECT seq FROM documents ORDER BY seq")]
        return instances(conn)


def articles(n: int, start: int = 0) -> list[NewDocument]:
    """n distinct articles, Vietnamese and Arabic in turn, with words the folding maps."""
    docs = []
    for i in range(start, start + n):
        if i % 2:
            docs.append(NewDocument(f"الرَّئِيسُ وقّع معاهدة رقم {i} في مُوسكو.", f"خبر {i}", "ar", "rtl", None, {}))
        else:
            docs.append(NewDocument(f"Bài {i}: Đàm phán ở Minsk, hiệp ước số {i}.", f"tin {i}", "vi", "ltr", None, {}))
    return docs
