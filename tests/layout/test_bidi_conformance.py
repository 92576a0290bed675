"""Our UAX #9 against Unicode's own conformance data (BidiCharacterTest.txt, 91,707 cases through
rule L2): resolved levels (after L1) and visual order, for every case.

The figure is printed in the pytest terminal summary (see conftest.py). The data is vendored in
``tests/data/unicode/`` (gzip-compressed, with its licence); the test fails if it is missing.
Python 3.11's unicodedata is Unicode 14 while the file is Unicode 15: cases that use characters new
in 15 may differ (they are counted and listed separately).
"""

from __future__ import annotations

import unicodedata
from tests.unicode_data import UNICODE_DATA_VERSION, read_text
from tui.layout import bidi

REQUIRED_PASS_RATE = 0.999


def run_case(text: str, direction: int) -> tuple[int, list[int | None], list[int]]:
    """(paragraph level, levels with None for X9-removed characters, visual order of the kept
    characters) as our engine computes them for one line."""
    classes = bidi.bidi_classes(text)
    base = None if direction == 2 else direction
    levels, para = bidi.resolve_levels(text, base, classes)
    line = bidi.reset_line_levels(classes, levels, 0, len(text), para)
    kept = [i for i, cls in enumerate(classes) if cls not in bidi.REMOVED]
    order = bidi.visual_order([line[i] for i in kept])
    shown: list[int | None] = [None if cls in bidi.REMOVED else line[i] for i, cls in enumerate(classes)]
    return para, shown, [kept[k] for k in order]


def parse(data: str):
    for number, raw in enumerate(data.splitlines(), 1):
        if not raw or raw.startswith("#"):
            continue
        codes, direction, para, levels, order = raw.split(";")
        text = "".join(chr(int(cp, 16)) for cp in codes.split())
        yield (number, text, int(direction), int(para),
               [None if lv == "x" else int(lv) for lv in levels.split()],
               [int(i) for i in order.split()])


def _new_in_unicode_15(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cn" for ch in text)


def test_bidi_character_test_conformance(layout_figures):
    data = read_text("BidiCharacterTest.txt")
    assert data.startswith(f"# BidiCharacterTest-{UNICODE_DATA_VERSION}.txt")
    total = passed = 0
    failures: list[str] = []
    unicode15 = 0
    for number, text, direction, para, levels, order in parse(data):
        total += 1
        got_para, got_levels, got_order = run_case(text, direction)
        if got_para == para and got_levels == levels and got_order == order:
            passed += 1
        elif _new_in_unicode_15(text):
            unicode15 += 1
        else:
            failures.append(f"line {number}: {' '.join(f'{ord(c):04X}' for c in text)} dir={direction}"
                            f" want {para} {levels} {order}; got {got_para} {got_levels} {got_order}")
    rate = passed / total
    layout_figures.append(
        f"UAX #9 BidiCharacterTest.txt: {passed}/{total} cases pass ({rate:.4%}); "
        f"{unicode15} failing cases use characters unassigned in Python's Unicode "
        f"{unicodedata.unidata_version}; {len(failures)} other failures"
    )
    assert total == 91_707
    assert rate >= REQUIRED_PASS_RATE, "\n".join(failures[:20])
    assert not failures, f"{len(failures)} failures, first: " + "\n".join(failures[:10])
