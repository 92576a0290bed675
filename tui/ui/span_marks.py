"""SpanMark: a span as the document view draws it (its range, label and how it is marked), and
the order overlapping spans are drawn in."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SpanMark", "outer_first"]


@dataclass(frozen=True, slots=True)
class SpanMark:
    """A span as the view draws it: logical ``[start, end)`` in code points, and its label."""

    id: int
    start: int
    end: int
    label: str
    readonly: bool = False
    """True for another annotator's span: drawn dimmer, never the target of edits."""
    candidate: bool = False
    """True for a candidate (another source's span offered for accept/reject; readonly too): drawn
    faint with a double underline, never counted as the annotator's."""
    linked: bool = False
    """The span has a link (same entity, same claim...): drawn with an overline."""
    partner: bool = False
    """The span is linked to the span under the caret (in any pane): drawn reversed."""
    pending: bool = False
    """True while the action that makes or changes this span waits for the writer (tui.ui.writer):
    drawn dim and reversed until its transaction committed."""


def outer_first(span: SpanMark) -> tuple[bool, int, int, int]:
    """Sort key of the order spans are drawn in: read-only spans underneath, then longer (outer)
    spans before the spans nested in them."""
    return (not span.readonly, -(span.end - span.start), span.start, span.id)
