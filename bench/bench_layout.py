"""Full layout of a ~1 MB mixed Arabic/Latin/digit document against the floor of
``arabic_reshaper.reshape`` + ``bidi.get_display`` on the same paragraphs, in the same run.

"Full layout" = ``DocumentLayout(text, 80)`` and every visual line built (``line(y)`` for all y:
shaping, clusters, UAX #9 levels, wrapping, L1/L2 reordering, mirroring, one Cell per cluster).
The floor only produces one display string per paragraph: no wrapping, no maps, no cells.
Caches are cleared before every repetition, and every paragraph is made unique, so no repetition
reuses another's work. The headline ratio is the median of back-to-back (ours, floor) pairs in
alternating order (see ``run``), with the ratio of the medians beside it. Also timed: the first
screen (24 lines) of the same document from cold, the first screen of the same text made one single
paragraph (a giant paragraph: laid out block by block), and a re-wrap at a new width. Times are CPU time of this process (``time.process_time``), which other
processes on a shared machine disturb less than wall time; still, compare ratios, not seconds.

    python bench/bench_layout.py [--size BYTES] [--repeat N] [--quick]
    python -m bench.bench_layout --quick

``run(quick) -> list[dict]`` returns the rows for a ``python -m bench`` driver.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/bench_layout.py` from a checkout
    sys.path.insert(0, str(ROOT))

import arabic_reshaper  # noqa: E402
from bidi import get_display  # noqa: E402

from tui.layout import DocumentLayout  # noqa: E402
from tui.layout import engine, giant, shaping  # noqa: E402

WIDTH = 80
SCREEN_ROWS = 24
LATIN = ["NATO", "Reuters", "Putin", "Minsk", "BBC", "(AFP)", "COVID-19", "UN", "[1]", "e-mail",
         "Lukashenko", "Oreshnik", "v2.0", "www.example.com"]


def mixed_document(size_bytes: int, seed: int = 0) -> str:
    """Seed paragraphs (Arabic and Vietnamese) with Latin words and numbers spliced in at word
    boundaries, each paragraph made unique by a running number, until ``size_bytes`` of UTF-8."""
    rng = random.Random(seed)
    paragraphs = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        paragraphs += [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    arabic = [p for p in paragraphs if any("\u0600" <= ch <= "\u06ff" for ch in p)]
    out: list[str] = []
    total = 0
    serial = 0
    while total < size_bytes:
        source = rng.choice(arabic) if rng.random() < 0.75 else rng.choice(paragraphs)
        words = source.split(" ")
        for _ in range(max(1, len(words) // 8)):
            token = rng.choice(LATIN) if rng.random() < 0.5 else rng.choice(
                [str(rng.randint(1, 3000)), f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%",
                 f"({rng.randint(1990, 2025)})", f"{rng.randint(1, 28)}/{rng.randint(1, 12)}"])
            words.insert(rng.randint(0, len(words)), token)
        serial += 1
        words.insert(rng.randint(0, len(words)), f"#{serial}")
        paragraph = " ".join(words)
        out.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 1
    return "\n".join(out)


def _clear_caches() -> None:
    engine._PREPARED_CACHE.clear()
    shaping._word_cache.clear()


def time_full_layout(text: str) -> float:
    _clear_caches()
    start = time.process_time()
    layout = DocumentLayout(text, WIDTH)
    for y in range(layout.line_count):
        layout.line(y)
    return time.process_time() - start


def time_wrap_only(text: str) -> float:
    _clear_caches()
    start = time.process_time()
    DocumentLayout(text, WIDTH).line_count
    return time.process_time() - start


FIRST_SCREEN_PREPARED: list[int] = []
"""paragraphs prepared to draw the first screen (the rest of the document is untouched)"""


def _cold_first_screen(text: str) -> tuple[float, DocumentLayout]:
    """CPU seconds to lay out the first SCREEN_ROWS lines of `text` from cold caches, and the layout
    (to count what it prepared)."""
    _clear_caches()
    start = time.process_time()
    layout = DocumentLayout(text, WIDTH)
    for y in range(SCREEN_ROWS):
        layout.line(y)
    return time.process_time() - start, layout


def _prepared_count(layout: DocumentLayout) -> int:
    return sum(p is not None for p in layout._prepared)


def time_first_screen(text: str) -> float:
    elapsed, layout = _cold_first_screen(text)
    FIRST_SCREEN_PREPARED[:] = [_prepared_count(layout), layout.paragraph_count]
    return elapsed


def time_rewrap(text: str) -> float:
    _clear_caches()
    layout = DocumentLayout(text, WIDTH)
    layout.line_count
    start = time.process_time()
    layout.resize(WIDTH + 23)
    layout.line_count
    return time.process_time() - start


_OUR_CONFIG_RESHAPER = shaping.RESHAPER


def time_floor(paragraphs: list[str], reshape=arabic_reshaper.reshape) -> float:
    start = time.process_time()
    for paragraph in paragraphs:
        get_display(reshape(paragraph))
    return time.process_time() - start


def _stats(name: str, times: list[float], baseline: list[float] | None = None) -> dict:
    row = {"name": name, "runs": len(times), "median_s": statistics.median(times),
           "min_s": min(times), "max_s": max(times)}
    if baseline:
        row["ratio"] = statistics.median(times) / statistics.median(baseline)
        row["ratio_of_min"] = min(times) / min(baseline)
    return row


def time_giant_first_screen(text: str) -> float:
    """First screen of the same text as one single paragraph (newlines made spaces), cold: the
    engine prepares only the first block of a giant paragraph (tui/layout/giant.py)."""
    elapsed, layout = _cold_first_screen(text)
    GIANT_FIRST_SCREEN_PREPARED[:] = [_prepared_count(layout), len(text)]
    return elapsed


GIANT_FIRST_SCREEN_PREPARED: list[int] = []
"""blocks prepared for the first screen of the single-paragraph document, and its length"""


def run(quick: bool = False, size: int | None = None, repeat: int | None = None) -> list[dict]:
    """Rows of figures. The headline ratio (full layout / floor) is the median of ``pairs``
    back-to-back pairs, alternating which of the two runs first (ours then the floor, then the
    floor then ours, ...) so that neither always follows the other's garbage or cache state; on a
    shared 2-core machine a pair sees the same noise, the median drops the outliers. The ratio of
    the medians (and of the minimums) is reported too."""
    size = size or (200_000 if quick else 1_000_000)
    repeat = repeat or (3 if quick else 5)
    pairs = max(repeat, 5 if quick else 7)
    text = mixed_document(size)
    paragraphs = text.split("\n")
    single_line = text.replace("\n", " ")
    floor, full, paired = [], [], []  # paired: full layout / floor, measured back to back
    for i in range(pairs):
        gc.collect()
        if i % 2 == 0:
            full.append(time_full_layout(text))
            floor.append(time_floor(paragraphs))
        else:
            floor.append(time_floor(paragraphs))
            full.append(time_full_layout(text))
        paired.append(full[-1] / floor[-1])
    floor_ours, wrap, first, rewrap, one_paragraph = [], [], [], [], []
    for _ in range(repeat):  # interleaved so that machine noise hits all alike
        gc.collect()
        floor_ours.append(time_floor(paragraphs, _OUR_CONFIG_RESHAPER.reshape))
        wrap.append(time_wrap_only(text))
        first.append(time_first_screen(text))
        rewrap.append(time_rewrap(text))
        one_paragraph.append(time_giant_first_screen(single_line))
    info = {"text_bytes": len(text.encode("utf-8")), "text_chars": len(text),
            "paragraphs": len(paragraphs)}
    rows = [
        _stats("floor: arabic_reshaper.reshape + bidi.get_display", floor, floor),
        _stats("floor, our reshaper config (harakat kept, lam-alef only)", floor_ours, floor),
        _stats("tui.layout full layout (all lines built)", full, floor),
        _stats("tui.layout wrap only (line_count)", wrap, floor),
        _stats(f"tui.layout first screen ({SCREEN_ROWS} lines, cold)", first, floor),
        _stats(f"tui.layout re-wrap after resize to {WIDTH + 23}", rewrap, floor),
        _stats("tui.layout first screen, same text as ONE paragraph", one_paragraph, floor),
    ]
    rows[2]["paired_ratio_median"] = statistics.median(paired)
    rows[2]["paired_ratios"] = paired
    for row in rows:
        row.update(info)
    rows[4]["paragraphs_prepared"] = FIRST_SCREEN_PREPARED[0]
    rows[6]["blocks_prepared"] = GIANT_FIRST_SCREEN_PREPARED[0]
    return rows


def machine() -> str:
    return (f"{platform.platform()} · {platform.processor() or platform.machine()} · "
            f"{os.cpu_count()} CPUs · Python {platform.python_version()}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=None, help="document size in UTF-8 bytes (default 1 MB)")
    parser.add_argument("--repeat", type=int, default=None,
                        help="repetitions (default 5, quick 3; at least 7 pairs for the ratio, quick 5)")
    parser.add_argument("--quick", action="store_true", help="CI-sized run (200 KB, 3 repetitions)")
    args = parser.parse_args(argv)
    rows = run(args.quick, args.size, args.repeat)
    first = rows[0]
    print(f"bench_layout: {first['text_bytes']:,} bytes, {first['text_chars']:,} characters, "
          f"{first['paragraphs']:,} paragraphs, width {WIDTH}")
    print(f"machine: {machine()}")
    header = (f"{'what':58} {'median s':>9} {'min s':>8} {'max s':>8} {'x floor':>8} "
              f"{'min/min':>8}")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(f"{row['name']:58} {row['median_s']:9.4f} {row['min_s']:8.4f} {row['max_s']:8.4f} "
              f"{row.get('ratio', float('nan')):8.3f} {row.get('ratio_of_min', float('nan')):8.3f}")
    first_screen = rows[4]
    print(f"first screen prepared {first_screen['paragraphs_prepared']:,} of "
          f"{first_screen['paragraphs']:,} paragraphs; as one paragraph, "
          f"{rows[6]['blocks_prepared']:,} block(s) of at most {giant.GIANT_PARAGRAPH:,} characters")
    full = next(r for r in rows if r["name"].startswith("tui.layout full"))
    print(f"full layout / floor = {full['paired_ratio_median']:.2f}x (median of the ratios of "
          f"{len(full['paired_ratios'])} back-to-back pairs, order alternating: "
          f"{', '.join(f'{r:.2f}' for r in full['paired_ratios'])}); "
          f"{full['ratio']:.2f}x by medians, {full['ratio_of_min']:.2f}x by minimums "
          f"(target <= 1.5x)")


if __name__ == "__main__":
    main()
