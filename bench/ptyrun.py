"""Run a terminal app in a pseudo-terminal and time it from process start to its first full frame.

The clock starts just before the child is spawned and stops when every marker (byte strings the
finished first screen must contain: text from its bottom rows and from the article shown) has
arrived on the pty. Its peak resident set size is read then, from its own ``VmHWM`` (bench/rss.py:
``wait4``'s ``ru_maxrss`` would report the benchmark runner's size whenever that is bigger), and the
app is sent SIGTERM (SIGKILL if it lingers). The app and the reference are measured by exactly this code.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass
from pathlib import Path

from bench.rss import vm_hwm_mb


class FrameTimeout(RuntimeError):
    """The markers never appeared: the app failed or drew something else."""


@dataclass
class StartResult:
    seconds: float  # process start -> every marker on the pty (wall clock)
    cpu_seconds: float  # CPU time (user + system) the child had used by then: steadier on a busy machine
    max_rss_mb: float  # the child's own peak resident set size at its first frame (VmHWM)
    output_bytes: int


def clean_env(config_home: Path) -> dict[str, str]:
    """A plain 256-colour terminal, no user config, no colour overrides."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TEXTUAL", "TMUX", "STY", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES"))
           and key != "PYTHONDONTWRITEBYTECODE"}  # as installed: compiled modules are cached
    env.update(TERM="xterm-256color", XDG_CONFIG_HOME=str(config_home), LANG=env.get("LANG", "C.UTF-8"))
    env.pop("COLORTERM", None)
    return env


def time_first_frame(
    argv: list[str], markers: list[bytes], *, env: dict[str, str], cwd: Path | None = None,
    size: tuple[int, int] = (120, 32), timeout: float = 60.0,
) -> StartResult:
    """Spawn `argv` on a fresh pty of `size` (columns, rows); time until all `markers` were drawn."""
    master, slave = os.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
                               start_new_session=True, close_fds=True)
    os.close(slave)
    buffer = bytearray()
    pending = list(markers)
    seconds: float | None = None
    cpu = rss = float("nan")
    deadline = started + timeout
    reaped: tuple | None = None  # (status, rusage) once the child is gone
    try:
        while pending and time.perf_counter() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    reaped = (status, rusage)
                    break
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed the pty
                break
            if not chunk:
                break
            now = time.perf_counter()
            buffer += chunk
            # Search only the recent tail for markers not yet seen (a marker may straddle reads).
            window = bytes(buffer[-(len(chunk) + 256):])
            pending = [m for m in pending if m not in window and m not in buffer]
            if not pending:
                seconds = now - started
                cpu = _cpu_seconds(process.pid)
                rss = vm_hwm_mb(process.pid)
    finally:
        _stop(process, master, reaped)
    if seconds is None:
        tail = bytes(buffer[-400:]).decode("utf-8", "replace")
        raise FrameTimeout(f"{' '.join(argv[:3])}...: markers {pending!r} never appeared "
                           f"(exit {process.returncode}); last output: {tail!r}")
    return StartResult(seconds, cpu, rss, len(buffer))


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a live process (all its threads), from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stop(process: subprocess.Popen, master: int, reaped: tuple | None) -> None:
    """Terminate the child, drain the pty so it cannot block, reap it."""
    status, rusage = reaped if reaped is not None else (None, None)
    try:
        os.killpg(process.pid, signal.SIGTERM)  # the whole session: the app and anything it started
    except ProcessLookupError:
        pass
    deadline = time.perf_counter() + 5
    while reaped is None and time.perf_counter() < deadline:
        pid, code, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            status, rusage = code, usage
            break
        ready, _, _ = select.select([master], [], [], 0.02)
        if ready:
            try:
                os.read(master, 1 << 16)
            except OSError:
                pass
    if status is None:
        os.killpg(process.pid, signal.SIGKILL)
        _, status, rusage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status) if status is not None else -1
    os.close(master)
