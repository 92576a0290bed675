"""Rich helpers for the safe-text boundary (:mod:`tui.safe_text`): untrusted strings as `Text`,
never as markup, and label colours that cannot crash a render.

Used by the app (``tui.ui``) and by ``tui stats``; imports Rich, never Textual.
"""

from __future__ import annotations

import re

from rich.color import Color, ColorParseError
from rich.errors import StyleSyntaxError
from rich.style import Style
from rich.text import Text

from tui.safe_text import safe_text

_SHORT_HEX = re.compile(r"#([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])")


def safe(value: object, limit: int | None = None, style: str | Style = "") -> Text:
    """An untrusted string as Rich `Text`: hidden characters as placeholders, markup not parsed."""
    return Text(safe_text(value, limit), style=style, end="")


def parse_colour(value: object) -> str | None:
    """`value` as a colour Rich can draw (``#fff`` becomes ``#ffffff``), or None when it is not one.

    Label colours come from the database, which anyone can edit (sqlite-utils, Datasette):
    a colour that does not parse must fall back to the default, never crash a render."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    short = _SHORT_HEX.fullmatch(text)
    if short:
        text = "#" + "".join(part * 2 for part in short.groups())
    if not text or len(text) > 40:
        return None
    try:
        Color.parse(text)
    except (ColorParseError, ValueError):
        return None
    return text.lower() if text.startswith("#") else text


def colour_warning(label: object, colour: object) -> str:
    """The one-line warning for a label colour that does not parse."""
    return (f"label {safe_text(label, 40)}: colour {safe_text(repr(colour), 40)} is not a colour; "
            "using the default (fix it in the labels table, e.g. '#5fafff' or 'bright_cyan')")


def safe_style(style: object) -> Style | str:
    """A style string known to parse (else the default style): for styles assembled from data."""
    if isinstance(style, Style):
        return style
    if not isinstance(style, str):
        return ""
    try:
        return Style.parse(style)
    except (StyleSyntaxError, ColorParseError, ValueError):
        return ""
