"""`python -m bench`: run every benchmark and print one table of ratios against same-run references.

    python -m bench                       # everything, full sizes (100,000 articles, 1,000,000 spans)
    python -m bench --quick               # CI-sized: 10,000 articles, 100,000 spans, fewer repetitions
    python -m bench --only start save     # some benchmarks only
    python -m bench --scale-docs 50000 --scale-spans 500000 --repeat 5 --json out.json
    python -m bench --backend postgres    # start, picker, export, save, concurrency on a throwaway
                                          # PostgreSQL server, each against SQLite in the same run
    python -m bench --backend both        # everything above plus the PostgreSQL rows

Generated data is cached in bench/out/ (git-ignored), keyed by size: the first full run builds
about 1 GB of databases and JSONL there, later runs reuse them.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench.common import OUT, Config, Row, format_value, machine

BENCHMARKS = ("start", "scale", "stats", "picker", "import", "export", "save", "suggest", "agree", "layout", "keys",
              "concurrency")
BACKENDS = ("sqlite", "postgres", "both")


def _start(cfg: Config, selected: set[str]) -> list[Row]:
    from bench import bench_start

    rows = bench_start.run(cfg, scale="scale" in selected)
    if "start" not in selected:
        rows = [row for row in rows if row.group == "scale"]
    return rows


def _layout(cfg: Config) -> list[Row]:
    from bench import bench_layout

    rows = bench_layout.run(cfg.quick, repeat=cfg.repeat)
    floor = next(r for r in rows if r["name"].startswith("floor: "))
    out = []
    for r in rows:
        is_full = r["name"].startswith("tui.layout full")
        out.append(Row(
            f"layout: {r['name']}", "s", [r["min_s"], r["median_s"], r["max_s"]],
            "reshape + get_display floor" if r is not floor else "", [floor["median_s"]] if r is not floor else [],
            target=None, group="layout",
            note=f"{r.get('text_bytes', 0):,} bytes, {r['runs']} runs",
        ))
        if is_full:  # the target is judged on the median of back-to-back pairs (robust to noise)
            out.append(Row(
                "layout: full layout / floor, median of back-to-back pairs", "x", r["paired_ratios"],
                "(each pair: ours / floor)", [1.0], target=1.5, group="layout",
                note=f"{len(r['paired_ratios'])} pairs, order alternating",
            ))
    return out


def _keys(cfg: Config) -> list[Row]:
    from bench import bench_keys

    rows = bench_keys.run(cfg.quick)
    baseline = rows[0]
    out = []
    for r in rows:
        is_baseline = r is baseline
        out.append(Row(
            f"keys: {r['operation']}", "ms", [r["min_ms"], r["median_ms"], r["max_ms"]],
            "" if is_baseline else "TextArea cursor move", [] if is_baseline else [baseline["median_ms"]],
            target=None if is_baseline else 1.0, group="keys",
            note=f"{r['keys']} keys, {r.get('text_bytes', 0):,} bytes",
        ))
    return out


def _suggest(cfg: Config) -> list[Row]:
    from bench import bench_suggest

    return bench_suggest.run(cfg)


def _agree(cfg: Config) -> list[Row]:
    from bench import bench_agree

    return bench_agree.run(cfg)


def runners(selected: set[str], backend: str = "sqlite") -> list[tuple[str, Callable[[Config], list[Row]]]]:
    from bench import bench_store

    plan: list[tuple[str, Callable[[Config], list[Row]]]] = []
    if backend == "postgres":  # only the PostgreSQL rows (each with SQLite's figure from the same run)
        return [("postgres", lambda cfg: _postgres(cfg, selected))]
    if selected & {"start", "scale"}:
        plan.append(("start" if "start" in selected else "scale", lambda cfg: _start(cfg, selected)))
    table = {
        "stats": bench_store.bench_stats, "picker": bench_store.bench_picker, "import": bench_store.bench_import,
        "export": bench_store.bench_export, "save": bench_store.bench_save, "layout": _layout, "keys": _keys,
        "suggest": _suggest, "agree": _agree,
    }
    for name in BENCHMARKS:
        if name in table and name in selected:
            plan.append((name, table[name]))
    if backend == "both":
        plan.append(("postgres", lambda cfg: _postgres(cfg, selected)))
    return plan


def _postgres(cfg: Config, selected: set[str]) -> list[Row]:
    from bench import bench_postgres

    return bench_postgres.run(cfg, selected)


def render_table(rows: list[Row]) -> str:
    headers = ("benchmark", "median", "min", "max", "reference (median)", "ratio", "target", "met?")
    lines = []
    for row in rows:
        ref = row.reference
        ratio = row.ratio
        met = {True: "yes", False: "NO", None: ""}[row.met]
        lines.append((
            row.name, format_value(row.median, row.unit), format_value(min(row.samples), row.unit),
            format_value(max(row.samples), row.unit),
            f"{format_value(ref, row.unit)} {row.reference_name}".strip() if ref is not None else "",
            f"{ratio:.2f}x" if ratio is not None else "", row.target_text, met,
        ))
    widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h) for i, h in enumerate(headers)]
    right = {1, 2, 3, 5}

    def fmt(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.rjust(w) if i in right else c.ljust(w)
                                 for i, (c, w) in enumerate(zip(cells, widths))) + " |"

    out = [fmt(headers), "|" + "|".join(("-" * (w + 1) + ":" if i in right else "-" * (w + 2))
                                         for i, w in enumerate(widths)) + "|"]
    out += [fmt(line) for line in lines]
    return "\n".join(out)


def render_machine(info: dict) -> str:
    return (f"machine: {info['cpu']} · {info['cores']} cores · {info['memory']} RAM · {info['platform']} · "
            f"{info['python']} · load average {info['load_average']}")


def _compile_sources() -> None:
    """Byte-compile tui/ as an install would: every child process then loads cached bytecode, even
    when the environment sets PYTHONDONTWRITEBYTECODE (the reference apps' packages are compiled)."""
    import compileall

    from bench.common import ROOT

    compileall.compile_dir(ROOT / "tui", quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI-sized run: small data, fewer repetitions")
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=BENCHMARKS,
                        help=f"run only these: {', '.join(BENCHMARKS)}")
    parser.add_argument("--scale-docs", type=int, default=100_000, metavar="N",
                        help="articles in the scale database and the import file (default 100,000; --quick caps at 10,000)")
    parser.add_argument("--scale-spans", type=int, default=1_000_000, metavar="N",
                        help="spans in the scale database (default 1,000,000; --quick caps at 100,000)")
    parser.add_argument("--repeat", type=int, default=None, metavar="N",
                        help="repetitions per figure (default: 5 for start-up and the picker, 3 otherwise; fewer with --quick)")
    parser.add_argument("--backend", choices=BACKENDS, default="sqlite",
                        help="sqlite (default): the benchmarks as always; postgres: start, picker, export, save and "
                             "concurrency on a throwaway PostgreSQL server against SQLite; both: all of it")
    parser.add_argument("--annotators", type=int, default=16, metavar="N",
                        help="concurrency (with --backend postgres/both): annotator processes at once (default 16)")
    parser.add_argument("--operations", type=int, default=1000, metavar="N",
                        help="concurrency: operations per annotator (default 1,000)")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="also write the rows as JSON")
    parser.add_argument("--out", type=Path, default=OUT, help="cache and scratch folder (default bench/out)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    # A terminated run still stops the apps it started (ptyrun's finally blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    cfg = Config(quick=args.quick, repeat=args.repeat, scale_docs=args.scale_docs, scale_spans=args.scale_spans,
                 out=args.out, verbose=not args.quiet, backend=args.backend, annotators=args.annotators,
                 operations=args.operations)
    selected = set(args.only or BENCHMARKS)
    _compile_sources()
    info_before = machine()
    print(render_machine(info_before), flush=True)
    rows: list[Row] = []
    failures: list[str] = []
    started = time.perf_counter()
    for name, run in runners(selected, cfg.backend):
        cfg.log(f"{name}…")
        began = time.perf_counter()
        try:
            rows.extend(run(cfg))
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            failures.append(f"{name}: {exc}")
            traceback.print_exc()
        cfg.log(f"{name} done in {time.perf_counter() - began:.1f} s")
    postgres = sys.modules.get("bench.bench_postgres")
    if postgres is not None:
        failures.extend(getattr(postgres, "FAILURES", []))
    info = machine()
    print()
    print(render_table(rows))
    print()
    print(render_machine(info))
    print(f"{'quick' if cfg.quick else 'full'} run, {time.perf_counter() - started:.0f} s; ratios compare figures "
          "measured in this same run (lower is better, except throughputs: docs/s, spans/s).")
    missed = [row.name for row in rows if row.met is False]
    if missed:
        print(f"targets missed: {len(missed)} ({'; '.join(missed)})")
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    if args.json is not None:
        args.json.write_text(json.dumps({
            "machine": info, "machine_before": info_before, "quick": cfg.quick,
            "scale_docs": cfg.scale_docs, "scale_spans": cfg.scale_spans, "backend": cfg.backend,
            "rows": [row.as_dict() for row in rows], "failures": failures,
        }, indent=2, ensure_ascii=False, default=str))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
