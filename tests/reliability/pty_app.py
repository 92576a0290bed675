"""The real app on a pseudo-terminal: every byte it writes is kept, with the time it arrived."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import threading
import time


class PtyApp:
    """A process on a new pty of `size` (rows, columns); `output` holds every byte it wrote and
    `chunks` each read with its arrival time (time.monotonic())."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = (40, 140)) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.output = b""
        self.chunks: list[tuple[float, bytes]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while not self.stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                self.output += chunk
                self.chunks.append((time.monotonic(), chunk))

    def wait_for(self, needle: bytes, timeout: float = 60, since: int = 0) -> None:
        """Until `needle` appears in the output after byte `since`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if needle in self.output[since:]:
                    return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"{needle!r} never appeared; last output: {self.output[-1500:]!r}")

    def settle(self, quiet: float = 0.4, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        last = -1
        while time.monotonic() < deadline:
            with self.lock:
                size = len(self.output)
            if size == last:
                return
            last = size
            time.sleep(quiet)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        self.stop.set()
        self.reader.join(2)
        os.close(self.master)
