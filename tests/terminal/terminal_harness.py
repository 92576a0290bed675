"""Harnesses for terminal tests: a real pty, a private tmux server, a throwaway sshd.

(Fixtures that wrap these live in conftest.py; tests import from here by this unique name.)

Every harness cleans up after itself (processes killed by pid, tmux servers on their own
socket, sshd by its pid) so parallel helpers and CI runs never collide.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import select
import signal
import socket
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from tests.support import child_env, free_port, tmux_socket


REPO = Path(__file__).resolve().parents[2]
TINY_APP = Path(__file__).with_name("tiny_app.py")
VENV_BIN = Path(sys.executable).parent

ALT_SCREEN_ON = b"\x1b[?1049h"
ALT_SCREEN_OFF = b"\x1b[?1049l"


def base_env(term: str = "xterm-256color", **extra: str | None) -> dict[str, str]:
    """A clean environment (tests.support.child_env) on a terminal of type `term`."""
    return child_env(**{"TERM": term, "USER": "ptytest", **extra})


class PtyProcess:
    """A child process on its own pty (controlling terminal, own session), output collected:
    `output` holds every byte it wrote, `chunks` each read with the time it arrived
    (time.monotonic()); hold `lock` to read both at one moment."""

    def __init__(self, argv: list[str], *, env: dict[str, str], cols: int = 80, rows: int = 24,
                 cwd: str | Path | None = None, stdout: Any = None) -> None:
        """`stdout`: a file to redirect the child's stdout to (as `tui > file`); default the pty."""
        self.argv = argv
        master, slave = os.openpty()
        self._set_size(slave, cols, rows)
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave if stdout is None else stdout, stderr=slave, env=env,
            cwd=cwd or REPO,
            start_new_session=True, close_fds=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.master: int | None = master
        self._buffer = bytearray()
        self.chunks: list[tuple[float, bytes]] = []
        self.lock = threading.RLock()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @staticmethod
    def _set_size(fd: int, cols: int, rows: int) -> None:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def _read(self) -> None:
        # select with a timeout, never a blocking read: an in-flight read would keep the
        # master open after hang_up() closes it, and the child would never see the hangup.
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if not ready:
                    continue
                chunk = os.read(self.master, 65536)  # type: ignore[arg-type]
            except (OSError, TypeError, ValueError):
                return
            if not chunk:
                return
            with self.lock:
                self._buffer += chunk
                self.chunks.append((time.monotonic(), chunk))

    @property
    def output(self) -> bytes:
        with self.lock:
            return bytes(self._buffer)

    def wait_for(self, what: bytes | Callable[[bytes], bool], timeout: float = 15.0, since: int = 0) -> bytes:
        """Wait until the output after byte `since` contains `what` (or satisfies it); fail with
        the output so far."""
        test = (lambda out: what in out) if isinstance(what, bytes) else what
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = self.output
            if test(out[since:]):
                return out
            if self.proc.poll() is not None:
                time.sleep(0.2)
                out = self.output
                if test(out[since:]):
                    return out
                raise AssertionError(f"process exited ({self.proc.returncode}) before {what!r}; "
                                     f"output tail: {out[-3000:]!r}")
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what!r}; output tail: {self.output[-3000:]!r}")

    def wait_quiet(self, quiet: float = 0.4, timeout: float = 10.0) -> bytes:
        """Wait until no new output arrived for `quiet` seconds (a frame has settled)."""
        deadline = time.monotonic() + timeout
        last, since = len(self.output), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = len(self.output)
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return self.output

    def send(self, data: bytes | str) -> None:
        os.write(self.master, data.encode() if isinstance(data, str) else data)  # type: ignore[arg-type]

    def resize(self, cols: int, rows: int) -> None:
        """Change the pty size; the kernel sends SIGWINCH to the foreground process group."""
        self._set_size(self.master, cols, rows)  # type: ignore[arg-type]

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def wait_exit(self, timeout: float = 15.0) -> int:
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running after {timeout}s; output tail: {self.output[-2000:]!r}")
        self._reader.join(2)  # drain what was written before exit
        return code

    def hang_up(self) -> None:
        """Close the master side, as a dropped SSH connection does: the child gets SIGHUP."""
        self._stop.set()
        self._reader.join(2)
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(5)
        self.hang_up()


# ----------------------------------------------------------------------------------------------
# The app


SEEDS = REPO / "seeds"


def tui_argv(db: Path, *options: str, annotator: str = "ptytest") -> list[str]:
    """`python -m tui --db DB --annotator NAME [options]`: the app as a user starts it."""
    return [sys.executable, "-m", "tui", "--db", str(db), "--annotator", annotator, *options]


def wait_for_first_frame(process: "PtyProcess", timeout: float = 20.0) -> bytes:
    """Wait until the app entered the alternate screen and its output settled."""
    process.wait_for(ALT_SCREEN_ON, timeout)
    process.wait_for(lambda out: len(out) - out.index(ALT_SCREEN_ON) > 2000, timeout)
    return process.wait_quiet(0.3)


# ----------------------------------------------------------------------------------------------
# Raw-byte analysis

_SGR = re.compile(rb"\x1b\[([0-9;:]*)m")


def sgr_params(data: bytes) -> list[list[int]]:
    """Parameters of every SGR sequence (``CSI ... m``) in the output."""
    result = []
    for match in _SGR.finditer(data):
        raw = match.group(1).replace(b":", b";")
        result.append([int(p) if p else 0 for p in raw.split(b";")])
    return result


def colour_kinds(data: bytes) -> set[str]:
    """Which colour encodings the output uses: 'truecolor', '256', '16' (and 'default')."""
    kinds: set[str] = set()
    for params in sgr_params(data):
        i = 0
        while i < len(params):
            p = params[i]
            if p in (38, 48, 58) and i + 1 < len(params):
                if params[i + 1] == 2:
                    kinds.add("truecolor")
                    i += 5
                elif params[i + 1] == 5:
                    kinds.add("256")
                    i += 3
                else:
                    i += 2
                continue
            if 30 <= p <= 37 or 40 <= p <= 47 or 90 <= p <= 97 or 100 <= p <= 107:
                kinds.add("16")
            elif p in (39, 49):
                kinds.add("default")
            i += 1
    return kinds


# ----------------------------------------------------------------------------------------------
# tmux


class Tmux:
    """A private tmux server (own socket, no user config) for one test."""

    def __init__(self) -> None:
        self.socket = f"tui-term-{os.getpid()}-{secrets.token_hex(4)}"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              capture_output=True, text=True, check=check, timeout=20)

    def new_session(self, name: str, command: str, *, cols: int = 100, rows: int = 30,
                    env: dict[str, str] | None = None) -> None:
        self.run("new-session", "-d", "-s", name, "-x", str(cols), "-y", str(rows), command)
        # keep the pane after the command exits so we can read its last screen and status
        self.run("set-option", "-t", name, "remain-on-exit", "on")
        self.run("set-option", "-g", "allow-passthrough", "on", check=False)

    def send_keys(self, target: str, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", target, *(["-l"] if literal else []), *keys)

    def capture(self, target: str) -> str:
        return self.run("capture-pane", "-t", target, "-p").stdout

    def wait_for(self, target: str, test: Callable[[str], bool] | str, timeout: float = 20.0) -> str:
        check = (lambda s: test in s) if isinstance(test, str) else test
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.capture(target)
            if check(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {test!r} in tmux pane; screen:\n{screen}")

    def wait_stable(self, target: str, quiet: float = 0.6, timeout: float = 10.0) -> str:
        """Wait until the pane's text has not changed for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        screen, since = self.capture(target), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = self.capture(target)
            if now != screen:
                screen, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                break
        return screen

    def pane_dead(self, target: str) -> tuple[bool, int | None]:
        """(dead, exit status); a status of -N means killed by signal N."""
        out = self.run("display-message", "-p", "-t", target,
                       "#{pane_dead}:#{pane_dead_status}:#{pane_dead_signal}").stdout.strip().split(":")
        if not out or out[0] != "1":
            return False, None
        status, sig = (out + ["", ""])[1:3]
        if status:
            return True, int(status)
        return True, (-int(sig) if sig else None)

    def wait_dead(self, target: str, timeout: float = 15.0) -> int | None:
        """Wait for the pane's command to exit; its exit status (see pane_dead)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dead, status = self.pane_dead(target)
            if dead and status is not None:
                return status
            time.sleep(0.1)
        raise AssertionError(f"pane still alive (or no status) after {timeout}s:\n{self.capture(target)}")

    def resize(self, target: str, cols: int, rows: int) -> None:
        self.run("resize-window", "-t", target, "-x", str(cols), "-y", str(rows))

    def kill(self) -> None:
        self.run("kill-server", check=False)
        tmux_socket(self.socket).unlink(missing_ok=True)


# ----------------------------------------------------------------------------------------------
# sshd


def _root_password_locked() -> bool:
    try:
        for line in Path("/etc/shadow").read_text().splitlines():
            if line.startswith("root:"):
                return line.split(":")[1].startswith("!")
    except OSError:
        pass
    return False


class Sshd:
    """Debian's openssh-server on 127.0.0.1:<free port>, throwaway host and client keys."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.host_key = root / "host_ed25519"
        self.client_key = root / "client_ed25519"
        self.authorized = root / "authorized_keys"
        self.config = root / "sshd_config"
        self.log = root / "sshd.log"
        for key in (self.host_key, self.client_key):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        self.authorized.write_text((root / "client_ed25519.pub").read_text())
        self.authorized.chmod(0o600)
        self.config.write_text("\n".join([
            f"Port {self.port}",
            "ListenAddress 127.0.0.1",
            f"HostKey {self.host_key}",
            f"PidFile {root / 'sshd.pid'}",
            f"AuthorizedKeysFile {self.authorized}",
            # Without PAM, sshd refuses an account whose password is locked ("!..."), which
            # is how some images ship root; PAM's account check does not mind.
            f"UsePAM {'yes' if _root_password_locked() else 'no'}",
            "StrictModes no",
            "PermitRootLogin prohibit-password",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitUserEnvironment no",
            "AcceptEnv LANG LC_*",
            "PrintMotd no",
            "PrintLastLog no",
            "LogLevel ERROR",
            "",
        ]))
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation directory
        self._log_file = self.log.open("wb")
        self.proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(self.config)],
                                     stdout=self._log_file, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd exited with {self.proc.returncode}: {self.log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"sshd did not listen on port {self.port}: {self.log.read_text()}")

    def ssh_argv(self, remote_command: str) -> list[str]:
        return ["ssh", "-t", "-p", str(self.port), "-i", str(self.client_key),
                "-o", "StrictHostKeyChecking=no", "-o", f"UserKnownHostsFile={self.root / 'known_hosts'}",
                "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-F", "/dev/null",
                "root@127.0.0.1", remote_command]

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # sshd and its session children
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._log_file.close()
