"""The session around ``app.run()``: writes the setup sequences before the first frame and restores
them on every way out (quit, exception, SIGTERM, SIGHUP, suspend); runtime mode switches."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Mapping, TextIO

from tui.terminal.detection import TerminalInfo, detect
from tui.terminal.sequences import TEXTUAL_MODES_OFF, check_mode, restore_sequence, setup_sequence

try:
    import termios
except ImportError:  # Windows: no tty modes to save or put back
    termios = None  # type: ignore[assignment]

SIGNAL_GRACE_SECONDS = 3.0
"""How long a signalled app gets to leave the alternate screen before we exit hard."""


def _fd_of(out: TextIO | int | None) -> int | None:
    if out is None:
        out = sys.__stderr__  # Textual's LinuxDriver draws on sys.__stderr__
        if out is None:  # no terminal at all (pythonw, a closed stderr)
            return None
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
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # the signal arrived outside the event loop
            loop = None
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


def apply_mode(mode: str, *, write: Callable[[str], None] | None = None) -> str:
    """Runtime switch (command palette): app->terminal/off restores implicit mode, ->app sets it.

    Pass the running app's driver writer (``tui.ui.compat.driver_writer(app)``) as ``write`` so the
    bytes go out in order with its frames. Returns what was written ("" when nothing changes or no
    session is active).
    """
    session = _current
    check_mode(mode)
    if session is None:
        return ""
    return session.apply_mode(mode, write)


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
