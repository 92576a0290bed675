"""The one boundary for untrusted strings (tui.safe_text): nothing hidden reaches a terminal."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tui.safe_text import (
    escape_json_for_terminal, is_safe, label_key_problem, label_name_problem, safe_repr, safe_text,
)

HOSTILE = "a\x1b]52;c;aGk=\x07b\u202ec\u2066d\x00e\x85f\u2028g[bold red]h\x9b2J\x7f\U000e0041\ue000\U0010ffff"


def _inert(text: str) -> bool:
    return all(
        unicodedata.category(ch)[0] != "C" and unicodedata.category(ch) not in ("Zl", "Zp") for ch in text
    )


def test_every_hidden_character_becomes_one_visible_placeholder():
    shown = safe_text(HOSTILE)
    assert _inert(shown)
    assert len(shown) == len(HOSTILE)  # one placeholder per character: nothing silently dropped
    assert "\u241b" in shown and "\u2400" in shown and "\u205e" in shown and "\u2421" in shown
    assert "[bold red]" in shown  # markup is not escaped: safe text is drawn as Text, never as markup


def test_plain_text_is_returned_as_it_is():
    for text in ("entity", "Việt Nam", "وعد الرئيس", "日本語", "e\u0301"):
        assert safe_text(text) == text and is_safe(text)


def test_a_limit_is_in_terminal_cells_and_ends_with_an_ellipsis():
    assert safe_text("abcdefgh", 5) == "abcd…"
    assert safe_text("日本語日本語", 5) == "日本…"
    assert safe_text("abc", 3) == "abc"
    assert safe_text("x" * 10_000_000, 10) == "x" * 9 + "…"


def test_any_value_is_shown_and_the_boundary_never_raises():
    class Broken:
        def __str__(self):
            raise RuntimeError("no")

    assert safe_text(None) == ""
    assert safe_text(42) == "42"
    assert safe_text(Broken()) == "?"
    assert safe_repr("a\x1bb") == "“a\u241bb”"


@given(st.text())
def test_nothing_hidden_survives_any_string(text):
    shown = safe_text(text)
    assert _inert(shown) and len(shown) == len(text)


@given(st.text(), st.integers(min_value=0, max_value=50))
def test_a_cut_string_fits_its_limit(text, limit):
    from rich.cells import cell_len

    assert cell_len(safe_text(text, limit)) <= limit


def test_label_names_must_be_printable_and_short():
    assert label_name_problem("entity") is None
    assert label_name_problem("tên riêng") is None
    assert label_name_problem("[/]") is None  # odd but printable: shown as text, never markup
    for bad in ("", "  ", "\x1b[2JX", "a\u202eb", "x" * 41, " lead", "a\nb", 3, "a  b", "a\u00a0b", "a\u3000b"):
        assert label_name_problem(bad), bad


def test_label_keys_are_one_visible_character():
    assert label_key_problem("e") is None and label_key_problem("đ") is None
    for bad in ("", "ab", " ", "\x1b", ",", "\u202e", "日"):
        assert label_key_problem(bad), bad


@given(st.text())
def test_json_escaped_for_a_terminal_is_the_same_value_and_inert(text):
    line = json.dumps({"text": text, "meta": {"k": text}}, ensure_ascii=False) + "\n"
    escaped = escape_json_for_terminal(line)
    assert escaped.endswith("\n") and escaped.count("\n") == 1
    assert json.loads(escaped) == json.loads(line)
    assert _inert(escaped[:-1])


def test_json_without_hidden_characters_is_unchanged():
    line = json.dumps({"text": "Việt Nam وعد"}, ensure_ascii=False) + "\n"
    assert escape_json_for_terminal(line) is line
    assert escape_json_for_terminal('{"t": "\x9b"}\n') == '{"t": "\\u009b"}\n'
