"""`tui agree` on the scale database (100,000 articles / 1,000,000 spans by three annotators).

- time: `tui agree --json` (every pair and label: exact and overlap F1, kappa; alpha per label; the
  ranked documents), against a floor measured in the same run: one Python pass over the same span
  rows (SELECT ... FROM spans ORDER BY document_id) doing nothing with them. The issue's bound is
  absolute (under 30 s on the full database); the ratio says what the figures cost over reading.
- memory: the command's peak RSS against `tui` starting on the seeds (target: at most 10x).
- merge: `tui merge --into gold --dry-run` (the vote count in SQL), informational.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
from pathlib import Path

from bench import data
from bench.bench_start import ANNOTATOR, SIZE, _first_words, tui_command
from bench.common import Config, Row, scale_sizes
from bench.ptyrun import clean_env, time_first_frame
from bench.rss import run_measured


def _run_measured(argv: list[str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, CPU seconds user+sys) of one child process, output discarded;
    the RSS is the command's own (bench/rss.py), not this runner's."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    measured = run_measured(argv, env=env)
    if measured.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({measured.returncode}): {measured.stderr[-600:]}")
    return measured.seconds, measured.max_rss_mb, measured.cpu_seconds


_FLOOR = """
import sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
n = 0
for row in conn.execute('SELECT document_id, annotator, label, start, "end" FROM spans ORDER BY document_id, annotator'):
    n += 1
print(n)
"""


def run(cfg: Config) -> list[Row]:
    docs, spans = scale_sizes(cfg)
    db = data.scale_db(cfg, docs, spans)
    seeds = data.seeds_db(cfg)
    repeat = cfg.repeats(3, 2)
    agree, agree_rss, agree_cpu, floor, floor_cpu, merge = [], [], [], [], [], []
    seeds_rss: list[float] = []
    with tempfile.TemporaryDirectory(dir=cfg.out, prefix="agree-") as scratch:
        env = clean_env(Path(scratch))
        start_argv = tui_command() + ["--db", str(seeds), "--annotator", ANNOTATOR]
        markers = [ANNOTATOR.encode(), _first_words(seeds, "vi")]
        time_first_frame(start_argv, markers, env=env, cwd=Path(scratch), size=SIZE)  # warm
        for round_ in range(repeat):
            seconds, rss, cpu = _run_measured(tui_command() + ["--db", str(db), "agree", "--json"])
            agree.append(seconds)
            agree_rss.append(rss)
            agree_cpu.append(cpu)
            floor_seconds, _, floor_seconds_cpu = _run_measured([sys.executable, "-c", _FLOOR, str(db)])
            floor.append(floor_seconds)
            floor_cpu.append(floor_seconds_cpu)
            merge.append(_run_measured(tui_command() + ["--db", str(db), "merge", "--into", "gold", "--min-votes",
                                                        "2", "--dry-run"])[0])
            seeds_rss.append(time_first_frame(start_argv, markers, env=env, cwd=Path(scratch), size=SIZE).max_rss_mb)
            cfg.log(f"agree round {round_ + 1}/{repeat}: tui agree {seconds:.2f} s, CPU {cpu:.2f} s ({rss:.0f} MB), "
                    f"span scan {floor[-1]:.2f} s, merge --dry-run {merge[-1]:.2f} s, seeds start {seeds_rss[-1]:.0f} MB")
    label = f"{docs:,} articles / {spans:,} spans, 3 annotators"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        counted = conn.execute("SELECT count(*) FROM spans").fetchone()[0]
    return [
        Row(f"tui agree: {label}", "s", agree, "one Python pass over the span rows", floor, group="agree",
            note=f"informational ratio; issue bound: under 30 s absolute ({counted:,} spans read)"),
        Row(f"tui agree CPU time (user+sys): {label}", "s", agree_cpu, "the same span pass, CPU time", floor_cpu,
            group="agree", note="informational: steadier than wall time on a loaded machine"),
        Row(f"tui agree peak RSS: {label}", "MB", agree_rss, "tui on the seeds (peak RSS)", seeds_rss,
            target=10.0, group="agree"),
        Row(f"tui merge --dry-run: {label}", "s", merge, "one Python pass over the span rows", floor,
            group="agree", note="informational"),
    ]
