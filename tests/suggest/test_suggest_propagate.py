"""Propagation: a tagged string is found again folded (case, tone placement, Arabic spelling),
on whole tokens, with Arabic proclitics outside the span, longest match first; offsets exact and
whole clusters (property test). Trial count: TUI_TRIALS (default 150)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.suggest.clusters import is_boundary
from tui.suggest.engine import Context, Existing, suggest
from tui.suggest.propagate import Gazetteer, key_of, most_frequent

TRIALS = int(os.environ.get("TUI_TRIALS", "150"))
SETTINGS = settings(max_examples=TRIALS, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def gazetteer(*entries: tuple[str, str]) -> Gazetteer:
    g = Gazetteer()
    for text, label in entries:
        key = key_of(text)
        assert key is not None
        g.add(key, label)
    return g


def found(text: str, g: Gazetteer) -> list[tuple[str, str]]:
    return [(text[m.start:m.end], m.label) for m in g.find(text)]


def test_tone_placement_and_case_do_not_matter():
    g = gazetteer(("Hòa Bình", "entity"), ("Thủy điện Sơn La", "entity"))
    text = "Tỉnh HOÀ BÌNH và nhà máy thuỷ điện Sơn La; hoa bình thì không."
    assert found(text, g) == [("HOÀ BÌNH", "entity"), ("thuỷ điện Sơn La", "entity")]


@pytest.mark.parametrize("text, expected", [
    ("وبوتين قال", "بوتين"),
    ("فبوتين", "بوتين"),
    ("لبوتين", "بوتين"),
    ("وببوتين", "بوتين"),
    ("كبوتين", "بوتين"),
    ("بُوتِين", "بُوتِين"),
    ("بـوتـين", "بـوتـين"),
])
def test_arabic_proclitics_stay_outside_and_harakat_tatweel_are_ignored(text, expected):
    assert found(text, gazetteer(("بوتين", "entity"))) == [(expected, "entity")]


def test_the_article_after_a_proclitic_and_after_lam():
    g = gazetteer(("الكرملين", "entity"))
    assert found("وبالكرملين", g) == [("الكرملين", "entity")]
    assert found("للكرملين", g) == [("لكرملين", "entity")]
    assert found("كرملين", g) == []


def test_arabic_letter_variants_fold():
    g = gazetteer(("أوكرانيا", "entity"), ("مصطفى", "entity"))
    assert found("اوكرانيا وإوكرانيا ومصطفي", g) == [("اوكرانيا", "entity"), ("إوكرانيا", "entity"),
                                                     ("مصطفي", "entity")]


def test_a_lam_alef_ligature_is_never_split():
    # ل + أوكرانيا: the alef is drawn by the lam's ligature glyph, so the span takes the lam too
    text = "تسمح لأوكرانيا باستخدام"
    [(shown, _label)] = found(text, gazetteer(("أوكرانيا", "entity")))
    assert shown == "لأوكرانيا"


def test_whole_tokens_only_and_longest_match_wins():
    g = gazetteer(("Putin", "entity"), ("Vladimir Putin", "entity"), ("Nga", "entity"))
    text = "Tổng thống Vladimir Putin, Putin-Lukachenko, Putins, Ngang, Nga."
    assert found(text, g) == [("Vladimir Putin", "entity"), ("Putin", "entity"), ("Nga", "entity")]


def test_the_label_given_most_often_wins():
    assert most_frequent({"entity": 3, "claim": 5}) == "claim"
    assert most_frequent({"entity": 2, "claim": 2}) == "claim"
    g = Gazetteer([("nga", "entity", 5), ("nga", "claim", 1)])
    assert found("Nga", g) == [("Nga", "entity")]


def test_suggestions_skip_what_is_already_there():
    g = gazetteer(("Belarus", "entity"))
    text = "Belarus và Belarus và Belarus"
    context = Context(gazetteer=g, existing=[Existing(0, 7, "entity", False), Existing(11, 14, "claim", True)])
    got = [(s.start, s.end) for s in suggest(text, context, sources=["patterns"])]
    assert got == [(22, 29)]  # 0-7 is already tagged; 11-18 overlaps the annotator's own span


WORDS = ["Putin", "Vladimir", "putin", "بوتين", "وبوتين", "لأوكرانيا", "أوكرانيا", "الكرملين", "للكرملين",
         "Hòa", "hoà", "\u064e", "\u0640", "\u0301", "-", ",", " ", "\n", "ل", "و"]
texts = st.lists(st.sampled_from(WORDS), max_size=25).map("".join) | st.lists(
    st.sampled_from(WORDS), max_size=25).map(" ".join)


@SETTINGS
@given(texts)
def test_matches_are_inside_the_text_whole_clusters_and_never_overlap(text):
    g = gazetteer(("Vladimir Putin", "entity"), ("Putin", "entity"), ("بوتين", "entity"), ("أوكرانيا", "entity"),
                  ("الكرملين", "entity"), ("hòa", "entity"))
    last = 0
    for m in g.find(text):
        assert last <= m.start < m.end <= len(text)
        assert is_boundary(text, m.start) and is_boundary(text, m.end)
        last = m.end


ranges = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 10)).map(lambda t: (t[0], t[0] + t[1])), max_size=12)


@SETTINGS
@given(ranges, st.integers(0, 45), st.integers(1, 10))
def test_the_own_span_overlap_check_agrees_with_brute_force(own, start, width):
    from tui.suggest.engine import _overlaps

    own = sorted(own)
    starts = [a for a, _b in own]
    ends: list[int] = []
    for _a, b in own:
        ends.append(max(b, ends[-1]) if ends else b)
    end = start + width
    assert _overlaps(starts, ends, start, end) == any(start < b and a < end for a, b in own)


@SETTINGS
@given(texts, st.integers(0, 60))
def test_the_quick_boundary_answer_agrees_with_the_layout(text, offset):
    from tui.layout.clusters import split_clusters
    from tui.layout.shaping import shape_with_ligatures
    from tui.suggest.clusters import _plainly_a_boundary

    if not 0 < offset < len(text):
        return
    glyphs, folded = shape_with_ligatures(text)
    if _plainly_a_boundary(text, offset):
        assert offset in split_clusters(text, glyphs, folded).starts
