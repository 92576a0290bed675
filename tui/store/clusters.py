"""Clusters of linked spans: connected components of a transitive link label. Pure (no SQL).

`components(edges, key)` maps every node that appears in an edge to its component's
representative, the member with the smallest `key` (the earliest span in reading order). The
cluster id is derived from that span alone, so it does not depend on which links were made, in
what order or direction; it changes only when a span earlier than the representative joins (or
two clusters merge, when the later one takes the earlier one's id).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

N = TypeVar("N", bound=Hashable)


def components(edges: Iterable[tuple[N, N]], key: Callable[[N], Any]) -> dict[N, N]:
    """node -> the smallest node (by `key`) of its connected component, for every node of `edges`."""
    parent: dict[N, N] = {}

    def find(node: N) -> N:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    for a, b in edges:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        # The root is always the component's smallest node, so it is the representative.
        if key(rb) < key(ra):
            ra, rb = rb, ra
        parent[rb] = ra
    return {node: find(node) for node in parent}


def cluster_id_for(link_label: str, annotator: str, document_id: str, start: int, end: int, span_label: str) -> str:
    """The id of the `link_label` cluster whose earliest span is this one: `<link_label>-<12 hex digits>`
    (sha256 of annotator, document id, start, end and span label, joined by U+001F)."""
    material = "\x1f".join((annotator, document_id, str(start), str(end), span_label))
    return f"{link_label}-{hashlib.sha256(material.encode('utf-8')).hexdigest()[:12]}"
