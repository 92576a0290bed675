"""The selection drawn while selecting is the span a tag stores (issue 19): word motions in a
Vietnamese and an Arabic pane, at 120x32 and 80x24, with snapping on, with `snap = "char"` and with
the one-off `!`. The drawn cells are read from what the view renders (their selection colour), not
from the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.store import Store
from tui.ui.app import AnnotatorApp

pytestmark = pytest.mark.anyio

VI_DOC, AR_DOC = "ed47271e0ba52bcd", "f9164e79d3a28c78"


def drawn_selection(view) -> tuple[int, int] | None:
    """The logical range of the cells drawn selected on screen: in the selection colour, or
    reversed where the palette marks by attribute (16 colours, NO_COLOR); the caret's cell keeps
    the selection's mark. Asserts the drawn cells have no holes."""
    palette = view._get_palette()
    colour = palette.selection_color.rich_color

    active = view._editing.anchor is not None  # without a selection the one reversed cell is the caret

    def selected(style) -> bool:
        if style is None:
            return False
        return active and bool(style.reverse) if palette.marks_by_attribute else style.bgcolor == colour

    layout = view.text_layout
    top = int(view.scroll_offset.y)
    offsets: set[int] = set()
    for y in range(view.scrollable_content_region.height):
        try:
            line = layout.line(top + y)
        except IndexError:
            break
        cells_by_x = {}
        x = line.indent
        for cell in line.cells:
            for column in range(x, x + cell.width):
                cells_by_x[column] = cell
            x += cell.width
        column = 0
        for segment in view.render_line(y):
            for _ in segment.text:
                cell = cells_by_x.get(column)
                if cell is not None and selected(segment.style):
                    offsets.update(range(cell.start, cell.end))
                column += 1
    if not offsets:
        return None
    start, end = min(offsets), max(offsets) + 1
    text = view.text
    holes = [i for i in range(start, end) if i not in offsets and text[i] != "\n"]
    assert not holes, f"the selection is drawn with holes at {holes}"
    return start, end


async def tagged_after(pilot, store: Store, doc_id: str, keys: tuple[str, ...], tag: str = "e"):
    app = pilot.app
    pane = app.active_pane()
    view = pane.view
    await pilot.press(*keys)
    await pilot.pause()
    drawn = drawn_selection(view)
    assert drawn is not None and drawn == view.selection
    before = {s.id for s in store.spans(doc_id, annotator="alice")}
    await pilot.press(tag)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    [new] = [s for s in store.spans(doc_id, annotator="alice") if s.id not in before]
    return view.text[drawn[0]:drawn[1]], new.text, (new.start, new.end) == drawn


async def open_at(pilot, doc_id: str, needle: str) -> None:
    pane = pilot.app.active_pane()
    pane.open_document(doc_id)
    await pilot.pause()
    pane.view.move_caret_to(pane.document.text.index(needle))
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 32), (80, 24)])
async def test_v_b_b_in_arabic_is_drawn_and_tagged_as_whole_words(seeded_db: Path, size):
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=size) as pilot:
            await open_at(pilot, AR_DOC, "البيلاروسي")
            drawn, tagged, same = await tagged_after(pilot, store, AR_DOC, ("v", "b", "b"))
            assert drawn == tagged == "وعد الرئيس" and same  # never "وعد الرئيس ا"


@pytest.mark.parametrize("size", [(120, 32), (80, 24)])
async def test_word_motions_in_vietnamese_and_arabic_draw_what_is_tagged(seeded_db: Path, size):
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=size) as pilot:
            await open_at(pilot, VI_DOC, "Vladimir")
            drawn, tagged, same = await tagged_after(pilot, store, VI_DOC, ("v", "w", "w"))
            assert drawn == tagged == "Vladimir Putin" and same
            await open_at(pilot, VI_DOC, "Alexander")
            drawn, tagged, same = await tagged_after(pilot, store, VI_DOC, ("ctrl+shift+right", "ctrl+shift+right"))
            assert drawn == tagged == "Alexander Lukashenko" and same
            await open_at(pilot, AR_DOC, "ألكسندر")
            # ctrl+left on an Arabic line: the next word on screen, forward in the text
            drawn, tagged, same = await tagged_after(pilot, store, AR_DOC, ("v", "ctrl+left"), "c")
            assert drawn == tagged == "ألكسندر" and same, "not one letter into لوكاشينكو"
            await open_at(pilot, AR_DOC, "ألكسندر")
            drawn, tagged, same = await tagged_after(pilot, store, AR_DOC, ("v", "ctrl+left", "ctrl+left"), "c")
            assert drawn == tagged == "ألكسندر لوكاشينكو" and same, "the comma the caret is on is left out"
            await open_at(pilot, AR_DOC, "لوكاشينكو")
            drawn, tagged, same = await tagged_after(pilot, store, AR_DOC, ("v", "w"), "d")
            assert drawn == tagged == "لوكاشينكو" and same


async def test_the_one_off_exact_key_and_snap_char_draw_the_exact_selection(seeded_db: Path, tmp_path: Path):
    with Store.open(seeded_db) as store:
        app = AnnotatorApp(store, annotator="alice")
        async with app.run_test(size=(120, 32)) as pilot:
            await open_at(pilot, AR_DOC, "البيلاروسي")
            drawn, tagged, same = await tagged_after(pilot, store, AR_DOC, ("v", "b", "b", "exclamation_mark"))
            assert drawn == tagged == "وعد الرئيس ا" and same, "! : exactly as selected"
            await open_at(pilot, AR_DOC, "البيلاروسي")
            drawn, tagged, same = await tagged_after(pilot, store, AR_DOC, ("v", "b", "b"), "c")
            assert drawn == tagged == "وعد الرئيس" and same, "the next tag snaps again"
        app = AnnotatorApp(store, annotator="alice")
        app.snap = "char"
        async with app.run_test(size=(80, 24)) as pilot:
            await open_at(pilot, VI_DOC, "Vladimir")
            drawn, tagged, same = await tagged_after(pilot, store, VI_DOC, ("v", "w", "w"))
            assert drawn == tagged == "Vladimir Putin v" and same
