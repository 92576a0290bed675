"""Fixtures for app-level tests: the seeded database (tests/conftest.py) opened as a Store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.ui_helpers import REVIEW_TEXT, REVIEW_WORK, one_article_db
from tui.store import Store


@pytest.fixture
def team_db(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path | str, str]:
    """One article (REVIEW_TEXT) three annotators have finished (REVIEW_WORK), for review tests;
    on both backends for a test that asks for `backend`. (path or URL, document id)."""
    return one_article_db(request, tmp_path, REVIEW_TEXT, title="three annotators", language="und",
                          direction="ltr", work=REVIEW_WORK, status="done")


@pytest.fixture
def store(request: pytest.FixtureRequest):
    """The seeded database as a Store; a test that also asks for `backend` runs on SQLite and on
    PostgreSQL (tests/conftest.py `seeded_target`)."""
    both = "backend" in request.fixturenames
    store = Store.open(request.getfixturevalue("seeded_target" if both else "seeded_db"))
    yield store
    store.close()
