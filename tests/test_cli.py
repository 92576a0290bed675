"""The `tui` command line, driven through click's CliRunner as a user would type it."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import subprocess
import sys
import time
import types
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.support import read_until_closed
from tui import cli
from tui.store import SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DB_COMMANDS = ("import", "export", "stats")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, input: str | None = None):
    return runner.invoke(cli.main, list(args), input=input, catch_exceptions=False)


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def all_commands() -> list[tuple[str, click.Command]]:
    found = [("tui", cli.main)]
    for name, command in cli.main.commands.items():
        found.append((f"tui {name}", command))
    return found


@pytest.mark.parametrize(("name", "command"), all_commands(), ids=[n for n, _ in all_commands()])
def test_every_command_and_option_has_help_text(runner, name, command):
    assert (command.help or "").strip(), f"`{name}` has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"`{name} {param.opts[0]}` has no help text"
    args = name.split()[1:] + ["--help"]
    result = run(runner, *args)
    assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.parametrize("name", DB_COMMANDS)
def test_db_is_accepted_on_every_database_command_and_at_the_root(name):
    command = cli.main.get_command(click.Context(cli.main), name)  # loaded when asked for (tui.commands.registry)
    assert command is not None, name
    assert any("--db" in p.opts for p in command.params)
    assert any("--db" in p.opts for p in cli.main.params)


def test_import_then_export_and_stats(runner, tmp_path):
    db = tmp_path / "a.db"
    result = run(runner, "import", "--db", str(db), str(SEEDS))
    assert result.exit_code == 0
    assert "5 new documents" in result.stderr
    with Store.open(db) as store:
        doc_id = store.list_documents()[3].id
        store.add_span(doc_id, "alice", "entity", 0, 5)
        store.set_status(doc_id, "alice", "done")
    out = tmp_path / "train.jsonl"
    result = run(runner, "--db", str(db), "export", "-o", str(out))  # --db before the command works too
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["_annotator_id"] == "alice" and record["answer"] == "accept"
    assert record["meta"]["lang"] == "ar" and record["meta"]["offset_unit"] == "codepoint"
    assert list(record) == ["text", "spans", "meta", "_annotator_id", "answer"]
    assert list(record["spans"][0]) == ["start", "end", "label", "text"]
    stdout = run(runner, "export", "--db", str(db), "--format", "doccano")
    assert json.loads(stdout.stdout)["id"] == doc_id
    stats = run(runner, "stats", "--db", str(db))
    assert stats.exit_code == 0
    for word in ("alice", "entity", "claim", "date", "done", "5 documents"):
        assert word in stats.stdout


def test_import_twice_changes_nothing(runner, tmp_path):
    db = tmp_path / "a.db"
    run(runner, "import", "--db", str(db), str(SEEDS))
    before = dump(db)
    result = run(runner, "import", "--db", str(db), str(SEEDS), "-q")
    assert result.exit_code == 0 and result.output == ""
    assert dump(db) == before


def test_a_bad_jsonl_line_exits_1_with_file_and_line_and_changes_nothing(runner, tmp_path):
    db = tmp_path / "a.db"
    run(runner, "import", "--db", str(db), str(SEEDS / "000_b4b200ae6da7cf7b.txt"))
    before = dump(db)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine", "spans": []}\n{"text": "x", "spans": [{"start": 0, "end": 9, "label": "e"}]}\n',
                   encoding="utf-8")
    result = runner.invoke(cli.main, ["import", "--db", str(db), str(SEEDS), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2: span 1: end 9 is past the end of the text (length 1)" in result.stderr
    assert "Traceback" not in result.output
    assert dump(db) == before


def test_a_newer_database_is_refused_with_a_message_and_left_alone(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("USER", "tester")  # the app start needs a name before it opens the database
    db = tmp_path / "future.db"
    conn = sqlite3.connect(db)
    conn.execute(f"pragma user_version = {SCHEMA_VERSION + 1}")
    conn.execute("create table t (x)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    for args in (["import", str(SEEDS)], ["export"], ["stats"], []):
        result = runner.invoke(cli.main, ["--db", str(db), *args])
        assert result.exit_code == 1, args
        assert "newer tui" in result.stderr and "Upgrade tui" in result.stderr
        assert "Traceback" not in result.output
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["future.db"]


def test_export_failure_writes_nothing_and_keeps_the_old_file(runner, tmp_path):
    db = tmp_path / "a.db"
    run(runner, "import", "--db", str(db), str(SEEDS))
    with Store.open(db) as store:
        doc_id = store.list_documents()[0].id
        span = store.add_span(doc_id, "alice", "entity", 0, 3)
        store.connection.execute("update spans set text = 'xyz' where id = ?", (span.id,))
    out = tmp_path / "train.jsonl"
    out.write_text("previous export\n")
    result = runner.invoke(cli.main, ["export", "--db", str(db), "-o", str(out)])
    assert result.exit_code == 1
    assert f"span {span.id} ('entity' 0-3 by alice" in result.stderr
    assert out.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if "train" in p.name) == ["train.jsonl"]  # no temp file left


def test_export_and_stats_of_a_missing_database_say_what_to_do(runner, tmp_path):
    for command in ("export", "stats"):
        result = runner.invoke(cli.main, [command, "--db", str(tmp_path / "none.db")])
        assert result.exit_code == 1 and "tui import" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_export_into_a_missing_folder_is_a_clear_error(runner, tmp_path):
    db = tmp_path / "a.db"
    run(runner, "import", "--db", str(db), str(SEEDS))
    result = runner.invoke(cli.main, ["export", "--db", str(db), "-o", str(tmp_path / "no" / "x.jsonl")])
    assert result.exit_code == 1 and "does not exist" in result.stderr and "Traceback" not in result.output


def test_missing_input_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(cli.main, ["import", "--db", str(tmp_path / "a.db"), str(tmp_path / "nope")])
    assert result.exit_code == 1 and "nope: no such file or folder" in result.stderr


def test_tui_without_a_command_imports_seeds_then_opens_the_app(runner, tmp_path, monkeypatch):
    calls = []

    def run_app(db_path, **options):
        calls.append((db_path, options))
        return 0

    monkeypatch.setitem(sys.modules, "tui.ui.app", types.SimpleNamespace(run_app=run_app))
    monkeypatch.setenv("USER", "tester")
    db = tmp_path / "annotations.db"
    result = runner.invoke(cli.main, ["--db", str(db), "--panes", "3", "--bidi", "terminal", "--shaping", "off"])
    assert result.exit_code == 0, result.output
    notice = "Imported the sample corpus: 5 articles into annotations.db."  # one line for the status line
    assert calls[0][1].pop("notice") == notice  # shown in the app, not behind it on stderr
    assert calls == [(db, {"annotator": "tester", "panes": 3, "bidi": "terminal", "shaping": False,
                           "config_path": None, "candidates": (), "as_annotators": ()})]
    with Store.open(db) as store:
        assert store.count_documents() == 5
    before = dump(db)
    result = runner.invoke(cli.main, ["--db", str(db), "--annotator", "alice"])
    # options not given are None, so the app takes them from the config file
    assert calls[-1][1] == {"annotator": "alice", "panes": None, "bidi": None, "shaping": None, "config_path": None,
                            "notice": None, "candidates": (), "as_annotators": ()}
    assert dump(db) == before  # not imported twice


def test_bad_root_options_are_refused(runner, tmp_path):
    result = runner.invoke(cli.main, ["--db", str(tmp_path / "a.db"), "--panes", "5"])
    assert result.exit_code == 2 and "1<=x<=4" in result.stderr


def test_progress_bar_shows_count_rate_and_time_left_on_a_terminal():
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=120)
    with cli._progress(True, "importing", 1000, console=console) as update:
        for done in range(0, 1001, 100):
            update(done, done // 10)
            console.file.write("")  # (the live display refreshes on its own thread)
            time.sleep(0.03)
    # transient: the bar is drawn while working and cleared at the end
    drawn = buffer.getvalue()
    assert "importing" in drawn and " documents " in drawn  # what and how many
    assert re.search(r"[\d,]+ documents/s", drawn)  # rate
    assert re.search(r"\d+:\d\d:\d\d", drawn)  # time left
    assert "━" in drawn  # the bar itself


def test_no_progress_when_piped_or_quiet(monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert cli._progress_wanted(quiet=False)
    assert not cli._progress_wanted(quiet=True)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert not cli._progress_wanted(quiet=False)


def test_python_dash_m_tui_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "tui", "--help"], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 0 and "import" in result.stdout and "export" in result.stdout


def test_safe_text_never_lets_control_characters_through():
    nasty = "a\x1b]52;c;aGk=\x07b\u202ec\u2066d\x00e\x85f\u2028g[bold red]h"
    cleaned = cli.safe_text(nasty, 100)
    assert all(ch.isprintable() or ch == " " for ch in cleaned)
    assert "[bold red]" in cleaned  # shown literally: cells are rich Text, not markup


def test_stats_titles_are_drawn_like_the_app_draws_them():
    title = "وعد الرئيس البيلاروسي ألكسندر لوكاشينكو\x1b[2J"
    shown = cli.display_title(title, 20, None, None)
    assert shown.startswith("…")  # cut, and the cut is on the left where RTL reading stops
    assert "\x1b" not in shown and all(ch.isprintable() for ch in shown)
    assert "ﺪﻋﻭ" in shown  # shaped (presentation forms), last word first in visual order: "وعد" drawn right-most
    assert shown.rstrip().endswith("ﺪﻋﻭ")
    logical = cli.display_title(title, 20, "terminal", None)
    assert logical.startswith("وعد") and logical.endswith("…")
    assert cli.display_title("Việt Nam", 20, None, None) == "Việt Nam"


def test_export_and_stats_read_a_database_they_may_not_write(runner, tmp_path, monkeypatch):
    db = tmp_path / "a.db"
    run(runner, "import", "--db", str(db), str(SEEDS))
    with Store.open(db) as store:
        store.add_span(store.list_documents()[0].id, "alice", "entity", 0, 3)
    before = db.read_bytes()
    monkeypatch.setattr("tui.store.connection.file_is_writable", lambda path: False)
    assert run(runner, "stats", "--db", str(db)).exit_code == 0
    result = run(runner, "export", "--db", str(db))
    assert result.exit_code == 0 and json.loads(result.stdout)["_annotator_id"] == "alice"
    assert db.read_bytes() == before


def _many_articles(path: Path, count: int) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(json.dumps({"text": f"Bài báo số {i}\nNội dung của bài {i} về Hà Nội."},
                                    ensure_ascii=False) + "\n")
    return path


def test_a_real_terminal_sees_the_progress_bar_and_a_pipe_does_not(tmp_path):
    import os
    import pty

    source = _many_articles(tmp_path / "many.jsonl", 3000)
    command = [sys.executable, "-m", "tui", "import", "--db", str(tmp_path / "a.db"), str(source)]
    primary, secondary = pty.openpty()
    env = dict(os.environ, COLUMNS="120", TERM="xterm-256color")
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=secondary,
                               cwd=ROOT, env=env)
    os.close(secondary)
    seen = read_until_closed(primary)
    assert process.wait(timeout=120) == 0
    os.close(primary)
    shown = seen.decode("utf-8", "replace")
    assert "importing" in shown and "documents" in shown and "3000 new documents" in shown
    piped = subprocess.run([*command[:-4], "import", "--db", str(tmp_path / "b.db"), str(source)],
                           capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert piped.returncode == 0
    assert "importing" not in piped.stderr and "━" not in piped.stderr
    assert piped.stderr.strip().startswith("Imported into")


def test_a_failed_first_import_leaves_no_database_behind(runner, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "spans": [{"start": 0, "end": 9, "label": "e"}]}\n', encoding="utf-8")
    db = tmp_path / "new.db"
    result = runner.invoke(cli.main, ["import", "--db", str(db), str(bad)])
    assert result.exit_code == 1 and "bad.jsonl:1:" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]


@pytest.mark.parametrize("columns", [80, 120])
def test_stats_fits_the_terminal_without_cutting_numbers_or_their_headings(runner, tmp_path, monkeypatch, columns):
    """At 80 columns (the annotators' usual SSH terminal) every heading and count is whole; names give
    way, and the label-mix bars appear only where they fit (120)."""
    monkeypatch.setenv("COLUMNS", str(columns))
    db = tmp_path / "a.db"
    assert run(runner, "import", "--db", str(db), str(SEEDS)).exit_code == 0
    with Store.open(db) as store:
        for summary in store.list_documents(limit=3):
            store.add_span(summary.id, "a-rather-long-annotator-name", "entity", 0, 3)
            store.add_span(summary.id, "binh", "date", 4, 7)
    result = run(runner, "stats", "--db", str(db))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert all(len(line.rstrip()) <= columns for line in lines)
    headers = [line for line in lines if line.lstrip().startswith(("annotator ", "document "))]
    assert len(headers) == 2
    for word in ("done", "in progress", "skipped", "entity", "claim", "date"):
        assert word in headers[0]
    for word in ("lang", "status", "entity", "claim", "date"):
        assert word in headers[1]
    assert sum("in progress" in line for line in lines) >= 6  # each (document, annotator) row's status, whole
    assert ("label mix" in headers[0]) == (columns >= 100)
