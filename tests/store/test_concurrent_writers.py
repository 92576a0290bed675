"""Several Store objects (connections) writing to one database at the same moment, on both backends:
nothing is lost, uniqueness holds (one of two identical spans or links is refused), every write is
committed when its method returns, and each history stays whole."""

from __future__ import annotations

import threading

from tests.store.store_samples import VIETNAMESE
from tui.store import Store, StoreError

WRITERS = 4
ROUNDS = 25


def at_once(work, each, stores: list[Store]) -> None:
    """`work(x)` for every x of `each`, each in its own thread; then every store is closed."""
    threads = [threading.Thread(target=work, args=(x,)) for x in each]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()


def test_writers_at_once_lose_nothing_and_keep_uniqueness(db_path):
    with Store.open(db_path) as setup:
        doc_id, _ = setup.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
    stores = [Store.open(db_path) for _ in range(WRITERS)]
    barrier = threading.Barrier(WRITERS)
    outcomes: list[list[str]] = [[] for _ in range(WRITERS)]
    errors: list[BaseException] = []

    def work(n: int) -> None:
        store, me = stores[n], f"annotator{n}"
        try:
            barrier.wait()
            for i in range(ROUNDS):
                own = store.add_span(doc_id, me, "entity", i, i + 3)  # nobody else's range
                with Store.open(db_path) as other:  # committed when add_span returned
                    assert other.get_span(own.id) is not None
                try:  # every writer tries the same span of the shared annotator: one wins
                    store.add_span(doc_id, "shared", "claim", i, i + 5)
                    outcomes[n].append("added")
                except StoreError as exc:
                    assert "already has" in str(exc)
                    outcomes[n].append("refused")
                if i % 5 == 4:
                    store.undo(me, doc_id)
                    store.redo(me, doc_id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    at_once(work, range(WRITERS), stores)
    assert errors == []
    assert sum(o.count("added") for o in outcomes) == ROUNDS  # exactly one writer won each shared span
    with Store.open(db_path) as store:
        spans = store.spans(doc_id)
        keys = [(s.annotator, s.label, s.start, s.end) for s in spans]
        assert len(keys) == len(set(keys)) == WRITERS * ROUNDS + ROUNDS
        assert len({s.id for s in spans}) == len(spans)
        for n in range(WRITERS):
            mine = store.history(doc_id, f"annotator{n}")
            assert [e.action for e in mine].count("add") == ROUNDS
            assert [e.action for e in mine].count("undo") == [e.action for e in mine].count("redo") == ROUNDS // 5
        assert [e.action for e in store.history(doc_id, "shared")].count("add") == ROUNDS
        ids = [e.id for e in store.history(doc_id)]
        assert ids == sorted(set(ids))


def test_two_writers_linking_the_same_spans_make_one_link(db_path):
    with Store.open(db_path) as setup:
        doc_id, _ = setup.add_document(VIETNAMESE, title="t", language="vi", direction="ltr")
        head = setup.add_span(doc_id, "alice", "entity", 15, 29)
        child = setup.add_span(doc_id, "alice", "entity", 0, 14)
    stores = [Store.open(db_path) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def link(store: Store) -> None:
        barrier.wait()
        try:
            store.add_link("alice", head.id, child.id, "same_entity")  # symmetric: either way round
            results.append("linked")
        except StoreError as exc:
            results.append("refused: already linked" if "already linked" in str(exc) else str(exc))

    at_once(link, stores, stores)
    assert sorted(results) == ["linked", "refused: already linked"]
    with Store.open(db_path) as store:
        assert len(store.links()) == 1
