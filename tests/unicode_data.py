"""Where the tests find the vendored Unicode data (tests/data/unicode/, see its README.md).

Tests that need a file call ``unicode_file(name)``: a missing file fails the test with the path it
looked for (never a skip), so a green run always means the bidi engine and the tables were checked.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

UNICODE_DATA = Path(__file__).resolve().parent / "data" / "unicode"
UNICODE_DATA_VERSION = "15.0.0"


def unicode_file(name: str) -> Path:
    """Path of a vendored data file (``name`` with or without ``.gz``); fails the test if absent."""
    for candidate in (UNICODE_DATA / name, UNICODE_DATA / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    pytest.fail(f"Unicode data file {name} is missing from {UNICODE_DATA} (it is part of the "
                f"repository: restore it with git checkout -- tests/data/unicode)", pytrace=False)


def read_text(name: str) -> str:
    """Text of a vendored data file, decompressed when it is stored as ``.gz``."""
    path = unicode_file(name)
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return handle.read()
    return path.read_text(encoding="utf-8")


def data_rows(name: str) -> Iterator[list[str]]:
    """Semicolon-separated fields of each data line (comments and blank lines dropped)."""
    for raw in read_text(name).splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            yield [field.strip() for field in line.split(";")]
