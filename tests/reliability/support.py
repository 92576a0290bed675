"""Helpers for the reliability tests (issue 5): trial counts, databases, the CLI as a user runs it.

Trial counts and sizes come from environment variables with small CI defaults:
    TUI_CRASH_TRIALS     SIGKILL trials of the real app              (default 3; long run: 50)
    TUI_CONCURRENT_PROCS annotator processes on one database         (default 8)
    TUI_CONCURRENT_OPS   operations per annotator process            (default 250)
    TUI_FUZZ_EXAMPLES    hypothesis examples for the export fuzz     (default 60)
    TUI_BIG=1            the hostile corpus includes the 50 MB file  (default 5 MB)
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.support import child_env


HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEEDS = REPO / "seeds"
PYTHON = sys.executable


def env_int(name: str, default: int) -> int:
    try:
        return max(0, int(os.environ.get(name, default)))
    except ValueError:
        return default


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a user running `tui` in this checkout, without terminal or colour noise."""
    return child_env(**{"USER": "reliability", "NO_COLOR": "1", "COLUMNS": "120", **extra})


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 60, **env: str) -> subprocess.CompletedProcess:
    """`tui ARGS...` in a fresh interpreter, as a user would run it (stdin closed, output captured)."""
    return subprocess.run(
        [PYTHON, "-m", "tui", *args], cwd=cwd or REPO, env=cli_env(**env), capture_output=True, text=True,
        timeout=timeout, stdin=subprocess.DEVNULL,
    )


def file_digest(path: Path) -> str | None:
    """sha256 of the file's bytes; None when it is missing or empty (an empty -wal holds nothing)."""
    data = path.read_bytes() if path.exists() else b""
    return hashlib.sha256(data).hexdigest() if data else None


def db_fingerprint(path: Path) -> tuple[str | None, str | None, str]:
    """(sha256 of the file, sha256 of its -wal, sha256 of the logical SQL dump): all equal = unchanged.

    The dump is read through a read-only URI connection so that taking it changes nothing.
    """
    wal = path.with_name(path.name + "-wal")
    before = file_digest(path), file_digest(wal)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dump = hashlib.sha256("\n".join(conn.iterdump()).encode("utf-8", "surrogatepass")).hexdigest()
    finally:
        conn.close()
    after = file_digest(path), file_digest(wal)
    assert before == after, "reading the dump must not change the file"
    return before[0], before[1], dump


def integrity(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
