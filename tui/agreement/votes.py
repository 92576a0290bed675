"""Votes for adjudication: every distinct span the chosen annotators made in one document, who made
it, and its state (pure: plain records in, plain records out).

States (colour *and* glyph in the review screen):

* ``unanimous`` ●: every annotator of the document made it;
* ``majority`` ◐: more than half made it, and no other annotator's span competes with it;
* ``disputed`` ◆: not unanimous and it competes with another span: the same label on an overlapping
  range (a boundary disagreement) or the same range with another label (a label disagreement);
  a claim with an entity nested in it does not compete;
* ``single`` ○: one annotator alone made it (and nothing competes with it).

Every span that is not unanimous needs a decision (accept into gold or reject).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

SpanKey = tuple[str, int, int]  # (label, start, end)

UNANIMOUS, MAJORITY, DISPUTED, SINGLE = "unanimous", "majority", "disputed", "single"
STATES: tuple[str, ...] = (UNANIMOUS, MAJORITY, DISPUTED, SINGLE)
GLYPHS: dict[str, str] = {UNANIMOUS: "●", MAJORITY: "◐", DISPUTED: "◆", SINGLE: "○"}


@dataclass(frozen=True, slots=True)
class VoteRow:
    label: str
    start: int
    end: int
    voters: tuple[str, ...]  # who made it, in annotator order
    annotators: tuple[str, ...]  # everyone who annotated the document, in order
    state: str
    decision: str | None  # "gold" (in gold), "rejected" (gold rejected it), or None: to decide

    @property
    def key(self) -> SpanKey:
        return (self.label, self.start, self.end)

    @property
    def share(self) -> float:
        return len(self.voters) / len(self.annotators) if self.annotators else 0.0

    @property
    def glyph(self) -> str:
        return GLYPHS[self.state]

    def ballot(self) -> list[tuple[str, bool]]:
        """(annotator, made it) for each annotator of the document: `ann1✓ ann2✓ ann3✗`."""
        return [(name, name in self.voters) for name in self.annotators]

    def describe(self) -> str:
        """`entity  alice✓ bob✓ carol✗  67%` (names as given: the caller makes them safe to show)."""
        marks = " ".join(f"{name}{'✓' if made else '✗'}" for name, made in self.ballot())
        return f"{self.label}  {marks}  {round(self.share * 100)}%"


def _competes(a: SpanKey, b: SpanKey) -> bool:
    if a == b:
        return False
    if (a[1], a[2]) == (b[1], b[2]):
        return True  # same range, another label
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]  # same label, overlapping ranges (boundaries)


def vote_rows(spans: Mapping[str, Sequence[SpanKey]], annotators: Sequence[str], *,
              gold: Sequence[SpanKey] = (), rejected: Sequence[SpanKey] = ()) -> list[VoteRow]:
    """One row per distinct (label, start, end) any of `annotators` made, by position.

    `spans` maps each annotator who annotated the document to their spans (an annotator absent
    from it did not annotate the document and does not vote); `gold` and `rejected` mark rows
    already decided.
    """
    present = tuple(a for a in annotators if a in spans)
    votes: dict[SpanKey, list[str]] = {}
    for name in present:
        for key in dict.fromkeys(spans[name]):
            votes.setdefault(key, []).append(name)
    keys = sorted(votes, key=lambda k: (k[1], -k[2], k[0]))
    in_gold, refused = set(gold), set(rejected)
    rows: list[VoteRow] = []
    for key in keys:
        voters = tuple(votes[key])
        if len(voters) == len(present):
            state = UNANIMOUS
        elif any(_competes(key, other) for other in keys):
            state = DISPUTED
        elif len(voters) * 2 > len(present):
            state = MAJORITY
        elif len(voters) == 1:
            state = SINGLE
        else:
            state = DISPUTED  # a tie (half of an even number) with nothing else competing
        decision = "gold" if key in in_gold else "rejected" if key in refused else None
        rows.append(VoteRow(key[0], key[1], key[2], voters, present, state, decision))
    return rows


__all__ = ["VoteRow", "vote_rows", "STATES", "GLYPHS", "UNANIMOUS", "MAJORITY", "DISPUTED", "SINGLE"]
