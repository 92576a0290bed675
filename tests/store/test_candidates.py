"""Candidates: another source's spans offered to an annotator, accepted or rejected, undone, restarted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.store import Candidate, NewCandidate, Store, StoreError

TEXT = "Tổng thống Nga Vladimir Putin hôm 5/2 đã gặp Lukashenko tại Minsk.\nĐoạn hai."


def _at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def doc(store: Store) -> str:
    doc_id, _ = store.add_document(TEXT, title="t", language="vi", direction="ltr")
    return doc_id


@pytest.fixture
def model(store: Store, doc: str) -> dict[str, int]:
    """model-x's spans, as `tui import --annotator model-x` would leave them."""
    ids = {}
    for word, label in (("Vladimir Putin", "entity"), ("5/2", "date"), ("Lukashenko", "entity"),
                        ("Minsk", "entity")):
        ids[word] = store.add_span(doc, "model-x", label, *_at(word)).id
    return ids


def _keys(candidates: list[Candidate]) -> list[tuple[str, str]]:
    return [(c.text, c.label) for c in candidates]


def test_another_sources_spans_are_candidates_not_the_annotators_own(store: Store, doc: str, model):
    offered = store.candidates(doc, "alice", ["model-x"])
    assert _keys(offered) == [("Vladimir Putin", "entity"), ("5/2", "date"), ("Lukashenko", "entity"),
                              ("Minsk", "entity")]
    assert all(c.sources == ("model-x",) for c in offered)
    assert store.spans(doc, "alice") == []
    assert store.status(doc, "alice") == "todo"
    assert store.candidates(doc, "model-x", ["model-x"]) == []  # one's own spans are never candidates


def test_accept_makes_the_annotators_span_with_an_event_naming_the_source(store: Store, doc: str, model):
    putin = store.candidates(doc, "alice", ["model-x"])[0]
    span = store.accept_candidate("alice", putin)
    assert (span.annotator, span.label, span.text) == ("alice", "entity", "Vladimir Putin")
    assert store.spans(doc, "alice") == [span]
    assert store.status(doc, "alice") == "in_progress"
    event = [e for e in store.history(doc, "alice") if e.action == "accept"][0]
    assert event.span_id == span.id and event.after is not None
    assert event.after["source"] == "model-x" and event.after["text"] == "Vladimir Putin"
    assert "Vladimir Putin" not in [c.text for c in store.candidates(doc, "alice", ["model-x"])]
    assert len(store.spans(doc, "model-x")) == 4  # the source keeps its span


def test_rejected_candidate_is_never_offered_again_even_after_reopening(store: Store, doc: str, model, db_path: Path):
    minsk = [c for c in store.candidates(doc, "alice", ["model-x"]) if c.text == "Minsk"][0]
    event = store.reject_candidate("alice", minsk)
    assert event.action == "reject" and event.span_id is None
    assert store.spans(doc, "alice") == []
    assert store.status(doc, "alice") == "in_progress"  # she has looked at it
    store.close()
    with Store.open(db_path) as again:
        assert "Minsk" not in [c.text for c in again.candidates(doc, "alice", ["model-x"])]
        assert [(d.decision, d.source, d.label) for d in again.candidate_decisions(doc, "alice")] == [
            ("reject", "model-x", "entity")]
        assert "Minsk" in [c.text for c in again.candidates(doc, "bob", ["model-x"])]  # bob has not decided


def test_undo_and_redo_of_accept_and_reject(store: Store, doc: str, model):
    offered = store.candidates(doc, "alice", ["model-x"])
    span = store.accept_candidate("alice", offered[0])
    store.reject_candidate("alice", offered[1])
    assert len(store.candidates(doc, "alice", ["model-x"])) == 2

    undone = store.undo("alice", doc)
    assert undone is not None and undone.action == "undo"
    assert len(store.candidates(doc, "alice", ["model-x"])) == 3  # the rejected one is offered again
    undone = store.undo("alice", doc)
    assert store.spans(doc, "alice") == []
    assert len(store.candidates(doc, "alice", ["model-x"])) == 4
    assert store.candidate_decisions(doc, "alice") == []

    store.redo("alice", doc)
    assert [s.id for s in store.spans(doc, "alice")] == [span.id]  # the same span id comes back
    store.redo("alice", doc)
    assert [d.decision for d in store.candidate_decisions(doc, "alice")] == ["accept", "reject"]
    assert len(store.candidates(doc, "alice", ["model-x"])) == 2
    assert store.redo("alice", doc) is None


def test_accept_all_is_one_transaction_and_one_undo(store: Store, doc: str, model):
    store.add_span(doc, "alice", "entity", *_at("Minsk"))  # she already has this one
    accepted = store.accept_all_candidates(doc, "alice", ["model-x"])
    assert sorted(s.text for s in accepted) == ["5/2", "Lukashenko", "Vladimir Putin"]
    assert len(store.spans(doc, "alice")) == 4
    assert store.candidates(doc, "alice", ["model-x"]) == []
    store.undo("alice", doc)
    assert [s.text for s in store.spans(doc, "alice")] == ["Minsk"]  # the batch, not the earlier add
    assert len(store.candidates(doc, "alice", ["model-x"])) == 3
    store.redo("alice", doc)
    assert len(store.spans(doc, "alice")) == 4
    store.undo("alice", doc)
    store.undo("alice", doc)
    assert store.spans(doc, "alice") == []


def test_a_deleted_accepted_span_is_not_offered_again(store: Store, doc: str, model):
    span = store.accept_candidate("alice", store.candidates(doc, "alice", ["model-x"])[0])
    store.delete_span(span.id, "alice")
    assert "Vladimir Putin" not in [c.text for c in store.candidates(doc, "alice", ["model-x"])]


def test_several_sources_proposing_one_range_give_one_candidate(store: Store, doc: str, model):
    store.add_span(doc, "bob", "entity", *_at("Minsk"))
    store.add_span(doc, "bob", "claim", *_at("Minsk"))
    offered = store.candidates(doc, "alice", ["bob", "model-x"])
    minsk = [c for c in offered if c.text == "Minsk"]
    assert [(c.label, c.sources) for c in minsk] == [("claim", ("bob",)), ("entity", ("bob", "model-x"))]
    store.reject_candidate("alice", [c for c in minsk if c.label == "entity"][0])
    assert [c.label for c in store.candidates(doc, "alice", ["model-x", "bob"]) if c.text == "Minsk"] == ["claim"]


def test_a_process_stores_candidates_that_are_nobodys_spans(store: Store, doc: str):
    items = [NewCandidate(doc, "date", *_at("5/2"), meta={"rule": "d/m"}),
             NewCandidate(doc, "entity", *_at("Minsk"))]
    assert store.add_candidates("suggest:dates", items) == 2
    assert store.add_candidates("suggest:dates", items) == 0  # stored once
    assert store.annotators() == []
    assert store.spans(doc) == []
    assert "suggest:dates" in store.candidate_sources()
    offered = store.candidates(doc, "alice", ["suggest:dates"])
    assert _keys(offered) == [("5/2", "date"), ("Minsk", "entity")]
    assert store.candidate_meta(doc, "suggest:dates")[("date", *_at("5/2"))] == {"rule": "d/m"}
    span = store.accept_candidate("alice", offered[0])
    assert span.annotator == "alice"
    assert store.history(doc, "alice")[0].after["source"] == "suggest:dates"  # type: ignore[index]
    assert store.clear_candidates("suggest:dates") == 2
    assert store.candidates(doc, "bob", ["suggest:dates"]) == []
    assert store.spans(doc, "alice") == [span]  # accepted spans stay


@pytest.mark.parametrize("item, message", [
    (lambda d: NewCandidate(d, "nope", 0, 4), "unknown label"),
    (lambda d: NewCandidate(d, "entity", 5, 999), "outside"),
    (lambda d: NewCandidate(d, "entity", 4, 5), "whitespace"),
])
def test_bad_process_candidates_store_nothing(store: Store, doc: str, item, message):
    good = NewCandidate(doc, "entity", *_at("Minsk"))
    with pytest.raises(StoreError, match=message):
        store.add_candidates("suggest:x", [good, item(doc)])
    assert store.candidates(doc, "alice", ["suggest:x"]) == []


def test_a_candidate_that_changed_meanwhile_is_refused_clearly(store: Store, doc: str, model):
    putin = store.candidates(doc, "alice", ["model-x"])[0]
    store.delete_span(model["Vladimir Putin"], "model-x")
    with pytest.raises(StoreError, match="no longer has"):
        store.accept_candidate("alice", putin)
    assert store.spans(doc, "alice") == []
    minsk = [c for c in store.candidates(doc, "alice", ["model-x"]) if c.text == "Minsk"][0]
    store.reject_candidate("alice", minsk)
    with pytest.raises(StoreError, match="already rejected"):
        store.reject_candidate("alice", minsk)
