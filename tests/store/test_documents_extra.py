"""Documents given straight to the Store API (the importers refuse bad text earlier)."""

import pytest

from tui.store import Store, StoreError


def test_a_lone_surrogate_is_a_clear_store_error_and_stores_nothing(db_path):
    store = Store.open(db_path)
    try:
        with pytest.raises(StoreError, match="lone surrogate"):
            store.add_document("abc \ud800 def", title="t", language="und", direction="ltr")
        assert store.count_documents() == 0
    finally:
        store.close()



def test_has_document_answers_whether_an_id_is_stored(db_path):
    with Store.open(db_path) as store:
        doc_id, added = store.add_document("Một văn bản ngắn.", title="t", language="vi", direction="ltr")
        assert added and store.has_document(doc_id)
        assert not store.has_document("0000000000000000")
