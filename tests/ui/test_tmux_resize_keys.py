"""The word-resize keys in a real terminal (tmux): ( ) - _ move a span's edge by a whole word in a
Vietnamese and an Arabic article. alt+[ and alt+] (the keys these had before) arrive in tmux and
xterm as a plain [ or ] (ESC [ is the start of a control sequence), so they cannot be the only keys."""

from __future__ import annotations

import os
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
VI = "Tin Nga\nTổng thống Nga Vladimir Putin hôm 5/2 đã đệ trình."
AR = "خبر\nوعد الرئيس الروسي بوتين بالسلام."


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def spans(db: Path, doc_id: str) -> list[str]:
    with Store.open(db) as store:
        return sorted(span.text for span in store.spans(doc_id, annotator="words"))


def press_and_wait(session: str, db: Path, doc_id: str, key: str, expected: list[str]) -> None:
    tmux("send-keys", "-t", session, key)
    deadline = time.monotonic() + 20
    while (now := spans(db, doc_id)) != expected:
        assert time.monotonic() < deadline, f"after {key!r}: {now}, not {expected}\n" + tmux(
            "capture-pane", "-t", session, "-p")
        time.sleep(0.2)


def wait_for_text(session: str, needle: str) -> None:
    deadline = time.monotonic() + 30
    while needle not in tmux("capture-pane", "-t", session, "-p"):
        assert time.monotonic() < deadline, f"never showed {needle!r}:\n" + tmux("capture-pane", "-t", session, "-p")
        time.sleep(0.2)


@pytest.mark.skipif(not TUI.exists(), reason="the tui entry point is not installed in this environment")
def test_parentheses_minus_and_underscore_resize_by_a_word_in_vietnamese_and_arabic(tmp_path: Path):
    db = tmp_path / "resize.db"
    with Store.open(db) as store:
        vi_id, _ = store.add_document(VI, title="Tin Nga", language="vi", direction="ltr")
        ar_id, _ = store.add_document(AR, title="خبر", language="ar", direction="rtl")
    session = f"tui-resize-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "NO_COLOR")}
    command = (f"cd {tmp_path} && XDG_STATE_HOME={tmp_path / 'state'} XDG_CONFIG_HOME={tmp_path / 'config'} "
               f"exec {TUI} --db {db} --annotator words --panes 1")
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command], check=True, env=env)
    try:
        wait_for_text(session, "Vladimir Putin")
        tmux("send-keys", "-t", session, "j", "w", "w", "w")  # onto Vladimir
        press_and_wait(session, db, vi_id, "e", ["Vladimir"])
        press_and_wait(session, db, vi_id, ")", ["Vladimir Putin"])
        press_and_wait(session, db, vi_id, "_", ["Vladimir"])
        press_and_wait(session, db, vi_id, "(", ["Nga Vladimir"])
        press_and_wait(session, db, vi_id, "-", ["Vladimir"])
        press_and_wait(session, db, vi_id, "}", ["Vladimir P"])  # by a character: over the space, never onto it
        press_and_wait(session, db, vi_id, "[", ["a Vladimir P"])  # (issue 19 #2: "[" saved " Vladimir Putin")

        tmux("send-keys", "-t", session, ">")
        wait_for_text(session, "ar rtl")  # the Arabic article is open
        tmux("send-keys", "-t", session, "j", "w", "w")  # onto الروسي (w is forward in the text)
        press_and_wait(session, db, ar_id, "e", ["الروسي"])
        press_and_wait(session, db, ar_id, ")", ["الروسي بوتين"])
        press_and_wait(session, db, ar_id, "(", ["الرئيس الروسي بوتين"])
        press_and_wait(session, db, ar_id, "-", ["الروسي بوتين"])
        press_and_wait(session, db, ar_id, "_", ["الروسي"])
    finally:
        tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and subprocess.run(
                ["tmux", "has-session", "-t", session], capture_output=True).returncode == 0:
            time.sleep(0.2)
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
