"""The picker's queries: filters by status, language, has-spans, and search of article text as
well as titles (FTS5 index kept in step by triggers)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.store import Store
from tui.store.search import DocumentQuery, fts_query, parse_filter


def ids(store: Store, **query) -> set[str]:
    q = DocumentQuery(**query)
    found = {d.id for d in store.find_documents(q)}
    assert store.count_matching(q) == len(found)
    return found


def test_text_search_finds_words_in_the_article_not_only_the_title(store: Store, vi_doc: str, ar_doc: str):
    assert ids(store, search="Belarus") == {vi_doc}  # only in the text
    assert ids(store, search="belarus hiep") == {vi_doc}  # every word, diacritics ignored
    assert ids(store, search="hiệp ước") == {vi_doc}
    assert ids(store, search="dong") == set()
    assert ids(store, search="معاهدة") == {ar_doc}
    assert ids(store, search="Tổng thống") == {vi_doc}  # the title still matches
    assert ids(store, search="Belarus", full_text=False) == set()
    later, _ = store.add_document("Đồng minh của Nga.", title="ba", language="vi", direction="ltr")
    assert ids(store, search="dong minh") == {later}  # the trigger indexed the new article; đ = d


def test_arabic_letter_variants_and_harakat_are_ignored(store: Store):
    doc, _ = store.add_document("أوكرانيا و الرَّئِيسُ", title="خبر", language="ar", direction="rtl")
    assert ids(store, search="اوكرانيا") == {doc}
    assert ids(store, search="الرئيس") == {doc}


def test_filters_by_status_language_and_spans(store: Store, vi_doc: str, ar_doc: str):
    store.add_span(vi_doc, "alice", "entity", 0, 4)
    store.set_status(ar_doc, "alice", "done")
    assert ids(store, annotator="alice", status="done") == {ar_doc}
    assert ids(store, annotator="alice", status="in_progress") == {vi_doc}
    assert ids(store, annotator="bob", status="todo") == {vi_doc, ar_doc}
    assert ids(store, language="ar") == {ar_doc}
    assert ids(store, annotator="alice", has_spans=True) == {vi_doc}
    assert ids(store, annotator="alice", has_spans=False) == {ar_doc}
    assert ids(store, annotator="alice", has_spans=True, language="ar") == set()


def test_the_filter_line_reads_filters_and_search_words():
    q = parse_filter("status:done lang:ar has:spans putin  x:y")
    assert (q.status, q.language, q.has_spans, q.search) == ("done", "ar", True, "putin x:y")
    assert parse_filter("no:spans status:in-progress").has_spans is False
    assert parse_filter("status:in-progress").status == "in_progress"
    assert parse_filter("").search is None


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=30))
def test_any_typed_text_is_a_safe_query(text):
    match = fts_query(text)
    assert match is None or match.count('"') % 2 == 0


def test_any_typed_text_runs(store: Store, vi_doc: str):
    for text in ['"', "a\"b", "NEAR(", "*", "-x", "OR", "a:b", "ü", "  "]:
        store.count_matching(DocumentQuery(search=text))
