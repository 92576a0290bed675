"""NFC / CRLF normalisation and the offset map that keeps spans on the same characters."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui.formats.normalise import OffsetMap, normalise
from tui.formats.text import detect_language, direction_of, first_strong_direction, title_of

# Pieces that stress composition: Vietnamese letters written decomposed, stacked marks,
# Hangul jamo that compose across "starters", Tamil two-part vowels, CRLF, Arabic with harakat.
PIECES = [
    "a", "e", "o", "u", " ", "\n", "\r\n", "\r", "Vie\u0302\u0323t", "Nam", "\u0301", "\u0323", "\u0302", "\u031b",
    "o\u031b\u0301", "A\u030a", "\u1100", "\u1161", "\u11a8", "\u0bc6", "\u0bbe", "\u0915\u093c", "\u0644\u064e",
    "\u00e9", "\u1ec7", "e\u0301\u0323", "\u212b", "\ufb01", "😀", "\u0300\u0316",
]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def units(text: str) -> list[int]:
    """Offsets where a new character cluster (a starter and its marks; CRLF is one) begins, plus len(text)."""
    cuts = [i for i, ch in enumerate(text)
            if i == 0 or (not unicodedata.combining(ch) and not (ch == "\n" and text[i - 1] == "\r"))]
    return sorted(set(cuts + [len(text)]))


@settings(max_examples=300, deadline=None)
@given(texts)
def test_stored_text_is_nfc_with_lf(text):
    stored, _, _ = normalise(text)
    assert stored == unicodedata.normalize("NFC", text.replace("\r\n", "\n"))


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_spans_on_cluster_boundaries_cover_the_same_characters(text, data):
    stored, offsets, _ = normalise(text)
    cuts = units(text)
    assume(len(cuts) >= 2)
    a = data.draw(st.sampled_from(cuts[:-1]))
    b = data.draw(st.sampled_from([c for c in cuts if c > a]))
    start, end = offsets.start(a), offsets.end(b)
    assert 0 <= start <= end <= len(stored)
    # the stored span is the normalised form of what the original span covered
    expected = unicodedata.normalize("NFC", text[a:b].replace("\r\n", "\n"))
    covered = stored[start:end]
    if offsets.expanded == 0:
        assert covered == expected
    else:  # a boundary fell inside a group that composed (e.g. Hangul L+V): the span grew to whole characters
        assert unicodedata.normalize("NFD", expected) in unicodedata.normalize("NFD", covered)


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_map_is_monotonic_and_within_bounds(text, data):
    stored, offsets, _ = normalise(text)
    points = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=6)))
    mapped = [offsets.start(p) for p in points]
    assert mapped == sorted(mapped)
    assert all(0 <= m <= len(stored) for m in mapped)
    assert offsets.start(0) == 0 and offsets.end(len(text)) == len(stored)


def test_decomposed_vietnamese_is_composed_and_a_span_follows_it():
    original = unicodedata.normalize("NFD", "Việt Nam và Hà Nội")
    stored, offsets, notes = normalise(original)
    assert stored == "Việt Nam và Hà Nội" and notes == ["normalised to NFC"]
    start = original.index("H")
    end = len(original)
    assert stored[offsets.start(start):offsets.end(end)] == "Hà Nội"


def test_crlf_becomes_lf_and_offsets_shift():
    stored, offsets, notes = normalise("one\r\ntwo\r\nthree")
    assert stored == "one\ntwo\nthree" and notes == ["CRLF line ends converted to LF"]
    assert stored[offsets.start(10):offsets.end(15)] == "three"
    # a boundary between \r and \n widens to the whole line break
    assert (offsets.start(4), offsets.end(4)) == (3, 4)


def test_identity_when_already_normal():
    stored, offsets, notes = normalise("Đã chuẩn hoá\nمرحبا")
    assert offsets.identity and notes == [] and offsets.start(5) == 5


def test_offset_map_widens_boundaries_inside_a_group():
    offsets = OffsetMap([(2, 4, 2, 3)])  # e.g. "e" + U+0301 at 2..4 became "é" at 2..3
    assert offsets.start(3) == 2 and offsets.end(3) == 3 and offsets.expanded == 2
    assert offsets.start(4) == 3 and offsets.start(10) == 9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello", "ltr"),
        ("مرحبا بالعالم", "rtl"),
        ("123 مرحبا", "rtl"),  # digits are weak: the first strong character decides
        ("\u2067abc\u2069 שלום", "rtl"),  # text inside an isolate is skipped (P2)
        ("\u202eabc", "ltr"),  # an override is not an isolate: 'a' counts
        ("123 ...", None),
        ("\n\nمرحبا", "rtl"),
    ],
)
def test_first_strong_direction(text, expected):
    assert first_strong_direction(text) == expected
    assert direction_of(text) == (expected or "ltr")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Tổng thống Nga Vladimir Putin hôm 5/2 đã đệ trình", "vi"),
        (unicodedata.normalize("NFD", "Tổng thống Nga Vladimir Putin hôm 5/2 đã đệ trình"), "vi"),
        ("وقع الرئيس الروسي فلاديمير بوتين على معاهدة", "ar"),
        ("The president signed a treaty", "und"),
        ("Le président a signé un traité à Minsk", "und"),
        ("12345", "und"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_title_is_the_first_non_blank_line_cut_to_length():
    assert title_of("\n  \n  Tiêu đề  \nbody") == "Tiêu đề"
    long = title_of("x" * 500)
    assert len(long) == 200 and long.endswith("…")
