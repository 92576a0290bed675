"""Folding for matching: one canonical spelling per word, with a map back to the original offsets.

Not ``tui.folding`` (search): search drops every Vietnamese mark (``quoc hoi`` finds ``Quốc hội``),
which would make a tagged ``Nga`` (Russia) suggest ``ngà`` (ivory) and ``ngã``; suggestions keep
Vietnamese letters exact and fold only the two spellings of the same word (tone placement), and
the Arabic variants both modules fold alike.

What folds (both the text searched and the strings searched for go through the same function):

- **case** (``str.lower``, one character at a time, so the map stays exact) when ``case=True``;
- **Vietnamese tone placement**: old and new styles put the tone of ``oa``, ``oe``, ``uy`` on
  different letters (``hòa``/``hoà``, ``hòe``/``hoè``, ``thủy``/``thuỷ``); both fold to the new style
  (tone on the second vowel). Input is expected in NFC (the store keeps texts in NFC); letters stay
  one code point each, so this step never changes a length;
- **Arabic**: harakat (U+064B-U+065F), the superscript alef U+0670, Quranic marks and tatweel
  U+0640 are dropped; ``أ إ آ ٱ`` fold to ``ا``, ``ى`` to ``ي``, ``ة`` to ``ه``; Persian ``ی ک`` to
  Arabic ``ي ك``;
- **digits**: Arabic-Indic ``٠-٩`` and extended ``۰-۹`` fold to ``0-9`` (``digits=True``).

:class:`Folded` keeps, for every folded character, the index of the original character it came
from; a dropped mark belongs to the character before it, so a match mapped back always takes a
letter together with its harakat. ``original_span`` is exact for every folded range (property
tests in tests/suggest/test_suggest_folding.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DROPPED = "\u0640\u0670" + "".join(chr(c) for c in range(0x064B, 0x0660)) + "".join(
    chr(c) for c in range(0x06D6, 0x06EE) if c not in (0x06E5, 0x06E6))
_DROPPED_RE = re.compile("[" + _DROPPED + "]")

_LETTERS = {
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",  # أ إ آ ٱ -> ا
    "\u0649": "\u064a",  # ى -> ي
    "\u0629": "\u0647",  # ة -> ه
    "\u06cc": "\u064a", "\u06a9": "\u0643",  # Persian ی ک -> ي ك
}
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
_LETTER_TABLE = str.maketrans(_LETTERS)
_LETTER_DIGIT_TABLE = str.maketrans(_LETTERS | _DIGITS)

# Vietnamese: the five tones on each vowel that can carry one in oa / oe / uy.
_TONED = {
    "o": "òóỏõọ", "u": "ùúủũụ", "a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ",
    "O": "ÒÓỎÕỌ", "U": "ÙÚỦŨỤ", "A": "ÀÁẢÃẠ", "E": "ÈÉẺẼẸ", "Y": "ỲÝỶỸỴ",
}
_PAIRS = (("o", "a"), ("o", "e"), ("u", "y"))
_TONE_MOVE: dict[str, str] = {}
"""old-style two letters (tone on the first vowel) -> new style (tone on the second)"""
for _first, _second in _PAIRS:
    for _f in (_first, _first.upper()):
        for _s in (_second, _second.upper()):
            for _tone in range(5):
                _TONE_MOVE[_TONED[_f][_tone] + _s] = _f + _TONED[_s][_tone]
_TONE_RE = re.compile("|".join(sorted(_TONE_MOVE)))
# Only an open syllable keeps the old placement distinct: "hòa" but never "hòan" (closed syllables
# put the tone on the second vowel in both styles); folding every occurrence is consistent either way.


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text and where each of its characters came from in the original."""

    text: str
    original: str
    origin: tuple[int, ...] | None
    """origin[i] = index in ``original`` of folded character i; None when the fold kept every
    character in place (then folded index == original index)"""

    def original_start(self, i: int) -> int:
        """Original offset where folded offset ``i`` (0..len) starts."""
        if self.origin is None:
            return i
        return self.origin[i] if i < len(self.origin) else len(self.original)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` of the folded range ``[start, end)`` (``start < end``): the
        characters the folded ones came from, with any dropped marks that follow the last one."""
        if self.origin is None:
            return start, end
        # a character that folded to two (İ -> i + dot) is taken whole even when the range ends inside it
        return self.origin[start], max(self.original_start(end), self.origin[end - 1] + 1)


def _move_tone(match: re.Match[str]) -> str:
    return _TONE_MOVE[match.group()]


def fold(text: str, *, case: bool = True, digits: bool = True) -> Folded:
    """Fold ``text`` as the module docstring says (``case``: lower-case too; ``digits``: Arabic
    digits to ASCII)."""
    out = text
    origin: list[int] | None = None
    if case:
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters lower to two (İ): map them one by one
            pieces: list[str] = []
            origin = []
            for i, ch in enumerate(text):
                low = ch.lower()
                pieces.append(low)
                origin.extend([i] * len(low))
            lowered = "".join(pieces)
        out = lowered
    out = out.translate(_LETTER_DIGIT_TABLE if digits else _LETTER_TABLE)
    if _TONE_RE.search(out) is not None:
        out = _TONE_RE.sub(_move_tone, out)
    if _DROPPED_RE.search(out) is not None:
        kept: list[str] = []
        new_origin: list[int] = []
        position = 0
        for m in _DROPPED_RE.finditer(out):
            if m.start() > position:
                kept.append(out[position:m.start()])
                new_origin.extend(range(position, m.start()) if origin is None else origin[position:m.start()])
            position = m.end()
        kept.append(out[position:])
        new_origin.extend(range(position, len(out)) if origin is None else origin[position:])
        out = "".join(kept)
        origin = new_origin
    return Folded(out, text, None if origin is None else tuple(origin))


def fold_key(text: str) -> str:
    """The folded form of a short string (a tagged name, a pattern), for dictionary keys."""
    return fold(text).text
