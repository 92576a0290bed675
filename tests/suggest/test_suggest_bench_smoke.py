"""The suggestion benchmark runs end to end on tiny data (timings are not asserted: see BENCHMARKS.md)."""

from __future__ import annotations

from pathlib import Path

from tests.support import run_bench


def test_the_suggest_benchmark_produces_its_rows(tmp_path: Path) -> None:
    rows = run_bench(tmp_path, "suggest")["rows"]
    names = [row["name"] for row in rows]
    assert any(name.startswith("suggest: one article, 60-article database") for name in names), names
    budget = next(row for row in rows if row["name"].startswith("suggest: one article"))
    assert budget["met"] in (True, False) and budget["samples"]
