"""Every database write made from the screen goes through the app's one ordered writer.

The rule (issue 11, "writes off the UI loop"): no module under tui/ui calls a Store method that
writes, except the writer path itself — `tui.ui.annotation.DocumentSession` (run by the writer
thread), `tui.ui.pane_writes` and `tui.ui.writer`. A key that wrote directly would freeze the
screen while another program holds the database lock, and say "saved" without the writer's
pending / saved / failed status. Which Store methods write is read from tui/store itself: every
method that opens a write transaction (`self._write(...)`), or calls one that does; and the
suggester's `store_for_document`, which writes through the store it holds.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tui.store
import tui.ui

STORE_DIR = Path(tui.store.__file__).parent
UI_DIR = Path(tui.ui.__file__).parent
WRITER_PATH = {"annotation.py", "pane_writes.py", "writer.py", "search_index.py"}
"""search_index.py: its one write, `index_chunk`, is the work of a writer job (background=True)."""
INDIRECT_WRITES = {"store_for_document"}
"""Methods outside the store that write through the store they hold (tui.suggesting.Suggester)."""


def _calls_on_self(function: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "self"):
            names.add(node.func.attr)
    return names


def store_write_methods() -> set[str]:
    """Names of Store methods (tui/store, mixins included) that write, directly or through another."""
    methods: dict[str, set[str]] = {}
    for path in STORE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef):
                        methods.setdefault(item.name, set()).update(_calls_on_self(item))
    writes = {name for name, calls in methods.items() if {"_write", "transaction"} & calls}
    while True:
        more = {name for name, calls in methods.items() if calls & writes} - writes
        if not more:
            break
        writes |= more
    return {name for name in writes if not name.startswith("_")}


def _receiver(node: ast.expr) -> str:
    return ast.unparse(node)


def direct_store_writes() -> list[str]:
    writes = store_write_methods()
    found = []
    indirect = INDIRECT_WRITES
    for path in sorted(UI_DIR.rglob("*.py")):
        if path.parent == UI_DIR and path.name in WRITER_PATH:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in writes:
                receiver = _receiver(node.func.value)
                if receiver == "store" or receiver.endswith(".store") or receiver.endswith("_store"):
                    found.append(f"{path.relative_to(UI_DIR.parent.parent)}:{node.lineno}: {ast.unparse(node.func)}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in indirect:
                found.append(f"{path.relative_to(UI_DIR.parent.parent)}:{node.lineno}: {ast.unparse(node.func)}")
    return found


def test_the_write_methods_are_found_in_the_store():
    writes = store_write_methods()
    for name in ("add_span", "delete_span", "relabel_span", "resize_span", "set_status", "undo", "redo",
                 "accept_candidate", "reject_candidate", "accept_candidates", "add_link", "delete_link",
                 "relabel_link", "set_view_direction"):
        assert name in writes, name
    for name in ("spans", "labels", "links", "view_directions", "candidates", "get_document"):
        assert name not in writes, name


def test_no_screen_module_writes_to_the_store_but_through_the_writer():
    found = direct_store_writes()
    assert not found, ("these write to the database on the UI thread; submit them to app.writer "
                       "(tui.ui.pane_writes.submit with a DocumentSession method) instead:\n" + "\n".join(found))
