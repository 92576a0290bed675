"""tui.folding is pure: the store, the UI and suggestions share it, so importing it (in a fresh
interpreter) loads no Textual, Rich, sqlite or other tui package."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("module", ["tui.folding", "tui.folding.fold"])
def test_folding_imports_nothing_but_the_standard_library(module):
    code = (f"import importlib, json, sys; importlib.import_module({module!r}); "
            "print(json.dumps(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    bad = [name for name in loaded if name.split(".")[0] in ("textual", "rich", "sqlite_utils", "sqlite3")
           or (name.startswith("tui.") and not name.startswith("tui.folding"))]
    assert bad == []
