"""Display modes and safe one-line renderings of document strings (titles in bars and lists).

Titles go through the same layout engine as article text, so an Arabic title is joined,
reordered and free of control characters exactly like the article below it.
"""

from __future__ import annotations

from dataclasses import replace

from tui.layout import DocumentLayout, LayoutOptions
from tui.layout.model import Direction


def layout_options(bidi: str, shaping: bool, direction: str | None) -> LayoutOptions:
    """LayoutOptions for a display mode: 'app' reorders, 'terminal' leaves order to the
    terminal, 'off' shows raw logical text (no reordering, no shaping)."""
    paragraph: Direction = "ltr" if direction == "ltr" else "rtl" if direction == "rtl" else "auto"
    if bidi == "off":
        return LayoutOptions(direction=paragraph, shaping=False, reorder=False)
    return LayoutOptions(direction=paragraph, shaping=shaping, reorder=bidi == "app")


def visual_line(text: str, options: LayoutOptions, width: int = 200) -> str:
    """`text` on one line of at most `width` cells: shaped, reordered, control-free.

    Cut in logical order (the wrap engine's first line) so a long RTL title keeps its
    beginning, which is on the right; an ellipsis marks the cut."""
    return visual_line_direction(text, options, width)[0]


def visual_line_direction(text: str, options: LayoutOptions, width: int = 200) -> tuple[str, bool]:
    """``visual_line`` and whether the line reads right to left (its paragraph direction: with
    ``options.direction`` auto, decided by its first strong character, UAX #9 P2-P3), so the
    caller can align it flush right as the article's RTL paragraphs are."""
    flat = " ".join(text.split())
    if not flat or width < 2:
        return "", False
    if options.paragraph_directions:  # an article's paragraph overrides say nothing about this line
        options = replace(options, paragraph_directions=())
    line = DocumentLayout(flat, width - 1, options).line(0)
    shown = "".join(cell.text for cell in line.cells).strip()
    if line.end < len(flat):
        return ("…" + shown if line.rtl else shown + "…"), line.rtl
    return shown, line.rtl
