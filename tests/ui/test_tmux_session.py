"""The real `tui` command in a real terminal (tmux), keys typed in bursts as fast as a person
who knows the keys: nothing typed after a search may leak into the search field."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid

import pytest

from tests.ui.tmux_support import TUI, tmux, wait_for
from tui.store import Store

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.mark.skipif(not TUI.exists(), reason="the tui entry point is not installed in this environment")
def test_fast_typing_in_a_real_terminal_tags_what_it_should(tmp_path, seeded_db):
    session = f"tui-ui-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "NO_COLOR")}
    command = f"cd {tmp_path} && exec {TUI} --db {seeded_db} --annotator fast"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command], check=True, env=env
    )
    try:
        wait_for(session, "vi ltr")
        # One burst: search, select three characters, tag date; search again and tag the word.
        tmux("send-keys", "-t", session, "-l", "/5/2")
        tmux("send-keys", "-t", session, "Enter", "v", "l", "l", "l", "d", "/", "P", "u", "t", "i", "n", " ", "h",
             "Enter", "e")
        wait_for(session, "saved: entity")
        tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and subprocess.run(
            ["tmux", "has-session", "-t", session], capture_output=True
        ).returncode == 0:
            time.sleep(0.2)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    with Store.open(seeded_db) as store:
        doc = store.get_document(store.list_documents()[0].id)
        got = {(s.label, doc.text[s.start:s.end]) for s in store.spans(doc.id, annotator="fast")}
    assert got == {("date", "5/2"), ("entity", "Putin")}
