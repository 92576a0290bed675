"""Interval arithmetic on (start, end) code-point ranges, for the agreement figures (tui.agreement.metrics):
unions, overlaps, greedy one-to-one matching by IoU, coverage runs."""

from __future__ import annotations

from collections.abc import Sequence

Range = tuple[int, int]


def merge_ranges(ranges: Sequence[Range]) -> list[Range]:
    """The union of ranges as sorted, disjoint, non-touching ranges."""
    if len(ranges) < 2:
        return list(ranges)
    ordered = sorted(ranges)
    out = [ordered[0]]
    for start, end in ordered[1:]:
        last_start, last_end = out[-1]
        if start <= last_end:
            if end > last_end:
                out[-1] = (last_start, end)
        else:
            out.append((start, end))
    return out


def covered(union: Sequence[Range]) -> int:
    return sum(end - start for start, end in union)


def intersection_length(a: Sequence[Range], b: Sequence[Range]) -> int:
    """Code points in both unions (each sorted and disjoint)."""
    if len(a) == 1 and len(b) == 1:
        return max(0, min(a[0][1], b[0][1]) - max(a[0][0], b[0][0]))
    i = j = total = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            total += end - start
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def greedy_matches(a: Sequence[Range], b: Sequence[Range]) -> int:
    """One-to-one matches between overlapping ranges of a and b, taken greedily by IoU (highest first)."""
    if not a or not b:
        return 0
    if len(a) == 1 and len(b) == 1:
        return 1 if a[0][0] < b[0][1] and b[0][0] < a[0][1] else 0
    bs = sorted(b)
    pairs: list[tuple[float, Range, Range]] = []
    for ra in a:
        for rb in bs:
            if rb[0] >= ra[1]:
                break
            inter = min(ra[1], rb[1]) - max(ra[0], rb[0])
            if inter > 0:
                union = max(ra[1], rb[1]) - min(ra[0], rb[0])
                pairs.append((-inter / union, ra, rb))
    if not pairs:
        return 0
    pairs.sort()
    used_a: set[Range] = set()
    used_b: set[Range] = set()
    for _, ra, rb in pairs:
        if ra not in used_a and rb not in used_b:
            used_a.add(ra)
            used_b.add(rb)
    return len(used_a)


def coverage_runs(unions: Sequence[Sequence[Range]]) -> list[tuple[int, int]]:
    """(length, how many of the unions cover it) for every run of characters some union covers."""
    points: dict[int, int] = {}
    for union in unions:
        for start, end in union:
            points[start] = points.get(start, 0) + 1
            points[end] = points.get(end, 0) - 1
    runs: list[tuple[int, int]] = []
    depth = 0
    previous = 0
    for position in sorted(points):
        if depth > 0 and position > previous:
            runs.append((position - previous, depth))
        depth += points[position]
        previous = position
    return runs
