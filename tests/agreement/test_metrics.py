"""Agreement formulas on hand-computed cases, and α against the `krippendorff` package."""

from __future__ import annotations

from itertools import combinations

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.agreement import POOLED, AnnotatedDocument, compute_against_gold, compute_agreement
from tui.agreement.metrics import cohen_kappa, coverage_runs, greedy_matches, intersection_length, merge_ranges

LABELS = ["entity", "date"]


def doc(doc_id: str, length: int, **spans: list[tuple[str, int, int]]) -> AnnotatedDocument:
    return AnnotatedDocument(doc_id, length, dict(spans))


HAND = [
    doc("d1", 20,
        a=[("entity", 0, 5), ("entity", 10, 15), ("date", 16, 18)],
        b=[("entity", 0, 5), ("entity", 11, 15), ("date", 16, 18)]),
]


def test_exact_and_overlap_f1_and_kappa_by_hand():
    report = compute_agreement(HAND, ["a", "b"], LABELS)
    entity = report.pair("a", "b", "entity")
    assert entity is not None and entity.documents == 1
    assert entity.exact_f1 == pytest.approx(0.5)  # 2*1 / (2+2)
    assert entity.overlap_f1 == pytest.approx(1.0)  # (10,15)~(11,15), IoU 0.8
    # characters: a covers 10, b 9, both 9, neither 10 of 20: po .95, pe .5
    assert entity.kappa == pytest.approx(0.9)
    date = report.pair("a", "b", "date")
    assert date is not None and date.exact_f1 == 1.0 and date.kappa == 1.0
    pooled = report.pair("a", "b", POOLED)
    assert pooled is not None
    assert pooled.exact_f1 == pytest.approx(4 / 6) and pooled.overlap_f1 == 1.0 and pooled.kappa is None
    assert [(r.label, r.spans) for r in report.label_rows] == [("entity", 4), ("date", 2), ("*", 6)]


def test_json_shape():
    data = compute_agreement(HAND, ["a", "b"], LABELS).to_json()
    assert list(data) == ["annotators", "pairs", "labels", "documents"]
    assert data["annotators"] == ["a", "b"]
    assert set(data["pairs"][0]) == {"a", "b", "label", "documents", "exact_f1", "overlap_f1", "kappa"}
    assert [p["label"] for p in data["pairs"]] == ["entity", "date", "*"]
    assert data["pairs"][-1]["kappa"] is None
    assert set(data["labels"][0]) == {"label", "alpha", "spans"}
    assert data["documents"] == [{"doc_id": "d1", "title": "", "disagreement": 2}]


def test_only_documents_both_annotated_count_and_missing_is_not_zero():
    docs = [doc("d1", 10, a=[("entity", 0, 3)], b=[("entity", 0, 3)]),
            doc("d2", 10, a=[("entity", 5, 8)]),  # b never annotated d2: not a disagreement
            doc("d3", 10, a=[], b=[("entity", 1, 2)])]  # a annotated d3 and found nothing
    report = compute_agreement(docs, ["a", "b"], ["entity"])
    row = report.pair("a", "b", "entity")
    assert row is not None and row.documents == 2
    assert row.exact_f1 == pytest.approx(2 * 1 / (1 + 2))
    assert [d.doc_id for d in report.documents] == ["d3"]


def test_nothing_to_compare_is_none():
    report = compute_agreement([doc("d1", 10, a=[], b=[])], ["a", "b"], ["entity"])
    row = report.pair("a", "b", "entity")
    assert row is not None and (row.exact_f1, row.overlap_f1, row.kappa) == (None, None, None)
    assert report.label_rows[0].alpha is None


def test_greedy_matching_is_one_to_one_by_iou():
    assert greedy_matches([(0, 4), (2, 10)], [(2, 6)]) == 1
    assert greedy_matches([(0, 10)], [(0, 5), (5, 10)]) == 1
    assert greedy_matches([(0, 5), (5, 10)], [(0, 5), (5, 10)]) == 2
    assert greedy_matches([(0, 5)], [(5, 10)]) == 0  # touching is not overlapping
    # greedy takes (0,10)-(1,10) (IoU .9) first, leaving (1,3) without a partner
    assert greedy_matches([(0, 10), (1, 3)], [(1, 10)]) == 1


def test_interval_helpers():
    assert merge_ranges([(5, 8), (0, 3), (2, 4), (8, 9)]) == [(0, 4), (5, 9)]
    assert intersection_length([(0, 4), (5, 9)], [(3, 6)]) == 2
    assert coverage_runs([[(0, 4)], [(2, 6)]]) == [(2, 1), (2, 2), (2, 1)]
    assert cohen_kappa(0, 0, 0, 10) is None
    assert cohen_kappa(5, 0, 0, 5) == 1.0


def test_documents_ranked_by_disagreement():
    docs = [doc("d1", 30, a=[("entity", 0, 3)], b=[("entity", 0, 3)], c=[("entity", 0, 3)]),
            doc("d2", 30, a=[("entity", 0, 3), ("date", 5, 6)], b=[("entity", 0, 3)], c=[("entity", 1, 3)]),
            doc("d3", 30, a=[("entity", 0, 3)], b=[("entity", 0, 4)], c=[]),
            doc("d4", 30, a=[("entity", 0, 3)], b=[("entity", 0, 3)], c=[("entity", 9, 12)])]
    report = compute_agreement(docs, ["a", "b", "c"], LABELS)
    assert [(d.doc_id, d.disagreement) for d in report.documents] == [("d2", 3), ("d3", 2), ("d4", 2)]
    assert [d.doc_id for d in compute_agreement(docs, ["a", "b", "c"], LABELS, top=1).documents] == ["d2"]


def test_against_gold_precision_recall_f1():
    docs = [doc("d1", 30, gold=[("entity", 0, 5), ("entity", 10, 15), ("date", 20, 25)],
                a=[("entity", 0, 5), ("entity", 11, 15), ("entity", 26, 28)], b=[("date", 20, 25)]),
            doc("d2", 30, a=[("entity", 0, 3)])]  # not in gold: not counted
    report = compute_against_gold(docs, "gold", ["a", "b", "gold"], LABELS)
    assert report.annotators == ["a", "b"]
    a = report.row("a", "entity")
    assert a is not None and a.documents == 1
    assert (a.exact_precision, a.exact_recall) == (pytest.approx(1 / 3), pytest.approx(1 / 2))
    assert a.exact_f1 == pytest.approx(2 * 1 / 5)
    assert (a.overlap_precision, a.overlap_recall, a.overlap_f1) == (
        pytest.approx(2 / 3), pytest.approx(1.0), pytest.approx(4 / 5))
    b = report.row("b", "entity")
    assert b is not None and (b.exact_precision, b.exact_recall, b.exact_f1) == (None, 0.0, 0.0)
    b_all = report.row("b")
    assert b_all is not None and b_all.exact_precision == 1.0 and b_all.exact_recall == pytest.approx(1 / 3)
    data = report.to_json()
    assert list(data) == ["gold", "annotators", "rows"]


# ---------------------------------------------------------------- against brute force and krippendorff


def _layer(length: int, spans: list[tuple[str, int, int]], label: str) -> list[int]:
    row = [0] * length
    for lab, start, end in spans:
        if lab == label:
            for i in range(start, end):
                row[i] = 1
    return row


@st.composite
def corpora(draw):
    annotators = ["a", "b", "c", "d"][: draw(st.integers(2, 4))]
    docs = []
    for n in range(draw(st.integers(1, 4))):
        length = draw(st.integers(1, 25))
        present = draw(st.lists(st.sampled_from(annotators), unique=True, min_size=0, max_size=len(annotators)))
        spans = {}
        for a in present:
            items = set()
            for _ in range(draw(st.integers(0, 4))):
                start = draw(st.integers(0, length - 1))
                end = draw(st.integers(start + 1, length))
                items.add((draw(st.sampled_from(LABELS)), start, end))
            spans[a] = sorted(items)
        docs.append(AnnotatedDocument(f"d{n}", length, spans))
    return annotators, docs


@settings(max_examples=150, deadline=None)
@given(corpora())
def test_alpha_matches_the_krippendorff_package(data):
    annotators, docs = data
    report = compute_agreement(docs, annotators, LABELS)
    for label in LABELS:
        columns = []
        for d in docs:
            layers = {a: _layer(d.length, d.spans[a], label) for a in d.spans}
            for i in range(d.length):
                columns.append([layers[a][i] if a in layers else np.nan for a in annotators])
        matrix = np.array(columns, dtype=float).T
        pairable = [col for col in matrix.T if np.count_nonzero(~np.isnan(col)) >= 2]
        values = {v for col in pairable for v in col if not np.isnan(v)}
        ours = next(r.alpha for r in report.label_rows if r.label == label)
        if len(values) < 2:
            assert ours is None
            continue
        expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
        assert ours == pytest.approx(expected, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(corpora())
def test_pair_figures_match_brute_force(data):
    annotators, docs = data
    report = compute_agreement(docs, annotators, LABELS)
    for a, b in combinations(annotators, 2):
        shared = [d for d in docs if a in d.spans and b in d.spans]
        for label in LABELS:
            row = report.pair(a, b, label)
            assert row is not None and row.documents == len(shared)
            sa = {(d.doc_id, s, e) for d in shared for lab, s, e in d.spans[a] if lab == label}
            sb = {(d.doc_id, s, e) for d in shared for lab, s, e in d.spans[b] if lab == label}
            if sa or sb:
                assert row.exact_f1 == pytest.approx(2 * len(sa & sb) / (len(sa) + len(sb)))
            else:
                assert row.exact_f1 is None
            cells = [(x, y) for d in shared
                     for x, y in zip(_layer(d.length, d.spans[a], label), _layer(d.length, d.spans[b], label))]
            n11 = sum(1 for x, y in cells if x and y)
            n10 = sum(1 for x, y in cells if x and not y)
            n01 = sum(1 for x, y in cells if y and not x)
            n00 = len(cells) - n11 - n10 - n01
            expected = cohen_kappa(n11, n10, n01, n00)
            assert row.kappa == (None if expected is None else pytest.approx(expected))
            assert row.overlap_f1 is None or row.exact_f1 is None or row.overlap_f1 >= row.exact_f1 - 1e-12
