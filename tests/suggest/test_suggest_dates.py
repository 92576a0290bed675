"""The date grammar: what a reader would tag, with exact offsets, in both languages; property tests
(offsets always within the text, non-overlapping, never splitting a cluster). Trial count:
TUI_TRIALS (default 150 per property)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.suggest.clusters import is_boundary
from tui.suggest.dates import find_dates

TRIALS = int(os.environ.get("TUI_TRIALS", "150"))
SETTINGS = settings(max_examples=TRIALS, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def dates(text: str) -> list[str]:
    return [text[m.start:m.end] for m in find_dates(text)]


@pytest.mark.parametrize("text, expected", [
    ("Hiệp định ký ngày 5 tháng 2 năm 2025 tại Hà Nội.", ["ngày 5 tháng 2 năm 2025"]),
    ("Putin hôm 5/2 đã đệ trình", ["hôm 5/2"]),
    ("công bố vào 5/2/2025, muộn", ["5/2/2025"]),
    ("ký vào tháng 12/2024, quy định", ["tháng 12/2024"]),
    ("tăng mạnh trong năm 2023 do", ["năm 2023"]),
    ("đến Moskva hôm thứ Hai và", ["hôm thứ Hai"]),
    ("họp sáng 21/11 tại", ["sáng 21/11"]),
    ("lúc 10h30 sáng 5/2 tại", ["10h30 sáng 5/2"]),
    ("vào thứ Sáu, ngày 7/3/2025.", ["thứ Sáu, ngày 7/3/2025"]),
    ("trong đêm 18 rạng sáng 19/12, khiến", ["đêm 18 rạng sáng 19/12"]),
    ("từ mùng 5 tháng Giêng", ["mùng 5 tháng Giêng"]),
    ("hết hạn 2026-12-31 theo", ["2026-12-31"]),
])
def test_vietnamese_dates_are_whole_expressions(text, expected):
    assert dates(text) == expected


@pytest.mark.parametrize("text", [
    "Lee Sun Kyun thứ hai của Hàn Quốc",       # ordinal, not Monday
    "đạt 1/3 dân số",                          # a fraction
    "thắng 2/1 trong trận",                    # a score
    "tập trận Zapad-2021 do",                  # a name with a year in it
    "trong vòng 3 năm, tổng thống",            # a duration
    "ngày 32/13 không có",                     # no such day
])
def test_vietnamese_non_dates_are_not_suggested(text):
    assert dates(text) == []


@pytest.mark.parametrize("text, expected", [
    ("الضربة التي شنت في 21 تشرين الثاني/نوفمبر على أوكرانيا", ["21 تشرين الثاني/نوفمبر"]),
    ("قال يوم الأربعاء إن", ["يوم الأربعاء"]),
    ("تأسست في عام 1999 ، وتسمح", ["عام 1999"]),
    ("وفي عام ٢٠٠٨ اندلعت", ["عام ٢٠٠٨"]),
    ("احتجاجات في عام 2020 ، مما", ["عام 2020"]),
    ("أعلنت النتائج في ٢١/١١/٢٠٢٤ بعد", ["٢١/١١/٢٠٢٤"]),
    ("بدأ في ۱ رمضان ۱۴۴۵ هـ وفق", ["۱ رمضان ۱۴۴۵ هـ"]),
    ("صدر بتاريخ 15 شعبان 1445هـ عن", ["15 شعبان 1445هـ"]),
    ("عُقِدَ الاجتماعُ يَوْمَ الأَرْبِعَاءِ في القصر", ["يَوْمَ الأَرْبِعَاءِ"]),
    ("أوكرانيا في فبراير/شباط 2022 ونشر", ["فبراير/شباط 2022"]),
    ("وافق على الميزانية للعام المقبل بأغلبية", ["لعام المقبل"]),
    ("في النصف الثاني من العام المقبل، مضيفًا", ["النصف الثاني من العام المقبل"]),
    ("أذاع مساء الأحد على التلفزيون", ["مساء الأحد"]),
])
def test_arabic_dates_are_whole_expressions(text, expected):
    assert dates(text) == expected


@pytest.mark.parametrize("text", [
    "مارس الرئيس ضغوطا كبيرة",     # مارس "practised", not March
    "نقل الأب ابنه إلى المستشفى",   # أب "father", not آب August
    "لأكثر من 30 عاما",            # a duration
    "بسرعة 10 أضعاف سرعة الصوت",
])
def test_arabic_non_dates_are_not_suggested(text):
    assert dates(text) == []


def test_a_proclitic_stays_outside_the_span():
    text = "وبحلول عام 2030 سيتضاعف"
    assert dates(text) == ["عام 2030"]
    text = "ولعام 2025 خطة"
    assert dates(text) == ["عام 2025"]


WORDS = ["ngày", "tháng", "năm", "hôm", "thứ", "Hai", "Sáu", "sáng", "5/2", "19/12/2022", "2025", "12",
         "tới", "qua", "cuối", "يوم", "الأربعاء", "عام", "٢٠٢٤", "۱۴۴۵", "هـ", "تشرين", "الثاني", "/",
         "نوفمبر", "في", "و", "ل", "العام", "المقبل", "رمضان", "\u064e", "\u0651", "\u0640", "لأ", "لا",
         "\u0301", "\u200d", "\u200c", "(", ")", ",", "،", "-", ":", "10h30", "e\u0301", " ", " ", "\n"]
texts = st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join) | st.lists(
    st.sampled_from(WORDS), max_size=30).map("".join) | st.text(max_size=60)


@SETTINGS
@given(texts)
def test_dates_are_inside_the_text_in_order_and_never_split_a_cluster(text):
    found = find_dates(text)
    last = 0
    for m in found:
        assert 0 <= last <= m.start < m.end <= len(text)
        assert is_boundary(text, m.start) and is_boundary(text, m.end)
        assert text[m.start:m.end].strip() == text[m.start:m.end]
        last = m.end
