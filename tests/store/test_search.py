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


# -- imports fill the index once, at the end, instead of the insert trigger row by row ------------

FOLDED_LETTERS = "aAđĐ ăoờ ا أ إ آ ٱ ى ي ة ه ـ ك\u064b\u064e\u0650\u0652\u0670 .\n"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=FOLDED_LETTERS, max_size=30), st.text(alphabet=FOLDED_LETTERS, max_size=60),
       st.sampled_from(["ltr", "rtl"]))
def test_the_python_fold_an_import_indexes_with_is_the_triggers_sql(title, text, direction):
    import sqlite3

    from tui.store.search import fts_body, fts_source

    conn = sqlite3.connect(":memory:")
    try:
        source = fts_source("?1 || ' ' || ?2", "?3")
        in_sql = conn.execute(f"SELECT {source}", (title, text, direction)).fetchone()[0]
    finally:
        conn.close()
    assert fts_body(title, text, direction) == in_sql


def _import(store: Store, tmp_path, lines: list[str]):
    from tui.formats import import_paths

    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return import_paths(store, [source], annotator="import")


def _article(text: str, title: str, lang: str) -> str:
    import json

    return json.dumps({"text": text, "meta": {"title": title, "lang": lang}}, ensure_ascii=False)


def test_an_import_indexes_its_articles_and_leaves_the_trigger_in_place(store: Store, vi_doc: str, tmp_path):
    _import(store, tmp_path, [_article("Đàm phán ở Minsk kéo dài.", "một", "vi"),
                              _article("وصلت إلى موسكو صباح اليوم.", "خبر", "ar")])
    assert {d.title for d in store.find_documents(DocumentQuery(search="dam phan minsk"))} == {"một"}
    assert {d.title for d in store.find_documents(DocumentQuery(search="الى موسكو"))} == {"خبر"}
    assert ids(store, search="Belarus") == {vi_doc}  # what was indexed before is still there
    later, _ = store.add_document("Đồng minh ở Minsk.", title="sau", language="vi", direction="ltr")
    assert {d.id for d in store.find_documents(DocumentQuery(search="minsk"))} - {later} != set()
    assert later in ids(store, search="dong minh minsk")  # the trigger is back for later articles


def test_an_import_that_fails_leaves_index_and_trigger_as_they_were(sqlite_store: Store, tmp_path):
    import pytest

    from tui.formats import FormatError

    store = sqlite_store
    triggers = store.connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    with pytest.raises(FormatError):
        _import(store, tmp_path, [_article("Đàm phán ở Minsk.", "một", "vi"), "{not json"])
    assert store.connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall() \
        == triggers
    assert store.count_documents() == 0
    assert ids(store, search="minsk") == set()
    store.add_document("Minsk hôm nay.", title="x", language="vi", direction="ltr")
    assert len(ids(store, search="minsk")) == 1


def test_the_index_an_import_builds_is_the_one_the_trigger_builds(tmp_path):
    lines = [_article(f"Bài {i}: Đàm phán ở Minsk, hiệp ước số {i}.", f"tin {i}", "vi") for i in range(30)]
    lines += [_article(f"الرَّئِيسُ وقّع معاهدة رقم {i} في مُوسكو.", f"خبر {i}", "ar") for i in range(30)]
    imported = Store.open(tmp_path / "imported.db")
    one_by_one = Store.open(tmp_path / "one_by_one.db")
    try:
        _import(imported, tmp_path, lines)
        for doc in imported.list_documents(limit=100):
            full = imported.get_document(doc.id)
            one_by_one.add_document(full.text, title=full.title, language=full.language, direction=full.direction)
        from tests.store.fts_index import vocabulary

        terms = {row[0] for row in vocabulary(imported)}
        assert {"dam", "phan", "minsk", "hiep", "uoc", "الرئيس", "موسكو", "معاهده"} <= terms  # folded
        assert vocabulary(imported) == vocabulary(one_by_one)
    finally:
        imported.close()
        one_by_one.close()
