"""Helpers for the browser tests: a real `tui serve` on 127.0.0.1 and a free port."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

TUI = Path(sys.executable).with_name("tui")
CORPUS = Path(__file__).with_name("corpus")
ANSI = re.compile(r"\x1b(\[[0-9;?<>=$ ]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def screen_text(data: bytes) -> str:
    """Terminal output with escape sequences removed (for 'does this text appear')."""
    return ANSI.sub("", data.decode("utf-8", "replace"))


class Serve:
    """`tui serve ARGS` in a subprocess, on 127.0.0.1 and a free port; stop() ends it."""

    def __init__(self, db: Path, *args: str, state: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "NO_COLOR", "TUI_SERVE_TOKEN")}
        if state is not None:
            state.mkdir(parents=True, exist_ok=True)
            env["XDG_STATE_HOME"] = str(state)
            env["XDG_CONFIG_HOME"] = str(state / "config")
        self.log = (state or db.parent) / f"serve-{self.port}.log"
        self.log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [str(TUI), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(self.port), *args],
            stdout=self.log_file, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"tui serve exited with {self.process.returncode}:\n{self.output()}")
            try:
                urllib.request.urlopen(self.url, timeout=2).close()
                return
            except urllib.error.HTTPError:  # refused by the token check: it is up
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"tui serve never answered on {self.url}:\n{self.output()}")

    def output(self) -> str:
        if not self.log_file.closed:
            self.log_file.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log_file.close()
        return self.process.returncode
