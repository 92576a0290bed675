"""Agreement on links (issue 13): exact F1 per pair of annotators and link label. Pure (no SQL).

A link is compared by its content, never by database ids: (label, head, child) with each end
(document id, start, end, span label). For a symmetric label (same_entity, same_claim, contradicts)
head and child are unordered, so a→b and b→a are the same link. Per pair and label,
``F1 = 2·|A∩B| / (|A|+|B|)`` over all links of the two annotators; label ``*`` pools every label
(each link keyed with its label). None when neither has a link of that label.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from tui.agreement.metrics import POOLED

LinkEnd = tuple[str, int, int, str]  # (document id, start, end, span label)
LinkKey = tuple[str, LinkEnd, LinkEnd]  # (link label, head, child)


def normalise(key: LinkKey, symmetric: Iterable[str]) -> LinkKey:
    """The key two annotators' links must share to count as the same link."""
    label, head, child = key
    if label in set(symmetric) and child < head:
        return (label, child, head)
    return key


@dataclass(frozen=True, slots=True)
class LinkPairRow:
    a: str
    b: str
    label: str
    a_links: int
    b_links: int
    matched: int

    @property
    def exact_f1(self) -> float | None:
        total = self.a_links + self.b_links
        return None if total == 0 else 2 * self.matched / total

    def to_json(self) -> dict[str, Any]:
        f1 = self.exact_f1
        return {"a": self.a, "b": self.b, "label": self.label, "a_links": self.a_links, "b_links": self.b_links,
                "matched": self.matched, "exact_f1": None if f1 is None else round(f1, 6)}


def compute_link_agreement(
    links: Mapping[str, Iterable[LinkKey]], annotators: Sequence[str], labels: Sequence[str],
    symmetric: Iterable[str],
) -> list[LinkPairRow]:
    """One row per pair of `annotators` (in the order given) and label of `labels`, then the pooled row ``*``;
    rows where neither annotator has a link of that label are left out."""
    symmetric = set(symmetric)
    keyed = {name: {normalise(key, symmetric) for key in links.get(name, ())} for name in annotators}
    rows: list[LinkPairRow] = []
    for a, b in combinations(annotators, 2):
        for label in [*labels, POOLED]:
            mine = {k for k in keyed[a] if label == POOLED or k[0] == label}
            theirs = {k for k in keyed[b] if label == POOLED or k[0] == label}
            if mine or theirs:
                rows.append(LinkPairRow(a, b, label, len(mine), len(theirs), len(mine & theirs)))
    return rows
