"""Opening databases safely: newer schemas and non-databases are refused untouched; migrations are atomic."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from pathlib import Path

import pytest

from tui.store import SCHEMA_VERSION, Store, StoreError
from tui.store import connection, schema


@pytest.fixture
def db_path(sqlite_path: Path) -> Path:
    """This module opens SQLite *files* (their bytes, headers, -wal, locks); opening a PostgreSQL
    database is tests/store/test_postgres.py."""
    return sqlite_path


def snapshot(path: Path) -> dict[str, bytes]:
    """Bytes of the database and any -wal/-shm/-journal beside it (absent files are left out)."""
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}


def test_newer_schema_is_refused_and_the_file_is_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("create table documents (id text)")
    conn.execute(f"pragma user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = snapshot(db_path)
    stat = db_path.stat()
    with pytest.raises(StoreError) as info:
        Store.open(db_path)
    message = str(info.value)
    assert f"schema v{SCHEMA_VERSION + 1}" in message and "newer tui" in message and "not modified" in message
    assert snapshot(db_path) == before  # no -wal or -shm created, not one byte changed
    assert db_path.stat().st_mtime_ns == stat.st_mtime_ns


def test_newer_schema_in_wal_mode_is_refused_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("pragma journal_mode = wal")
    conn.execute("create table documents (id text)")
    conn.execute(f"pragma user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer tui"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("content", [b"hello, I am not a database\n" * 10, b"SQLite format 3\x00" + b"\x00" * 20,
                                     os.urandom(4096)])
def test_files_that_are_not_databases_are_refused_untouched(db_path, content):
    db_path.write_bytes(content)
    with pytest.raises(StoreError, match="not a SQLite database|damaged"):
        Store.open(db_path)
    assert snapshot(db_path) == {db_path.name: content}


def test_missing_folder_and_directory_paths_give_clear_messages(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "nowhere" / "a.db")
    with pytest.raises(StoreError, match="not a file"):
        Store.open(tmp_path)


def test_an_empty_file_becomes_a_database(db_path):
    db_path.write_bytes(b"")
    with Store.open(db_path) as store:
        assert store.count_documents() == 0


def test_a_failing_migration_leaves_the_previous_version_intact(db_path, monkeypatch):
    with Store.open(db_path) as store:
        store.add_document("kept", title="kept", language="und", direction="ltr")
    broken = schema.Migration(SCHEMA_VERSION + 1, "broken step",
                              "CREATE TABLE extra (x INTEGER);\nINSERT INTO no_such_table VALUES (1);")
    monkeypatch.setattr(connection, "MIGRATIONS", schema.MIGRATIONS + (broken,))
    monkeypatch.setattr(connection, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="no_such_table"):
        Store.open(db_path)
    monkeypatch.undo()
    with Store.open(db_path) as store:
        assert store.connection.execute("pragma user_version").fetchone()[0] == SCHEMA_VERSION
        assert "extra" not in store.db.table_names()
        assert store.count_documents() == 1


def test_split_statements_keeps_triggers_whole():
    statements = connection.split_statements(schema.SCHEMA_V1)
    triggers = [s for s in statements if s.startswith("CREATE TRIGGER")]
    assert len(triggers) == 2 and all(s.endswith("END;") for s in triggers)


def _annotate(path: str, annotator: str, doc_id: str, count: int, queue) -> None:
    try:
        with Store.open(path, busy_timeout_ms=5000) as store:
            ids = []
            for i in range(count):
                span = store.add_span(doc_id, annotator, "entity", i, i + 1)
                ids.append(span.id)
                if i % 3 == 0:
                    store.relabel_span(span.id, "claim", annotator)
                if i % 5 == 0:
                    store.delete_span(span.id, annotator)
                    ids.pop()
        queue.put((annotator, len(ids), None))
    except Exception as exc:  # reported to the test, which fails with the message
        queue.put((annotator, 0, repr(exc)))


def test_concurrent_processes_lose_nothing(db_path):
    """A quick version of the concurrency trial: several processes writing at once, no error, no loss.

    TUI_STORE_PROCS / TUI_STORE_OPS make it bigger (issue 5 runs the big one).
    """
    procs = int(os.environ.get("TUI_STORE_PROCS", "4"))
    ops = int(os.environ.get("TUI_STORE_OPS", "40"))
    text = "x" * (ops + 1)
    with Store.open(db_path) as store:
        doc_id, _ = store.add_document(text, title="t", language="und", direction="ltr")
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [context.Process(target=_annotate, args=(str(db_path), f"a{n}", doc_id, ops, queue))
               for n in range(procs)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert [error for _, _, error in results if error] == []
    with Store.open(db_path) as store:
        for annotator, kept, _ in results:
            assert len(store.spans(doc_id, annotator)) == kept
        events = store.connection.execute("select count(*) from events where action != 'status'").fetchone()[0]
        per_process = ops + len(range(0, ops, 3)) + len(range(0, ops, 5))
        assert events == procs * per_process
        assert store.connection.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_another_programs_database_is_refused_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("create table invoices (id integer primary key, total real)")
    conn.execute("insert into invoices values (1, 9.5)")
    conn.commit()
    conn.close()
    before = snapshot(db_path)
    with pytest.raises(StoreError, match="some other program"):
        Store.open(db_path)
    assert snapshot(db_path) == before


def test_a_truncated_database_is_refused_untouched(db_path):
    with Store.open(db_path) as store:
        for i in range(30):
            store.add_document(f"document {i} " + "text " * 400, title=f"d{i}", language="und", direction="ltr")
    data = db_path.read_bytes()
    assert len(data) > 20_000
    db_path.write_bytes(data[: len(data) // 2])
    with pytest.raises(StoreError, match="truncated"):
        Store.open(db_path)
    assert db_path.read_bytes() == data[: len(data) // 2]
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_a_database_with_damaged_pages_gives_a_clear_message_not_a_traceback(db_path):
    with Store.open(db_path) as store:
        for i in range(30):
            store.add_document(f"document {i} " + "text " * 400, title=f"d{i}", language="und", direction="ltr")
    data = bytearray(db_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size:page_size * 3] = os.urandom(page_size * 2)  # the pages after the schema page
    db_path.write_bytes(bytes(data))
    try:
        with Store.open(db_path) as store:
            store.list_documents()
            store.count_documents()
            for summary in store.list_documents():
                store.get_document(summary.id)
    except StoreError as exc:
        assert "damaged" in str(exc) or "malformed" in str(exc)


def test_opening_an_up_to_date_database_does_not_wait_for_a_writer(db_path):
    with Store.open(db_path) as store:
        store.add_document("x y", title="x", language="und", direction="ltr")
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # e.g. a long import holding the write lock
    try:
        with Store.open(db_path, busy_timeout_ms=200) as store:
            assert store.count_documents() == 1
            with pytest.raises(StoreError, match="locked"):
                store.add_document("z w", title="z", language="und", direction="ltr")
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_an_unwritable_folder_is_named_before_anything_is_created(tmp_path, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode))
    with pytest.raises(StoreError, match="folder .* is not writable"):
        Store.open(tmp_path / "new.db")
    assert list(tmp_path.iterdir()) == []
