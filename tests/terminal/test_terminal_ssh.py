"""Over a real SSH connection (Debian's openssh-server on 127.0.0.1, throwaway keys)."""

from __future__ import annotations

import shlex
import sys

import pytest

from conftest import base_env


@pytest.mark.quick
def test_sshd_harness_runs_a_command_on_a_remote_tty(sshd, spawn_pty):
    """ssh -t gives the remote command a tty and forwards TERM, as an annotator's session does."""
    remote = f"{shlex.quote(sys.executable)} -c 'import os; print(\"tty\", os.isatty(0), os.environ.get(\"TERM\"))'"
    process = spawn_pty(sshd.ssh_argv(remote), env=base_env("screen-256color"))
    assert process.wait_exit(30) == 0, (process.output, sshd.log.read_text())
    assert b"tty True screen-256color" in process.output
