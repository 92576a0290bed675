"""How long a notification (toast) stays (issue 19). Toasts sit over the right end of the key bar,
so a routine one (the first-run import, "reconnected") goes after a few seconds; a warning (a
keymap problem, a label colour that does not parse) stays longer, and errors stay as long as their
callers say (a failed save: 10 s, a damaged database: until quit). What a toast says is on the
status line too, so nothing is lost when it goes."""

from __future__ import annotations

ROUTINE = 4.5
"""Seconds a routine (information) toast stays."""
WARNING = 10.0
"""Seconds a warning toast stays."""
ERROR = 10.0
"""Seconds an error toast stays, unless its caller says otherwise."""


def timeout_for(severity: str) -> float:
    """The seconds a toast of ``severity`` ("information", "warning", "error") stays."""
    return {"warning": WARNING, "error": ERROR}.get(severity, ROUTINE)


__all__ = ["ERROR", "ROUTINE", "WARNING", "timeout_for"]
