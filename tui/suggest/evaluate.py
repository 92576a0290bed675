"""Precision and recall of suggested spans against gold spans, exact and overlapping.

Exact: a suggestion counts when a gold span has the same ``[start, end)``. Overlap: suggestions and
gold spans are paired one to one, greedily by the size of their intersection (largest first); a pair
counts when they share at least one code point.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Range = tuple[int, int]


def _share(part: int, whole: int) -> float:
    """part / whole; 1.0 when there is nothing to get right (no gold spans, or none suggested)."""
    return part / whole if whole else 1.0


@dataclass(frozen=True)
class Scores:
    gold: int
    predicted: int
    exact: int
    overlap: int

    @property
    def exact_precision(self) -> float:
        return _share(self.exact, self.predicted)

    @property
    def exact_recall(self) -> float:
        return _share(self.exact, self.gold)

    @property
    def overlap_precision(self) -> float:
        return _share(self.overlap, self.predicted)

    @property
    def overlap_recall(self) -> float:
        return _share(self.overlap, self.gold)

    def __add__(self, other: Scores) -> Scores:
        return Scores(self.gold + other.gold, self.predicted + other.predicted,
                      self.exact + other.exact, self.overlap + other.overlap)

    def summary(self) -> str:
        return (f"gold {self.gold}, suggested {self.predicted}; "
                f"exact P {self.exact_precision:.3f} R {self.exact_recall:.3f}; "
                f"overlap P {self.overlap_precision:.3f} R {self.overlap_recall:.3f}")


def score_one(gold: Sequence[Range], predicted: Sequence[Range]) -> Scores:
    """Scores of one text's suggestions against its gold spans."""
    exact = len(set(gold) & set(predicted))
    pairs = sorted(((min(g[1], p[1]) - max(g[0], p[0]), gi, pi)
                    for gi, g in enumerate(gold) for pi, p in enumerate(predicted)), reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    overlap = 0
    for size, gi, pi in pairs:
        if size <= 0:
            break
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        overlap += 1
    return Scores(len(gold), len(predicted), exact, overlap)


def score(items: Iterable[tuple[Sequence[Range], Sequence[Range]]]) -> Scores:
    """Pooled scores over (gold, predicted) pairs, one per text."""
    total = Scores(0, 0, 0, 0)
    for gold, predicted in items:
        total = total + score_one(gold, predicted)
    return total
