"""Export never writes invalid JSON or a span whose text does not match its offsets (fuzzed).

Hypothesis builds databases of random documents — hostile characters included: controls, NUL,
ESC sequences, bidi controls, line/paragraph separators, NEL, combining marks, astral emoji —
with random span sets from several annotators and random statuses, then exports them in both
formats. Every line must parse with json.loads (and the file must split into the same lines
with str.splitlines, which also breaks on U+2028/U+2029/U+0085), every span's text must equal
text[start:end], and the exported spans must be exactly the stored ones. A span whose stored
text was tampered with (or whose offsets were) makes the export refuse, naming the span, and
leaves no output file behind. TUI_FUZZ_EXAMPLES sets the number of examples (default 60).
"""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.support import env_int
from tui.cli import main
from tui.formats.errors import ExportError
from tui.formats.exporter import export_jsonl
from tui.store import Store

EXAMPLES = env_int("TUI_FUZZ_EXAMPLES", 60)
HOSTILE = list("\x00\x01\x07\x08\t\x0b\x0c\r\x1b\x7f\x85\x9b\x9d\xa0\xad\u2028\u2029\u200b\u200c\u200d\u200e\u200f"
               "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufffd\u0301\u0651\"\\/[]{}\n ")
WORDS = ["Putin", "Minsk", "بوتين", "بيلاروسيا", "Tổng", "thống", "5/2", "👨‍👩‍👧", "🇻🇳", "\x1b]52;c;eA==\x07",
         "[bold red]", "[@click=app.quit]", "e\u0301", "\u202eevil\u202c"]

characters = st.one_of(
    st.sampled_from(HOSTILE),
    st.characters(blacklist_categories=("Cs",)),  # anything but lone surrogates (never storable as UTF-8)
)
pieces = st.one_of(st.sampled_from(WORDS), st.text(characters, min_size=1, max_size=6))
documents = st.lists(pieces, min_size=1, max_size=40).map(" ".join).filter(lambda t: t.strip())


@st.composite
def corpora(draw):
    texts = draw(st.lists(documents, min_size=1, max_size=4, unique=True))
    spans = []
    for index, text in enumerate(texts):
        for _ in range(draw(st.integers(0, 8))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, min(len(text), start + 30)))
            if text[start:end].strip():
                spans.append((index, draw(st.sampled_from(["ann", "bob", "émilie"])),
                              draw(st.sampled_from(["entity", "claim", "date"])), start, end))
    statuses = draw(st.lists(st.tuples(st.integers(0, len(texts) - 1), st.sampled_from(["ann", "bob"]),
                                       st.sampled_from(["done", "skipped", "in_progress"])), max_size=3))
    return texts, spans, statuses


def _check_output(output: str, fmt: str, expected: dict) -> int:
    assert output == "" or output.endswith("\n")
    lines = output.split("\n")[:-1]
    assert output.splitlines() == lines, "a raw line separator inside a record splits the JSONL"
    exported = {}
    for line in lines:
        record = json.loads(line)
        text = record["text"]
        if fmt == "spacy":
            key = (record["meta"]["doc_id"], record["_annotator_id"])
            triples = []
            for span in record["spans"]:
                assert text[span["start"]:span["end"]] == span["text"]
                triples.append((span["start"], span["end"], span["label"]))
        else:
            key = (record["id"], record["annotator"])
            triples = [tuple(t) for t in record["label"]]
        assert all(0 <= s < e <= len(text) for s, e, _ in triples)
        exported[key] = sorted(triples)
    assert {k: v for k, v in exported.items() if v} == expected
    return len(lines)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_export_of_random_hostile_documents_is_valid_jsonl_with_exact_offsets(corpus):
    texts, spans, statuses = corpus
    with tempfile.TemporaryDirectory() as tmp:
        with Store.open(Path(tmp) / "fuzz.db") as store:
            ids = [store.add_document(text, title="t", language="und", direction="ltr")[0] for text in texts]
            for index, annotator, label, start, end in spans:
                try:
                    store.add_span(ids[index], annotator, label, start, end)
                except Exception as exc:  # only the exact duplicate is refused
                    assert "already has" in str(exc)
            for index, annotator, status in statuses:
                store.set_status(ids[index], annotator, status)
            expected: dict = {}
            for doc_id in ids:
                text = store.get_document(doc_id).text
                assert text == texts[ids.index(doc_id)], "the store rewrote the text"
                for span in store.spans(doc_id):
                    expected.setdefault((doc_id, span.annotator), []).append((span.start, span.end, span.label))
            expected = {k: sorted(v) for k, v in expected.items()}
            for fmt in ("spacy", "doccano"):
                out = io.StringIO()
                export_jsonl(store, out, fmt=fmt)
                _check_output(out.getvalue(), fmt, expected)


@pytest.mark.parametrize("tamper", ["text", "offsets"])
def test_export_refuses_a_tampered_span_and_names_it(tmp_path, tamper):
    db = tmp_path / "t.db"
    with Store.open(db) as store:
        doc_id, _ = store.add_document("Putin \u202emet\u202c Lukashenko in Minsk.", title="t", language="und",
                                       direction="ltr")
        store.add_span(doc_id, "ann", "entity", 0, 5)
        bad = store.add_span(doc_id, "ann", "entity", 20, 30)
    conn = sqlite3.connect(db)
    if tamper == "text":
        conn.execute("UPDATE spans SET text = 'Lukashenkx' WHERE id = ?", (bad.id,))
    else:
        conn.execute('UPDATE spans SET start = 21, "end" = 31 WHERE id = ?', (bad.id,))
    conn.commit()
    conn.close()
    with Store.open(db) as store, pytest.raises(ExportError, match=rf"span {bad.id}\b"):
        export_jsonl(store, io.StringIO())
    out = tmp_path / "train.jsonl"
    result = CliRunner().invoke(main, ["export", "--db", str(db), "-o", str(out), "--quiet"])
    assert result.exit_code == 1 and f"span {bad.id}" in result.output, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert not out.exists() and not list(tmp_path.glob(".train.jsonl.*")), "a partial export was left behind"
    # An existing export file is not replaced by a refused one.
    out.write_text("previous export\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["export", "--db", str(db), "-o", str(out), "--quiet"]).exit_code == 1
    assert out.read_text(encoding="utf-8") == "previous export\n"


def test_export_refuses_a_document_whose_text_was_edited(tmp_path):
    db = tmp_path / "d.db"
    with Store.open(db) as store:
        doc_id, _ = store.add_document("Putin met Lukashenko.", title="t", language="und", direction="ltr")
        store.add_span(doc_id, "ann", "entity", 0, 5)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE documents SET text = 'Xutin met Lukashenko.'")
    conn.commit()
    conn.close()
    result = CliRunner().invoke(main, ["export", "--db", str(db)])
    assert result.exit_code == 1 and doc_id in result.output and "sha256" in result.output
