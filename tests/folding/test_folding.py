"""Search folding finds what a reader means, and every match maps back to exact offsets in the
stored text: ``text[start:end]`` is the matched letters, marks included, nothing more."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.folding import FoldedText, fold


def matches(text: str, query: str) -> list[str]:
    """The stored-text slices that a search for ``query`` highlights."""
    return [text[start:end] for start, end in FoldedText(text).find(query)]


# -------------------------------------------------------------------- what a reader types

def test_vietnamese_without_tone_or_vowel_marks_finds_the_words():
    text = "Phiên họp của Quốc hội khóa XV. QUỐC HỘI thông qua luật Đất đai."
    assert matches(text, "quoc hoi") == ["Quốc hội", "QUỐC HỘI"]
    assert matches(text, "dat dai") == ["Đất đai"]
    assert matches(text, "khoa xv") == ["khóa XV"]


def test_vietnamese_typed_decomposed_or_with_other_marks_finds_the_stored_nfc_text():
    text = "Hà Nội và Thành phố Hồ Chí Minh"
    assert matches(text, unicodedata.normalize("NFD", "Hà Nội")) == ["Hà Nội"]
    assert matches(text, "hồ chi minh") == ["Hồ Chí Minh"]


def test_arabic_bare_alef_finds_every_hamza_and_madda_form():
    text = "غزو أوكرانيا. إلى أوكرانيا، ثم آمال ٱلناس في أوكرانيا"
    assert matches(text, "اوكرانيا") == ["أوكرانيا"] * 3
    assert matches(text, "الى") == ["إلى"]
    assert matches(text, "امال") == ["آمال"]
    assert matches(text, "الناس") == ["ٱلناس"]


def test_arabic_harakat_and_tatweel_are_ignored_and_stay_inside_the_match():
    text = "قَالَ الرَّئِيسُ إنَّ الكـتـاب جديد"
    assert matches(text, "الرئيس") == ["الرَّئِيسُ"]  # the damma after the last letter is included
    assert matches(text, "قال") == ["قَالَ"]
    assert matches(text, "الكتاب") == ["الكـتـاب"]
    assert matches(text, "الرَّئيس") == ["الرَّئِيسُ"]  # harakat in the query are ignored too


def test_alef_maksura_and_teh_marbuta_fold_with_yeh_and_heh():
    text = "مصطفى في المدرسة"
    assert matches(text, "مصطفي") == ["مصطفى"]
    assert matches(text, "المدرسه") == ["المدرسة"]


def test_persian_yeh_and_keheh_match_arabic_yeh_and_kaf_both_ways():
    persian = "کتاب ایران و می‌خواهم"
    assert matches(persian, "كتاب") == ["کتاب"]  # Arabic kaf typed, Persian keheh stored
    assert matches(persian, "ايران") == ["ایران"]
    assert matches(persian, "ميخواهم") == ["می\u200cخواهم"]  # ZWNJ in the text is ignored
    arabic = "كتاب إيران"
    assert matches(arabic, "کتاب") == ["كتاب"]  # Persian keyboard, Arabic text
    assert matches(arabic, "ایران") == ["إيران"]


def test_arabic_indic_and_persian_digits_match_ascii_digits():
    assert matches("في فبراير ٢٠٢٢ و ۲۰۲۲ و 2022", "2022") == ["٢٠٢٢", "۲۰۲۲", "2022"]


def test_case_and_compatibility_forms():
    assert matches("STRASSE, Straße, ﬁnal", "strasse") == ["STRASSE", "Straße"]
    assert matches("ﬁnal", "final") == ["ﬁ" "nal"]
    assert fold("ＡＢＣ") == "abc"


def test_fold_of_titles_is_what_the_store_searches():
    assert fold("Quốc hội") == "quoc hoi"
    assert fold("أوكرانيا") == fold("اوكرانيا") == "اوكرانيا"
    assert fold("") == ""


# -------------------------------------------------------------------- properties of the map

_alphabet = st.sampled_from(
    list("aAbeEoOdĐđ ß\n.,")
    + ["ố", "ư", "ơ", "Ạ", "e\u0301", "\u0301", "İ", "ﬁ"]
    + list("اأإآٱبتةهىيیکكـ") + ["\u064e", "\u0651", "\u0652", "\u0670", "\u200c", "\u200f"]
    + list("٢۲2") + list("שָׁלוֹם")
)
texts = st.lists(_alphabet, max_size=40).map("".join)


@given(texts, texts)
def test_folding_is_per_character(a, b):
    assert fold(a + b) == fold(a) + fold(b)
    assert FoldedText(a).folded == fold(a)


@given(texts)
def test_the_map_is_monotone_and_covers_the_text(text):
    folded = FoldedText(text)
    starts = [folded.original_start(f) for f in range(len(folded.folded) + 1)]
    assert starts == sorted(starts)
    assert starts[-1] == len(text)
    for f, start in enumerate(starts[:-1]):
        # the character at the mapped start produces folded offset f
        before = len(fold(text[:start]))
        assert before <= f < before + len(fold(text[start]))


@settings(max_examples=300)
@given(texts, st.data())
def test_every_match_is_exact_offsets_into_the_stored_text(text, data):
    folded = FoldedText(text)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    query = text[a:b]
    found = folded.find(query)
    needle = fold(query)
    if needle:
        assert found, "a piece of the text is always found"
    last = 0
    for start, end in found:
        assert last <= start < end <= len(text)
        last = end
        piece = fold(text[start:end])
        assert needle in piece  # the stored characters fold to (at least) the query...
        # ...and nothing beyond whole characters: dropping the first or last letter loses it
        assert needle not in fold(text[start + 1:end]) or not fold(text[start])
        trimmed = end
        while trimmed > start and not fold(text[trimmed - 1]):
            trimmed -= 1  # trailing marks are kept with their letter
        assert needle not in fold(text[start:trimmed - 1])
