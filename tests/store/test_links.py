"""Links between spans: stored, checked, undone and redone like spans, across articles."""

from __future__ import annotations

import pytest

from tui.store import Store, StoreError

PUTIN_VI = (15, 29)  # "Vladimir Putin" in the Vietnamese sample
PUTIN_AR = (18, 32)  # "فلاديمير بوتين" in the Arabic sample


def pair(store: Store, vi_doc: str, ar_doc: str, annotator: str = "alice"):
    vi = store.add_span(vi_doc, annotator, "entity", *PUTIN_VI)
    ar = store.add_span(ar_doc, annotator, "entity", *PUTIN_AR)
    return vi, ar


def described(store: Store, annotator: str = "alice") -> list[tuple[str, int, int]]:
    return sorted((link.label, link.head_span_id, link.child_span_id) for link in store.links(annotator=annotator))


def test_the_default_link_labels_say_which_make_clusters_and_which_are_unordered(store: Store):
    labels = {label.name: label for label in store.link_labels()}
    assert list(labels) == ["same_entity", "same_claim", "contradicts", "supports"]
    assert [labels[n].transitive for n in labels] == [True, True, False, False]
    assert [labels[n].symmetric for n in labels] == [True, True, True, False]
    assert all(label.key for label in labels.values())


def test_a_link_across_articles_is_stored_with_its_event(store: Store, vi_doc: str, ar_doc: str):
    vi, ar = pair(store, vi_doc, ar_doc)
    link = store.add_link("alice", vi.id, ar.id, "same_entity")
    assert (link.head_document_id, link.child_document_id) == (vi_doc, ar_doc)
    assert store.get_link(link.id) == link
    assert store.links(vi_doc) == [link] == store.links(ar_doc)
    assert store.links_of_span(ar.id) == [link]
    event = store.history(vi_doc)[-1]
    assert event.action == "link_add" and event.after is not None and event.after["id"] == link.id
    assert event.after["child_document_id"] == ar_doc


def test_bad_links_are_refused_and_change_nothing(store: Store, vi_doc: str, ar_doc: str):
    vi, ar = pair(store, vi_doc, ar_doc)
    bob = store.add_span(ar_doc, "bob", "entity", *PUTIN_AR)
    store.add_link("alice", vi.id, ar.id, "same_entity")
    events = len(store.history(vi_doc))
    with pytest.raises(StoreError, match="itself"):
        store.add_link("alice", vi.id, vi.id, "same_entity")
    with pytest.raises(StoreError, match="already linked"):
        store.add_link("alice", ar.id, vi.id, "same_entity")  # symmetric: the same link reversed
    with pytest.raises(StoreError, match="unknown link label"):
        store.add_link("alice", vi.id, ar.id, "nonsense")
    with pytest.raises(StoreError, match="belongs to bob"):
        store.add_link("alice", vi.id, bob.id, "same_entity")
    with pytest.raises(StoreError, match="no longer exists"):
        store.add_link("alice", vi.id, 9999, "same_entity")
    assert len(store.links()) == 1 and len(store.history(vi_doc)) == events


def test_an_asymmetric_label_may_link_both_ways(store: Store, vi_doc: str, ar_doc: str):
    vi, ar = pair(store, vi_doc, ar_doc)
    store.add_link("alice", vi.id, ar.id, "supports")
    store.add_link("alice", ar.id, vi.id, "supports")
    assert len(store.links()) == 2


def test_undo_and_redo_a_link_from_either_article(store: Store, vi_doc: str, ar_doc: str):
    vi, ar = pair(store, vi_doc, ar_doc)
    link = store.add_link("alice", vi.id, ar.id, "same_entity")
    # The link was the latest action seen from the Arabic article too: undo there removes it.
    event = store.undo("alice", ar_doc)
    assert event is not None and event.action == "undo" and event.before is not None and event.after is None
    assert store.links() == []
    assert store.redo("alice", vi_doc) is not None
    restored = store.get_link(link.id)
    assert restored is not None and (restored.label, restored.head_span_id, restored.child_span_id) == (
        "same_entity", vi.id, ar.id)
    store.relabel_link(link.id, "contradicts", "alice")
    store.undo("alice", vi_doc)
    assert described(store) == [("same_entity", vi.id, ar.id)]
    store.redo("alice", ar_doc)
    assert described(store) == [("contradicts", vi.id, ar.id)]
    store.delete_link(link.id, "alice")
    assert store.links() == []
    store.undo("alice", ar_doc)
    assert described(store) == [("contradicts", vi.id, ar.id)]
    # Undo walks on past the link to the spans themselves.
    store.undo("alice", ar_doc)  # the relabel
    store.undo("alice", ar_doc)  # the add of the link
    store.undo("alice", ar_doc)  # the Arabic span
    assert store.spans(ar_doc) == [] and store.undo("alice", ar_doc) is None


def test_a_new_link_clears_the_redo_chain_of_both_articles(store: Store, vi_doc: str, ar_doc: str):
    vi, ar = pair(store, vi_doc, ar_doc)
    extra = store.add_span(vi_doc, "alice", "date", 34, 37)
    store.undo("alice", vi_doc)  # the date
    store.redo("alice", vi_doc)
    store.undo("alice", vi_doc)
    store.add_link("alice", vi.id, ar.id, "same_entity")
    assert store.redo("alice", vi_doc) is None
    assert store.get_span(extra.id) is None


def test_deleting_a_span_deletes_its_links_and_undo_restores_both(store: Store, vi_doc: str, ar_doc: str):
    vi, ar = pair(store, vi_doc, ar_doc)
    third = store.add_span(vi_doc, "alice", "entity", 0, 14)
    one = store.add_link("alice", vi.id, ar.id, "same_entity")
    two = store.add_link("alice", third.id, ar.id, "supports")
    store.delete_span(ar.id, "alice")
    assert store.links() == []
    delete = store.history(ar_doc)[-1]
    assert delete.action == "delete" and delete.before is not None
    assert [state["id"] for state in delete.before["links"]] == [one.id, two.id]
    # One undo brings back the span and both links, with their ids.
    store.undo("alice", ar_doc)
    assert store.get_span(ar.id) is not None
    assert [link.id for link in store.links()] == [one.id, two.id]
    # Redo deletes them again; undo once more restores them again.
    store.redo("alice", ar_doc)
    assert store.links() == [] and store.get_span(ar.id) is None
    store.undo("alice", ar_doc)
    assert sorted(link.id for link in store.links()) == [one.id, two.id]


def test_undo_of_a_deletion_leaves_out_links_whose_other_span_is_gone(store: Store, vi_doc: str, ar_doc: str):
    vi, ar = pair(store, vi_doc, ar_doc)
    store.add_link("alice", vi.id, ar.id, "same_entity")
    store.delete_span(vi.id, "alice")
    store.delete_span(ar.id, "alice")
    store.undo("alice", vi_doc)  # Vietnamese span back; its partner is still deleted
    assert store.get_span(vi.id) is not None and store.links() == []
    store.undo("alice", ar_doc)  # the Arabic span back: its delete event kept no links (they went first)
    assert store.get_span(ar.id) is not None


def test_undo_of_a_span_add_takes_its_links_and_redo_of_that_undo_does_not_lose_the_span(
    store: Store, vi_doc: str, ar_doc: str
):
    vi, ar = pair(store, vi_doc, ar_doc)
    link = store.add_link("alice", vi.id, ar.id, "same_entity")
    # Another session of alice's undoes the link first (normal), then the span:
    store.undo("alice", ar_doc)
    store.undo("alice", ar_doc)
    assert store.get_span(ar.id) is None
    store.redo("alice", ar_doc)
    store.redo("alice", ar_doc)
    assert store.get_link(link.id) is not None


def test_links_survive_a_restart_and_their_undo_too(db_path, store: Store, vi_doc: str, ar_doc: str):
    vi, ar = pair(store, vi_doc, ar_doc)
    link = store.add_link("alice", vi.id, ar.id, "same_claim")
    store.close()
    with Store.open(db_path) as again:
        assert again.get_link(link.id) == link
        again.undo("alice", ar_doc)
        assert again.links() == []


def test_others_cannot_change_your_links(store: Store, vi_doc: str, ar_doc: str):
    vi, ar = pair(store, vi_doc, ar_doc)
    link = store.add_link("alice", vi.id, ar.id, "same_entity")
    with pytest.raises(StoreError, match="belongs to alice"):
        store.delete_link(link.id, "bob")
    with pytest.raises(StoreError, match="belongs to alice"):
        store.relabel_link(link.id, "supports", "bob")
    assert store.undo("bob", vi_doc) is None


def test_the_database_refuses_a_link_whose_span_is_missing(store: Store, vi_doc: str, ar_doc: str):
    vi, _ = pair(store, vi_doc, ar_doc)
    with pytest.raises(StoreError, match="FOREIGN KEY"):
        with store.transaction() as c:
            c.execute("INSERT INTO links (annotator, label, head_span_id, child_span_id, created_at, updated_at) "
                      "VALUES ('alice', 'same_entity', ?, 9999, 'x', 'x')", (vi.id,))


def test_link_rows_give_clusters_over_all_articles(store: Store, vi_doc: str, ar_doc: str):
    vi, ar = pair(store, vi_doc, ar_doc)
    third = store.add_span(vi_doc, "alice", "entity", 0, 14)
    store.add_link("alice", ar.id, vi.id, "same_entity")
    store.add_link("alice", third.id, ar.id, "same_entity")
    store.add_link("alice", vi.id, ar.id, "supports")
    rows = store.link_rows()
    entity = {row.cluster_id for row in rows if row.link.label == "same_entity"}
    assert len(entity) == 1 and next(iter(entity)).startswith("same_entity-")
    assert [row.cluster_id for row in rows if row.link.label == "supports"] == [None]
    # Only the Arabic article's links, with the same cluster ids.
    assert {row.cluster_id for row in store.link_rows(document_id=ar_doc)} == entity | {None}
    assert store.link_rows(annotators=["bob"]) == []


def test_a_link_inside_one_article_undoes_and_redoes_once_each(store: Store, vi_doc: str):
    a = store.add_span(vi_doc, "alice", "entity", *PUTIN_VI)
    b = store.add_span(vi_doc, "alice", "entity", 0, 14)
    store.add_link("alice", a.id, b.id, "same_entity")
    store.undo("alice", vi_doc)
    assert store.links() == [] and len(store.spans(vi_doc)) == 2
    store.redo("alice", vi_doc)
    assert len(store.links()) == 1
    assert store.redo("alice", vi_doc) is None
    store.undo("alice", vi_doc)
    store.undo("alice", vi_doc)
    assert store.links() == [] and len(store.spans(vi_doc)) == 1
    store.redo("alice", vi_doc)
    store.redo("alice", vi_doc)
    assert len(store.links()) == 1 and store.redo("alice", vi_doc) is None
