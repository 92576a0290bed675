"""What the panes show of links, with no widget in sight: which spans are linked, which spans
are the partners of the span under the caret, and the link being made.

`LinkIndex` is built from the links with an end in an article (one query per pane reload); the
caret's partners are then found in memory on every caret move.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


class LinkLike(Protocol):
    """What the index reads of a link (the store's frozen Link, or a test's stand-in)."""

    @property
    def id(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def head_span_id(self) -> int: ...
    @property
    def child_span_id(self) -> int: ...
    @property
    def head_document_id(self) -> str: ...
    @property
    def child_document_id(self) -> str: ...


class SpanLike(Protocol):
    id: int
    document_id: str
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class Partner:
    """The other end of a link from a span under the caret."""

    span_id: int
    document_id: str
    link_id: int
    label: str


@dataclass(frozen=True)
class LinkIndex:
    """The links touching one article."""

    links: tuple[LinkLike, ...] = ()

    @classmethod
    def build(cls, links: Iterable[LinkLike]) -> LinkIndex:
        return cls(tuple(links))

    def linked_span_ids(self) -> frozenset[int]:
        return frozenset(i for link in self.links for i in (link.head_span_id, link.child_span_id))

    def partners(self, span_ids: Iterable[int]) -> list[Partner]:
        """The other end of every link of these spans, in link order (no duplicates)."""
        wanted = set(span_ids)
        found: dict[tuple[int, int], Partner] = {}
        for link in self.links:
            ends = ((link.head_span_id, link.child_span_id, link.child_document_id),
                    (link.child_span_id, link.head_span_id, link.head_document_id))
            for mine, other, other_doc in ends:
                if mine in wanted and other not in wanted:
                    found.setdefault((link.id, other), Partner(other, other_doc, link.id, link.label))
        return list(found.values())


@dataclass(frozen=True)
class PendingLink:
    """A link started on a span (its pane and document), waiting for the other end."""

    pane_index: int
    document_id: str
    span_id: int
    label: str
    text: str


def next_partner(partners: Sequence[Partner], current: int | None) -> Partner | None:
    """The partner after the one last jumped to (so repeated presses visit every partner)."""
    if not partners:
        return None
    ids = [p.span_id for p in partners]
    if current in ids:
        return partners[(ids.index(current) + 1) % len(partners)]
    return partners[0]
