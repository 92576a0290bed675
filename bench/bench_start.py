"""Start-up: `tui` from process start to its first full frame, in a pseudo-terminal (120x32).

- start: `tui` on the seeds database against a minimal Textual app with one Static; and, as a
  floor, tui's screen drawn by Textual alone (bench/floor_app.py: same widgets and stylesheet, no
  tui code) against the same minimal app;
- open big: `tui` with a 1 MB Arabic article in the Arabic pane, against the seeds start;
- scale: `tui` on the generated 100,000-article / 1,000,000-span database against the seeds
  start, in time and in peak RSS (nothing may read every document at start).

All apps are timed by the same code (bench/ptyrun.py), interleaved run by run so that machine
noise hits them alike. "First full frame" = every marker drawn: the status line (second-to-last
row, painted once the main screen is complete) and text from the article(s) in the panes.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from bench import data
from bench.common import ROOT, Config, Row
from bench.ptyrun import clean_env, time_first_frame

ANNOTATOR = "bench-annotator"
SIZE = (120, 32)
SEED_FILES = ("000_", "003_")  # the Vietnamese and Arabic articles tui shows first on the seeds


def tui_command() -> list[str]:
    script = Path(sys.executable).parent / "tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


def _first_words(path: Path, language: str, count: int = 2) -> bytes:
    conn = __import__("sqlite3").connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT text FROM documents WHERE language = ? ORDER BY seq LIMIT 1", (language,)).fetchone()
    finally:
        conn.close()
    return " ".join(row[0].split()[:count]).encode("utf-8")


def _seed_files() -> list[Path]:
    return [next((ROOT / "seeds").glob(prefix + "*.txt")) for prefix in SEED_FILES]


def run(cfg: Config, *, scale: bool = True) -> list[Row]:
    repeat = cfg.repeats(5, 3)
    seeds = data.seeds_db(cfg)
    big = data.big_db(cfg)
    docs, spans = (min(cfg.scale_docs, 10_000), min(cfg.scale_spans, 100_000)) if cfg.quick else (
        cfg.scale_docs, cfg.scale_spans)
    scaled = data.scale_db(cfg, docs, spans) if scale else None

    def tui(db: Path) -> list[str]:
        return tui_command() + ["--db", str(db), "--annotator", ANNOTATOR]

    cases: dict[str, tuple[list[str], list[bytes]]] = {
        "minimal": ([sys.executable, str(ROOT / "bench" / "minimal_app.py")],
                    [b"minimal-textual-app-first-frame"]),
        "floor": ([sys.executable, str(ROOT / "bench" / "floor_app.py"), *map(str, _seed_files()), ANNOTATOR],
                  [ANNOTATOR.encode(), _first_words(seeds, "vi")]),
        "seeds": (tui(seeds), [ANNOTATOR.encode(), _first_words(seeds, "vi")]),
        "big": (tui(big), [ANNOTATOR.encode(), _first_words(big, "vi"), data.BIG_MARKER.encode()]),
    }
    if scaled is not None:
        cases["scale"] = (tui(scaled), [ANNOTATOR.encode(), _first_words(scaled, "vi")])
    seconds: dict[str, list[float]] = {name: [] for name in cases}
    rss: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    with tempfile.TemporaryDirectory(dir=cfg.out, prefix="start-") as scratch:
        env = clean_env(Path(scratch))
        for name, (argv, markers) in cases.items():  # warm the page cache and .pyc files once
            time_first_frame(argv, markers, env=env, cwd=Path(scratch), size=SIZE)
        for round_ in range(repeat):
            for name, (argv, markers) in cases.items():
                result = time_first_frame(argv, markers, env=env, cwd=Path(scratch), size=SIZE)
                seconds[name].append(result.seconds)
                rss[name].append(result.max_rss_mb)
                cpu[name].append(result.cpu_seconds)
            cfg.log(f"start round {round_ + 1}/{repeat}: "
                    + ", ".join(f"{n} {statistics.median(v):.3f}s" for n, v in seconds.items()))
    rows = [
        Row("start: tui on the seeds, to first full frame", "s", seconds["seeds"],
            "minimal Textual app (one Static)", seconds["minimal"], target=1.3, group="start"),
        Row("floor: tui's screen drawn by Textual alone (no tui code)", "s", seconds["floor"],
            "minimal Textual app (one Static)", seconds["minimal"], group="start",
            note="informational: what Textual charges for tui's widgets and stylesheet"),
        Row("start: tui on the seeds against that floor", "s", seconds["seeds"],
            "tui's screen by Textual alone", seconds["floor"], group="start",
            note="informational: what tui's own code adds"),
        Row("open big: 1 MB Arabic article in a pane", "s", seconds["big"],
            "tui on the seeds", seconds["seeds"], target=1.5, group="start"),
        Row("start CPU time (user+sys to first frame): tui on the seeds", "s", cpu["seeds"],
            "minimal Textual app", cpu["minimal"], group="start", note="informational: steadier than wall time"),
        Row("floor CPU time: tui's screen by Textual alone", "s", cpu["floor"],
            "minimal Textual app", cpu["minimal"], group="start", note="informational"),
        Row("open big CPU time", "s", cpu["big"], "tui on the seeds", cpu["seeds"], group="start",
            note="informational"),
        Row("peak RSS: tui on the seeds", "MB", rss["seeds"], "minimal Textual app", rss["minimal"],
            group="start", note="informational"),
    ]
    if scaled is not None:
        label = f"{docs:,} articles / {spans:,} spans"
        rows += [
            Row(f"scale start: {label}", "s", seconds["scale"], "tui on the seeds", seconds["seeds"],
                target=1.2, group="scale"),
            Row(f"scale peak RSS: {label}", "MB", rss["scale"], "tui on the seeds", rss["seeds"],
                target=1.2, group="scale"),
            Row(f"scale start CPU time: {label}", "s", cpu["scale"], "tui on the seeds", cpu["seeds"],
                group="scale", note="informational"),
        ]
    return rows
