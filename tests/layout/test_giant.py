"""Giant paragraphs (a document that is one multi-megabyte line): prepared block by block, lazily,
so the first screen needs only the first block; every layout invariant still holds across blocks;
blocks are cut where the approximation changes nothing (outside embeddings, isolates and bracket
pairs, preferably after a sentence). Trial count: TUI_TRIALS (default 150 per property)."""

from __future__ import annotations

from unittest import mock

import pytest

from hypothesis import given
from hypothesis import strategies as st

from tests.layout.invariants import check_layout
from tests.layout.strategies import SETTINGS, doc_text, options
from tui.layout import DocumentLayout, LayoutOptions, engine, giant

ARABIC = "\u0648\u0642\u0639 \u0627\u0644\u0631\u0626\u064a\u0633 \u0627\u0644\u0631\u0648\u0633\u064a"
UNIT = f"T\u1ed5ng th\u1ed1ng Putin k\u00fd hi\u1ec7p \u01b0\u1edbc (2024). {ARABIC} \u0645\u0639\u0627\u0647\u062f\u0629. "


def _counting_prepare(calls: list[int]):
    real = engine.prepare

    def spy(text, *args):
        calls.append(len(text))
        return real(text, *args)

    return spy


ARABIC_UNIT = ("\u0642\u0627\u0644 \u0628\u0648\u062a\u064a\u0646 (\u0661\u0662) \u0625\u0646 "
               "\u0627\u0644\u0648\u062b\u064a\u0642\u0629 \u062c\u062f\u064a\u062f\u0629. ")


@pytest.mark.parametrize("unit, size, rtl", [(UNIT, 2_000_000, False), (ARABIC_UNIT, 1_000_000, True)],
                         ids=["mixed-2MB", "arabic-1MB"])
def test_first_screen_of_a_huge_single_line_prepares_only_its_first_block(monkeypatch, unit, size, rtl):
    text = unit * (size // len(unit.encode()) + 1)
    assert "\n" not in text and len(text.encode()) >= size
    engine._PREPARED_CACHE.clear()
    calls: list[int] = []
    monkeypatch.setattr(engine, "prepare", _counting_prepare(calls))
    layout = DocumentLayout(text, 80)
    first = layout.line(0)
    assert calls and len(calls) == 1 and calls[0] <= giant.GIANT_PARAGRAPH
    assert first.start == 0 and first.rtl is rtl
    for y in range(1, 24):  # the rest of the first screen comes from the same block
        assert layout.line(y).start == layout.line(y - 1).end
    assert len(calls) == 1
    assert sum(calls) < len(text) // 20  # most of the text untouched
    assert layout.paragraph_count == 1


def test_caret_deep_in_a_giant_paragraph_prepares_the_blocks_up_to_it_only(monkeypatch):
    monkeypatch.setattr(giant, "GIANT_PARAGRAPH", 2000)
    text = UNIT * 400  # ~28,000 characters: about 20 blocks
    calls: list[int] = []
    monkeypatch.setattr(engine, "prepare", _counting_prepare(calls))
    layout = DocumentLayout(text, 40)
    y, x = layout.position_of(len(text) // 2)
    assert layout.offset_at(y, x) <= len(text) // 2 < layout.line(y).end
    assert sum(calls) <= len(text) // 2 + 2000


def test_blocks_show_every_offset_once_and_end_their_lines(monkeypatch):
    monkeypatch.setattr(giant, "GIANT_PARAGRAPH", 200)
    text = (UNIT * 30).rstrip() + "\n" + UNIT + "\n" + UNIT * 20
    for width in (7, 33, 80):
        layout = DocumentLayout(text, width)
        check_layout(layout)
        ends = {block.end for block in layout._blocks if not block.terminated}
        assert ends and ends <= {line.end for line in (layout.line(y) for y in range(layout.line_count))}
    assert [line.paragraph for line in (layout.line(0), layout.line(layout.line_count - 1))] == [0, 2]


def _levels_by_offset(layout: DocumentLayout) -> dict[int, int]:
    """Level of each non-blank cell (blank cells may differ by L1 at the different line ends)."""
    return {cell.start: cell.level for y in range(layout.line_count) for cell in layout.line(y).cells
            if cell.text.strip()}


def test_blocks_cut_between_sentences_resolve_as_the_whole_paragraph(monkeypatch):
    text = ("\u0642\u0627\u0644 \u0628\u0648\u062a\u064a\u0646 (NATO 2024) \u0625\u0646 "
            "\u0627\u0644\u0648\u062b\u064a\u0642\u0629 12.5% \u062c\u062f\u064a\u062f\u0629. ") * 60
    whole = _levels_by_offset(DocumentLayout(text, 60))
    for direction in ("auto", "rtl", "ltr"):
        whole = _levels_by_offset(DocumentLayout(text, 60, LayoutOptions(direction=direction)))
        with mock.patch.object(giant, "GIANT_PARAGRAPH", 300):
            layout = DocumentLayout(text, 60, LayoutOptions(direction=direction))
            chunked = _levels_by_offset(layout)
            assert len(layout._blocks) > 5
            assert all(line.rtl == (direction != "ltr") for line in (layout.line(y) for y in range(layout.line_count)))
        assert chunked == whole


def test_a_block_after_a_paragraph_separator_continues_its_direction(monkeypatch):
    """U+2029 inside a line starts a new UAX #9 paragraph (here right-to-left) that later blocks
    of the giant paragraph continue."""
    text = "abc def. " * 20 + "\u2029" + "\u0645\u0631\u062d\u0628\u0627 \u0628\u0643 123. " * 40
    whole = _levels_by_offset(DocumentLayout(text, 50))
    monkeypatch.setattr(giant, "GIANT_PARAGRAPH", 100)
    layout = DocumentLayout(text, 50)
    assert _levels_by_offset(layout) == whole
    assert len(layout._blocks) > 5


def test_split_prefers_sentences_outside_embeddings_isolates_and_brackets():
    sentence = "word word word. "
    text = sentence * 20
    cut = giant.split_point(text, 0, len(text), 100)
    assert 50 < cut <= 100 and text[cut - 2:cut] == ". " and cut == 96
    for opener, closer in [("\u2067", "\u2069"), ("\u202b", "\u202c"), ("\u202e", "\u202c")]:
        embedded = "a " * 20 + opener + "b. " * 15 + closer + " tail " + "c " * 100
        cut = giant.split_point(embedded, 0, len(embedded), 100)
        assert cut > embedded.index(closer) and embedded[cut - 1] == " ", (opener, cut)
        inside = "a " * 20 + opener + "b. " * 60 + closer + " c" * 50  # nothing safe: a space
        cut = giant.split_point(inside, 0, len(inside), 100)
        assert 50 < cut <= 100 and inside[cut - 1] == " " and inside[cut] != " "
    bracketed = "x " * 20 + "(" + "y " * 15 + ") z " + "w " * 100
    cut = giant.split_point(bracketed, 0, len(bracketed), 100)
    assert cut > bracketed.index(")"), cut
    long_pair = "x " * 30 + "(" + "y " * 30 + ") z. " + "w " * 100  # closes after the window
    cut = giant.split_point(long_pair, 0, len(long_pair), 100)
    assert cut == long_pair.index("("), cut
    stray = "x " * 30 + "(" + "y " * 100  # an opener never closed: still cut at a space
    cut = giant.split_point(stray, 0, len(stray), 100)
    assert stray[cut - 1] == " " and stray[cut] != " "


def test_split_without_spaces_is_a_cluster_boundary():
    lam_alef = "\u0644\u0627"
    text = ("\u0628\u064e" + lam_alef + "a\u200db") * 50
    for limit in range(10, 60):
        cut = giant.split_point(text, 0, len(text), limit)
        assert limit // 2 < cut <= limit
        assert text[cut] not in "\u064e\u0627\u200d" and text[cut - 1] != "\u200d"
        check_layout_at = DocumentLayout(text, 9)
        assert check_layout_at.line(0).cells


def test_paragraph_level_reads_only_as_far_as_its_first_strong_character():
    text = "1234 " * 3000 + "\u0627\u0628 abc"
    assert giant.paragraph_level(text, 0, len(text)) == 1
    assert giant.paragraph_level("\u2067\u0627\u2069 " * 2000 + "abc", 0, 10_003) == 0
    assert giant.paragraph_level("123 " * 2000, 0, 8000) == 0
    assert giant.paragraph_level("123\u2029\u0627", 0, 5) == 0


@SETTINGS
@given(doc_text, st.integers(1, 30), options, st.integers(2, 12))
def test_invariants_hold_across_blocks_of_giant_paragraphs(text, width, opts, limit):
    """The property test of test_properties.py with the giant-paragraph threshold made tiny, so
    that most paragraphs are cut into blocks (embeddings, brackets, marks, ZWJ, controls...)."""
    with mock.patch.object(giant, "GIANT_PARAGRAPH", limit):
        layout = DocumentLayout(text, width, opts)
        check_layout(layout)
        layout.resize(width + 7)
        check_layout(layout)
        starts = sorted({cell.start for y in range(layout.line_count) for cell in layout.line(y).cells})
        for offset in starts[::3]:
            for move in (layout.move_left, layout.move_right, layout.word_left, layout.word_right,
                         layout.line_home, layout.line_end):
                target = move(offset)
                assert layout.offset_at(*layout.position_of(target)) == target


@SETTINGS
@given(st.text(st.sampled_from("ab \t\u00a0\u3000\u0627\n"), max_size=300), st.data())
def test_word_edges_found_in_windows_equal_a_character_scan(text, data):
    from tui.layout.movement import _SPACE_RE, _NON_SPACE_RE, _run_start

    i = data.draw(st.integers(0, len(text)))
    naive = i
    while naive > 0 and not text[naive - 1].isspace():
        naive -= 1
    assert _run_start(text, i, _SPACE_RE) == naive
    naive = i
    while naive > 0 and text[naive - 1].isspace():
        naive -= 1
    assert _run_start(text, i, _NON_SPACE_RE) == naive


def test_word_jumps_in_a_giant_word_do_not_walk_it_character_by_character():
    text = "x" * 3_000_000 + " end"
    layout = DocumentLayout(text, 80)
    assert layout.word_right(100) == 3_000_001
    assert layout.word_left(3_000_001) == 0
    assert layout.word_at(100) == (0, 3_000_000)
