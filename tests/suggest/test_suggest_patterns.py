"""Pattern files: TSV and JSONL parsed into entries with keys, and any input either parses or
stops with one PatternError naming FILE:LINE (property test). Trial count: TUI_TRIALS (default 150)."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.suggest.patterns import PatternError, parse, to_jsonl, to_tsv

TRIALS = int(os.environ.get("TUI_TRIALS", "150"))
SETTINGS = settings(max_examples=TRIALS, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_tsv_with_comments_blank_lines_and_a_bom_free_text():
    entries = parse("# gazetteer\n\nHoà Bình\tplace\n  Vladimir Putin \t entity \n", "g.tsv")
    assert [(e.label, e.pattern, e.where) for e in entries] == [
        ("place", "Hoà Bình", "g.tsv:3"), ("entity", "Vladimir Putin", "g.tsv:4")]
    assert entries[0].key == parse("hòa bình\tplace\n", "x.tsv")[0].key  # folded alike


def test_jsonl_string_and_token_patterns_round_trip():
    lines = [to_jsonl("entity", "بوتين"), to_jsonl("entity", [{"lower": "new"}, {"lower": "york"}])]
    entries = parse("\n".join(lines), "p.jsonl")
    assert [(e.kind, e.pattern) for e in entries] == [("text", "بوتين"),
                                                       ("tokens", [{"lower": "new"}, {"lower": "york"}])]
    assert to_tsv("entity", [{"lower": "new"}, {"lower": "york"}]) == "new york\tentity"
    assert json.loads(lines[1]) == {"label": "entity", "pattern": [{"lower": "new"}, {"lower": "york"}]}


def test_a_file_without_an_extension_is_sniffed():
    assert parse('{"label": "x", "pattern": "Minsk"}\n', "patterns")[0].kind == "text"
    assert parse("Minsk\tplace\n", "gazetteer")[0].label == "place"


@SETTINGS
@given(st.text(max_size=200), st.sampled_from(["f.tsv", "f.jsonl", "f"]))
def test_any_input_parses_or_names_its_file_and_line(content, name):
    try:
        entries = parse(content, name)
    except PatternError as exc:
        message = str(exc)
        assert message.startswith(f"{name}:") and "\n" not in message
        line = int(message.split(":")[1])
        assert 1 <= line <= content.count("\n") + 1
    else:
        for entry in entries:
            assert entry.label and entry.key and any(ch.isalnum() for ch in entry.key)
