"""What every benchmark shares: the row it reports, summary statistics, the machine, paths.

A row compares one measurement with a reference measured in the same run (the machines are
shared and noisy, so only the ratio means something). ``better="lower"`` rows are times or
sizes (ratio = ours / reference); ``better="higher"`` rows are throughputs (ratio = ours /
reference throughput, i.e. reference time / our time for the same work).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"  # cached data and scratch files (git-ignored)


@dataclass
class Config:
    """Options of one `python -m bench` run."""

    quick: bool = False
    repeat: int | None = None  # None: each benchmark's default
    scale_docs: int = 100_000
    scale_spans: int = 1_000_000
    out: Path = OUT
    verbose: bool = True
    backend: str = "sqlite"  # "sqlite" (today's benchmarks), "postgres" (bench_postgres), "both"
    annotators: int = 16  # concurrency: annotator processes at once
    operations: int = 1000  # concurrency: operations per annotator

    def repeats(self, default: int, quick_default: int | None = None) -> int:
        if self.repeat is not None:
            return max(1, self.repeat)
        return quick_default if self.quick and quick_default is not None else default

    def log(self, message: str) -> None:
        if self.verbose:
            print(f"  · {message}", file=sys.stderr, flush=True)


@dataclass
class Row:
    """One line of the table."""

    name: str
    unit: str  # "s", "ms", "MB", "docs/s", ...
    samples: list[float]  # one figure per repetition (already in `unit`)
    reference_name: str = ""
    reference_samples: list[float] = field(default_factory=list)
    target: float | None = None  # bound on the ratio
    better: str = "lower"  # "lower": ratio <= target; "higher": ratio >= target
    note: str = ""
    group: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def reference(self) -> float | None:
        return statistics.median(self.reference_samples) if self.reference_samples else None

    @property
    def ratio(self) -> float | None:
        ref = self.reference
        if ref is None or ref == 0:
            return None
        return self.median / ref

    @property
    def met(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        return self.ratio <= self.target if self.better == "lower" else self.ratio >= self.target

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        return f"{'<=' if self.better == 'lower' else '>='} {self.target:g}x"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(median=self.median, min=min(self.samples), max=max(self.samples), reference=self.reference,
                    ratio=self.ratio, met=self.met, target_text=self.target_text)
        return data


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (p99 of 200 samples is the 198th smallest)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[index]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    try:
        memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                         if line.startswith("MemTotal:"))
        memory = f"{memory_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "?"
    return {
        "platform": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory": memory,
        "load_average": load,
    }


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit in ("s",):
        return f"{value:.3f} s" if value < 100 else f"{value:.0f} s"
    if unit == "ms":
        return f"{value:.2f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "MB":
        return f"{value:.1f} MB"
    if value >= 1000:
        return f"{value:,.0f} {unit}"
    return f"{value:.3g} {unit}"
