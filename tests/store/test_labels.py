"""Editing the label list: add, rename (spans follow, in one transaction), set, delete when unused;
every edit is an event, and undo still works on spans made before a rename."""

from __future__ import annotations

import sqlite3

import pytest

from tui.store import Store, StoreError


def labels(store: Store) -> dict[str, tuple]:
    return {label.name: (label.key, label.colour, label.description) for label in store.labels()}


def test_add_set_and_delete_a_label_each_recorded_as_an_event(store: Store):
    store.create_label("person", "alice", key="p", colour="#FF8700", description="A named human being.")
    assert labels(store)["person"] == ("p", "#ff8700", "A named human being.")
    store.update_label("person", "alice", description="A human being, named.")
    store.update_label("person", "alice", key=None)
    assert labels(store)["person"] == (None, "#ff8700", "A human being, named.")
    store.delete_label("person", "alice")
    assert "person" not in labels(store)
    actions = [(e.action, e.document_id, e.annotator) for e in store.label_events()]
    assert actions == [("label_add", None, "alice"), ("label_update", None, "alice"),
                       ("label_update", None, "alice"), ("label_delete", None, "alice")]


@pytest.mark.parametrize("call, message", [
    (lambda s: s.create_label("entity", "a"), "already a label"),
    (lambda s: s.create_label("x", "a", key="e"), "already tags 'entity'"),
    (lambda s: s.create_label("x", "a", colour="red"), "#rrggbb"),
    (lambda s: s.create_label("a\x1bb", "a"), "control"),
    (lambda s: s.create_label("  ", "a"), "needs a name"),
    (lambda s: s.create_label("a  b", "a"), "single spaces"),  # the rule imports use too (tui.safe_text)
    (lambda s: s.create_label("x", "a", key=","), "cannot be ','"),
    (lambda s: s.create_label("x", "a", key="日"), "one-column"),
    (lambda s: s.rename_label("nope", "x", "a"), "no label 'nope'"),
    (lambda s: s.rename_label("entity", "claim", "a"), "already a label 'claim'"),
    (lambda s: s.update_label("claim", "a", key="e"), "already tags 'entity'"),
    (lambda s: s.create_label("x", ""), "annotator"),
])
def test_bad_label_edits_are_refused_with_a_reason_and_change_nothing(store: Store, call, message):
    before = labels(store)
    with pytest.raises(StoreError, match=message):
        call(store)
    assert labels(store) == before
    assert store.label_events() == []


def test_a_used_label_cannot_be_deleted(store: Store, vi_doc: str):
    store.add_span(vi_doc, "bob", "date", 34, 37)
    with pytest.raises(StoreError, match="used by 1 span of 1 annotator"):
        store.delete_label("date", "alice")
    assert "date" in labels(store)


def test_rename_moves_every_span_and_undo_of_earlier_actions_reads_the_new_name(store: Store, vi_doc: str):
    kept = store.add_span(vi_doc, "alice", "claim", 0, 29)
    removed = store.add_span(vi_doc, "alice", "claim", 15, 29)
    store.delete_span(removed.id, "alice")
    store.add_span(vi_doc, "bob", "claim", 0, 14)
    renamed, count = store.rename_label("claim", "assertion", "carol")
    assert (renamed.name, count) == ("assertion", 2)
    assert {s.label for s in store.spans(vi_doc)} == {"assertion"}
    [event] = store.label_events()
    assert (event.action, event.before["name"], event.after["name"], event.after["spans"]) == (
        "label_rename", "claim", "assertion", 2)
    # The delete was written when the label was called "claim": undo restores it as "assertion".
    store.undo("alice", vi_doc)
    assert sorted((s.label, s.start) for s in store.spans(vi_doc, "alice")) == [("assertion", 0), ("assertion", 15)]
    store.undo("alice", vi_doc)  # the add of span 15-29
    store.undo("alice", vi_doc)  # the add of span 0-29, also made as "claim"
    assert store.spans(vi_doc, "alice") == []
    store.redo("alice", vi_doc)
    assert [(s.id, s.label) for s in store.spans(vi_doc, "alice")] == [(kept.id, "assertion")]
    # Renaming back and forth is followed in order.
    store.rename_label("assertion", "claim", "carol")
    store.undo("alice", vi_doc)
    assert store.spans(vi_doc, "alice") == []


def test_undo_of_a_span_whose_label_was_deleted_says_so(store: Store, vi_doc: str):
    store.create_label("misc", "alice")
    span = store.add_span(vi_doc, "alice", "misc", 0, 4)
    store.delete_span(span.id, "alice")
    store.delete_label("misc", "alice")
    with pytest.raises(StoreError, match="label 'misc' was deleted"):
        store.undo("alice", vi_doc)


def test_the_events_table_stays_append_only(store: Store, db_path):
    store.create_label("person", "alice")
    conn = store.connection  # either backend: the database itself refuses
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET annotator = 'x'")
    with pytest.raises(sqlite3.IntegrityError):  # a span action always names its document
        conn.execute("INSERT INTO events (created_at, annotator, document_id, action) VALUES ('t', 'a', NULL, 'add')")


def test_progress_and_the_next_article_to_do(store: Store, vi_doc: str, ar_doc: str):
    third, _ = store.add_document("Một bài nữa.", title="ba", language="vi", direction="ltr")
    assert tuple(store.progress("alice")) == (0, 0, 0, 3)
    assert store.next_todo("alice", vi_doc) == ar_doc
    store.set_status(ar_doc, "alice", "done")
    store.set_status(third, "alice", "skipped")
    assert store.next_todo("alice", vi_doc) is None or store.next_todo("alice", vi_doc) == vi_doc
    assert store.next_todo("alice", third) == vi_doc  # wraps round
    assert store.next_todo("bob", vi_doc) == ar_doc  # per annotator
    p = store.progress("alice")
    assert (p.done, p.skipped, p.total, p.todo) == (1, 1, 3, 1)
