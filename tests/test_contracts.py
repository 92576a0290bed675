"""Import contracts from ARCHITECTURE.md, enforced by machinery: each module is imported in a fresh
interpreter and the packages it must not pull in are checked absent from ``sys.modules``.

- every ``tui.layout`` module: no textual, rich, sqlite_utils, nor any other ``tui`` package;
- ``tui.store`` and ``tui.formats`` (and their modules): no textual, rich or ``tui.ui``;
- ``tui.terminal`` (and its modules): no textual, rich, ``tui.ui``, ``tui.store`` or ``tui.formats``;
- the editing model (``tui.ui.editing``, ``tui.ui.line_estimate``): no textual or rich.
Packages that do not exist yet are skipped.

A module-level check cannot see an import inside a function, so the same contracts (and the layers
cli > ui > formats > store > layout) are also checked statically by import-linter, from
``[tool.importlinter]`` in pyproject.toml; a deliberate violation in a copy of the tree must fail it.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import re
import os
import shutil
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


def test_importing_the_store_imports_no_psycopg():
    # SQLite users need not install the postgres extra: every store module, the PostgreSQL ones
    # (tui.store.postgres, postgres_sql, postgres_adapter, postgres_schema, postgres_errors) included,
    # imports psycopg only when a PostgreSQL target is opened
    modules = modules_of("tui.store")
    code = ("import importlib, sys; [importlib.import_module(m) for m in sys.argv[1:]]; "
            "print(sorted(n for n in sys.modules if n == 'psycopg' or n.startswith('psycopg.')))")
    result = subprocess.run([sys.executable, "-c", code, *modules], cwd=ROOT, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert "tui.store.postgres_adapter" in modules and "tui.store.postgres_schema" in modules


TERMINAL_MODULES = modules_of("tui.terminal")


@pytest.mark.parametrize("module", TERMINAL_MODULES)
def test_terminal_is_headless(module):
    loaded = imported_after(module)
    assert _forbidden_hits(loaded, ("textual", "rich", "tui.ui", "tui.store", "tui.formats")) == []


@pytest.mark.parametrize("module", ["tui.ui.editing", "tui.ui.line_estimate"])
def test_the_editing_model_needs_no_textual(module):
    loaded = imported_after(module)
    assert _forbidden_hits(loaded, ("textual", "rich", "tui.store")) == []


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter over the ``tui`` package found in ``root`` with root's pyproject.toml."""
    script = Path(sys.executable).with_name("lint-imports")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "importlinter.cli"]
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([*command, "--no-cache"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=120)


def test_import_linter_contracts_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " broken" in result.stdout and ", 0 broken" in result.stdout


VIOLATIONS = {
    "store imports rich inside a function": (
        "tui/store/stats.py", "\n\ndef _late_console():\n    from rich.console import Console\n    return Console\n",
        "tui.store.stats -> rich"),
    "layout imports the store": (
        "tui/layout/chars.py", "\n\nif False:\n    import tui.store  # noqa\n", "tui.layout.chars -> tui.store"),
    "terminal imports textual": (
        "tui/terminal/sequences.py", "\n\ndef _app():\n    import textual.app\n    return textual.app\n",
        "tui.terminal.sequences -> textual"),
    "an exporter opens its own connection": (
        "tui/formats/txt.py", "\n\ndef _peek(path):\n    import sqlite3\n    return sqlite3.connect(path)\n",
        "tui.formats.txt -> sqlite3"),
    "the store imports the UI (layers)": (
        "tui/store/errors.py", "\n\ndef _ui():\n    import tui.ui.app\n    return tui.ui.app\n",
        "tui.store.errors -> tui.ui.app"),
    "a SQLite-side store module imports psycopg": (
        "tui/store/stats.py", "\n\ndef _pg():\n    import psycopg\n    return psycopg\n",
        "tui.store.stats -> psycopg"),
}


@pytest.mark.parametrize("case", sorted(VIOLATIONS))
def test_a_deliberate_violation_fails_the_contracts(case, tmp_path):
    target, addition, expected = VIOLATIONS[case]
    shutil.copytree(ROOT / "tui", tmp_path / "tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with open(tmp_path / target, "a", encoding="utf-8") as handle:
        handle.write(addition)
    result = lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert expected in result.stdout, result.stdout


def guarded_sibling_imports(tree: ast.AST) -> list[str]:
    """``import tui...`` (or a relative import) inside a ``try`` whose handler catches ImportError: the
    sibling always exists, so the fallback is dead code that hides a real error."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Try):
            continue
        caught = {ast.unparse(handler.type) for handler in node.handlers if handler.type is not None}
        if not any(name in text for text in caught for name in ("ImportError", "ModuleNotFoundError")):
            continue
        for statement in node.body:
            for inner in ast.walk(statement):
                if isinstance(inner, ast.ImportFrom) and (inner.level or (inner.module or "").split(".")[0] == "tui"):
                    found.append(f"{inner.lineno}: from {'.' * inner.level}{inner.module or ''} import ...")
                elif isinstance(inner, ast.Import) and any(a.name.split(".")[0] == "tui" for a in inner.names):
                    found.append(f"{inner.lineno}: import {', '.join(a.name for a in inner.names)}")
    return found


def test_no_import_of_tui_itself_is_guarded_by_except_import_error():
    offenders = [f"{path.relative_to(ROOT)}:{hit}" for path in sorted((ROOT / "tui").rglob("*.py"))
                 for hit in guarded_sibling_imports(ast.parse(path.read_text(encoding="utf-8")))]
    assert offenders == []
    # what the check sees, and what it leaves alone (optional third-party packages)
    assert guarded_sibling_imports(ast.parse(
        "try:\n    from tui.terminal import session\nexcept ImportError:\n    session = None\n")) == [
        "2: from tui.terminal import ..."]
    assert guarded_sibling_imports(ast.parse("try:\n    import psycopg\nexcept ImportError:\n    pass\n")) == []


SQL_START = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE FROM|CREATE |DROP |ALTER TABLE|PRAGMA|BEGIN|COMMIT)\b")


def store_internals_used(tree: ast.AST) -> list[str]:
    """Outside tui.store: SQL run or written (``.execute(...)``, a string that starts like a statement),
    a private name imported from the store, or a private attribute of a store (``store._lock``)."""
    docstrings = {id(node.value) for node in ast.walk(tree)
                  if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("execute", "executemany", "executescript")):
            found.append(f"{node.lineno}: {ast.unparse(node.func)}(...)")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
              and SQL_START.match(node.value)):
            found.append(f"{node.lineno}: SQL {node.value.split()[0]}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tui.store"):
            found += [f"{node.lineno}: from {node.module} import {alias.name}" for alias in node.names
                      if alias.name.startswith("_")]
        elif (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
              and ast.unparse(node.value).split(".")[-1] in ("store", "_store", "snapshot", "batch")):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_outside_the_store_nothing_runs_sql_or_reaches_into_it():
    # formats import and export through store.bulk_import() / store.read_snapshot(), tui stats
    # reads store.stats() (its error translation is tests/store/test_bulk.py's)
    offenders = [f"{path.relative_to(ROOT)}:{hit}" for path in sorted((ROOT / "tui").rglob("*.py"))
                 if not path.is_relative_to(ROOT / "tui" / "store")
                 for hit in store_internals_used(ast.parse(path.read_text(encoding="utf-8")))]
    assert offenders == []
    assert store_internals_used(ast.parse(
        "from tui.store.store import _seed\n"
        "def put(store, rows):\n    with store._lock:\n        store.db.execute('INSERT INTO spans VALUES (?)', rows)\n"
    )) == ["1: from tui.store.store import _seed", "3: store._lock", "4: store.db.execute(...)", "4: SQL INSERT"]
