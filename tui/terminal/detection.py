"""What the environment says about the terminal: emulator, multiplexer, colour depth, ssh (pure:
reads a mapping of environment variables, never the terminal itself)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping

@dataclass(frozen=True)
class KnownTerminal:
    """A terminal we can recognise from its environment, and what it does with RTL text."""

    name: str
    env_vars: tuple[str, ...]  # any of these set means this terminal
    term_program: tuple[str, ...]  # or $TERM_PROGRAM equal to one of these
    term_prefixes: tuple[str, ...]  # or $TERM starting with one of these
    reorders_rtl: bool | None  # True: runs the bidi algorithm itself; None: depends on settings
    honours_bdsm: bool  # True: our explicit-mode request turns its reordering off
    recommended_bidi: str
    note: str


KNOWN_TERMINALS: tuple[KnownTerminal, ...] = (
    KnownTerminal("WezTerm", ("WEZTERM_EXECUTABLE", "WEZTERM_PANE"), ("WezTerm",), (), None, False,
                  "app", "reorders only with bidi_enabled=true (off by default); then use --bidi terminal"),
    KnownTerminal("mintty", ("MINTTY_SHORTCUT",), ("mintty",), ("mintty",), True, True,
                  "app", "reorders, but honours explicit mode (CSI 8 l)"),
    KnownTerminal("mlterm", ("MLTERM",), (), ("mlterm",), True, False,
                  "terminal", "reorders and shapes itself; if the doctor line reads right, --bidi app is fine"),
    KnownTerminal("Konsole", ("KONSOLE_VERSION", "KONSOLE_DBUS_SESSION"), (), ("konsole",), True, False,
                  "terminal", "reorders unless the profile's 'Bi-Directional text rendering' is unticked"),
    KnownTerminal("VTE (GNOME Terminal, Tilix, Terminator, xfce4-terminal)", ("VTE_VERSION",), (), ("vte",),
                  True, True, "app", "VTE >= 0.58 reorders, but honours explicit mode (CSI 8 l)"),
    KnownTerminal("macOS Terminal", (), ("Apple_Terminal",), ("nsterm",), True, False,
                  "terminal", "always reorders RTL text and ignores BDSM"),
    KnownTerminal("iTerm2", ("ITERM_SESSION_ID",), ("iTerm.app",), ("iterm",), None, False,
                  "app", "draws cells as given unless bidi is enabled in the profile (3.5+)"),
    KnownTerminal("kitty", ("KITTY_WINDOW_ID",), ("kitty",), ("xterm-kitty",), False, False,
                  "app", "draws cells as given"),
    KnownTerminal("Alacritty", ("ALACRITTY_WINDOW_ID", "ALACRITTY_SOCKET"), (), ("alacritty",), False, False,
                  "app", "draws cells as given"),
    KnownTerminal("Windows Terminal", ("WT_SESSION",), (), (), False, False, "app", "draws cells as given"),
    KnownTerminal("VS Code", ("VSCODE_INJECTION",), ("vscode",), (), False, False,
                  "app", "xterm.js draws cells as given"),
    KnownTerminal("foot", (), (), ("foot",), False, False, "app", "draws cells as given"),
    KnownTerminal("xterm", ("XTERM_VERSION",), (), (), False, False, "app", "draws cells as given"),
)


@dataclass(frozen=True)
class TerminalInfo:
    """What the environment says about the terminal we are drawing on."""

    term: str
    colorterm: str
    color_depth: str  # "truecolor" | "256" | "16" | "none"
    no_color: bool
    multiplexer: str | None  # "tmux" | "screen" | None: the passthrough form our sequences need
    multiplexer_evidence: str  # why we think so ("$TMUX is set", "TERM=screen-256color", ...)
    emulator: KnownTerminal | None
    linux_console: bool
    over_ssh: bool

    @property
    def reorders_rtl(self) -> bool | None:
        """True / False when the emulator is known to (not) reorder; None when we cannot tell."""
        if self.linux_console:
            return False
        return None if self.emulator is None else self.emulator.reorders_rtl

    @property
    def sends_bidi_sequences(self) -> bool:
        """Whether `app` mode writes BDSM/SCP at all (not to the Linux console, which has no bidi)."""
        return not self.linux_console and self.term not in ("dumb", "unknown")


_TERM_COLOR_SUFFIXES = {"kitty": "256", "256color": "256", "16color": "16"}
_TEXTUAL_COLOR_SYSTEMS = {"standard": "16", "256": "256", "truecolor": "truecolor", "windows": "16"}


def color_depth(env: Mapping[str, str]) -> str:
    """The colour depth Textual will draw with, decided as Textual and Rich decide it.

    ``TEXTUAL_COLOR_SYSTEM`` overrides; otherwise ``COLORTERM=truecolor|24bit`` means truecolor, a
    ``TERM`` ending in ``-256color`` (or ``xterm-kitty``) 256 colours and anything else 16 (this is
    how ``TERM=linux`` gets 16).  ``TERM=dumb`` gets none.  ``NO_COLOR`` is reported separately.
    """
    forced = env.get("TEXTUAL_COLOR_SYSTEM", "auto").strip().lower()
    if forced in _TEXTUAL_COLOR_SYSTEMS:
        return _TEXTUAL_COLOR_SYSTEMS[forced]
    term = env.get("TERM", "").strip().lower()
    if term in ("dumb", "unknown"):
        return "none"
    if env.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return "truecolor"
    return _TERM_COLOR_SUFFIXES.get(term.rpartition("-")[2], "16")


def detect_multiplexer(env: Mapping[str, str]) -> tuple[str | None, str]:
    """Which passthrough form our sequences need, and the evidence.

    ``$TMUX``/``$STY`` are set only on the machine running the multiplexer; over SSH from inside
    tmux we only see ``TERM`` (tmux-256color, or screen-256color for tmux's older default), so
    ``TERM`` is the fallback.  ``TUI_MULTIPLEXER=tmux|screen|none`` overrides a wrong guess.
    """
    forced = env.get("TUI_MULTIPLEXER", "").strip().lower()
    if forced in ("tmux", "screen"):
        return forced, f"TUI_MULTIPLEXER={forced}"
    if forced == "none":
        return None, "TUI_MULTIPLEXER=none"
    if env.get("TMUX"):
        return "tmux", "$TMUX is set"
    if env.get("STY"):
        return "screen", "$STY is set"
    term = env.get("TERM", "")
    if term.startswith("tmux"):
        return "tmux", f"TERM={term}"
    if term.startswith("screen"):
        return "screen", f"TERM={term} (tmux or screen; set TUI_MULTIPLEXER=tmux if it is tmux)"
    return None, "no $TMUX, $STY or multiplexer TERM"


def detect_emulator(env: Mapping[str, str]) -> KnownTerminal | None:
    """The terminal emulator, if its environment variables made it through (they rarely cross SSH)."""
    term = env.get("TERM", "")
    program = env.get("TERM_PROGRAM", "")
    for known in KNOWN_TERMINALS:
        if any(env.get(var) for var in known.env_vars):
            return known
        if program and program in known.term_program:
            return known
        if any(term.startswith(prefix) for prefix in known.term_prefixes):
            return known
    return None


def detect(env: Mapping[str, str] | None = None) -> TerminalInfo:
    """Everything the environment tells us about the terminal (``os.environ`` by default)."""
    env = os.environ if env is None else env
    term = env.get("TERM", "")
    multiplexer, evidence = detect_multiplexer(env)
    return TerminalInfo(
        term=term,
        colorterm=env.get("COLORTERM", ""),
        color_depth=color_depth(env),
        no_color="NO_COLOR" in env,
        multiplexer=multiplexer,
        multiplexer_evidence=evidence,
        emulator=detect_emulator(env),
        linux_console=term == "linux",
        over_ssh=bool(env.get("SSH_CONNECTION") or env.get("SSH_TTY")),
    )


def recommended_bidi(info: TerminalInfo) -> str:
    """The --bidi mode we would suggest from the environment alone (the doctor's eye test decides)."""
    if info.emulator is not None:
        return info.emulator.recommended_bidi
    return "app"


def textual_app_options(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Keyword arguments for ``App(...)`` that make NO_COLOR mean no colour at all.

    Textual on its own answers NO_COLOR with a *monochrome* filter that still sends grey
    256-colour/truecolor codes; with ``ansi_color=True`` it applies its NoColor filter instead,
    so only bold/underline/reverse reach the terminal.
    """
    env = os.environ if env is None else env
    return {"ansi_color": True} if "NO_COLOR" in env else {}
