"""`tui` itself on a real pty: the exact bidi bytes in each mode and on each exit path, colour
depth by raw SGR codes, several TERMs, and tiny sizes."""

from __future__ import annotations

import signal
import time

import pytest

from tests.terminal.terminal_harness import (
    ALT_SCREEN_OFF,
    ALT_SCREEN_ON,
    base_env,
    colour_kinds,
    sgr_params,
    tui_argv,
    wait_for_first_frame,
)

SETUP = b"\x1b[8l\x1b[1 k"
RESTORE = b"\x1b[8h\x1b[0 k"
TMUX_SETUP = b"\x1bPtmux;\x1b\x1b[8l\x1b\\\x1bPtmux;\x1b\x1b[1 k\x1b\\"
TMUX_RESTORE = b"\x1bPtmux;\x1b\x1b[8h\x1b\\\x1bPtmux;\x1b\x1b[0 k\x1b\\"
SCREEN_SETUP = b"\x1bP\x1b[8l\x1b\\\x1bP\x1b[1 k\x1b\\"
SCREEN_RESTORE = b"\x1bP\x1b[8h\x1b\\\x1bP\x1b[0 k\x1b\\"


def start(spawn_pty, db, *options, cols=80, rows=24, **env):
    process = spawn_pty(tui_argv(db, *options), env=base_env(**env), cols=cols, rows=rows)
    wait_for_first_frame(process)
    return process


def quit_app(process) -> int:
    process.send("q")
    return process.wait_exit()


def assert_setup_first_restore_last(out: bytes, setup: bytes = SETUP, restore: bytes = RESTORE) -> None:
    assert out.count(setup) == 1, out[:300]
    assert out.count(restore) == 1, out[-300:]
    assert out.index(setup) < out.index(ALT_SCREEN_ON), "setup must precede the first frame"
    assert out.rindex(ALT_SCREEN_OFF) < out.rindex(restore), "restore must follow leaving the alt screen"
    assert out.rstrip(b"\r\n").endswith(restore), out[-300:]


@pytest.mark.quick
def test_app_mode_sets_explicit_ltr_before_first_frame_and_restores_on_quit(spawn_pty, seeded_db):
    process = start(spawn_pty, seeded_db)
    assert process.output.startswith(SETUP)
    assert quit_app(process) == 0
    assert_setup_first_restore_last(process.output)


@pytest.mark.quick
def test_sequences_go_to_the_terminal_textual_draws_on_even_with_stdout_redirected(spawn_pty, seeded_db, tmp_path):
    """Textual draws on stderr; so do we, so `tui > file` still tells the terminal."""
    redirected = tmp_path / "stdout.txt"
    with redirected.open("wb") as stdout:
        process = spawn_pty(tui_argv(seeded_db), env=base_env(), stdout=stdout)
        wait_for_first_frame(process)
        assert quit_app(process) == 0
    assert_setup_first_restore_last(process.output)
    assert b"\x1b[8" not in redirected.read_bytes()


@pytest.mark.quick
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_app_mode_restores_after_signal(spawn_pty, seeded_db, signum):
    process = start(spawn_pty, seeded_db)
    process.signal(signum)
    assert process.wait_exit() == 128 + signum
    assert_setup_first_restore_last(process.output)


def _stopped(pid: int) -> bool:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] == "T"


def test_suspend_gives_the_shell_its_terminal_back_and_resume_sets_it_up_again(spawn_pty, seeded_db):
    """SIGTSTP (`kill -TSTP`; ctrl+z is undo in tui) stops it like any terminal program; while it is
    stopped the shell must not be left in explicit bidi mode, and `fg` (SIGCONT) must set it up again
    before Textual redraws."""
    process = start(spawn_pty, seeded_db)
    process.wait_quiet()
    mark = len(process.output)
    process.signal(signal.SIGTSTP)
    process.wait_for(lambda out: RESTORE in out[mark:], 10)
    deadline = time.monotonic() + 10
    while not _stopped(process.proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _stopped(process.proc.pid)
    suspended = process.output[mark:]
    assert suspended.index(ALT_SCREEN_OFF) < suspended.index(RESTORE), suspended[-300:]

    mark = len(process.output)
    process.signal(signal.SIGCONT)
    process.wait_for(lambda out: SETUP in out[mark:] and ALT_SCREEN_ON in out[mark:], 10)
    resumed = process.output[mark:]
    assert resumed.index(SETUP) < resumed.index(ALT_SCREEN_ON), "set up again before the redraw"
    process.wait_quiet()
    assert quit_app(process) == 0
    out = process.output
    assert out.count(SETUP) == 2 and out.count(RESTORE) == 2
    assert out.rstrip(b"\r\n").endswith(RESTORE)


@pytest.mark.quick
def test_dropped_connection_exits_promptly(spawn_pty, seeded_db):
    process = start(spawn_pty, seeded_db)
    process.hang_up()
    assert process.wait_exit(10) == 128 + signal.SIGHUP


@pytest.mark.quick
@pytest.mark.parametrize("mode", ["terminal", "off"])
def test_terminal_and_off_modes_send_no_bidi_sequences(spawn_pty, seeded_db, mode):
    process = start(spawn_pty, seeded_db, "--bidi", mode)
    assert quit_app(process) == 0
    out = process.output
    for sequence in (b"\x1b[8l", b"\x1b[8h", b"\x1b[1 k", b"\x1b[0 k"):
        assert sequence not in out


@pytest.mark.quick
def test_config_file_mode_is_used(spawn_pty, seeded_db, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('bidi = "terminal"\n')
    process = start(spawn_pty, seeded_db, "--config", str(config))
    assert quit_app(process) == 0
    assert b"\x1b[8l" not in process.output


@pytest.mark.quick
def test_inside_tmux_sequences_go_through_passthrough(spawn_pty, seeded_db):
    process = start(spawn_pty, seeded_db, TERM="tmux-256color", TMUX="/tmp/tmux-0/default,4242,0")
    assert quit_app(process) == 0
    out = process.output
    assert_setup_first_restore_last(out, TMUX_SETUP, TMUX_RESTORE)
    assert SETUP not in out and RESTORE not in out


@pytest.mark.quick
def test_inside_screen_sequences_go_through_passthrough(spawn_pty, seeded_db):
    process = start(spawn_pty, seeded_db, TERM="screen-256color", STY="4242.pts-0.host")
    process.signal(signal.SIGTERM)
    assert process.wait_exit() == 128 + signal.SIGTERM
    assert_setup_first_restore_last(process.output, SCREEN_SETUP, SCREEN_RESTORE)


def assert_clean_exit(out: bytes) -> None:
    assert b"Traceback" not in out and b"Error" not in out[out.rindex(ALT_SCREEN_OFF):], out[-1500:]


def _tag_a_word(process) -> None:
    """Tag the word under the caret in the first pane as entity (the span must show)."""
    process.send("w")
    process.send("e")
    process.wait_quiet(0.4)


@pytest.mark.quick
@pytest.mark.parametrize("term, depth, deeper", [
    ("linux", "16", {"256", "truecolor"}),  # the Linux console, 16 colours
    ("xterm-256color", "256", {"truecolor"}),
])
def test_a_colour_depth_emits_no_deeper_codes(spawn_pty, seeded_db, term, depth, deeper):
    process = start(spawn_pty, seeded_db, TERM=term)
    _tag_a_word(process)
    assert quit_app(process) == 0
    assert_clean_exit(process.output)
    kinds = colour_kinds(process.output)
    assert depth in kinds and not kinds & deeper, kinds
    if term == "linux":
        assert b"\x1b[8l" not in process.output  # the Linux console has no bidi: nothing to switch off


@pytest.mark.quick
def test_truecolor_when_the_terminal_says_so(spawn_pty, seeded_db):
    process = start(spawn_pty, seeded_db, TERM="xterm-256color", COLORTERM="truecolor")
    assert quit_app(process) == 0
    assert "truecolor" in colour_kinds(process.output)


@pytest.mark.quick
def test_no_color_emits_no_colour_at_all_but_keeps_text_attributes(spawn_pty, seeded_db):
    process = start(spawn_pty, seeded_db, NO_COLOR="1", COLORTERM="truecolor")
    _tag_a_word(process)
    assert quit_app(process) == 0
    out = process.output
    assert colour_kinds(out) <= {"default"}, colour_kinds(out)
    attributes = {p for params in sgr_params(out) for p in params}
    assert attributes & {1, 4, 7}, "spans, caret and focus need bold/underline/reverse without colour"


@pytest.mark.quick
@pytest.mark.parametrize("term", ["screen-256color", "tmux-256color"])
def test_starts_draws_and_quits_cleanly_under(spawn_pty, seeded_db, term):
    """(xterm-256color and linux: the colour-depth tests above start, draw and quit.)"""
    process = start(spawn_pty, seeded_db, TERM=term)
    assert quit_app(process) == 0
    assert_clean_exit(process.output)


@pytest.mark.quick
def test_tiny_sizes_and_back_never_crash(spawn_pty, seeded_db):
    process = start(spawn_pty, seeded_db)
    for cols, rows in [(10, 3), (1, 1), (2, 1), (40, 5), (1, 24), (200, 2), (80, 24)]:
        process.resize(cols, rows)
        process.wait_quiet(0.25)
        assert process.proc.poll() is None, f"died at {cols}x{rows}: {process.output[-2000:]!r}"
    process.send("j")  # still takes keys at 80x24
    process.wait_quiet(0.25)
    assert quit_app(process) == 0
    assert b"Traceback" not in process.output


def _cycle_bidi_once_around(process) -> None:
    """Press `B` (cycle app/terminal/off) three times: every mode once, back to the start.
    Each press must leave the terminal consistent: never two setups without a restore between."""
    for _ in range(3):
        process.send("B")
        process.wait_quiet(0.3)
        out = process.output
        assert out.count(SETUP) - out.count(RESTORE) in (0, 1), out[-500:]
        assert ALT_SCREEN_OFF not in out


@pytest.mark.quick
def test_runtime_switch_tells_the_terminal(spawn_pty, seeded_db):
    """From app mode around the cycle: leaving app mode restores implicit mode at once, coming
    back sets explicit mode again, and quitting restores once more."""
    process = start(spawn_pty, seeded_db)
    _cycle_bidi_once_around(process)
    process.wait_for(lambda out: (out.count(SETUP), out.count(RESTORE)) == (2, 1), 5)
    assert quit_app(process) == 0
    out = process.output
    assert (out.count(SETUP), out.count(RESTORE)) == (2, 2)
    assert out.rstrip(b"\r\n").endswith(RESTORE)


@pytest.mark.quick
def test_runtime_switch_from_terminal_mode(spawn_pty, seeded_db):
    """From terminal mode around the cycle: app mode sets explicit mode, leaving it restores;
    back in terminal mode, quitting has nothing left to restore."""
    process = start(spawn_pty, seeded_db, "--bidi", "terminal")
    assert SETUP not in process.output
    _cycle_bidi_once_around(process)
    process.wait_for(lambda out: (out.count(SETUP), out.count(RESTORE)) == (1, 1), 5)
    assert quit_app(process) == 0
    assert (process.output.count(SETUP), process.output.count(RESTORE)) == (1, 1)


def _tui_in_real_tmux(spawn_pty, seeded_db, tmp_path, passthrough: str):
    """An attached tmux client on our pty, tui inside it: what reaches the *outer* terminal."""
    import shlex
    import shutil

    from tests.terminal.terminal_harness import Tmux

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed (CI's .ci/run apt-installs it)")
    server = Tmux()
    conf = tmp_path / "tmux.conf"
    conf.write_text(f"set -g allow-passthrough {passthrough}\nset -g status off\n")
    command = shlex.join(tui_argv(seeded_db))
    argv = ["tmux", "-L", server.socket, "-f", str(conf), "new-session", "-s", "t", command]
    process = spawn_pty(argv, env=base_env(), cols=80, rows=24)
    return server, process


@pytest.mark.quick
def test_real_tmux_with_passthrough_hands_our_sequences_to_the_outer_terminal(spawn_pty, seeded_db, tmp_path):
    server, process = _tui_in_real_tmux(spawn_pty, seeded_db, tmp_path, "on")
    try:
        process.wait_for(lambda out: b"\x1b[8l" in out and b"\x1b[1 k" in out, 20)
        # The setup is written before the app starts; its frame (the status line names the
        # annotator) says it is listening: a key sent earlier can be lost when it enters raw mode.
        process.wait_for(b"ptytest", 30)
        process.wait_quiet(0.5)
        process.send("q")
        process.wait_for(lambda out: b"\x1b[8h" in out and b"\x1b[0 k" in out, 20)
        assert process.wait_exit(10) == 0
    finally:
        server.kill()
    out = process.output
    assert b"Ptmux;" not in out  # tmux unwrapped it
    assert out.index(b"\x1b[8l") < out.rindex(b"\x1b[8h")


@pytest.mark.quick
def test_real_tmux_without_passthrough_swallows_them(spawn_pty, seeded_db, tmp_path):
    """Why the README asks for `set -g allow-passthrough on`."""
    server, process = _tui_in_real_tmux(spawn_pty, seeded_db, tmp_path, "off")
    try:
        process.wait_for(b"quit", 20)  # the key bar got drawn through tmux
        process.wait_quiet(0.5)
        process.send("q")
        assert process.wait_exit(10) == 0
    finally:
        server.kill()
    assert b"\x1b[8l" not in process.output and b"\x1b[1 k" not in process.output
