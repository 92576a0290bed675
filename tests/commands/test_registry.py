"""Commands in their own modules: each registered name loads a documented click command, `tui --help`
lists it, and loading one does not load the others."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from tui.cli import main
from tui.commands.registry import COMMANDS, load_command


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_registered_command_loads_with_help(name):
    command = load_command(name)
    assert isinstance(command, click.Command) and command.name == name
    assert (command.help or "").strip(), f"tui {name} has no help text"
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output


def test_help_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in (*COMMANDS, "import", "export"):
        assert f"  {name} " in result.output


def test_unknown_name_is_not_a_command():
    assert load_command("no-such-command") is None
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code == 2 and "No such command" in result.output


def test_a_command_is_imported_only_when_asked_for():
    code = (
        "import sys; from click.testing import CliRunner; from tui.cli import main; "
        "CliRunner().invoke(main, ['stats', '--help']); "
        "print(sorted(m for m in ('tui.commands.agree', 'tui.commands.merge', 'tui.doctor') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
