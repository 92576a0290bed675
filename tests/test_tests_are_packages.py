"""The test tree is a package: every directory holding tests has an __init__.py, helpers are imported
by package path (`from tests.ui.ui_helpers import ...`), never with `from conftest import` or by
editing sys.path, so any order of directories on one pytest command line collects the same."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FORBIDDEN = re.compile(r"^\s*(from conftest import|import conftest|sys\.path\.(insert|append)\()", re.M)
FROM_A_TEST_MODULE = re.compile(r"^\s*(from tests(\.\w+)*\.test_\w+ import|import tests(\.\w+)*\.test_\w+)", re.M)


def test_every_test_directory_is_a_package():
    missing = sorted(str(folder.relative_to(TESTS)) for folder in {p.parent for p in TESTS.rglob("*.py")}
                     if not (folder / "__init__.py").exists())
    assert missing == []


def test_no_conftest_imports_and_no_sys_path_edits():
    offenders = [f"{path.relative_to(TESTS)}: {match.group(0).strip()}"
                 for path in sorted(TESTS.rglob("*.py")) if path.name != Path(__file__).name
                 for match in FORBIDDEN.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_helpers_come_from_support_modules_not_from_other_test_modules():
    """A test module that imports from another ties the two together (renaming a test's helper
    breaks a third file): shared helpers live in support modules (tests/support.py,
    tests/ui/ui_helpers.py, ...), shared fixtures in conftest.py."""
    offenders = [f"{path.relative_to(TESTS)}: {match.group(0).strip()}"
                 for path in sorted(TESTS.rglob("*.py")) if path.name != Path(__file__).name
                 for match in FROM_A_TEST_MODULE.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == []


ORDERS = (
    ("reliability", "ui"), ("ui", "reliability"), ("reliability", "terminal"), ("terminal", "reliability"),
)
"""the orders that failed when helpers came from `from conftest import` (issue 17), both ways round"""


def collected(*folders: str) -> Counter[str]:
    """The tests one pytest process collects from these folders of tests/, in this order (by test id,
    parameters left out: some parameters are random bytes drawn at collection)."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *(str(TESTS / folder) for folder in folders)],
        cwd=TESTS.parent, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    return Counter(line.split("[", 1)[0] for line in result.stdout.splitlines() if "::" in line)


def test_the_test_folders_collect_the_same_in_any_order():
    alone = {folder: collected(folder) for folder in {name for order in ORDERS for name in order}}
    for order in ORDERS:
        together = collected(*order)
        assert together == sum((alone[folder] for folder in order), Counter()), order
    folders = sorted(folder.name for folder in TESTS.iterdir()
                     if folder.is_dir() and (folder / "__init__.py").exists() and any(folder.rglob("test_*.py")))
    everything = collected(*reversed(folders))  # every conftest in one process, the last folder first
    assert everything and all(key.startswith(tuple(f"tests/{folder}/" for folder in folders)) for key in everything)
    assert everything == collected(*folders)
