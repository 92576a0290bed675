"""The store's bulk import and read snapshot (what tui.formats uses instead of SQL of its own), and
`tui stats`' queries through the store's read path."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.store.store_samples import ARABIC, VIETNAMESE
from tui.store import DocumentRejected, NewDocument, NewSpan, NewStatus, Store, StoreError


def new_document(text: str, title: str = "t") -> NewDocument:
    return NewDocument(text, title, "vi", "ltr", "x.txt", {})


def test_a_bulk_import_is_all_or_nothing(store: Store):
    with pytest.raises(RuntimeError):
        with store.bulk_import() as batch:
            ((doc_id, added),) = batch.add_documents([new_document(VIETNAMESE)])
            assert added
            batch.add_spans([NewSpan(doc_id, "import", "entity", 0, 5, VIETNAMESE[:5])], documents_are_new=True)
            raise RuntimeError("the file after it was bad")
    assert store.count_documents() == 0


def test_spans_are_added_once_and_statuses_never_overridden(store: Store):
    span = None
    with store.bulk_import() as batch:
        ((doc_id, _),) = batch.add_documents([new_document(VIETNAMESE)])
        span = NewSpan(doc_id, "alice", "person", 0, 5, VIETNAMESE[:5])
        assert batch.add_spans([span], documents_are_new=True) == 1
        batch.add_statuses([NewStatus(doc_id, "alice", "done")])
    with store.bulk_import() as batch:
        assert batch.add_documents([new_document(VIETNAMESE)]) == [(doc_id, False)]
        assert batch.add_spans([span], documents_are_new=False) == 0, "already stored"
        batch.add_statuses([NewStatus(doc_id, "alice", "todo")])
    assert store.status(doc_id, "alice") == "done"
    assert [(s.label, s.start, s.end) for s in store.spans(doc_id)] == [("person", 0, 5)]
    assert "person" in {label.name for label in store.labels()}, "a new label is created"


def test_a_document_the_store_refuses_is_named_by_its_index(store: Store):
    with pytest.raises(DocumentRejected) as caught:
        with store.bulk_import() as batch:
            batch.add_documents([new_document(VIETNAMESE), NewDocument(ARABIC, "t", "ar", "sideways", None, {})])
    assert caught.value.index == 1
    assert store.count_documents() == 0


def test_a_read_snapshot_does_not_see_writes_made_after_it_began(db_path: Path, store: Store, vi_doc: str):
    other = Store.open(db_path)
    try:
        with store.read_snapshot() as snapshot:
            documents = snapshot.documents()
            first = next(documents)
            other.add_document(ARABIC, title="later", language="ar", direction="rtl")
            other.add_span(vi_doc, "bob", "entity", 0, 5)
            assert list(documents) == [], "the document added meanwhile is not in the snapshot"
            assert snapshot.spans(first.id) == [] and snapshot.statuses(first.id) == {}
        with store.read_snapshot() as snapshot:
            assert len(list(snapshot.documents())) == 2
            assert [span.annotator for span in snapshot.spans(vi_doc)] == ["bob"]
    finally:
        other.close()


def test_stats_errors_are_translated_as_every_other_read(sqlite_path: Path, sqlite_store: Store):
    store = sqlite_store
    store.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
    assert store.stats().documents == 1
    raw = sqlite3.connect(sqlite_path)
    raw.execute("PRAGMA writable_schema = ON")  # what a careless manual edit might do
    raw.execute("DROP TABLE document_status")
    raw.close()
    with pytest.raises(StoreError):
        store.stats()


def test_an_export_is_one_snapshot_while_another_annotator_writes(db_path: Path, store: Store, vi_doc: str,
                                                                  ar_doc: str):
    from tui.formats.exporter import iter_records

    store.add_span(vi_doc, "alice", "entity", 0, 5)
    store.add_span(ar_doc, "alice", "entity", 0, 3)
    other = Store.open(db_path)

    def meanwhile(count: int) -> None:  # called as each document is read, inside the export
        if count == 1:
            other.add_span(vi_doc, "bob", "entity", 0, 5)
            other.add_span(ar_doc, "bob", "entity", 0, 3)
            other.add_document(VIETNAMESE + " (2)", title="later", language="vi", direction="ltr")

    try:
        records = list(iter_records(store, fmt="doccano", progress=meanwhile))
    finally:
        other.close()
    assert sorted((record["id"], record["annotator"]) for record in records) == sorted(
        [(vi_doc, "alice"), (ar_doc, "alice")]), "nothing written after the export began"
    assert len(list(iter_records(store, fmt="doccano"))) == 4, "the next export has bob's spans"
