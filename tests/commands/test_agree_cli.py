"""`tui agree` as a user runs it: JSON figures, tables, filters, gold, and it never writes a database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main
from tui.store import Store

A = "Alpha Beta Gamma Delta Epsilon Zeta."
B = "Một hai ba bốn năm sáu bảy tám."


def _at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    with Store.open(path) as store:
        da, _ = store.add_document(A, title="first", language="und", direction="ltr")
        db_, _ = store.add_document(B, title="second", language="vi", direction="ltr")
        dc, _ = store.add_document("Nobody annotated this one.", title="third", language="und", direction="ltr")
        for ann in ("alice", "bob", "carol"):
            store.add_span(da, ann, "entity", *_at(A, "Alpha"))
        store.add_span(da, "alice", "entity", *_at(A, "Gamma"))
        store.add_span(da, "bob", "entity", *_at(A, "Gamma Delta"))
        store.add_span(da, "carol", "date", *_at(A, "Zeta"))
        store.add_span(db_, "alice", "date", *_at(B, "hai"))
        store.add_span(db_, "bob", "date", *_at(B, "hai"))
        store.set_status(db_, "carol", "done")  # carol read it and found nothing
        store.set_status(da, "alice", "done")
        store.set_status(db_, "alice", "done")
        store.set_status(da, "bob", "done")
    return path


def run(db: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(db), "agree", *args])


def test_json_figures(db: Path):
    result = run(db, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["annotators"] == ["alice", "bob", "carol"]
    rows = {(p["a"], p["b"], p["label"]): p for p in data["pairs"]}
    ab = rows["alice", "bob", "entity"]
    assert ab["documents"] == 2
    assert ab["exact_f1"] == pytest.approx(0.5)  # Alpha agreed, Gamma vs Gamma Delta not
    assert ab["overlap_f1"] == pytest.approx(1.0)
    assert rows["alice", "bob", "date"]["exact_f1"] == 1.0
    assert rows["alice", "bob", "*"]["exact_f1"] == pytest.approx(2 * 2 / 6)
    assert rows["alice", "bob", "*"]["kappa"] is None
    assert rows["alice", "carol", "date"]["exact_f1"] == 0.0  # carol's Zeta; alice's hai vs carol's nothing
    assert [label["label"] for label in data["labels"]] == ["entity", "claim", "date", "*"]
    assert data["labels"][0]["spans"] == 5
    assert [d["title"] for d in data["documents"]] == ["first", "second"]
    assert data["documents"][0] == {"doc_id": data["documents"][0]["doc_id"], "title": "first", "disagreement": 3}


def test_filters(db: Path):
    data = json.loads(run(db, "--json", "--label", "date", "--annotator", "alice", "--annotator", "bob").output)
    assert data["annotators"] == ["alice", "bob"]
    assert [(p["label"], p["exact_f1"]) for p in data["pairs"]] == [("date", 1.0), ("*", 1.0)]
    done = json.loads(run(db, "--json", "--status", "done").output)
    rows = {(p["a"], p["b"], p["label"]): p for p in done["pairs"]}
    assert rows["alice", "bob", "*"]["documents"] == 1  # bob's second document is in progress
    assert rows["alice", "carol", "*"]["documents"] == 1


def test_tables_on_a_terminal(db: Path):
    result = run(db)
    assert result.exit_code == 0, result.output
    for text in ("exact span F1", "alice", "carol", "Krippendorff", "documents to adjudicate first", "first"):
        assert text in result.output


def test_against_gold(db: Path):
    with Store.open(db) as store:
        doc = store.list_documents()[0].id
        store.add_span(doc, "gold", "entity", *_at(A, "Alpha"))
        store.add_span(doc, "gold", "entity", *_at(A, "Gamma"))
    data = json.loads(run(db, "--json", "--gold", "gold").output)
    assert data["gold"] == "gold" and data["annotators"] == ["alice", "bob", "carol"]
    rows = {(r["annotator"], r["label"]): r for r in data["rows"]}
    assert (rows["alice", "entity"]["exact_precision"], rows["alice", "entity"]["exact_recall"]) == (1.0, 1.0)
    assert rows["bob", "entity"]["exact_f1"] == pytest.approx(0.5)
    assert rows["bob", "entity"]["overlap_f1"] == pytest.approx(1.0)
    assert rows["carol", "entity"]["exact_recall"] == pytest.approx(0.5)
    assert "against gold" in run(db, "--gold", "gold").output
    assert "gold" not in json.loads(run(db, "--json").output)["annotators"]  # gold is not an annotator to compare


@pytest.mark.parametrize("args, message", [
    (("--label", "nope"), "unknown label 'nope'"),
    (("--annotator", "zed", "--annotator", "alice"), "no annotator 'zed'"),
    (("--annotator", "alice"), "at least two annotators"),
    (("--gold", "gold"), "tui merge --into gold"),
])
def test_bad_options_are_one_line(db: Path, args, message):
    result = run(db, *args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_never_creates_or_changes_a_database(tmp_path: Path, db: Path):
    missing = tmp_path / "missing.db"
    result = run(missing)
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not missing.exists()
    before = db.read_bytes()
    assert run(db, "--json").exit_code == 0
    assert db.read_bytes() == before


def test_hostile_names_never_reach_the_terminal_raw(tmp_path: Path):
    path = tmp_path / "h.db"
    with Store.open(path) as store:
        doc, _ = store.add_document(A, title="evil\x1b[31mtitle\u202e", language="und", direction="ltr")
        store.add_span(doc, "ann\x1b]0;pwned\x07", "entity", *_at(A, "Alpha"))
        store.add_span(doc, "[bold]bob", "entity", *_at(A, "Beta"))
    result = run(path)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output and "\x07" not in result.output
    assert "[bold]bob" in result.output
