"""An annotator's full day (issue 19): start-up messages, keymap safety and the editing points,
driven through Pilot as a user would meet them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import Notifications
from tests.ui.ui_helpers import picker_settled, status_line
from tui.store import Store
from tui.ui.app import AnnotatorApp
from tui.ui.config import load_config

pytestmark = pytest.mark.anyio


async def test_a_keymap_that_takes_quit_is_reported_at_start_and_q_still_quits(seeded_db: Path, tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\ntag_entity = "q"\nno_such_action = "z"\n', encoding="utf-8")
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice", keymap=load_config(config).keymap)
        async with app.run_test(size=(120, 32)) as pilot:
            await pilot.pause()
            line = status_line(app)
            assert "keymap: unknown binding id 'no_such_action' ignored" in line
            assert "quit keeps q" in line
            await pilot.press("q")
            await pilot.pause()
        assert not app.is_running


async def test_the_first_run_import_is_announced_in_the_app(seeded_db: Path):
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice")
        app.start_notices = ["Imported the sample corpus into annotations.db: 5 files: 5 new documents."]
        notes = Notifications()
        async with app.run_test(size=(80, 24), message_hook=notes) as pilot:
            await pilot.pause()
            assert "Imported the sample corpus" in status_line(app)
            assert any("Imported the sample corpus" in message for message in notes.messages())


@pytest.mark.parametrize("size", [(80, 24), (120, 32)])
async def test_the_first_run_notice_hides_no_text_of_either_pane(seeded_db: Path, size):
    from tui.ui.document_view import DocumentView

    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice")
        app.start_notices = ["Imported the sample corpus: 5 articles into annotations.db."]
        async with app.run_test(size=size, notifications=True) as pilot:
            await pilot.pause()
            toasts = list(app.screen.query("Toast"))
            assert toasts, "the notice is shown"
            for pane in app.main_screen().panes:
                if not pane.display:
                    continue
                text_region = pane.query_one(DocumentView).region
                for toast in toasts:
                    assert not toast.region.overlaps(text_region), (toast.region, text_region)
            await pilot.press("tab")  # at 80x24 the Arabic pane shows instead: nothing over it either
            await pilot.pause()
            view = app.active_pane().view
            for toast in app.screen.query("Toast"):
                assert not toast.region.overlaps(view.region)


def test_the_first_run_notice_is_short_enough_for_the_status_line_at_80_columns(tmp_path: Path):
    from tui.formats.importer import ImportSummary
    from tui.launch import first_run_notice

    summary = ImportSummary()
    summary.files, summary.documents_added = 5, 5
    notice = first_run_notice(tmp_path / "team" / "annotations.db", summary)
    assert notice == "Imported the sample corpus: 5 articles into annotations.db."
    assert len(notice) <= 60  # the status line's room after "alice │ 0/5 done │ " at 80 columns


def own(store: Store, doc_id: str) -> list[tuple[str, str]]:
    return sorted((s.label, s.text) for s in store.spans(doc_id, annotator="alice"))


async def test_after_tagging_a_selection_the_caret_is_in_the_span_and_resize_acts_on_it(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        pane = app.active_pane()
        text, doc_id = pane.document.text, pane.document.id
        first = text.split()[0]
        await pilot.press("v", "w", "e")  # the vim selection ends on the next word's first letter
        await pilot.pause()
        assert own(store, doc_id) == [("entity", first)]  # snapped: the whole first word, no space
        [span] = store.spans(doc_id, annotator="alice")
        assert span.start <= pane.view.caret < span.end
        await pilot.press("right_curly_bracket")  # acts on the new span straight away
        await pilot.pause()
        [span] = store.spans(doc_id, annotator="alice")
        assert span.text == text[span.start:span.end] and not span.text[-1].isspace()
        assert "◂”" in status_line(app)  # the moving edge is marked


async def test_with_two_spans_on_a_word_x_deletes_the_one_just_added(store):
    doc_id = store.list_documents()[0].id
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        pane = app.active_pane()
        await pilot.press("d")  # a date on the first word
        await pilot.press("e")  # then an entity on the same word
        await pilot.pause()
        assert [label for label, _ in own(store, doc_id)] == ["date", "entity"]
        assert "▸entity◂" in status_line(app)
        await pilot.press("x")
        await pilot.pause()
        assert [label for label, _ in own(store, doc_id)] == ["date"]
        await pilot.press("e", "full_stop")  # . makes the other one current
        await pilot.pause()
        assert "▸date◂" in status_line(app)
        await pilot.press("x")
        await pilot.pause()
        assert [label for label, _ in own(store, doc_id)] == ["entity"]
        assert pane.document.id == doc_id


async def test_undo_moves_the_caret_to_the_change_and_says_what_was_undone(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        pane = app.active_pane()
        text = pane.document.text
        await pilot.press("w", "w", "e")
        await pilot.pause()
        [span] = store.spans(pane.document.id, annotator="alice")
        await pilot.press("g")
        await pilot.press("u")
        await pilot.pause()
        assert pane.view.caret == span.start
        line = status_line(app)
        assert "undone: removed the entity you added" in line and text[span.start:span.end] in line
        await pilot.press("g", "U")
        await pilot.pause()
        assert pane.view.caret == span.start and "redone: added the entity again" in status_line(app)


async def test_opening_another_article_clears_the_old_articles_message(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert "saved" in status_line(app)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert "saved" not in status_line(app) and "entity" not in status_line(app)


async def test_end_then_e_tags_the_last_word(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        pane = app.active_pane()
        text, doc_id = pane.document.text, pane.document.id
        await pilot.press("end", "e")
        await pilot.pause()
        [(label, tagged)] = own(store, doc_id)
        line = pane.view.text_layout.line(0)  # the first line on screen (wrapped)
        assert text[line.start:line.end].rstrip().endswith(tagged) and tagged


async def test_the_status_message_keeps_its_closing_quote_at_80_columns(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v", "j", "j", "c")  # a long claim
        await pilot.pause()
        line = status_line(app)
        assert "saved" in line and line.rstrip().endswith("”") and len(line) <= 80


async def test_at_80_columns_resize_and_undo_messages_keep_the_moving_edge_and_the_quote(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        pane = app.active_pane()
        text = pane.document.text
        pane.view.move_caret_to(text.index("Vladimir"))
        await pilot.press("e", "right_parenthesis", "right_parenthesis")  # "Vladimir Putin và"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        line = status_line(app).rstrip()
        assert line.endswith("◂”") and len(line) <= 80, line  # the end that moved, then the quote
        assert "và◂" in line
        await pilot.press("x", "u")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        line = status_line(app).rstrip()
        assert "undone" in line and "“Vladimir" in line and line.endswith("”") and len(line) <= 80, line


@pytest.mark.parametrize("width", [40, 30])
async def test_at_40_columns_the_meta_line_keeps_in_progress_whole(store, width):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(width, 20)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        meta = app.active_pane().query_one(".pane-meta")
        rendered = meta.render()
        assert len(str(rendered)) <= meta.size.width, str(rendered)
        assert str(rendered).rstrip().endswith("in progress"), str(rendered)
        assert "1" in str(rendered)  # the count of the entity just tagged is still there


async def test_keys_work_after_a_restart_at_80x24_with_the_second_pane_active(seeded_db: Path):
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=(120, 32)) as pilot:
            await pilot.press("tab")
            await pilot.pause()
            second = app.active_pane().document.id
            await pilot.press("q")
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            assert pane.index == 1 and pane.document.id == second and pane.display
            assert app.focused is pane.view
            caret = pane.view.caret
            await pilot.press("j")
            await pilot.pause()
            assert pane.view.caret != caret
            await pilot.press("e")
            await pilot.pause()
            assert store.spans(second, annotator="alice")


async def test_the_label_legend_uses_the_very_styles_the_spans_use(store):
    from rich.color import ColorSystem

    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        pane = app.active_pane()
        for system in (None, ColorSystem.STANDARD):  # truecolor, then 16 colours
            if system is not None:
                app.console._color_system = system
                pane.view._palette = None
                pane.refresh_title()
                await pilot.pause()
            meta = pane._meta_line(pane.document, 120)  # the Rich text the meta line shows
            for label in ("entity", "claim", "date"):
                start = meta.plain.index(f"{label} 0")
                styles = [span.style for span in meta.spans if span.start == start]
                assert styles == [pane.view.label_style(label)], (label, styles)
        claim = pane.view.label_style("claim")
        assert claim.bgcolor is not None and claim.underline  # a tint behind the text, as in the text


async def test_status_words_are_the_same_everywhere(store):
    app = AnnotatorApp(store, annotator="alice")
    app.after_done = "never"
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("m", "m")  # done, then back to in progress
        await pilot.pause()
        line = status_line(app)
        assert "marked in progress" in line and "in_progress" not in line


async def test_the_picker_says_to_do_as_the_pane_does_and_its_heading_fits_80_columns(store):
    from textual.widgets import Label

    from tui.ui.screens.picker import PickerScreen

    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        await picker_settled(pilot)
        screen = app.screen
        assert isinstance(screen, PickerScreen)
        heading = screen.query(Label).first()
        assert len(str(heading.render())) <= heading.parent.content_region.width, "the heading is cut"
        rows = [str(cell) for row in screen.query_one("DataTable").get_row_at(0) for cell in [row]]
        shown = " ".join(rows)
        assert "to do" in shown or "in progress" in shown, shown
        assert "todo" not in shown, shown


async def test_m_offers_the_next_article_to_do_and_progress_shows_on_the_main_screen(store, backend):
    from tui.ui.panes import PaneTitle
    from tui.ui.screens.confirm import ConfirmScreen

    app = AnnotatorApp(store, annotator="alice", panes=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.active_pane()
        first = pane.document.id
        assert "0/5 done" in str(pane.query_one(PaneTitle).render())
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert pane.document.id == store.next_todo("alice", first) != first
        assert "1/5 done" in str(pane.query_one(PaneTitle).render()) and "1/5 done" in status_line(app)
        await pilot.press("m", "n")  # asked again; no: stay
        await pilot.pause()
        second = pane.document.id
        assert not isinstance(app.screen, ConfirmScreen) and store.status(second, "alice") == "done"
    app = AnnotatorApp(store, annotator="bob", panes=1)
    app.after_done = "always"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.active_pane()
        before = pane.document.id
        await pilot.press("m")
        await pilot.pause()
        assert pane.document.id != before and not isinstance(app.screen, ConfirmScreen)


async def test_the_picker_filters_and_searches_article_text(store, backend):
    from tui.ui.screens.picker import PickerScreen

    app = AnnotatorApp(store, annotator="alice", panes=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m", "n")  # the first article is done
        await pilot.press("o")
        await picker_settled(pilot)
        picker = app.screen
        assert isinstance(picker, PickerScreen) and picker.total == 5
        await pilot.press(*"Aleinik")  # a name only in one article's text, in no title
        await picker_settled(pilot)
        assert picker.total == 1
        await pilot.press(*([ "backspace"] * 7), *"status:done")
        await picker_settled(pilot)
        assert picker.total == 1
        await pilot.press(*([ "backspace"] * 11), *"lang:ar no:spans")
        await picker_settled(pilot)
        assert picker.total == 2
        await pilot.press("enter")
        await pilot.pause()
        assert app.active_pane().document.language == "ar"


async def test_the_span_list_lists_spans_in_text_order_filters_and_jumps(store):
    from tui.ui.screens.span_list import ListOverlay

    doc_id = store.list_documents()[0].id
    text = store.get_document(doc_id).text
    late = text.index("Putin") if "Putin" in text else len(text) // 2
    store.add_span(doc_id, "alice", "entity", late, late + 5)
    store.add_span(doc_id, "alice", "date", 0, 3)
    store.add_span(doc_id, "alice", "claim", 4, 20)
    app = AnnotatorApp(store, annotator="alice", panes=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("number_sign")
        await pilot.pause()
        overlay = app.screen
        assert isinstance(overlay, ListOverlay)
        assert [row.key.label for row in overlay.shown] == ["date", "claim", "entity"]  # text order
        await pilot.press(*"entity")
        await pilot.pause()
        assert [row.key.label for row in overlay.shown] == ["entity"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.active_pane().view.caret == late and "▸entity◂" in status_line(app)


async def test_label_guidelines_show_in_the_help_and_the_legend(store):
    from tui.ui.screens.help import HelpScreen, labels_table
    from tui.ui.screens.span_list import ListOverlay

    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        import io

        from rich.console import Console

        console = Console(width=120, file=io.StringIO(), color_system=None)
        console.print(labels_table(app.screen.labels))
        shown = console.file.getvalue()
        assert "A statement presented as fact that could be checked." in shown
        await pilot.press("escape", "i")
        await pilot.pause()
        assert isinstance(app.screen, ListOverlay)
        descriptions = [str(row.cells[3]) for row in app.screen.shown]
        assert "A named person, organisation, place or thing." in descriptions
        assert app.screen.shown[1].cells[1].style == app.active_pane().view.label_style("claim")


async def test_a_held_resize_key_is_one_undo_step(store, backend):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        pane = app.active_pane()
        doc_id = pane.document.id
        await pilot.press("e")
        await pilot.pause()
        [span] = store.spans(doc_id, annotator="alice")
        pane.session.BURST_SECONDS = 3600.0  # however slow this machine is, these presses are one burst
        await pilot.press(*["right_curly_bracket"] * 6)  # a held key: one burst
        await pilot.pause()
        [grown] = store.spans(doc_id, annotator="alice")
        assert grown.end > span.end
        await pilot.press("u")
        await pilot.pause()
        [back] = store.spans(doc_id, annotator="alice")
        assert (back.start, back.end) == (span.start, span.end)  # the whole burst, in one undo
        await pilot.press("U")
        await pilot.pause()
        [again] = store.spans(doc_id, annotator="alice")
        assert (again.start, again.end) == (grown.start, grown.end)
        pane.session.BURST_SECONDS = 0.0  # presses far apart: one step each
        await pilot.press("right_curly_bracket", "right_curly_bracket", "u")
        await pilot.pause()
        [one] = store.spans(doc_id, annotator="alice")
        assert one.end > grown.end
