"""The benchmarks' memory figures are the measured process's own: a child that allocates a known
amount reads as that amount, however big the benchmark runner is (wait4's ru_maxrss of a forked
child reported the runner's size instead)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUNNER_MB = 300
CHILD_MB = 64

# A child that holds CHILD_MB (or nothing) resident, says so on its terminal, and waits or exits.
CHILD = """
import sys, time
size = int(sys.argv[1]) << 20
buf = bytearray(size)
buf[::4096] = b"\\x01" * len(range(0, size, 4096))  # touch every page: resident
print("child-ready", flush=True)
if sys.argv[2] == "wait":
    time.sleep(30)
"""

# The runner grows to RUNNER_MB first, then measures the child both ways the benchmarks do.
RUNNER = f"""
import json, sys
from pathlib import Path
from bench.ptyrun import clean_env, time_first_frame
from bench.rss import run_measured
ballast = bytearray({RUNNER_MB} << 20)
ballast[::4096] = b"\\x01" * len(range(0, len(ballast), 4096))
child = [sys.executable, "-c", {CHILD!r}]
env = clean_env(Path(sys.argv[1]))
figures = {{}}
for mb in (0, {CHILD_MB}):
    figures[f"pty {{mb}}"] = time_first_frame(child + [str(mb), "wait"], [b"child-ready"], env=env).max_rss_mb
    measured = run_measured(child + [str(mb), "exit"])
    assert measured.returncode == 0, measured.stderr
    figures[f"run {{mb}}"] = measured.max_rss_mb
print(json.dumps(figures))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_child_reads_as_its_own_size_whatever_the_runners(tmp_path):
    result = subprocess.run([sys.executable, "-c", RUNNER, str(tmp_path)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    for way in ("pty", "run"):
        bare, grown = figures[f"{way} 0"], figures[f"{way} {CHILD_MB}"]
        assert bare < RUNNER_MB / 3, f"{way}: a bare interpreter read as {bare:.0f} MB (the runner's size?)"
        assert CHILD_MB * 0.9 <= grown - bare <= CHILD_MB * 1.25, (way, figures)
