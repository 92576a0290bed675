"""Bidi classes for the Unicode Bidirectional Algorithm (tui.layout.bidi): each character's class as a
one-character code, so a paragraph's classes are one str, and the fast test for paragraphs that
surely need no bidi at all. Classes come from ``unicodedata.bidirectional`` (Python 3.11: Unicode 14),
with DerivedBidiClass defaults for unassigned code points."""

from __future__ import annotations

import re
import unicodedata

# Bidi classes are handled as one-character codes so that a paragraph's classes are one str
# (built by str.translate, scanned by regular expressions). The rules below compare codes:
# L R A(L) E(N) +(ES) $(ET) N(AN) ,(CS) m(NSM) x(BN) B S _(WS) o(ON)
# 1 LRE  2 LRO  3 RLE  4 RLO  5 PDF  6 LRI  7 RLI  8 FSI  9 PDI
CODE_OF_NAME = {"L": "L", "R": "R", "AL": "A", "EN": "E", "ES": "+", "ET": "$", "AN": "N", "CS": ",",
                "NSM": "m", "BN": "x", "B": "B", "S": "S", "WS": "_", "ON": "o", "LRE": "1",
                "LRO": "2", "RLE": "3", "RLO": "4", "PDF": "5", "LRI": "6", "RLI": "7", "FSI": "8",
                "PDI": "9"}
NAME_OF_CODE = {code: name for name, code in CODE_OF_NAME.items()}


def codes(*names: str) -> frozenset[str]:
    return frozenset(CODE_OF_NAME[name] for name in names)


EXPLICIT = codes("RLE", "LRE", "RLO", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI")
REMOVED = codes("RLE", "LRE", "RLO", "LRO", "PDF", "BN")
"""classes of the characters rule X9 removes (drawn as placeholders at the level before them)"""
ISOLATE_INIT = codes("RLI", "LRI", "FSI")
NEUTRAL_OR_ISOLATE = codes("B", "S", "WS", "ON", "RLI", "LRI", "FSI", "PDI")
L1_TRAILING = codes("WS", "RLI", "LRI", "FSI", "PDI", "RLE", "LRE", "RLO", "LRO", "PDF", "BN")
"""whitespace-like classes that L1 puts at the paragraph level before a separator or at the end"""


def _default_class(cp: int) -> str:
    """Bidi class code of code points unassigned in this Python's Unicode (DerivedBidiClass
    defaults)."""
    if 0x0590 <= cp <= 0x05FF or 0x07C0 <= cp <= 0x085F or 0xFB1D <= cp <= 0xFB4F \
            or 0x10800 <= cp <= 0x10CFF or 0x10D40 <= cp <= 0x10EBF or 0x10F00 <= cp <= 0x10F2F \
            or 0x10F70 <= cp <= 0x10FFF or 0x1E800 <= cp <= 0x1EC6F or 0x1ED50 <= cp <= 0x1EDFF \
            or 0x1EF00 <= cp <= 0x1EFFF:
        return "R"
    if 0x0600 <= cp <= 0x07BF or 0x0860 <= cp <= 0x08FF or 0xFB50 <= cp <= 0xFDCF \
            or 0xFDF0 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF or 0x10D00 <= cp <= 0x10D3F \
            or 0x10EC0 <= cp <= 0x10EFF or 0x10F30 <= cp <= 0x10F6F or 0x1EC70 <= cp <= 0x1ECBF \
            or 0x1ED00 <= cp <= 0x1ED4F or 0x1EE00 <= cp <= 0x1EEFF:
        return "A"
    if 0x20A0 <= cp <= 0x20CF:
        return "$"
    if 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE or 0xE0000 <= cp <= 0xE0FFF \
            or 0x2060 <= cp <= 0x206F or 0xFFF0 <= cp <= 0xFFF8:
        return "x"
    return "L"


class _ClassMap(dict[int, str]):
    """code point -> bidi class code, filled on first use (a str.translate table)."""

    def __missing__(self, cp: int) -> str:
        name = unicodedata.bidirectional(chr(cp))
        code = CODE_OF_NAME[name] if name else _default_class(cp)
        self[cp] = code
        return code


CLASS_OF = _ClassMap()


def bidi_classes(text: str) -> str:
    """Bidi class code of each character (see CODE_OF_NAME)."""
    return text.translate(CLASS_OF)


_RTL_TRIGGER_RE = re.compile(
    "[\u0590-\u08ff\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff"
    "\U0001e800-\U0001efff]"
)


_NEEDS_BIDI_CODES = "RAN3478126"  # R, AL, AN and the explicit controls that raise levels
_KNOWN_TRIGGERS: set[str] = set()
"""characters seen so far whose class can raise a level"""
_KNOWN_HARMLESS: set[str] = set()
"""characters seen so far whose class cannot"""


def may_need_bidi(text: str, chars: set[str] | None = None) -> bool:
    """False when every level is surely the paragraph level 0 (no RTL letter, Arabic digit or
    bidi control): the fast path for pure left-to-right paragraphs. ``chars`` is set(text) if
    the caller has it."""
    if _RTL_TRIGGER_RE.search(text) is None:
        return False
    if chars is None:
        chars = set(text)
    for ch in chars - _KNOWN_HARMLESS - _KNOWN_TRIGGERS:
        (_KNOWN_TRIGGERS if CLASS_OF[ord(ch)] in _NEEDS_BIDI_CODES else _KNOWN_HARMLESS).add(ch)
    return not chars.isdisjoint(_KNOWN_TRIGGERS)
