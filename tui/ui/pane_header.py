"""The pane's two header lines (title; language, direction, counts per label, status) and the reader's
reading-direction keys (display only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Static

from tui.safe_rich import safe_style
from tui.safe_text import safe_text
from tui.ui import pane_writes
from tui.ui.annotation import Outcome, clean, label_counts, nothing
from tui.store.view_directions import ViewDirections, next_direction
from tui.ui.display import layout_options, visual_line_direction
from tui.ui.pane_writes import after_writes
from tui.ui.pane_base import PaneBase

if TYPE_CHECKING:
    from tui.store.models import Document, DocumentSummary


STATUS_NAMES = {"todo": "to do", "in_progress": "in progress", "done": "done", "skipped": "skipped"}


class PaneTitle(Static):
    """The pane number (when panes are hidden) and the article title."""


class PaneMeta(Static):
    """Language, direction, this annotator's span counts per label, document status."""

class PaneHeader(PaneBase):
    """The header part of ArticlePane (mixed in)."""

    def refresh_title(self) -> None:
        """Two lines: the article title; then language, direction, counts per label, status."""
        title = self.query_one(PaneTitle)
        meta_line = self.query_one(PaneMeta)
        document = self.document
        head = Text(no_wrap=True, overflow="ellipsis", style="bold")
        if self.indicator:
            head.append(f" {self.indicator}")
        if getattr(self.tui, "as_annotators", None) or self.acting_as:
            editable = self.viewer == self.tui.annotator or bool(self.acting_as)
            head.append(f" {clean(self.viewer, 16)}{'' if editable else ' (read-only)'} ·",
                        style="reverse" if editable else "dim")
        if self.progress_note:  # this annotator's way through the corpus: done / total
            head.append(f" {self.progress_note} ·")
        if document is None:
            head.append(" no article — press o to open one")
            title.update(head)
            meta_line.update("")
            return
        room = max(4, (self.size.width or 80) - head.cell_len - 2)
        title_options = layout_options(self.tui.bidi, self.tui.shaping, self.directions.document)
        shown, rtl = visual_line_direction(getattr(document, "title", "") or document.id, title_options, room)
        if rtl and self.tui.bidi == "app":  # flush right like an RTL paragraph
            shown = shown.rjust(room)
        head.append(" " + shown)
        title.update(head)
        meta_line.update(self._meta_line(document, self.size.width or 80))

    def _meta_line(self, document: Document, width: int) -> Text:
        """Language, direction, span counts, status; spaced out when it fits, tight when narrow (a
        pane of an 80- or 100-column terminal), so the status is not cut."""
        counts = label_counts(self.own, self.label_names)
        status = STATUS_NAMES.get(self.status, self.status)
        keys = {label.name: getattr(label, "key", None) or label.name[:1] for label in self.labels}
        # spaced out; tight; then (a 40-column pane) no direction and each label by its key: "e1"
        for gap, tight in (("  ", False), (" ", False), (" ", True)):
            meta = Text(no_wrap=True, overflow="ellipsis")
            language = safe_text(getattr(document, 'language', '') or '?', 12)
            meta.append(f" {language}" if tight else f" {language} {document_direction(document)}")
            meta.append(self._direction_note(gap))
            meta.append(" │ ")
            for name, count in counts.items():
                shown = f"{safe_text(keys.get(name) or name, 3)}{count}" if tight else f"{safe_text(name, 24)} {count}"
                meta.append(shown, style=self._legend_style(name))
                meta.append(gap)
            if self.candidates:
                meta.append(f"◌ {len(self.candidates)}", style="dim")
                meta.append(gap)
            pad = gap[1:]
            meta.append("│ ")
            meta.append(f"{pad}{status}{pad}", style="reverse" if self.status in ("done", "skipped") else "")
            if meta.cell_len <= width:
                break
        return meta

    def _direction_note(self, gap: str) -> str:
        """The reader's direction overrides, when there are any: "shown rtl", "¶3 ltr", "+2¶"."""
        notes = []
        if self.directions.document != "auto":
            notes.append(f"shown {self.directions.document}")
        paragraphs = self.directions.paragraphs
        if paragraphs:
            here = self._caret_paragraph()
            if here is not None and here in paragraphs:
                notes.append(f"¶{here + 1} {paragraphs[here]}")
                if len(paragraphs) > 1:
                    notes.append(f"+{len(paragraphs) - 1}¶")
            else:
                notes.append(f"{len(paragraphs)}¶ set")
        return (gap[:1] + " ".join(notes)) if notes else ""

    def _caret_paragraph(self) -> int | None:
        layout = self.view.text_layout
        return None if layout is None else layout.paragraph_at(self.view.caret)

    def _legend_style(self, name: str) -> Any:
        """The label's style exactly as its spans are drawn (tui.ui.document_canvas.label_style)."""
        try:
            return self.view.label_style(name)
        except Exception:  # not mounted yet: the cue and colour alone
            return _count_style(self._label_styles.get(name))

    # -- reading direction (display only) --------------------------------------------------

    @after_writes
    def action_paragraph_direction(self) -> None:
        paragraph = self._caret_paragraph()
        if paragraph is None or self.document is None:
            return self.report(nothing("no article open"))
        self._set_direction(paragraph, next_direction(self.directions.of(paragraph)))

    @after_writes
    def action_document_direction(self) -> None:
        if self.document is None:
            return self.report(nothing("no article open"))
        self._set_direction(None, next_direction(self.directions.document))

    def _set_direction(self, paragraph: int | None, direction: Any) -> None:
        """Save the override, then show it (the text is never changed)."""
        what = "the article" if paragraph is None else f"paragraph {paragraph + 1}"
        shown = {"auto": "in its own direction (auto)", "rtl": "right to left", "ltr": "left to right"}[direction]
        committed: list[ViewDirections] = []

        def shown_now(outcome: Outcome) -> None:  # on the UI thread, once the writer reported
            if outcome.saved and committed:
                self.directions = committed[-1]
                self.view.set_options(self.options_for_mode())

        annotator = self.tui.annotator
        assert self.document is not None  # a direction is only cycled on an open article
        pane_writes.submit(self, f"{what} direction", lambda s: s.set_view_direction(
            paragraph, direction, annotator, f"{what} shown {shown} (display only)", committed.append),
            key=("view", self.document.id, paragraph), then=shown_now)


def document_direction(document: Document | DocumentSummary) -> str:
    direction = getattr(document, "direction", None)
    return direction if direction in ("ltr", "rtl") else "auto"


def _count_style(style: Any) -> Any:
    colour = getattr(style, "color", None)
    cue = getattr(style, "cue", None)
    parts = [cue] if cue in ("bold", "underline", "italic", "reverse") else []
    if colour:
        parts.append(colour)
    return safe_style(" ".join(parts))  # a colour from the database that does not parse: no colour
