"""Settings of the store's PostgreSQL sessions that decide its speed (checked, not timed)."""

from __future__ import annotations

from dataclasses import replace

from tests.store.store_samples import VIETNAMESE
from tui.store import Store
from tui.store.search import parse_filter


def test_the_store_never_jit_compiles_its_queries(postgres_url: str):
    # JIT compiling the picker's full-text count and page over 100,000 articles took longer than
    # running them; the setting holds for reads and writes alike.
    with Store.open(postgres_url) as store:
        store.add_document(VIETNAMESE, title="Tổng thống Nga", language="vi", direction="ltr")
        assert store.connection.execute("SHOW jit").fetchone()[0] == "off"
        query = replace(parse_filter("tổng"), annotator="alice")
        assert store.count_matching(query) == 1
        assert store.connection.execute("SHOW jit").fetchone()[0] == "off"
    with Store.open(postgres_url, readonly=True) as reader:
        assert reader.connection.execute("SHOW jit").fetchone()[0] == "off"
