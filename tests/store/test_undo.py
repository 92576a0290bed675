"""Undo/redo per (annotator, document), kept in the events table so it survives a restart."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.store import Store


def ranges(store: Store, doc_id: str, annotator: str = "alice") -> list[tuple[str, int, int]]:
    return sorted((s.label, s.start, s.end) for s in store.spans(doc_id, annotator))


def test_undo_and_redo_walk_back_and_forth_through_every_kind_of_action(store: Store, vi_doc: str):
    span = store.add_span(vi_doc, "alice", "entity", 15, 29)
    store.relabel_span(span.id, "claim", "alice")
    store.resize_span(span.id, 15, 23, "alice")
    store.delete_span(span.id, "alice")
    states = [[], [("entity", 15, 29)], [("claim", 15, 29)], [("claim", 15, 23)], []]
    for expected in reversed(states[:-1]):
        event = store.undo("alice", vi_doc)
        assert event is not None and event.action == "undo"
        assert ranges(store, vi_doc) == expected
    assert store.undo("alice", vi_doc) is None
    for expected in states[1:]:
        event = store.redo("alice", vi_doc)
        assert event is not None and event.action == "redo"
        assert ranges(store, vi_doc) == expected
    assert store.redo("alice", vi_doc) is None


def test_undo_of_a_delete_restores_the_same_span_id(store: Store, vi_doc: str):
    span = store.add_span(vi_doc, "alice", "entity", 15, 29)
    store.delete_span(span.id, "alice")
    store.add_span(vi_doc, "alice", "date", 34, 37)  # a newer span takes the next id, never this one
    store.undo("alice", vi_doc)  # undoes the date
    event = store.undo("alice", vi_doc)  # undoes the delete
    assert event is not None and event.before is None and event.after["id"] == span.id
    restored = store.get_span(span.id)
    assert restored is not None
    assert (restored.label, restored.start, restored.end, restored.created_at) == (
        "entity", 15, 29, span.created_at)


def test_a_new_action_clears_the_redo_chain(store: Store, vi_doc: str):
    store.add_span(vi_doc, "alice", "entity", 15, 29)
    store.add_span(vi_doc, "alice", "date", 34, 37)
    store.undo("alice", vi_doc)
    store.add_span(vi_doc, "alice", "claim", 0, 14)
    assert store.redo("alice", vi_doc) is None
    assert ranges(store, vi_doc) == [("claim", 0, 14), ("entity", 15, 29)]
    store.undo("alice", vi_doc)
    store.undo("alice", vi_doc)
    assert ranges(store, vi_doc) == []
    store.redo("alice", vi_doc)
    assert ranges(store, vi_doc) == [("entity", 15, 29)]


def test_history_is_per_annotator_and_per_document(store: Store, vi_doc: str, ar_doc: str):
    store.add_span(vi_doc, "alice", "entity", 15, 29)
    store.add_span(vi_doc, "bob", "entity", 15, 29)
    store.add_span(ar_doc, "alice", "entity", 0, 3)
    store.undo("alice", vi_doc)
    assert ranges(store, vi_doc, "bob") == [("entity", 15, 29)]
    assert ranges(store, ar_doc) == [("entity", 0, 3)]
    assert ranges(store, vi_doc) == []
    assert store.undo("alice", vi_doc) is None


def test_undo_survives_a_restart(db_path, store: Store, vi_doc: str):
    store.add_span(vi_doc, "alice", "entity", 15, 29)
    store.add_span(vi_doc, "alice", "date", 34, 37)
    store.close()
    with Store.open(db_path) as reopened:
        reopened.undo("alice", vi_doc)
        assert ranges(reopened, vi_doc) == [("entity", 15, 29)]
    with Store.open(db_path) as reopened:
        reopened.redo("alice", vi_doc)
        assert ranges(reopened, vi_doc) == [("date", 34, 37), ("entity", 15, 29)]


OPS = st.lists(st.sampled_from(["add", "delete", "relabel", "resize", "undo", "redo"]), max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS, seed=st.integers(0, 2**16))
def test_undo_redo_matches_a_simple_stack_model(new_db, ops, seed):
    """Any mix of actions, undos and redos gives the states a plain undo/redo stack would."""
    rng = random.Random(seed)
    text = "alpha beta gamma delta epsilon zeta eta theta"
    new_db.recycle()
    with Store.open(new_db()) as store:
        doc_id, _ = store.add_document(text, title="t", language="und", direction="ltr")
        state: list[tuple[str, int, int]] = []
        undo_stack: list[list[tuple[str, int, int]]] = []
        redo_stack: list[list[tuple[str, int, int]]] = []
        for op in ops:
            spans = store.spans(doc_id, "alice")
            if op in ("undo", "redo"):
                source, target = (undo_stack, redo_stack) if op == "undo" else (redo_stack, undo_stack)
                event = getattr(store, op)("alice", doc_id)
                if source:
                    target.append(state)
                    state = source.pop()
                    assert event is not None
                else:
                    assert event is None
            else:
                try:
                    if op == "add":
                        start = rng.randrange(0, len(text) - 5)
                        store.add_span(doc_id, "alice", rng.choice(["entity", "claim"]), start, start + 5)
                    elif not spans:
                        continue
                    elif op == "delete":
                        store.delete_span(rng.choice(spans).id, "alice")
                    elif op == "relabel":
                        store.relabel_span(rng.choice(spans).id, rng.choice(["entity", "claim", "date"]), "alice")
                    else:
                        span = rng.choice(spans)
                        store.resize_span(span.id, span.start, min(len(text), span.end + 1), "alice")
                except Exception:  # duplicates / whitespace-only: refused, nothing changes
                    assert ranges(store, doc_id) == state
                    continue
                new_state = ranges(store, doc_id)
                if new_state != state:
                    undo_stack.append(state)
                    redo_stack.clear()
                    state = new_state
            assert ranges(store, doc_id) == state
