"""Tagging logic for one document and one annotator, with no widget in sight.

Every write goes to the store first; an `Outcome` says whether it was committed, so the
screen never reports a save that did not happen. Store failures (locked past the busy
timeout, disk full, read-only file...) become an unsaved Outcome with the reason.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Sequence, TypeVar, Union

from tui.safe_text import safe_text

from tui.store import StoreError

if TYPE_CHECKING:
    from tui.store import Candidate, Event, Span, Store
    from tui.store.candidates import NewCandidate
    from tui.store.view_directions import ViewDirection, ViewDirections

WRITE_ERRORS: tuple[type[BaseException], ...] = (StoreError, sqlite3.Error, OSError)

Written = Union["Span", "Event", "list[Span]", None]
"""What a store write returns, kept in its Outcome."""
W = TypeVar("W", bound=Written)


@dataclass(frozen=True)
class Outcome:
    """What a store write did: `saved` only when the transaction committed."""

    saved: bool
    message: str
    span: Written = None
    """What the write returned: the span added or changed, the undo/redo event, the spans accepted."""
    changed: bool = True  # False: nothing to do (no span under caret...), no write attempted
    excerpt: str = ""  # the document text concerned, shown after the message (bidi-safe)
    key: object = None  # which action (a failure stays shown until the same action succeeds)


def nothing(message: str, excerpt: str = "") -> Outcome:
    return Outcome(saved=False, message=message, changed=False, excerpt=excerpt)


def quote(text: str, limit: int = 30) -> str:
    """A short one-line preview of document text. Still raw text: the status line draws it
    through the layout engine (shaped, reordered, control characters as placeholders)."""
    flat = " ".join(text.split())
    return f"{flat[:limit]}…" if len(flat) > limit else flat


def clean(name: str, limit: int = 40) -> str:
    """A name (label, annotator, source) for the status line: through the project's safe-text
    boundary (hidden characters as visible placeholders), cut to `limit`."""
    from tui.safe_text import safe_text

    return safe_text(name, limit)


def label_counts(spans: Sequence[Span], labels: list[str]) -> dict[str, int]:
    """Spans per label, every known label present (0 when unused), in label order."""
    counts = Counter(span.label for span in spans)
    result = {label: counts.get(label, 0) for label in labels}
    for label, count in counts.items():
        result.setdefault(label, count)
    return result


def step_offset(text: str, offset: int, step: int) -> int:
    """Move `offset` one character forward (+1) or back (-1), never into a combining mark."""
    offset = max(0, min(len(text), offset + step))
    while 0 < offset < len(text) and unicodedata.combining(text[offset]):
        offset = max(0, min(len(text), offset + step))
    return offset


def trim_whitespace(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace at the edges of a range: `w` in visual mode stops on the next word's
    start, and a span with a trailing space is never what an annotator means."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def resized_bounds(text: str, start: int, end: int, edge: str, step: int) -> tuple[int, int] | None:
    """New (start, end) after moving one edge a character; None if the span would vanish."""
    if edge == "start":
        start = step_offset(text, start, step)
    else:
        end = step_offset(text, end, step)
    return (start, end) if start < end else None


class DocumentSession:
    """One annotator's editing session on one document, backed by the store."""

    def __init__(self, store: Store, doc_id: str, annotator: str, text: str, *, read_only: str | None = None) -> None:
        self.store = store
        self.doc_id = doc_id
        self.annotator = annotator
        self.text = text
        self.read_only = read_only  # why nothing may be written here (a pane showing someone else), or None

    def own_spans(self) -> list[Span]:
        return self.store.spans(self.doc_id, annotator=self.annotator)

    def all_spans(self) -> list[Span]:
        return self.store.spans(self.doc_id)

    def _write(self, done: str, call: Callable[[], W], excerpt: str = "") -> Outcome:
        if self.read_only:
            return nothing(self.read_only)
        try:
            result = call()
        except WRITE_ERRORS as exc:
            return Outcome(saved=False, message=f"NOT saved ({done}): {exc}", excerpt=quote(excerpt))
        return Outcome(saved=True, message=f"saved: {done}", span=result, excerpt=quote(excerpt))

    def tag(self, label: str, start: int, end: int) -> Outcome:
        if self.read_only:
            return nothing(self.read_only)
        start, end = trim_whitespace(self.text, start, end)
        if not 0 <= start < end <= len(self.text):
            return nothing("nothing to tag here: select text or put the caret on a word")
        try:
            existing = self.own_spans()
        except WRITE_ERRORS as exc:
            return Outcome(saved=False, message=f"NOT saved ({label}): {exc}", excerpt=quote(self.text[start:end]))
        for span in existing:
            if (span.start, span.end, span.label) == (start, end, label):
                return nothing(f"already tagged {label}:", quote(self.text[start:end]))
        return self._write(
            label,
            lambda: self.store.add_span(self.doc_id, self.annotator, label, start, end),
            self.text[start:end],
        )

    def delete(self, span: Span) -> Outcome:
        return self._write(
            f"deleted {span.label}",
            lambda: self.store.delete_span(span.id, self.annotator),
            self.text[span.start:span.end],
        )

    def relabel(self, span: Span, label: str) -> Outcome:
        if label == span.label:
            return nothing(f"already {label}")
        return self._write(
            f"{span.label} → {label}",
            lambda: self.store.relabel_span(span.id, label, self.annotator),
            self.text[span.start:span.end],
        )

    def resize(self, span: Span, edge: str, step: int, by_word: bool = False, batch: str | None = None) -> Outcome:
        """Move one edge a character (or a word); the edge never stops on whitespace."""
        from tui.ui.span_edit import describe_edge, move_edge

        bounds = move_edge(self.text, span.start, span.end, edge, step, by_word=by_word)
        if bounds is None or bounds == (span.start, span.end):
            return nothing("the span cannot shrink or grow further that way")
        start, end = bounds
        batch = batch or self._burst_token(span.id)
        outcome = self._write(
            f"{span.label} {'start' if edge == 'start' else 'end'} "
            f"{'earlier' if step < 0 else 'later'}{' by a word' if by_word else ''}",
            lambda: self.store.resize_span(span.id, start, end, self.annotator, batch=batch),
        )
        # The span with the moving edge marked (▸ at the start, ◂ at the end).
        return replace(outcome, excerpt=describe_edge(self.text, start, end, edge))

    BURST_SECONDS = 1.0
    """Resizes of one span less than this apart (a held key) share a batch: one undo step."""

    def _burst_token(self, span_id: int) -> str:
        import time
        import uuid

        now = time.monotonic()
        last = getattr(self, "_burst", None)
        if last is not None and last[0] == span_id and now - last[2] < self.BURST_SECONDS:
            token = last[1]
        else:
            token = f"resize-{uuid.uuid4().hex[:12]}"
        self._burst = (span_id, token, now)
        return token

    def undo(self) -> Outcome:
        return self._history(self.store.undo, "undo", "undone", "nothing to undo")

    def redo(self) -> Outcome:
        return self._history(self.store.redo, "redo", "redone", "nothing to redo")

    def _history(self, call: Callable[[str, str], Event | None], name: str, verb: str, empty: str) -> Outcome:
        if self.read_only:
            return nothing(self.read_only)
        try:
            event = call(self.annotator, self.doc_id)
        except WRITE_ERRORS as exc:
            return Outcome(saved=False, message=f"NOT saved ({name} failed): {exc}")
        if event is None:
            return nothing(empty)
        return Outcome(saved=True, message=f"saved: {describe_undo(event, verb)}", span=event,
                       excerpt=quote(describe_event(event)[1]))

    # -- candidates (another source's spans offered for accept/reject) -------------------------

    def candidates(self, sources: list[str]) -> list[Candidate]:
        """The candidates of `sources` here this annotator has not decided on (read only)."""
        if not sources or self.read_only:
            return []
        return list(self.store.candidates(self.doc_id, self.annotator, sources))

    def accept(self, candidate: Candidate) -> Outcome:
        return self._write(
            f"accepted {clean(candidate.label)} from {clean(candidate.source)}",
            lambda: self.store.accept_candidate(self.annotator, candidate),
            self.text[candidate.start:candidate.end],
        )

    def reject(self, candidate: Candidate) -> Outcome:
        return self._write(
            f"rejected {clean(candidate.label)} from {clean(candidate.source)}",
            lambda: self.store.reject_candidate(self.annotator, candidate),
            self.text[candidate.start:candidate.end],
        )

    def accept_all(self, sources: list[str]) -> Outcome:
        if self.read_only:
            return nothing(self.read_only)
        try:
            accepted = self.store.accept_all_candidates(self.doc_id, self.annotator, sources)
        except WRITE_ERRORS as exc:
            return Outcome(saved=False, message=f"NOT saved (accept all): {exc}")
        if not accepted:
            return nothing("no candidates left in this article")
        counts = Counter(span.label for span in accepted)
        detail = ", ".join(f"{clean(label)} {n}" for label, n in counts.items())
        return Outcome(saved=True, message=f"saved: accepted {len(accepted)} candidates ({detail}); u undoes them all",
                       span=accepted)

    def accept_candidates(self, chosen: list[Candidate], saved: Callable[[int], str], failed: str) -> Outcome:
        """Accept these candidates in one transaction (one undo takes them all back); `saved(n)`
        says what was done once n were accepted."""
        if self.read_only:
            return nothing(self.read_only)
        try:
            accepted = self.store.accept_candidates(self.annotator, chosen)
        except WRITE_ERRORS as exc:
            return Outcome(saved=False, message=f"NOT saved ({failed}): {exc}")
        if not accepted:
            return nothing("nothing left to accept")
        return Outcome(saved=True, message=f"saved: {saved(len(accepted))}", span=accepted)

    def replace_suggestions(self, by_source: dict[str, list[NewCandidate]]) -> int:
        """Make these the article's candidates of each suggestion source (one transaction per
        source, tui.suggesting); returns how many there are now. Raises on a failed write."""
        return sum(self.store.replace_candidates(source, self.doc_id, items) for source, items in by_source.items())

    # -- links and view settings (written by the writer thread like every action) ---------------

    def add_link(self, head_span_id: int, child_span_id: int, label: str, done: str, excerpt: str = "") -> Outcome:
        return self._done(done, lambda: self.store.add_link(self.annotator, head_span_id, child_span_id, label),
                          excerpt)

    def delete_link(self, link_id: int, done: str, excerpt: str = "") -> Outcome:
        return self._done(done, lambda: self.store.delete_link(link_id, self.annotator), excerpt)

    def relabel_link(self, link_id: int, label: str, done: str, excerpt: str = "") -> Outcome:
        return self._done(done, lambda: self.store.relabel_link(link_id, label, self.annotator), excerpt)

    def set_view_direction(self, paragraph: int | None, direction: ViewDirection, annotator: str, done: str,
                           keep: Callable[[ViewDirections], None]) -> Outcome:
        """Save a display direction override (display only, so also on a read-only pane); `keep`
        receives the document's overrides as committed."""
        try:
            directions = self.store.set_view_direction(self.doc_id, paragraph, direction, annotator)
        except WRITE_ERRORS as exc:
            return Outcome(saved=False, message=f"NOT saved ({done}): {exc}")
        keep(directions)
        return Outcome(saved=True, message=f"saved: {done}")

    def _done(self, done: str, call: Callable[[], object], excerpt: str = "") -> Outcome:
        """A write whose result the screen does not keep (links): committed, or why not."""
        if self.read_only:
            return nothing(self.read_only)
        try:
            call()
        except WRITE_ERRORS as exc:
            return Outcome(saved=False, message=f"NOT saved ({done}): {exc}", excerpt=quote(excerpt))
        return Outcome(saved=True, message=f"saved: {done}", excerpt=quote(excerpt))

    def set_status(self, status: str) -> Outcome:
        return self._write(
            f"marked {status.replace('_', ' ')}",  # the words the pane and the picker use
            lambda: self.store.set_status(self.doc_id, self.annotator, status),
        )


def describe_event(event: Event | None) -> tuple[str, str]:
    """(label, text) of the span an undo/redo event touched."""
    span = getattr(event, "after", None) or getattr(event, "before", None) or {}
    if not isinstance(span, dict):
        return "", ""
    return str(span.get("label", "")), str(span.get("text", ""))


def describe_undo(event: Event, verb: str) -> str:
    """What an undo/redo did, in words ("undone: removed the entity you added"); the span's text
    follows on the status line as the excerpt."""
    before = getattr(event, "before", None)
    after = getattr(event, "after", None)
    before = before if isinstance(before, dict) else None
    after = after if isinstance(after, dict) else None
    label = str((after or before or {}).get("label", "span"))
    undo = verb == "undone"
    if before is None and after is not None:
        what = f"restored the {label} you deleted" if undo else f"added the {label} again"
    elif after is None and before is not None:
        what = f"removed the {label} you added" if undo else f"deleted the {label} again"
    elif before is not None and after is not None and before.get("label") != after.get("label"):
        what = f"{before.get('label')} is {after.get('label')} again" if undo else (
            f"relabelled {before.get('label')} → {after.get('label')} again")
    else:
        what = f"the {label} has its old edges again" if undo else f"resized the {label} again"
    return f"{verb}: {what}"


def event_range(event: Event | None) -> tuple[int, int] | None:
    """Where an undo/redo event's span is (after it), else where it was: for the caret to go to."""
    for state in (getattr(event, "after", None), getattr(event, "before", None)):
        if isinstance(state, dict) and isinstance(state.get("start"), int) and isinstance(state.get("end"), int):
            return state["start"], state["end"]
    return None
