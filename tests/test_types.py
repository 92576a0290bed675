"""mypy over tui/ (configuration in pyproject.toml): no errors anywhere, and the headless core
(tui.layout, tui.store, tui.formats) under the strict flags (every function typed, no bare generics,
no Any returned where a type is declared)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_finds_no_errors():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--show-error-codes"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_core_is_checked_strictly():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    strict = [override for override in config["overrides"] if override.get("disallow_untyped_defs")]
    assert strict, "no strict override"
    modules = set(strict[0]["module"])
    assert {"tui.layout.*", "tui.store.*", "tui.formats.*"} <= modules
    for flag in ("disallow_untyped_defs", "disallow_any_generics", "warn_return_any", "check_untyped_defs",
                 "disallow_untyped_calls", "no_implicit_reexport"):
        assert strict[0][flag] is True, flag
