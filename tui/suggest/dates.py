"""Dates in Vietnamese and Arabic news: a grammar of our own (regular expressions over a folded copy
of the text), giving the exact code-point offsets of each whole expression.

The text is folded first (``tui.suggest.folding``, case kept): Arabic harakat and tatweel dropped,
alef/yeh/teh-marbuta variants unified, Arabic-Indic and extended digits read as 0-9. Every rule is
written against that folded form and every match is mapped back to the original text, then widened
to whole clusters (``tui.suggest.clusters``): a span never splits a letter from its marks.

What an expression covers (the conventions of the gold set in tests/suggest/data/):

- the date words themselves, with their head word and modifiers: ``ngày 5 tháng 2 năm 2025``,
  ``hôm 5/2``, ``sáng 21/11``, ``cuối năm 2025``, ``hôm thứ Hai``, ``thứ Hai tuần trước``;
  ``21 تشرين الثاني/نوفمبر``, ``يوم الأربعاء``, ``مساء الأحد``, ``عام 1999``, ``العام الماضي``,
  ``15 رمضان 1445 هـ``, ``النصف الثاني من العام المقبل``;
- not the preposition before it (``vào``, ``hồi``, ``từ``, ``trong``; ``في``, ``منذ``, and an
  attached proclitic ``و ف ب ل ك``): ``في عام 1999`` suggests ``عام 1999``, ``لعام 2025`` suggests
  ``عام 2025``;
- a bare ``d/m`` (``5/2``) only where it reads as a date: after a date word or a preposition, in
  parentheses, or followed by ``tới``/``này``; ``d/m/yyyy`` and ``yyyy-mm-dd`` anywhere;
- a weekday name in Vietnamese only with its capital (``thứ Hai``; ``lần thứ hai`` is "the second
  time") unless a date word comes before it (``hôm thứ hai``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from tui.suggest.clusters import snap
from tui.suggest.folding import fold


class DateMatch(NamedTuple):
    start: int
    end: int
    language: str  # "vi" | "ar"


# ----------------------------------------------------------------------------- shared pieces

DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
MON = r"(?:0?[1-9]|1[0-2])"
YEAR = r"(?:1[0-9]{3}|20[0-9]{2}|21[0-9]{2})"
_NUM_BEFORE = r"(?<![0-9.,/:-])"
_NUM_AFTER = r"(?![0-9]|[.,/:-][0-9])"
NUMERIC_DMY = (_NUM_BEFORE + DAY + r"(?P<sep>[/.-])" + MON + r"(?P=sep)" + YEAR + _NUM_AFTER)
NUMERIC_ISO = _NUM_BEFORE + YEAR + "-" + r"(?:0[1-9]|1[0-2])" + "-" + r"(?:0[1-9]|[12][0-9]|3[01])" + _NUM_AFTER
NUMERIC_DM = _NUM_BEFORE + DAY + "/" + MON + _NUM_AFTER
TIME = (r"(?<![0-9:])(?:[01]?[0-9]|2[0-3])(?::[0-5][0-9](?::[0-5][0-9])?|h[0-5][0-9]?(?![0-9])"
        r"|\s+giờ(?:\s+[0-5]?[0-9](?:\s+phút)?)?)")

_W_BEFORE = r"(?<!\w)"
_W_AFTER = r"(?!\w)"


def _alt(*words: str) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


# ------------------------------------------------------------------------------- Vietnamese

_S = r"\s+"
VI_PART = _alt("rạng sáng", "sáng sớm", "sáng", "trưa", "chiều", "tối", "đêm", "khuya", "nửa đêm")
VI_MOD = _alt("đầu", "giữa", "cuối", "trung tuần", "thượng tuần", "hạ tuần", "nửa đầu", "nửa cuối",
              "nửa sau", "những ngày đầu", "những ngày cuối")
VI_WEEKDAY_STRICT = (r"(?:thứ\s+(?-i:Hai|Ba|Tư|Năm|Sáu|Bảy)|(?-i:Chủ\s+[Nn]hật|chủ\s+nhật|CN))")
VI_WEEKDAY_LOOSE = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])(?![0-9])|chủ\s+nhật)"
VI_MONTH_WORD = (r"(?:giêng|chạp|(?-i:Một|Năm)|hai|ba|tư|sáu|bảy|tám|chín|mười(?:\s+(?-i:Một)|\s+hai)?)")
VI_MONTH = r"(?:" + MON + r"(?![0-9])|" + VI_MONTH_WORD + _W_AFTER + ")"
VI_YEAR_TAIL = r"(?:\s*[/-]\s*" + YEAR + r"|\s+năm\s+" + YEAR + r"|,\s*năm\s+" + YEAR + r")" + _NUM_AFTER
VI_REL = _alt("trước", "tới", "sau", "này", "qua")
VI_NUM_WORD = _alt("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười", "vài", "mấy")

# A calendar date with a day in it.
VI_DAY_DATE = "(?:" + "|".join([
    # ngày 5 tháng 2 [năm 2025], mùng 5 tháng Giêng
    r"(?:ngày\s+(?:(?:mùng|mồng)\s+)?|(?:mùng|mồng)\s+)" + DAY + r"\s+tháng\s+" + VI_MONTH
    + r"(?:\s*(?:,\s*)?năm\s+" + YEAR + _NUM_AFTER + ")?",
    # rằm tháng Giêng (the 15th)
    r"rằm\s+tháng\s+" + VI_MONTH,
    # 5 tháng 2 năm 2025 (without ngày: only with the year)
    _NUM_BEFORE + DAY + r"\s+tháng\s+" + VI_MONTH + r"\s+năm\s+" + YEAR + _NUM_AFTER,
    # [ngày] 5/2/2025, 2025-02-05
    r"(?:ngày\s+(?:(?:mùng|mồng)\s+)?)?" + NUMERIC_DMY,
    r"(?:ngày\s+)?" + NUMERIC_ISO,
    # ngày 5/2, hôm 5/2, mùng 5/2
    r"(?:ngày|hôm|mùng|mồng)\s+" + NUMERIC_DM,
    # 5/2 after a preposition or a date word, in parentheses, or before tới / này
    r"(?:(?<=\bvào )|(?<=\btừ )|(?<=\bđến )|(?<=\btới )|(?<=\btrước )|(?<=\bsau )|(?<=\bhồi )"
    r"|(?<=\bkhoảng )|(?<=\bsáng )|(?<=\btrưa )|(?<=\bchiều )|(?<=\btối )|(?<=\bđêm )|(?<=\bngày )"
    r"|(?<=\()|(?<=\bhạn )|(?<=\bvà ))" + NUMERIC_DM,
    NUMERIC_DM + r"(?=\s+(?:tới|này|vừa\s+qua)" + _W_AFTER + ")",
]) + ")"

VI_WEEKDAY = ("(?:(?:(?:hôm|ngày|" + VI_PART + r")\s+" + VI_WEEKDAY_LOOSE + ")|" + VI_WEEKDAY_STRICT + ")"
              + r"(?:\s+(?:tuần\s+" + VI_REL + r"|tới|này|vừa\s+qua)" + _W_AFTER + ")?")

VI_FULL = (
    r"(?:" + VI_WEEKDAY + r"(?P<wd_open>\s*\(\s*)?(?:\s*,\s*|\s+)?)?"
    r"(?:" + TIME + r"(?:\s+" + VI_PART + r")?(?:\s*,\s*|\s+))?"
    r"(?:" + VI_PART + r"\s+)?" + VI_DAY_DATE
    + r"(?(wd_open)\s*\))"
    + r"(?:\s+(?:tới|này|vừa\s+qua)" + _W_AFTER + ")?"
)

VI_MONTH_EXPR = r"tháng\s+(?:" + VI_MONTH + "(?:" + VI_YEAR_TAIL + r")?|" + VI_REL + _W_AFTER + ")"
VI_YEAR_EXPR = (r"năm\s+(?:" + YEAR + _NUM_AFTER + r"|(?:ngoái|nay|tới|sau|kia|qua|trước)" + _W_AFTER + ")")
VI_PERIOD = "(?:" + "|".join([
    VI_MONTH_EXPR,
    VI_YEAR_EXPR,
    r"tuần\s+" + VI_REL + _W_AFTER,
    r"(?:thập\s+(?:niên|kỷ)|những\s+năm)\s+(?:19|20)?[0-9]0" + _NUM_AFTER,
    r"thế\s+kỷ\s+(?:[0-9]{1,2}|(?-i:[IVX]+))" + _W_AFTER,
]) + ")"
VI_SEASON = r"mùa\s+(?:xuân|hạ|hè|thu|đông|mưa|khô)"
VI_MODIFIED = "(?:(?:" + VI_MOD + "|" + VI_SEASON + r")\s+)?" + VI_PERIOD
VI_RELATIVE = "(?:" + "|".join([
    r"(?:ngày\s+)?hôm\s+(?:qua|nay|kia)",
    r"ngày\s+(?:mai|kia)",
    r"(?:sáng|trưa|chiều|tối|đêm)\s+(?:nay|qua|mai)",
    r"(?:[0-9]+|" + VI_NUM_WORD + r")\s+(?:năm|tháng|tuần|ngày)\s+trước",
]) + ")" + _W_AFTER
# the night of the 18th to the early morning of 19/12
VI_NIGHT = r"đêm\s+" + DAY + r"\s+rạng\s+sáng\s+" + VI_DAY_DATE

VI_RULES = [VI_NIGHT, VI_FULL, VI_MODIFIED, VI_WEEKDAY, VI_RELATIVE]

# ----------------------------------------------------------------------------------- Arabic
# Written in folded form: no harakat, ا for أ إ آ, ي for ى, ه for ة, 0-9 for every digit set.

AR_G = _alt("يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يونيه", "يوليو", "يوليه", "اغسطس",
            "سبتمبر", "اكتوبر", "نوفمبر", "ديسمبر")
AR_L = _alt("كانون الثاني", "شباط", "اذار", "نيسان", "ايار", "حزيران", "تموز", "اب", "ايلول",
            "تشرين الاول", "تشرين الثاني", "كانون الاول")
AR_M = _alt("جانفي", "فيفري", "افريل", "ماي", "جوان", "جويليه", "جويلي", "اوت")
AR_ONE_MONTH = "(?:" + AR_L + "|" + AR_G + "|" + AR_M + ")" + _W_AFTER
AR_MONTH = (AR_ONE_MONTH + r"(?:\s*[/-]\s*" + AR_ONE_MONTH + r"|\s*\(\s*" + AR_ONE_MONTH + r"\s*\))?")
# month names that are ordinary words too (مارس "practised", اب "father", ماي, نيسان): alone only
# after a date word
AR_MONTH_ALONE = ("(?:" + _alt("يناير", "فبراير", "ابريل", "مايو", "يونيو", "يونيه", "يوليو", "يوليه",
                              "اغسطس", "سبتمبر", "اكتوبر", "نوفمبر", "ديسمبر", "كانون الثاني", "شباط",
                              "اذار", "ايار", "حزيران", "تموز", "ايلول", "تشرين الاول",
                              "تشرين الثاني", "كانون الاول", "جانفي", "فيفري", "افريل", "جوان",
                              "جويليه", "جويلي") + _W_AFTER
                  + r"(?:\s*[/-]\s*" + AR_ONE_MONTH + r"|\s*\(\s*" + AR_ONE_MONTH + r"\s*\))?)")
AR_H = _alt("محرم", "صفر", "ربيع الاول", "ربيع الاخر", "ربيع الثاني", "جمادي الاولي", "جمادي الاول",
            "جمادي الاخره", "جمادي الثانيه", "جمادي الاخر", "جمادي الثاني", "رجب", "شعبان", "رمضان",
            "شوال", "ذو القعده", "ذي القعده", "ذو الحجه", "ذي الحجه") + _W_AFTER
AR_HIJRI_SUFFIX = r"(?:\s*ه(?!\w)|\s+(?:هجري|هجريه|للهجره)" + _W_AFTER + ")"
AR_AD_SUFFIX = r"(?:\s*م(?!\w)|\s+(?:ميلادي|ميلاديه|للميلاد)" + _W_AFTER + ")"
AR_YEAR_WORD = r"(?:عام|سنه|العام|السنه)"
# where a word may start: after a non-letter, or after an attached proclitic و ف ب ل ك
AR_START = (r"(?:(?<![^\W\d_])|(?<=(?<![^\W\d_])[وفبلك])|(?<=(?<![^\W\d_])[وف][بلك]))")
# the article ال, also as the bare ل it becomes after the proclitic ل (للعام = ل + العام)
AR_ART = r"(?:ال|(?<=(?<![^\W\d_])ل)ل|(?<=(?<![^\W\d_])[وف]ل)ل)"
AR_PART = _alt("صباح", "مساء", "ظهر", "عصر", "فجر", "ليله", "ليل", "ظهيره", "منتصف ليل")
AR_WEEKDAY_NAME = AR_ART + _alt("احد", "اثنين", "ثلاثاء", "اربعاء", "خميس", "جمعه", "سبت") + _W_AFTER
AR_NEXT_LAST = _alt("الماضي", "الماضيه", "المقبل", "المقبله", "القادم", "القادمه", "الجاري", "الجاريه",
                    "الحالي", "الحاليه", "المنصرم", "المنصرمه", "السابق", "الفائت")

AR_DAY_DATE = "(?:" + "|".join([
    # 21 تشرين الثاني/نوفمبر [2024], 5 من فبراير عام 2022
    _NUM_BEFORE + DAY + r"\s+(?:من\s+)?(?:شهر\s+)?" + AR_MONTH
    + r"(?:\s*[,،]?\s*(?:" + AR_YEAR_WORD + r"\s+)?" + YEAR + _NUM_AFTER + "(?:" + AR_AD_SUFFIX + ")?)?",
    # 15 رمضان [1445] [هـ]
    _NUM_BEFORE + DAY + r"\s+(?:من\s+)?(?:شهر\s+)?" + AR_H
    + r"(?:\s*[,،]?\s*(?:" + AR_YEAR_WORD + r"\s+)?1[0-9]{3}" + _NUM_AFTER + ")?(?:" + AR_HIJRI_SUFFIX + ")?",
    NUMERIC_DMY + "(?:" + AR_AD_SUFFIX + "|" + AR_HIJRI_SUFFIX + ")?",
    NUMERIC_ISO,
    # 5/2 after a date word or a preposition, or in parentheses
    r"(?:(?<=\bفي )|(?<=\bيوم )|(?<=\bمنذ )|(?<=\bحتي )|(?<=\bبتاريخ )|(?<=\()|(?<=\bالموافق ))" + NUMERIC_DM,
]) + ")"

AR_WEEKDAY = (r"(?:(?:" + AR_PART + r"\s+)?(?:يوم\s+)?|" + AR_PART + r"\s+)" + AR_WEEKDAY_NAME
              + r"(?:\s+" + AR_NEXT_LAST + _W_AFTER + ")?")

AR_OF_YEAR = (r"(?:\s+من\s+(?:" + AR_ART + _alt("عام", "سنه") + r"(?:\s+" + AR_NEXT_LAST + r")?"
              + r"|(?:هذا|هذه)\s+(?:العام|السنه)))")
AR_FULL = (AR_START + r"(?:" + AR_WEEKDAY + r"(?:\s*[,،]\s*|\s+)(?:(?:الموافق|الموافقه)\s+)?)?"
           + r"(?:(?:" + AR_PART + r"|يوم)\s+)?" + AR_DAY_DATE + AR_OF_YEAR + "?")

AR_PERIOD = "(?:" + "|".join([
    # فبراير/شباط 2022, تشرين الثاني 2024, رمضان 1445 هـ
    r"(?:شهر\s+)?" + AR_MONTH + r"\s*[,،]?\s*(?:" + AR_YEAR_WORD + r"\s+)?" + YEAR + _NUM_AFTER
    + "(?:" + AR_AD_SUFFIX + ")?",
    r"(?:شهر\s+)?" + AR_H + r"\s*[,،]?\s*(?:" + AR_YEAR_WORD + r"\s+)?1[0-9]{3}" + _NUM_AFTER
    + "(?:" + AR_HIJRI_SUFFIX + ")?",
    # عام 1999, العام 2020, سنة 1445 هـ
    AR_YEAR_WORD + r"\s+" + YEAR + _NUM_AFTER + "(?:" + AR_AD_SUFFIX + "|" + AR_HIJRI_SUFFIX + ")?",
    r"[0-9]{4}" + _NUM_AFTER + AR_HIJRI_SUFFIX,
    # شهر رمضان, شهر مارس, رمضان
    r"شهر\s+(?:" + AR_MONTH + "|" + AR_H + ")",
    r"رمضان" + _W_AFTER,
    # العام الماضي, الشهر المقبل, الأسبوع الماضي, هذا العام
    AR_ART + _alt("عام", "سنه", "شهر", "اسبوع", "اشهر", "اعوام", "سنوات", "ايام") + r"\s+" + AR_NEXT_LAST,
    r"(?:هذا|هذه)\s+" + _alt("العام", "السنه", "الشهر", "الاسبوع"),
    # التسعينيات [من القرن الماضي]
    AR_ART + "?" + _alt("عشرين", "ثلاثين", "اربعين", "خمسين", "ستين", "سبعين", "ثمانين", "تسعين")
    + r"(?:يات|ات)" + r"(?:\s+(?:من\s+)?القرن\s+(?:الماضي|العشرين|الحادي\s+والعشرين|التاسع\s+عشر))?",
    r"القرن\s+(?:الماضي|العشرين|الحادي\s+والعشرين|التاسع\s+عشر)",
]) + ")" + _W_AFTER

AR_MOD = _alt("مطلع", "اوائل", "اواخر", "منتصف", "نهايه", "بدايه", "اواسط", "اول", "اخر", "اخير",
              "اوخر", "خلال", "طوال")
AR_MODIFIED = (AR_START + "(?:(?:" + "(?:" + _alt("مطلع", "اوائل", "اواخر", "منتصف", "نهايه", "بدايه", "اواسط")
               + r"|(?:النصف|الربع|الثلث)\s+(?:الاول|الثاني|الثالث|الرابع|الاخير)\s+من)\s+)?"
               + "(?:" + AR_PERIOD + "|" + AR_MONTH_ALONE + ")"
               # نهاية العام, مطلع الشهر: a modifier with the bare unit
               + "|" + _alt("مطلع", "اوائل", "اواخر", "منتصف", "نهايه", "بدايه", "اواسط") + r"\s+"
               + AR_ART + _alt("عام", "سنه", "شهر", "اسبوع") + _W_AFTER + ")")
# a month alone after a preposition (في مارس, منذ فبراير)
AR_MONTH_AFTER_PREP = (r"(?:(?<=(?<!\w)في )|(?<=(?<!\w)وفي )|(?<=(?<!\w)منذ )|(?<=(?<!\w)حتي )"
                       r"|(?<=(?<!\w)خلال )|(?<=(?<!\w)قبل )|(?<=(?<!\w)بعد ))" + AR_MONTH)
AR_YEAR_AFTER_PREP = (r"(?:(?<=(?<!\w)في )|(?<=(?<!\w)وفي )|(?<=(?<!\w)منذ )|(?<=(?<!\w)حتي ))"
                      + r"(?:19|20)[0-9]{2}" + _NUM_AFTER + "(?:" + AR_AD_SUFFIX + ")?")
AR_RELATIVE = (AR_START + "(?:" + "|".join([
    r"(?:" + AR_PART + r"\s+)?(?:اول\s+)?(?:امس|الامس|البارحه)",
    AR_PART + r"\s+(?:اليوم|الغد)",
    r"غدا",
    r"(?:قبل|منذ)\s+(?:[0-9]+\s+)?" + _alt("يومين", "ايام", "اسبوع", "اسبوعين", "اسابيع", "شهر", "شهرين",
                                             "اشهر", "عام", "عامين", "اعوام", "سنه", "سنتين", "سنوات")
]) + ")" + _W_AFTER)

AR_RULES = [AR_FULL, AR_MODIFIED, AR_MONTH_AFTER_PREP, AR_YEAR_AFTER_PREP, AR_START + AR_WEEKDAY, AR_RELATIVE]

_FLAGS = re.IGNORECASE
_compiled: dict[str, list[re.Pattern[str]]] = {}
"""language -> its rules, compiled on first use (compiling them all takes ~0.15 s)"""


def _rules(language: str) -> list[re.Pattern[str]]:
    found = _compiled.get(language)
    if found is None:
        if language == "vi":
            found = [re.compile(_W_BEFORE + "(?:" + rule + ")" + r"(?![^\W_])", _FLAGS) for rule in VI_RULES]
        else:
            found = [re.compile("(?:" + rule + ")" + r"(?![^\W_])", _FLAGS) for rule in AR_RULES]
        _compiled[language] = found
    return found
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def _candidates(folded: str, rules: list[re.Pattern[str]], language: str) -> Iterator[tuple[int, int, str]]:
    for rule in rules:
        for m in rule.finditer(folded):
            if m.end() > m.start():
                yield m.start(), m.end(), language


def _strip(folded: str, start: int, end: int) -> tuple[int, int]:
    """No whitespace or comma at either end of a match."""
    while start < end and (folded[start].isspace() or folded[start] in ",،"):
        start += 1
    while end > start and (folded[end - 1].isspace() or folded[end - 1] in ",،"):
        end -= 1
    return start, end


def longest_first(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping matches, longest first (ties: leftmost), in text order."""
    chosen: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for start, end, lang in sorted(set(found), key=lambda m: (m[0] - m[1], m[0])):
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        chosen.append((start, end, lang))
    return sorted(chosen)


def find_dates(text: str, languages: tuple[str, ...] | None = None) -> list[DateMatch]:
    """Every date expression in ``text``: exact code-point ``[start, end)`` of the whole expression
    (never splitting a cluster), in text order, non-overlapping. ``languages``: "vi", "ar" or
    both (default: each grammar runs where its script appears)."""
    if not text:
        return []
    folded = fold(text, case=False)
    skeleton = folded.text
    found: list[tuple[int, int, str]] = []
    if (languages is None and _LATIN_LETTER.search(skeleton)) or (languages and "vi" in languages):
        found.extend(_candidates(skeleton, _rules("vi"), "vi"))
    if (languages is None and _ARABIC_LETTER.search(skeleton)) or (languages and "ar" in languages):
        found.extend(_candidates(skeleton, _rules("ar"), "ar"))
    if languages is None and not found:
        return []
    out: list[DateMatch] = []
    last_end = 0
    for start, end, lang in longest_first([(*_strip(skeleton, s, e), lang) for s, e, lang in found
                                           if _strip(skeleton, s, e)[1] > _strip(skeleton, s, e)[0]]):
        a, b = folded.original_span(start, end)
        a, b = snap(text, a, b)
        if a < last_end:  # widening to whole clusters met the previous expression: keep that one
            continue
        out.append(DateMatch(a, b, lang))
        last_end = b
    return out
