"""Fixtures for app-level tests: a database in tmp_path holding the seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.formats import import_paths
from tui.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def seeded_db(tmp_path: Path) -> Path:
    """A fresh database with the five seed articles (three Vietnamese, two Arabic)."""
    path = tmp_path / "annotations.db"
    with Store.open(path) as store:
        import_paths(store, [SEEDS], annotator="import")
    return path


@pytest.fixture
def store(seeded_db: Path):
    store = Store.open(seeded_db)
    yield store
    store.close()


@pytest.fixture(autouse=True)
def own_session_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test remembers where it left off in its own state file (tui.ui.session_state)."""
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
