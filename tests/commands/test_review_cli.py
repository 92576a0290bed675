"""`tui review`: opens the most disputed article (or the one named) for the gold annotator."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import tui.ui.app
from tui.cli import main
from tui.store import Store


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, str, str]:
    path = tmp_path / "team.db"
    with Store.open(path) as store:
        calm, _ = store.add_document("Alpha Beta Gamma.", title="calm", language="und", direction="ltr")
        hot, _ = store.add_document("Delta Epsilon Zeta.", title="hot", language="und", direction="ltr")
        for name in ("alice", "bob"):
            store.add_span(calm, name, "entity", 0, 5)
        store.add_span(hot, "alice", "entity", 0, 5)
        store.add_span(hot, "bob", "entity", 6, 13)
    return path, calm, hot


def run(monkeypatch, *args: str):
    seen: list[dict] = []
    monkeypatch.setattr(tui.ui.app, "run_app", lambda db, **kw: seen.append(kw) or 0)
    result = CliRunner().invoke(main, list(args))
    return result, seen


def test_opens_the_most_disputed_article_by_default(db, monkeypatch):
    path, _, hot = db
    result, seen = run(monkeypatch, "--db", str(path), "--annotator", "lead", "review")
    assert result.exit_code == 0, result.output
    assert seen[0]["review"] == (hot, []) and seen[0]["gold"] == "gold" and seen[0]["annotator"] == "lead"


def test_named_article_gold_and_annotators(db, monkeypatch):
    path, calm, _ = db
    result, seen = run(monkeypatch, "--db", str(path), "review", calm, "--gold", "adjudicated",
                       "--annotator", "alice", "--annotator", "bob")
    assert result.exit_code == 0, result.output
    assert seen[0]["review"] == (calm, ["alice", "bob"]) and seen[0]["gold"] == "adjudicated"


@pytest.mark.parametrize("args, message", [
    (("review", "nope"), "no document 'nope'"),
    (("review", "--annotator", "zed"), "no annotator 'zed'"),
])
def test_errors_are_one_line(db, monkeypatch, args, message):
    path, _, _ = db
    result, seen = run(monkeypatch, "--db", str(path), *args)
    assert result.exit_code == 1 and message in result.output and not seen


def test_missing_database(tmp_path, monkeypatch):
    result, seen = run(monkeypatch, "--db", str(tmp_path / "x.db"), "review")
    assert result.exit_code == 1 and "does not exist" in result.output and not (tmp_path / "x.db").exists()
