"""How many visual lines a lazily laid-out document has, without laying all of it out.

The engine lays a document out from the top, only as far as asked; its exact ``line_count`` lays out
everything (seconds for a 1 MB article of distinct paragraphs).  The view sizes its scroll area from
this estimate instead: lines known so far (exact) plus, for the text after them, each paragraph's
length divided by the width.  It becomes exact once the engine has reached the end.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from time import perf_counter

from tui.layout import DocumentLayout, LayoutOptions, VisualLine


class LineEstimate:
    """Estimated visual line total for ``text`` wrapped at ``width`` (see module docstring)."""

    def __init__(self, text: str, width: int) -> None:
        starts = [0]
        for part in text.split("\n")[:-1]:
            starts.append(starts[-1] + len(part) + 1)
        self._text_length = len(text)
        self._para_starts = starts
        """paragraph index -> document offset of its first character"""
        self._width = max(1, width)
        self._tail: list[int] = []
        """paragraph index -> estimated lines of paragraphs p.. to the end (suffix sums)"""
        self._known_lines = 0
        self._known_end = 0
        self._exact: int | None = None
        self.resize(width)

    def resize(self, width: int) -> None:
        """Forget what was laid out (the engine re-wraps) and re-estimate for a new width."""
        self._width = width = max(1, width)
        ends = self._para_starts[1:] + [self._text_length + 1]
        # +1: the paragraph terminator cell the engine adds after each paragraph's last character
        per_paragraph = [-(-(end - start) // width) or 1 for start, end in zip(self._para_starts, ends)]
        self._tail = list(accumulate(reversed(per_paragraph)))[::-1] + [0]
        self._known_lines = 0
        self._known_end = 0
        self._exact = None

    def seen(self, y: int, line_end: int) -> None:
        """Line ``y`` exists and ends at logical ``line_end``."""
        if y + 1 > self._known_lines:
            self._known_lines = y + 1
            self._known_end = line_end

    def finished(self, total: int) -> None:
        """The engine reached the end: ``total`` lines exactly."""
        self._exact = total

    @property
    def exact(self) -> bool:
        return self._exact is not None

    @property
    def known_lines(self) -> int:
        """Lines known to exist (laid out) so far."""
        return self._exact if self._exact is not None else self._known_lines

    @property
    def total(self) -> int:
        if self._exact is not None:
            return self._exact
        end = self._known_end
        if self._known_lines and end >= self._text_length:
            return self._known_lines
        p = bisect_right(self._para_starts, end) - 1
        next_start = self._para_starts[p + 1] if p + 1 < len(self._para_starts) else self._text_length + 1
        rest_of_paragraph = -(-(next_start - end) // self._width) if self._known_lines else 0
        later = self._tail[p + 1] if self._known_lines else self._tail[0]
        return self._known_lines + rest_of_paragraph + later


class EstimatedLayout:
    """A document's layout and the estimate of its height, kept in step: every line asked for
    through :meth:`line` tells the estimate it exists (and the end, once the engine reaches it).

    Satisfies :class:`tui.ui.editing.Navigator`, so the editing model moves over it directly."""

    def __init__(self, text: str, width: int, options: LayoutOptions) -> None:
        self.layout = DocumentLayout(text, width, options)
        self.estimate = LineEstimate(text, width)

    def resize(self, width: int) -> None:
        """Re-wrap at a new width (the estimate forgets what was laid out)."""
        self.layout.resize(width)
        self.estimate.resize(width)

    def line(self, y: int) -> VisualLine:
        """``layout.line(y)``, telling the estimate what now exists (IndexError past the end)."""
        if y < 0:
            raise IndexError(y)
        try:
            line = self.layout.line(y)
        except IndexError:
            self.estimate.finished(self.layout.line_count)  # cheap: the engine has reached the end
            raise
        self.estimate.seen(y, line.end)
        return line

    def known_lines(self, at_least: int) -> int:
        """Line count if the document has fewer than ``at_least`` lines, else at least ``at_least``
        (lays out only that far)."""
        try:
            self.line(at_least - 1)
        except IndexError:
            return self.estimate.total
        return max(at_least, self.estimate.total)

    def lay_out_slice(self, seconds: float) -> bool:
        """Lay out lines after those known for about ``seconds``; False once the end is reached."""
        if self.estimate.exact:
            return False
        deadline = perf_counter() + seconds
        y = self.estimate.known_lines
        try:
            while perf_counter() < deadline:
                y += 8
                self.line(y)
        except IndexError:
            return False
        return True

    # The movements, from the engine (see tui.layout.movement).
    def move_left(self, offset: int) -> int:
        return self.layout.move_left(offset)

    def move_right(self, offset: int) -> int:
        return self.layout.move_right(offset)

    def word_left(self, offset: int) -> int:
        return self.layout.word_left(offset)

    def word_right(self, offset: int) -> int:
        return self.layout.word_right(offset)

    def word_forward(self, offset: int) -> int:
        return self.layout.word_forward(offset)

    def word_backward(self, offset: int) -> int:
        return self.layout.word_backward(offset)

    def line_home(self, offset: int) -> int:
        return self.layout.line_home(offset)

    def line_end(self, offset: int) -> int:
        return self.layout.line_end(offset)

    def line_up(self, offset: int, goal_x: int) -> int:
        return self.layout.line_up(offset, goal_x)

    def line_down(self, offset: int, goal_x: int) -> int:
        return self.layout.line_down(offset, goal_x)

    def position_of(self, offset: int) -> tuple[int, int]:
        return self.layout.position_of(offset)

    def offset_at(self, y: int, x: int) -> int:
        return self.layout.offset_at(y, x)

    def cluster_end(self, offset: int) -> int:
        return self.layout.cluster_end(offset)

    def word_at(self, offset: int) -> tuple[int, int]:
        return self.layout.word_at(offset)
