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
import time
from collections.abc import Callable, Sequence
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


def scale_sizes(cfg: Config) -> tuple[int, int]:
    """(articles, spans) of the scale database this run uses (`--quick`: at most 10,000 / 100,000)."""
    if cfg.quick:
        return min(cfg.scale_docs, 10_000), min(cfg.scale_spans, 100_000)
    return cfg.scale_docs, cfg.scale_spans


def elapsed_ms(call: Callable[..., object], *args: object) -> float:
    """Wall-clock milliseconds of one `call(*args)`."""
    began = time.perf_counter()
    call(*args)
    return (time.perf_counter() - began) * 1000


def first_document(store: Any) -> tuple[str, str]:
    """(id, text) of the first document in list order: the one the save benchmarks tag."""
    doc = store.list_documents(limit=1)[0]
    return doc.id, store.get_document(doc.id).text


SAVE_LABELS = ("entity", "claim", "date")
"""The labels the save benchmarks tag with, in turn."""


def word_ranges(text: str, count: int) -> list[tuple[int, int]]:
    """Distinct word ranges of the text (cycling through longer ones if it has too few words)."""
    words: list[tuple[int, int]] = []
    start = None
    for index, ch in enumerate(text + " "):
        if ch.isspace():
            if start is not None:
                words.append((start, index))
                start = None
        elif start is None:
            start = index
    ranges: list[tuple[int, int]] = []
    width = 1
    while len(ranges) < count:
        for i in range(0, len(words) - width + 1):
            ranges.append((words[i][0], words[i + width - 1][1]))
            if len(ranges) == count:
                break
        width += 1
    return ranges


def tags_per_save_round(cfg: Config) -> int:
    """How many tags one round of a save benchmark times."""
    return 50 if cfg.quick else 200


SaveStep = Callable[[str, int, int], object]
"""One way of saving a tag: step(label, start, end)."""


def time_saves(text: str, count: int, steps: Sequence[SaveStep]) -> list[list[float]]:
    """Milliseconds of each step for `count` tags on word ranges of `text` (labels in turn from
    SAVE_LABELS), the steps interleaved call by call; one list of samples per step."""
    samples: list[list[float]] = [[] for _ in steps]
    for index, (start, end) in enumerate(word_ranges(text, count)):
        label = SAVE_LABELS[index % len(SAVE_LABELS)]
        for step, times in zip(steps, samples):
            times.append(elapsed_ms(step, label, start, end))
    return samples


def latency_summary(names: Sequence[str], samples: Sequence[list[float]]) -> str:
    """'name p50 X ms p99 Y ms; ...' for one round's samples of each named step."""
    return "; ".join(f"{name} p50 {percentile(times, 0.50):.2f} ms p99 {percentile(times, 0.99):.2f} ms"
                     for name, times in zip(names, samples))


def percentile_by_step(rounds: list[list[list[float]]], fraction: float) -> list[list[float]]:
    """rounds[round][step] = samples -> [step][round] = that round's percentile of that step."""
    steps = len(rounds[0]) if rounds else 0
    return [[percentile(samples[step], fraction) for samples in rounds] for step in range(steps)]


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
