"""The bidi session around a minimal Textual app on a real pty: exact bytes on every exit path.

This pins down tui.terminal's behaviour independently of the annotation app (whose own pty
tests are in test_terminal_app_pty.py)."""

from __future__ import annotations

import signal
import sys

import pytest

from conftest import ALT_SCREEN_OFF, ALT_SCREEN_ON, TINY_APP, base_env, colour_kinds

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
def test_quit_restores(spawn_pty):
    process = start(spawn_pty)
    process.send("q")
    assert process.wait_exit() == 0
    assert_wrapped(process.output)


@pytest.mark.quick
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_signal_leaves_alt_screen_then_restores(spawn_pty, signum):
    process = start(spawn_pty)
    process.signal(signum)
    assert process.wait_exit() == 128 + signum
    assert_wrapped(process.output)


@pytest.mark.quick
def test_exception_restores_after_traceback(spawn_pty):
    process = start(spawn_pty)
    process.send("x")
    assert process.wait_exit() == 1
    out = process.output
    assert_wrapped(out)
    assert b"boom from tiny app" in out[: out.rindex(RESTORE)]


@pytest.mark.quick
def test_real_hangup_exits_promptly_with_sighup_status(spawn_pty):
    process = start(spawn_pty)
    process.hang_up()  # the SSH connection drops: the master side goes away
    assert process.wait_exit(10) == 128 + signal.SIGHUP


@pytest.mark.quick
@pytest.mark.parametrize("mode", ["terminal", "off"])
def test_terminal_and_off_send_no_bidi_sequences(spawn_pty, mode):
    process = start(spawn_pty, mode)
    process.send("q")
    assert process.wait_exit() == 0
    out = process.output
    assert b"\x1b[8l" not in out and b"\x1b[8h" not in out
    assert b"\x1b[1 k" not in out and b"\x1b[0 k" not in out


@pytest.mark.quick
def test_inside_tmux_sequences_use_passthrough(spawn_pty):
    process = start(spawn_pty, TMUX="/tmp/tmux-0/default,1,0", TERM="tmux-256color")
    process.send("q")
    assert process.wait_exit() == 0
    out = process.output
    setup = b"\x1bPtmux;\x1b\x1b[8l\x1b\\\x1bPtmux;\x1b\x1b[1 k\x1b\\"
    restore = b"\x1bPtmux;\x1b\x1b[8h\x1b\\\x1bPtmux;\x1b\x1b[0 k\x1b\\"
    assert out.startswith(setup) and out.endswith(restore)
    assert SETUP not in out and RESTORE not in out


@pytest.mark.quick
def test_harness_sees_colour_depth(spawn_pty):
    """The harness itself: TERM=linux gives 16 colours, xterm-256color 256, NO_COLOR none."""
    for env, kinds in [({"TERM": "linux"}, {"16"}), ({}, {"256"}), ({"NO_COLOR": "1"}, set())]:
        process = start(spawn_pty, **env)
        process.send("q")
        process.wait_exit()
        assert colour_kinds(process.output) - {"default"} == kinds, env


@pytest.mark.quick
def test_alt_arrives_as_escape_prefix(spawn_pty):
    """Terminals without a Meta key (and SSH) send Alt+a as ESC a: Textual must see alt+a."""
    process = start(spawn_pty)
    process.send(b"\x1ba")
    process.wait_for(b"alt+a arrived", 5)
    process.send("q")
    assert process.wait_exit() == 0
