"""The vendored tables in tui/layout/tables/ match the Unicode data they were generated from
(vendored in tests/data/unicode/; a missing file fails) and the installed rich's cell widths
(the renderer's), code point by code point over all planes; the rich and textual versions they
were made with are inside the bounds pyproject.toml pins."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from rich.cells import cell_len

from tests.unicode_data import UNICODE_DATA_VERSION, data_rows, read_text
from tui.layout.chars import char_width, cell_width
from tui.layout.tables._bidi_brackets import BRACKETS
from tui.layout.tables._bidi_mirroring import MIRRORS
from tui.layout.tables._widths import NARROW_TO_WIDE, RICH_VERSION, TEXTUAL_VERSION

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_brackets_and_mirrors_match_the_vendored_unicode_files():
    for name in ("BidiBrackets.txt", "BidiMirroring.txt"):
        assert read_text(name).startswith(f"# {name[:-4]}-{UNICODE_DATA_VERSION}.txt")
    assert BRACKETS == {int(cp, 16): (int(pair, 16), kind == "o")
                        for cp, pair, kind in data_rows("BidiBrackets.txt")}
    assert MIRRORS == {chr(int(cp, 16)): chr(int(m, 16)) for cp, m in data_rows("BidiMirroring.txt")}


def test_every_code_point_of_every_plane_has_the_installed_richs_width():
    wrong = [f"U+{cp:04X}: ours {char_width(chr(cp))}, rich {cell_len(chr(cp), 'latest')}"
             for cp in range(0x110000) if char_width(chr(cp)) != cell_len(chr(cp), "latest")]
    assert wrong == [], (f"rich {version('rich')} measures {len(wrong)} code points differently "
                         f"from the table made with rich {RICH_VERSION}: regenerate it with "
                         f"tools/gen_layout_tables.py; first: {wrong[:5]}")


def test_variation_selector_16_widens_exactly_the_characters_rich_widens():
    vs16 = "\ufe0f"
    candidates = {cp for cp in range(0x110000) if char_width(chr(cp)) == 1
                  and cell_len(chr(cp) + vs16, "latest") == 2}
    assert candidates == set(NARROW_TO_WIDE)
    for cp in sorted(NARROW_TO_WIDE)[:50]:
        assert cell_width(chr(cp) + vs16) == 2


def _bounds(requirement: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    lower = upper = None
    for clause in requirement.split(">", 1)[1].split(","):
        clause = clause.strip()
        if clause.startswith("="):
            lower = clause[1:]
        elif clause.startswith(">="):
            lower = clause[2:]
        elif clause.startswith("<"):
            upper = clause[1:]
    assert lower and upper, f"{requirement!r} needs a lower and an upper bound"
    return tuple(map(int, lower.split("."))), tuple(map(int, upper.split(".")))


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


def test_rich_and_textual_are_pinned_around_the_versions_the_tables_were_made_with():
    deps = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    for package, made_with in (("rich", RICH_VERSION), ("textual", TEXTUAL_VERSION)):
        (requirement,) = [dep for dep in deps if dep.split(">")[0].split("<")[0].strip() == package]
        lower, upper = _bounds(requirement)
        assert lower <= _version(made_with) < upper, (package, requirement, made_with)
        assert lower <= _version(version(package)) < upper, (package, requirement, version(package))
