"""The suggestion benchmark runs end to end on tiny data (timings are not asserted: see BENCHMARKS.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_suggest_benchmark_produces_its_rows(tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--quiet", "--repeat", "1", "--scale-docs", "60",
         "--scale-spans", "600", "--out", str(tmp_path / "cache"), "--json", str(out), "--only", "suggest"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    rows = json.loads(out.read_text())["rows"]
    names = [row["name"] for row in rows]
    assert any(name.startswith("suggest: one article, 60-article database") for name in names), names
    budget = next(row for row in rows if row["name"].startswith("suggest: one article"))
    assert budget["met"] in (True, False) and budget["samples"]
