"""An annotator's day with `/` (issue 19): a search in visual mode selects the whole match, the
search ranks whole words first and counts its matches, and the key bar keeps n/N in view."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.ui.ui_helpers import search, status_line
from tui.ui.app import AnnotatorApp
from tui.ui.panes import find_all
from tui.ui.search_rank import ranked_matches

pytestmark = pytest.mark.anyio


def own(store, doc_id: str):
    return store.spans(doc_id, annotator="alice")


async def test_v_then_search_takes_the_whole_match_into_the_claim(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        pane = app.active_pane()
        text, doc_id = pane.document.text, pane.document.id
        first = text.index("2024")
        await pilot.press("v")
        await search(pilot, "2024")
        selection = pane.view.selection
        assert selection is not None and selection[0] == 0 and selection[1] >= first + 4
        await pilot.press("c")
        await pilot.pause()
        [span] = own(store, doc_id)
        assert span.start == 0 and span.end >= first + 4  # "2024" is in the claim
        assert span.text == text[span.start:span.end] and not span.text[-1].isspace()


async def test_n_in_visual_mode_extends_the_selection_over_the_next_match(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        pane = app.active_pane()
        text, doc_id = pane.document.text, pane.document.id
        second = text.index("Putin", text.index("Putin") + 1)
        await pilot.press("v")
        await search(pilot, "Putin")
        await pilot.press("n", "c")
        await pilot.pause()
        [span] = own(store, doc_id)
        assert span.start == 0 and span.end >= second + len("Putin")


async def test_search_eu_finds_the_word_eu_first_and_the_status_line_counts_matches(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        pane = app.active_pane()
        text = pane.document.text
        assert text.index("điều") < text.index("EU")  # the folded substring search found "điều" first
        await search(pilot, "EU")
        assert text[pane.view.caret:pane.view.caret + 2] == "EU"
        assert [text[s:e] for s, e in pane.matches] == ["EU"]
        line = status_line(app)
        assert "/match 1/1 (whole word, exact" in line and "with parts of words" in line
        # a folded whole word still finds the word as written
        await pilot.press("escape")
        await search(pilot, "dieu")
        assert {text[s:e].lower() for s, e in pane.matches} == {"điều"}
        assert "(whole word;" in status_line(app) or "(whole word)" in status_line(app)


def test_ranked_matches_prefer_exact_whole_words_then_folded_words_then_parts():
    text = "Điều EU nói: điều kiện, eu, đều"
    assert [text[s:e] for s, e in ranked_matches(text, "EU").matches] == ["EU"]
    assert [text[s:e] for s, e in ranked_matches(text, "eu").matches] == ["eu"]
    assert [text[s:e] for s, e in ranked_matches(text, "dieu").matches] == ["Điều", "điều"]
    assert [text[s:e] for s, e in ranked_matches(text, "ieu").matches] == ["iều", "iều"]
    arabic = "قال بوتين إن البوتينية"
    assert [arabic[s:e] for s, e in ranked_matches(arabic, "بوتين").matches] == ["بوتين"]
    assert ranked_matches(text, "zz").matches == []


@given(st.text(alphabet="aAeEđĐiều ,.", max_size=30), st.text(alphabet="aAeEđĐiều", min_size=1, max_size=3))
def test_ranked_matches_are_folded_matches_with_exact_offsets(text, query):
    result = ranked_matches(text, query)
    every = find_all(text, query)
    assert set(result.matches) <= set(every) and result.total == len(every)
    assert bool(result.matches) == bool(every)


@pytest.mark.parametrize("size", [(80, 24), (120, 32)])
async def test_while_a_search_is_shown_the_key_bar_shows_n_and_N_and_keeps_help_and_quit(store, size):
    from tui.ui.keybar import KeyBar

    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=size) as pilot:
        await search(pilot, "Putin")
        await pilot.pause()
        text = app.screen.query_one(KeyBar).render().plain
        assert "n N match" in text, text
        assert "? help" in text and "q quit" in text, text
        await pilot.press("escape")  # the highlights go: n jumps between spans again
        await pilot.pause()
        text = app.screen.query_one(KeyBar).render().plain
        assert "n next" in text and "match" not in text, text


@pytest.mark.parametrize("color_system", ["truecolor", "256", "standard", "windows", None])
@pytest.mark.parametrize("spans", [(), (("claim", False),), (("entity", False), ("date", False))])
def test_a_selection_over_a_search_match_looks_like_the_selection(color_system, spans):
    from tui.ui.span_styles import Palette, default_label_styles

    palette = Palette(default_label_styles(), color_system)
    selected = palette.cell_style(spans, True, "", True, False)
    both = palette.cell_style(spans, True, "", True, True)
    match = palette.cell_style(spans, False, "", False, True)
    # the match keeps its overline; colours and reverse are the selection's alone
    assert both.overline and both.bgcolor == selected.bgcolor and both.reverse == selected.reverse
    assert both.color == selected.color
    assert both != match


@pytest.mark.parametrize("size", [(80, 24), (120, 32)])
async def test_a_routine_toast_is_short_lived_warnings_stay_longer_and_help_and_quit_stay_visible(
        seeded_db, tmp_path, size):
    from tests.support import Notifications
    from tui.store import Store
    from tui.ui.config import load_config
    from tui.ui.keybar import KeyBar

    config = tmp_path / "config.toml"
    config.write_text('[keymap]\nno_such_action = "z"\n', encoding="utf-8")
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice", keymap=load_config(config).keymap)
        app.start_notices = ["Imported the sample corpus: 5 articles into annotations.db."]
        notes = Notifications()
        async with app.run_test(size=size, notifications=True, message_hook=notes) as pilot:
            await pilot.pause()
            timeouts = {str(item.message)[:8]: (item.severity, item.timeout) for item in notes.items}
            assert timeouts["Imported"] == ("information", 4.5)
            [(severity, timeout)] = [v for k, v in timeouts.items() if k.startswith("keymap")]
            assert severity == "warning" and timeout >= 10
            bar = app.screen.query_one(KeyBar)
            bar.render()
            toasts = list(app.screen.query("Toast"))
            assert toasts
            for region in bar._regions:
                if region.item.binding_id in ("help", "quit"):
                    cells = bar.region.x + region.start, bar.region.x + region.end
                    for toast in toasts:
                        covered = toast.region.y <= bar.region.y < toast.region.bottom and (
                            toast.region.x < cells[1] and cells[0] < toast.region.right)
                        assert not covered, (region.item.display, toast.region)
            assert {r.item.binding_id for r in bar._regions} >= {"help", "quit"}
