"""Property: the same actions on a SQLite file and on a PostgreSQL database give the same results,
the same refusals, the same ids, the same history, and exports with identical bytes."""

from __future__ import annotations

import dataclasses
import io
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import SEEDS
from tui.formats import export_jsonl, import_paths
from tui.formats.links import export_links
from tui.store import NewCandidate, Store, StoreError
from tui.store.search import DocumentQuery, parse_filter

ANNOTATORS = ("alice", "bob")
LABELS = ("entity", "claim", "date", "person")  # person does not exist until a step adds it

step = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(ANNOTATORS), st.sampled_from(LABELS), st.integers(0, 120),
              st.integers(1, 30)),
    st.tuples(st.just("delete"), st.sampled_from(ANNOTATORS), st.integers(0, 20)),
    st.tuples(st.just("resize"), st.sampled_from(ANNOTATORS), st.integers(0, 20), st.integers(-5, 5), st.integers(-5, 5)),
    st.tuples(st.just("relabel"), st.sampled_from(ANNOTATORS), st.integers(0, 20), st.sampled_from(LABELS)),
    st.tuples(st.just("undo"), st.sampled_from(ANNOTATORS)),
    st.tuples(st.just("redo"), st.sampled_from(ANNOTATORS)),
    st.tuples(st.just("status"), st.sampled_from(ANNOTATORS), st.sampled_from(("todo", "in_progress", "done", "skipped"))),
    st.tuples(st.just("label"), st.sampled_from(("person", "place"))),
    st.tuples(st.just("rename"), st.sampled_from(LABELS), st.sampled_from(("person", "thing", "entity"))),
    st.tuples(st.just("link"), st.sampled_from(ANNOTATORS), st.integers(0, 20), st.integers(0, 20),
              st.sampled_from(("same_entity", "supports"))),
    st.tuples(st.just("candidates"), st.integers(0, 120), st.integers(1, 30)),
    st.tuples(st.just("accept"), st.sampled_from(ANNOTATORS), st.integers(0, 5)),
    st.tuples(st.just("reject"), st.sampled_from(ANNOTATORS), st.integers(0, 5)),
    st.tuples(st.just("accept_all"), st.sampled_from(ANNOTATORS)),
    st.tuples(st.just("merge"), st.sampled_from((1, 2))),
    st.tuples(st.just("direction"), st.sampled_from((None, 0, 1)), st.sampled_from(("auto", "ltr", "rtl"))),
    st.tuples(st.just("keys")),
    st.tuples(st.just("search"), st.text(alphabet="ab ngthuyePđĐôơư:_%ئأاوكرنيىة", max_size=8)),
)

# The picker's searches: words of the seed articles, prefixes, folded forms, Arabic variants, filters.
SEARCHES = ("putin", "Putin", "put", "vladimir putin", "dong", "đồng", "Nga", "nga", "moscow", "mins",
            "بوتين", "اوكرانيا", "أوكرانيا", "روسي", "status:done", "has:spans", "no:spans putin", "lang:ar",
            "lang:vi has:spans", "5/2", "2024", "xyz", "a_b", "_", "%", "e t")


def core(value: object) -> str:
    """A span, event or decision without its time stamps (which differ by the clock, not the backend)."""
    fields = dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value._asdict()  # type: ignore[attr-defined]
    return repr(_timeless(fields))


def _timeless(value: object) -> object:
    if isinstance(value, dict):
        return {k: _timeless(v) for k, v in value.items() if not k.endswith("_at")}
    if isinstance(value, list | tuple):
        return [_timeless(v) for v in value]
    return value


def apply(store: Store, doc_id: str, action: tuple) -> str:
    """Do one action; what it returned or why it was refused, as text without time stamps."""
    kind, *args = action
    spans = store.spans(doc_id)
    try:
        if kind == "add":
            annotator, label, start, length = args
            return core(store.add_span(doc_id, annotator, label, start, start + length))
        if kind in ("delete", "resize", "relabel", "link"):
            annotator, index = args[0], args[1]
            if not spans:
                return "no spans"
            span = spans[index % len(spans)]
            if kind == "delete":
                return core(store.delete_span(span.id, annotator))
            if kind == "resize":
                return core(store.resize_span(span.id, span.start + args[2], span.end + args[3], annotator))
            if kind == "relabel":
                return core(store.relabel_span(span.id, args[2], annotator))
            other = spans[args[2] % len(spans)]
            link = store.add_link(annotator, span.id, other.id, args[3])
            return repr((link.id, link.label, link.head_span_id, link.child_span_id))
        if kind in ("undo", "redo"):
            event = getattr(store, kind)(args[0], doc_id)
            return "nothing" if event is None else repr((event.id, event.action, event.span_id, event.target_event_id))
        if kind == "status":
            store.set_status(doc_id, args[0], args[1])
            return store.status(doc_id, args[0])
        if kind == "label":
            return repr(store.create_label(args[0], "alice"))
        if kind == "rename":
            label, count = store.rename_label(args[0], args[1], "alice")
            return repr((label, count))
        if kind == "candidates":
            start, length = args
            return repr(store.add_candidates("suggest:test", [NewCandidate(doc_id, "date", start, start + length)]))
        if kind in ("accept", "reject"):
            annotator, index = args
            offered = store.candidates(doc_id, annotator, ["suggest:test", *ANNOTATORS])
            if not offered:
                return "none offered"
            candidate = offered[index % len(offered)]
            if kind == "accept":
                return core(store.accept_candidate(annotator, candidate))
            return core(store.reject_candidate(annotator, candidate))
        if kind == "accept_all":
            return repr([core(x) for x in store.accept_all_candidates(doc_id, args[0], ["suggest:test", *ANNOTATORS])])
        if kind == "merge":
            return repr(store.merge_into("gold", list(ANNOTATORS), min_votes=args[0]))
        if kind == "direction":
            return repr(store.set_view_direction(doc_id, args[0], args[1], "alice"))
        if kind == "keys":
            return repr(store.fill_span_text_keys(lambda text: (text.lower(), len(text), hash(text[:1]) % 1000, 1)
                                                  if text.strip() else None, "v1"))
        if kind == "search":
            return repr(store.find_documents(parse_filter(args[0]), limit=50))
    except StoreError as exc:
        return "refused: " + str(exc).split(": ", 1)[-1] if "database error" not in str(exc) else "refused by the database"
    raise AssertionError(kind)


def state(store: Store, doc_id: str) -> tuple:
    events = [(e.id, e.action, e.document_id, e.annotator, e.span_id, e.target_event_id)
              for e in store.history(doc_id)]
    exports = []
    for fmt in ("spacy", "doccano"):
        out = io.StringIO()
        export_jsonl(store, out, fmt=fmt)
        exports.append(out.getvalue().encode("utf-8"))
    links = io.StringIO()
    export_links(store, links)
    searches = [store.find_documents(parse_filter(query), 0, 50) for query in SEARCHES]
    searches.append(store.find_documents(DocumentQuery(search="putin", annotator="alice", full_text=False)))
    texts = sorted(store.unkeyed_span_texts())
    return (searches, texts, store.view_directions(doc_id), store.annotators(), store.languages(),
            events, exports, links.getvalue().encode("utf-8"), store.labels(), store.label_usage(),
            [core(s) for s in store.spans(doc_id)], [core(d) for d in store.candidate_decisions(doc_id, "alice")], store.progress("alice"), store.stats().totals)


@settings(max_examples=int(os.environ.get("TUI_TRIALS", "12")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(step, min_size=1, max_size=25))
def test_both_backends_answer_every_action_alike_and_export_the_same_bytes(postgres_pool, actions):
    url = postgres_pool.take()
    try:
        with tempfile.TemporaryDirectory() as folder, \
                Store.open(Path(folder) / "a.db") as lite, Store.open(url) as pg:
            for store in (lite, pg):
                import_paths(store, [SEEDS], annotator="import")
            doc_id = lite.list_documents()[0].id
            assert [d.id for d in pg.list_documents()] == [d.id for d in lite.list_documents()]
            for action in actions:
                assert apply(lite, doc_id, action) == apply(pg, doc_id, action), action
            assert state(lite, doc_id) == state(pg, doc_id)
    finally:
        postgres_pool.give_back(url)
