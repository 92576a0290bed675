"""tui uses Textual through its public API (issue 17): the few internals with no public form are read in
tui/ui/compat.py only (tests/ui/test_compat.py checks they still exist), and no widget of tui hides a
Textual member under the same name (``DocumentView.layout`` once hid ``Widget.layout``; a sync
``SearchBar.handle_key`` once hid the async ``Widget.handle_key``). The versions are bounded in
pyproject.toml, so an upgrade past the checked one is a decision, not an accident."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import textwrap
import tomllib
from pathlib import Path

import textual
from textual.dom import DOMNode

ROOT = Path(__file__).resolve().parents[1]
COMPAT = ROOT / "tui" / "ui" / "compat.py"


def _private_names(folder: Path) -> set[str]:
    """Single-underscore names a package defines: functions, classes, attributes and variables."""
    names: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = node.name
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                name = node.attr
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                name = node.id
            else:
                continue
            if name.startswith("_") and not name.startswith("__"):
                names.add(name)
    return names


TEXTUAL_PRIVATE = _private_names(Path(textual.__file__).parent)
OWN_PRIVATE = (_private_names(ROOT / "tui") | _private_names(ROOT / "tests")) - {"_bindings"}
"""tui's and the tests' own private names (compat.py writes node._bindings: that one is Textual's)"""


NOT_TEXTUAL = {
    "os._exit",  # Python's, documented
    "self._process_messages",  # tui.web.server.TuiServer: textual-serve's Server (pinned <1.2; tests/web run it)
}


def private_textual_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, code) of each read of a name only Textual defines privately (an attribute named like one
    of Textual's ``_private`` members that tui itself never defines), and each ``_name`` imported from
    a textual module."""
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in TEXTUAL_PRIVATE and node.attr not in OWN_PRIVATE
                and ast.unparse(node) not in NOT_TEXTUAL):
            found.append((node.lineno, ast.unparse(node)))
        elif (isinstance(node, ast.Attribute) and node.attr == "_bindings"):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("textual", "rich"):
            private_module = any(part.startswith("_") for part in (node.module or "").split("."))
            found += [(node.lineno, f"from {node.module} import {alias.name}") for alias in node.names
                      if private_module or alias.name.startswith("_")]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, f"import {alias.name}") for alias in node.names
                      if alias.name.split(".")[0] in ("textual", "rich")
                      and any(part.startswith("_") for part in alias.name.split("."))]
    return sorted(found)


def test_textual_internals_are_read_in_compat_only():
    # the tests too (they read what the app posted through run_test(message_hook=...), never
    # app._notifications: tests.support.Notifications), and bench/ and tools/
    offenders = [f"{path.relative_to(ROOT)}:{line}: {code}"
                 for path in sorted(path for folder in ("tui", "tests", "bench", "tools")
                                    for path in (ROOT / folder).rglob("*.py"))
                 if path != COMPAT
                 for line, code in private_textual_uses(ast.parse(path.read_text(encoding="utf-8")))]
    assert offenders == [], "use the public API, or wrap the internal in tui/ui/compat.py"


def test_the_check_sees_a_private_textual_attribute():
    code = "def hook(app, screen):\n    app._driver.write('x')\n    return screen._binding_chain\n"
    assert [text for _line, text in private_textual_uses(ast.parse(code))] == [
        "app._driver", "screen._binding_chain"]
    assert private_textual_uses(ast.parse("from textual.keys import _character_to_key\n"))
    assert private_textual_uses(ast.parse("from textual.widgets._toast import Toast\n"))
    assert private_textual_uses(ast.parse("import rich._unicode_data\n"))


def test_every_internal_compat_reads_is_listed_for_the_existence_test():
    from tui.ui.compat import PRIVATE_ATTRIBUTES

    listed = {attribute for _owner, attribute in PRIVATE_ATTRIBUTES}
    read = {text.rsplit(".", 1)[-1].rsplit(" ", 1)[-1]
            for _line, text in private_textual_uses(ast.parse(COMPAT.read_text(encoding="utf-8")))}
    assert read <= listed, f"add {sorted(read - listed)} to compat.PRIVATE_ATTRIBUTES"


def _textual_methods() -> set[str]:
    """Names of Textual's plain methods (not properties, whose setters are public API)."""
    methods: set[str] = set()
    properties: set[str] = set()
    for path in Path(textual.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                decorators = [ast.unparse(d) for d in node.decorator_list]
                if any("property" in d or d.endswith((".setter", ".deleter")) for d in decorators):
                    properties.add(node.name)
                else:
                    methods.add(node.name)
    return methods - properties


TEXTUAL_METHODS = _textual_methods()


def replaced_methods(tree: ast.AST) -> list[str]:
    """Assignments over a Textual method on another object (``driver.suspend_application_mode = ...``)."""
    return [f"{node.lineno}: {ast.unparse(node)}" for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and node.attr in TEXTUAL_METHODS
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))]


def test_textual_methods_are_replaced_in_compat_only():
    offenders = [f"{path.relative_to(ROOT)}:{hit}" for path in sorted((ROOT / "tui").rglob("*.py"))
                 if path != COMPAT for hit in replaced_methods(ast.parse(path.read_text(encoding="utf-8")))]
    assert offenders == [], "wrap it in tui/ui/compat.py (around_suspend does the driver's suspend/resume)"
    assert replaced_methods(ast.parse("def f(driver, hook):\n    driver.suspend_application_mode = hook\n"))


# ---------------------------------------------------------------- no shadowed Textual members

def _tui_node_classes() -> list[type[DOMNode]]:
    classes: dict[str, type[DOMNode]] = {}
    for package in ("tui.ui", "tui.web"):
        for info in pkgutil.walk_packages(importlib.import_module(package).__path__, prefix=package + "."):
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (inspect.isclass(value) and issubclass(value, DOMNode)
                        and value.__module__ == module.__name__):
                    classes[f"{value.__module__}.{value.__qualname__}"] = value
    return list(classes.values())


def _defined_in(cls: type) -> dict[str, str]:
    """The members one class body defines ('method', 'async', 'property', 'data') and the attributes its
    methods set on self ('instance')."""
    body = ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0].body  # type: ignore[attr-defined]
    members: dict[str, str] = {}
    for node in body:
        if isinstance(node, ast.AsyncFunctionDef):
            members[node.name] = "async"
        elif isinstance(node, ast.FunctionDef):
            decorators = {getattr(d, "id", getattr(d, "attr", "")) for d in node.decorator_list}
            members[node.name] = "property" if decorators & {"property", "setter"} else "method"
        elif isinstance(node, ast.Assign):
            members.update({target.id: "data" for target in node.targets if isinstance(target, ast.Name)})
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            members[node.target.id] = "data"
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        if (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name) and node.value.id == "self"):
            members.setdefault(node.attr, "instance")
    return members


def _textual_kind(cls: type, name: str) -> tuple[str, str] | None:
    for base in cls.__mro__:
        if base.__module__.split(".")[0] == "textual" and name in vars(base):
            value = vars(base)[name]
            value = getattr(value, "__func__", value)
            kind = ("async" if inspect.iscoroutinefunction(value) else "method" if inspect.isfunction(value)
                    else "settable" if isinstance(value, property) and value.fset is not None
                    else "property" if isinstance(value, property) else "data")
            return f"{base.__name__}.{name}", kind
    return None


def shadowed_members(cls: type[DOMNode], own: str = "tui.") -> list[str]:
    """Members of a tui node class (its own body and its tui mixins') that hide a Textual one: any
    Textual ``_private`` name, an attribute over a method or a read-only property, a method or a property
    over an attribute or property (``DocumentView.layout`` was a property over ``Widget.layout``), a sync
    method over an async one or the other way round."""
    found = []
    for part in cls.__mro__:
        if not part.__module__.startswith(own):
            continue
        for name, kind in _defined_in(part).items():
            theirs = _textual_kind(cls, name)
            if theirs is None or name.startswith("__"):
                continue
            where, their_kind = theirs
            callables = ("method", "async")
            if (name.startswith("_")
                    or (kind in callables and their_kind in callables and kind != their_kind)
                    or (kind in ("instance", "data") and their_kind in (*callables, "property"))
                    or (kind in callables and their_kind in ("data", "property", "settable"))
                    or (kind == "property" and their_kind in ("property", "settable"))):
                found.append(f"{part.__module__}.{part.__qualname__}.{name} ({kind}) hides {where} ({their_kind})")
    return found


def test_no_widget_hides_a_textual_member():
    classes = _tui_node_classes()
    assert any(cls.__name__ == "DocumentView" for cls in classes) and any(
        cls.__name__ == "SearchBar" for cls in classes)
    assert sorted({hit for cls in classes for hit in shadowed_members(cls)}) == []


def test_the_check_sees_the_shadowing_the_issue_found():
    from textual.widget import Widget

    class Shadowing(Widget):
        def __init__(self) -> None:
            super().__init__()
            self.layout = None

        def handle_key(self, event: object) -> bool:
            return False

    hits = shadowed_members(Shadowing, own=__name__)
    assert any("Shadowing.handle_key (method) hides Widget.handle_key (async)" in hit for hit in hits), hits
    assert any(".layout (instance)" in hit for hit in hits), hits

    class PropertyOverProperty(Widget):
        @property
        def layout(self) -> None:  # type: ignore[override]
            return None

    assert shadowed_members(PropertyOverProperty, own=__name__), "DocumentView.layout as it was"


# ---------------------------------------------------------------- bounded versions

def test_textual_and_rich_are_bounded_to_the_checked_major_versions():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    specs = {re.split(r"[<>=!~ \[]", dep, maxsplit=1)[0]: dep for dep in dependencies}
    assert specs["textual"].replace(" ", "") == "textual>=8.2,<9"
    assert re.fullmatch(r"rich>=15\.\d+,<16", specs["rich"].replace(" ", "")), specs["rich"]
