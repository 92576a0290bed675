"""Hostile *metadata* (issue 11, findings 2-4): label names, keys, colours and descriptions,
languages, annotator names, titles, meta values and file names from a database anyone can edit
(sqlite-utils, Datasette) or from an imported file. None of their bytes reaches a terminal raw,
none is parsed as markup, an unusable colour is a warning, never a crash.

Checked three ways: the app's rendered segments (Pilot) on every screen that shows metadata
(main screen, help, picker, palette, a notification), the real app's raw bytes on a pty, and
the output of every CLI command.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui import cli
from tui.store import Store
from tests.reliability.screen_checks import (assert_markers_outside_escape_strings, assert_no_stray_controls,
                                              bytes_of_a_session, check_segments, rendered_segments)
from tests.support import Notifications, child_env
from tests.ui.ui_helpers import picker_settled


ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"
OSC52 = f"{ESC}]52;c;SGVsbG8=HOSTMETA52{BEL}"
CLEAR_AND_LEAVE = f"{ESC}[2J{ESC}[?1049lHOSTMETACSI"
C1 = "\x9b31mHOSTMETAC1\x9d0;HOSTMETAC1T\x9c"
TITLE = f"{ESC}]0;HOSTMETATITLE{BEL}"
LINK = f"{ESC}]8;;https://hostmeta.example{ST}x{ESC}]8;;{ST}"
BIDI = "\u202eHOSTMETABIDI\u2066"
SEQUENCES = (OSC52, CLEAR_AND_LEAVE, C1, TITLE, LINK)
MARKERS = ("HOSTMETA52", "SGVsbG8=", "HOSTMETATITLE", "hostmeta.example", "HOSTMETAC1")

HOSTILE_LABELS = [
    # (name, key, colour, description)
    (f"{ESC}[2J{ESC}[?1049lX", "x", "#fff", OSC52),
    ("[link=file:///etc/passwd]X", "\x1b", "not a colour", "[bold]desc[/]"),
    ("[/]", ",", "rgb(999,0,0)", TITLE),
    (f"lab{OSC52}el", "\u202e", "bold red", LINK),
    (f"{C1}{BIDI}", "é", "#12345g", "\x00\x7f"),
]
HOSTILE_LANG = f"{OSC52}vi"
HOSTILE_ANNOTATOR = f"an{TITLE}[b]not[/b]{BIDI}"
HOSTILE_TITLE = f"Title {CLEAR_AND_LEAVE} [@click=app.quit]q[/] {C1}"


def _bad_chars(text: str) -> list[str]:
    return [ch for ch in text if ch == ESC or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")]


def hostile_metadata_db(path: Path) -> Path:
    """A database whose labels, language, annotator names, title and meta are hostile, written the
    way an outside tool would (plain SQL: tui's own import refuses such label names)."""
    with Store.open(path) as store:
        doc_id, _ = store.add_document(
            "hello world and more words here\n", title=HOSTILE_TITLE, language=HOSTILE_LANG, direction="ltr",
            meta={"source_meta": {"k": OSC52, CLEAR_AND_LEAVE: "v"}},
        )
        store.add_document("second article", title=f"Second {TITLE}", language="en", direction="ltr")
        store.add_span(doc_id, "ptyviewer", "entity", 0, 5)
    conn = sqlite3.connect(path)
    with conn:
        for index, (name, key, colour, description) in enumerate(HOSTILE_LABELS):
            conn.execute("INSERT INTO labels (name, key, colour, description, position) VALUES (?, ?, ?, ?, ?)",
                         (name, key, colour, description, 10 + index))
        conn.execute("UPDATE labels SET colour = '#fff' WHERE name = 'entity'")
        now = "2026-01-01T00:00:00.000Z"
        for annotator, (name, *_rest) in ((HOSTILE_ANNOTATOR, HOSTILE_LABELS[0]), ("ptyviewer", HOSTILE_LABELS[2])):
            conn.execute('INSERT INTO spans (document_id, annotator, label, start, "end", text, created_at, '
                         "updated_at) VALUES (?, ?, ?, 6, 11, 'world', ?, ?)", (doc_id, annotator, name, now, now))
    conn.close()
    return path


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    return hostile_metadata_db(tmp_path / "meta.db")


def _check(app, where: str) -> int:
    return check_segments(rendered_segments(app, screens=2), where, _bad_chars)


@pytest.mark.anyio
async def test_every_screen_shows_hostile_metadata_as_inert_text(hostile_db, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    from tui.ui.app import AnnotatorApp

    with Store.open(hostile_db) as store:
        app = AnnotatorApp(store, annotator=HOSTILE_ANNOTATOR, panes=2)
        notes = Notifications()
        async with app.run_test(size=(140, 40), message_hook=notes) as pilot:
            await pilot.pause()
            checked = _check(app, "main screen")
            assert any("colour" in note and "not a colour" in note for note in notes.messages()), notes
            app.show_others = True
            app.main_screen().reload_all()
            await pilot.press("w")  # the caret into a hostile span: the status line names its labels
            await pilot.pause()
            checked += _check(app, "main screen, others shown")
            for key in ("1", "x", "4", "5", "6"):
                await pilot.press(key)
                await pilot.pause()
            checked += _check(app, "after tagging with hostile labels")
            await pilot.press("question_mark")
            await pilot.pause()
            checked += _check(app, "help")
            await pilot.press("escape")
            await pilot.press("o")
            await picker_settled(pilot)  # rows are read off the UI loop
            checked += _check(app, "picker")
            await pilot.press("escape")
            await pilot.press("colon")
            await pilot.pause()
            checked += _check(app, "palette")
            await pilot.press("l", "a", "b")
            await pilot.pause(0.3)
            checked += _check(app, "palette search")
            await pilot.press("escape")
            app.main_screen().last_outcome = None
            # A failure quoting a hostile label: the notification is text, never markup.
            from tui.ui.annotation import Outcome
            from tui.ui.panes import ArticlePane

            pane = app.active_pane()
            pane.post_message(ArticlePane.Changed(pane, Outcome(False, f"NOT saved ({HOSTILE_LABELS[1][0]}): {OSC52}")))
            await pilot.pause()
            checked += _check(app, "notification")
            assert app.is_running
    assert checked > 100


def test_import_refuses_hostile_label_names_with_file_and_line(tmp_path):
    db = tmp_path / "x.db"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hello world", "spans": [{"start": 0, "end": 5, "label": "entity"}]}\n'
                   '{"text":"hello world","spans":[{"start":0,"end":5,"label":"\\u001b[2J\\u001b[?1049lX"}],'
                   '"meta":{"lang":"\\u001b]52;c;SGVsbG8=\\u0007vi"}}\n', encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["--db", str(db), "import", str(bad)])
    assert result.exit_code == 1
    assert "bad.jsonl:2: span 1: label" in result.output and "must be printable" in result.output
    assert not _bad_chars(result.output.replace("\n", ""))
    assert not db.exists()  # a failed first import leaves no database


def test_a_file_name_with_escapes_is_never_printed_raw(tmp_path):
    name = tmp_path / f"x{OSC52}{C1}.jsonl"
    name.write_text("not json\n", encoding="utf-8")
    db = tmp_path / "x.db"
    for args in (["import", str(name)], ["import", str(tmp_path / f"missing{TITLE}.txt")],
                 ["export", "-o", str(tmp_path / f"no{TITLE}dir" / "x.jsonl")], ["stats"]):
        result = CliRunner().invoke(cli.main, ["--db", str(db), *args])
        assert result.exit_code != 0
        assert not _bad_chars(result.output.replace("\n", "")), (args, result.output)
        assert "Traceback" not in result.output


def _run_cli(args: list[str], columns: int = 140) -> subprocess.CompletedProcess:
    env = child_env(COLUMNS=str(columns), TERM="xterm-256color", FORCE_COLOR="1")
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, env=env, timeout=120,
                          stdin=subprocess.DEVNULL)


def _assert_inert(out: bytes, where: str) -> None:
    for sequence in SEQUENCES:
        assert sequence.encode() not in out, f"{where}: {sequence!r} reached the terminal"
    for marker in MARKERS:
        for found in re.finditer(re.escape(marker.encode()), out):
            before = out[max(0, found.start() - 60):found.start()]
            assert b"\x1b]" not in before and b"\x1bP" not in before, f"{where}: {marker} inside an escape"
    assert not re.search(rb"\xc2[\x80-\x9f]", out), f"{where}: a C1 control reached the terminal"
    for ch in "\u202e\u2066":
        assert ch.encode() not in out, f"{where}: U+{ord(ch):04X} reached the terminal"
    # Outside the SGR colour codes Rich writes, no escape at all.
    stray = re.sub(rb"\x1b\[[0-9;]*m", b"", out)
    escape = stray.find(b"\x1b")
    assert escape == -1, f"{where}: an escape other than colour: {stray[escape:escape + 40]!r}"
    assert b"Traceback" not in out


@pytest.mark.parametrize("columns", [80, 140])
def test_stats_shows_hostile_labels_annotators_languages_and_titles_inert(hostile_db, columns):
    result = _run_cli(["--db", str(hostile_db), "stats"], columns)
    assert result.returncode == 0, result.stderr
    _assert_inert(result.stdout, "stats")
    _assert_inert(result.stderr, "stats warnings")
    assert b"is not a colour" in result.stderr  # '#fff' and friends: drawn in the default style


def test_every_other_command_on_the_hostile_database_is_inert(hostile_db, tmp_path):
    for args in (["import", str(tmp_path / "missing.txt")], ["export", "-o", str(tmp_path / "out.jsonl")],
                 ["export", "--label", HOSTILE_LABELS[0][0], "-o", str(hostile_db)], ["doctor"],
                 ["labels"], ["agree"], ["merge", "--into", "gold", "--dry-run"],
                 ["--annotator", HOSTILE_ANNOTATOR, "stats", "--annotator", HOSTILE_ANNOTATOR]):
        result = _run_cli(["--db", str(hostile_db), *args])
        _assert_inert(result.stdout + result.stderr, " ".join(args[:1]))


def test_real_app_on_a_pty_writes_no_byte_of_hostile_metadata(hostile_db, tmp_path):
    env = child_env(TERM="xterm-256color", XDG_STATE_HOME=str(tmp_path / "state"), USER="ptyviewer")
    keys = (b"w", b"1", b"t", b"?", b"\x1b", b"o", b"\x1b", b":", b"lab", b"\x1b", b">", b"<", b"x")
    out = bytes_of_a_session([sys.executable, "-m", "tui", "--db", str(hostile_db), "--annotator", "ptyviewer",
                              "--panes", "2"], env, ready=b"Title", keys=keys, cols=140, rows=40, ready_timeout=60,
                             quit_timeout=20)
    assert "is not a colour".encode() in out  # the warning was shown
    assert "\u241b".encode() in out  # hostile names shown, with visible placeholders
    for sequence in SEQUENCES:
        assert sequence.encode() not in out, f"{sequence!r} reached the terminal"
    assert_markers_outside_escape_strings(out, MARKERS, lookback=60)
    for ch in "\u202e\u2066":
        assert ch.encode() not in out
    assert_no_stray_controls(out, allowed={0x0D, 0x0A, 0x07})
