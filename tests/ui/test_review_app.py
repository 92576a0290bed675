"""Adjudication: a review session over a 3-annotator article gives the expected gold, and
`tui export --annotator gold` writes it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tui.cli import main
from tests.support import word_range
from tests.ui.ui_helpers import REVIEW_TEXT, gold_of
from tui.store import Store
from tui.ui.app import AnnotatorApp
from tui.ui.screens.review import ReviewScreen

pytestmark = pytest.mark.anyio

TEXT = REVIEW_TEXT


async def test_review_session_resolves_every_disputed_span(team_db):
    path, doc = team_db
    with Store.open(path) as store:
        app = AnnotatorApp(store, annotator="lead", panes=1, documents=[doc])
        async with app.run_test(size=(150, 30)) as pilot:
            await pilot.pause()
            await pilot.press("R")  # review the article in the pane
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            states = {(r.label, TEXT[r.start:r.end]): (r.state, r.describe()) for r in screen.rows}
            assert states[("entity", "Alpha")] == ("unanimous", "entity  alice✓ bob✓ carol✓  100%")
            assert states[("entity", "Gamma Delta")] == ("disputed", "entity  alice✓ bob✗ carol✓  67%")
            assert states[("entity", "Gamma")][0] == "disputed"
            assert states[("claim", "Zeta")][0] == "single"
            assert len(screen.open_rows()) == 4

            await pilot.press("equals_sign")  # accept every unanimous span
            await pilot.pause()
            assert gold_of(store, doc) == [("date", "Theta"), ("entity", "Alpha")]
            pane = screen.pane
            await pilot.press("semicolon")  # next to decide: Gamma Delta / Gamma (same start)
            assert pane.view.caret == word_range(TEXT, "Gamma")[0]
            await pilot.press("X")  # the innermost candidate there is bob's Gamma: reject it
            await pilot.pause()
            await pilot.press("a")  # then Gamma Delta (alice, carol) into gold
            await pilot.pause()
            await pilot.press("semicolon", "X")  # alice's lone claim: rejected
            await pilot.pause()
            await pilot.press("semicolon", "a")  # carol's lone Eta: she was right
            await pilot.pause()
            assert screen.open_rows() == []
            await pilot.press("semicolon")
            await pilot.pause()
            assert "nothing left to decide" in screen.last_outcome.message
            await pilot.press("M")  # adjudicated
            await pilot.pause()
            assert store.status(doc, "gold") == "done"
            assert "adjudicated" in str(screen.query_one("#review-title").render())
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ReviewScreen)
            await pilot.press("q")
        assert gold_of(store, doc) == [("date", "Theta"), ("entity", "Alpha"), ("entity", "Eta"),
                                       ("entity", "Gamma Delta")]
        assert sorted(s.text for s in store.spans(doc, "bob")) == ["Alpha", "Gamma", "Theta"]  # untouched

    out = path.parent / "gold.jsonl"
    result = CliRunner().invoke(main, ["--db", str(path), "export", "--annotator", "gold", "-o", str(out)])
    assert result.exit_code == 0, result.output
    [line] = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert record["_annotator_id"] == "gold" and record["answer"] == "accept"
    assert [(s["label"], s["text"]) for s in record["spans"]] == [
        ("entity", "Alpha"), ("entity", "Gamma Delta"), ("entity", "Eta"), ("date", "Theta")]


async def test_take_all_of_one_annotator_edit_and_undo_in_review(team_db):
    path, doc = team_db
    with Store.open(path) as store:
        app = AnnotatorApp(store, annotator="lead", panes=1, documents=[doc])
        app.review = (doc, ["alice", "bob", "carol"])
        async with app.run_test(size=(150, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            await pilot.press("T")
            await pilot.pause()
            await pilot.press("down", "space", "enter")  # tick bob: take all of his spans
            await pilot.pause()
            assert gold_of(store, doc) == [("date", "Theta"), ("entity", "Alpha"), ("entity", "Gamma")]
            screen.pane.view.move_caret_to(word_range(TEXT, "Gamma")[0])
            await pilot.press("right_curly_bracket")  # gold's spans edit like any span: grow the end
            await pilot.pause()
            grown = gold_of(store, doc)
            assert ("entity", "Gamma") not in grown and len(grown) == 3
            assert any(label == "entity" and text.startswith("Gamma D") for label, text in grown)
            await pilot.press("u", "u")  # the resize, then the whole take
            await pilot.pause()
            assert gold_of(store, doc) == []
            await pilot.press("q")


async def test_review_follows_changes_made_elsewhere(team_db, backend):
    path, doc = team_db
    with Store.open(path) as store:
        app = AnnotatorApp(store, annotator="lead", panes=1, documents=[doc])
        app.review = (doc, [])
        async with app.run_test(size=(150, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            before = {(r.label, TEXT[r.start:r.end]): r.state for r in screen.rows}
            assert before[("entity", "Eta")] == "single"
            with Store.open(path) as other:  # bob, in another process, agrees with carol after all
                other.add_span(doc, "bob", "entity", *word_range(TEXT, "Eta"))
            screen._poll()  # what the 2-second poll does
            await pilot.pause()
            after = {(r.label, TEXT[r.start:r.end]): r for r in screen.rows}
            assert after[("entity", "Eta")].state == "majority"
            assert after[("entity", "Eta")].voters == ("bob", "carol")
            await pilot.press("q")
