"""What the tests that drive the real `tui` command in tmux share (imported as `tests.ui.tmux_support`).

Each `TuiInTmux` runs on a private tmux server (its own socket, no user config), started by the test
with the test's environment: the app sees exactly that (the suite's own HOME and XDG folders, the
test's XDG_STATE_HOME), never the global environment of a tmux server somebody else started with
their real HOME, and the test's sessions never land on anyone's default server."""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.support import TUI, tmux_socket
needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
needs_tui = pytest.mark.skipif(not TUI.exists(), reason="the tui entry point is not installed in this environment")


class TuiInTmux:
    """`tui ARGS` (or `command`, a shell line) in a new tmux session of `cols` x `rows`, in `cwd`,
    with this process's environment (without TMUX and NO_COLOR) plus `env`. Use as a context
    manager: the server is killed at the end."""

    def __init__(self, *args: str | Path, cwd: Path, cols: int = 100, rows: int = 30,
                 env: dict[str, str] | None = None, command: str | None = None) -> None:
        self.socket = f"tui-ui-{os.getpid()}-{secrets.token_hex(4)}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "NO_COLOR")} | (env or {})
        self.target = "tui"
        line = command or f"exec {shlex.join([str(TUI), *map(str, args)])}"
        self.tmux("new-session", "-d", "-s", self.target, "-x", str(cols), "-y", str(rows),
                  f"cd {shlex.quote(str(cwd))} && {line}")

    def __enter__(self) -> TuiInTmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def tmux(self, *args: str, check: bool = True) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], check=check,
                              capture_output=True, text=True, env=self.env, timeout=20).stdout

    def keys(self, *typed: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.target, *(["-l"] if literal else []), *typed)

    def screen(self, *, styled: bool = False) -> str:
        return self.tmux("capture-pane", "-t", self.target, "-p", *(["-e"] if styled else []))

    def wait_for(self, needle: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if needle in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{needle!r} never appeared on screen:\n{screen}")

    def running(self) -> bool:
        return subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", self.target], env=self.env,
                              capture_output=True).returncode == 0

    def quit(self, timeout: float = 30.0) -> None:
        """`q`, then wait (up to `timeout`) for the app to end."""
        self.keys("q")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.running():
            time.sleep(0.2)

    def close(self) -> None:
        self.tmux("kill-server", check=False)
        tmux_socket(self.socket).unlink(missing_ok=True)
