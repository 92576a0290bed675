"""`tui labels links`: list, add and change link labels; each edit is an event; the app picks them up."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tui import cli
from tui.store import Store

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("USER", "lead")
    path = tmp_path / "team.db"
    assert CliRunner().invoke(cli.main, ["--db", str(path), "import", "-q", str(SEEDS)]).exit_code == 0
    return path


def tui(db: Path, *args: str):
    return CliRunner().invoke(cli.main, ["--db", str(db), *args])


def test_list_add_set_and_their_events(db: Path):
    listed = tui(db, "labels", "links")
    assert listed.exit_code == 0
    for name in ("same_entity", "same_claim", "contradicts", "supports"):
        assert name in listed.stdout
    assert "transitive, symmetric" in listed.stdout and "directed" in listed.stdout
    added = tui(db, "labels", "links", "add", "paraphrase", "--key", "p", "--transitive", "--symmetric",
                "--description", "The same claim in other words.")
    assert added.exit_code == 0, added.output
    with Store.open(db) as store:
        label = next(label for label in store.link_labels() if label.name == "paraphrase")
        assert (label.key, label.transitive, label.symmetric) == ("p", True, True)
    changed = tui(db, "labels", "links", "set", "supports", "--key", "u", "--description", "Evidence for it.")
    assert changed.exit_code == 0, changed.output
    with Store.open(db) as store:
        supports = next(label for label in store.link_labels() if label.name == "supports")
        assert (supports.key, supports.description) == ("u", "Evidence for it.")
        events = [e for e in store.label_events() if (e.after or e.before or {}).get("kind") == "link_label"]
        assert [e.action for e in events] == ["label_add", "label_update"]
    assert "paraphrase" in tui(db, "labels", "links", "list").stdout


def test_bad_edits_are_one_line_errors_and_change_nothing(db: Path):
    for args, message in (
        (("add", "same_entity"), "already a link label"),
        (("add", "twin", "--key", "e"), "already picks"),
        (("set", "nonsense", "--key", "q"), "unknown link label"),
        (("set", "supports", "--key", "e"), "already picks"),
        (("set", "supports", "--colour", "red"), "#rrggbb"),
    ):
        result = tui(db, "labels", "links", *args)
        assert result.exit_code == 1 and message in result.stderr, (args, result.output)
    assert tui(db, "labels", "links", "set", "supports").exit_code == 2
    with Store.open(db) as store:
        assert [label.name for label in store.link_labels()] == ["same_entity", "same_claim", "contradicts",
                                                                 "supports"]
