"""Agreement between annotators, computed from plain records (no SQL, no Textual, no Rich).

Input: `AnnotatedDocument`s, one per document, naming every chosen annotator who annotated it (a
span in it, or a status other than todo) with their (label, start, end) spans. Output: an
`AgreementReport` (or a `GoldReport`), whose `to_json()` is what `tui agree --json` prints.

Definitions (all pooled over the documents both annotators of a pair annotated):

* exact span F1 of a pair and label: ``2·|A∩B| / (|A|+|B|)`` over (document, start, end);
  label ``*`` pools (document, start, end, label).
* overlap F1: same label, overlapping ranges, matched one to one greedily by IoU (highest first;
  ties by position), ``2·matches / (|A|+|B|)``.
* Cohen's κ of a pair and label on the character layer: every code point of a shared document is
  1 when inside one of the annotator's spans of that label, else 0.
* Krippendorff's α (nominal) per label over all chosen annotators on the same layers; an annotator
  who did not annotate a document is missing data there (units with fewer than two values are not
  pairable and do not count). α = 1 − (n−1)·o₀₁ / (n₀·n₁), with the coincidences o₀₁ summed in
  closed form over runs of characters that the same number of annotators cover.
* a document's disagreement: how many distinct (label, start, end) spans its annotators made that
  not every one of them made (documents with one annotator have none).

A figure with nothing to compare (no spans on either side, or no variation for κ/α) is None.
Everything runs in one pass over the documents with per-document work only, so memory stays flat
however many documents there are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from tui.agreement.ranges import Range
from tui.agreement.ranges import coverage_runs as coverage_runs
from tui.agreement.ranges import covered as covered
from tui.agreement.ranges import greedy_matches as greedy_matches
from tui.agreement.ranges import intersection_length as intersection_length
from tui.agreement.ranges import merge_ranges as merge_ranges

POOLED = "*"

SpanKey = tuple[str, int, int]  # (label, start, end)


@dataclass(frozen=True, slots=True)
class AnnotatedDocument:
    """One document: every chosen annotator who annotated it (key present) and their spans."""

    doc_id: str
    length: int  # code points
    spans: dict[str, list[SpanKey]]  # annotator -> spans (possibly none)



# ------------------------------------------------------------------ accumulators


@dataclass(slots=True)
class PairCounts:
    """What one pair and one label add up to over their shared documents."""

    a_spans: int = 0
    b_spans: int = 0
    exact: int = 0  # |A ∩ B|
    matches: int = 0  # greedy IoU matches
    n11: int = 0  # characters both cover
    n10: int = 0
    n01: int = 0
    n00: int = 0

    def exact_f1(self) -> float | None:
        total = self.a_spans + self.b_spans
        return None if total == 0 else 2 * self.exact / total

    def overlap_f1(self) -> float | None:
        total = self.a_spans + self.b_spans
        return None if total == 0 else 2 * self.matches / total

    def kappa(self) -> float | None:
        return cohen_kappa(self.n11, self.n10, self.n01, self.n00)


def cohen_kappa(n11: int, n10: int, n01: int, n00: int) -> float | None:
    n = n11 + n10 + n01 + n00
    if n == 0:
        return None
    observed = (n11 + n00) / n
    expected = ((n11 + n10) * (n11 + n01) + (n00 + n01) * (n00 + n10)) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


@dataclass(slots=True)
class AlphaCounts:
    """Pairable values and disagreeing coincidences of one label's character layers."""

    ones: int = 0  # n₁: pairable values 1 (inside a span)
    zeros: int = 0  # n₀
    disagreement: float = 0.0  # o₀₁

    def add_document(self, length: int, coders: int, sizes: Sequence[int], overlaps: int) -> None:
        """One document coded by `coders` annotators: `sizes` their covered code points, `overlaps`
        the sum of the pairwise intersections.

        Per character covered by k of m coders the disagreeing coincidences are k(m-k)/(m-1); summed,
        Σk = Σ sizes and Σk² = Σ sizes + 2·overlaps, so o₀₁ = Σ sizes − 2·overlaps/(m−1).
        """
        if coders < 2:
            return
        inside = sum(sizes)
        self.ones += inside
        self.zeros += length * coders - inside
        self.disagreement += inside - 2 * overlaps / (coders - 1)

    def alpha(self) -> float | None:
        n = self.ones + self.zeros
        if self.ones == 0 or self.zeros == 0:
            return None
        return 1.0 - (n - 1) * self.disagreement / (self.ones * self.zeros)


# ------------------------------------------------------------------ reports


@dataclass(frozen=True, slots=True)
class PairRow:
    a: str
    b: str
    label: str
    documents: int
    exact_f1: float | None
    overlap_f1: float | None
    kappa: float | None

    def to_json(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "label": self.label, "documents": self.documents,
                "exact_f1": rounded(self.exact_f1), "overlap_f1": rounded(self.overlap_f1),
                "kappa": rounded(self.kappa)}


@dataclass(frozen=True, slots=True)
class LabelRow:
    label: str
    alpha: float | None
    spans: int  # spans of this label by the chosen annotators in the documents they annotated

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "alpha": rounded(self.alpha), "spans": self.spans}


@dataclass(frozen=True, slots=True)
class DocumentRow:
    doc_id: str
    title: str
    disagreement: int  # distinct spans not every annotator of the document made
    annotators: int
    spans: int  # distinct spans in the document

    def to_json(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "disagreement": self.disagreement}


@dataclass
class AgreementReport:
    annotators: list[str]
    labels: list[str]
    pairs: list[PairRow]
    label_rows: list[LabelRow]
    documents: list[DocumentRow]  # most disagreement first (titles filled in by the caller)
    documents_compared: int = 0  # documents at least two chosen annotators annotated

    def pair(self, a: str, b: str, label: str = POOLED) -> PairRow | None:
        for row in self.pairs:
            if row.label == label and {row.a, row.b} == {a, b}:
                return row
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "annotators": list(self.annotators),
            "pairs": [row.to_json() for row in self.pairs],
            "labels": [row.to_json() for row in self.label_rows],
            "documents": [row.to_json() for row in self.documents],
        }


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def spans_by_label(spans: Iterable[SpanKey], labels: set[str]) -> dict[str, list[Range]]:
    grouped: dict[str, list[Range]] = {}
    for label, start, end in spans:
        if label in labels:
            grouped.setdefault(label, []).append((start, end))
    return grouped


def compute_agreement(
    documents: Iterable[AnnotatedDocument], annotators: Sequence[str], labels: Sequence[str], *,
    top: int = 20,
) -> AgreementReport:
    """Pairwise F1 and κ, α per label and the documents to adjudicate first, in one pass.

    Per pair and label only what needs the spans is summed per document (span counts, exact and
    greedy matches, characters both cover, characters each covers); the characters neither covers
    follow at the end from the pair's total length, so a label absent from a document costs nothing.
    """
    order = {name: i for i, name in enumerate(annotators)}
    wanted = set(labels)
    pair_names = list(combinations(annotators, 2))
    # (a, b, label) -> [a_spans, b_spans, exact, matches, n11, a_covered, b_covered]
    sums: dict[tuple[str, str, str], list[int]] = {
        (a, b, label): [0] * 7 for a, b in pair_names for label in labels
    }
    shared: dict[tuple[str, str], int] = {pair: 0 for pair in pair_names}
    shared_length: dict[tuple[str, str], int] = {pair: 0 for pair in pair_names}
    alphas = {label: AlphaCounts() for label in labels}
    coded = 0  # Σ length·coders over documents with two or more coders (pairable values)
    label_spans = dict.fromkeys(labels, 0)
    ranked: list[tuple[int, int, str, int, int]] = []  # (-disagreement, seq, id, annotators, spans)
    compared = 0
    for seq, doc in enumerate(documents):
        present = sorted((a for a in doc.spans if a in order), key=order.__getitem__)
        grouped = {a: spans_by_label(doc.spans[a], wanted) for a in present}
        seen: set[str] = set()
        for a in present:
            for label, ranges in grouped[a].items():
                label_spans[label] += len(ranges)
                seen.add(label)
        coders = len(present)
        if coders < 2:
            continue
        compared += 1
        length = doc.length
        coded += length * coders
        pairs_here = list(combinations(range(coders), 2))
        for i, j in pairs_here:
            pair = (present[i], present[j])
            shared[pair] += 1
            shared_length[pair] += length
        distinct: dict[SpanKey, int] = {}
        for label in seen:
            empty: list[Range] = []
            sets = [grouped[a].get(label, empty) for a in present]
            unions = [merge_ranges(r) if len(r) > 1 else r for r in sets]
            sizes = [covered(u) for u in unions]
            overlaps = 0
            for i, j in pairs_here:
                acc = sums[present[i], present[j], label]
                ra, rb = sets[i], sets[j]
                if ra and rb:
                    if len(ra) == 1 and len(rb) == 1:
                        (sa, ea), (sb, eb) = ra[0], rb[0]
                        if sa == sb and ea == eb:
                            acc[2] += 1
                        both = min(ea, eb) - max(sa, sb)
                        if both > 0:
                            acc[3] += 1
                        else:
                            both = 0
                    else:
                        acc[2] += len(set(ra).intersection(rb))
                        acc[3] += greedy_matches(ra, rb)
                        both = intersection_length(unions[i], unions[j])
                    acc[4] += both
                    overlaps += both
                acc[0] += len(ra)
                acc[1] += len(rb)
                acc[5] += sizes[i]
                acc[6] += sizes[j]
            alpha = alphas[label]
            inside = sum(sizes)
            alpha.ones += inside
            alpha.disagreement += inside - 2 * overlaps / (coders - 1)
            for label_ranges in sets:
                for start, end in label_ranges:
                    key = (label, start, end)
                    distinct[key] = distinct.get(key, 0) + 1
        disputed = sum(1 for votes in distinct.values() if votes < coders)
        if disputed:
            ranked.append((-disputed, seq, doc.doc_id, coders, len(distinct)))
    for alpha in alphas.values():
        alpha.zeros = coded - alpha.ones
    ranked.sort()
    if top > 0:
        ranked = ranked[:top]
    pairs: list[PairRow] = []
    for a, b in pair_names:
        pooled = PairCounts()
        for label in labels:
            a_spans, b_spans, exact, matches, n11, a_covered, b_covered = sums[a, b, label]
            counted = PairCounts(a_spans, b_spans, exact, matches, n11, a_covered - n11, b_covered - n11,
                                 shared_length[a, b] - a_covered - b_covered + n11)
            pairs.append(PairRow(a, b, label, shared[a, b], counted.exact_f1(), counted.overlap_f1(),
                                 counted.kappa()))
            pooled.a_spans += a_spans
            pooled.b_spans += b_spans
            pooled.exact += exact
            pooled.matches += matches
        pairs.append(PairRow(a, b, POOLED, shared[a, b], pooled.exact_f1(), pooled.overlap_f1(), None))
    label_rows = [LabelRow(label, alphas[label].alpha(), label_spans[label]) for label in labels]
    label_rows.append(LabelRow(POOLED, None, sum(label_spans.values())))
    docs = [DocumentRow(doc_id, "", -negative, n, spans) for negative, _, doc_id, n, spans in ranked]
    return AgreementReport(list(annotators), list(labels), pairs, label_rows, docs, compared)


__all__ = [
    "POOLED", "AnnotatedDocument", "AgreementReport", "PairRow", "LabelRow", "DocumentRow", "PairCounts",
    "compute_agreement", "cohen_kappa", "merge_ranges", "greedy_matches", "intersection_length", "coverage_runs",
    "rounded", "spans_by_label",
]
