"""Fixtures for app-level tests: the seeded database (tests/conftest.py) opened as a Store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.store import Store


@pytest.fixture
def store(request: pytest.FixtureRequest):
    """The seeded database as a Store; a test that also asks for `backend` runs on SQLite and on
    PostgreSQL (tests/conftest.py `seeded_target`)."""
    both = "backend" in request.fixturenames
    store = Store.open(request.getfixturevalue("seeded_target" if both else "seeded_db"))
    yield store
    store.close()
