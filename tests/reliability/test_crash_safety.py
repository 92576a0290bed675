"""SIGKILL the real app at random moments while it tags: every save the screen reported survives.

The app runs in a private tmux server (its own socket; remain-on-exit keeps the last frame of a
killed app on screen). Each trial opens the same database, jumps to its own section of a
document of unique words (t03w017 ...), and tags word after word with e/c/d/1/2/3 while the
test reads the screen every few milliseconds. At a random moment (sometimes a few milliseconds
after a tag key, to land inside a commit) the app gets SIGKILL. Then:
- every span the status line had reported ("✓ saved: claim “t03w017”") is in the database,
  with that label and text, and so is every earlier trial's;
- the database holds at least as many spans per label as the pane title last showed;
- every span has exactly one add event (no half-written action) and integrity_check is ok.
TUI_CRASH_TRIALS sets the number of trials (default 3; 50 for a long run); TUI_CRASH_SEED replays
the random keys and kill moments of a run (each run prints its seed).
"""

from __future__ import annotations

import os
import random
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.reliability.support import PYTHON, REPO, cli_env, env_int, integrity
from tests.support import tmux_socket
from tui.store import Store

TRIALS = env_int("TUI_CRASH_TRIALS", 3)
WORDS_PER_TRIAL = 400
ANNOTATOR = "crashtest"
LABEL_KEYS = {"e": "entity", "c": "claim", "d": "date", "1": "entity", "2": "claim", "3": "date"}
SAVED = re.compile(r"saved: (entity|claim|date) “(t\d{2}w\d{3})”")
COUNTS = re.compile(r"entity (\d+)\s+claim (\d+)\s+date (\d+)")

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")


class Tmux:
    """A private tmux server on its own socket, killed (by its socket) at the end."""

    def __init__(self, tmp: Path) -> None:
        self.socket = f"tui-rel-crash-{os.getpid()}-{secrets.token_hex(4)}"
        self.env = cli_env(TERM="xterm-256color")
        self.env.pop("NO_COLOR", None)
        self("new-session", "-d", "-s", "idle", "-x", "100", "-y", "30", "sleep 3600")
        self("set-option", "-g", "remain-on-exit", "on")

    def __call__(self, *args: str, check: bool = True) -> str:
        proc = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], env=self.env,
                              capture_output=True, text=True, timeout=20)
        if check and proc.returncode != 0:
            raise AssertionError(f"tmux {args}: {proc.stderr}")
        return proc.stdout

    def screen(self, target: str) -> str:
        return self("capture-pane", "-p", "-t", target, check=False)

    def close(self) -> None:
        self("kill-server", check=False)
        tmux_socket(self.socket).unlink(missing_ok=True)


def _document(trials: int) -> str:
    lines = []
    for trial in range(trials):
        words = [f"t{trial:02d}w{j:03d}" for j in range(WORDS_PER_TRIAL)]
        lines += [" ".join(words[k:k + 8]) for k in range(0, len(words), 8)]
    return "Crash test\n" + "\n".join(lines) + "\n"


def _wait(predicate, timeout: float, what: str, screen=lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.03)
    raise AssertionError(f"timed out waiting for {what}; screen:\n{screen()}")


def test_sigkill_at_random_moments_never_loses_a_reported_save(tmp_path: Path):
    db = tmp_path / "crash.db"
    text = _document(max(TRIALS, 1))
    with Store.open(db) as store:
        doc_id, _ = store.add_document(text, title="Crash test", language="und", direction="ltr")
    seed = int(os.environ.get("TUI_CRASH_SEED") or random.randrange(1 << 30))  # printed: rerun with it
    rng = random.Random(seed)
    tmux = Tmux(tmp_path)
    reported: dict[str, str] = {}  # word -> label the screen said was saved
    shown_counts = (0, 0, 0)
    kills_mid_key = 0
    rows: list = []
    try:
        for trial in range(TRIALS):
            window = f"trial{trial}"
            command = (f"exec {PYTHON} -m tui --db {db} --annotator {ANNOTATOR} --panes 1")
            tmux("new-window", "-d", "-n", window, "-c", str(REPO), command)
            target = f"idle:{window}"
            _wait(lambda: f" {ANNOTATOR} " in tmux.screen(target) and "Crash test" in tmux.screen(target),
                  30, "the app to start", lambda: tmux.screen(target))
            pid = int(tmux("display-message", "-p", "-t", target, "#{pane_pid}").strip())
            # Jump to this trial's words: `/`, wait for the search bar, type, enter.
            query = f"t{trial:02d}w000"

            def bottom(lines: int = 4) -> list[str]:
                return tmux.screen(target).splitlines()[-lines:]

            tmux("send-keys", "-t", target, "/")
            _wait(lambda: any(re.match(r"\s*/", line) for line in bottom()), 10, "the search bar",
                  lambda: tmux.screen(target))
            tmux("send-keys", "-t", target, "-l", query)
            _wait(lambda: any(re.match(rf"\s*/\s*{query}", line) for line in bottom()), 10, "the query",
                  lambda: tmux.screen(target))
            tmux("send-keys", "-t", target, "Enter")
            time.sleep(0.3)
            # Escape clears the highlights, so the next key is a plain tag.
            tmux("send-keys", "-t", target, "Escape")
            time.sleep(0.2)

            stop = threading.Event()

            def type_keys() -> None:
                for _ in range(WORDS_PER_TRIAL - 1):
                    if stop.is_set():
                        return
                    key = rng.choice(list(LABEL_KEYS))
                    tmux("send-keys", "-t", target, key, "w", check=False)
                    time.sleep(rng.uniform(0.0, 0.03))

            typist = threading.Thread(target=type_keys, daemon=True)
            typist.start()
            kill_at = time.monotonic() + rng.uniform(0.2, 2.5)
            mid_key = rng.random() < 0.5
            screens = []
            while time.monotonic() < kill_at:
                screens.append(tmux.screen(target))
                time.sleep(0.02)
            if mid_key:  # right after a tag key: the kill lands while the app handles it
                tmux("send-keys", "-t", target, rng.choice(list(LABEL_KEYS)), check=False)
                time.sleep(rng.uniform(0.0, 0.01))
                kills_mid_key += 1
            os.kill(pid, signal.SIGKILL)
            stop.set()
            typist.join()
            _wait(lambda: tmux("display-message", "-p", "-t", target, "#{pane_dead}").strip() == "1", 10, "the kill")
            screens.append(tmux.screen(target))  # the last frame the app drew before it died

            for screen in screens:
                for label, word in SAVED.findall(screen):
                    reported[word] = label
                for counts in COUNTS.findall(screen):
                    shown_counts = tuple(max(a, int(b)) for a, b in zip(shown_counts, counts))
            tmux("kill-window", "-t", target, check=False)

            # After each kill: everything ever reported saved is in the database, which is sound.
            assert integrity(db) == "ok"
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            rows = conn.execute('SELECT id, label, start, "end", text FROM spans WHERE annotator = ?',
                                (ANNOTATOR,)).fetchall()
            adds = conn.execute("SELECT span_id FROM events WHERE annotator = ? AND action = 'add'",
                                (ANNOTATOR,)).fetchall()
            conn.close()
            stored = {(label, span_text) for _, label, _, _, span_text in rows}
            missing = [(label, word) for word, label in reported.items() if (label, word) not in stored]
            assert not missing, (f"trial {trial} (TUI_CRASH_SEED={seed}): reported saved but not in the "
                                 f"database: {missing}")
            for _, _, start, end, span_text in rows:
                assert text[start:end] == span_text
            assert sorted(r[0] for r in rows) == sorted(a[0] for a in adds), "a span without its event (or vice versa)"
            per_label = [sum(1 for r in rows if r[1] == name) for name in ("entity", "claim", "date")]
            assert all(db_n >= shown for db_n, shown in zip(per_label, shown_counts)), (per_label, shown_counts)
        if TRIALS:
            assert reported, "the screen never reported a save: the test did not exercise anything"
    finally:
        tmux.close()
    print(f"\nTUI_CRASH_SEED={seed}: {TRIALS} SIGKILL trials ({kills_mid_key} right after a tag key): {len(reported)} saves reported "
          f"on screen, {len(rows)} spans in the database, 0 lost; integrity_check ok after every kill")
