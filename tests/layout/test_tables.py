"""The vendored tables in tui/layout/tables/ match the Unicode data they were generated from
(skipped when ../shared/unicode is absent) and rich's width table (the renderer's)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.layout.tables._bidi_brackets import BRACKETS
from tui.layout.tables._bidi_mirroring import MIRRORS
from tui.layout.tables._widths import UNICODE_VERSION, WIDTH_RANGES

UNICODE = Path(__file__).resolve().parents[2].parent / "shared" / "unicode"


def _rows(name: str):
    for raw in (UNICODE / name).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            yield [field.strip() for field in line.split(";")]


@pytest.mark.skipif(not UNICODE.exists(), reason=f"Unicode data not found at {UNICODE}")
def test_brackets_and_mirrors_match_the_unicode_files():
    assert BRACKETS == {int(cp, 16): (int(pair, 16), kind == "o") for cp, pair, kind in _rows("BidiBrackets.txt")}
    assert MIRRORS == {chr(int(cp, 16)): chr(int(m, 16)) for cp, m in _rows("BidiMirroring.txt")}


def test_width_table_is_richs_latest():
    from rich._unicode_data import load

    table = load("latest")
    assert UNICODE_VERSION == table.unicode_version
    assert list(WIDTH_RANGES) == [tuple(row) for row in table.widths]
