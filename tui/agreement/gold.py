"""Each annotator against a gold annotator: precision, recall and F1, exact and overlap, per label and
pooled (`tui agree --gold`). Plain records in, a `GoldReport` out (no SQL, Textual or Rich)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tui.agreement.metrics import POOLED, AnnotatedDocument, PairCounts, rounded, spans_by_label
from tui.agreement.ranges import greedy_matches


@dataclass(frozen=True, slots=True)
class GoldRow:
    annotator: str
    label: str
    documents: int
    spans: int  # the annotator's
    gold_spans: int
    exact_precision: float | None
    exact_recall: float | None
    exact_f1: float | None
    overlap_precision: float | None
    overlap_recall: float | None
    overlap_f1: float | None

    def to_json(self) -> dict[str, Any]:
        return {"annotator": self.annotator, "label": self.label, "documents": self.documents,
                "spans": self.spans, "gold_spans": self.gold_spans,
                "exact_precision": rounded(self.exact_precision), "exact_recall": rounded(self.exact_recall),
                "exact_f1": rounded(self.exact_f1), "overlap_precision": rounded(self.overlap_precision),
                "overlap_recall": rounded(self.overlap_recall), "overlap_f1": rounded(self.overlap_f1)}


@dataclass
class GoldReport:
    gold: str
    annotators: list[str]
    labels: list[str]
    rows: list[GoldRow]

    def row(self, annotator: str, label: str = POOLED) -> GoldRow | None:
        return next((r for r in self.rows if r.annotator == annotator and r.label == label), None)

    def to_json(self) -> dict[str, Any]:
        return {"gold": self.gold, "annotators": list(self.annotators), "rows": [r.to_json() for r in self.rows]}


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def _gold_row(annotator: str, label: str, documents: int, acc: PairCounts) -> GoldRow:
    return GoldRow(annotator, label, documents, acc.a_spans, acc.b_spans,
                   _ratio(acc.exact, acc.a_spans), _ratio(acc.exact, acc.b_spans), acc.exact_f1(),
                   _ratio(acc.matches, acc.a_spans), _ratio(acc.matches, acc.b_spans), acc.overlap_f1())


def compute_against_gold(
    documents: Iterable[AnnotatedDocument], gold: str, annotators: Sequence[str], labels: Sequence[str],
) -> GoldReport:
    """Each annotator against `gold`: precision, recall and F1, exact and overlap, per label and pooled,
    on the documents both annotated."""
    wanted = set(labels)
    names = [a for a in annotators if a != gold]
    counts = {(a, label): PairCounts() for a in names for label in labels}
    shared = dict.fromkeys(names, 0)
    for doc in documents:
        if gold not in doc.spans:
            continue
        reference = spans_by_label(doc.spans[gold], wanted)
        for a in names:
            if a not in doc.spans:
                continue
            shared[a] += 1
            mine = spans_by_label(doc.spans[a], wanted)
            for label in labels:
                ra, rg = mine.get(label, []), reference.get(label, [])
                if not ra and not rg:
                    continue
                acc = counts[a, label]
                acc.a_spans += len(ra)
                acc.b_spans += len(rg)
                if ra and rg:
                    acc.exact += len(set(ra).intersection(rg))
                    acc.matches += greedy_matches(ra, rg)
    rows: list[GoldRow] = []
    for a in names:
        pooled = PairCounts()
        for label in labels:
            acc = counts[a, label]
            rows.append(_gold_row(a, label, shared[a], acc))
            pooled.a_spans += acc.a_spans
            pooled.b_spans += acc.b_spans
            pooled.exact += acc.exact
            pooled.matches += acc.matches
        rows.append(_gold_row(a, POOLED, shared[a], pooled))
    return GoldReport(gold, names, list(labels), rows)


__all__ = ["GoldReport", "GoldRow", "compute_against_gold"]
