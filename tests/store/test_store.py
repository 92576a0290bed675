"""The store as the app and the CLI use it: documents, spans, statuses, labels, schema."""

from __future__ import annotations

import sqlite3

import pytest

from tui.store import SCHEMA_VERSION, Store, StoreError

from tests.store.store_samples import ARABIC, VIETNAMESE


def test_fresh_database_has_the_schema_and_default_labels(store: Store):
    assert [(label.name, label.key) for label in store.labels()] == [("entity", "e"), ("claim", "c"), ("date", "d")]
    assert all(label.colour.startswith("#") and label.description for label in store.labels())
    versions = [r[0] for r in store.connection.execute("select version from schema_migrations order by version")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    for table in ("documents", "spans", "events", "document_status", "spans_with_documents"):
        assert store.connection.execute(f"select count(*) from {table}").fetchone()[0] == 0


def test_fresh_sqlite_database_has_schema_pragmas_and_default_labels(sqlite_store: Store):
    store = sqlite_store
    conn = store.connection
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    tables = set(store.db.table_names())
    assert {"documents", "spans", "events", "document_status", "labels", "schema_migrations"} <= tables
    assert "spans_with_documents" in store.db.view_names()
    assert [(label.name, label.key) for label in store.labels()] == [("entity", "e"), ("claim", "c"), ("date", "d")]
    assert all(label.colour.startswith("#") and label.description for label in store.labels())
    migrations = list(store.db.query("select version, name from schema_migrations"))
    assert [m["version"] for m in migrations] == list(range(1, SCHEMA_VERSION + 1))


def test_reopening_keeps_everything_and_does_not_migrate_twice(db_path):
    with Store.open(db_path) as store:
        doc_id, added = store.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
        store.add_span(doc_id, "alice", "entity", 15, 29)
    with Store.open(db_path) as store:
        assert added
        assert [s.text for s in store.spans(doc_id)] == ["Vladimir Putin"]
        assert store.connection.execute("select count(*) from schema_migrations").fetchone()[0] == SCHEMA_VERSION


def test_same_text_is_the_same_document(store: Store):
    first = store.add_document(ARABIC, title="a", language="ar", direction="rtl")
    second = store.add_document(ARABIC, title="other title", language="und", direction="ltr")
    assert first == (first[0], True)
    assert second == (first[0], False)
    assert store.count_documents() == 1
    document = store.get_document(first[0])
    assert document.text == ARABIC and document.length == len(ARABIC) and document.title == "a"
    assert len(document.id) == 16 and document.text_sha256.startswith(document.id)


def test_add_span_stores_the_covered_text_and_marks_in_progress(store: Store, ar_doc: str):
    assert store.status(ar_doc, "alice") == "todo"
    start = ARABIC.index("فلاديمير بوتين")
    span = store.add_span(ar_doc, "alice", "entity", start, start + 14)
    assert span.text == "فلاديمير بوتين"
    assert store.spans(ar_doc, "alice") == [span]
    assert store.status(ar_doc, "alice") == "in_progress"
    row = store.connection.execute('select start, "end", text from spans where id = ?', (span.id,)).fetchone()
    assert row == (start, start + 14, "فلاديمير بوتين")


def test_overlapping_and_nested_spans_are_allowed_exact_duplicates_are_not(store: Store, vi_doc: str):
    claim = store.add_span(vi_doc, "alice", "claim", 0, 84)
    person = store.add_span(vi_doc, "alice", "entity", 15, 29)
    date = store.add_span(vi_doc, "alice", "date", 34, 37)
    crossing = store.add_span(vi_doc, "alice", "entity", 20, 40)
    same_range_other_label = store.add_span(vi_doc, "alice", "claim", 15, 29)
    other_annotator = store.add_span(vi_doc, "bob", "entity", 15, 29)
    assert {s.id for s in store.spans(vi_doc)} == {
        claim.id, person.id, date.id, crossing.id, same_range_other_label.id, other_annotator.id}
    with pytest.raises(StoreError, match="already has"):
        store.add_span(vi_doc, "alice", "entity", 15, 29)
    # spans come back by start, longest first: the enclosing claim before what it contains
    assert store.spans(vi_doc, "alice")[0] == claim


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [(-1, 3, "outside"), (5, 5, "outside"), (6, 4, "outside"), (0, 10_000, "outside"), (4, 5, "whitespace")],
)
def test_bad_span_ranges_are_refused_and_nothing_is_written(store: Store, vi_doc: str, start, end, message):
    before = store.connection.execute("select count(*) from events").fetchone()[0]
    with pytest.raises(StoreError, match=message):
        store.add_span(vi_doc, "alice", "entity", start, end)
    assert store.spans(vi_doc) == []
    assert store.connection.execute("select count(*) from events").fetchone()[0] == before


def test_unknown_label_document_or_annotator_are_refused(store: Store, vi_doc: str):
    with pytest.raises(StoreError, match="unknown label 'person'; known labels: entity, claim, date"):
        store.add_span(vi_doc, "alice", "person", 0, 3)
    with pytest.raises(StoreError, match="no document"):
        store.add_span("0000000000000000", "alice", "entity", 0, 3)
    with pytest.raises(StoreError, match="annotator"):
        store.add_span(vi_doc, " ", "entity", 0, 3)


def test_relabel_resize_delete_write_events_and_check_ownership(store: Store, vi_doc: str):
    span = store.add_span(vi_doc, "alice", "entity", 15, 29)
    with pytest.raises(StoreError, match="belongs to alice"):
        store.delete_span(span.id, "bob")
    relabelled = store.relabel_span(span.id, "claim", "alice")
    assert relabelled.label == "claim" and relabelled.text == "Vladimir Putin"
    resized = store.resize_span(span.id, 15, 23, "alice")
    assert (resized.start, resized.end, resized.text) == (15, 23, "Vladimir")
    deleted = store.delete_span(span.id, "alice")
    assert deleted == resized
    assert store.spans(vi_doc) == []
    actions = [event.action for event in store.history(vi_doc)]
    assert actions == ["add", "status", "relabel", "resize", "delete"]
    with pytest.raises(StoreError, match="no longer exists"):
        store.delete_span(span.id, "alice")


def test_events_table_is_append_only(store: Store, vi_doc: str):
    store.add_span(vi_doc, "alice", "entity", 15, 29)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.connection.execute("delete from events")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.connection.execute("update events set annotator = 'mallory'")


def test_statuses_per_annotator(store: Store, vi_doc: str, ar_doc: str):
    store.set_status(vi_doc, "alice", "done")
    store.set_status(ar_doc, "alice", "skipped")
    assert store.status(vi_doc, "alice") == "done"
    assert store.status(vi_doc, "bob") == "todo"
    with pytest.raises(StoreError, match="unknown status"):
        store.set_status(vi_doc, "alice", "finished")
    # adding a span to a done document does not reopen it
    store.add_span(vi_doc, "alice", "entity", 15, 29)
    assert store.status(vi_doc, "alice") == "done"
    assert store.annotators() == ["alice"]


def test_list_documents_pages_in_import_order_with_counts_and_status(store: Store):
    ids = [store.add_document(f"Bài {i} về Việt Nam\nnội dung {i}", title=f"Bài {i} về Việt Nam",
                              language="vi", direction="ltr")[0] for i in range(12)]
    store.add_span(ids[3], "alice", "entity", 0, 3)
    store.add_span(ids[3], "alice", "claim", 0, 5)
    store.add_span(ids[3], "bob", "entity", 0, 3)
    store.set_status(ids[4], "alice", "done")
    page = store.list_documents(offset=2, limit=3, annotator="alice")
    assert [d.id for d in page] == ids[2:5]
    assert [(d.span_count, d.status) for d in page] == [(0, "todo"), (2, "in_progress"), (0, "done")]
    everyone = store.list_documents(offset=3, limit=1)
    assert everyone[0].span_count == 3 and everyone[0].status == "todo"
    assert store.list_documents(offset=100) == []
    assert store.count_documents() == 12


def test_search_ignores_case_and_vietnamese_diacritics(store: Store, vi_doc: str, ar_doc: str):
    assert store.count_documents("tổng") == 1
    assert store.count_documents("TONG THONG") == 1
    assert [d.id for d in store.list_documents(search="tong thong")] == [vi_doc]
    assert [d.id for d in store.list_documents(search="الرئيس")] == [ar_doc]
    assert store.count_documents("100%") == 0  # LIKE wildcards are escaped


def test_neighbour_document(store: Store):
    ids = [store.add_document(f"doc {i}", title=f"doc {i}", language="und", direction="ltr")[0] for i in range(4)]
    assert store.neighbour_document(ids[0], +1) == ids[1]
    assert store.neighbour_document(ids[1], -1) == ids[0]
    assert store.neighbour_document(ids[0], -1) is None
    assert store.neighbour_document(ids[3], +1) is None
    assert store.neighbour_document(ids[0], +3) == ids[3]


def test_listing_reads_an_index_not_the_texts(sqlite_store: Store):
    store = sqlite_store
    conn = store.connection
    store.list_documents(search="x", annotator="alice")  # the statement must be valid
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT d.id, d.title, d.language, d.direction, d.length FROM documents AS d "
        "INDEXED BY documents_listing WHERE d.title_folded LIKE '%x%' ORDER BY d.seq LIMIT 10 OFFSET 5"
    ).fetchall()
    details = " ".join(row[-1] for row in plan)
    assert "COVERING INDEX documents_listing" in details
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM spans WHERE document_id = 'x' AND annotator = 'a'"
    ).fetchall()
    assert "USING COVERING INDEX" in " ".join(row[-1] for row in plan)


def test_data_version_changes_when_another_connection_commits(store: Store, db_path, vi_doc: str):
    before = store.data_version()
    assert store.data_version() == before
    with Store.open(db_path) as other:
        other.add_span(vi_doc, "bob", "entity", 15, 29)
    assert store.data_version() != before
    assert [s.annotator for s in store.spans(vi_doc)] == ["bob"]


def test_view_joins_spans_with_document_title_and_language(store: Store, ar_doc: str):
    start = ARABIC.index("فلاديمير بوتين")
    store.add_span(ar_doc, "alice", "entity", start, start + 14)
    rows = store.connection.execute("select document_title, language, label, text from spans_with_documents").fetchall()
    assert [tuple(r) for r in rows] == [("وقع الرئيس", "ar", "entity", "فلاديمير بوتين")]


def test_imported_labels_get_colours_and_keys_stay_unique(store: Store):
    label = store.add_label("PERSON", key="e")  # key e is taken by entity
    assert label.key is None and label.colour.startswith("#")
    assert store.add_label("PERSON") == label
    assert [lb.name for lb in store.labels()][-1] == "PERSON"


def test_readonly_store_reads_but_refuses_writes(db_path, vi_doc: str, store: Store):
    with Store.open(db_path, readonly=True) as reader:
        assert reader.count_documents() == 1
        with pytest.raises(StoreError, match="read-only"):
            reader.add_span(vi_doc, "alice", "entity", 15, 29)


def test_one_store_shared_by_threads(store: Store):
    """The app writes from worker threads while the UI thread reads: one lock keeps that safe."""
    import threading

    ids = [store.add_document(f"tài liệu {i} " + "chữ " * 50, title=f"t{i}", language="vi", direction="ltr")[0]
           for i in range(20)]
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for n, doc_id in enumerate(ids):
                store.get_document(ids[(n + worker) % len(ids)])
                store.add_span(doc_id, f"w{worker}", "entity", 0, 3)
                store.list_documents(annotator=f"w{worker}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.connection.execute("select count(*) from spans").fetchone()[0] == 4 * len(ids)
