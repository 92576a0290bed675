"""Links as exports show them (`LinkRow`: the link, both spans with their documents' language and place,
and the cluster id), read by `Store.link_rows` (tui.store.link_methods), which imports this module when
called: opening a store (a plain start of the app) does not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.store.clusters import cluster_id_for, components
from tui.store.dbapi import Connection
from tui.store.links import LINK_COLUMNS, LINK_FROM, Link, LinkLabel, fetch_link_labels, link_from_row
from tui.store.models import SPAN_COLUMNS, Span


@dataclass(frozen=True, slots=True)
class LinkedSpan:
    """One end of a link as exports show it: the span and its document's language and position."""

    span: Span
    language: str
    document_seq: int  # the document's place in import order (reading order across the corpus)


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A link with both its spans, and its cluster id (None for non-transitive labels)."""

    link: Link
    head: LinkedSpan
    child: LinkedSpan
    cluster_id: str | None


def span_sort_key(span: Span, document_seq: int) -> tuple[int, int, int, str, str]:
    """Reading order across the corpus: the article's place in import order, then the offsets."""
    return (document_seq, span.start, span.end, span.label, span.annotator)


def fetch_link_rows(c: Connection, annotators: Sequence[str] = (), document_id: str | None = None) -> list[LinkRow]:
    """Links with both spans and cluster ids, in a deterministic order (reading order of the head,
    then of the child, then label). Clusters are computed over all of an annotator's links of a label,
    so the ids are the same whichever documents are asked about."""
    where: list[str] = []
    params: list[object] = []
    if annotators:
        where.append(f"links.annotator IN ({', '.join('?' * len(annotators))})")
        params.extend(annotators)
    sql = (
        f"SELECT {LINK_COLUMNS}, {', '.join('head.' + col for col in SPAN_COLUMNS.split(', '))}, hd.language, hd.seq, "
        f"{', '.join('child.' + col for col in SPAN_COLUMNS.split(', '))}, cd.language, cd.seq "
        f"FROM {LINK_FROM} JOIN documents AS hd ON hd.id = head.document_id "
        "JOIN documents AS cd ON cd.id = child.document_id"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    labels = {label.name: label for label in fetch_link_labels(c)}
    raw: list[tuple[Link, LinkedSpan, LinkedSpan]] = []
    for row in c.execute(sql, params):
        link = link_from_row(row[:9])
        head = LinkedSpan(Span(*row[9:18]), row[18], row[19])
        child = LinkedSpan(Span(*row[20:29]), row[29], row[30])
        raw.append((link, head, child))
    return _with_clusters(raw, labels, document_id)


def _with_clusters(
    raw: list[tuple[Link, LinkedSpan, LinkedSpan]], labels: dict[str, LinkLabel], document_id: str | None,
) -> list[LinkRow]:
    keys: dict[int, tuple[int, int, int, str, str]] = {}
    spans: dict[int, Span] = {}
    edges: dict[str, list[tuple[int, int]]] = {}
    for link, head, child in raw:
        for end in (head, child):
            keys[end.span.id] = span_sort_key(end.span, end.document_seq)
            spans[end.span.id] = end.span
        label = labels.get(link.label)
        if label is not None and label.transitive:
            edges.setdefault(link.label, []).append((link.head_span_id, link.child_span_id))
    roots = {name: components(pairs, keys.__getitem__) for name, pairs in edges.items()}
    rows: list[LinkRow] = []
    for link, head, child in raw:
        if document_id is not None and document_id not in (link.head_document_id, link.child_document_id):
            continue
        cluster = None
        if link.label in roots:
            root = spans[roots[link.label][link.head_span_id]]
            cluster = cluster_id_for(link.label, root.annotator, root.document_id, root.start, root.end, root.label)
        rows.append(LinkRow(link, head, child, cluster))
    rows.sort(key=lambda r: (r.link.annotator, keys[r.link.head_span_id], keys[r.link.child_span_id],
                             r.link.label, r.link.id))
    return rows


__all__ = ["LinkRow", "LinkedSpan", "fetch_link_rows", "span_sort_key"]
