"""Cost of a keystroke in the document view on a ~1 MB Arabic article, against Textual's TextArea.

Keys are measured with the caret in the middle of the article (5% in with --quick), in both widgets.
Each figure is the CPU time (``time.process_time``) of one key from dispatch to the repainted screen
(``pilot.press`` then ``pilot.pause``, which forces the compositor to draw), headless, with the widget at
100x30.  CPU time, not wall time: Pilot sleeps ~20 ms per idle check, which would swamp the figures.  Both
widgets run in the same process on the same text, so compare the *ratio*, not the milliseconds:
this machine is shared and noisy.

    python -m bench.bench_keys            # full run (200 keys per operation)
    python -m bench.bench_keys --quick    # CI-sized run (40 keys per operation)
    TUI_BENCH_KEYS=500 python -m bench.bench_keys

``run(quick) -> list[dict]`` returns one row per operation (name, keys, median/min/max ms, ratio to
TextArea's cursor move) for a ``python -m bench`` driver.
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/bench_keys.py` from a checkout
    sys.path.insert(0, str(ROOT))

from textual.app import App, ComposeResult  # noqa: E402
from textual.binding import Binding  # noqa: E402
from textual.widgets import TextArea  # noqa: E402

from tui.ui.document_view import DocumentView, SpanMark  # noqa: E402

SIZE = (100, 30)
TARGET_BYTES = 1_000_000
SEEDS = ("003_315ab8a38d1b8188.txt", "004_37eb41862b0a7568.txt")


def arabic_article(target_bytes: int = TARGET_BYTES) -> str:
    """The paragraphs of seed articles 003 and 004 (Arabic) repeated until the UTF-8 text reaches
    ``target_bytes``; each numbered (Arabic-Indic digits) so no two paragraphs are equal and no
    layout cache can reuse one paragraph's work for another, as in a real long article."""
    paragraphs = [
        line
        for name in SEEDS
        for line in (ROOT / "seeds" / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    out: list[str] = []
    size = 0
    while size < target_bytes:
        number = str(len(out) + 1).translate(_ARABIC_DIGITS)
        paragraph = f"{number}. {paragraphs[len(out) % len(paragraphs)]}"
        out.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(out)


_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


class _ViewHost(App):
    """One DocumentView; ``e`` tags the target range like the app's tag key (one more span)."""

    BINDINGS = [Binding("e", "tag", "Tag")]

    def __init__(self, text: str, caret: int) -> None:
        super().__init__()
        self.text, self.start_caret = text, caret
        self.spans: list[SpanMark] = []

    def compose(self) -> ComposeResult:
        yield DocumentView()

    def on_mount(self) -> None:
        view = self.query_one(DocumentView)
        view.load(self.text, caret=self.start_caret)
        view.focus()

    def action_tag(self) -> None:
        view = self.query_one(DocumentView)
        target = view.target_range() or (view.caret, min(view.caret + 1, len(self.text)))
        self.spans.append(SpanMark(len(self.spans), target[0], target[1], "entity"))
        view.set_spans(self.spans)
        view.clear_selection()


class _TextAreaHost(App):
    def __init__(self, text: str, caret: int) -> None:
        super().__init__()
        self.text, self.start_caret = text, caret

    def compose(self) -> ComposeResult:
        yield TextArea(self.text, read_only=True, soft_wrap=True)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.get_location_from_index(self.start_caret), center=True)
        area.focus()


async def _time_keys(app: App, keys: list[str]) -> tuple[list[float], float]:
    """CPU ms per key after the widget settled, and CPU ms from start to the first painted screen."""
    timings: list[float] = []
    opened = time.process_time()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        open_ms = (time.process_time() - opened) * 1000
        views = app.query(DocumentView)
        for _ in range(1200):  # steady state: the idle-time layout has finished (TextArea wraps at open)
            if all(view.layout_complete for view in views):
                break
            await pilot.pause(0.05)
        for key in keys[:5]:  # warm-up: first layout of the visible rows, caches, palettes
            await pilot.press(key)
            await pilot.pause()
        for key in keys:
            start = time.process_time()
            await pilot.press(key)
            await pilot.pause()
            timings.append((time.process_time() - start) * 1000)
    return timings, open_ms


def _row(name: str, timings: list[float], baseline: float | None) -> dict:
    median = statistics.median(timings)
    return {
        "operation": name,
        "keys": len(timings),
        "median_ms": round(median, 3),
        "min_ms": round(min(timings), 3),
        "max_ms": round(max(timings), 3),
        "ratio_to_textarea_move": round(median / baseline, 2) if baseline else 1.0,
    }


def _moves(count: int) -> list[str]:
    pattern = ["left"] * 6 + ["down"] * 2 + ["right"] * 4 + ["down"]
    return (pattern * (count // len(pattern) + 1))[:count]


async def _run(quick: bool) -> list[dict]:
    count = int(os.environ.get("TUI_BENCH_KEYS", 40 if quick else 200))
    text = arabic_article()
    caret = len(text) // 2 if not quick else len(text) // 20
    moves = _moves(count)

    textarea, textarea_open = await _time_keys(_TextAreaHost(text, caret), moves)
    baseline = statistics.median(textarea)
    rows = [_row("TextArea cursor move (baseline)", textarea, baseline)]
    rows[0]["open_ms"] = round(textarea_open, 1)
    moved, view_open = await _time_keys(_ViewHost(text, caret), moves)
    rows.append(_row("DocumentView caret move", moved, baseline))
    rows[1]["open_ms"] = round(view_open, 1)
    select = ["shift+left"] * count
    rows.append(_row("DocumentView selection extend", (await _time_keys(_ViewHost(text, caret), select))[0], baseline))
    tags = ["e", "ctrl+left"] * (count // 2)
    tag_times, _ = await _time_keys(_ViewHost(text, caret), tags)
    rows.append(_row("DocumentView tag (set_spans +1)", tag_times[0::2], baseline))
    for row in rows:
        row["text_bytes"] = len(text.encode("utf-8"))
        row["caret"] = caret
    return rows


def run(quick: bool = False) -> list[dict]:
    """Measure every operation; one dict per row (see module docstring)."""
    slice_seconds = DocumentView.BACKGROUND_SLICE
    DocumentView.BACKGROUND_SLICE = 0.028  # settle sooner (keys are timed only once layout is complete)
    try:
        return asyncio.run(_run(quick))
    finally:
        DocumentView.BACKGROUND_SLICE = slice_seconds


def machine() -> str:
    return f"{platform.platform()} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    quick = "--quick" in argv
    rows = run(quick)
    print(f"bench_keys: {rows[0]['text_bytes']:,} bytes of Arabic, widget {SIZE[0]}x{SIZE[1]}, headless")
    print(f"machine: {machine()}")
    print(
        f"open + first screen (caret at offset {rows[0]['caret']:,}, CPU ms): TextArea {rows[0]['open_ms']:,.0f}"
        f" · DocumentView {rows[1]['open_ms']:,.0f} (then lays out the rest while idle)"
    )
    header = f"{'operation':<34} {'keys':>5} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'vs TextArea':>12}"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['operation']:<34} {row['keys']:>5} {row['median_ms']:>10.3f} {row['min_ms']:>8.3f}"
            f" {row['max_ms']:>8.3f} {row['ratio_to_textarea_move']:>11.2f}x"
        )


if __name__ == "__main__":
    main()
