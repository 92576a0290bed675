"""The main screen's status line: who is annotating, the display mode, progress, what the caret
is in, the writes, the change listener, links, the `/` search and the outcome of the last action,
fitted to the screen's width (MainScreen.show_status draws it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from tui.layout import LayoutOptions
from tui.safe_text import safe_text
from tui.ui import refresh, suggestions
from tui.ui.annotation import clean
from tui.ui.display import visual_line, visual_line_direction
from tui.ui.write_status import writes_segment

if TYPE_CHECKING:
    from tui.ui.screens.main import MainScreen


def quoted_excerpt(excerpt: str, options: LayoutOptions, room: int) -> str:
    """An outcome's quote in at most `room` cells, shaped and in visual order. A span whose end
    moved ("…Putin và◂") keeps its end: the cut is at its start."""
    flat = " ".join(excerpt.split())
    if not flat.endswith("◂") or len(flat) <= room - 1:
        return visual_line(flat, options, room)
    shown, rtl = visual_line_direction(flat[-(room - 2):], options, room)
    return shown + "…" if rtl else "…" + shown


class StatusLine(Static):
    """Who is annotating, the display mode, and the outcome of the last action."""


def show(screen: MainScreen) -> None:
    """The status line; when the outcome's quote would not fit (80 columns), the progress
    (also in every pane title) gives way, then what the caret is in (the message names the
    span acted on), then the message is cut: the quote, with the edge that moved, and its
    closing mark always show."""
    width = screen.size.width or 80
    line, excerpt = _status_line(screen, progress=True, caret_in=True)
    if excerpt and line.cell_len + len(excerpt) + 3 > width:
        line, excerpt = _status_line(screen, progress=False, caret_in=True)
    if excerpt and line.cell_len + min(len(excerpt), 24) + 3 > width:
        line, excerpt = _status_line(screen, progress=False, caret_in=False)  # the message names the span
    if excerpt and screen.last_options is not None:
        # Document text goes through the layout engine: shaped, in visual order, and
        # with control characters as visible placeholders.
        room = max(8, min(40, width - line.cell_len - 4))
        if room < len(excerpt) and line.cell_len > width - 4 - 12:
            line.truncate(max(20, width - 4 - min(len(excerpt), 16)), overflow="ellipsis")
            room = max(8, min(40, width - line.cell_len - 4))
        line.append(" “" + quoted_excerpt(excerpt, screen.last_options, room) + "”")
    screen.query_one(StatusLine).update(line)


def _status_line(screen: MainScreen, *, progress: bool, caret_in: bool) -> tuple[Text, str]:
    """The status line without the outcome's quote, and that quote's text ("" if none)."""
    app = screen.tui
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f" {safe_text(app.annotator, 24)} ", style="bold reverse")
    view = screen.active_pane().view if screen.panes else None
    if view is not None and view.visual_mode:
        line.append(" VISUAL ", style="bold reverse")
    width = screen.size.width or 80
    outcome = screen.last_outcome
    if width >= 100 or outcome is None:  # at 80 columns the message needs the room
        line.append(f" bidi {app.bidi} · shaping {'on' if app.shaping else 'off'}")
    if app.show_others:
        line.append(" · others shown")
    if progress and screen.progress is not None and screen.progress.total:
        line.append(f" │ {screen.progress.done}/{screen.progress.total} done")
    if app.candidate_sources:
        pending = suggestions.pending_count(screen.active_pane()) if screen.panes else 0
        line.append(f" · ◌ {pending} pending · " + ",".join(clean(s, 20) for s in app.candidate_sources))
    if view is not None and caret_in:
        # What the caret is in, innermost first; the current span (what x, r, [ ] { } act on)
        # is shown reversed between ▸ ◂.
        marks = view.spans_at_caret()
        current = screen.active_pane().current_span() if screen.panes else None
        if marks:
            line.append(" │ in ")
            for index, mark in enumerate(marks):
                if index:
                    line.append(" ⊂ ", style="bold")
                name = safe_text(mark.label, 24) + ("◌" if mark.candidate else "*" if mark.readonly else "")
                if current is not None and mark.id == current.id and not mark.readonly:
                    line.append(f"▸{name}◂", style="bold reverse")
                else:
                    line.append(name, style="bold")
    line.append_text(writes_segment(getattr(app, "writer", None), quitting=getattr(app, "_quit_requested", False),
                                    failure=screen.failure, last=outcome))
    line.append_text(refresh.status_segment(screen.listener))
    partners = screen.partner_summary()
    if partners is not None:
        line.append_text(partners)
    found = screen.active_pane().search_summary(short=outcome is not None) if screen.panes else None
    if found is not None:  # the `/` search: how many matches, which one the caret is on
        line.append(f" │ /{found}")
    if screen.pending_link is not None:
        line.append(" │ ")
        line.append(" LINKING ", style="bold reverse")
    if outcome is not None:
        line.append(" │ ")
        if outcome.saved:
            line.append("✓ ", style="bold green")
            line.append(safe_text(outcome.message))
        elif outcome.changed:
            line.append("✗ " + safe_text(outcome.message), style="bold red reverse")
        else:
            line.append(safe_text(outcome.message), style="italic")
    return line, (outcome.excerpt or "") if outcome is not None else ""
