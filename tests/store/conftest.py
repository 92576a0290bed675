from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tui.store import Store

sys.path.insert(0, str(Path(__file__).parent))

from store_samples import ARABIC, VIETNAMESE


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
