"""Where each annotator left off: the articles in their panes, the active pane and the caret in
each article, per database, restored when they start `tui` again.

Kept in a small JSON file of the user (``$XDG_STATE_HOME/tui/sessions.json``, default
``~/.local/state``), not in the shared database: it is one person's view, several annotators share a
database, and a read-only or older database must not stop it. Best effort by design: a missing,
unreadable or corrupt file means the defaults, and a failed write is ignored — it never costs an
annotation (those are in the database) and never blocks the app. Written atomically (temporary file
+ rename), so a crash leaves the old state or the new one.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from tui.files import atomic_write_text, user_dir

MAX_SESSIONS = 100
"""(database, annotator) pairs remembered; the least recently used are forgotten"""
MAX_CARETS = 200
"""caret positions remembered per session (the most recent)"""


@dataclass
class SessionState:
    documents: list[str | None]
    active: int = 0
    carets: dict[str, int] = field(default_factory=dict)


def state_file(env: Mapping[str, str] | None = None) -> Path:
    return user_dir("state", env) / "sessions.json"


def _key(db: Path, annotator: str) -> str:
    return f"{Path(db).resolve()}\n{annotator}"


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load(db: Path, annotator: str, *, path: Path | None = None) -> SessionState | None:
    """The state saved for this database and annotator, or None (nothing usable saved)."""
    entry = _read(path or state_file()).get(_key(db, annotator))
    if not isinstance(entry, dict):
        return None
    documents = entry.get("documents")
    if not isinstance(documents, list) or not all(d is None or isinstance(d, str) for d in documents):
        return None
    active = entry.get("active", 0)
    carets = entry.get("carets", {})
    if not isinstance(carets, dict):
        carets = {}
    return SessionState(
        documents=documents,
        active=active if isinstance(active, int) and not isinstance(active, bool) else 0,
        carets={k: v for k, v in carets.items() if isinstance(k, str) and type(v) is int and v >= 0},
    )


def save(db: Path, annotator: str, state: SessionState, *, path: Path | None = None) -> bool:
    """Remember `state` for this database and annotator; False if it could not be written."""
    path = path or state_file()
    try:
        data = _read(path)
        carets = dict(list(state.carets.items())[-MAX_CARETS:])
        data[_key(db, annotator)] = {"documents": state.documents, "active": state.active,
                                     "carets": carets, "saved": time.time()}
        if len(data) > MAX_SESSIONS:
            def when(item: tuple) -> float:
                saved = item[1].get("saved", 0) if isinstance(item[1], dict) else 0
                return saved if isinstance(saved, (int, float)) else 0

            data = dict(sorted(data.items(), key=when)[-MAX_SESSIONS:])
        atomic_write_text(path, json.dumps(data, ensure_ascii=False))
        return True
    except (OSError, ValueError, TypeError):
        return False
