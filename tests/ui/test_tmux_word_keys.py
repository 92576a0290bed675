"""The word keys in a real terminal (tmux): over a Latin phrase inside an Arabic line ctrl+Left
moves the caret left on screen at every press; `w` on an Arabic line moves forward in the text
(checked where the caret is remembered when tui quits), which is leftwards on screen."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tui.store import Store

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

TUI = Path(sys.executable).with_name("tui")
TITLE = "خبر من موسكو"
LINE = 'قال الرئيس "We are ready now" ثم غادر القاعة.'
TEXT = f"{TITLE}\n{LINE}"
_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def caret_column(session: str, needle: str) -> int | None:
    """Column of the reverse-video cell (the caret) on the screen row that shows ``needle``."""
    plain = tmux("capture-pane", "-t", session, "-p").splitlines()
    rows = [i for i, row in enumerate(plain) if needle in row]
    if not rows:
        return None
    styled = tmux("capture-pane", "-t", session, "-p", "-e").splitlines()[rows[0]]
    column, reverse, found = 0, False, None
    position = 0
    while position < len(styled):
        match = _SGR.match(styled, position)
        if match:
            for code in (match.group(1) or "0").split(";"):
                if code in ("0", ""):
                    reverse = False
                elif code == "7":
                    reverse = True
                elif code == "27":
                    reverse = False
            position = match.end()
            continue
        if reverse and found is None:
            found = column
        column += 1
        position += 1
    return found


def wait_for_caret(session: str, needle: str, previous: int | None, timeout: float = 15.0) -> int:
    """The caret's column once it is drawn somewhere other than ``previous``."""
    deadline = time.monotonic() + timeout
    column = None
    while time.monotonic() < deadline:
        column = caret_column(session, needle)
        if column is not None and column != previous:
            return column
        time.sleep(0.1)
    raise AssertionError(f"the caret did not move from {previous} (now {column}):\n"
                         + tmux("capture-pane", "-t", session, "-p"))


def start(tmp_path: Path, db: Path, state: Path) -> str:
    session = f"tui-words-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "NO_COLOR")}
    # in the command itself: a tmux server that is already running gives new sessions its own
    # environment, not the client's
    command = f"cd {tmp_path} && XDG_STATE_HOME={state} exec {TUI} --db {db} --annotator words --panes 1"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "20", command],
                   check=True, env=env)
    return session


def stop(session: str) -> None:
    tmux("send-keys", "-t", session, "q")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and subprocess.run(
            ["tmux", "has-session", "-t", session], capture_output=True).returncode == 0:
        time.sleep(0.2)
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


@pytest.mark.skipif(not TUI.exists(), reason="the tui entry point is not installed in this environment")
def test_ctrl_left_moves_left_over_latin_inside_arabic_and_w_moves_forward(tmp_path: Path):
    db = tmp_path / "words.db"
    state = tmp_path / "state"
    with Store.open(db) as store:
        doc_id, _ = store.add_document(TEXT, title=TITLE, language="ar", direction="rtl")
    session = start(tmp_path, db, state)
    try:
        deadline = time.monotonic() + 30
        while "We are ready now" not in tmux("capture-pane", "-t", session, "-p"):
            assert time.monotonic() < deadline, "tui never showed the article"
            time.sleep(0.2)
        tmux("send-keys", "-t", session, "j")  # from the title down onto the line: its first letter, far right
        column = wait_for_caret(session, "We are ready now", None)
        columns = [column]
        for _ in range(7):  # two Arabic words, then now, ready, are, We, then Arabic again
            tmux("send-keys", "-t", session, "C-Left")
            column = wait_for_caret(session, "We are ready now", column)
            columns.append(column)
        assert all(b < a for a, b in zip(columns, columns[1:])), columns
        row = tmux("capture-pane", "-t", session, "-p").splitlines()
        shown = next(r for r in row if "We are ready now" in r)
        latin = shown.index("We are ready now")
        # the presses inside the phrase landed on n, r, a, W: right to left
        assert [c - latin for c in columns[2:6]] == [13, 7, 3, 0]

        tmux("send-keys", "-t", session, "Home")  # back to the line's start (reading order: far right)
        column = wait_for_caret(session, "We are ready now", column)
        start_column = column
        tmux("send-keys", "-t", session, "w")
        column = wait_for_caret(session, "We are ready now", column)
        assert column < start_column  # forward in Arabic is leftwards on screen
        for _ in range(2):
            tmux("send-keys", "-t", session, "w")
            column = wait_for_caret(session, "We are ready now", column)
    finally:
        stop(session)
    saved = json.loads((state / "tui" / "sessions.json").read_text(encoding="utf-8"))
    carets = [entry["carets"][doc_id] for entry in saved.values() if doc_id in entry.get("carets", {})]
    assert len(carets) == 1, saved
    caret = carets[0]
    line_start = len(TITLE) + 1
    assert caret == line_start + LINE.index("are ")  # three words forward in the text: قال → الرئيس → "We → are
