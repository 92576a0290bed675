"""Clusters are connected components with a representative that does not depend on how they were linked."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.store.clusters import cluster_id_for, components

edges_strategy = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=40)


def reference_components(edges: list[tuple[int, int]]) -> list[set[int]]:
    groups: list[set[int]] = []
    for a, b in edges:
        touching = [g for g in groups if a in g or b in g]
        merged = {a, b}.union(*touching)
        groups = [g for g in groups if g not in touching] + [merged]
    return groups


@given(edges_strategy)
def test_every_node_maps_to_the_smallest_member_of_its_component(edges):
    roots = components(edges, key=lambda n: n)
    for group in reference_components(edges):
        assert {roots[n] for n in group} == {min(group)}
    assert set(roots) == {n for edge in edges for n in edge}


@given(edges_strategy, st.randoms(use_true_random=False))
def test_order_and_direction_of_links_do_not_change_the_clusters(edges, rnd):
    shuffled = [(b, a) if rnd.random() < 0.5 else (a, b) for a, b in edges]
    rnd.shuffle(shuffled)
    assert components(shuffled, key=lambda n: n) == components(edges, key=lambda n: n)


@given(edges_strategy, st.integers(31, 60))
def test_a_later_mention_joining_a_cluster_keeps_its_id(edges, newcomer):
    roots = components(edges, key=lambda n: n)
    if not roots:
        return
    member = sorted(roots)[0]
    grown = components(edges + [(newcomer, member)], key=lambda n: n)
    assert grown[newcomer] == roots[member]
    assert all(grown[n] == roots[n] for n in roots)


@given(edges_strategy)
def test_the_key_decides_the_representative(edges):
    reverse = components(edges, key=lambda n: -n)
    for group in reference_components(edges):
        assert {reverse[n] for n in group} == {max(group)}


def test_cluster_ids_name_the_label_and_hash_the_earliest_span():
    a = cluster_id_for("same_entity", "alice", "0123456789abcdef", 3, 9, "entity")
    assert a.startswith("same_entity-") and len(a) == len("same_entity-") + 12
    assert a == cluster_id_for("same_entity", "alice", "0123456789abcdef", 3, 9, "entity")
    assert a != cluster_id_for("same_entity", "bob", "0123456789abcdef", 3, 9, "entity")
    assert a != cluster_id_for("same_claim", "alice", "0123456789abcdef", 3, 9, "entity")
