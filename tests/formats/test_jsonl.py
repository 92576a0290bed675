"""Reading Prodigy/spaCy and doccano JSONL: every form accepted, every mistake named by file:line."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.formats import FormatError
from tui.formats.jsonl import parse_record, read_jsonl

TEXT = "Tổng thống Putin ký hiệp ước ngày 6/12/2024."


def write_lines(path: Path, *lines: str | bytes) -> Path:
    with open(path, "wb") as handle:
        for line in lines:
            handle.write(line if isinstance(line, bytes) else line.encode("utf-8"))
            handle.write(b"\n")
    return path


def test_the_three_record_forms_give_the_same_spans(tmp_path):
    putin = (TEXT.index("Putin"), TEXT.index("Putin") + 5)
    date = (TEXT.index("6/12"), TEXT.index("6/12") + 9)
    path = write_lines(
        tmp_path / "forms.jsonl",
        json.dumps({"text": TEXT, "spans": [{"start": putin[0], "end": putin[1], "label": "entity", "text": "Putin"},
                                            {"start": date[0], "end": date[1], "label": "date"}]}),
        "",
        json.dumps({"id": 7, "text": TEXT, "label": [[putin[0], putin[1], "entity"], [date[0], date[1], "date"]]}),
        json.dumps({"text": TEXT, "entities": [{"id": 1, "start_offset": putin[0], "end_offset": putin[1],
                                                "label": "entity"},
                                               {"id": 2, "start_offset": date[0], "end_offset": date[1],
                                                "label": "date"}]}),
    )
    docs = list(read_jsonl(path))
    assert [d.line for d in docs] == [1, 3, 4]
    assert [d.meta["import"]["format"] for d in docs] == ["spacy", "doccano", "doccano"]
    for doc in docs:
        assert [(s.start, s.end, s.label) for s in doc.spans] == [(*putin, "entity"), (*date, "date")]
        assert doc.text == TEXT and doc.language == "vi" and doc.direction == "ltr"
        assert doc.title == TEXT
    assert docs[1].meta["source_meta"] == {"source_id": 7}


def test_meta_gives_title_language_and_status():
    record = {"text": "Xin chào\nthế giới", "spans": [], "meta": {"title": "Lời chào", "lang": "vi-VN",
                                                                   "status": "in_progress", "url": "https://x"},
              "answer": "ignore"}
    doc = parse_record(record, path="f.jsonl", line=3)
    assert (doc.title, doc.language, doc.status) == ("Lời chào", "vi-VN", "in_progress")
    assert doc.meta["source_meta"]["url"] == "https://x"
    assert parse_record({"text": "x y", "answer": "accept"}, path="f", line=1).status == "done"
    assert parse_record({"text": "x y", "answer": "reject"}, path="f", line=1).status == "skipped"
    assert parse_record({"text": "x y"}, path="f", line=1).status is None
    assert parse_record({"text": "x y"}, path="f", line=1, language="ar").language == "ar"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"text": "abc", "spans": [', "bad JSON: Expecting value (column 27)"),
        (b'["text"]', "expected a JSON object, got list (JSONL needs one object per line, not an array)"),
        (b'{"spans": []}', 'the record has no "text"'),
        (b'{"text": 5}', '"text" must be a string, got int'),
        (b'{"text": ""}', "text is empty"),
        (b'{"text": "   "}', "text is empty"),
        (b'{"text": "abc", "spans": {}}', '"spans" must be a list'),
        (b'{"text": "abc", "spans": [{"start": 0, "end": 2}]}', 'span 1 has no "label"'),
        (b'{"text": "abc", "spans": [{"start": "0", "end": 2, "label": "x"}]}', "must be integers"),
        (b'{"text": "abc", "spans": [{"start": 0.0, "end": 2, "label": "x"}]}', "must be integers"),
        (b'{"text": "abc", "spans": [{"start": true, "end": 2, "label": "x"}]}', "must be integers"),
        (b'{"text": "abc", "spans": [{"start": 0, "end": 2, "label": ""}]}', "non-empty string"),
        (b'{"text": "abc", "spans": [{"start": 0, "end": 2, "label": 3}]}', "non-empty string"),
        (b'{"text": "abc", "spans": [{"start": -1, "end": 2, "label": "x"}]}', "start -1 is negative"),
        (b'{"text": "abc", "spans": [{"start": 2, "end": 2, "label": "x"}]}', "end 2 is not after start 2"),
        (b'{"text": "abc", "spans": [{"start": 2, "end": 1, "label": "x"}]}', "end 1 is not after start 2"),
        (b'{"text": "abc", "spans": [{"start": 0, "end": 9, "label": "x"}]}', "past the end of the text (length 3)"),
        (b'{"text": "abc", "spans": [{"start": 0, "end": 2, "label": "x", "text": "bc"}]}', "does not match"),
        (b'{"text": "a c", "spans": [{"start": 1, "end": 2, "label": "x"}]}', "covers only whitespace"),
        (b'{"text": "abc", "label": [[0, 2]]}', 'must be [start, end, "LABEL"]'),
        (b'{"text": "abc", "label": ["positive"]}', 'must be [start, end, "LABEL"]'),
        (b'{"text": "abc", "entities": [{"start_offset": 0, "label": "x"}]}', 'entity 1 has no "end_offset"'),
        (b'{"text": "abc", "spans": [], "label": []}', "use one form"),
        (b'{"text": "abc", "meta": []}', '"meta" must be an object'),
        (b'{"text": "a\\ud800b"}', "lone surrogate U+D800 at offset 1"),
        (b'{"text": "a\\u0000b"}', "NUL character at offset 1"),
        (b'{"text": "ab", "spans": [{"start": 0, "end": 1, "label": "\\udfff"}]}', "lone surrogate"),
        (b'{"text": "caf\xe9"}', "invalid UTF-8 (byte 0xe9 at column 14)"),
        (b'{"text": "' + b"[" * 100_000 + b'"}', None),  # fine: just a string of brackets
        (b"[" * 100_000, "bad JSON"),
    ],
)
def test_each_mistake_is_named_with_file_and_line(tmp_path, line, reason):
    good = json.dumps({"text": "fine line", "spans": []}).encode()
    path = write_lines(tmp_path / "bad.jsonl", good, b"", line, good)
    if reason is None:
        assert len(list(read_jsonl(path))) == 3
        return
    with pytest.raises(FormatError) as info:
        list(read_jsonl(path))
    assert str(info.value).startswith(f"{path}:3: ")
    assert reason in str(info.value)
    assert info.value.line == 3


def test_a_json_array_file_gets_a_hint(tmp_path):
    path = write_lines(tmp_path / "array.json", "[", json.dumps({"text": "abc"}) + ",", "]")
    with pytest.raises(FormatError, match="array.json:1: bad JSON.*JSON array\\? JSONL needs one JSON object per line"):
        list(read_jsonl(path))


def test_a_bom_on_the_first_line_is_ignored(tmp_path):
    path = write_lines(tmp_path / "bom.jsonl", b"\xef\xbb\xbf" + json.dumps({"text": "abc"}).encode())
    assert [d.text for d in read_jsonl(path)] == ["abc"]


def test_decomposed_text_is_stored_nfc_and_spans_cover_the_same_characters():
    text = unicodedata.normalize("NFD", "Thủ đô Hà Nội của Việt Nam")
    start, end = text.index("H"), text.index(unicodedata.normalize("NFD", " của"))
    viet = text.index("Vi")
    doc = parse_record({"text": text, "spans": [{"start": start, "end": end, "label": "entity"},
                                                {"start": viet, "end": len(text), "label": "entity"}]},
                       path="nfd.jsonl", line=1)
    assert doc.text == "Thủ đô Hà Nội của Việt Nam"
    assert [doc.text[s.start:s.end] for s in doc.spans] == ["Hà Nội", "Việt Nam"]
    assert doc.meta["normalised"] == ["normalised to NFC"]


@settings(max_examples=150, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["text", "spans", "label", "entities", "meta", "start", "end", "answer"]),
                        inner, max_size=4),
                    max_leaves=12))
def test_any_json_value_is_accepted_or_refused_with_a_reason(value):
    """The parser never crashes: any JSON gives a document or a FormatError naming the line."""
    try:
        doc = parse_record(value, path="fuzz.jsonl", line=9)
    except FormatError as exc:
        assert str(exc).startswith("fuzz.jsonl:9: ")
    else:
        assert doc.text.strip()
        for span in doc.spans:
            assert 0 <= span.start < span.end <= len(doc.text)
