"""The PostgreSQL benchmark (`python -m bench --backend postgres`) runs end to end at a tiny size on
its own throwaway server (tests/postgres_server.py, as the tests use it): a row for each benchmark,
each against SQLite's figure from the same run, and the concurrency check finds nothing lost.
Timings are NOT asserted (BENCHMARKS.md has the figures)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import postgres_server

ROOT = Path(__file__).resolve().parents[1]


def test_the_postgres_benchmark_produces_every_row_against_sqlite(tmp_path: Path) -> None:
    reason = postgres_server.unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    out = tmp_path / "rows.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--quiet", "--repeat", "1", "--scale-docs", "60",
         "--scale-spans", "600", "--annotators", "2", "--operations", "15", "--backend", "postgres",
         "--out", str(tmp_path / "cache"), "--json", str(out), "--only", "start", "picker", "export", "save",
         "concurrency"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    report = json.loads(out.read_text())
    names = [row["name"] for row in report["rows"]]
    for prefix in ("postgres start:", "postgres picker filter:", "postgres picker full-text", "postgres export:",
                   "postgres save: Store.add_span commit latency p50", "postgres save: Store.add_span commit latency p99",
                   "postgres concurrency: 2 annotators x 15 operations, 0 lost"):
        assert any(name.startswith(prefix) for name in names), (prefix, names)
    for row in report["rows"]:
        assert row["samples"] and all(value > 0 for value in row["samples"]), row
        if not row["note"].startswith("informational") and not row["name"].startswith("postgres: copy"):
            assert row["reference"] is not None and row["ratio"] is not None, row
    assert report["backend"] == "postgres" and not report["failures"]
