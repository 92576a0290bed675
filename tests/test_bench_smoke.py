"""The benchmark runner still runs end to end (tiny data, one repetition). Timings are NOT asserted:
speed is judged by `python -m bench` and BENCHMARKS.md, not by tests on a shared machine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_bench(tmp_path: Path, *only: str) -> dict:
    out = tmp_path / "rows.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--quiet", "--repeat", "1", "--scale-docs", "60",
         "--scale-spans", "600", "--out", str(tmp_path / "cache"), "--json", str(out), "--only", *only],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "machine:" in completed.stdout and "| benchmark" in completed.stdout
    return json.loads(out.read_text())


def test_data_benchmarks_produce_a_row_each(tmp_path: Path) -> None:
    report = run_bench(tmp_path, "import", "export", "save", "stats", "picker")
    names = [row["name"] for row in report["rows"]]
    for prefix in ("import:", "export:", "save: Store.add_span commit latency p50",
                   "save: Store.add_span commit latency p99", "tui stats:", "picker filter:",
                   "search index: tui index after"):
        assert any(name.startswith(prefix) for name in names), (prefix, names)
    for row in report["rows"]:
        assert row["samples"] and row["reference"] is not None and row["ratio"] is not None
        if not row["note"].startswith("informational"):
            assert row["met"] in (True, False)  # every data benchmark has a target
    assert report["machine"]["cores"] and report["machine"]["cpu"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="start-up timing uses a Linux pty")
def test_start_benchmarks_time_the_real_app_to_its_first_frame(tmp_path: Path) -> None:
    report = run_bench(tmp_path, "start", "scale")
    names = [row["name"] for row in report["rows"]]
    for prefix in ("start: tui on the seeds", "open big:", "scale start:", "scale peak RSS:"):
        assert any(name.startswith(prefix) for name in names), (prefix, names)
    for row in report["rows"]:
        assert all(value > 0 for value in row["samples"]), row


def test_generated_scale_database_matches_the_store_schema(tmp_path: Path) -> None:
    from bench import data
    from bench.common import Config
    from tui.store import Store

    path = data.scale_db(Config(out=tmp_path, verbose=False), 20, 200)
    with Store.open(path) as store:
        assert store.count_documents() == 20
        listed = store.list_documents(limit=5)
        assert [doc.language for doc in listed[:2]] == ["vi", "ar"]
        document = store.get_document(listed[0].id)
        spans = store.spans(document.id)
        assert spans and all(document.text[s.start:s.end] == s.text for s in spans)
        total = store.connection.execute("SELECT count(*) FROM spans").fetchone()[0]
        assert total == 200
        assert store.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
