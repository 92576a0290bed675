"""Split a paragraph into clusters: the units of width, wrapping, caret and selection.

A cluster is a base character followed by its zero-width marks (combining marks such as Arabic
harakat and Vietnamese NFD accents, ZWNJ, variation selectors), with ZWJ gluing the next base on
(rich, which draws our cells, counts ``a`` ZWJ ``b`` as one cell), and with the alef of a lam-alef
ligature folded into the lam's cluster. Hidden characters (controls, bidi controls, other format
characters) are always a cluster of their own, drawn as a width-1 placeholder. A mark with no base
to sit on is drawn on a dotted circle.
"""

from __future__ import annotations

from dataclasses import dataclass

from .chars import BASE, DOTTED_CIRCLE, FORMAT_PLACEHOLDER, HIDDEN, JOINER, MARK, cell_width, kind_of


@dataclass(slots=True)
class Clusters:
    """Clusters of one paragraph, offsets relative to the paragraph.

    Cluster ``k`` covers ``text[starts[k]:starts[k + 1]]`` (``starts`` ends with ``len(text)``),
    draws ``texts[k]`` (before mirroring) in ``widths[k]`` cells, and a line may break after it
    when ``spaces[k]``.
    """

    starts: list[int]
    texts: list[str]
    widths: list[int]
    spaces: list[bool]


def split_clusters(text: str, glyphs: list[str] | None) -> Clusters:
    """Clusters of ``text``; ``glyphs`` is the per-character output of shaping.shape (or None)."""
    starts: list[int] = []
    texts: list[str] = []
    widths: list[int] = []
    spaces: list[bool] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        kind, shown = kind_of(ch)
        starts.append(i)
        if kind == HIDDEN:
            texts.append(shown)
            widths.append(1)
            spaces.append(ch.isspace())
            i += 1
            continue
        if kind == BASE:
            parts = [glyphs[i] if glyphs is not None else ch]
        elif kind == MARK:
            parts = [DOTTED_CIRCLE, ch]
        else:  # a ZWJ with nothing before it to join
            parts = [FORMAT_PLACEHOLDER]
        space = kind == BASE and ch.isspace()
        i += 1
        while i < n:
            nxt = text[i]
            if glyphs is not None and glyphs[i] == "":
                i += 1  # alef drawn by the lam-alef ligature glyph before it
                continue
            nkind, _shown = kind_of(nxt)
            if nkind == MARK:
                parts.append(glyphs[i] if glyphs is not None else nxt)
                i += 1
            elif nkind == JOINER and kind != JOINER:
                i += 1
                if i < n and kind_of(text[i])[0] == BASE and not text[i].isspace() and not space:
                    parts.append(nxt)
                    parts.append(glyphs[i] if glyphs is not None else text[i])
                    i += 1
                # else: a trailing ZWJ is not drawn (it would hide whatever is drawn after it)
            else:
                break
        shown_text = "".join(parts)
        texts.append(shown_text)
        widths.append(cell_width(shown_text))
        spaces.append(space)
    starts.append(n)
    return Clusters(starts, texts, widths, spaces)
