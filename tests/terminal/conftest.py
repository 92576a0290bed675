"""Fixtures for terminal tests (pty, tmux, sshd, a seeded database); see terminal_harness.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.terminal.terminal_harness import PtyProcess, Sshd, Tmux, base_env


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "quick: a real-terminal test (pty, tmux, ssh) that takes seconds")


@pytest.fixture
def spawn_pty() -> Iterator[Callable[..., PtyProcess]]:
    """spawn_pty(argv, env=..., cols=80, rows=24) -> PtyProcess; all killed at teardown."""
    started: list[PtyProcess] = []

    def spawn(argv: list[str], *, env: dict[str, str] | None = None, **kw) -> PtyProcess:
        process = PtyProcess(argv, env=env or base_env(), **kw)
        started.append(process)
        return process

    yield spawn
    for process in started:
        process.close()


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (CI's .ci/run apt-installs it)")
    server = Tmux()
    yield server
    server.kill()


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[Sshd]:
    """A running sshd; skips (with the reason) only where it truly cannot start."""
    if not Path("/usr/sbin/sshd").exists():
        pytest.skip("openssh-server is not installed (/usr/sbin/sshd missing; CI's .ci/run installs it)")
    if shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:
        pytest.skip("openssh-client (ssh, ssh-keygen) is not installed")
    if os.geteuid() != 0:
        pytest.skip("sshd must run as root to accept logins (tests are not running as root)")
    root = tmp_path / "sshd"
    root.mkdir()
    server = Sshd(root)
    try:
        yield server
    finally:
        server.stop()
