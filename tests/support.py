"""Paths every test module may need (imported as `tests.support`), the suite's own user folders, and
the environment of a child process that runs `tui`."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
TUI = Path(sys.executable).with_name("tui")
"""the `tui` command of the environment running the tests"""

USER_DIR_VARS = ("HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")
USER_DIR_KINDS = ("config", "state", "data", "cache")
REAL_USER_DIRS: dict[str, Path] = {}
"""tui's folders of the person running the suite (tui.files.user_dir of each kind, as they were before
isolate_user_dirs): no test may write there."""
_isolated_root: list[Path] = []


def isolate_user_dirs() -> Callable[[], None]:
    """Point HOME and every XDG_*_HOME of this process at new empty folders, so that nothing the tests
    run (in process, or as a subprocess, pty, tmux or ssh child given this environment) reads or
    writes the real user's config, state (sessions.json), data or cache. Returns what undoes it."""
    from tui.files import user_dir

    REAL_USER_DIRS.update({kind: user_dir(kind) for kind in USER_DIR_KINDS})  # type: ignore[arg-type]
    saved = {name: os.environ.get(name) for name in USER_DIR_VARS}
    root = Path(tempfile.mkdtemp(prefix="tui-tests-home-"))
    _isolated_root.append(root)
    for name in USER_DIR_VARS:
        folder = root / ("home" if name == "HOME" else name.lower())
        folder.mkdir()
        os.environ[name] = str(folder)

    def undo() -> None:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _isolated_root.remove(root)
        shutil.rmtree(root, ignore_errors=True)

    return undo


def isolated_root() -> Path | None:
    """The folder holding the suite's HOME and XDG folders (None outside a pytest run)."""
    return _isolated_root[-1] if _isolated_root else None


def user_dir_env() -> dict[str, str]:
    """HOME and the XDG_*_HOME variables as this process has them (the suite's own folders)."""
    return {name: os.environ[name] for name in USER_DIR_VARS if name in os.environ}


def fresh_state_dir() -> str:
    """A new, empty XDG_STATE_HOME for one started app (inside the suite's folders, removed with them)."""
    if _isolated_root:
        return tempfile.mkdtemp(prefix="state-", dir=_isolated_root[-1])
    import atexit

    path = tempfile.mkdtemp(prefix="tui-state-")
    atexit.register(shutil.rmtree, path, True)
    return path


def child_env(**extra: str | None) -> dict[str, str]:
    """The environment of a person running `tui` from this checkout, for a child process: PATH,
    the suite's HOME and XDG folders, UTF-8, this tree first on PYTHONPATH, a fresh XDG_STATE_HOME of
    its own (where-you-left-off, tui.ui.session_state), and nothing else inherited (no TMUX, STY,
    COLORTERM or NO_COLOR to skew what it detects). `extra` adds variables; None removes one."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        **user_dir_env(),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(REPO),
        "PYTHONDONTWRITEBYTECODE": "1",
        "XDG_STATE_HOME": fresh_state_dir(),
    }
    env.update(extra)  # type: ignore[arg-type]
    return {k: v for k, v in env.items() if v is not None}


def run_bench(tmp_path: Path, *only: str, docs: int = 60, spans: int = 600, extra: tuple[str, ...] = (),
              timeout: float = 300) -> dict:
    """`python -m bench --quick` on tiny data (one repetition, `docs` articles / `spans` spans at
    scale), only the benchmarks named; it must succeed and print its table; the JSON report. Timings
    are never asserted: speed is judged by `python -m bench` and BENCHMARKS.md."""
    import json
    import subprocess

    out = tmp_path / "rows.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--quiet", "--repeat", "1", "--scale-docs", str(docs),
         "--scale-spans", str(spans), *extra, "--out", str(tmp_path / "cache"), "--json", str(out), "--only", *only],
        cwd=REPO, capture_output=True, text=True, timeout=timeout,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "machine:" in completed.stdout and "| benchmark" in completed.stdout
    return json.loads(out.read_text())


def read_until_closed(fd: int) -> bytes:
    """Everything written to the other side of a pty (or pipe) `fd` until every writer has closed it
    (on a pty master: EIO once the child has exited)."""
    seen = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    return seen


def word_range(text: str, word: str) -> tuple[int, int]:
    """(start, end) of the first `word` in `text`, as code-point offsets."""
    start = text.index(word)
    return start, start + len(word)


def tmux_socket(name: str) -> Path:
    """Where `tmux -L name` keeps its socket (tmux leaves it behind when its server ends)."""
    return Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}" / name


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the kernel's choice for port 0), so a
    busy fixed port on the machine (8000, 2222, ...) cannot fail a test."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Notifications:
    """A ``run_test(message_hook=...)`` hook that keeps every notification the app posts
    (``App.notify`` posts a ``Notify`` message), so tests read them without private attributes."""

    def __init__(self) -> None:
        from textual.notifications import Notification

        self.items: list[Notification] = []

    def __call__(self, message: object) -> None:
        from textual.notifications import Notify

        if isinstance(message, Notify):
            self.items.append(message.notification)

    def messages(self) -> list[str]:
        return [str(item.message) for item in self.items]

    def __len__(self) -> int:
        return len(self.items)

    def __str__(self) -> str:
        return " | ".join(self.messages())


def dump(store) -> list[str]:
    """Every row of every table, as text lines in a fixed order: `iterdump()` on SQLite, the rows of
    each table sorted on PostgreSQL (to compare a database before and after, on either backend)."""
    if store.backend == "sqlite":
        return list(store.connection.iterdump())
    c = store.connection
    tables = [r[0] for r in c.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY 1")]
    lines = []
    for table in tables:
        width = c.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
                          "AND table_name = ?", (table,)).fetchone()[0]
        order = ", ".join(str(i) for i in range(1, width + 1))
        lines.extend(f"INSERT INTO {table} VALUES {tuple(row)!r}"
                     for row in c.execute(f'SELECT * FROM "{table}" ORDER BY {order}'))
    return lines
