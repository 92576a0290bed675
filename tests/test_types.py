"""mypy over tui/ (configuration in pyproject.toml): no errors anywhere, and the headless core
(tui.layout, tui.store, tui.formats) under the strict flags (every function typed, no bare generics,
no Any returned where a type is declared); and where the UI holds the store, a document, a span, a label
or a candidate, it names its type, never Any."""

from __future__ import annotations

import ast
import re
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


# ---------------------------------------------------------------- the UI/store seam

SEAM_NAMES = re.compile(r"(^|_)(store|stores|span|spans|document|documents|doc|docs|label|labels|candidate|"
                        r"candidates|own|shown|summary|summaries)($|_)")
"""parameters, attributes and functions whose names say they hold the store or its rows"""


def _mentions_any(annotation: ast.expr | None) -> bool:
    return annotation is not None and any(
        (isinstance(node, ast.Name) and node.id == "Any") or (isinstance(node, ast.Attribute) and node.attr == "Any")
        or (isinstance(node, ast.Constant) and isinstance(node.value, str) and re.search(r"\bAny\b", node.value))
        for node in ast.walk(annotation))


def any_at_the_seam(tree: ast.AST) -> list[str]:
    """Annotations with Any on a name that holds the store, a document, a span, a label or a candidate
    (``store: Any``, ``spans: Sequence[Any]``, ``def current_span(self) -> Any``, ``self.own: list[Any]``)."""
    found = []
    for node in ast.walk(tree):
        named: list[tuple[str, ast.expr | None, int]] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                     *filter(None, (arguments.vararg, arguments.kwarg))]
            named += [(argument.arg, argument.annotation, argument.lineno) for argument in every]
            named.append((node.name, node.returns, node.lineno))
        elif isinstance(node, ast.AnnAssign):
            target = node.target
            name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""
            named.append((name, node.annotation, node.lineno))
        found += [f"{line}: {name}: {ast.unparse(annotation)}" for name, annotation, line in named
                  if annotation is not None and SEAM_NAMES.search(name.lstrip("_")) and _mentions_any(annotation)]
    return found


def test_the_ui_holds_the_store_and_its_rows_by_their_types():
    # the Store class (tui.store.store.Store), Document / Span / Label / Candidate: mypy then checks
    # every write job the UI submits (lambda s: s.relabel(...)) against the store's real methods
    files = [ROOT / "tui" / "cli.py", *sorted((ROOT / "tui" / "ui").rglob("*.py")),
             *sorted((ROOT / "tui" / "web").rglob("*.py")), *sorted((ROOT / "tui" / "commands").rglob("*.py"))]
    offenders = [f"{path.relative_to(ROOT)}:{hit}" for path in files
                 for hit in any_at_the_seam(ast.parse(path.read_text(encoding="utf-8")))]
    assert offenders == []


def test_the_seam_check_sees_an_untyped_store():
    code = ("class Pane:\n    def __init__(self, store: Any, width: Any) -> None:\n        self.own: list[Any] = []\n"
            "    def current_span(self) -> 'Any | None': ...\n")
    assert sorted(any_at_the_seam(ast.parse(code))) == [
        "2: store: Any", "3: own: list[Any]", "4: current_span: 'Any | None'"]
