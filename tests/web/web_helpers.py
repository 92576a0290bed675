"""Helpers for the browser tests: a real `tui serve` on 127.0.0.1 and a free port."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.support import TUI, free_port

CORPUS = Path(__file__).with_name("corpus")
ANSI = re.compile(r"\x1b(\[[0-9;?<>=$ ]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")


def screen_text(data: bytes) -> str:
    """Terminal output with escape sequences removed (for 'does this text appear')."""
    return ANSI.sub("", data.decode("utf-8", "replace"))


class Serve:
    """`tui serve ARGS` in a subprocess, on 127.0.0.1 and a free port; stop() ends it."""

    def __init__(self, db: Path, *args: str, state: Path | None = None) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "NO_COLOR", "TUI_SERVE_TOKEN")}
        if state is not None:
            state.mkdir(parents=True, exist_ok=True)
            env["XDG_STATE_HOME"] = str(state)
            env["XDG_CONFIG_HOME"] = str(state / "config")
        for attempt in range(3):  # another process may take the free port before `tui serve` binds it
            self.port = free_port()
            self.url = f"http://127.0.0.1:{self.port}/"
            self.log = (state or db.parent) / f"serve-{self.port}.log"
            self.log_file = self.log.open("wb")
            self.process = subprocess.Popen(
                [str(TUI), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(self.port), *args],
                stdout=self.log_file, stderr=subprocess.STDOUT, env=env, start_new_session=True,
            )
            if self._wait_ready(last_try=attempt == 2):
                return

    def _wait_ready(self, *, last_try: bool, timeout: float = 60.0) -> bool:
        """True once it answers; False when it could not listen on its port (try another)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if not last_try and f"cannot listen on 127.0.0.1:{self.port}" in self.output():
                    self.log_file.close()
                    return False
                raise AssertionError(f"tui serve exited with {self.process.returncode}:\n{self.output()}")
            try:
                urllib.request.urlopen(self.url, timeout=2).close()
                return True
            except urllib.error.HTTPError:  # refused by the token check: it is up
                return True
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
