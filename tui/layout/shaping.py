"""Arabic shaping with arabic-reshaper, keeping the link from every glyph to its characters.

``shape(text)`` returns ``None`` when nothing in ``text`` changes, else a list ``glyphs`` parallel to
``text``: ``glyphs[i]`` is what to draw for ``text[i]`` (its contextual presentation form, the
character itself, or a lam-alef ligature on the lam), and ``""`` for a character drawn by an earlier
glyph (the alef of a lam-alef ligature). Harakat are kept (``delete_harakat=False``) and stay after
their letter. Only the four lam-alef ligatures are enabled: each is one cell showing two letters.

arabic-reshaper joins letters only within a run of Arabic letters, harakat and ZWJ, so each such run
("word") is reshaped on its own and cached: news text repeats words, so most runs are cache hits.
"""

from __future__ import annotations

import re

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.arabic_reshaper import HARAKAT_RE
from arabic_reshaper.letters import LETTERS_ARABIC
from arabic_reshaper.ligatures import LIGATURES

LAM_ALEF_LIGATURES = (
    "ARABIC LIGATURE LAM WITH ALEF",
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA ABOVE",
    "ARABIC LIGATURE LAM WITH ALEF WITH HAMZA BELOW",
    "ARABIC LIGATURE LAM WITH ALEF WITH MADDA ABOVE",
)

_config: dict[str, object] = {name: False for name, _replacement in LIGATURES}
_config.update({name: True for name in LAM_ALEF_LIGATURES})
_config.update(delete_harakat=False, support_ligatures=True, shift_harakat_position=False,
               delete_tatweel=False, support_zwj=True)
RESHAPER = ArabicReshaper(configuration=_config)

_LIGATURE_GLYPHS = frozenset(
    form for name, (_match, forms) in LIGATURES if name in LAM_ALEF_LIGATURES for form in forms if form
)
_LAM = "\u0644"
_ALEFS = frozenset("\u0627\u0623\u0625\u0622")
_HARAKAT = frozenset(chr(cp) for cp in range(0x600, 0x900) if HARAKAT_RE.match(chr(cp)))
_LETTERS = "".join(sorted(set(LETTERS_ARABIC) | _HARAKAT | {"\u200d"}))
_WORD_RE = re.compile("[" + re.escape(_LETTERS) + "]+")
_ANY_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")

_word_cache: dict[str, tuple[tuple[str, ...], tuple[int, ...]] | None] = {}
"""Arabic word -> (glyph per character, indices folded into a ligature) or None (unchanged)"""


def _align(text: str) -> tuple[str, ...] | None:
    """Per-character glyphs of ``text`` from the reshaper's output (unchanged characters map to
    themselves); None if the output cannot be aligned (then the text is drawn unshaped rather
    than wrongly mapped)."""
    try:
        out = RESHAPER.reshape(text)
    except IndexError:  # arabic-reshaper 3.1 fails on ZWJ before a lam-alef ligature
        return None
    glyphs: list[str] = []
    j = 0
    consume_alef = False
    for ch in text:
        if ch in _HARAKAT:
            if j >= len(out) or out[j] != ch:
                return None
            glyphs.append(ch)
            j += 1
        elif ch == "\u200d":
            glyphs.append(ch)  # the reshaper drops ZWJ after using it for joining
        elif consume_alef:
            if ch not in _ALEFS:
                return None
            glyphs.append("")
            consume_alef = False
        else:
            if j >= len(out):
                return None
            glyph = out[j]
            j += 1
            glyphs.append(glyph)
            consume_alef = glyph in _LIGATURE_GLYPHS
            if consume_alef and ch != _LAM:
                return None  # a ligature misplaced by the reshaper (it happens after a ZWJ)
    if j != len(out) or consume_alef:
        return None
    return tuple(glyphs)


def _entry(word: str, glyphs: tuple[str, ...] | None) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    if glyphs is None or "".join(glyphs) == word:
        return None
    return glyphs, tuple(i for i, g in enumerate(glyphs) if not g)


def shape_word(word: str) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """Cached (per-character glyphs, indices drawn by the glyph before them) of one Arabic word;
    None: draw the characters as they are."""
    try:
        return _word_cache[word]
    except KeyError:
        found = _word_cache[word] = _entry(word, _align(word))
        return found


def _shape_new_words(words: list[str]) -> None:
    """Fill the cache for several new words with one reshaper call (its per-call set-up costs
    more than a short word): they are joined by spaces, which never join or form ligatures."""
    if len(_word_cache) > 200_000:
        _word_cache.clear()
    # ZWJ makes the reshaper drop an output entry and shift every later ligature: such words
    # are shaped on their own so the damage stays inside them (and _align checks it).
    alone = [word for word in words if "\u200d" in word]
    if alone:
        for word in alone:
            shape_word(word)
        words = [word for word in words if "\u200d" not in word]
        if not words:
            return
    joined = _align(" ".join(words))
    if joined is None:
        for word in words:
            shape_word(word)
        return
    position = 0
    for word in words:
        _word_cache[word] = _entry(word, joined[position:position + len(word)])
        position += len(word) + 1


def shape_with_ligatures(text: str) -> tuple[list[str] | None, list[int]]:
    """(glyph per character or None, sorted indices whose glyph is "" because a ligature on the
    character before draws them)."""
    if _ANY_ARABIC_RE.search(text) is None:
        return None, []
    spans = [m.span() for m in _WORD_RE.finditer(text)]
    words = [text[a:b] for a, b in spans]
    cache = _word_cache
    new_words = [w for w in dict.fromkeys(words) if w not in cache]
    if new_words:
        _shape_new_words(new_words)
    glyphs = list(text)
    folded: list[int] = []
    changed = False
    for (start, end), word in zip(spans, words):
        found = cache[word] if word in cache else shape_word(word)
        if found is not None:
            glyphs[start:end] = found[0]
            changed = True
            if found[1]:
                folded.extend(start + i for i in found[1])
    return (glyphs if changed else None), folded


def shape(text: str) -> list[str] | None:
    """Glyph per character of ``text`` (see module docstring), or None if shaping changes nothing."""
    return shape_with_ligatures(text)[0]
