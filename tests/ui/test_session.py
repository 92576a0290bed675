"""Whole annotation sessions played with keys only, checked against the database — on SQLite and on
PostgreSQL (`seeded_target`) for the sessions that write, restart and read back."""

from __future__ import annotations

import pytest

from tui.store import Store
from tui.ui.app import AnnotatorApp
from tests.ui.ui_helpers import search

pytestmark = pytest.mark.anyio

VI_CLAIM = "Tổng thống Vladimir Putin hôm 5/2 đã đệ trình một hiệp ước an ninh với Belarus"
VI_ENTITY = "Vladimir Putin"
VI_DATE = "5/2"
AR_ENTITY = "بوتين"  # Putin, the fifth word of the Arabic article


def rows(store: Store, doc_id: str, annotator: str = "alice") -> set[tuple[int, int, str, str]]:
    """(start, end, label, text) of the annotator's spans, text sliced from the stored document."""
    text = store.get_document(doc_id).text
    result = set()
    for span in store.spans(doc_id, annotator=annotator):
        assert span.text == text[span.start:span.end]
        result.add((span.start, span.end, span.label, text[span.start:span.end]))
    return result


def expected_vi(text: str) -> set[tuple[int, int, str, str]]:
    claim = text.index(VI_CLAIM)
    entity = text.index(VI_ENTITY, claim)
    date = text.index(VI_DATE, claim)
    return {
        (claim, claim + len(VI_CLAIM), "claim", VI_CLAIM),
        (entity, entity + len(VI_ENTITY), "entity", VI_ENTITY),
        (date, date + len(VI_DATE), "date", VI_DATE),
    }


async def test_first_run_shows_vietnamese_beside_arabic(seeded_db):
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=(120, 32)) as pilot:
            await pilot.pause()
            panes = app.main_screen().panes
            assert [p.document.language for p in panes] == ["vi", "ar"]
            assert [p.document.direction for p in panes] == ["ltr", "rtl"]
            # the same event: Putin's security treaty with Belarus, in both
            assert "Belarus" in panes[0].document.text and "بيلاروسيا" in panes[1].document.text
            assert all(p.display for p in panes)


async def test_keyboard_session_tags_nested_spans_deletes_undoes_and_survives_restart(seeded_target):
    with Store.open(seeded_target) as store:
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=(120, 32)) as pilot:
            await pilot.pause()
            vi_pane = app.active_pane()
            vi_view = vi_pane.view
            vi_id, vi_text = vi_pane.document.id, vi_pane.document.text

            # A Vietnamese date: search it, select three characters in visual mode (as in vim, the
            # character under the caret is in: v l l), `d`.
            await search(pilot, VI_DATE)
            await pilot.press("v", "l", "l", "d")
            # A claim around it: back over the date and five words, visual mode, extend by searching the
            # claim's last word (a search in visual mode takes in the whole match), `c`.
            await pilot.press(*["b"] * 6, "v")
            await search(pilot, "Belarus")
            await pilot.press("c")
            # An entity nested in the claim: escape drops the search highlights so N jumps to
            # spans again: back to the claim's start, two words on, select two words, `1`.
            await pilot.press("escape", "N", "N", "w", "w", "v", "w", "w", "h", "1")
            await pilot.pause()
            assert rows(store, vi_id) == expected_vi(vi_text)

            # The Arabic pane: Tab, then word moves. ctrl+left moves *forward* in RTL text.
            await pilot.press("tab")
            ar_pane = app.active_pane()
            assert ar_pane is not vi_pane and ar_pane.document.direction == "rtl"
            ar_id, ar_text = ar_pane.document.id, ar_pane.document.text
            await pilot.press(*["ctrl+left"] * 5)
            assert ar_text[ar_pane.view.caret:].startswith(AR_ENTITY)
            await pilot.press("e")
            await pilot.pause()
            ar_start = ar_text.index(AR_ENTITY)
            ar_expected = {(ar_start, ar_start + len(AR_ENTITY), "entity", AR_ENTITY)}
            assert rows(store, ar_id) == ar_expected
            assert "entity 1" in str(ar_pane.query_one(".pane-meta").render())

            # Back to Vietnamese: put the caret in the entity (inside the claim); x deletes the
            # innermost span only, u brings it back, U deletes it again, u restores it.
            await pilot.press("tab")
            entity_start = vi_text.index(VI_ENTITY, vi_text.index(VI_CLAIM))
            await pilot.press("b")
            assert entity_start < vi_view.caret < entity_start + len(VI_ENTITY)
            await pilot.press("x")
            await pilot.pause()
            without_entity = {r for r in expected_vi(vi_text) if r[2] != "entity"}
            assert rows(store, vi_id) == without_entity
            assert {m.label for m in vi_view.spans} == {"claim", "date"}
            await pilot.press("u")
            await pilot.pause()
            assert rows(store, vi_id) == expected_vi(vi_text)
            await pilot.press("U")
            await pilot.pause()
            assert rows(store, vi_id) == without_entity
            await pilot.press("u")
            await pilot.pause()
            assert rows(store, vi_id) == expected_vi(vi_text)
            assert {m.label for m in vi_view.spans} == {"claim", "date", "entity"}
            assert "saved" in str(app.main_screen().query_one("#status").render())

            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 0

    # Reopen: a new process would see exactly the same rows, and so does a new app.
    with Store.open(seeded_target) as store:
        assert rows(store, vi_id) == expected_vi(vi_text)
        assert rows(store, ar_id) == ar_expected
        assert store.get_document(vi_id).text == vi_text
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=(120, 32)) as pilot:
            await pilot.pause()
            vi_pane, ar_pane = app.main_screen().panes
            assert {m.label for m in vi_pane.view.spans} == {"claim", "date", "entity"}
            title = str(vi_pane.query_one(".pane-meta").render())
            assert "entity 1" in title and "claim 1" in title and "date 1" in title
            assert [(m.start, m.end) for m in ar_pane.view.spans] == [(ar_start, ar_start + len(AR_ENTITY))]


async def test_undo_survives_a_restart(seeded_target):
    with Store.open(seeded_target) as store:
        app = AnnotatorApp(store, annotator="bob")
        async with app.run_test(size=(120, 32)) as pilot:
            await pilot.press("w", "e", "q")
    with Store.open(seeded_target) as store:
        doc_id = store.list_documents()[0].id
        assert len(store.spans(doc_id, annotator="bob")) == 1
        app = AnnotatorApp(store, annotator="bob")
        async with app.run_test(size=(120, 32)) as pilot:
            await pilot.press("u")
            await pilot.pause()
            assert store.spans(doc_id, annotator="bob") == []
            assert app.active_pane().view.spans == ()


async def test_annotators_see_only_their_own_spans_until_toggled(seeded_target):
    with Store.open(seeded_target) as store:
        doc_id = store.list_documents()[0].id
        store.add_span(doc_id, "carol", "claim", 0, 3)
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=(120, 32)) as pilot:
            await pilot.pause()
            view = app.active_pane().view
            assert view.spans == ()
            await pilot.press("t")
            assert [(m.label, m.readonly) for m in view.spans] == [("claim", True)]
            await pilot.press("x")  # another annotator's span is never deleted from here
            await pilot.pause()
            assert len(store.spans(doc_id, annotator="carol")) == 1


async def test_changes_from_another_connection_appear_after_the_poll(seeded_target):
    with Store.open(seeded_target) as store:
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=(120, 32)) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            with Store.open(seeded_target) as other:  # another process, same annotator (second terminal)
                other.add_span(pane.document.id, "alice", "entity", 0, 3)
            app.main_screen().poll_database()
            await pilot.pause()
            assert [(m.start, m.end) for m in pane.view.spans] == [(0, 3)]
            assert "entity 1" in str(pane.query_one(".pane-meta").render())
