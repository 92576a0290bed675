"""tui.terminal without a terminal: detection, the exact control sequences, passthrough wrapping,
runtime mode switches and the session's bookkeeping."""

from __future__ import annotations

import os
import select
import signal
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui import terminal
from tui.terminal import (
    BidiTerminal,
    bidi_terminal_session,
    color_depth,
    detect,
    passthrough,
    restore_sequence,
    setup_sequence,
)

ESC = "\x1b"


def read_pty(master: int, expected: bytes, timeout: float = 5.0) -> bytes:
    """Read from a pty master until len(expected) bytes came (a pty hands data over in pieces)."""
    got = b""
    deadline = time.monotonic() + timeout
    while len(got) < len(expected) and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            got += os.read(master, 1024)
    return got
PLAIN = detect({"TERM": "xterm-256color"})


def test_app_mode_setup_is_explicit_mode_then_ltr_presentation():
    assert setup_sequence("app", PLAIN) == "\x1b[8l\x1b[1 k"
    assert restore_sequence("app", PLAIN) == "\x1b[8h\x1b[0 k"


@pytest.mark.parametrize("mode", ["terminal", "off"])
def test_terminal_and_off_modes_send_nothing(mode):
    assert setup_sequence(mode, PLAIN) == ""
    assert restore_sequence(mode, PLAIN) == ""


def test_unknown_mode_is_a_clear_error():
    with pytest.raises(ValueError, match="app, terminal, off"):
        setup_sequence("visual", PLAIN)


def test_tmux_passthrough_doubles_every_escape():
    assert passthrough("\x1b[8l", "tmux") == "\x1bPtmux;\x1b\x1b[8l\x1b\\"
    info = detect({"TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0"})
    assert setup_sequence("app", info) == "\x1bPtmux;\x1b\x1b[8l\x1b\\\x1bPtmux;\x1b\x1b[1 k\x1b\\"
    assert restore_sequence("app", info) == "\x1bPtmux;\x1b\x1b[8h\x1b\\\x1bPtmux;\x1b\x1b[0 k\x1b\\"


def test_screen_passthrough_wraps_in_plain_dcs():
    info = detect({"TERM": "screen-256color", "STY": "1234.pts-0.host"})
    assert info.multiplexer == "screen"
    assert setup_sequence("app", info) == "\x1bP\x1b[8l\x1b\\\x1bP\x1b[1 k\x1b\\"


@given(st.text(alphabet=st.sampled_from(["\x1b", "[", "8", "l", " ", "k", "a", "\\"]), min_size=1))
def test_tmux_passthrough_round_trips(sequence):
    wrapped = passthrough(sequence, "tmux")
    assert wrapped.startswith("\x1bPtmux;") and wrapped.endswith("\x1b\\")
    body = wrapped[len("\x1bPtmux;"):-2]
    # tmux undoes the doubling: every ESC in the body comes in pairs
    assert body.replace("\x1b\x1b", "") .count("\x1b") == 0
    assert body.replace("\x1b\x1b", "\x1b") == sequence


@pytest.mark.parametrize("env, expected", [
    ({"TMUX": "/tmp/tmux-0/default,1,0", "TERM": "screen"}, "tmux"),
    ({"STY": "99.pts-1.host", "TERM": "screen"}, "screen"),
    ({"TERM": "tmux-256color"}, "tmux"),  # over SSH from inside tmux: only TERM crosses
    ({"TERM": "screen-256color"}, "screen"),
    ({"TERM": "screen-256color", "TUI_MULTIPLEXER": "tmux"}, "tmux"),
    ({"TERM": "tmux-256color", "TUI_MULTIPLEXER": "none"}, None),
    ({"TERM": "xterm-256color"}, None),
])
def test_multiplexer_detection(env, expected):
    assert detect(env).multiplexer == expected


@pytest.mark.parametrize("env, depth", [
    ({"TERM": "xterm-256color"}, "256"),
    ({"TERM": "xterm-256color", "COLORTERM": "truecolor"}, "truecolor"),
    ({"TERM": "xterm", "COLORTERM": "24bit"}, "truecolor"),
    ({"TERM": "linux"}, "16"),
    ({"TERM": "xterm-16color"}, "16"),
    ({"TERM": "screen-256color"}, "256"),
    ({"TERM": "tmux-256color"}, "256"),
    ({"TERM": "xterm-kitty"}, "256"),
    ({"TERM": "dumb"}, "none"),
    ({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}, "16"),
])
def test_colour_depth(env, depth):
    assert color_depth(env) == depth


@pytest.mark.parametrize("term", ["xterm-256color", "linux", "screen-256color", "xterm", "vt100",
                                  "tmux-256color", "xterm-16color", "xterm-kitty"])
@pytest.mark.parametrize("colorterm", ["", "truecolor"])
def test_colour_depth_agrees_with_rich(term, colorterm):
    """Textual draws through a Rich Console; our report must match what it will really do."""
    from rich.console import Console

    env = {"TERM": term, "COLORTERM": colorterm}
    console = Console(force_terminal=True, _environ=env, file=open(os.devnull, "w"))
    rich_depth = {"truecolor": "truecolor", "256": "256", "standard": "16"}[console.color_system]
    assert color_depth(env) == rich_depth


@pytest.mark.parametrize("env, name, reorders", [
    ({"TERM": "xterm-256color", "VTE_VERSION": "7006"}, "VTE", True),
    ({"TERM": "xterm-256color", "KONSOLE_VERSION": "230804"}, "Konsole", True),
    ({"TERM": "xterm-256color", "TERM_PROGRAM": "Apple_Terminal"}, "macOS Terminal", True),
    ({"TERM": "xterm-256color", "TERM_PROGRAM": "mintty"}, "mintty", True),
    ({"TERM": "mlterm", "MLTERM": "3.9.3"}, "mlterm", True),
    ({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm", "WEZTERM_PANE": "0"}, "WezTerm", None),
    ({"TERM": "xterm-kitty"}, "kitty", False),
    ({"TERM": "alacritty"}, "Alacritty", False),
    ({"TERM": "xterm-256color", "WT_SESSION": "x"}, "Windows Terminal", False),
    ({"TERM": "xterm-256color", "TERM_PROGRAM": "vscode"}, "VS Code", False),
    ({"TERM": "xterm", "XTERM_VERSION": "XTerm(379)"}, "xterm", False),
])
def test_known_terminals(env, name, reorders):
    info = detect(env)
    assert info.emulator is not None and info.emulator.name.startswith(name)
    assert info.reorders_rtl is reorders


def test_terminals_that_reorder_and_ignore_bdsm_are_advised_terminal_mode():
    assert terminal.recommended_bidi(detect({"TERM_PROGRAM": "Apple_Terminal"})) == "terminal"
    assert terminal.recommended_bidi(detect({"KONSOLE_VERSION": "1"})) == "terminal"
    assert terminal.recommended_bidi(detect({"VTE_VERSION": "7006"})) == "app"  # honours CSI 8 l
    assert terminal.recommended_bidi(detect({"TERM": "xterm-256color"})) == "app"


def test_linux_console_gets_no_bidi_sequences():
    info = detect({"TERM": "linux"})
    assert info.linux_console and info.reorders_rtl is False
    assert setup_sequence("app", info) == ""


def test_no_color_asks_textual_for_its_no_colour_filter():
    assert terminal.textual_app_options({"NO_COLOR": "1"}) == {"ansi_color": True}
    assert terminal.textual_app_options({}) == {}


def test_runtime_switch_restores_then_sets_again():
    written: list[str] = []
    session = BidiTerminal("app", None, PLAIN)
    session.enter()
    assert session.active
    assert session.apply_mode("terminal", written.append) == "\x1b[8h\x1b[0 k"
    assert session.apply_mode("off", written.append) == ""  # already implicit
    assert session.apply_mode("app", written.append) == "\x1b[8l\x1b[1 k"
    assert session.apply_mode("app", written.append) == ""
    assert written == ["\x1b[8h\x1b[0 k", "\x1b[8l\x1b[1 k"]
    assert session.restore() == "\x1b[8h\x1b[0 k"
    assert session.restore() == ""  # only once


def test_session_writes_setup_and_restore_to_a_tty(tmp_path):
    master, slave = os.openpty()
    try:
        with bidi_terminal_session("app", slave, env={"TERM": "xterm-256color"}) as session:
            assert terminal.current_session() is session
            assert read_pty(master, b"\x1b[8l\x1b[1 k") == b"\x1b[8l\x1b[1 k"
            assert terminal.apply_mode("terminal") == "\x1b[8h\x1b[0 k"
            assert read_pty(master, b"\x1b[8h\x1b[0 k") == b"\x1b[8h\x1b[0 k"
            terminal.apply_mode("app")
            assert read_pty(master, b"\x1b[8l\x1b[1 k") == b"\x1b[8l\x1b[1 k"
        assert read_pty(master, b"\x1b[8h\x1b[0 k") == b"\x1b[8h\x1b[0 k"
        assert terminal.current_session() is None
    finally:
        os.close(master)
        os.close(slave)


def test_session_restores_when_the_body_raises():
    master, slave = os.openpty()
    try:
        with pytest.raises(RuntimeError):
            with bidi_terminal_session("app", slave, env={"TERM": "xterm-256color"}):
                raise RuntimeError("app crashed")
        assert read_pty(master, b"\x1b[8l\x1b[1 k\x1b[8h\x1b[0 k") == b"\x1b[8l\x1b[1 k\x1b[8h\x1b[0 k"
    finally:
        os.close(master)
        os.close(slave)


def test_session_writes_nothing_when_not_a_tty(tmp_path):
    path = tmp_path / "out.txt"
    with path.open("w") as out:
        with bidi_terminal_session("app", out, env={"TERM": "xterm-256color"}):
            pass
    assert path.read_bytes() == b""


def test_signal_outside_the_event_loop_restores_and_exits_128_plus_signal():
    master, slave = os.openpty()
    before = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit) as exit_info:
            with bidi_terminal_session("app", slave, env={"TERM": "xterm-256color"}):
                os.kill(os.getpid(), signal.SIGTERM)
        assert exit_info.value.code == 128 + signal.SIGTERM
        assert read_pty(master, b"\x1b[8l\x1b[1 k\x1b[8h\x1b[0 k") == b"\x1b[8l\x1b[1 k\x1b[8h\x1b[0 k"
        assert signal.getsignal(signal.SIGTERM) is before  # handlers put back
    finally:
        os.close(master)
        os.close(slave)


def test_runtime_switch_without_session_is_a_no_op():
    assert terminal.current_session() is None
    assert terminal.apply_mode("terminal") == ""
