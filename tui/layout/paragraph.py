"""One paragraph prepared for layout: shaped, clustered, bidi-resolved once, wrapped per width.

``PreparedParagraph`` holds everything that does not depend on the width (glyphs, clusters,
levels); ``line_starts(width)`` wraps (cached per width) and ``line_runs(...)`` orders one line
(L1, L2) as runs of clusters.
Offsets here are relative to the paragraph; the engine adds the paragraph's document offset.

Every paragraph ends with a *terminator* cluster: a blank cell standing for the newline that ends the
paragraph (or, for the document's last paragraph, the end of the text). It lets the caret sit after
the last character, and it puts each newline on screen exactly once (at the end of its paragraph's
last line in reading order: rightmost in LTR, leftmost in RTL).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import repeat

from . import bidi
from .clusters import special_characters, split_clusters
from .shaping import shape_with_ligatures
from .wrap import wrap_clusters, wrap_uniform

TERMINATOR_TEXT = " "


@dataclass(slots=True)
class PreparedParagraph:
    """Width-independent layout data of one paragraph (``text`` excludes its newline).

    Cluster ``k`` covers ``[starts[k], starts[k + 1])`` and draws ``texts[k]``; the last cluster
    (index ``count - 1``) is the terminator at ``len(text)`` (``starts`` has ``count + 1`` entries)
    unless the paragraph is a block of a giant one that is not its last (``terminated`` False).
    When ``uniform`` every character is its own 1-cell cluster, ``starts``/``widths``/``spaces``
    are None and ``texts`` is the glyph string plus the terminator's blank. ``levels`` holds
    the level of each cluster (None: all equal to ``level``); ``classes`` the bidi class of each
    cluster's first character (None when levels are uniform and need no L1).
    """

    text: str
    level: int
    uniform: bool
    texts: str | tuple[str, ...]
    starts: tuple[int, ...] | None
    widths: tuple[int, ...] | None
    spaces: tuple[bool, ...] | None
    levels: bytes | None
    classes: str | None
    mirrorable: tuple[int, ...] = ()
    """clusters whose base character has a mirror glyph (drawn mirrored at odd levels, L4)"""
    skeleton: str | None = None
    """when every cluster is 1 cell: one character per cluster (whitespace where a line may
    break after it), terminator included, for wrapping with a regular expression"""
    terminated: bool = True
    """ends with the terminator cluster; False for a block of a giant paragraph that is not its
    last (see giant.py): its clusters simply stop at ``len(text)``"""
    _wraps: dict[int, list[int]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """Number of clusters including the terminator."""
        return len(self.texts)

    def cluster_start(self, k: int) -> int:
        """Start of cluster ``k`` (``count`` gives one past the terminator)."""
        return k if self.starts is None else self.starts[k]

    def cluster_end(self, k: int) -> int:
        """End of cluster ``k``; the terminator ends one past the text (the newline)."""
        return k + 1 if self.starts is None else self.starts[k + 1]

    def cluster_index(self, offset: int) -> int:
        """Index of the cluster containing relative ``offset`` (``len(text)``: the terminator)."""
        if self.starts is None:
            return offset
        return bisect_right(self.starts, offset) - 1

    def line_starts(self, width: int) -> list[int]:
        """Cluster index where each visual line starts, for this width (cached)."""
        found = self._wraps.get(width)
        if found is None:
            if self.uniform:
                found = wrap_uniform(self.text + TERMINATOR_TEXT if self.terminated else self.text,
                                     width)
            elif self.skeleton is not None:
                found = wrap_uniform(self.skeleton, width)
            else:
                assert self.widths is not None and self.spaces is not None  # not uniform
                found = wrap_clusters(self.widths, self.spaces, width)
            if len(self._wraps) > 8:
                self._wraps.clear()
            self._wraps[width] = found
        return found


def prepare(text: str, direction: str, shaping: bool, terminated: bool = True,
            level: int | None = None, entry: int | None = None, before: str = "",
            after: str = "") -> PreparedParagraph:
    """Shape, cluster and resolve levels for one paragraph (no newline inside ``text``).

    A block of a giant paragraph (giant.py) passes ``level``, the whole paragraph's level;
    ``entry``, the level of the UAX #9 paragraph it continues (they differ only after a paragraph
    separator such as U+2029 in an earlier block); ``terminated`` False for all but its last block;
    and the text just ``before`` and ``after`` it (up to the nearest strong character), resolved
    with it so that weak and neutral characters at its edges see their real neighbours.
    """
    glyphs, folded = shape_with_ligatures(text) if shaping else (None, [])
    chars = set(text)
    needs_bidi = bidi.may_need_bidi(text, chars)
    if needs_bidi or direction == "rtl" or level or entry or (
            (before or after) and bidi.may_need_bidi(before + after)):
        base = None if direction == "auto" else (1 if direction == "rtl" else 0)
        first_level = entry if entry is not None else level
        if before or after:
            context = before + text + after
            context_levels, first = bidi.resolve_levels(context, base, None, first_level)
            char_levels = context_levels[len(before):len(before) + len(text)]
            classes = bidi.bidi_classes(text)
        else:
            classes = bidi.bidi_classes(text)
            char_levels, first = bidi.resolve_levels(text, base, classes, first_level)
        if level is None:
            level = first
    else:
        classes = None
        char_levels = None
        level = 0
    mirrorable: tuple[int, ...]
    tail = TERMINATOR_TEXT if terminated else ""
    tail_class = "B" if terminated else ""
    tail_level = bytes((level,)) if terminated else b""
    special = special_characters(text, chars)
    uniform = not folded and not special
    if uniform:
        shown: str = (text if glyphs is None else "".join(glyphs)) + tail
        starts = widths = spaces = None
        cluster_levels = None
        cluster_classes = None
        if char_levels is not None:
            assert classes is not None
            cluster_levels = bytes(char_levels) + tail_level
            cluster_classes = classes + tail_class
        mirrorable = ()
        if cluster_levels is not None:
            mirrorable = tuple(m.start() for m in bidi.MIRRORED_RE.finditer(text))
        return PreparedParagraph(text, level, True, shown, None, None, None, cluster_levels,
                                 cluster_classes, mirrorable, None, terminated)
    clusters = split_clusters(text, glyphs, folded, special)
    starts = clusters.starts
    texts = clusters.texts
    widths = clusters.widths
    spaces = clusters.spaces
    firsts = starts[:-1]
    if terminated:
        starts.append(len(text) + 1)  # ends with the terminator's start and end
        texts.append(TERMINATOR_TEXT)
        widths.append(1)
        spaces.append(True)
    cluster_levels = cluster_classes = None
    if char_levels is not None:
        assert classes is not None
        cluster_levels = bytes(map(char_levels.__getitem__, firsts)) + tail_level
        first_classes = list(map(classes.__getitem__, firsts))
        for k in clusters.multi:
            # L1 resets a cluster only if all of it is whitespace-like (a space carrying a mark
            # is not trailing whitespace)
            if first_classes[k] in bidi.L1_TRAILING and any(
                    cls not in bidi.L1_TRAILING for cls in classes[starts[k] + 1:starts[k + 1]]):
                first_classes[k] = "m"
        cluster_classes = "".join(first_classes) + tail_class
    mirrorable = ()
    if cluster_levels is not None:
        # only characters that start their cluster (the base; _mirrored mirrors the first char)
        found = [m.start() for m in bidi.MIRRORED_RE.finditer(text)]
        if found:
            indices = [bisect_right(starts, i) - 1 for i in found]
            mirrorable = tuple(k for i, k in zip(found, indices) if starts[k] == i)
    skeleton = clusters.skeleton + tail if clusters.narrow else None
    # Tuples and bytes, not lists: the garbage collector stops scanning them after one pass.
    return PreparedParagraph(text, level, False, tuple(texts), tuple(starts), tuple(widths),
                             tuple(spaces), cluster_levels, cluster_classes, mirrorable, skeleton,
                             terminated)


Run = tuple[int, int, bool, int]
"""(first cluster, end cluster, reversed?, level): clusters ``[a, b)`` shown left to right, or
right to left (from ``b - 1`` down to ``a``) when reversed, all at one resolved level."""


def line_runs(para: PreparedParagraph, c0: int, c1: int,
              reorder: bool) -> tuple[list[Run], list[int]]:
    """The clusters ``[c0, c1)`` of one line as runs in left-to-right screen order, with their
    levels after L1 (rule L2 applied when ``reorder``), and the clusters whose level L1 changed."""
    if para.levels is None:
        return [(c0, c1, False, para.level)], []
    assert para.classes is not None  # levels come with the classes L1 needs
    resets = [k for k in bidi.l1_resets(para.classes, c0, c1) if para.levels[k] != para.level]
    line_levels: bytes | bytearray
    if resets:
        line_levels = bytearray(para.levels[c0:c1])
        for k in resets:
            line_levels[k - c0] = para.level
    else:
        line_levels = para.levels[c0:c1]
    low = min(line_levels)
    if low == max(line_levels):
        return [(c0, c1, bool(low & 1) and reorder, low)], resets
    if not reorder:
        return [(c0 + a, c0 + b, False, level)
                for a, b, _flipped, level in bidi.visual_runs(line_levels, reorder=False)], resets
    return [(c0 + a, c0 + b, flipped, level)
            for a, b, flipped, level in bidi.visual_runs(line_levels)], resets
