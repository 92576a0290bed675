"""Shaping keeps the link between glyphs and characters and agrees with arabic-reshaper."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.layout.shaping import RESHAPER, shape, shape_with_ligatures

LETTERS = "\u0627\u0628\u062a\u062c\u062d\u062f\u0631\u0633\u0639\u0641\u0642\u0644\u0645\u0646\u0647\u0648\u064a\u0629\u0623\u0625\u0622\u0649\u0640"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=LETTERS + HARAKAT + " ", max_size=30))
def test_glyphs_concatenate_to_the_reshapers_output(text):
    glyphs = shape(text)
    shown = text if glyphs is None else "".join(glyphs)
    assert shown == RESHAPER.reshape(text)
    if glyphs is not None:
        assert len(glyphs) == len(text)


def test_lam_alef_ligature_folds_the_alef():
    glyphs, folded = shape_with_ligatures("\u0633\u0644\u0627\u0645")  # سلام
    assert glyphs[1] == "\ufefc" and glyphs[2] == "" and folded == [2]


def test_harakat_are_kept_after_their_letter():
    glyphs = shape("\u0628\u064e")
    assert glyphs == ["\ufe8f", "\u064e"]


def test_text_without_arabic_is_not_touched():
    assert shape("Vi\u1ec7t Nam 2024") is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=LETTERS + HARAKAT + "\u200d", min_size=1, max_size=8), max_size=8))
def test_shaping_many_new_words_at_once_equals_one_by_one(words):
    from tui.layout import shaping

    shaping._word_cache.clear()
    batch = shape_with_ligatures(" ".join(words))
    shaping._word_cache.clear()
    one_by_one = [shaping.shape_word(w) for w in words]
    shaping._word_cache.clear()
    glyphs, _folded = batch
    position = 0
    for word, single in zip(words, one_by_one):
        part = None if glyphs is None else tuple(glyphs[position:position + len(word)])
        expected = tuple(word) if single is None else single[0]
        assert (tuple(word) if part is None else part) == expected
        position += len(word) + 1
