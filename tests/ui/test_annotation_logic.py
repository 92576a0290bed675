"""The tagging logic without a screen: offsets, trimming, resizing, search matches."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tui.ui.annotation import resized_bounds, step_offset, trim_whitespace
from tui.ui.panes import find_all

texts = st.text(alphabet=st.sampled_from("ab ,\u0301\u0323ơưđ\u0627\u0644\u0628 12\n"), max_size=40)


@given(texts, st.integers(0, 40), st.integers(0, 40))
def test_trimmed_ranges_stay_inside_and_have_no_edge_whitespace(text, a, b):
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    s, e = trim_whitespace(text, start, end)
    assert start <= s <= e <= end
    if s < e:
        assert not text[s].isspace() and not text[e - 1].isspace()
        assert text[s:e].strip() == text[start:end].strip()


@given(texts, st.integers(0, 40), st.sampled_from([-1, 1]))
def test_stepping_never_lands_on_a_combining_mark(text, offset, step):
    offset = min(offset, len(text))
    moved = step_offset(text, offset, step)
    assert 0 <= moved <= len(text)
    if 0 < moved < len(text):
        assert not unicodedata.combining(text[moved])


def test_resizing_moves_one_edge_by_a_whole_character():
    text = "Ho\u0323 te\u0302n"  # decomposed marks: never split a letter from its mark
    assert resized_bounds(text, 0, 1, "end", 1) == (0, 3)  # "H" -> "Họ", mark included
    assert resized_bounds(text, 0, 3, "end", -1) == (0, 1)
    assert resized_bounds(text, 0, 1, "end", -1) is None  # would be empty
    assert resized_bounds(text, 4, 8, "start", 1) == (5, 8)
    assert resized_bounds(text, 5, 8, "start", -1) == (4, 8)


@given(st.text(alphabet="aAbB ", max_size=30), st.text(alphabet="aAbB", min_size=1, max_size=3))
def test_find_all_returns_code_point_offsets_of_every_case_insensitive_match(text, query):
    for start, end in find_all(text, query):
        assert text[start:end].lower() == query.lower()
    assert len(find_all(text, query)) == text.lower().count(query.lower())


def test_find_all_matches_decomposed_queries_against_nfc_text():
    text = unicodedata.normalize("NFC", "Tổng thống Putin hôm 5/2")
    query = unicodedata.normalize("NFD", "THỐNG")
    [(start, end)] = find_all(text, query)
    assert text[start:end] == "thống"
    assert find_all("بوتين قال إن بوتين", "بوتين") == [(0, 5), (13, 18)]


def test_in_article_search_ignores_marks_and_arabic_letter_variants_with_exact_offsets():
    text = "Phiên họp Quốc hội. غزو أوكرانيا في فبراير، ثم أُوكْرانيا و کتاب"
    for query, found in [("quoc hoi", ["Quốc hội"]), ("اوكرانيا", ["أوكرانيا", "أُوكْرانيا"]),
                         ("كتاب", ["کتاب"])]:
        assert [text[start:end] for start, end in find_all(text, query)] == found
