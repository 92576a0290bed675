"""The one-line text field of tui's screens: Textual's Input, with Alt+arrows moving by word as
ctrl+arrows do. In a browser xterm.js sends Alt+Left as ctrl+Left, so the two keys must mean
the same thing everywhere (tui.ui.browser)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input


class TextInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("alt+left", "cursor_left_word", "Move cursor left a word", show=False),
        Binding("alt+right", "cursor_right_word", "Move cursor right a word", show=False),
    ]
