"""Agreement on links: exact F1 over (head, child, label), head/child unordered for symmetric labels."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.formats.links_example import build
from tui.agreement.links import compute_link_agreement, normalise
from tui.cli import main
from tui.store import Store

VI_PUTIN = ("vi", 10, 15, "entity")
AR_PUTIN = ("ar", 3, 8, "entity")
VI_BELARUS = ("vi", 30, 37, "entity")
SYMMETRIC = ("same_entity", "same_claim", "contradicts")


def row(rows, a, b, label):
    return next(r for r in rows if (r.a, r.b, r.label) == (a, b, label))


def test_by_hand_reversed_symmetric_links_match_asymmetric_ones_do_not():
    links = {
        "alice": [("same_entity", VI_PUTIN, AR_PUTIN), ("supports", VI_PUTIN, AR_PUTIN),
                  ("same_entity", VI_BELARUS, AR_PUTIN)],
        "bob": [("same_entity", AR_PUTIN, VI_PUTIN),  # reversed: the same symmetric link
                ("supports", AR_PUTIN, VI_PUTIN)],  # reversed: another asymmetric link
    }
    rows = compute_link_agreement(links, ["alice", "bob"], ["same_entity", "same_claim", "supports"], SYMMETRIC)
    entity = row(rows, "alice", "bob", "same_entity")
    assert (entity.a_links, entity.b_links, entity.matched) == (2, 1, 1) and entity.exact_f1 == 2 / 3
    supports = row(rows, "alice", "bob", "supports")
    assert supports.matched == 0 and supports.exact_f1 == 0.0
    pooled = row(rows, "alice", "bob", "*")
    assert (pooled.a_links, pooled.b_links, pooled.matched) == (3, 2, 1) and pooled.exact_f1 == 2 / 5
    assert not any(r.label == "same_claim" for r in rows)  # nobody made one: no row
    assert pooled.to_json() == {"a": "alice", "b": "bob", "label": "*", "a_links": 3, "b_links": 2, "matched": 1,
                                "exact_f1": 0.4}


def test_a_span_label_difference_is_a_different_link():
    other = ("vi", 10, 15, "claim")
    rows = compute_link_agreement({"a": [("same_entity", VI_PUTIN, AR_PUTIN)], "b": [("same_entity", other, AR_PUTIN)]},
                                  ["a", "b"], ["same_entity"], SYMMETRIC)
    assert row(rows, "a", "b", "same_entity").matched == 0


ends = st.tuples(st.sampled_from(["vi", "ar"]), st.integers(0, 5), st.integers(6, 9), st.sampled_from(["entity", "claim"]))
keys = st.tuples(st.sampled_from(["same_entity", "supports"]), ends, ends)


@given(st.lists(keys, max_size=8), st.lists(keys, max_size=8))
def test_f1_is_symmetric_between_annotators_and_one_with_oneself(a, b):
    forward = compute_link_agreement({"a": a, "b": b}, ["a", "b"], ["same_entity", "supports"], SYMMETRIC)
    backward = compute_link_agreement({"a": b, "b": a}, ["a", "b"], ["same_entity", "supports"], SYMMETRIC)
    assert [(r.label, r.exact_f1) for r in forward] == [(r.label, r.exact_f1) for r in backward]
    same = compute_link_agreement({"a": a, "b": a}, ["a", "b"], ["same_entity", "supports"], SYMMETRIC)
    assert all(r.exact_f1 == 1.0 for r in same)
    flipped = [(label, child, head) for label, head, child in a]
    symmetric_only = compute_link_agreement({"a": a, "b": flipped}, ["a", "b"], ["same_entity"], SYMMETRIC)
    assert all(r.exact_f1 == 1.0 for r in symmetric_only if r.label == "same_entity")
    assert all(normalise(normalise(k, SYMMETRIC), SYMMETRIC) == normalise(k, SYMMETRIC) for k in a)


def test_tui_agree_reports_link_rows(tmp_path: Path):
    db = tmp_path / "linked.db"
    build(db)  # alice: 4 links; bob: Putin vi <-> ar (same_entity, reversed against alice's)
    with Store.open(db) as store:
        for annotator in ("alice", "bob"):
            store.set_status(next(s.id for s in store.list_documents()), annotator, "done")
    result = CliRunner().invoke(main, ["--db", str(db), "agree", "--annotator", "alice", "--annotator", "bob",
                                       "--json"])
    assert result.exit_code == 0, result.output
    links = json.loads(result.stdout)["links"]
    entity = next(r for r in links if r["label"] == "same_entity")
    assert (entity["a_links"], entity["b_links"], entity["matched"]) == (3, 1, 1)
    assert entity["exact_f1"] == 0.5
    table = CliRunner().invoke(main, ["--db", str(db), "agree", "--annotator", "alice", "--annotator", "bob"])
    assert table.exit_code == 0 and "links: exact F1" in table.stdout and "same_entity" in table.stdout
