"""Where `tui`'s start-up CPU time goes: cProfile (CPU clock) from process start to the first full frame.

    python -m bench.profile_start [--db PATH] [--top N] [--floor]

Runs `tui --db DB` in a 120x32 pseudo-terminal under cProfile, started before the first `tui` import,
and stops it the moment its first full frame is on the pty (the same markers as the start benchmark,
bench/ptyrun.py): the child dumps the profile on that SIGTERM. Prints CPU time by package (self time
of the functions in each) and the functions with the most cumulative time; saves the raw profile to
bench/out/start.prof (open it with pstats or snakeviz). With --floor, profiles bench/floor_app.py
(tui's screen drawn by Textual alone) instead, for comparison.
"""

from __future__ import annotations

import argparse
import pstats
import sys
from pathlib import Path

from bench.common import OUT, ROOT, Config

CHILD = r"""
import cProfile, os, runpy, signal, sys, time
profile = cProfile.Profile(time.process_time)
profile.enable()

def dump(*_):
    profile.disable()
    profile.dump_stats(os.environ["PROFILE_OUT"])
    os._exit(0)

signal.signal(signal.SIGTERM, dump)
_signal = signal.signal
signal.signal = lambda sig, handler: None if sig == signal.SIGTERM else _signal(sig, handler)  # keep ours
sys.argv = sys.argv[1:]
if sys.argv[0] == "tui":
    import tui.launch
    tui.launch.main()
else:
    runpy.run_path(sys.argv[0], run_name="__main__")
time.sleep(60)  # exited before the frame: the parent reports it
"""


def package_of(filename: str) -> str:
    path = filename.replace("\\", "/")
    if "/tui/" in path and "site-packages" not in path:
        parts = path.split("/tui/", 1)[1].split("/")
        return "tui." + parts[0].removesuffix(".py") if len(parts) > 1 else "tui." + parts[0].removesuffix(".py")
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/")[0].removesuffix(".py")
    if path.startswith("<frozen importlib") or "importlib" in path:
        return "(import machinery)"
    if path.startswith("~") or path.startswith("<"):
        return "(builtins: C functions)"
    return "(standard library)"


def main(argv: list[str] | None = None) -> None:
    import tempfile
    import time

    from bench import data
    from bench.bench_start import ANNOTATOR, _first_words, _seed_files
    from bench.ptyrun import clean_env, time_first_frame

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="database (default: the seeds database)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--floor", action="store_true", help="profile bench/floor_app.py instead of tui")
    args = parser.parse_args(argv)
    cfg = Config(verbose=False)
    db = (args.db or data.seeds_db(cfg)).resolve()  # the child runs in a scratch folder
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / "start.prof"
    out.unlink(missing_ok=True)
    if args.floor:
        target = [str(ROOT / "bench" / "floor_app.py"), *map(str, _seed_files()), ANNOTATOR]
    else:
        target = ["tui", "--db", str(db), "--annotator", ANNOTATOR]
    with tempfile.TemporaryDirectory(dir=OUT) as scratch:
        env = clean_env(Path(scratch))
        env["PROFILE_OUT"] = str(out)
        result = time_first_frame([sys.executable, "-c", CHILD, *target], [ANNOTATOR.encode(), _first_words(db, "vi")],
                                  env=env, cwd=Path(scratch))
        for _ in range(100):  # the child writes the profile as it exits
            if out.exists() and out.stat().st_size:
                break
            time.sleep(0.05)
    print(f"first full frame after {result.seconds:.3f} s wall, {result.cpu_seconds:.3f} s CPU (under the profiler)")
    stats = pstats.Stats(str(out))
    total = sum(entry[2] for entry in stats.stats.values())
    imports = next((entry[3] for (filename, _, name), entry in stats.stats.items()
                    if name == "_find_and_load"), 0.0)
    by_package: dict[str, float] = {}
    for (filename, _, _), (_, _, self_time, _, _) in stats.stats.items():
        key = package_of(filename)
        by_package[key] = by_package.get(key, 0.0) + self_time
    print(f"CPU time to the first full frame under cProfile: {total:.3f} s (profiling inflates it; compare shares)")
    print(f"of which inside imports: {imports:.3f} s ({imports / total:.0%})")
    print(f"{'package (self time)':32} {'seconds':>8} {'share':>6}")
    for name, seconds in sorted(by_package.items(), key=lambda kv: -kv[1])[:18]:
        print(f"{name:32} {seconds:8.3f} {seconds / total:6.1%}")
    print()
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
