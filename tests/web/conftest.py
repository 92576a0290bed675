"""Fixtures for the browser tests: a small two-article database (Vietnamese, Arabic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.formats import import_paths
from tui.store import Store

CORPUS = Path(__file__).with_name("corpus")


def make_db(path: Path) -> Path:
    with Store.open(path) as store:
        import_paths(store, [CORPUS], annotator="import")
    return path


@pytest.fixture(scope="module")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory.mktemp("web") / "team.db")
