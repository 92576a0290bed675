"""Every paragraph in its own direction (UAX #9 P2-P3 per paragraph, as browsers do with dir=auto),
whatever the article's direction; the reader can override one paragraph or the whole article for
display (D, ctrl+d), and the setting is remembered in the database across restarts."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from tui.store import Store
from tui.ui.app import AnnotatorApp
from tui.ui.panes import ArticlePane

pytestmark = pytest.mark.anyio

WIDTH = 100

PERSIAN = ("اپل گوشی جدید خود را معرفی کرد\n"
           "iPhone 16 با تراشه جدید اپل عرضه شد.\n"
           "این گوشی از هفته آینده در بازار است.")
HEBREW = ("הכנס נפתח אתמול\n"
          "The conference in Tel Aviv (תל אביב) was opened by the mayor.\n"
          "ראש העיר דיבר על העתיד.")
BBC = ("BBC News عربي: قمة في موسكو\n"
       "قال الرئيس إن المحادثات كانت مثمرة.")


def _store(path: Path, text: str, direction: str, language: str) -> str:
    with Store.open(path) as store:
        doc_id, _ = store.add_document(text, title=text.split("\n")[0], language=language, direction=direction)
    return doc_id


def _pane(app: AnnotatorApp) -> ArticlePane:
    return app.screen.query(ArticlePane).first()


def _lines_of_paragraph(pane: ArticlePane, paragraph: int):
    layout = pane.view.text_layout
    assert layout is not None
    start = pane.document.text.split("\n")
    offset = sum(len(p) + 1 for p in start[:paragraph])
    y = layout.position_of(offset)[0]
    lines = []
    while y < layout.line_count and layout.line(y).paragraph == paragraph:
        lines.append(layout.line(y))
        y += 1
    return lines


def _shown(line) -> str:
    return "".join(cell.text for cell in line.cells).strip()


@asynccontextmanager
async def opened(path: Path):
    """The database at `path` in the app (one pane, WIDTH x 30), drawn: (store, app, pilot, the pane)."""
    with Store.open(path) as store:
        app = AnnotatorApp(store, annotator="alice", panes=1)
        async with app.run_test(size=(WIDTH, 30)) as pilot:
            await pilot.pause()
            yield store, app, pilot, _pane(app)


@pytest.mark.parametrize("text,language", [(PERSIAN, "fa"), (HEBREW, "he")])
async def test_a_latin_led_paragraph_in_an_rtl_article_is_ltr_and_flush_left(tmp_path: Path, text, language):
    path = tmp_path / "a.db"
    _store(path, text, "rtl", language)
    async with opened(path) as (store, app, pilot, pane):
        assert pane.document.direction == "rtl"  # what the title bar and picker still say
        assert " rtl" in str(pane.query_one(".pane-meta").render())
        (first,) = _lines_of_paragraph(pane, 0)
        assert first.rtl and first.width == pane.view.text_layout.width  # flush right
        for line in _lines_of_paragraph(pane, 1):
            assert not line.rtl and line.indent == 0  # flush left
        assert _shown(_lines_of_paragraph(pane, 1)[0]).startswith(("iPhone 16", "The conference in Tel Aviv"))


async def test_an_english_paragraph_in_a_hebrew_article_reads_left_to_right(tmp_path: Path):
    path = tmp_path / "a.db"
    _store(path, HEBREW, "rtl", "he")
    async with opened(path) as (store, app, pilot, pane):
        (line,) = _lines_of_paragraph(_pane(app), 1)
        # the Hebrew inside is right to left (reversed code points), the sentence left to right
        assert _shown(line) == "The conference in Tel Aviv (ביבא לת) was opened by the mayor."


async def test_an_arabic_paragraph_in_an_article_whose_title_starts_in_latin_is_rtl_and_flush_right(tmp_path: Path):
    path = tmp_path / "a.db"
    _store(path, BBC, "ltr", "ar")  # first strong character of the text is the B of BBC
    async with opened(path) as (store, app, pilot, pane):
        (title_line,) = _lines_of_paragraph(pane, 0)
        assert not title_line.rtl and title_line.indent == 0
        (line,) = _lines_of_paragraph(pane, 1)
        assert line.rtl and line.indent > 0 and line.width == pane.view.text_layout.width
        assert _shown(line).startswith(".")  # the final period on the left end, where RTL ends


async def test_the_override_key_turns_a_paragraph_rtl_and_survives_a_restart(tmp_path: Path):
    path = tmp_path / "a.db"
    text_offset = len(PERSIAN.split("\n")[0]) + 1 + 3  # inside "iPhone"
    _store(path, PERSIAN, "rtl", "fa")
    async with opened(path) as (store, app, pilot, pane):
        pane.view.move_caret_to(text_offset)
        await pilot.press("D")
        await pilot.pause()
        (line,) = _lines_of_paragraph(pane, 1)
        assert line.rtl and line.width == pane.view.text_layout.width
        assert _shown(line).startswith(".")  # "... iPhone 16" read from the right
        assert pane.view.caret == text_offset  # the caret stays on its character
        meta = str(pane.query_one(".pane-meta").render())
        assert "¶2 rtl" in meta
        assert pane.document.text == PERSIAN  # display only

    async with opened(path) as (store, app, pilot, pane):
        (line,) = _lines_of_paragraph(pane, 1)
        assert line.rtl
        assert _lines_of_paragraph(pane, 2)[0].rtl  # the others untouched (auto: rtl by their text)
        pane.view.move_caret_to(text_offset)
        await pilot.press("D")  # rtl -> ltr
        await pilot.pause()
        assert not _lines_of_paragraph(pane, 1)[0].rtl
        await pilot.press("D")  # ltr -> auto: P2-P3 again
        await pilot.pause()
        assert not _lines_of_paragraph(pane, 1)[0].rtl
        assert store.view_directions(pane.document.id).paragraphs == {}


async def test_the_article_direction_key_cycles_every_paragraph_without_an_override(tmp_path: Path):
    path = tmp_path / "a.db"
    _store(path, BBC, "ltr", "ar")
    async with opened(path) as (store, app, pilot, pane):
        await pilot.press("ctrl+d")  # auto -> rtl
        await pilot.pause()
        assert all(line.rtl for p in (0, 1) for line in _lines_of_paragraph(pane, p))
        assert "shown rtl" in str(pane.query_one(".pane-meta").render())
        await pilot.press("ctrl+d")  # rtl -> ltr
        await pilot.pause()
        assert not any(line.rtl for p in (0, 1) for line in _lines_of_paragraph(pane, p))
        await pilot.press("ctrl+d")  # ltr -> auto
        await pilot.pause()
        assert [_lines_of_paragraph(pane, p)[0].rtl for p in (0, 1)] == [False, True]
        assert "shown" not in str(pane.query_one(".pane-meta").render())
        assert [e.action for e in store.history(pane.document.id)] == ["view"] * 3
