"""`tui doctor`: the report, the eye test and its advice, safe without a terminal."""

from __future__ import annotations

import sys

import click
import pytest
from click.testing import CliRunner

from tests.terminal.terminal_harness import base_env
from tui import doctor as doctor_module
from tui.doctor import ANSWERS, TEST_LINE, advice, doctor, render_test_lines
from tui.terminal import detect


def cli() -> click.Group:
    """The real `tui` group when it has the doctor command, else a stand-in with the same root options."""
    try:
        from tui.cli import main

        if isinstance(main, click.Group) and "doctor" in main.commands:
            return main
    except ImportError:
        pass

    @click.group()
    @click.option("--bidi", type=click.Choice(["app", "terminal", "off"]), default=None)
    @click.option("--shaping", type=click.Choice(["on", "off"]), default=None)
    @click.option("--config", default=None)
    def main(bidi, shaping, config):
        pass

    main.add_command(doctor)
    return main


def run(*args, env=None):
    env = {"TERM": "xterm-256color", "XDG_CONFIG_HOME": "/nonexistent", **(env or {})}
    return CliRunner().invoke(cli(), [*args], env=env, catch_exceptions=False)


def test_without_a_terminal_it_never_prompts_and_gives_all_advice():
    result = run("doctor")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "TERM" in out and "xterm-256color" in out
    assert "colour depth" in out and "256" in out
    assert "Does line A read right to left with joined letters?" in out
    for key in ANSWERS:
        assert f"If {key}:" in out
    assert f"|{TEST_LINE}|" in out  # line B: logical order
    assert f"|{render_test_lines().visual}|" in out  # line A: no sequences when not a tty


def test_line_a_is_our_engine_output_shaped_and_reordered():
    lines = render_test_lines(shaping=True)
    assert lines.engine == "tui.layout"
    assert lines.logical == TEST_LINE
    assert any(0xFE70 <= ord(ch) <= 0xFEFF for ch in lines.visual)  # joined (presentation) forms
    assert lines.visual.startswith("(2024)")  # RTL line: the number ends up at the left
    unshaped = render_test_lines(shaping=False)
    assert not any(0xFE70 <= ord(ch) <= 0xFEFF for ch in unshaped.visual)
    assert sorted(unshaped.visual) == sorted(TEST_LINE)  # same characters, brackets mirrored


def test_flags_are_reported_as_the_chosen_modes():
    out = run("--bidi", "terminal", "--shaping", "off", "doctor").output
    assert "terminal (command-line flag)" in out
    assert "shaping" in out and "off" in out


def test_config_file_modes_are_reported(tmp_path):
    config = tmp_path / "tui" / "config.toml"
    config.parent.mkdir()
    config.write_text('bidi = "terminal"\nshaping = false\n')
    out = run("doctor", env={"XDG_CONFIG_HOME": str(tmp_path)}).output
    assert f"terminal (config {config})" in out


@pytest.mark.parametrize("answer", list(ANSWERS))
def test_answer_flag_gives_only_that_advice(answer):
    result = run("doctor", "--answer", answer)
    assert result.exit_code == 0
    assert "If a:" not in result.output
    for line in advice(answer, detect({"TERM": "xterm-256color"}), "app", True):
        assert line in result.output


def test_reversed_line_inside_tmux_points_at_allow_passthrough():
    info = detect({"TERM": "tmux-256color", "TMUX": "/tmp/x,1,0"})
    text = " ".join(advice("b", info, "app", True))
    assert "allow-passthrough on" in text and "--bidi terminal" in text
    out = run("doctor", env={"TERM": "tmux-256color", "TMUX": "/nonexistent/sock,1,0"}).output
    assert "tmux" in out and "allow-passthrough" in out
    assert "ESC Ptmux; ESC ESC [8l ESC \\ ESC Ptmux; ESC ESC [1 k ESC \\" in out  # the form it will send


def test_reversed_line_advises_terminal_mode_and_disconnected_advises_fonts():
    info = detect({"TERM": "xterm-256color"})
    assert any("--bidi terminal" in line for line in advice("b", info, "app", True))
    assert any("font" in line for line in advice("disconnected", info, "app", True))
    assert any("--shaping on" in line for line in advice("disconnected", info, "app", False))
    assert any("font" in line for line in advice("boxes", info, "app", True))


def test_detected_terminal_is_named():
    out = run("doctor", env={"KONSOLE_VERSION": "230804"}).output
    assert "Konsole" in out and "--bidi terminal" in out


@pytest.mark.quick
def test_on_a_tty_line_a_is_sent_in_explicit_mode_and_the_prompt_takes_an_answer(spawn_pty, tmp_path):
    code = ("import click; from tui.doctor import doctor\n"
            "@click.group()\n"
            "def g(): pass\n"
            "g.add_command(doctor); g()\n")
    process = spawn_pty([sys.executable, "-c", code, "doctor"],
                        env=base_env(XDG_CONFIG_HOME=str(tmp_path)))
    process.wait_for(b"Your answer")
    process.send("b\r")
    assert process.wait_exit() == 0
    out = process.output
    visual = render_test_lines().visual.encode()
    assert b"|\x1b[8l\x1b[1 k" + visual + b"\x1b[8h\x1b[0 k|" in out
    assert b"|" + TEST_LINE.encode() + b"|" in out
    assert b"--bidi terminal" in out.split(b"Your answer")[1]
    assert doctor_module.ANSWERS["b"].encode() in out


def test_an_output_that_cannot_carry_arabic_is_explained_not_a_crash(tmp_path):
    import io

    from tui.doctor import run_doctor

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii")
    assert run_doctor(out, {"TERM": "xterm"}, "app", True, "default", "boxes", False) == 0
    text = raw.getvalue().decode("ascii")
    assert "ascii cannot carry Arabic" in text and "LANG=C.UTF-8" in text
    assert "|(2024) ??????? ?????|" in text  # line A with the letters replaced, not a traceback


def test_doctor_reports_the_database_without_touching_it(tmp_path):
    from tui.store import Store

    db = tmp_path / "a.db"
    Store.open(db).close()
    before = db.read_bytes()
    result = run("doctor", "--db", str(db), "--answer", "a")
    assert result.exit_code == 0
    assert f"{db}: schema v" in result.output and "writable" in result.output
    assert db.read_bytes() == before

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 10)
    result = run("doctor", "--db", str(bad), "--answer", "a")
    assert "PROBLEM:" in result.output and "not a SQLite database" in result.output
    assert bad.read_bytes() == b"not a database at all" * 10
