"""A minimal Textual app on a real pty, for what the annotation app cannot be made to do on
demand: crash (the restore must still follow the traceback) and bind an Alt key.

Every other exit path and mode is tested on the real app in test_terminal_app_pty.py."""

from __future__ import annotations

import signal
import sys
import time

import pytest

from tests.terminal.terminal_harness import ALT_SCREEN_OFF, ALT_SCREEN_ON, TINY_APP, base_env

SETUP = b"\x1b[8l\x1b[1 k"
RESTORE = b"\x1b[8h\x1b[0 k"


def start(spawn_pty, mode="app", **env):
    process = spawn_pty([sys.executable, str(TINY_APP), mode], env=base_env(**env))
    process.wait_for(b"ready")
    process.wait_quiet(0.3)
    return process


def assert_wrapped(out: bytes) -> None:
    """Setup once, before the alternate screen (the first frame); restore once, after leaving it."""
    assert out.count(SETUP) == 1 and out.count(RESTORE) == 1, out[-400:]
    assert out.index(SETUP) < out.index(ALT_SCREEN_ON)
    assert out.startswith(SETUP)
    assert out.rindex(ALT_SCREEN_OFF) < out.rindex(RESTORE)


@pytest.mark.quick
def test_exception_restores_after_traceback(spawn_pty):
    process = start(spawn_pty)
    process.send("x")
    assert process.wait_exit() == 1
    out = process.output
    assert_wrapped(out)
    assert b"boom from tiny app" in out[: out.rindex(RESTORE)]


@pytest.mark.quick
def test_alt_arrives_as_escape_prefix(spawn_pty):
    """Terminals without a Meta key (and SSH) send Alt+a as ESC a: Textual must see alt+a."""
    process = start(spawn_pty)
    process.send(b"\x1ba")
    process.wait_for(b"alt+a arrived", 5)
    process.send("q")
    assert process.wait_exit() == 0


@pytest.mark.quick
def test_hung_app_is_ended_by_the_watchdog_with_the_terminal_put_back(spawn_pty):
    process = start(spawn_pty)
    process.send("h")  # block the event loop
    time.sleep(0.3)
    started = time.monotonic()
    process.signal(signal.SIGTERM)
    assert process.wait_exit(10) == 128 + signal.SIGTERM
    assert time.monotonic() - started < 6
    out = process.output
    tail = out[out.rindex(RESTORE):]
    assert out.count(RESTORE) == 1
    assert ALT_SCREEN_OFF in tail and b"\x1b[?25h" in tail and b"\x1b[?1000l" in tail
