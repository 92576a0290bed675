"""The agree benchmark still runs end to end (tiny data, one repetition); timings are not asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_agree_benchmark_produces_its_rows(tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--quiet", "--repeat", "1", "--scale-docs", "40",
         "--scale-spans", "400", "--out", str(tmp_path / "cache"), "--json", str(out), "--only", "agree"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    rows = json.loads(out.read_text())["rows"]
    names = [row["name"] for row in rows]
    for prefix in ("tui agree:", "tui agree CPU time", "tui agree peak RSS:", "tui merge --dry-run:"):
        assert any(name.startswith(prefix) for name in names), (prefix, names)
    rss = next(row for row in rows if row["name"].startswith("tui agree peak RSS:"))
    assert rss["met"] in (True, False) and all(value > 0 for value in rss["samples"])
