"""Reading a database file's first bytes without dropping this process's SQLite locks on it.

POSIX advisory locks belong to the process: closing ANY descriptor of a file drops every lock the
process holds on it, SQLite's included (sqlite.org/howtocorrupt.html 2.2). So the descriptor that
read a header stays open while a store of this process has the file open (`remember_open` when a
store opens it, `forget_open` when it closes; tests/store/test_posix_locks.py).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

_HELD_FILES: dict[tuple[int, int], int] = {}
"""(device, inode) of every file whose first bytes this process read -> a descriptor kept open."""
_HELD_LOCK = threading.Lock()


def read_head(path: Path, size: int) -> bytes:
    """The first `size` bytes of `path`, read through a descriptor that stays open.

    POSIX advisory locks belong to the process: closing ANY descriptor of a file drops every
    lock the process holds on it, SQLite's included (sqlite.org/howtocorrupt.html 2.2). A
    database this process already has open (the app's writer thread opens a second connection;
    `export -o` checks its target) would then look unused to other processes, which checkpoint
    and delete its -wal file while we go on committing into the deleted file. So the descriptor
    is kept until no store of this process has the file open any more (`forget_open`).
    """
    info = os.stat(path)  # by name: stat opens nothing
    with _HELD_LOCK:
        fd = _HELD_FILES.get((info.st_dev, info.st_ino))
        if fd is None:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            opened = os.fstat(fd)  # the file may have been replaced since the stat: key by what opened
            _HELD_FILES.setdefault((opened.st_dev, opened.st_ino), fd)
    return os.pread(fd, size, 0)


_OPEN_STORES: dict[tuple[int, int], int] = {}
"""(device, inode) of each database file -> how many stores of this process have it open."""


def remember_open(conn: sqlite3.Connection, path: Path) -> tuple[int, int] | None:
    """Count a store's connection to `path` (see read_head); returns the key for forget_open."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    key = (info.st_dev, info.st_ino)
    with _HELD_LOCK:
        _OPEN_STORES[key] = _OPEN_STORES.get(key, 0) + 1
    return key


def forget_open(key: tuple[int, int] | None) -> None:
    """A store closed its connection: when it was the process's last one to that file, SQLite
    holds no lock on it any more, so the descriptor read_head kept can be closed safely."""
    if key is None:
        return
    with _HELD_LOCK:
        left = _OPEN_STORES.get(key, 0) - 1
        if left > 0:
            _OPEN_STORES[key] = left
            return
        _OPEN_STORES.pop(key, None)
        fd = _HELD_FILES.pop(key, None)
    if fd is not None:
        os.close(fd)
