"""`tui merge --into gold`: vote thresholds, idempotence, gold kept, per-label summary."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main
from tui.store import Store

TEXT = "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta."


def _at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "team.db"
    with Store.open(path) as store:
        doc, _ = store.add_document(TEXT, title="t", language="und", direction="ltr")
        votes = {"Alpha": ("alice", "bob", "carol"), "Beta": ("alice", "bob"), "Gamma": ("carol",),
                 "Delta": ("bob", "carol")}
        for word, names in votes.items():
            for name in names:
                store.add_span(doc, name, "entity", *_at(word))
        for name in ("alice", "bob", "carol"):
            store.add_span(doc, name, "date", *_at("Theta"))
        store.add_span(doc, "alice", "claim", *_at("Zeta"))
    return path, doc


def merge(path: Path, *args: str):
    return CliRunner().invoke(main, ["--db", str(path), "merge", *args])


def gold(path: Path, doc: str) -> list[tuple[str, str]]:
    with Store.open(path) as store:
        return sorted((s.label, s.text) for s in store.spans(doc, "gold"))


def test_default_needs_every_annotator(db):
    path, doc = db
    result = merge(path, "--into", "gold")
    assert result.exit_code == 0, result.output
    assert "added 2 spans to gold (at least 3 of 3: alice, bob, carol)" in result.output
    assert "entity: 1" in result.output and "date: 1" in result.output
    assert gold(path, doc) == [("date", "Theta"), ("entity", "Alpha")]


def test_min_votes_and_idempotence(db):
    path, doc = db
    first = merge(path, "--into", "gold", "--min-votes", "2").output
    assert "added 4 spans" in first and "entity: 3" in first and "date: 1" in first
    assert gold(path, doc) == [("date", "Theta"), ("entity", "Alpha"), ("entity", "Beta"), ("entity", "Delta")]
    again = merge(path, "--into", "gold", "--min-votes", "2")
    assert again.exit_code == 0 and "added 0 spans" in again.output
    assert len(gold(path, doc)) == 4
    assert "added 2 spans" in merge(path, "--into", "gold", "--min-votes", "1").output  # Gamma, Zeta


def test_existing_gold_is_kept(db):
    path, doc = db
    with Store.open(path) as store:
        store.add_span(doc, "gold", "entity", *_at("Eta"))  # an adjudicator's own decision
        store.add_span(doc, "gold", "entity", *_at("Alpha"))
    result = merge(path, "--into", "gold")
    assert "added 1 span to gold" in result.output  # only Theta: Alpha was there already
    assert gold(path, doc) == [("date", "Theta"), ("entity", "Alpha"), ("entity", "Eta")]


def test_annotator_and_label_filters(db):
    path, doc = db
    result = merge(path, "--into", "gold", "--annotator", "alice", "--annotator", "bob", "--label", "entity")
    assert "at least 2 of 2: alice, bob" in result.output
    assert gold(path, doc) == [("entity", "Alpha"), ("entity", "Beta")]


def test_dry_run_changes_nothing(db):
    path, doc = db
    before = path.read_bytes()
    result = merge(path, "--into", "gold", "--dry-run")
    assert result.exit_code == 0 and "would add 2 spans" in result.output
    assert path.read_bytes() == before


def test_merged_spans_are_ordinary_gold_rows_undone_in_one_step(db):
    path, doc = db
    merge(path, "--into", "gold", "--min-votes", "2")
    with Store.open(path) as store:
        events = [e for e in store.history(doc, "gold") if e.action == "add"]
        assert len(events) == 4 and all(e.after and e.after["source"] == "merge" for e in events)
        assert store.status(doc, "gold") == "in_progress"
        store.undo("gold", doc)
        assert store.spans(doc, "gold") == []


@pytest.mark.parametrize("args, message", [
    (("--into", "gold", "--min-votes", "4"), "more than the 3 annotators"),
    (("--into", "alice", "--annotator", "alice"), "gold cannot vote"),
    (("--label", "nope"), "unknown label"),
    (("--annotator", "zed"), "no annotator 'zed'"),
])
def test_bad_options_are_one_line(db, args, message):
    path, _ = db
    result = merge(path, *args)
    assert result.exit_code == 1 and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_database_is_not_created(tmp_path: Path):
    result = merge(tmp_path / "none.db", "--into", "gold")
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not (tmp_path / "none.db").exists()
