"""The full-text index built after a big import (tui.store.search, migration 11): a big import
leaves its articles out of it, `index_search_chunk` adds them in order, chunk by chunk; whatever the
order of inserts, imports, deletes and chunks, the index ends up exactly the one the triggers build
(never a document twice: a contentless FTS5 index would silently corrupt)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.store.fts_index import articles, indexed_rowids, instances, trigger_built
from tui.store import Store
from tui.store import search
from tui.store.search import DocumentQuery

REPO = Path(__file__).resolve().parents[2]


def _import(store: Store, docs) -> int:
    """A bulk import (as tui import makes one); returns what it left unindexed."""
    with store.bulk_import() as batch:
        batch.add_documents(docs)
    return batch.unindexed


def _found(store: Store, words: str) -> set[str]:
    return {d.title for d in store.find_documents(DocumentQuery(search=words), limit=10_000)}


def _check_prefix(conn: sqlite3.Connection) -> None:
    """The invariant: the indexed documents are exactly those with seq <= W."""
    rowids = indexed_rowids(conn)
    upto = rowids[-1] if rowids else 0
    assert rowids == [row[0] for row in conn.execute("SELECT seq FROM documents WHERE seq <= ? ORDER BY seq", (upto,))]


def test_every_indexed_document_has_a_docsize_row(sqlite_store: Store):
    """W is read from documents_fts_docsize: FTS5 keeps a row there for each indexed rowid."""
    for doc in articles(5):
        sqlite_store.add_document(doc.text, title=doc.title, language=doc.language, direction=doc.direction)
    conn = sqlite_store.connection
    assert indexed_rowids(conn) == [row[0] for row in conn.execute("SELECT seq FROM documents ORDER BY seq")]
    assert sqlite_store.search_index_progress() == (5, 5)


def test_a_small_import_is_searchable_at_once(sqlite_store: Store):
    assert _import(sqlite_store, articles(10)) == 0
    assert sqlite_store.search_index_progress() == (10, 10)
    assert not sqlite_store.search_index_lags()
    assert len(_found(sqlite_store, "minsk")) == 5


def test_a_big_import_leaves_the_index_to_be_built_then_chunks_build_it(sqlite_store: Store, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(search, "IMPORT_INDEX_LIMIT", 20)
    store = sqlite_store
    _import(store, articles(4))
    assert _import(store, articles(30, start=4)) == 30
    assert store.search_index_progress() == (4, 34)
    assert store.search_index_lags()
    conn = store.connection
    assert max(indexed_rowids(conn)) < conn.execute("SELECT max(seq) FROM documents").fetchone()[0]
    assert _found(store, "minsk") == {"tin 0", "tin 2"}  # the text of the new ones is not searchable yet
    assert _found(store, "tin 10") == {"tin 10"}  # their titles are
    store.add_document("Minsk lúc này.", title="sau", language="vi", direction="ltr")
    assert store.search_index_progress() == (4, 35)  # not indexed out of order
    assert _import(store, articles(2, start=100)) == 33  # a small import behind the backlog waits too
    assert store.index_search_chunk(7) == (11, 37)
    _check_prefix(conn)
    while store.search_index_progress()[0] < 37:
        store.index_search_chunk(7)
    assert store.index_search_chunk(7) == (37, 37)  # nothing left: nothing done
    assert "sau" in _found(store, "minsk")
    assert instances(conn) == trigger_built(store, tmp_path)
    store.add_document("Minsk nữa.", title="cuối", language="vi", direction="ltr")
    assert store.search_index_progress() == (38, 38)  # the trigger indexes again once it is complete


def test_a_backlog_within_the_limit_is_indexed_by_the_next_import(sqlite_store: Store, monkeypatch):
    monkeypatch.setattr(search, "IMPORT_INDEX_LIMIT", 20)
    _import(sqlite_store, articles(25))
    sqlite_store.index_search_chunk(10)
    assert _import(sqlite_store, articles(3, start=50)) == 0
    assert sqlite_store.search_index_progress() == (28, 28)


def test_deleting_documents_indexed_or_not_keeps_the_index_exact(sqlite_store: Store, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(search, "IMPORT_INDEX_LIMIT", 5)
    store = sqlite_store
    _import(store, articles(12))
    store.index_search_chunk(6)
    conn = store.connection
    with store.transaction() as c:
        c.execute("DELETE FROM documents WHERE seq IN (2, 6, 9, 12)")  # indexed (2, 6), not (9, 12)
    _check_prefix(conn)
    assert store.search_index_progress() == (4, 8)
    while store.search_index_progress()[0] < 8:
        store.index_search_chunk(2)
    assert instances(conn) == trigger_built(store, tmp_path)


# -- any sequence of writes -----------------------------------------------------------------------

OPS = st.lists(st.one_of(
    st.tuples(st.just("add"), st.integers(1, 3)),
    st.tuples(st.just("import"), st.integers(1, 12)),
    st.tuples(st.just("delete"), st.integers(0, 40)),
    st.tuples(st.just("chunk"), st.integers(1, 8)),
    st.tuples(st.just("gap"), st.integers(0, 40)),  # a row given the seq of a deleted one (as tui copy gives seqs)
), max_size=12)


def _insert_at_a_gap(store: Store, n: int, made: int) -> None:
    conn = store.connection
    seqs = {row[0] for row in conn.execute("SELECT seq FROM documents")}
    gaps = sorted(set(range(1, max(seqs, default=0))) - seqs)
    if not gaps:
        return
    doc = articles(1, start=made)[0]
    with store.transaction() as c:
        c.execute("INSERT INTO documents (seq, id, title, title_folded, text, language, direction, length, "
                  "text_sha256, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 't')",
                  (gaps[n % len(gaps)], f"gap{made}", doc.title, doc.title, doc.text, doc.language, doc.direction,
                   len(doc.text), f"gap{made}"))


@settings(max_examples=40, deadline=None)
@given(OPS)
def test_any_sequence_of_writes_and_chunks_builds_the_triggers_index(ops):
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "IMPORT_INDEX_LIMIT", 4)
        with Store.open(Path(folder) / "a.db") as store:
            conn, made = store.connection, 0
            for op, n in ops:
                if op == "add":
                    for doc in articles(n, start=made):
                        store.add_document(doc.text, title=doc.title, language=doc.language,
                                           direction=doc.direction)
                elif op == "import":
                    _import(store, articles(n, start=made))
                elif op == "delete":
                    seqs = [row[0] for row in conn.execute("SELECT seq FROM documents ORDER BY seq")]
                    if seqs:
                        with store.transaction() as c:
                            c.execute("DELETE FROM documents WHERE seq = ?", (seqs[n % len(seqs)],))
                elif op == "gap":
                    _insert_at_a_gap(store, n, made)
                else:
                    store.index_search_chunk(n)
                made += n + 1
                _check_prefix(conn)
                indexed, total = store.search_index_progress()
                assert len(indexed_rowids(conn)) == indexed <= total
            while store.search_index_progress()[0] < store.search_index_progress()[1]:
                store.index_search_chunk(5)
            held = instances(conn)
            assert len(set(held)) == len(held)  # no document twice
            assert held == trigger_built(store, Path(folder))


# -- several processes ----------------------------------------------------------------------------

_INDEXER = """
import os, sys, time
from tui.store import Store
with Store.open(sys.argv[1], busy_timeout_ms=30_000) as store:
    print("ready", flush=True)
    while len(sys.argv) > 3 and not os.path.exists(sys.argv[3]):  # both start together
        time.sleep(0.005)
    while True:
        indexed, total = store.index_search_chunk(int(sys.argv[2]))
        print(indexed, flush=True)
        if indexed >= total:
            break
        time.sleep(0.01)  # as tui index does: another writer gets the lock between chunks
"""


def _indexer(db: Path, chunk: int, go: Path | None = None) -> subprocess.Popen:
    """A process indexing `db` chunk by chunk to the end, printing its progress after each chunk
    (after a first line "ready"; with `go`, it starts once that file exists)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-c", _INDEXER, str(db), str(chunk), *([str(go)] if go else [])],
                               env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    return process


def _unindexed_store(path: Path, n: int, monkeypatch) -> Store:
    monkeypatch.setattr(search, "IMPORT_INDEX_LIMIT", 0)
    store = Store.open(path)
    _import(store, articles(n))
    assert store.search_index_progress() == (0, n)
    return store


def test_two_processes_indexing_at_once_index_each_document_once(tmp_path: Path, monkeypatch):
    db = tmp_path / "a.db"
    go = tmp_path / "go"
    with _unindexed_store(db, 2000, monkeypatch) as store:
        first, second = _indexer(db, 10, go), _indexer(db, 10, go)
        go.touch()
        outputs = [first.communicate(timeout=120)[0].split(), second.communicate(timeout=120)[0].split()]
        assert first.returncode == 0 and second.returncode == 0
        assert [out[-1] for out in outputs] == ["2000", "2000"]  # each ran to the end
        assert store.search_index_progress() == (2000, 2000)
        held = instances(store.connection)
        assert len(set(held)) == len(held)
        assert held == trigger_built(store, tmp_path)


def test_an_indexer_killed_between_chunks_loses_nothing_and_the_next_run_goes_on(tmp_path: Path, monkeypatch):
    db = tmp_path / "a.db"
    with _unindexed_store(db, 1500, monkeypatch) as store:
        indexer = _indexer(db, 5)
        assert indexer.stdout is not None
        seen = int(indexer.stdout.readline())  # one chunk committed
        indexer.send_signal(signal.SIGKILL)
        indexer.wait(timeout=30)
        indexed, total = store.search_index_progress()
        assert seen <= indexed < total
        _check_prefix(store.connection)
        rerun = _indexer(db, 500)
        rerun.communicate(timeout=120)
        assert store.search_index_progress() == (1500, 1500)
        assert instances(store.connection) == trigger_built(store, tmp_path)


# -- migration from v10 -----------------------------------------------------------------------------


def _as_version_10(path: Path) -> None:
    """Turn a current database back into what migration 10 left: its triggers, user_version 10."""
    from tui.store.connection import split_statements
    from tui.store.search import FTS_SCHEMA

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute("DROP TRIGGER documents_fts_insert")
        conn.execute("DROP TRIGGER documents_fts_delete")
        for statement in split_statements(FTS_SCHEMA):
            if statement.startswith("CREATE TRIGGER"):
                conn.execute(statement)
        conn.execute("DELETE FROM schema_migrations WHERE version > 10")
        conn.execute("PRAGMA user_version = 10")
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_a_version_10_database_is_fully_indexed_after_migration(tmp_path: Path):
    path = tmp_path / "v10.db"
    Store.open(path).close()
    _as_version_10(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:  # written by a v10 tui: every document indexed by the old trigger
        conn.execute("INSERT INTO documents (id, title, title_folded, text, language, direction, length, "
                     "text_sha256, imported_at) VALUES ('a1', 'một', 'mot', 'Đàm phán ở Minsk.', 'vi', 'ltr', 17, "
                     "'a1x', '2026-01-01'), ('a2', 'hai', 'hai', 'Minsk hôm nay.', 'vi', 'ltr', 14, 'a2x', '2026-01-01')")
    finally:
        conn.close()
    with Store.open(path) as store:
        assert store.connection.execute("PRAGMA user_version").fetchone()[0] == 11
        assert store.search_index_progress() == (2, 2)
        assert _found(store, "minsk") == {"một", "hai"}
        store.add_document("Minsk lần ba.", title="ba", language="vi", direction="ltr")
        assert _found(store, "minsk") == {"một", "hai", "ba"}
        assert instances(store.connection) == trigger_built(store, tmp_path)


def test_the_index_is_complete_on_both_backends_after_ordinary_writes(store: Store):
    for doc in articles(3):
        store.add_document(doc.text, title=doc.title, language=doc.language, direction=doc.direction)
    _import(store, articles(3, start=3))
    assert store.search_index_progress() == (6, 6)
    assert store.index_search_chunk() == (6, 6)
    assert len(_found(store, "minsk")) == 3


def test_the_annotation_stamp_moves_with_writes_the_panes_show_not_with_the_index(sqlite_store: Store, monkeypatch):
    monkeypatch.setattr(search, "IMPORT_INDEX_LIMIT", 0)
    store = sqlite_store
    _import(store, articles(6))
    stamps = [store.annotation_stamp()]
    store.index_search_chunk(3)
    assert store.annotation_stamp() == stamps[-1]  # the index's commit: the same
    doc = store.list_documents(limit=1)[0].id
    for write in (lambda: store.add_span(doc, "bob", "entity", 0, 3), lambda: store.set_status(doc, "bob", "done"),
                  lambda: _import(store, articles(2, start=50))):
        write()
        stamps.append(store.annotation_stamp())
        assert stamps[-1] != stamps[-2]
    from tui.store.bulk import NewStatus

    with store.bulk_import() as batch:  # a status-only import: a new status row
        batch.add_statuses([NewStatus(doc, "carol", "done")])
    assert store.annotation_stamp() != stamps[-1]
