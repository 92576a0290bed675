"""Errors from reading and writing files, phrased as `file:line: reason`."""

from __future__ import annotations

from pathlib import Path


class FormatError(Exception):
    """A bad input file: which file, which line (when there is one), what is wrong."""

    def __init__(self, path: str | Path, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        where = self.path if line is None else f"{self.path}:{line}"
        super().__init__(f"{where}: {reason}")


class ExportError(Exception):
    """The database holds something that must not be exported (a span whose text does not match)."""
