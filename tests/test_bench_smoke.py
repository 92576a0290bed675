"""The benchmark runner still runs end to end (tiny data, one repetition). Timings are NOT asserted:
speed is judged by `python -m bench` and BENCHMARKS.md, not by tests on a shared machine."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support import run_bench

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
