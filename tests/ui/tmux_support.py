"""What the tests that drive the real `tui` command in tmux share (imported as `tests.ui.tmux_support`)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

TUI = Path(sys.executable).with_name("tui")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def wait_for(session: str, needle: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-t", session, "-p")
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared on screen:\n{screen}")
