"""Where `tui`'s start-up CPU time goes: cProfile (CPU clock) from process start to the first full frame.

    python -m bench.profile_start [--db PATH] [--top N]

Runs the real CLI (`tui --db DB`) in a pseudo-terminal with a profiler started before the first
`tui` import; the main screen exits the app two refreshes after it has mounted (the first full
frame). Prints CPU time by package (self time of the functions in each) and the functions with the
most cumulative time; saves the raw profile to bench/out/start.prof (open it with pstats or snakeviz).
"""

from __future__ import annotations

import argparse
import os
import pstats
import sys
from pathlib import Path

from bench.common import OUT, Config

CHILD = r"""
import cProfile, sys, time
profile = cProfile.Profile(time.process_time)
profile.enable()
import tui.cli
import tui.ui.screens.main as main_screen

original = main_screen.MainScreen.on_mount

def on_mount(self):
    original(self)
    self.call_after_refresh(lambda: self.call_after_refresh(self.app.exit))

main_screen.MainScreen.on_mount = on_mount
sys.argv = ["tui", "--db", sys.argv[1], "--annotator", "bench-annotator"]
try:
    tui.cli.main()
except SystemExit:
    pass
profile.disable()
profile.dump_stats(OUT_PATH)
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
    from bench import data
    from bench.ptyrun import clean_env
    import subprocess
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="database (default: the seeds database)")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    cfg = Config(verbose=False)
    db = (args.db or data.seeds_db(cfg)).resolve()  # the child runs in a scratch folder
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / "start.prof"
    out.unlink(missing_ok=True)
    script = CHILD.replace("OUT_PATH", repr(str(out)))
    with tempfile.TemporaryDirectory(dir=OUT) as scratch:
        master, slave = os.openpty()
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 120, 0, 0))
        process = subprocess.Popen([sys.executable, "-c", script, str(db)], stdin=slave, stdout=slave,
                                   stderr=slave, env=clean_env(Path(scratch)), cwd=scratch)
        os.close(slave)
        while True:  # drain the pty until the child exits
            try:
                if not os.read(master, 1 << 16):
                    break
            except OSError:
                break
        process.wait(timeout=120)
        os.close(master)
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
