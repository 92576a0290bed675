"""The subcommands that live in their own modules, loaded only when asked for (so `tui import`
does not import the code of `tui agree`).

To add `tui NAME`: write the click command in tui/commands/NAME.py (options from
tui.commands.common) and add one line below; `tui --help` lists it, `tui NAME` loads it.
"""

from __future__ import annotations

from importlib import import_module

import click

COMMANDS: dict[str, str] = {
    "agree": "tui.commands.agree:agree_command",
    "copy": "tui.commands.copy:copy_command",
    "doctor": "tui.doctor:doctor",
    "index": "tui.commands.index:index_command",
    "labels": "tui.commands.labels:labels_command",
    "merge": "tui.commands.merge:merge_command",
    "review": "tui.commands.review:review_command",
    "patterns": "tui.commands.patterns:patterns_group",
    "serve": "tui.commands.serve:serve_command",
    "stats": "tui.commands.stats:stats_command",
    "suggest": "tui.commands.suggest:suggest_command",
}
"""Command name -> "module:attribute" of its click command."""


def load_command(name: str) -> click.Command | None:
    """The click command registered as ``name``, imported now; None if there is none."""
    target = COMMANDS.get(name)
    if target is None:
        return None
    module, _, attribute = target.partition(":")
    command = getattr(import_module(module), attribute)
    if not isinstance(command, click.Command):  # pragma: no cover - a registration mistake
        raise TypeError(f"{target} is not a click command")
    return command
