"""The agree benchmark still runs end to end (tiny data, one repetition); timings are not asserted."""

from __future__ import annotations

from pathlib import Path

from tests.support import run_bench


def test_agree_benchmark_produces_its_rows(tmp_path: Path) -> None:
    rows = run_bench(tmp_path, "agree", docs=40, spans=400)["rows"]
    names = [row["name"] for row in rows]
    for prefix in ("tui agree:", "tui agree CPU time", "tui agree peak RSS:", "tui merge --dry-run:"):
        assert any(name.startswith(prefix) for name in names), (prefix, names)
    rss = next(row for row in rows if row["name"].startswith("tui agree peak RSS:"))
    assert rss["met"] in (True, False) and all(value > 0 for value in rss["samples"])
