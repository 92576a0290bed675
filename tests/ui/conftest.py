"""Fixtures for app-level tests: the seeded database (tests/conftest.py) opened as a Store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.store import Store


@pytest.fixture
def store(seeded_db: Path):
    store = Store.open(seeded_db)
    yield store
    store.close()
