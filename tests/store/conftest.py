from __future__ import annotations

from pathlib import Path

import pytest

from tests.store.store_samples import ARABIC, VIETNAMESE
from tui.store import Store


@pytest.fixture
def db_path(store_target: str | Path) -> str | Path:
    """The store's database: a SQLite file or a PostgreSQL URL (tests/conftest.py `backend`)."""
    return store_target


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    """For the tests of what only a SQLite file has (its bytes, -wal, POSIX locks, PRAGMAs)."""
    return tmp_path / "annotations.db"


@pytest.fixture
def store(db_path: Path):
    with Store.open(db_path) as opened:
        yield opened


@pytest.fixture
def sqlite_store(sqlite_path: Path):
    """A store on a SQLite file, for the tests of SQLite's own machinery (PRAGMAs, query plans)."""
    with Store.open(sqlite_path) as opened:
        yield opened


@pytest.fixture
def vi_doc(store: Store) -> str:
    doc_id, _ = store.add_document(VIETNAMESE, title="Tổng thống Nga", language="vi", direction="ltr")
    return doc_id


@pytest.fixture
def ar_doc(store: Store) -> str:
    doc_id, _ = store.add_document(ARABIC, title="وقع الرئيس", language="ar", direction="rtl")
    return doc_id
