"""Ids in long write transactions: a bulk import numbers its rows as SQLite's AUTOINCREMENT does
(on both backends), and on PostgreSQL the id counter is written once per transaction, not once per
row (a counter row updated by every insert made one transaction's inserts slow down as it grew:
issue 15). Not timed: the test counts the counter's updates."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.store.store_samples import VIETNAMESE
from tui.store import Store
from tui.store.bulk import NewSpan

_INSERT = ('INSERT INTO spans (document_id, annotator, label, start, "end", text, created_at, updated_at) '
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def _rows(doc_id: str, count: int) -> list[tuple[str, str, str, int, int, str, str, str]]:
    return [(doc_id, f"ann{i // 50}", "entity", i % 50, i % 50 + 1, VIETNAMESE[i % 50], "t", "t") for i in range(count)]


def _span_ids(store: Store) -> list[int]:
    return [int(row[0]) for row in store.connection.execute("SELECT id FROM spans ORDER BY id")]


def _counter_updates(conn: object) -> int:
    row = conn.execute(  # type: ignore[attr-defined]
        "SELECT coalesce(sum(n_tup_upd), 0) FROM pg_stat_xact_user_tables WHERE relname = 'tui_sequences'").fetchone()
    return int(row[0])


@pytest.mark.parametrize("count", [20, 400])
def test_a_bulk_insert_on_postgres_updates_the_id_counter_once_at_commit(postgres_url: str, count: int):
    with Store.open(postgres_url) as store:
        doc_id, _ = store.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
        conn = store.connection
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(_INSERT, _rows(doc_id, count))
        conn.execute(_INSERT, (doc_id, "ann", "date", 0, 1, VIETNAMESE[0], "t", "t"))
        assert _counter_updates(conn) == 0  # the inserts only advanced the transaction's own counter
        conn.raw.execute("SET CONSTRAINTS ALL IMMEDIATE")  # what COMMIT does first: the deferred write-back
        assert _counter_updates(conn) == 1  # one update, however many rows
        conn.execute("COMMIT")
        assert _span_ids(store) == list(range(1, count + 2))
        assert int(conn.execute("SELECT value FROM tui_sequences WHERE name = 'spans'").fetchone()[0]) == count + 1


def test_ids_after_a_rolled_back_import_a_refused_row_and_a_commit_are_sqlites(store_target: str | Path):
    with Store.open(store_target) as store:
        doc_id, _ = store.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
        with pytest.raises(RuntimeError):
            with store.bulk_import() as batch:
                batch.add_spans([NewSpan(doc_id, "ann0", "entity", i, i + 1, VIETNAMESE[i]) for i in range(5)],
                                documents_are_new=True)
                raise RuntimeError("the import fails: nothing of it stays, no id is used up")
        assert _span_ids(store) == []
        with store.bulk_import() as batch:
            batch.add_spans([NewSpan(doc_id, "ann0", "entity", i, i + 1, VIETNAMESE[i]) for i in range(3)],
                            documents_are_new=True)
        conn = store.connection
        conn.execute("BEGIN IMMEDIATE")
        rows = _rows(doc_id, 5)
        with pytest.raises(sqlite3.IntegrityError):  # rows 3 and 4 go in, then row 0 again is refused
            conn.executemany(_INSERT, rows[3:] + rows[:1])
        conn.execute(_INSERT, (doc_id, "ann", "date", 0, 1, VIETNAMESE[0], "t", "t"))
        conn.execute("COMMIT")
        assert _span_ids(store) == [1, 2, 3, 4, 5, 6]  # the refused row used no id
        span = store.add_span(doc_id, "ann", "entity", 10, 12)
        assert span.id == 7
        with store.bulk_import() as batch:
            batch.add_spans([NewSpan(doc_id, "ann2", "entity", 0, 1, VIETNAMESE[0])], documents_are_new=True)
        assert _span_ids(store)[-1] == 8
