"""Caret movement over a laid-out document: one cell left/right on screen, word jumps on screen
and in reading order, line up/down keeping the column, visual line and paragraph start/end, the
word under the caret.

Mixed into DocumentLayout; every method takes and returns a logical offset (a cluster start, or
a terminator offset). Left and right are visual: on a right-to-left line Left reads forward.

Two kinds of word jump (words are whitespace separated: Vietnamese syllables, Arabic words):

* ``word_left`` / ``word_right`` (ctrl+arrows) move *on screen*, in the arrow's direction, to the
  nearest word start: the first cell of a word in reading order, i.e. its left edge in a
  left-to-right run and its right edge in a right-to-left run (a run of non-blank cells changes
  word where its direction changes). So over "We are ready now" inside an Arabic line ctrl+Left
  goes n, r, a, W, always leftwards, and over Arabic it goes forward in the text, word by word.
* ``word_forward`` / ``word_backward`` (vim's ``w`` / ``b``) move in *reading order*: to the next
  or previous word start in the text, whatever the direction it is drawn in.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import LayoutOptions, VisualLine


_WORD_THEN_SPACES_RE = re.compile(r"\S*\s*")
_WORD_RE = re.compile(r"\S*")
_SPACE_RE = re.compile(r"\s")
_NON_SPACE_RE = re.compile(r"\S")


def _run_start(text: str, i: int, other: re.Pattern[str]) -> int:
    """Start of the run ending at ``i`` of characters that ``other`` does not match: one after the
    last match of ``other`` before ``i`` (searched in growing windows, so a word of millions of
    characters in a giant paragraph costs milliseconds, a normal word microseconds)."""
    size = 64
    high = i
    while high > 0:
        low = max(0, high - size)
        last = -1
        for match in other.finditer(text, low, high):
            last = match.end()
        if last >= 0:
            return last
        high = low
        size *= 4
    return 0


class CaretMovement:
    """Movement helpers; the host class provides the layout and the maps."""

    text: str
    _para_starts: list[int]
    options: LayoutOptions

    if TYPE_CHECKING:
        def line(self, y: int) -> VisualLine: ...
        def position_of(self, offset: int) -> tuple[int, int]: ...
        def offset_at(self, y: int, x: int) -> int: ...
        def _cell_index_at(self, line: VisualLine, x: int) -> int: ...
        def _ensure_line(self, y: int) -> bool: ...
        def _line_of(self, offset: int) -> int: ...
        def _clamp(self, offset: int) -> int: ...
        def _paragraph_of(self, offset: int) -> int: ...
        def _snap(self, offset: int) -> int: ...
        def _para_end(self, p: int) -> int: ...

    def _cell_at_offset(self, offset: int) -> tuple[int, VisualLine, int]:
        y, x = self.position_of(offset)
        line = self.line(y)
        return y, line, self._cell_index_at(line, x)

    def _line_last(self, line: VisualLine) -> int:
        """Offset of the last cluster of a line in reading order."""
        return max(cell.start for cell in line.cells)

    def _has_line(self, y: int) -> bool:
        return y >= 0 and self._ensure_line(y)

    def _step(self, offset: int, right: bool) -> int:
        y, line, i = self._cell_at_offset(offset)
        j = i + 1 if right else i - 1
        if 0 <= j < len(line.cells):
            return line.cells[j].start
        forward = right != line.rtl  # off the edge: continue in reading order
        if forward:
            return self.line(y + 1).start if self._has_line(y + 1) else offset
        return self._line_last(self.line(y - 1)) if y > 0 else offset

    def move_left(self, offset: int) -> int:
        """One cell to the left on screen (off the edge: the adjacent line in reading order)."""
        return self._step(offset, right=False)

    def move_right(self, offset: int) -> int:
        """One cell to the right on screen (off the edge: the adjacent line in reading order)."""
        return self._step(offset, right=True)

    def _next_word_start(self, offset: int) -> int:
        match = _WORD_THEN_SPACES_RE.match(self.text, self._clamp(offset))
        return self._snap(match.end() if match else offset)

    def _previous_word_start(self, offset: int) -> int:
        text = self.text
        i = _run_start(text, self._clamp(offset), _NON_SPACE_RE)  # back over spaces
        return self._snap(_run_start(text, i, _SPACE_RE))  # back over the word

    def word_forward(self, offset: int) -> int:
        """Start of the next word in reading order (vim's ``w``); the end of the text after the last."""
        return self._next_word_start(offset)

    def word_backward(self, offset: int) -> int:
        """Start of this word, or of the previous one when already there (vim's ``b``)."""
        return self._previous_word_start(offset)

    def _word_start_cells(self, line: VisualLine) -> list[int]:
        """Indices of the cells of ``line`` where a word starts in reading order, left to right.

        A *blob* is a run of non-blank cells between blanks. In a blob with letters or digits, a
        letter or digit starts a word when, going back in reading order (left in an LTR run, right in
        an RTL run) over punctuation, the next cell is a blank, the line's edge or of the other
        direction: so ``"We`` starts at W and ``(بوتين)`` at its first letter, and a number inside
        Arabic at its first digit. A blob of punctuation only (``،``, ``—``) is one word. Without
        reordering cells are in logical order (every run counts as left to right)."""
        cells = line.cells
        count = len(cells)
        reorder = self.options.reorder
        text = self.text
        # the line's first character in reading order continues a word wrapped from the line before
        wrapped = 0 < line.start < len(text) and not text[line.start - 1].isspace()
        blank = [cell.text.isspace() for cell in cells]
        wordy = [not b and unicodedata.category(cell.text[0])[0] not in "PS" for b, cell in zip(blank, cells)]
        rtl = [bool(cell.level & 1) and reorder for cell in cells]
        starts = []
        i = 0
        while i < count:
            if blank[i]:
                i += 1
                continue
            j = i
            while j < count and not blank[j]:
                j += 1
            if not any(wordy[i:j]):  # punctuation only: one word, starting where it reads first
                starts.append(j - 1 if rtl[i] else i)
            else:
                for k in range(i, j):
                    if not wordy[k]:
                        continue
                    step = 1 if rtl[k] else -1
                    m = k + step
                    while i <= m < j and not wordy[m]:
                        m += step
                    if not i <= m < j:
                        if not (wrapped and cells[k].start == line.start):
                            starts.append(k)
                    elif rtl[m] != rtl[k]:
                        starts.append(k)
            i = j
        return starts

    def _word_on_screen(self, offset: int, right: bool) -> int:
        y, line, i = self._cell_at_offset(offset)
        starts = self._word_start_cells(line)
        ahead = [k for k in starts if k > i] if right else [k for k in starts if k < i]
        if ahead:
            return line.cells[min(ahead) if right else max(ahead)].start
        # Off the edge: the adjacent line in reading order (as one cell does), entered from the
        # side the caret comes from (moving left: from its right end).
        forward = right != line.rtl
        ny = y + 1 if forward else y - 1
        if ny >= 0 and self._has_line(ny):
            other = self.line(ny)
            found = self._word_start_cells(other)
            if found:
                return other.cells[found[0] if right else found[-1]].start
            # a line inside one long wrapped word: on to the word start beyond it in reading
            # order (a giant word is not walked line by line)
            return self._next_word_start(offset) if forward else self._previous_word_start(offset)
        edge = line.cells[-1 if right else 0].start  # the first/last line: its far end
        return edge

    def word_right(self, offset: int) -> int:
        """The nearest word start to the right on screen (see the module docstring)."""
        return self._word_on_screen(offset, right=True)

    def word_left(self, offset: int) -> int:
        """The nearest word start to the left on screen (see the module docstring)."""
        return self._word_on_screen(offset, right=False)

    def _vertical(self, offset: int, goal_x: int, dy: int) -> int:
        y = self._line_of(offset) + dy
        if not self._has_line(y):
            return offset
        return self.offset_at(y, goal_x)

    def line_up(self, offset: int, goal_x: int) -> int:
        """The cell at column ``goal_x`` (or nearest) on the line above; unchanged on line 0."""
        return self._vertical(offset, goal_x, -1)

    def line_down(self, offset: int, goal_x: int) -> int:
        """The cell at column ``goal_x`` (or nearest) on the line below; unchanged on the last."""
        return self._vertical(offset, goal_x, +1)

    def line_home(self, offset: int) -> int:
        """Start of the visual line in reading order (its first logical cluster)."""
        return self.line(self._line_of(offset)).start

    def line_end(self, offset: int) -> int:
        """End of the visual line in reading order: its last logical cluster (the terminator on a
        paragraph's last line, so the caret sits after the last character)."""
        return self._line_last(self.line(self._line_of(offset)))

    def paragraph_start(self, offset: int) -> int:
        """First offset of the paragraph containing ``offset``."""
        return self._para_starts[self._paragraph_of(self._clamp(offset))]

    def paragraph_end(self, offset: int) -> int:
        """Offset of the paragraph's terminator (its newline, or len(text) for the last one)."""
        return self._para_end(self._paragraph_of(self._clamp(offset)))

    def word_at(self, offset: int) -> tuple[int, int]:
        """``(start, end)`` of the whitespace-delimited word under ``offset``, without leading and
        trailing punctuation (kept when the word is only punctuation); ``(offset, offset)`` on
        whitespace or a terminator."""
        text = self.text
        offset = self._clamp(offset)
        if offset >= len(text) or text[offset].isspace():
            return offset, offset
        start = _run_start(text, offset, _SPACE_RE)
        word = _WORD_RE.match(text, offset)
        end = word.end() if word is not None else offset  # \S* always matches
        s, e = start, end
        while s < e and unicodedata.category(text[s])[0] == "P":
            s += 1
        while e > s and unicodedata.category(text[e - 1])[0] in "PMC":
            if unicodedata.category(text[e - 1])[0] == "P":
                e -= 1
            else:
                break
        if s < e:
            start, end = s, e
        return start, end
