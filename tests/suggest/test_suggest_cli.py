"""`tui suggest` and `tui patterns` as a user types them (click's CliRunner): JSON lines with exact
offsets, filters, --apply storing candidates (never spans), patterns import all-or-nothing with
FILE:LINE errors, export that imports back, and the span_texts counts the triggers keep."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui import cli
from tui.store import Store

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def run(*args: str):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "s.db"
    assert run("--db", str(path), "import", str(SEEDS), "-q").exit_code == 0
    return path


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def docs(path: Path) -> dict[str, str]:
    with Store.open(path) as store:
        return {d.id: store.get_document(d.id).text for d in store.list_documents()}


def tag(path: Path, doc_id: str, needle: str, label: str = "entity", annotator: str = "alice") -> None:
    with Store.open(path) as store:
        text = store.get_document(doc_id).text
        start = text.index(needle)
        store.add_span(doc_id, annotator, label, start, start + len(needle))


def test_dates_are_printed_as_json_lines_with_exact_offsets(db):
    result = run("--db", str(db), "suggest", "--source", "dates")
    assert result.exit_code == 0, result.output
    found = lines(result.output)
    texts = docs(db)
    assert {"hôm 5/2", "tháng 12/2024", "21 تشرين الثاني/نوفمبر", "يوم الأربعاء"} <= {s["text"] for s in found}
    for s in found:
        assert set(s) == {"doc_id", "start", "end", "label", "text", "source"}
        assert texts[s["doc_id"]][s["start"]:s["end"]] == s["text"]
        assert s["label"] == "date" and s["source"] == "dates"


def test_a_tagged_name_is_suggested_across_the_corpus_with_proclitics_outside(db):
    texts = docs(db)
    arabic = [d for d, t in texts.items() if "بوتين" in t]
    tag(db, arabic[0], "بوتين")
    found = lines(run("--db", str(db), "suggest", "--source", "propagate").output)
    assert found and {s["text"] for s in found} == {"بوتين"}
    assert {s["doc_id"] for s in found} == set(arabic)
    for s in found:
        text = texts[s["doc_id"]]
        assert text[s["start"]:s["end"]] == "بوتين"
        before = text[s["start"] - 2:s["start"]] if s["start"] >= 2 else ""
        assert before[-1:] in ("", " ", "و", "ب", "ل", "ف", "ك", "\n", "“")
    # the tagged occurrence itself is not suggested again
    with Store.open(db) as store:
        [span] = store.spans(arabic[0])
    assert (arabic[0], span.start) not in {(s["doc_id"], s["start"]) for s in found}


def test_filters_by_document_label_and_source(db):
    doc_id = next(iter(docs(db)))
    found = lines(run("--db", str(db), "suggest", "--doc", doc_id, "--label", "date").output)
    assert found and {s["doc_id"] for s in found} == {doc_id} and {s["label"] for s in found} == {"date"}
    assert lines(run("--db", str(db), "suggest", "--label", "claim", "--source", "dates").output) == []


def test_bad_options_are_one_line_errors(db, tmp_path):
    for args, message in [
        (("suggest", "--doc", "nope"), "no document with id 'nope'"),
        (("suggest", "--label", "nope"), "unknown label 'nope'"),
        (("suggest", "--apply"), "--apply needs --annotator"),
    ]:
        result = run("--db", str(db), *args)
        assert result.exit_code != 0 and message in result.output, result.output
        assert "Traceback" not in result.output
    result = run("--db", str(tmp_path / "missing.db"), "suggest")
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not (tmp_path / "missing.db").exists()


def test_apply_stores_candidates_for_the_annotator_never_spans(db):
    doc_id = next(d for d, t in docs(db).items() if "hôm 5/2" in t)
    result = run("--db", str(db), "suggest", "--doc", doc_id, "--source", "dates", "--apply", "--annotator", "bob")
    assert result.exit_code == 0, result.output
    printed = lines(result.output)
    with Store.open(db) as store:
        assert store.spans(doc_id) == []
        pending = store.candidates(doc_id, "bob", ["suggest:dates"])
        assert {(c.start, c.end, c.label) for c in pending} == {(s["start"], s["end"], s["label"]) for s in printed}
        first = pending[0]
        store.reject_candidate("bob", first)
    # a rejected suggestion is not suggested to bob again, and not stored twice
    again = lines(run("--db", str(db), "suggest", "--doc", doc_id, "--source", "dates", "--annotator", "bob").output)
    assert (first.start, first.end) not in {(s["start"], s["end"]) for s in again}
    assert len(again) == len(printed) - 1


def test_the_model_source_without_a_model_says_so_and_the_rest_runs(db, monkeypatch):
    import tui.suggest.models as models

    monkeypatch.setattr(models, "available", lambda: [])
    result = CliRunner().invoke(cli.main, ["--db", str(db), "suggest", "--source", "model",
                                                           "--source", "dates"])
    assert result.exit_code == 0
    assert "no offline model is installed" in result.stderr
    assert {s["source"] for s in lines(result.stdout)} == {"dates"}


# ------------------------------------------------------------------------------- patterns

def test_patterns_import_tsv_and_jsonl_then_suggest_and_export(db, tmp_path):
    tsv = tmp_path / "g.tsv"
    tsv.write_text("# places\nMinsk\tplace\nMoskva\tentity\n\n", encoding="utf-8")
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text(json.dumps({"label": "entity", "pattern": [{"lower": "vladimir"}, {"LOWER": "putin"}]}) + "\n"
                     + json.dumps({"label": "entity", "pattern": "الكرملين", "id": "x"}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    result = run("--db", str(db), "patterns", "import", str(tsv), str(jsonl))
    assert result.exit_code == 0, result.output
    assert "4 patterns added" in result.output
    found = lines(run("--db", str(db), "suggest", "--source", "patterns").output)
    assert {"Minsk", "Moskva", "Vladimir Putin"} <= {s["text"] for s in found}
    assert {s["label"] for s in found if s["text"] == "Minsk"} == {"place"}  # a new label was added
    exported = run("--db", str(db), "patterns", "export").output
    rows = [json.loads(line) for line in exported.splitlines()]
    assert {"label": "entity", "pattern": [{"lower": "vladimir"}, {"lower": "putin"}]} in rows
    assert {"label": "place", "pattern": "Minsk"} in rows
    # export imports back: nothing new
    again = tmp_path / "again.jsonl"
    again.write_text(exported, encoding="utf-8")
    assert "0 patterns added, 4 already there" in run("--db", str(db), "patterns", "import", str(again)).output
    tsv_out = run("--db", str(db), "patterns", "export", "--format", "tsv").output
    assert "Minsk\tplace" in tsv_out


@pytest.mark.parametrize("name, content, message", [
    ("bad.tsv", "Minsk\tplace\nno tab here\n", "bad.tsv:2: expected TEXT<TAB>LABEL"),
    ("bad.tsv", "Minsk\t\n", "bad.tsv:1: the label after the tab is empty"),
    ("bad.tsv", "Minsk\tpl\x1bace\n", "bad.tsv:1: the label 'pl\\x1bace' contains control"),
    ("bad.jsonl", '{"label": "x", "pattern": "a"}\n{"label": 1, "pattern": "b"}\n', 'bad.jsonl:2: "label" must be'),
    ("bad.jsonl", '{"label": "x", "pattern": [{"shape": "dd"}]}\n', "bad.jsonl:1: token 1: 'shape' is not supported"),
    ("bad.jsonl", '{"label": "x", "pattern": "a"}\n{oops\n', "bad.jsonl:2: not valid JSON"),
    ("bad.jsonl", '{"label": "x", "pattern": "..."}\n', "bad.jsonl:1: the pattern '...' has no letters"),
])
def test_a_bad_pattern_file_stops_the_import_naming_file_and_line_and_stores_nothing(db, tmp_path, name,
                                                                                    content, message):
    good = tmp_path / "good.tsv"
    good.write_text("Minsk\tplace\n", encoding="utf-8")
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    result = run("--db", str(db), "patterns", "import", str(good), str(bad))
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    with Store.open(db) as store:
        assert store.patterns() == []
        assert "place" not in {label.name for label in store.labels()}


def test_invalid_utf8_names_the_line(db, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"Minsk\tplace\n\xff\tentity\n")
    result = run("--db", str(db), "patterns", "import", str(bad))
    assert result.exit_code == 1 and "bad.tsv:2: not valid UTF-8" in result.output


# ---------------------------------------------------------------------------- span_texts

def test_span_texts_count_every_tagged_string_whatever_writes_it(db):
    doc_id = next(d for d, t in docs(db).items() if "Belarus" in t)
    with Store.open(db) as store:
        text = store.get_document(doc_id).text
        start = text.index("Belarus")
        a = store.add_span(doc_id, "alice", "entity", start, start + 7)
        store.add_span(doc_id, "bob", "entity", start, start + 7)
        store.relabel_span(a.id, "claim", "alice")
        counts = dict(((t, l), n) for t, l, n in store.connection.execute("SELECT text, label, n FROM span_texts"))
        assert counts == {("Belarus", "entity"): 1, ("Belarus", "claim"): 1}
        store.delete_span(a.id, "alice")
        store.undo("alice", doc_id)
        store.undo("alice", doc_id)
        counts = dict(((t, l), n) for t, l, n in store.connection.execute("SELECT text, label, n FROM span_texts"))
        assert counts == {("Belarus", "entity"): 2}


def test_the_model_source_with_a_model_installed(db, monkeypatch):
    import tui.suggest.models as models

    def fake(text: str, language: str):
        start = text.find("Lukashenko")
        if start >= 0 and language == "vi":
            yield start, start + len("Lukashenko"), "entity"

    monkeypatch.setattr(models, "load", lambda: fake)
    found = lines(run("--db", str(db), "suggest", "--source", "model").output)
    assert found and {(s["text"], s["source"]) for s in found} == {("Lukashenko", "model")}


def test_a_read_only_database_still_gets_propagation(db):
    from tui.suggesting import Suggester

    texts = docs(db)
    doc_id = next(d for d, t in texts.items() if "Lukashenko" in t)
    tag(db, doc_id, "Lukashenko")  # not keyed yet: a read-only store keys it in memory
    with Store.open(db, readonly=True) as store:
        found = Suggester(store).for_document(doc_id, sources=["propagate"])
        assert store.unkeyed_span_texts()  # nothing was written
    assert found and {s.text for s in found} == {"Lukashenko"}
    assert all(texts[doc_id][s.start:s.end] == "Lukashenko" for s in found)
