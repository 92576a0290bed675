"""The few words every layer of tui shares, defined once: display modes and annotation statuses.
(Standard library only: the launcher, the terminal code, the store and the UI all import it.)"""

from __future__ import annotations

from typing import Literal, get_args

BIDI_MODES = ("app", "terminal", "off")
"""--bidi: who reorders right-to-left text: the app, the terminal, or nobody (logical order)."""
SHAPING_MODES = ("on", "off")
"""--shaping: join Arabic letters (contextual forms) or not."""

Status = Literal["todo", "in_progress", "done", "skipped"]
STATUSES: tuple[Status, ...] = get_args(Status)
"""An annotator's status for a document, in this order (the SQLite schema's CHECK constraint holds
the same list; the PostgreSQL schema's is made from this one)."""
