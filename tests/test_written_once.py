"""The words and helpers every layer shares exist once (issue 17: the bidi modes were written six times,
the statuses four, the XDG folders and the atomic writes twice, one of those without fsync): a source
scan of tui/ finds each written in its one home only, and the atomic write does fsync before it renames.
(The first strong character's single implementation is shown by tests/formats/test_first_strong.py:
the importer's direction is the layout engine's P2-P3, paragraph separators included.)"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from tui import files
from tui.vocabulary import BIDI_MODES, STATUSES

ROOT = Path(__file__).resolve().parents[1]
TUI = ROOT / "tui"


def _sources() -> list[tuple[str, ast.AST]]:
    return [(path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8")))
            for path in sorted(TUI.rglob("*.py"))]


SOURCES = _sources()


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}


def literal_collections_of(words: set[str], at_least: int) -> list[str]:
    """Where a tuple, list or set of string literals holds `at_least` of `words` (the vocabulary
    written out again instead of imported)."""
    found = []
    for name, tree in SOURCES:
        for node in ast.walk(tree):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                strings = {item.value for item in node.elts
                           if isinstance(item, ast.Constant) and isinstance(item.value, str)}
                if len(strings & words) >= at_least:
                    found.append(f"{name}:{node.lineno}")
    return found


def strings_containing(fragment: str) -> list[str]:
    """Where a string in code (not a docstring) contains `fragment`."""
    found = []
    for name, tree in SOURCES:
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and fragment in node.value
                    and id(node) not in skip):
                found.append(f"{name}:{node.lineno}")
    return found


def calls_of(module: str, functions: set[str]) -> list[str]:
    """Where ``module.function(...)`` is called, for one of `functions`."""
    return [f"{name}:{node.lineno}" for name, tree in SOURCES for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in functions and isinstance(node.func.value, ast.Name) and node.func.value.id == module]


def _files_of(places: list[str]) -> set[str]:
    return {place.split(":")[0] for place in places}


def test_the_bidi_modes_are_written_once():
    assert _files_of(literal_collections_of(set(BIDI_MODES), 3)) == {"tui/vocabulary.py"}


def test_the_statuses_are_written_once():
    # the Literal's arguments are the one list; the SQLite schema's CHECK is a migration (history);
    # a choice of some of them (tui stats' columns) is typed tuple[Status, ...]
    assert _files_of(literal_collections_of(set(STATUSES), len(STATUSES))) == {"tui/vocabulary.py"}


def test_the_xdg_folders_are_found_in_one_place():
    assert _files_of(strings_containing("XDG_")) == {"tui/files.py"}


def test_files_are_replaced_atomically_in_one_place():
    assert _files_of(calls_of("os", {"replace", "rename", "fsync"})) == {"tui/files.py"}
    assert _files_of(calls_of("tempfile", {"mkstemp", "NamedTemporaryFile"})) == {"tui/files.py"}


def test_the_scans_see_a_second_copy():
    global SOURCES
    kept = SOURCES
    try:
        SOURCES = [*kept, ("tui/elsewhere.py", ast.parse(
            'MODES = ("app", "terminal", "off")\nSTATES = ["todo", "in_progress", "done", "skipped"]\n'
            'import os\nstate = os.environ.get("XDG_STATE_HOME")\nos.replace("a", "b")\n'))]
        assert "tui/elsewhere.py" in _files_of(literal_collections_of(set(BIDI_MODES), 3))
        assert "tui/elsewhere.py" in _files_of(literal_collections_of(set(STATUSES), len(STATUSES)))
        assert "tui/elsewhere.py" in _files_of(strings_containing("XDG_"))
        assert "tui/elsewhere.py" in _files_of(calls_of("os", {"replace"}))
    finally:
        SOURCES = kept


def test_the_atomic_write_syncs_the_new_file_before_it_takes_the_name(tmp_path: Path, monkeypatch):
    target = tmp_path / "sessions.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    steps: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        steps.append("fsync")
        real_fsync(fd)

    def replace(source, destination) -> None:
        steps.append("replace")
        assert Path(source).read_text(encoding="utf-8") == "new", "the whole new text is there before the rename"
        real_replace(source, destination)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    files.atomic_write_text(target, "new")
    assert steps == ["fsync", "replace"]
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640, "the mode of the file it replaced"
    assert [p.name for p in tmp_path.iterdir()] == ["sessions.json"], "no temporary file left"


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    target = tmp_path / "config.toml"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with files.atomic_output(target) as handle:
            handle.write("half")
            raise RuntimeError("the disk went away")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]
