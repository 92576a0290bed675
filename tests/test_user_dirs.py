"""A test run never reads or writes the real user's folders: HOME and every XDG_*_HOME point at the
suite's own (tests/conftest.py, tests.support.isolate_user_dirs), and whatever the tests start — a
subprocess, a pty child, an app in tmux — sees those, so the real ~/.local/state/tui/sessions.json
(where-you-left-off), ~/.config/tui and the rest stay as they were."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REAL_USER_DIRS, USER_DIR_KINDS, USER_DIR_VARS, child_env, isolated_root
from tests.terminal.terminal_harness import PtyProcess, base_env
from tests.ui.tmux_support import TuiInTmux, needs_tmux, needs_tui
from tui.files import user_dir

# A child that writes where tui would keep each kind of file, one a line, into the file argv[1].
PRINT_DIRS = ("import sys; from tui.files import user_dir; open(sys.argv[1], 'w').write("
              f"'\\n'.join(str(user_dir(kind)) for kind in {USER_DIR_KINDS!r}))")


@pytest.fixture
def check_folders(tmp_path_factory: pytest.TempPathFactory):
    """check_folders(paths): each of tui's folders (config, state, data, cache) is one of the suite's
    (under its HOME folders, or a test's tmp_path: the state folder is per test), never the real one."""
    root, base = isolated_root(), tmp_path_factory.getbasetemp()
    assert root is not None

    def check(paths: list[Path]) -> None:
        assert len(paths) == len(USER_DIR_KINDS)
        for kind, path in zip(USER_DIR_KINDS, paths):
            assert path.is_relative_to(root) or path.is_relative_to(base), (kind, path, root, base)
            assert path != REAL_USER_DIRS[kind], kind

    return check


def test_the_run_has_a_home_and_xdg_folders_of_its_own(check_folders) -> None:
    root = isolated_root()
    assert root is not None and root.is_dir()
    for name in set(USER_DIR_VARS) - {"XDG_STATE_HOME"}:  # the state folder is each test's own (conftest)
        assert Path(os.environ[name]).is_relative_to(root), name
    check_folders([user_dir(kind) for kind in USER_DIR_KINDS])  # type: ignore[arg-type]
    assert set(REAL_USER_DIRS) == set(USER_DIR_KINDS)


def _run_on_a_pty(argv: list[str], tmp_path: Path) -> None:
    process = PtyProcess(argv, env=base_env(), cwd=tmp_path)
    try:
        assert process.wait_exit(60) == 0, process.output
    finally:
        process.close()


LAUNCHERS = {
    "subprocess": lambda argv, tmp_path: subprocess.run(argv, check=True, cwd=tmp_path, timeout=60),
    "child_env": lambda argv, tmp_path: subprocess.run(argv, check=True, cwd=tmp_path, timeout=60,
                                                       env=child_env()),
    "pty": _run_on_a_pty,
}


@pytest.mark.parametrize("launcher", sorted(LAUNCHERS))
def test_what_the_tests_start_sees_the_suites_folders(launcher: str, tmp_path: Path, check_folders) -> None:
    out = tmp_path / "dirs.txt"
    LAUNCHERS[launcher]([sys.executable, "-c", PRINT_DIRS, str(out)], tmp_path)
    check_folders([Path(line) for line in out.read_text().splitlines()])


@needs_tmux
@needs_tui
def test_tui_in_tmux_remembers_its_place_in_the_tests_state_folder_not_the_users(
        seeded_db: Path, tmp_path: Path) -> None:
    """The app in tmux writes its where-you-left-off file into the test's XDG_STATE_HOME; the real
    user's sessions.json never gets an entry for the test's database."""
    with TuiInTmux("--db", seeded_db, "--annotator", "isolation", cwd=tmp_path) as app:
        app.wait_for("vi ltr")
        app.keys("j")
        app.quit()
        assert not app.running()
    key = str(seeded_db.resolve())
    ours = Path(os.environ["XDG_STATE_HOME"]) / "tui" / "sessions.json"
    assert key in ours.read_text(encoding="utf-8")
    real = REAL_USER_DIRS["state"] / "sessions.json"
    assert not real.exists() or key not in real.read_text(encoding="utf-8", errors="replace")
