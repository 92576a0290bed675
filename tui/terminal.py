"""What the terminal does with right-to-left text, and the control sequences that settle it.

Terminals disagree about Arabic.  Some draw every cell exactly where it is written (xterm, kitty,
Alacritty, Windows Terminal, VS Code); others run the Unicode Bidirectional Algorithm over each
row themselves (VTE terminals such as GNOME Terminal, Konsole, mintty, mlterm, macOS Terminal,
WezTerm with ``bidi_enabled``).  Our layout engine already reorders and shapes, so a terminal of
the second kind would reorder our text a second time and show it backwards.

The three display modes (``--bidi``):

``app`` (default)
    We shape and reorder: the screen gets visual order, one cell per column.  Before Textual's
    first frame we ask bidi-aware terminals to stop reordering: BDSM reset ``CSI 8 l``
    (explicit mode) and SCP ``CSI 1 SP k`` (left-to-right presentation), the sequences of the
    Terminal-WG bidi recommendation that VTE and mintty implement.  On every way out (quit,
    exception, SIGTERM, SIGHUP) we restore ``CSI 8 h`` (implicit mode) and ``CSI 0 SP k``
    (default direction).  Terminals that do not know these sequences ignore them.
``terminal``
    We send text in logical order and let the terminal reorder it: for terminals that reorder
    and ignore BDSM (Konsole, macOS Terminal).  The caret and selection are still logical
    offsets into the stored text, so tags are correct; only the on-screen caret column is the
    terminal's guess.  No control sequences are sent: the terminal stays in implicit mode.
``off``
    Raw logical text, left to right, no reordering and no terminal sequences.  For debugging
    and for terminals where nothing else works.

Inside tmux or GNU screen the multiplexer swallows unknown sequences, so they are wrapped in
its DCS passthrough form (tmux additionally needs ``set -g allow-passthrough on``).

Nothing here imports Textual: detection and the byte strings are pure and unit-tested; the
session object writes to a file descriptor and takes an optional app to ask to exit.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping, TextIO

try:
    import termios
except ImportError:  # Windows: no tty modes to save or put back
    termios = None  # type: ignore[assignment]

BIDI_MODES = ("app", "terminal", "off")
SHAPING_MODES = ("on", "off")

ESC = "\x1b"
CSI = ESC + "["
BDSM_EXPLICIT = CSI + "8l"  # RM 8: explicit mode, the terminal does not reorder
BDSM_IMPLICIT = CSI + "8h"  # SM 8: implicit mode, the terminal's default
SCP_LTR = CSI + "1 k"  # Select Character Path: left to right
SCP_DEFAULT = CSI + "0 k"  # Select Character Path: back to the default
SETUP_SEQUENCES = (BDSM_EXPLICIT, SCP_LTR)
RESTORE_SEQUENCES = (BDSM_IMPLICIT, SCP_DEFAULT)

SIGNAL_GRACE_SECONDS = 3.0
"""How long a signalled app gets to leave the alternate screen before we exit hard."""

TEXTUAL_MODES_OFF = (
    CSI + "?2004l"  # bracketed paste
    + CSI + "?1000l" + CSI + "?1003l" + CSI + "?1015l" + CSI + "?1006l"  # mouse reporting
    + CSI + "<u"  # kitty keyboard protocol
    + CSI + "?1004l"  # focus events
    + CSI + "?7h"  # line wrap
    + CSI + "?1049l"  # alternate screen
    + CSI + "?25h"  # cursor
)
"""What Textual's driver undoes on a normal exit; written by a hard exit when the app hung."""


# --------------------------------------------------------------------------------------------
# Multiplexer passthrough


def passthrough(sequence: str, multiplexer: str | None) -> str:
    """Wrap one control sequence so that tmux or screen hands it to the outer terminal.

    tmux: ``ESC P tmux; <sequence with every ESC doubled> ESC \\``; screen: ``ESC P <sequence> ESC \\``.
    """
    if not sequence:
        return ""
    if multiplexer == "tmux":
        return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ESC}\\"
    if multiplexer == "screen":
        return f"{ESC}P{sequence}{ESC}\\"
    if multiplexer is None:
        return sequence
    raise ValueError(f"unknown multiplexer {multiplexer!r} (expected 'tmux', 'screen' or None)")


# --------------------------------------------------------------------------------------------
# Detection


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


def check_mode(mode: str) -> str:
    """Validate a --bidi mode."""
    if mode not in BIDI_MODES:
        raise ValueError(f"unknown bidi mode {mode!r}: choose one of {', '.join(BIDI_MODES)}")
    return mode


def setup_sequence(mode: str, info: TerminalInfo) -> str:
    """What to write before the first frame: explicit mode + LTR in `app` mode, nothing otherwise."""
    if check_mode(mode) != "app" or not info.sends_bidi_sequences:
        return ""
    return "".join(passthrough(seq, info.multiplexer) for seq in SETUP_SEQUENCES)


def restore_sequence(mode: str, info: TerminalInfo) -> str:
    """What undoes `setup_sequence` (implicit mode + default direction)."""
    if check_mode(mode) != "app" or not info.sends_bidi_sequences:
        return ""
    return "".join(passthrough(seq, info.multiplexer) for seq in RESTORE_SEQUENCES)


def textual_app_options(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Keyword arguments for ``App(...)`` that make NO_COLOR mean no colour at all.

    Textual on its own answers NO_COLOR with a *monochrome* filter that still sends grey
    256-colour/truecolor codes; with ``ansi_color=True`` it applies its NoColor filter instead,
    so only bold/underline/reverse reach the terminal.
    """
    env = os.environ if env is None else env
    return {"ansi_color": True} if "NO_COLOR" in env else {}


# --------------------------------------------------------------------------------------------
# The session: writes the sequences, restores them on every way out


def _fd_of(out: TextIO | int | None) -> int | None:
    if out is None:
        out = sys.__stderr__  # Textual's LinuxDriver draws on sys.__stderr__
    if isinstance(out, int):
        return out
    try:
        out.flush()
        return out.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def _write_fd(fd: int, text: str) -> None:
    data = text.encode()
    while data:
        try:
            written = os.write(fd, data)
        except InterruptedError:
            continue
        except OSError:  # EIO after a hangup, EBADF after close: nothing left to restore
            return
        data = data[written:]


class BidiTerminal:
    """One run of the app: which bidi mode is in effect and whether the terminal needs restoring."""

    def __init__(self, mode: str, fd: int | None, info: TerminalInfo, app: Any = None) -> None:
        self.mode = check_mode(mode)
        self.fd = fd
        self.info = info
        self.app = app
        self.active = False  # setup sequences are in effect and need restoring
        self.suspended = False  # restored for a suspend (ctrl+z): to be set up again on resume
        self.signalled: int | None = None
        self.watchdog: threading.Timer | None = None
        self.tty_attrs: list | None = None  # termios state before Textual's raw mode
        if fd is not None and termios is not None:
            try:
                self.tty_attrs = termios.tcgetattr(fd)
            except termios.error:
                pass
        self._lock = threading.Lock()

    def _write_direct(self, text: str) -> None:
        if text and self.fd is not None:
            _write_fd(self.fd, text)

    def enter(self) -> str:
        """Write the setup sequences for the current mode (before Textual draws anything)."""
        text = setup_sequence(self.mode, self.info)
        self._write_direct(text)
        self.active = bool(text)
        return text

    def restore(self) -> str:
        """Undo the setup, once; safe to call from any exit path."""
        with self._lock:
            if not self.active:
                return ""
            self.active = False
            text = restore_sequence("app", self.info)
        self._write_direct(text)
        return text

    def suspend(self) -> str:
        """The app is stopping (ctrl+z, SIGTSTP): give the shell its terminal back as it was;
        ``resume`` sets it up again when the process continues."""
        text = self.restore()
        self.suspended = bool(text)
        return text

    def resume(self) -> str:
        """The process continues after a suspend: set the terminal up again (before Textual redraws)."""
        if not self.suspended:
            return ""
        self.suspended = False
        return self.enter()

    def apply_mode(self, mode: str, write: Callable[[str], None] | None = None) -> str:
        """Switch mode while running; `write` should queue behind Textual's frames (driver.write)."""
        mode = check_mode(mode)
        if mode == "app" and not self.active:
            text = setup_sequence("app", self.info)
            self.active = bool(text)
        elif mode != "app" and self.active:
            text = restore_sequence("app", self.info)
            self.active = False
        else:
            text = ""
        self.mode = mode
        if text:
            (write or self._write_direct)(text)
        return text

    # -- signals ---------------------------------------------------------------------------

    def handle_signal(self, signum: int, frame: Any = None) -> None:
        """SIGTERM/SIGHUP: ask the app to exit (so Textual leaves the alternate screen), restore
        in the session's ``finally``; exit hard if the app is gone or does not stop in time."""
        first = self.signalled is None
        self.signalled = signum if first else self.signalled
        loop = asyncio._get_running_loop()
        if first and self.app is not None and loop is not None and loop.is_running():
            loop.call_soon_threadsafe(self._exit_app, signum)
            self.watchdog = threading.Timer(SIGNAL_GRACE_SECONDS, self._exit_hard, (signum,))
            self.watchdog.daemon = True
            self.watchdog.start()
            return
        if first and loop is None:
            # Not inside the event loop (before app.run or after it): unwinding is safe.
            self.restore()
            raise SystemExit(128 + signum)
        self._exit_hard(signum)

    def _exit_app(self, signum: int) -> None:
        try:
            self.app.exit(return_code=128 + signum)
        except Exception:
            self._exit_hard(signum)

    def _exit_hard(self, signum: int) -> None:
        """The app did not stop in time (or cannot be asked): put the terminal back ourselves."""
        self.restore()
        if self.fd is not None:
            _write_fd(self.fd, TEXTUAL_MODES_OFF)
            if self.tty_attrs is not None:
                try:
                    termios.tcsetattr(self.fd, termios.TCSANOW, self.tty_attrs)
                except termios.error:
                    pass
        os._exit(128 + signum)


_current: BidiTerminal | None = None


def current_session() -> BidiTerminal | None:
    """The session wrapping the running app, if any (None under run_test)."""
    return _current


def apply_mode(mode: str, *, app: Any = None, write: Callable[[str], None] | None = None) -> str:
    """Runtime switch (command palette): app->terminal/off restores implicit mode, ->app sets it.

    Pass the running ``app`` so the bytes go through its driver, in order with its frames.
    Returns what was written ("" when nothing changes or no session is active).
    """
    session = _current
    check_mode(mode)
    if session is None:
        return ""
    if write is None and app is not None and getattr(app, "_driver", None) is not None:
        write = app._driver.write
    return session.apply_mode(mode, write)


def follow_suspend(app: Any) -> bool:
    """Undo our setup while ``app`` is suspended (ctrl+z, or SIGTSTP from outside) and redo it when
    it continues: the driver's suspend/resume of application mode are wrapped, so the restore follows
    Textual leaving the alternate screen, and the setup precedes its first redraw. Call once the app
    runs (its driver exists). False when there is nothing to follow."""
    session = _current
    driver = getattr(app, "_driver", None)
    if session is None or driver is None or not hasattr(driver, "suspend_application_mode"):
        return False
    suspend, resume = driver.suspend_application_mode, driver.resume_application_mode

    def suspend_application_mode() -> None:
        suspend()
        session.suspend()

    def resume_application_mode() -> None:
        session.resume()
        resume()

    driver.suspend_application_mode = suspend_application_mode
    driver.resume_application_mode = resume_application_mode
    return True


_HANDLED_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def bidi_terminal_session(
    mode: str,
    out: TextIO | int | None = None,
    *,
    app: Any = None,
    env: Mapping[str, str] | None = None,
) -> Iterator[BidiTerminal]:
    """Wrap ``app.run()``: tell the terminal our bidi mode first, restore it on every exit path.

    ``out`` is the terminal Textual draws on (default ``sys.__stderr__``, as Textual's driver).
    Nothing is written when it is not a tty.  SIGTERM and SIGHUP ask ``app`` to exit, then the
    restore runs here and the process exits with status 128+signal.
    """
    global _current
    fd = _fd_of(out)
    if fd is not None and not os.isatty(fd):
        fd = None
    session = BidiTerminal(mode, fd, detect(env), app)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous: dict[int, Any] = {}
    if in_main_thread:
        for signum in _HANDLED_SIGNALS:
            previous[signum] = signal.signal(signum, session.handle_signal)
    outer, _current = _current, session
    try:
        session.enter()
        yield session
    finally:
        session.restore()
        _current = outer
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if session.signalled is not None:
        if session.watchdog is not None:
            session.watchdog.cancel()
        if session.signalled == getattr(signal, "SIGHUP", None):
            _detach_from_dead_terminal()
        raise SystemExit(128 + session.signalled)


def _detach_from_dead_terminal() -> None:
    """After a hangup the tty is gone: point stdout/stderr at /dev/null so Python's final flush
    cannot fail (it would turn our exit status 129 into 120)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    for fd in (1, 2):
        try:
            os.dup2(devnull, fd)
        except OSError:
            pass
    os.close(devnull)
