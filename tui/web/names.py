"""Annotator names typed in a browser: checked once, the same way in the URL, the websocket path
and the first screen. Pure (no Textual, no aiohttp)."""

from __future__ import annotations

import unicodedata

MAX_NAME = 64
RESERVED = frozenset({"import"})
"""Names the app itself writes under (`tui import` stores spans as 'import' by default)."""


class InvalidName(ValueError):
    """An annotator name that cannot be used; str() is the one-line reason for the user."""


def _bad_character(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] == "C" or category in ("Zl", "Zp")


def check_annotator_name(raw: str) -> str:
    """The name to store (NFC, outer spaces removed), or InvalidName saying what is wrong.

    Letters of any script, digits, spaces and punctuation are fine ("Hà", "مريم", "j.doe");
    control, format and bidi-control characters are not (they would reach other annotators'
    terminals through `tui stats` and the status line)."""
    name = unicodedata.normalize("NFC", raw).strip()
    if not name:
        raise InvalidName("type a name (who is annotating?)")
    if len(name) > MAX_NAME:
        raise InvalidName(f"a name has at most {MAX_NAME} characters (this one has {len(name)})")
    bad = next((ch for ch in name if _bad_character(ch)), None)
    if bad is not None:
        raise InvalidName(f"a name cannot contain the invisible character U+{ord(bad):04X}")
    if name.casefold() in RESERVED:
        raise InvalidName(f"{name!r} is reserved for imported spans; choose your own name")
    return name


def name_problem(raw: str) -> str | None:
    """None when `raw` is a usable name, else the reason."""
    try:
        check_annotator_name(raw)
    except InvalidName as exc:
        return str(exc)
    return None
