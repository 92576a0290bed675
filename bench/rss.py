"""Peak resident memory of the measured process itself, never of the benchmark runner.

``wait4``'s ``ru_maxrss`` is wrong for a child forked from a big parent: Linux copies the parent's
resident-page counters into the child at fork and keeps their high-water mark across ``exec``, so
a 15 MB app started by a 120 MB runner reads 120 MB (every row of a run used to read the runner's
size). Two honest measures instead:

- ``vm_hwm_mb(pid)``: ``VmHWM`` from ``/proc/PID/status``, the high-water mark of the process's own
  address space (a new one since its ``exec``), read while it runs (e.g. at its first frame);
- ``run_measured(argv)``: runs a command to completion through ``bench/launcher.py``, a small
  process that forks the command and reports the command's own ``wait4`` figures: the copy at
  fork is then the launcher's few MB, below any Python app's own peak.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = Path(__file__).with_name("launcher.py")


def vm_hwm_mb(pid: int) -> float:
    """Peak resident set size (VmHWM) of a live process in MB; NaN once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return float("nan")


@dataclass
class Measured:
    seconds: float  # wall clock, launcher included (a few tens of ms)
    max_rss_mb: float  # the command's own peak resident set size
    cpu_seconds: float  # the command's user + system time
    returncode: int
    stderr: str


def run_measured(argv: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
                 stdout: int | None = subprocess.DEVNULL) -> Measured:
    """Run `argv` to completion; its own peak RSS and CPU time (see the module docstring)."""
    read_end, write_end = os.pipe()
    started = time.perf_counter()
    try:
        process = subprocess.Popen(
            [sys.executable, "-S", str(LAUNCHER), str(write_end), *argv], stdout=stdout,
            stderr=subprocess.PIPE, env=env, cwd=cwd, pass_fds=(write_end,),
        )
    finally:
        os.close(write_end)
    with os.fdopen(read_end, "r") as report_pipe:
        _, stderr = process.communicate()
        report = report_pipe.read()
    elapsed = time.perf_counter() - started
    figures = json.loads(report) if report else {"maxrss_kb": float("nan"), "cpu": float("nan"),
                                                  "returncode": process.returncode}
    return Measured(elapsed, figures["maxrss_kb"] / 1024, figures["cpu"], figures["returncode"],
                    stderr.decode(errors="replace") if stderr else "")
