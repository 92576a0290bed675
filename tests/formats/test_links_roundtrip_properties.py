"""Property: any set of links (random spans, made in any order, either direction, any label, some
deleted) survives export -> fresh database (articles and spans first) -> import -> export byte for byte."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.formats import export_jsonl, import_paths
from tui.formats.links import export_links, import_links
from tui.store import Store, StoreError

VI = "Tổng thống Nga Vladimir Putin hôm 5/2 đã đệ trình một hiệp ước an ninh với Belarus.\nĐoạn hai."
AR = "وقع الرئيس الروسي فلاديمير بوتين على معاهدة في 6 ديسمبر 2024.\nفقرة ثانية."
WORDS = [("vi", m.start(), m.end()) for m in re.finditer(r"\w+", VI)] + [
    ("ar", m.start(), m.end()) for m in re.finditer(r"\w+", AR)]
LINK_LABELS = ["same_entity", "same_claim", "contradicts", "supports"]

spans = st.lists(st.tuples(st.sampled_from(["alice", "bob"]), st.integers(0, len(WORDS) - 1),
                           st.sampled_from(["entity", "claim"])), min_size=2, max_size=12, unique=True)
links = st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.sampled_from(LINK_LABELS)), max_size=12)


def links_jsonl(store: Store) -> str:
    out = io.StringIO()
    export_links(store, out)
    return out.getvalue()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(spans, links, st.sets(st.integers(0, 11), max_size=3))
def test_links_round_trip_through_a_fresh_database(new_db, span_specs, link_specs, deleted):
    new_db.recycle()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with Store.open(new_db()) as store:
            docs = {"vi": store.add_document(VI, title="vi", language="vi", direction="ltr")[0],
                    "ar": store.add_document(AR, title="ar", language="ar", direction="rtl")[0]}
            made = []
            for annotator, word, label in span_specs:
                lang, start, end = WORDS[word]
                made.append(store.add_span(docs[lang], annotator, label, start, end))
            for head, child, label in link_specs:
                if head < len(made) and child < len(made):
                    try:
                        store.add_link(made[head].annotator, made[head].id, made[child].id, label)
                    except StoreError:  # itself, another annotator's span, a duplicate: refused, fine
                        pass
            for index in deleted:
                if index < len(made):
                    store.delete_span(made[index].id, made[index].annotator)
            original = links_jsonl(store)
            spans_file = root / "spans.jsonl"
            with spans_file.open("w", encoding="utf-8") as handle:
                export_jsonl(store, handle)
        links_file = root / "links.jsonl"
        links_file.write_text(original, encoding="utf-8")
        with Store.open(new_db()) as fresh:
            import_paths(fresh, [spans_file], keep_annotators=True)
            if original:
                summary = import_links(fresh, links_file)
                assert summary.spans_added == 0  # every linked span came with the articles
            assert links_jsonl(fresh) == original
