"""Span edits as an annotator means them: snapping to words, moving an edge by a character or a
word, never leaving whitespace at an edge; the current span among several under the caret."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from tui.ui.span_edit import current_span, describe_edge, move_edge, snap_to_words

VI = "Tổng thống Nga Vladimir Putin hôm 5/2 đã đệ trình.\nĐoạn hai."
AR = "وعد الرئيس الروسي بوتين بالسلام.\nفقرة ثانية."


def test_resizing_never_puts_whitespace_at_an_edge():
    start = VI.index("Vladimir")
    end = VI.index(" hôm")
    new = move_edge(VI, start, end, "start", -1)  # [ on "Vladimir Putin"
    assert new is not None and VI[new[0]:new[1]] == "a Vladimir Putin"
    assert VI[new[0]:new[1]] == VI[new[0]:new[1]].strip()
    grown = move_edge(VI, start, end, "end", 1)  # } jumps the space: the next letter
    assert grown is not None and VI[grown[0]:grown[1]] == "Vladimir Putin h"


def test_word_resizing_moves_by_whole_words():
    start, end = VI.index("Vladimir"), VI.index(" Putin")
    assert VI.__getitem__(slice(*move_edge(VI, start, end, "end", 1, by_word=True))) == "Vladimir Putin"
    assert VI.__getitem__(slice(*move_edge(VI, start, end, "start", -1, by_word=True))) == "Nga Vladimir"
    wide = (VI.index("Nga"), VI.index(" hôm"))
    assert VI.__getitem__(slice(*move_edge(VI, *wide, "start", 1, by_word=True))) == "Vladimir Putin"
    assert VI.__getitem__(slice(*move_edge(VI, *wide, "end", -1, by_word=True))) == "Nga Vladimir"
    assert move_edge(VI, start, end, "end", -1, by_word=True) is None  # would vanish


def test_snapping_a_selection_takes_whole_words_and_drops_one_letter_into_the_next():
    # v b b e in the Arabic line: the selection stops one letter into "الروسي"
    start = AR.index("وعد")
    cut = AR.index("الروسي") + 1
    assert AR[slice(*snap_to_words(AR, start, cut))] == "وعد الرئيس"
    # a selection that cuts words in the middle takes them whole
    assert AR[slice(*snap_to_words(AR, AR.index("الرئيس") + 2, AR.index("بوتين") + 2))] == "الرئيس الروسي بوتين"
    # the trailing space of a vim selection is trimmed
    assert VI[slice(*snap_to_words(VI, VI.index("Putin"), VI.index("hôm")))] == "Putin"
    # never across a paragraph
    assert snap_to_words(VI, VI.index("trình") + 2, VI.index("\n") + 3)[1] <= VI.index("\n") + 5
    assert snap_to_words(VI, 0, 0) is None and snap_to_words(VI, 4, 5) is None  # a lone space


TEXTS = st.text(alphabet=st.sampled_from(list("ab cđ\u0301\u064e وع\n.,5")), min_size=1, max_size=40)


@given(TEXTS, st.data())
def test_snapping_keeps_offsets_exact_and_edges_clean(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    snapped = snap_to_words(text, start, end)
    if snapped is None:
        return
    s, e = snapped
    assert 0 <= s < e <= len(text)
    assert not text[s].isspace() and not text[e - 1].isspace()
    assert "\n" not in text[s:e] or "\n" in text[start:end]  # snapping adds no paragraph break


@given(TEXTS, st.data())
def test_moving_an_edge_never_leaves_whitespace_and_keeps_offsets_exact(text, data):
    stripped = [i for i, ch in enumerate(text) if not ch.isspace()]
    if not stripped:
        return
    start = data.draw(st.sampled_from(stripped))
    end = data.draw(st.sampled_from([i + 1 for i in stripped if i >= start]))
    edge = data.draw(st.sampled_from(["start", "end"]))
    step = data.draw(st.sampled_from([-1, 1]))
    by_word = data.draw(st.booleans())
    moved = move_edge(text, start, end, edge, step, by_word=by_word)
    if moved is None:
        return
    s, e = moved
    assert 0 <= s < e <= len(text) and (s, e) != (start, end)
    assert not text[s].isspace() and not text[e - 1].isspace()
    assert (e == end) if edge == "start" else (s == start)


@dataclass(frozen=True)
class S:
    id: int
    start: int
    end: int


def test_the_current_span_is_the_last_touched_else_the_innermost_and_a_key_cycles():
    date, entity, claim = S(1, 10, 13), S(2, 10, 13), S(3, 0, 40)
    spans = [claim, date, entity]
    assert current_span(spans, 11) in (date, entity)
    assert current_span(spans, 11, touched=entity.id) == entity  # e then x deletes the entity
    assert current_span(spans, 11, touched=entity.id, cycle=1) != entity
    assert {current_span(spans, 11, cycle=k).id for k in range(3)} == {1, 2, 3}
    assert current_span(spans, 20, touched=entity.id) == claim  # touched but not under the caret
    assert current_span(spans, 13) == claim  # the caret after "5/2" is still in the claim


def test_the_moving_edge_is_marked():
    assert describe_edge(VI, 15, 29, "start") == "▸Vladimir Putin"
    assert describe_edge(VI, 15, 29, "end") == "Vladimir Putin◂"


def test_growing_a_span_stops_at_the_end_of_its_paragraph():
    text = "Nga sắp phê duyệt hiệp ước tới đồng minh chủ chốt\n\nTheo thỏa thuận, Moscow"
    start = text.index("chốt")
    end = start + len("chốt")
    assert move_edge(text, start, end, "end", 1, by_word=True) is None
    assert move_edge(text, start, end, "end", 1) is None
    theo = text.index("Theo")
    assert move_edge(text, theo, theo + 4, "start", -1, by_word=True) is None
    assert move_edge(text, theo, theo + 4, "start", -1) is None
    # inside the paragraph both still move
    assert text[slice(*move_edge(text, start, end, "start", -1, by_word=True))] == "chủ chốt"
