"""Suggestions in the app: turned on with S, computed off the UI thread and shown as candidates;
accepting, rejecting (remembered after a restart), accepting every candidate of one text, the pending
count on the status line, and a name tagged once suggested wherever else it occurs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.store import Store
from tui.ui import suggestions
from tui.ui.app import AnnotatorApp

pytestmark = pytest.mark.anyio

TEXT = ("Tổng thống Putin hôm 5/2 đã gặp Lukashenko tại Minsk.\n"
        "Ngày 8/12/1999, Putin và Lukashenko ký hiệp ước; Putin nói vào năm 2023.")


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "team.db"
    with Store.open(path) as store:
        doc, _ = store.add_document(TEXT, title="Putin gặp Lukashenko", language="vi", direction="ltr")
    return path, doc


def own(store: Store, doc: str) -> list[tuple[str, str]]:
    return sorted((s.label, s.text) for s in store.spans(doc, "alice"))


async def _settle(app: AnnotatorApp, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_the_ui_names_agree_with_the_engine():
    from tui.suggest.engine import SOURCES
    from tui.suggesting import CANDIDATE_SOURCES

    assert suggestions.SOURCES == SOURCES and suggestions.CANDIDATE_SOURCES == CANDIDATE_SOURCES


async def test_accepting_and_rejecting_suggestions(db):
    path, doc = db
    with Store.open(path) as store:
        app = AnnotatorApp(store, annotator="alice", panes=1, documents=[doc])
        async with app.run_test(size=(120, 24)) as pilot:
            await _settle(app, pilot)
            pane = app.active_pane()
            assert pane.candidates == []  # off until asked for
            await pilot.press("S")  # suggestion sources: tick dates and propagate
            await pilot.pause()
            await pilot.press("space", "down", "space", "enter")
            await _settle(app, pilot)
            assert app.candidate_sources == ["suggest:dates", "suggest:propagate"]
            assert [(c.text, c.label) for c in pane.candidates] == [
                ("hôm 5/2", "date"), ("Ngày 8/12/1999", "date"), ("năm 2023", "date")]
            assert own(store, doc) == []  # suggestions are nobody's spans
            status = str(app.main_screen().query_one("StatusLine").render())
            assert "◌ 3 pending" in status

            await pilot.press("semicolon", "a")  # accept hôm 5/2
            await _settle(app, pilot)
            assert own(store, doc) == [("date", "hôm 5/2")]
            await pilot.press("semicolon", "X")  # reject Ngày 8/12/1999
            await _settle(app, pilot)
            assert [c.text for c in pane.candidates] == ["năm 2023"]
            assert "◌ 1 pending" in str(app.main_screen().query_one("StatusLine").render())

            # tag one Putin: every other Putin is suggested, and * accepts them all at once
            pane.view.move_caret_to(TEXT.index("Putin") + 1)
            await pilot.press("e")
            await _settle(app, pilot)
            assert [c.text for c in pane.candidates] == ["Putin", "Putin", "năm 2023"]
            assert {c.label for c in pane.candidates if c.text == "Putin"} == {"entity"}
            await pilot.press("semicolon")
            assert pane.candidate_under_caret().text == "Putin"
            await pilot.press("asterisk")
            await _settle(app, pilot)
            assert [s for s in own(store, doc) if s[1] == "Putin"] == [("entity", "Putin")] * 3
            assert [c.text for c in pane.candidates] == ["năm 2023"]
            await pilot.press("u")  # one undo takes back both accepted by *
            await _settle(app, pilot)
            assert [s for s in own(store, doc) if s[1] == "Putin"] == [("entity", "Putin")]
            await pilot.press("q")

    with Store.open(path) as store:  # after a restart the rejected date is still not offered
        app = AnnotatorApp(store, annotator="alice", panes=1, documents=[doc],
                           candidates=["suggest:dates", "suggest:propagate"])
        async with app.run_test(size=(120, 24)) as pilot:
            await _settle(app, pilot)
            texts = [c.text for c in app.active_pane().candidates]
            assert "Ngày 8/12/1999" not in texts and "hôm 5/2" not in texts
            assert "năm 2023" in texts
            await pilot.press("q")
        assert store.spans(doc, "suggest:dates") == []  # stored as candidates, never as spans


async def test_bob_still_gets_what_alice_rejected(db):
    path, doc = db
    with Store.open(path) as store:
        app = AnnotatorApp(store, annotator="alice", panes=1, documents=[doc], candidates=["suggest:dates"])
        async with app.run_test(size=(120, 24)) as pilot:
            await _settle(app, pilot)
            await pilot.press("semicolon", "X")
            await _settle(app, pilot)
            await pilot.press("q")
        app = AnnotatorApp(store, annotator="bob", panes=1, documents=[doc], candidates=["suggest:dates"])
        async with app.run_test(size=(120, 24)) as pilot:
            await _settle(app, pilot)
            assert [c.text for c in app.active_pane().candidates] == ["hôm 5/2", "Ngày 8/12/1999", "năm 2023"]
            await pilot.press("q")


async def test_a_name_no_longer_tagged_is_no_longer_suggested(db):
    path, doc = db
    with Store.open(path) as store:
        app = AnnotatorApp(store, annotator="alice", panes=1, documents=[doc], candidates=["suggest:propagate"])
        async with app.run_test(size=(120, 24)) as pilot:
            await _settle(app, pilot)
            pane = app.active_pane()
            assert pane.candidates == []
            pane.view.move_caret_to(TEXT.index("Lukashenko") + 2)
            await pilot.press("e")
            await _settle(app, pilot)
            assert [(c.text, c.start) for c in pane.candidates] == [("Lukashenko", TEXT.rindex("Lukashenko"))]
            await pilot.press("x")  # delete the only Lukashenko span: its suggestion goes too
            await _settle(app, pilot)
            assert pane.candidates == []
            await pilot.press("q")
        assert store.candidates(doc, "bob", ["suggest:propagate"]) == []
