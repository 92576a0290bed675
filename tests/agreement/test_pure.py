"""tui.agreement is headless: importing it loads no Textual, Rich, SQLite layer or UI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_agreement_imports_no_ui_rich_or_store():
    code = "import json, sys, tui.agreement; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    bad = [m for m in loaded if m.split(".")[0] in ("textual", "rich", "sqlite_utils", "sqlite3")
           or m.startswith(("tui.ui", "tui.store", "tui.formats", "tui.cli"))]
    assert bad == []
