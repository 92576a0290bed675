from __future__ import annotations

from pathlib import Path

import pytest

from tests.store.store_samples import ARABIC, VIETNAMESE
from tui.store import Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "annotations.db"


@pytest.fixture
def store(db_path: Path):
    with Store.open(db_path) as opened:
        yield opened


@pytest.fixture
def vi_doc(store: Store) -> str:
    doc_id, _ = store.add_document(VIETNAMESE, title="Tổng thống Nga", language="vi", direction="ltr")
    return doc_id


@pytest.fixture
def ar_doc(store: Store) -> str:
    doc_id, _ = store.add_document(ARABIC, title="وقع الرئيس", language="ar", direction="rtl")
    return doc_id
