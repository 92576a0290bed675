"""`tui doctor`: what we detected about this terminal, and an Arabic line to check by eye.

Environment variables cannot tell us everything (most do not cross SSH), so the doctor shows
the same Arabic line twice:

  A  as `--bidi app` draws it: shaped and reordered by our layout engine, written in explicit
     mode (the same BDSM/SCP request the app sends);
  B  as `--bidi terminal` sends it: logical order, for the terminal to reorder.

and asks which one reads right to left with joined letters.  Each answer comes with advice.
"""

from __future__ import annotations

import locale
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, TextIO

import click

from tui.commands.common import TARGET_FILE, resolve_db
from tui.store.target import PostgresTarget

from tui import terminal

TEST_LINE = "مرحبا بالعالم (2024)"
"""'Hello, world (2024)': joining letters, a word boundary, mirrored brackets and LTR digits."""

EXPECTED = ("the word 'marhaban' at the RIGHT end, 'bil-alam' to its left, letters connected as in "
            "printed Arabic (a few, like alef, never join the next one), and '(2024)' at the LEFT end, "
            "digits in order, brackets facing outwards")
"""No Arabic in the description: a terminal would show it in whichever form is broken."""

ANSWERS = {
    "a": "Line A reads right to left with joined letters.",
    "b": "Line A is backwards (words and letters run the wrong way), but line B reads right.",
    "disconnected": "The order is right but the letters stand apart (not joined).",
    "boxes": "I see boxes, question marks or empty cells instead of Arabic letters.",
}


def advice(answer: str, info: terminal.TerminalInfo, bidi: str, shaping: bool) -> list[str]:
    """What to do after the user's answer to the eye test."""
    mux = info.multiplexer
    if answer == "a":
        lines = ["Your terminal draws cells as given (or honours explicit mode): keep --bidi app."]
        if bidi != "app":
            lines.append(f"You are using --bidi {bidi}; switch to --bidi app (or bidi = \"app\" in the config).")
        return lines
    if answer == "b":
        lines = ["Your terminal reorders right-to-left text itself and ignored our request not to."]
        if mux == "tmux":
            lines.append("You are inside tmux, which drops that request unless passthrough is on: run "
                         "`tmux set -g allow-passthrough on` (tmux >= 3.3), then run `tui doctor` again.")
        elif mux == "screen":
            lines.append("You are inside GNU screen, which may drop the request; if line A stays reversed:")
        lines.append("Use --bidi terminal (or bidi = \"terminal\" in the config): we send logical order "
                     "and your terminal reorders it; tags and offsets stay exact.")
        lines.append("Or turn the terminal's own bidi off (Konsole: profile > Advanced > untick "
                     "'Bi-Directional text rendering'; WezTerm: bidi_enabled = false) and keep --bidi app.")
        return lines
    if answer == "disconnected":
        lines = ["The letters are right but not joined."]
        if not shaping:
            lines.append("Shaping is off: turn it on with --shaping on (or shaping = true in the config).")
        else:
            lines.append("Your font lacks Arabic presentation forms (U+FE70..U+FEFF): install a monospace "
                         "font that has them (DejaVu Sans Mono, Noto Sans Mono + Noto Naskh Arabic).")
            lines.append("If your terminal shapes Arabic itself (mlterm, VTE in implicit mode), try "
                         "--bidi terminal --shaping off and let it join the letters.")
        return lines
    if answer == "boxes":
        encoding = locale.getpreferredencoding(False)
        lines = ["The terminal cannot draw these characters."]
        if encoding.lower().replace("-", "") != "utf8":
            lines.append(f"The locale encoding is {encoding}: set a UTF-8 locale (export LANG=C.UTF-8).")
        lines.append("Use a font with Arabic glyphs (DejaVu Sans Mono, Noto Sans Arabic); on the Linux "
                     "console, use a graphical terminal or fbterm/kmscon: console fonts have no Arabic.")
        return lines
    raise ValueError(f"unknown answer {answer!r}")


@dataclass(frozen=True)
class TestLines:
    visual: str  # what --bidi app draws
    logical: str  # what --bidi terminal sends
    engine: str  # which code produced `visual`


def render_test_lines(shaping: bool = True, width: int = 40) -> TestLines:
    """The test line through our layout engine (tui.layout), and in logical order."""
    from tui.layout import DocumentLayout, LayoutOptions

    layout = DocumentLayout(TEST_LINE, width, LayoutOptions(direction="rtl", shaping=shaping, reorder=True))
    rows = []
    for y in range(layout.line_count):
        line = layout.line(y)
        rows.append("".join(cell.text for cell in line.cells if cell.end > cell.start))
    return TestLines(" ".join(rows), TEST_LINE, "tui.layout")


def tmux_allow_passthrough(env: Mapping[str, str]) -> str | None:
    """tmux's allow-passthrough option when we run inside tmux on this machine, else None."""
    if not env.get("TMUX") or shutil.which("tmux") is None:
        return None
    try:
        result = subprocess.run(["tmux", "show-options", "-gv", "allow-passthrough"],
                                capture_output=True, text=True, timeout=3)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() or ("off" if result.returncode == 0 else None)


def describe(info: terminal.TerminalInfo, env: Mapping[str, str], bidi: str, shaping: bool,
             bidi_source: str) -> list[tuple[str, str]]:
    """The 'what we detected' rows."""
    depth = info.color_depth + (" (NO_COLOR: no colours, spans marked by underline/bold/reverse)"
                                if info.no_color else "")
    rows = [
        ("TERM", info.term or "(unset)"),
        ("COLORTERM", info.colorterm or "(unset)"),
        ("colour depth", depth),
        ("locale encoding", locale.getpreferredencoding(False)),
        ("over SSH", "yes" if info.over_ssh else "no"),
    ]
    if info.emulator is not None:
        rows.append(("terminal", f"{info.emulator.name}: {info.emulator.note}"))
    else:
        rows.append(("terminal", "not recognised from the environment (normal over SSH): use the eye test"))
    if info.multiplexer is None:
        rows.append(("multiplexer", "none"))
    else:
        rows.append(("multiplexer", f"{info.multiplexer} ({info.multiplexer_evidence}); "
                                    "our bidi sequences are sent in its DCS passthrough form"))
        if info.multiplexer == "tmux":
            setting = tmux_allow_passthrough(env)
            if setting is None:
                rows.append(("tmux passthrough", "needs `set -g allow-passthrough on` in the tmux that "
                                                 "runs this (tmux >= 3.3); cannot check from here"))
            elif setting == "off":
                rows.append(("tmux passthrough", "OFF: run `tmux set -g allow-passthrough on`, "
                                                 "or the terminal never hears our explicit-mode request"))
            else:
                rows.append(("tmux passthrough", setting))
    rows.append(("bidi mode", f"{bidi} ({bidi_source})"))
    rows.append(("shaping", "on" if shaping else "off"))
    rows.append(("suggested from environment", f"--bidi {terminal.recommended_bidi(info)}"))
    if bidi == "app" and info.sends_bidi_sequences:
        rows.append(("sent before the first frame", _visible(terminal.setup_sequence("app", info))))
        rows.append(("sent on exit", _visible(terminal.restore_sequence("app", info))))
    elif bidi == "app":
        rows.append(("sent before the first frame", "nothing (no bidi in this terminal)"))
    return rows


def _can_encode(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _visible(sequence: str) -> str:
    """ESC spelled out: 'ESC Ptmux; ESC ESC [8l ESC \\'."""
    return " ".join(sequence.replace("\x1b", " ESC ").split())


def _modes(ctx: click.Context) -> tuple[str, bool, str]:
    """The bidi/shaping modes as the app would choose them: root flags, then config, then defaults."""
    given: dict = {}
    node: click.Context | None = ctx
    while node is not None:
        for name, value in node.params.items():
            source = node.get_parameter_source(name)
            if value is not None and source is not click.core.ParameterSource.DEFAULT:
                given.setdefault(name, value)
            elif name in ("config", "config_path") and value is not None:
                given.setdefault(name, value)
        node = node.parent
    bidi, shaping = given.get("bidi"), given.get("shaping")
    chosen_by = "command-line flag" if bidi else ""
    if bidi is None or shaping is None:
        try:
            from tui.ui.config import load_config

            config = load_config(given.get("config") or given.get("config_path"))
            if bidi is None:
                bidi, chosen_by = config.bidi, (f"config {config.path}" if config.path else "default")
            if shaping is None:
                shaping = config.shaping
        except Exception as exc:  # a broken config must not stop the doctor
            click.echo(f"tui doctor: config not used: {exc}", err=True)
    if isinstance(shaping, str):
        shaping = shaping == "on"
    return str(bidi or "app"), True if shaping is None else bool(shaping), chosen_by or "default"


def run_doctor(out: TextIO, env: Mapping[str, str], bidi: str, shaping: bool, bidi_source: str,
               answer: str | None, interactive: bool, database: str | None = None) -> int:
    info = terminal.detect(env)
    encoding = getattr(out, "encoding", None) or "utf-8"
    if not _can_encode(TEST_LINE, encoding):
        # Arabic cannot even be written: show '?' rather than crash, and say why below.
        reconfigure = getattr(out, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    write = out.write
    is_tty = out.isatty()
    rows = describe(info, env, bidi, shaping, bidi_source)
    if database is not None:
        rows.append(("database", database))
    if not _can_encode(TEST_LINE, encoding):
        rows.insert(4, ("output encoding", f"{encoding} cannot carry Arabic: set a UTF-8 locale "
                                           "(export LANG=C.UTF-8) or unset PYTHONIOENCODING"))
    key_width = max(len(key) for key, _ in rows)
    write("tui doctor: what this terminal looks like from here\n\n")
    for key, value in rows:
        write(f"  {key:<{key_width}}  {value}\n")
    lines = render_test_lines(shaping)
    write(f"\nThe same Arabic line twice (line A by {lines.engine}):\n\n")
    # Line A goes out under the same explicit-mode request the app sends, line B without it,
    # so each looks exactly as it would in that mode.
    setup = terminal.setup_sequence("app", info) if is_tty else ""
    restore = terminal.restore_sequence("app", info) if is_tty else ""
    write(f"  A (--bidi app)      |{setup}{lines.visual}{restore}|\n")
    write(f"  B (--bidi terminal) |{lines.logical}|\n\n")
    write(f"Read right to left, line A should show {EXPECTED}.\n")
    write("Does line A read right to left with joined letters?\n")
    for key, text in ANSWERS.items():
        write(f"  {key:<13} {text}\n")
    out.flush()
    if answer is None and interactive:
        answer = click.prompt("Your answer", type=click.Choice(list(ANSWERS)), default="a")
    write("\n")
    if answer is None:
        write("(no terminal to ask: the advice for each answer follows; run `tui doctor --answer KEY`)\n")
        for key in ANSWERS:
            write(f"\nIf {key}:\n")
            for line in advice(key, info, bidi, shaping):
                write(f"  - {line}\n")
    else:
        for line in advice(answer, info, bidi, shaping):
            write(f"- {line}\n")
    out.flush()
    return 0


def database_health(path: Path | PostgresTarget) -> str:
    """One line on the database the app would open, read without writing a byte to it."""
    from tui.store.connection import check_file_before_open, read_user_version
    from tui.store.errors import StoreError

    if isinstance(path, PostgresTarget):
        from tui.store.opening import postgres_has_tables

        try:
            present = postgres_has_tables(path)
        except StoreError as exc:
            return f"PROBLEM: {exc}"
        return f"{path}: PostgreSQL, {'tui tables present' if present else 'no tui tables yet (created on first use)'}"
    if not path.exists():
        return f"{path}: does not exist yet (created on first use)"
    try:
        check_file_before_open(path)
        version = read_user_version(path)
    except StoreError as exc:
        return f"PROBLEM: {exc}"
    writable = os.access(path, os.W_OK) and os.access(path.parent if str(path.parent) else Path("."), os.W_OK)
    return f"{path}: schema v{version}, {'writable' if writable else 'READ-ONLY: saves would fail'}"


@click.command("doctor")
@click.option("--answer", type=click.Choice(list(ANSWERS)), default=None,
              help="Answer the eye test without a prompt (a, b, disconnected, boxes).")
@click.option("--db", "db_path", type=TARGET_FILE, default=None,
              help="Database to check (read only): a SQLite file or a postgresql:// URL. Default: the --db "
                   "given before the command, else $TUI_DB, else ./annotations.db.")
@click.pass_context
def doctor(ctx: click.Context, answer: str | None, db_path: Path | PostgresTarget | None) -> None:
    """Check this terminal: detected settings and an Arabic line to judge by eye."""
    bidi, shaping, source = _modes(ctx)
    if db_path is None:
        db_path = resolve_db(ctx, None)
    interactive = sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()
    ctx.exit(run_doctor(sys.stdout, os.environ, bidi, shaping, source, answer, interactive,
                        database=database_health(db_path)))
