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
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from tui.files import atomic_write_text, user_dir
from tui.store.target import PostgresTarget

if TYPE_CHECKING:
    from tui.store.store import Store

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


def _key(db: Path | PostgresTarget, annotator: str) -> str:
    if isinstance(db, PostgresTarget):
        return f"{db.display}\n{annotator}"  # never the password (this file is plain JSON)
    return f"{Path(db).resolve()}\n{annotator}"


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load(db: Path | PostgresTarget, annotator: str, *, path: Path | None = None) -> SessionState | None:
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


def save(db: Path | PostgresTarget, annotator: str, state: SessionState, *, path: Path | None = None) -> bool:
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


def default_documents(store: Store, panes: int) -> list[str | None]:
    """First run: a Vietnamese article beside an Arabic one (the seeds cover the same event),
    then further articles in store order; None for panes there is no article for."""
    summaries = store.list_documents(offset=0, limit=200)
    chosen: list[str] = []
    for language in ("vi", "ar"):
        match = next((s.id for s in summaries if getattr(s, "language", None) == language), None)
        if match is not None and match not in chosen:
            chosen.append(match)
    for summary in summaries:
        if summary.id not in chosen:
            chosen.append(summary.id)
    chosen = chosen[:panes]
    return chosen + [None] * (panes - len(chosen))


def restored_documents(saved: list[str | None], defaults: list[str | None],
                       exists: Callable[[str], bool]) -> list[str | None]:
    """The saved articles pane by pane where they still exist, the defaults filling the rest."""
    kept = [doc if doc is not None and exists(doc) else None for doc in saved[: len(defaults)]]
    spare = iter([doc for doc in defaults if doc is not None and doc not in kept])
    return [doc if doc is not None else next(spare, None)
            for doc in kept + [None] * (len(defaults) - len(kept))]
