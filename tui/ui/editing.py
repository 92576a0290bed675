"""The editing model of a document view: caret, selection anchor, visual mode, goal column and the
movements, as a plain object with no Textual (like TextArea's ``Selection`` + ``DocumentNavigator``).

The model asks a :class:`Navigator` (a :class:`tui.layout.DocumentLayout`, or the view's wrapper that
also keeps its line estimate up to date) where a movement lands; it never draws, scrolls or posts
messages.  Every change returns a :class:`Change` that tells the widget what was there before, so the
widget refreshes only the rows the caret left and entered and announces the move::

    model = EditingModel()
    model.reset(len(text), caret=0)
    model.attach(DocumentLayout(text, 80))
    change = model.move("down", select=True)   # shift+down
    model.caret, model.selection               # new state; change.old_caret etc. the old

Offsets are logical code-point offsets in ``0..length``.  The raw selection is ``[min(anchor, caret),
max(anchor, caret))``; in visual mode (vim's ``v``) it also takes the cluster under the later end.
With the text given (``reset(..., text=...)``) and ``snap`` set, :attr:`EditingModel.selection` is
what a tag takes, and so what the view draws: ``"word"`` snaps the edges to whole words (a ``v w``
selection that ends on the next word's first letter drops it; never across a paragraph), ``"char"``
only trims whitespace at the edges (``tui.ui.span_edit``)::

    model.reset(len(text), text=text); model.snap = "word"
    model.raw_selection    # anchor to caret, as moved
    model.selection        # what is drawn and tagged: text[start:end] is the span a tag stores
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Protocol

from tui.layout import VisualLine
from tui.ui.span_edit import before_separators, snap_to_words, starts_token, trim

__all__ = ["MOVES", "SNAPS", "Change", "EditingModel", "Movement", "Navigator"]

SNAPS = ("word", "char")
"""``EditingModel.snap`` modes: whole words, or exactly the characters (whitespace trimmed)."""


class Navigator(Protocol):
    """What the model needs from a laid-out document (``DocumentLayout`` provides all of it)."""

    def move_left(self, offset: int) -> int: ...
    def move_right(self, offset: int) -> int: ...
    def word_left(self, offset: int) -> int: ...
    def word_right(self, offset: int) -> int: ...
    def word_forward(self, offset: int) -> int: ...
    def word_backward(self, offset: int) -> int: ...
    def line_home(self, offset: int) -> int: ...
    def line_end(self, offset: int) -> int: ...
    def line_up(self, offset: int, goal_x: int) -> int: ...
    def line_down(self, offset: int, goal_x: int) -> int: ...
    def position_of(self, offset: int) -> tuple[int, int]: ...
    def offset_at(self, y: int, x: int) -> int: ...
    def cluster_end(self, offset: int) -> int: ...
    def word_at(self, offset: int) -> tuple[int, int]: ...
    def line(self, y: int) -> VisualLine:
        """Visual line ``y``; IndexError past the end."""
        ...


@dataclass(frozen=True, slots=True)
class Change:
    """The state before a change (the model holds the state after it)."""

    old_caret: int
    old_selection: tuple[int, int] | None
    old_row: int | None
    """Screen row of the caret before, if it was known (the row to redraw)."""
    scroll_rows: int = 0
    """Page moves: rows the view scrolls by (+ down, - up) before it shows the caret."""


@dataclass(frozen=True, slots=True)
class Movement:
    """One entry of the movement table: where the caret lands from ``model.caret``."""

    target: Callable[[EditingModel, Navigator, int], tuple[int, int]]
    """(model, navigator, page rows) -> (target offset, rows to scroll the view by)."""
    vertical: bool = False
    """Keeps the goal column (up/down/page) instead of forgetting it."""
    mirror: str | None = None
    """The movement that looks the same on a line the terminal shows right to left."""
    by_word: bool = False
    """A word motion (its landing character starts the next word: not part of a snapped selection)."""


def _along(step: Callable[[Navigator, int], int]) -> Callable[[EditingModel, Navigator, int], tuple[int, int]]:
    return lambda model, nav, page: (step(nav, model.caret), 0)


def _vertical(down: bool) -> Callable[[EditingModel, Navigator, int], tuple[int, int]]:
    def target(model: EditingModel, nav: Navigator, page: int) -> tuple[int, int]:
        goal = model.keep_goal()
        return (nav.line_down(model.caret, goal) if down else nav.line_up(model.caret, goal)), 0

    return target


def _page(down: bool) -> Callable[[EditingModel, Navigator, int], tuple[int, int]]:
    def target(model: EditingModel, nav: Navigator, page: int) -> tuple[int, int]:
        y = model.caret_position()[0]
        goal = model.keep_goal()
        page = max(1, page)
        target_y = y + page if down else y - page
        if target_y < 0:
            return 0, 0
        if down:
            try:
                nav.line(target_y)
            except IndexError:
                return model.length, 0
        return nav.offset_at(target_y, goal), page if down else -page

    return target


MOVES: Mapping[str, Movement] = {
    "left": Movement(_along(lambda nav, caret: nav.move_left(caret)), mirror="right"),
    "right": Movement(_along(lambda nav, caret: nav.move_right(caret)), mirror="left"),
    "word_left": Movement(_along(lambda nav, caret: nav.word_left(caret)), mirror="word_right", by_word=True),
    "word_right": Movement(_along(lambda nav, caret: nav.word_right(caret)), mirror="word_left", by_word=True),
    # reading order (vim's w / b): the same whatever the line's direction, so never mirrored
    "word_forward": Movement(_along(lambda nav, caret: nav.word_forward(caret)), by_word=True),
    "word_backward": Movement(_along(lambda nav, caret: nav.word_backward(caret)), by_word=True),
    "home": Movement(_along(lambda nav, caret: nav.line_home(caret))),
    "end": Movement(_along(lambda nav, caret: nav.line_end(caret))),
    "top": Movement(lambda model, nav, page: (0, 0)),
    "bottom": Movement(lambda model, nav, page: (model.length, 0)),
    "up": Movement(_vertical(down=False), vertical=True),
    "down": Movement(_vertical(down=True), vertical=True),
    "page_up": Movement(_page(down=False), vertical=True),
    "page_down": Movement(_page(down=True), vertical=True),
}
"""Movement name (as in the key bindings' ``move('name')``) -> how the caret moves."""


class EditingModel:
    """Caret, anchor, visual mode and goal column of one document (see the module docstring)."""

    def __init__(self) -> None:
        self.length: int = 0
        """Length of the document in code points (the caret is in ``0..length``)."""
        self.caret = 0
        self.anchor: int | None = None
        """Selection anchor; the selection is between it and the caret when they differ."""
        self.visual_mode = False
        self.goal_x: int | None = None
        """Screen column that up/down try to keep (forgotten by horizontal moves)."""
        self._navigator: Navigator | None = None
        self._position: tuple[int, int] | None = None
        """``navigator.position_of(caret)``, computed once per caret move or layout."""
        self.text: str | None = None
        """The document text, when given to :meth:`reset` (snapping needs it)."""
        self.snap: str | None = None
        """How :attr:`selection` is adjusted to what a tag takes: None (raw), or one of :data:`SNAPS`."""
        self.word_motion = False
        """The caret's last move was by a word (w b ctrl+arrows), not by a character or line."""

    # ------------------------------------------------------------------ state

    def reset(self, length: int, caret: int = 0, *, text: str | None = None) -> None:
        """A new document of ``length`` code points (``text``: its text, for snapping): caret at
        ``caret``, no selection, no goal."""
        if text is not None and len(text) != length:
            raise ValueError(f"text of {len(text)} code points for a document of {length}")
        self.text = text
        self.length = max(0, length)
        self.caret = self.clamp(caret)
        self.anchor = None
        self.visual_mode = False
        self.goal_x = None
        self._position = None

    def attach(self, navigator: Navigator | None) -> None:
        """Use a new (or re-wrapped) layout; None while the view has no size."""
        self._navigator = navigator
        self._position = None

    @property
    def navigator(self) -> Navigator | None:
        return self._navigator

    def clamp(self, offset: int) -> int:
        return max(0, min(self.length, int(offset)))

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selection as drawn and tagged: :attr:`raw_selection` snapped as :attr:`snap` says
        (whole words, or whitespace trimmed), or the raw selection when snapping leaves nothing
        (only whitespace selected: drawn, and a tag says there is nothing to tag)."""
        raw = self.raw_selection
        if raw is None:
            return None
        return self._tag_range(raw) or raw

    def _tag_range(self, raw: tuple[int, int]) -> tuple[int, int] | None:
        """The raw selection as a tag takes it. Snapping to words, after a word motion, visual
        mode's character under the later end (vim's inclusive ``v``) is left out when it starts a
        new word or punctuation mark: after ``v w`` (or ``b`` back from a word start) the caret stands on the next word's
        first letter, or on the comma after a word, and the selection ends before it (and before
        the comma or full stop that ends the word before it: ``v w`` on "Putin, ông" is "Putin")."""
        start, end = raw
        text = self.text
        if (self.snap == "word" and self.visual_mode and self.word_motion and text is not None
                and self.anchor is not None):
            later = max(self.anchor, self.caret)
            if start < later < end and starts_token(text, later):
                # without the mark that closes the word before, or (when that mark is all there is
                # before the caret, as in " .5") without the caret's character alone
                shorter = (self.snapped(start, before_separators(text, start, later))
                           or self.snapped(start, later))
                if shorter is not None:  # (whitespace before it: the character is all there is)
                    return shorter
        return self.snapped(start, end)

    def snapped(self, start: int, end: int) -> tuple[int, int] | None:
        """``[start, end)`` as a tag takes it under :attr:`snap`; None when nothing is left (only
        whitespace); unchanged without the text or a snap mode."""
        text, snap = self.text, self.snap
        if text is None or snap is None:
            return (start, end) if start < end else None
        if snap == "word":
            return snap_to_words(text, start, end)
        return trim(text, start, end)

    @property
    def raw_selection(self) -> tuple[int, int] | None:
        """The selected range ``(start, end)`` as moved, ``start < end``, or None.

        Shift+movement selects between the anchor and the caret (as editors do); visual mode, as in
        vim, also takes the character under the later of the two (so ``v`` alone selects one)."""
        anchor = self.anchor
        if anchor is None:
            return None
        start, end = (anchor, self.caret) if anchor < self.caret else (self.caret, anchor)
        if self.visual_mode and self._navigator is not None:
            end = self._navigator.cluster_end(end)
        return (start, end) if start < end else None

    @property
    def has_selection_state(self) -> bool:
        """True while there is an anchor or visual mode is on (escape has something to clear)."""
        return self.anchor is not None or self.visual_mode

    def caret_position(self) -> tuple[int, int]:
        """(row, column) of the caret on screen; (0, 0) without a layout."""
        if self._position is None:
            if self._navigator is None:
                return (0, 0)
            self._position = self._navigator.position_of(self.caret)
        return self._position

    @property
    def known_row(self) -> int | None:
        """The caret's row if it has been computed since the last change, else None."""
        return self._position[0] if self._position is not None else None

    def keep_goal(self) -> int:
        """The goal column for a vertical move: the one kept, else the caret's column (kept from now)."""
        if self.goal_x is None:
            self.goal_x = self.caret_position()[1]
        return self.goal_x

    def word_range(self) -> tuple[int, int] | None:
        """The word under the caret, or None (no layout, empty document, or no word there)."""
        if self._navigator is None or not self.length:
            return None
        start, end = self._navigator.word_at(self.caret)
        return (start, end) if end > start else None

    def target_range(self) -> tuple[int, int] | None:
        """What a tag key applies to: the selection (snapped: exactly what is drawn; None when only
        whitespace is selected), else the word under the caret, else None."""
        raw = self.raw_selection
        if raw is not None:
            return self._tag_range(raw)
        return self.word_range()

    # ------------------------------------------------------------------ changes

    def place(self, caret: int, *, anchor: int | None, scroll_rows: int = 0) -> Change:
        """Put the caret (and anchor) at offsets already in range; the goal column is unchanged."""
        change = Change(self.caret, self.selection, self.known_row, scroll_rows)
        self.caret = caret
        self.anchor = anchor
        self._position = None
        self.word_motion = False
        return change

    def move_to(self, offset: int, *, select: bool = False) -> Change:
        """Caret to ``offset`` (extending the selection if ``select``); forgets the goal column."""
        anchor = (self.caret if self.anchor is None else self.anchor) if select else None
        self.goal_x = None
        return self.place(self.clamp(offset), anchor=anchor)

    def select(self, start: int, end: int) -> Change:
        """Select ``[start, end)`` exactly as given (leaves visual mode); the caret goes to ``end``."""
        self.visual_mode = False
        return self.place(self.clamp(end), anchor=self.clamp(start))

    def move_to_match(self, start: int, end: int) -> Change:
        """A search motion to the match ``[start, end)``. Outside visual mode the caret goes to its
        start. In visual mode the selection takes in the whole match: a match after the anchor
        puts the caret on the match's last character (its cluster: visual mode is inclusive), one
        before it on the match's first, so the selection then snaps as after any other motion."""
        start, end = self.clamp(start), self.clamp(end)
        if not self.visual_mode:
            return self.move_to(start)
        anchor = self.caret if self.anchor is None else self.anchor
        target = start
        if start >= anchor and end > start:
            target = end - 1
            nav = self._navigator
            while nav is not None and target > start and nav.cluster_end(target - 1) >= end:
                target -= 1  # back to the start of the last cluster (a base with its marks)
        self.goal_x = None
        return self.place(target, anchor=anchor)

    def drag_to(self, offset: int, anchor: int) -> Change:
        """A mouse drag from ``anchor`` to ``offset``."""
        self.goal_x = None
        return self.place(self.clamp(offset), anchor=anchor)

    def select_word(self) -> Change | None:
        """Select the word under the caret (double click); None when there is none."""
        word = self.word_range() if self._navigator is not None else None
        if word is None:
            return None
        return self.place(word[1], anchor=word[0])

    def clear_selection(self) -> Change | None:
        """Drop the selection and leave visual mode; None when there was no selection to drop."""
        self.visual_mode = False
        if self.anchor is None:
            return None
        return self.place(self.caret, anchor=None)

    def toggle_visual(self) -> Change | None:
        """Start visual mode (anchored at the caret), or leave it and drop the selection."""
        if self.visual_mode:
            return self.clear_selection()
        self.visual_mode = True
        return self.place(self.caret, anchor=self.caret)

    def _last_character(self, nav: Navigator, end: int) -> int:
        """End (as vim's $) puts the caret ON the line's last character, not after it (nor on the
        space a wrapped line ends with), so a tag key there tags that word; shift+End still selects
        through the last character."""
        text = getattr(nav, "text", None) or getattr(getattr(nav, "layout", None), "text", None)
        start = nav.line_home(end)
        if not isinstance(text, str) or end <= start or (end < len(text) and not text[end].isspace()):
            return end  # a wrapped line that ends on a letter: already on its last character
        last = end - 1
        while last > start and text[last].isspace():
            last -= 1  # a wrapped line ends on the space after its last word
        end = last + 1
        while last > start and nav.cluster_end(last - 1) >= end:
            last -= 1  # back to the start of the last cluster (a base with its marks)
        return last

    def move(self, where: str, select: bool = False, *, page: int = 1, mirror_rtl: bool = False) -> Change | None:
        """Move as the key named ``where`` does (see :data:`MOVES`); ``select`` (or visual mode)
        extends the selection.  ``page``: rows a page move travels; ``mirror_rtl``: the terminal
        reorders right-to-left lines itself, so Left/Right and word jumps on them are swapped.
        None without a layout.  ValueError for an unknown movement."""
        nav = self._navigator
        if nav is None:
            return None
        movement = MOVES.get(where)
        if movement is None:
            raise ValueError(f"unknown movement {where!r}")
        if mirror_rtl and movement.mirror is not None and nav.line(self.caret_position()[0]).rtl:
            movement = MOVES[movement.mirror]  # the terminal shows this line right to left
        shift_select = select and not self.visual_mode
        select = select or self.visual_mode
        target, scroll_rows = movement.target(self, nav, page)
        if where == "end" and not shift_select:
            target = self._last_character(nav, target)
        anchor = (self.caret if self.anchor is None else self.anchor) if select else None
        if not movement.vertical:
            self.goal_x = None
        change = self.place(self.clamp(target), anchor=anchor, scroll_rows=scroll_rows)
        self.word_motion = movement.by_word
        return change
