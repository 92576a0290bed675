"""Import contracts from ARCHITECTURE.md, enforced by machinery: each module is imported in a fresh
interpreter and the packages it must not pull in are checked absent from ``sys.modules``.

- every ``tui.layout`` module: no textual, rich, sqlite_utils, nor any other ``tui`` package;
- ``tui.store`` and ``tui.formats`` (and their modules): no textual, rich or ``tui.ui``.
Packages that do not exist yet are skipped.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def modules_of(package: str) -> list[str]:
    path = ROOT.joinpath(*package.split("."))
    if not path.is_dir():
        return []
    found = [package]
    for info in pkgutil.walk_packages([str(path)], prefix=package + "."):
        found.append(info.name)
    return sorted(found)


def imported_after(module: str) -> list[str]:
    code = (f"import importlib, json, sys; importlib.import_module({module!r}); "
            "print(json.dumps(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _forbidden_hits(loaded: list[str], forbidden: tuple[str, ...]) -> list[str]:
    return [name for name in loaded if any(name == f or name.startswith(f + ".") for f in forbidden)]


LAYOUT_MODULES = modules_of("tui.layout")


@pytest.mark.parametrize("module", LAYOUT_MODULES or ["tui.layout"])
def test_layout_is_pure(module):
    if not LAYOUT_MODULES:
        pytest.skip("tui.layout does not exist yet")
    loaded = imported_after(module)
    other_tui = [name for name in loaded
                 if name.startswith("tui.") and not name.startswith("tui.layout")]
    assert _forbidden_hits(loaded, ("textual", "rich", "sqlite_utils")) == []
    assert other_tui == []


CORE_MODULES = modules_of("tui.store") + modules_of("tui.formats")


@pytest.mark.parametrize("module", CORE_MODULES or ["tui.store"])
def test_store_and_formats_do_not_import_the_ui(module):
    if not CORE_MODULES:
        pytest.skip("tui.store / tui.formats do not exist yet")
    loaded = imported_after(module)
    assert _forbidden_hits(loaded, ("textual", "rich", "tui.ui")) == []
