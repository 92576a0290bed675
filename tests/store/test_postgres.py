"""What only a PostgreSQL database has: opening it (empty, ours, newer, someone else's), its schema
against SQLite's, its write lock, and a missing psycopg. Everything else the store does is tested on
both backends by the rest of tests/store (the `backend` fixture)."""

from __future__ import annotations

import sqlite3
import sys
import threading
from pathlib import Path

import pytest

from tests.store.store_samples import VIETNAMESE
from tui.store import SCHEMA_VERSION, Store, StoreError
from tui.store import postgres, schema


def admin(url: str):
    import psycopg

    from tui.store.target import parse_target

    return psycopg.connect(parse_target(url).conninfo, autocommit=True)  # type: ignore[union-attr]


def test_an_empty_database_gets_the_schema_once_even_when_two_open_it_at_once(postgres_url: str):
    stores: list[Store] = []
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            stores.append(Store.open(postgres_url))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(stores) == 3
    versions = [r[0] for r in stores[0].connection.execute("SELECT version FROM schema_migrations ORDER BY 1")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert [label.name for label in stores[0].labels()] == ["entity", "claim", "date"]
    for store in stores:
        store.close()


def test_a_newer_schema_is_refused_and_nothing_is_touched(postgres_url: str):
    with Store.open(postgres_url) as store:
        doc_id, _ = store.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
        store.connection.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')",
                                 (SCHEMA_VERSION + 1,))
    with admin(postgres_url) as raw:
        before = raw.execute("SELECT count(*), max(version) FROM schema_migrations").fetchone()
    for readonly in (False, True):
        with pytest.raises(StoreError, match=f"schema v{SCHEMA_VERSION + 1}.*newer tui.*not modified"):
            Store.open(postgres_url, readonly=readonly)
    with admin(postgres_url) as raw:
        assert raw.execute("SELECT count(*), max(version) FROM schema_migrations").fetchone() == before
        assert raw.execute("SELECT count(*) FROM documents WHERE id = %s", (doc_id,)).fetchone()[0] == 1


def test_another_programs_database_is_refused_untouched(postgres_url: str):
    with admin(postgres_url) as raw:
        raw.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(StoreError, match="other program.*not modified"):
        Store.open(postgres_url)
    with admin(postgres_url) as raw:
        tables = [r[0] for r in raw.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
    assert tables == ["invoices"]


def test_read_only_needs_an_existing_schema_and_refuses_writes(postgres_url: str):
    with pytest.raises(StoreError, match="no tui schema yet"):
        Store.open(postgres_url, readonly=True)
    with Store.open(postgres_url) as store:
        doc_id, _ = store.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
    with Store.open(postgres_url, readonly=True) as reader:
        assert reader.has_document(doc_id)
        with pytest.raises(StoreError, match="read-only"):
            reader.add_span(doc_id, "alice", "entity", 0, 4)


def test_the_postgres_schema_has_sqlites_tables_and_columns(postgres_url: str, tmp_path: Path):
    with Store.open(tmp_path / "x.db") as lite:
        conn = lite.connection
        assert isinstance(conn, sqlite3.Connection)
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'documents_fts%'")]
        expected = {name: [r[1] for r in conn.execute(f"PRAGMA table_info({name})")] for name in names}
    with Store.open(postgres_url), admin(postgres_url) as raw:
        found: dict[str, list[str]] = {}
        for table, column in raw.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
                "ORDER BY table_name, ordinal_position"):
            found.setdefault(table, []).append(column)
    # PostgreSQL's own additions: the counters (SQLite's sqlite_sequence) and the word index (documents_fts)
    assert set(found) - set(expected) == {"tui_sequences", "documents_search"}
    assert {name: found[name] for name in expected} == expected


def test_every_migration_after_the_baseline_has_a_postgres_step():
    later = [m.version for m in schema.MIGRATIONS if m.version > postgres.BASELINE_VERSION]
    assert sorted(postgres.MIGRATIONS_AFTER_BASELINE) == later
    assert postgres.BASELINE_VERSION <= SCHEMA_VERSION


def test_a_refused_insert_does_not_use_up_an_id(db_path):
    # SQLite's AUTOINCREMENT is rolled back with the statement; so is the PostgreSQL counter.
    with Store.open(db_path) as store:
        doc_id, _ = store.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
        first = store.add_span(doc_id, "alice", "entity", 15, 29)
        with pytest.raises(StoreError):
            store.add_span(doc_id, "alice", "entity", 15, 29)
        second = store.add_span(doc_id, "alice", "claim", 15, 29)
        store.delete_span(second.id, "alice")
        third = store.add_span(doc_id, "alice", "date", 15, 29)
    assert (first.id, second.id, third.id) == (1, 2, 3)  # never reused either


def test_a_writer_waits_for_the_write_lock_then_gives_up_with_a_clear_line(postgres_url: str):
    with Store.open(postgres_url) as holder, Store.open(postgres_url, busy_timeout_ms=200) as waiter:
        doc_id, _ = holder.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
        with holder.transaction():
            assert waiter.spans(doc_id) == []  # readers never wait
            with pytest.raises(StoreError, match="locked by another tui"):
                waiter.add_span(doc_id, "bob", "entity", 15, 29)
            waited: list[float] = []

            def keep_waiting(seconds: float) -> bool:
                waited.append(seconds)
                return len(waited) < 2

            waiter.keep_waiting = keep_waiting
            with pytest.raises(StoreError, match="locked"):
                waiter.add_span(doc_id, "bob", "entity", 15, 29)
            assert len(waited) == 2
        waiter.keep_waiting = None
        assert waiter.add_span(doc_id, "bob", "entity", 15, 29).text == "Vladimir Putin"


def test_without_psycopg_a_postgres_url_gives_one_line_saying_what_to_install(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql://someone@db.example/news")
    assert str(caught.value) == postgres.INSTALL_HINT


def test_sqlite_stores_never_import_psycopg(tmp_path: Path):
    import subprocess

    code = ("import sys; from tui.store import Store; s = Store.open(sys.argv[1]); s.add_document('a b', title='t', "
            "language='vi', direction='ltr'); s.close(); print('psycopg' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path / "x.db")], capture_output=True, text=True,
                            timeout=60, check=True)
    assert result.stdout.strip() == "False"


def test_the_statement_translation_keeps_literals_and_maps_every_parameter_style():
    t = postgres.translate("SELECT '50%', \"a?b\" FROM x INDEXED BY ix WHERE a = ? AND b LIKE '?%' -- ?\n")
    assert t.sql == "SELECT '50%%', \"a?b\" FROM x WHERE a = %s AND b LIKE '?%%' -- ?\n" and t.style == "qmark"
    assert postgres.translate("SELECT ?1, ?2, ?1").sql == "SELECT %(p1)s, %(p2)s, %(p1)s"
    assert postgres.translate("SELECT :ann::text, 'x:y' WHERE a = :ann").sql == \
        "SELECT %(ann)s::text, 'x:y' WHERE a = %(ann)s"
    insert = postgres.translate('INSERT INTO spans (document_id, "end") VALUES (?, ?)')
    assert insert.insert_table == "spans" and insert.insert_columns == ("document_id", "end")


def test_a_recycled_test_database_is_exactly_a_new_one(postgres_server, postgres_url: str):
    # tests.postgres_pool empties databases between tests: it must leave what Store.open makes
    from tests.postgres_pool import Pool
    from tests.support import dump

    pool = Pool(postgres_server)
    url = pool.take()
    with Store.open(url) as store:
        doc_id, _ = store.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
        span = store.add_span(doc_id, "alice", "entity", 15, 29)
        other = store.add_span(doc_id, "alice", "entity", 0, 14)
        store.add_link("alice", span.id, other.id, "same_entity")
        store.create_label("person", "alice")
    pool.give_back(url)
    assert pool.take() == url
    with Store.open(url) as recycled, Store.open(postgres_url) as fresh:
        def rows(store: Store) -> list[str]:
            return [line for line in dump(store) if "schema_migrations" not in line]
        assert rows(recycled) == rows(fresh)
        assert recycled.data_version() == fresh.data_version()
        for store in (recycled, fresh):
            doc_id, _ = store.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
            assert store.add_span(doc_id, "bob", "entity", 15, 29).id == 1
    pool.give_back(url)


def test_a_commit_after_a_failed_statement_says_nothing_was_saved(postgres_url: str):
    # SQLite keeps a transaction usable after a failed statement; PostgreSQL aborts it and would
    # answer COMMIT with a silent ROLLBACK. The store's own statements run under savepoints; a failed
    # read swallowed by a caller must not turn the commit into a quiet loss.
    with Store.open(postgres_url) as store:
        doc_id, _ = store.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
        with pytest.raises(StoreError, match="nothing was saved"):
            with store.transaction() as c:
                c.execute('INSERT INTO document_status (document_id, annotator, status, updated_at) '
                          "VALUES (?, 'alice', 'done', 'x')", (doc_id,))
                try:
                    c.execute("SELECT no_such_column FROM documents")
                except sqlite3.DatabaseError:
                    pass
        assert store.status(doc_id, "alice") == "todo"
        with store.transaction() as c:  # the connection is usable again
            c.execute("INSERT INTO document_status (document_id, annotator, status, updated_at) "
                      "VALUES (?, 'alice', 'done', 'x')", (doc_id,))
        assert store.status(doc_id, "alice") == "done"
