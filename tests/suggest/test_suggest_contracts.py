"""tui.suggest is pure: each of its modules, imported in a fresh interpreter, pulls in no textual,
rich, sqlite3/sqlite_utils, and no tui package but tui.layout (texts in, suggestions out)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["tui.suggest"] + [info.name for info in pkgutil.walk_packages(
    [str(ROOT / "tui" / "suggest")], prefix="tui.suggest.")]


@pytest.mark.parametrize("module", MODULES)
def test_suggest_is_pure(module):
    code = (f"import importlib, json, sys; importlib.import_module({module!r}); "
            "print(json.dumps(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    bad = [name for name in loaded if name.split(".")[0] in ("textual", "rich", "sqlite3", "sqlite_utils")
           or (name.startswith("tui.") and not name.startswith(("tui.suggest", "tui.layout")))]
    assert bad == []
