"""What "the same for a reader" means in search, character by character, with an offset map.

``fold_char(ch)`` is the folded form of one character (zero, one or more characters):

1. case: ``str.casefold`` ("Đ" -> "đ", "ß" -> "ss");
2. compatibility decomposition (NFKD: "ﬁ" -> "fi", full-width and Arabic presentation forms -> the
   plain letters), then every combining mark is dropped: Vietnamese tone and vowel marks
   ("ố" -> "o", "ư" -> "u"), Latin accents, Arabic harakat, shadda, sukun, superscript alef and
   Quranic marks, Hebrew niqqud and cantillation; hamza above/below goes with them, so
   "أ إ آ" -> "ا", "ؤ" -> "و", "ئ" -> "ي";
3. dropped as well: tatweel (ـ) and invisible format characters (ZWNJ, ZWJ, LRM/RLM/ALM, soft
   hyphen, BOM), so "كـتـاب" = "كتاب" and Persian "می‌خواهم" (with ZWNJ) = "میخواهم";
4. Arabic-script letter variants: "ٱ" (alef wasla) -> "ا", "ى" (alef maksura) -> "ي",
   "ة" (teh marbuta) -> "ه", Persian/Urdu "ی" -> "ي", "ک" -> "ك", "ۀ ہ ۃ ھ" -> "ه";
5. letters people type without their stroke: "đ" -> "d", "ł" -> "l", "ø" -> "o";
6. every decimal digit (Arabic-Indic "٢٠٢٢", Persian "۲۰۲۲", ...) -> its ASCII digit;
   every whitespace character (newline, no-break space, ...) -> " ".

Folding is per character (no context), so ``fold(a + b) == fold(a) + fold(b)`` and the folded
text of a document can be mapped back to the stored text exactly: ``FoldedText`` keeps a sparse map
(only characters whose folded form is not exactly one character are recorded) and turns a folded
range into the stored-text range whose characters produced it, including the combining marks that
follow its last letter (so a selection made from a match tags whole letters).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

FOLD_VERSION = 2
"""Bumped whenever folding changes; stored folded columns (documents.title_folded) are then
recomputed by a store migration."""

_DIRECT: dict[str, str] = {
    "\u0640": "",  # tatweel
    "\u0671": "\u0627",  # alef wasla -> alef
    "\u0649": "\u064a",  # alef maksura -> yeh
    "\u06cc": "\u064a",  # Farsi yeh -> Arabic yeh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u06c0": "\u0647",  # heh with yeh above (Persian ezafe) -> heh
    "\u06c1": "\u0647",  # heh goal (Urdu) -> heh
    "\u06c3": "\u0647",  # teh marbuta goal -> heh
    "\u06be": "\u0647",  # heh doachashmee -> heh
    "\u06a9": "\u0643",  # keheh (Persian kaf) -> kaf
    "\u0111": "d", "\u0110": "d", "\u0142": "l", "\u0141": "l", "\u00f8": "o", "\u00d8": "o",
}
"""characters whose folded form is given outright (checked before the general steps, and applied
to each character the general steps leave)"""


def _fold_piece(ch: str) -> str:
    """Steps 3-6 for one character left by case folding and decomposition."""
    direct = _DIRECT.get(ch)
    if direct is not None:
        return direct
    category = unicodedata.category(ch)
    if category[0] == "M" or category == "Cf":
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    if ch.isspace():
        return " "
    return ch


def fold_char(ch: str) -> str:
    """The folded form of one character (see the module docstring)."""
    direct = _DIRECT.get(ch)
    if direct is not None:
        return direct
    if unicodedata.category(ch) == "Cs":  # a lone surrogate: kept, never decomposed
        return ch
    return "".join(map(_fold_piece, unicodedata.normalize("NFKD", ch.casefold())))


class _FoldTable(dict[int, str]):
    """str.translate table: code point -> folded form, filled on first use (then C speed)."""

    def __missing__(self, code: int) -> str:
        value = self[code] = fold_char(chr(code))
        return value


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Folded ``text``: casefolded, without diacritics, Arabic-script variants unified (see the
    module docstring). What ``documents.title_folded`` stores and search queries are folded with."""
    return text.translate(_TABLE)


def _irregular(ch: str) -> bool:
    return len(_TABLE[ord(ch)]) != 1


def find_folded(haystack: str, needle: str) -> list[tuple[int, int]]:
    """Non-overlapping ``(start, end)`` of ``needle`` in ``haystack``, left to right."""
    found: list[tuple[int, int]] = []
    if not needle:
        return found
    size = len(needle)
    start = haystack.find(needle)
    while start != -1:
        found.append((start, start + size))
        start = haystack.find(needle, start + size)
    return found


class FoldedText:
    """``text`` folded once, with the map from folded offsets back to offsets in ``text``.

    ``_starts[k]``/``_ends[k]`` are the folded range produced by ``text[_origins[k]]`` for the
    k-th character whose folded form is not exactly one character (dropped marks and tatweel,
    expansions such as "ß" -> "ss"); every other character maps one to one, so between two
    recorded characters folded and stored offsets differ by a constant.
    """

    __slots__ = ("text", "folded", "_origins", "_starts", "_ends")

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        self._origins: list[int] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        odd = sorted(ch for ch in set(text) if _irregular(ch))
        if not odd:
            return
        pattern = re.compile("[" + "".join(re.escape(ch) for ch in odd) + "]")
        shift = 0  # folded offset minus stored offset, before the current character
        for match in pattern.finditer(text):
            origin = match.start()
            size = len(_TABLE[ord(match.group())])
            start = origin + shift
            self._origins.append(origin)
            self._starts.append(start)
            self._ends.append(start + size)
            shift += size - 1

    def original_start(self, f: int) -> int:
        """Offset in ``text`` of the character whose folded form holds folded offset ``f``
        (``len(folded)``: ``len(text)``); characters folded to nothing just before it are left out."""
        f = min(max(f, 0), len(self.folded))
        k = bisect_right(self._ends, f) - 1  # last recorded character wholly before f
        nxt = k + 1
        if nxt < len(self._starts) and self._starts[nxt] <= f:  # inside an expansion
            return self._origins[nxt]
        if k < 0:
            return f
        return self._origins[k] + 1 + (f - self._ends[k])

    def original_end(self, f: int) -> int:
        """Exclusive end in ``text`` of a folded range ending at ``f``: just after the character
        that produced folded offset ``f - 1``, and after the combining marks that follow it."""
        if f <= 0:
            return 0
        end = self.original_start(f - 1) + 1
        text = self.text
        while end < len(text) and _TABLE[ord(text[end])] == "" and unicodedata.category(text[end])[0] == "M":
            end += 1
        return end

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The range of ``text`` that folded ``[start, end)`` (``start < end``) comes from."""
        return self.original_start(start), self.original_end(end)

    def find(self, query: str) -> list[tuple[int, int]]:
        """Every match of ``fold(query)``, left to right and non-overlapping, as ``(start, end)``
        offsets into ``text`` (``text[start:end]`` folds to the folded query)."""
        found: list[tuple[int, int]] = []
        for fs, fe in find_folded(self.folded, fold(query)):
            span = self.original_span(fs, fe)
            if not found or span[0] >= found[-1][1]:  # two matches inside one "ß": one span
                found.append(span)
        return found


@lru_cache(maxsize=8)
def folded_text(text: str) -> FoldedText:
    """``FoldedText(text)``, kept for the last few texts searched (a search folds the document
    once, not on every keystroke)."""
    return FoldedText(text)
