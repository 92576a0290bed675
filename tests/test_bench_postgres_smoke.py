"""The PostgreSQL benchmark (`python -m bench --backend postgres`) runs end to end at a tiny size on
its own throwaway server (tests/postgres_server.py, as the tests use it): a row for each benchmark,
each against SQLite's figure from the same run, and the concurrency check finds nothing lost.
Timings are NOT asserted (BENCHMARKS.md has the figures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import postgres_server
from tests.support import run_bench


def test_the_postgres_benchmark_produces_every_row_against_sqlite(tmp_path: Path) -> None:
    reason = postgres_server.unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    report = run_bench(tmp_path, "start", "picker", "export", "save", "concurrency",
                       extra=("--annotators", "2", "--operations", "15", "--backend", "postgres"), timeout=600)
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
