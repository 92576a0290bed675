"""Correcting pre-annotations in the app: a model's spans offered as candidates, accepted, rejected,
corrected; only accepted ones become the annotator's, and a rejected one stays rejected after a restart."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import word_range
from tests.ui.ui_helpers import one_article_db
from tui.store import Store
from tui.ui.app import AnnotatorApp
from tui.ui.screens.sources import SourcesScreen

pytestmark = pytest.mark.anyio

TEXT = "Tổng thống Nga Vladimir Putin hôm 5/2 đã gặp Lukashenko tại Minsk.\nĐoạn hai."


@pytest.fixture
def model_db(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path | str, str]:
    """As after `tui import model.jsonl --annotator model-x`: the model's spans, one of them too short
    and one too long."""
    return one_article_db(request, tmp_path, TEXT, title="Putin gặp Lukashenko", language="vi", direction="ltr",
                          work={"model-x": [("entity", "Vladimir Putin"), ("date", "5/"),
                                            ("entity", "Lukashenko tại")]})


def own(store: Store, doc: str) -> list[tuple[str, str]]:
    return sorted((s.label, s.text) for s in store.spans(doc, "alice"))


async def test_correcting_a_models_spans(model_db, backend):
    path, doc = model_db
    with Store.open(path) as store:
        app = AnnotatorApp(store, annotator="alice", panes=1, documents=[doc], candidates=["model-x"])
        async with app.run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            assert [c.text for c in pane.candidates] == ["Vladimir Putin", "5/", "Lukashenko tại"]
            assert own(store, doc) == []  # candidates are not alice's
            assert sum(1 for m in pane.view.spans if m.candidate) == 3
            assert "◌ 3" in str(pane.query_one(".pane-meta").render())

            await pilot.press("semicolon", "a")  # accept Vladimir Putin
            await pilot.pause()
            assert own(store, doc) == [("entity", "Vladimir Putin")]
            await pilot.press("semicolon", "a", "right_curly_bracket")  # accept 5/ and grow it to 5/2
            await pilot.pause()
            assert ("date", "5/2") in own(store, doc)
            await pilot.press("semicolon")
            assert pane.view.caret == word_range(TEXT, "Lukashenko tại")[0]
            await pilot.press("x")  # x is for one's own spans: it says so and changes nothing
            await pilot.pause()
            assert "X rejects it" in app.main_screen().last_outcome.message
            await pilot.press("X")  # reject the too-long one
            await pilot.pause()
            await pilot.press("e")  # and tag the right range (the word under the caret)
            await pilot.pause()
            assert own(store, doc) == [("date", "5/2"), ("entity", "Lukashenko"), ("entity", "Vladimir Putin")]
            assert pane.candidates == []
            assert not any(m.candidate for m in pane.view.spans)
            await pilot.press("semicolon")
            await pilot.pause()
            assert "no candidates left" in app.main_screen().last_outcome.message
            await pilot.press("q")
        actions = [e.action for e in store.history(doc, "alice")]
        assert actions.count("accept") == 2 and actions.count("reject") == 1
        assert [s.text for s in store.spans(doc, "model-x")] == ["Vladimir Putin", "5/", "Lukashenko tại"]

    with Store.open(path) as store:  # a restart: nothing offered again, alice's spans as they were
        app = AnnotatorApp(store, annotator="alice", panes=1, documents=[doc], candidates=["model-x"])
        async with app.run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            assert pane.candidates == []
            assert sorted((m.label, TEXT[m.start:m.end]) for m in pane.view.spans) == [
                ("date", "5/2"), ("entity", "Lukashenko"), ("entity", "Vladimir Putin")]
            await pilot.press("q")
        # another annotator still gets all three
        assert len(store.candidates(doc, "bob", ["model-x"])) == 3


async def test_accept_all_and_undo_and_choosing_sources_in_the_app(model_db):
    path, doc = model_db
    with Store.open(path) as store:
        app = AnnotatorApp(store, annotator="alice", panes=1, documents=[doc])
        async with app.run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            assert pane.candidates == []
            await pilot.press("a")
            await pilot.pause()
            assert "press C" in app.main_screen().last_outcome.message
            await pilot.press("C")
            await pilot.pause()
            assert isinstance(app.screen, SourcesScreen)
            await pilot.press("space", "enter")  # tick model-x (the only other source), use it
            await pilot.pause()
            assert app.candidate_sources == ["model-x"]
            assert len(pane.candidates) == 3
            await pilot.press("A")
            await pilot.pause()
            assert len(own(store, doc)) == 3 and pane.candidates == []
            await pilot.press("u")  # one undo takes the whole batch back
            await pilot.pause()
            assert own(store, doc) == [] and len(pane.candidates) == 3
            await pilot.press("q")


async def test_panes_as_other_annotators_are_read_only(model_db):
    path, doc = model_db
    with Store.open(path) as store:
        app = AnnotatorApp(store, annotator="gold", panes=2, documents=[doc, doc], as_annotators=["model-x", "gold"])
        async with app.run_test(size=(140, 24)) as pilot:
            await pilot.pause()
            left, right = app.main_screen().panes
            assert len(left.own) == 3 and right.own == []
            assert "model-x (read-only)" in str(left.query_one(".pane-title").render())
            pilot.app.set_focus(left.view)
            await pilot.press("w", "e", "x", "u")
            await pilot.pause()
            assert "read-only" in app.main_screen().last_outcome.message
            assert len(store.spans(doc, "model-x")) == 3 and store.spans(doc, "gold") == []
            await pilot.press("tab", "w", "e")
            await pilot.pause()
            assert len(store.spans(doc, "gold")) == 1
            await pilot.press("q")
