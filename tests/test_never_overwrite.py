"""Findings 1, 5 and 8 of issue 11: no command writes over a database or creates one it should
only read, export to a terminal is inert, and the small items (exit codes, empty files, typos)."""

from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support import read_until_closed
from tui import cli
from tui.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[1]


def _db_with_a_span(tmp_path: Path, text: str = "hello world") -> Path:
    db = tmp_path / "x.db"
    with Store.open(db) as store:
        doc_id, _ = store.add_document(text, title="t", language="en", direction="ltr")
        store.add_span(doc_id, "alice", "entity", 0, 5)
    return db


def _run(*args: str):
    return CliRunner().invoke(cli.main, list(args))


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_refuses_to_write_over_the_database_or_its_wal_and_shm(tmp_path, suffix):
    db = _db_with_a_span(tmp_path)
    with Store.open(db) as store:  # an app holding it open: -wal and -shm exist
        before = db.read_bytes()
        result = _run("--db", str(db), "export", "-o", f"{db}{suffix}")
        assert result.exit_code == 1, result.output
        assert "would destroy it" in result.output and "Nothing was written" in result.output
        assert db.read_bytes() == before
        assert len(store.spans(store.list_documents()[0].id)) == 1


def test_export_refuses_any_other_sqlite_database_by_its_header(tmp_path):
    db = _db_with_a_span(tmp_path)
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    before = other.read_bytes()
    result = _run("--db", str(db), "export", "-o", str(other))
    assert result.exit_code == 1 and "is a SQLite database" in result.output
    assert other.read_bytes() == before


def test_nothing_to_export_leaves_an_existing_file_as_it_was(tmp_path):
    db = tmp_path / "x.db"
    with Store.open(db) as store:
        store.add_document("hello", title="t", language="en", direction="ltr")
    old = tmp_path / "train.jsonl"
    old.write_text('{"old": true}\n')
    result = _run("--db", str(db), "export", "-o", str(old))
    assert result.exit_code == 0 and "Nothing to export" in result.output and "left as it was" in result.output
    assert old.read_text() == '{"old": true}\n'


@pytest.mark.parametrize("command", [["stats"], ["export"], ["export", "-o", "out.jsonl"]])
@pytest.mark.parametrize("state", ["missing", "zero-byte"])
def test_read_only_commands_never_create_or_initialise_a_database(tmp_path, command, state):
    db = tmp_path / "none.db"
    if state == "zero-byte":
        db.write_bytes(b"")
    os.chdir(tmp_path)
    result = _run("--db", str(db), *command)
    assert result.exit_code == 1, result.output
    assert ("does not exist" if state == "missing" else "empty file (0 bytes)") in result.output
    assert (db.exists() and db.stat().st_size == 0) if state == "zero-byte" else not db.exists()
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()
    assert not (tmp_path / "out.jsonl").exists()


def test_an_empty_jsonl_file_is_refused(tmp_path):
    db = _db_with_a_span(tmp_path)
    for name, content in (("empty.jsonl", b""), ("blank.jsonl", b"\n  \n")):
        path = tmp_path / name
        path.write_bytes(content)
        result = _run("--db", str(db), "import", str(path))
        assert result.exit_code == 1 and f"{name}:1: the file has no records" in result.output


def test_db_that_is_a_folder_and_a_bad_config_exit_1_as_the_readme_says(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("hello")
    for args in (["--db", str(tmp_path), "stats"], ["--db", str(tmp_path), "export"],
                 ["--db", str(tmp_path), "import", str(article)]):
        result = _run(*args)
        assert result.exit_code == 1 and "is not a file" in result.output, (args, result.output)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "exit code 1" in readme and "exit code 2" in readme  # usage errors: click's 2, documented


def test_the_app_with_db_a_folder_exits_1(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(tmp_path / "state")}
    for args in (["--db", str(tmp_path)], ["--config", str(tmp_path), "--db", str(tmp_path / "a.db")]):
        proc = subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, env=env,
                              timeout=60, stdin=subprocess.DEVNULL)
        assert proc.returncode == 1, (args, proc.stderr)
        assert "Traceback" not in proc.stderr


def test_a_new_database_that_cannot_be_set_up_leaves_no_file(tmp_path, monkeypatch):
    import tui.store.store as store_module

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_module, "migrate", full)
    db = tmp_path / "new.db"
    with pytest.raises(StoreError, match="disk is full"):
        Store.open(db)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_existing_database_is_never_removed_when_opening_fails(tmp_path, monkeypatch):
    import tui.store.store as store_module

    db = _db_with_a_span(tmp_path)
    monkeypatch.setattr(store_module, "migrate", lambda *a, **k: (_ for _ in ()).throw(
        sqlite3.OperationalError("database or disk is full")))
    with pytest.raises(StoreError):
        Store.open(db)
    assert db.exists() and db.stat().st_size > 0


def test_a_failed_undo_says_undo_failed(tmp_path):
    from tui.ui.annotation import DocumentSession

    class Failing:
        def undo(self, *args):
            raise StoreError("disk is full")

    outcome = DocumentSession(Failing(), "d", "alice", "text").undo()
    assert not outcome.saved and "(undo failed)" in outcome.message and "undon" not in outcome.message


HOSTILE_TEXT = "a\x9b2Jb\x7fc\u202ed\U000e0041e\u2066f\x1b]52;c;SGk=\x07g\u0085h"


def _export_on_a_pty(db: Path) -> bytes:
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "tui", "--db", str(db), "export"], stdout=slave,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    out = read_until_closed(master)
    proc.wait(60)
    os.close(master)
    assert proc.returncode == 0, proc.stderr.read()
    return out


def test_export_to_a_terminal_escapes_every_hidden_character_and_a_pipe_gets_todays_bytes(tmp_path):
    db = _db_with_a_span(tmp_path, HOSTILE_TEXT)
    with Store.open(db) as store:
        store.add_label("x")  # nothing hostile in labels (import refuses them); text is the payload
    on_terminal = _export_on_a_pty(db)
    for raw in ("\x9b", "\x7f", "\u202e", "\U000e0041", "\u2066", "\x1b", "\x85", "\x07"):
        assert raw.encode() not in on_terminal, f"U+{ord(raw):04X} reached the terminal"
    assert b"\\u009b" in on_terminal and b"\\udb40\\udc41" in on_terminal
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    piped = subprocess.run([sys.executable, "-m", "tui", "--db", str(db), "export"], capture_output=True,
                           env=env, timeout=60).stdout
    to_file = tmp_path / "out.jsonl"
    assert _run("--db", str(db), "export", "-o", str(to_file)).exit_code == 0
    assert piped == to_file.read_bytes()
    assert "\x9b".encode() in piped  # files and pipes: unchanged (a byte-identical round trip)
    line = on_terminal.decode().replace("\r\n", "\n").strip()
    assert json.loads(line) == json.loads(piped.decode())
