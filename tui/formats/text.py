"""Text facts the importers need: reading direction, language, title."""

from __future__ import annotations

import unicodedata

_ISOLATE_OPENERS = frozenset({"LRI", "RLI", "FSI"})
TITLE_MAX = 200


def first_strong_direction(text: str) -> str | None:
    """'ltr' or 'rtl' from the first strong character (UAX #9 rules P2-P3), or None if there is none.

    Characters between an isolate initiator and its matching PDI are skipped (P2); the
    scan moves to the next paragraph when a paragraph has no strong character.
    """
    depth = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _ISOLATE_OPENERS:
            depth += 1
        elif kind == "PDI":
            if depth:
                depth -= 1
        elif kind == "B":
            depth = 0
        elif depth == 0:
            if kind == "L":
                return "ltr"
            if kind in ("R", "AL"):
                return "rtl"
    return None


def direction_of(text: str) -> str:
    return first_strong_direction(text) or "ltr"


def _is_arabic_script(cp: int) -> bool:
    return (0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0x0870 <= cp <= 0x08FF
            or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF)


# Letters that (among Latin-script languages) essentially only Vietnamese uses.
_VIETNAMESE = frozenset("ăâđêôơưĂÂĐÊÔƠƯĩũĨŨ") | frozenset(chr(cp) for cp in range(0x1EA0, 0x1EFA))


def detect_language(text: str, sample: int = 20_000) -> str:
    """'ar' for mostly Arabic script, 'vi' for Latin text with Vietnamese letters, else 'und'."""
    arabic = latin = vietnamese = 0
    for ch in unicodedata.normalize("NFC", text[:sample]):
        if not ch.isalpha():
            continue
        cp = ord(ch)
        if _is_arabic_script(cp):
            arabic += 1
        elif cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF:
            latin += 1
            if ch in _VIETNAMESE:
                vietnamese += 1
    if arabic and arabic >= latin:
        return "ar"
    if latin and vietnamese >= max(2, latin * 0.03):
        return "vi"
    return "und"


def title_of(text: str) -> str:
    """The first non-blank line, stripped and cut to TITLE_MAX characters (a copy: the text keeps it)."""
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            return stripped if len(stripped) <= TITLE_MAX else stripped[: TITLE_MAX - 1] + "…"
    return ""
