"""Files of the user's: where they live (XDG base directories) and how they are replaced (atomically).
Standard library only."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal, TextIO

_XDG_DEFAULTS = {"config": (".config",), "state": (".local", "state"), "data": (".local", "share"),
                 "cache": (".cache",)}


def user_dir(kind: Literal["config", "state", "data", "cache"], env: Mapping[str, str] | None = None) -> Path:
    """tui's folder of that kind: ``$XDG_<KIND>_HOME/tui``, else the XDG default under the home folder
    (``~/.config/tui``, ``~/.local/state/tui``, ...)."""
    environ: Mapping[str, str] = os.environ if env is None else env
    base = environ.get(f"XDG_{kind.upper()}_HOME")
    if not base:
        base = str(Path(environ.get("HOME") or Path.home()).joinpath(*_XDG_DEFAULTS[kind]))
    return Path(base) / "tui"


@contextlib.contextmanager
def atomic_output(path: Path, *, keep_if_empty: bool = False) -> Iterator[TextIO]:
    """Write to a temporary file beside `path`, fsync, then rename over it: never a half-written file.
    The file keeps the mode of the one it replaces (a new one: 0666 minus the umask).

    `keep_if_empty`: when nothing was written and `path` already exists, it is left as it was."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        os.chmod(temp, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            empty = handle.tell() == 0
            os.fsync(handle.fileno())
        if empty and keep_if_empty and path.exists():
            os.unlink(temp)
            return
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) atomically, creating its folder if needed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as handle:
        handle.write(text)


def _mode_for(path: Path) -> int:
    """Keep the mode of the file replaced; new files get the usual 0666 minus umask (mkstemp uses 0600)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
