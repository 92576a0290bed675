"""`tui labels` as a user types it: list, add, set, rename (round trip through export), delete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui import cli
from tui.commands.labels import RESERVED_KEYS
from tui.store import Store

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("USER", "lead")
    path = tmp_path / "team.db"
    result = CliRunner().invoke(cli.main, ["--db", str(path), "import", "-q", str(SEEDS)])
    assert result.exit_code == 0, result.output
    return path


def tui(db: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli.main, ["--db", str(db), *args], env=env, catch_exceptions=False)


def test_list_shows_keys_colours_usage_and_descriptions(db: Path):
    result = tui(db, "labels")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    entity = next(line for line in lines if " entity " in f" {line} ")
    assert "e, 1" in entity and "#5fafff" in entity and "named person" in entity
    assert tui(db, "labels", "list").output == result.output


def test_add_set_delete_and_their_messages(db: Path):
    result = tui(db, "labels", "add", "person", "--key", "p", "--colour", "#ff8700",
                 "--description", "A named human being.")
    assert result.exit_code == 0, result.output
    assert "Added label 'person' (key p)." in result.output
    assert "A named human being." in tui(db, "labels").output
    assert tui(db, "labels", "set", "person", "--no-key").exit_code == 0
    assert tui(db, "labels", "set", "person").exit_code == 2  # nothing to change: usage error
    assert tui(db, "labels", "delete", "person").exit_code == 0
    with Store.open(db) as store:
        assert "person" not in {label.name for label in store.labels()}
        assert [e.action for e in store.label_events()] == ["label_add", "label_update", "label_delete"]
        assert {e.annotator for e in store.label_events()} == {"lead"}


@pytest.mark.parametrize("args, message", [
    (("add", "person", "--key", "q"), "taken by the app"),
    (("add", "person", "--key", "2"), "taken by the app"),
    (("add", "entity"), "already a label"),
    (("add", "x", "--colour", "orange"), "#rrggbb"),
    (("rename", "nope", "x"), "no label 'nope'"),
    (("delete", "nope"), "no label 'nope'"),
])
def test_bad_edits_are_one_line_errors_with_exit_code_1(db: Path, args, message):
    result = tui(db, "labels", *args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_used_label_is_not_deleted(db: Path, tmp_path: Path):
    with Store.open(db) as store:
        doc = store.list_documents(limit=1)[0]
        store.add_span(doc.id, "alice", "date", 0, 4)
    result = tui(db, "labels", "delete", "date")
    assert result.exit_code == 1 and "used by 1 span" in result.output


def test_editing_labels_without_a_user_name_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("USER", raising=False)
    monkeypatch.delenv("LOGNAME", raising=False)
    monkeypatch.setattr("os.getuid", lambda: 2**31 - 7)  # an account with no login name
    result = tui(db, "labels", "add", "person")
    assert result.exit_code == 1 and "--annotator" in result.output
    assert tui(db, "--annotator", "alice", "labels", "add", "person").exit_code == 0
    assert tui(db, "labels").exit_code == 0  # listing needs no name


def test_rename_round_trip_through_export_and_import(db: Path, tmp_path: Path):
    with Store.open(db) as store:
        doc = store.get_document(store.list_documents(limit=1)[0].id)
        start = doc.text.index(doc.text.split()[1])
        store.add_span(doc.id, "alice", "claim", start, start + len(doc.text.split()[1]))
        store.add_span(doc.id, "bob", "claim", 0, 4)
        store.set_status(doc.id, "alice", "done")
    result = tui(db, "labels", "rename", "claim", "assertion")
    assert result.exit_code == 0 and "Renamed 'claim' to 'assertion' (2 spans)." in result.output
    out = tmp_path / "out.jsonl"
    assert tui(db, "export", "-q", "-o", str(out)).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    labels = [span["label"] for record in records for span in record["spans"]]
    assert sorted(labels) == ["assertion", "assertion"]
    for record in records:
        for span in record["spans"]:
            assert record["text"][span["start"]:span["end"]] == span["text"]
    fresh = tmp_path / "fresh.db"
    assert tui(fresh, "import", "-q", "--keep-annotators", str(out)).exit_code == 0
    with Store.open(fresh) as store:
        assert "assertion" in {label.name for label in store.labels()}
        assert {s.label for d in store.list_documents() for s in store.spans(d.id)} == {"assertion"}
    # In the original database, undo of alice's add (made as "claim") removes the renamed span.
    with Store.open(db) as store:
        store.undo("alice", doc.id)
        assert store.spans(doc.id, "alice") == []


def test_reserved_keys_cover_every_single_key_the_app_binds():
    from tui.ui.document_view import DocumentView
    from tui.ui.keymap_check import normalise_key
    from tui.ui.panes import ArticlePane
    from tui.ui.screens.main import MainScreen

    reserved = {normalise_key(key) for key in RESERVED_KEYS}
    for cls in (DocumentView, ArticlePane, MainScreen):
        for binding in cls.BINDINGS:
            for key in binding.key.split(","):
                if len(key) == 1 or key in {normalise_key(k) for k in "?/<>[]{}():.!#"}:
                    assert normalise_key(key) in reserved, (cls.__name__, binding.id, key)


def test_the_app_never_starts_under_a_made_up_name(db: Path, monkeypatch: pytest.MonkeyPatch):
    from tui.launch import default_annotator

    monkeypatch.delenv("USER", raising=False)
    monkeypatch.delenv("LOGNAME", raising=False)
    import pwd
    import os

    assert default_annotator() == pwd.getpwuid(os.getuid()).pw_name  # the login name, not "annotator"
    monkeypatch.setattr("os.getuid", lambda: 2**31 - 7)
    assert default_annotator() == ""
    result = CliRunner().invoke(cli.main, ["--db", str(db)])
    assert result.exit_code == 1 and "--annotator NAME" in result.output
