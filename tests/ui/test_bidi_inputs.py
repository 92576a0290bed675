"""Typed Arabic and Hebrew in the search line, the picker's filter and the command palette are
shown as the articles show them: joined, in visual order (flush right in the boxed fields, by the
prompt in the search line), the caret after the last letter typed (its left end); the values stay
in typing (logical) order."""

from __future__ import annotations

import pytest

from tui.layout import LayoutOptions
from tui.ui.app import AnnotatorApp
from tui.ui.screens.picker import PickerScreen
from tui.ui.text_input import PaletteInput, TextInput, TuiCommandPalette, visual_field

pytestmark = pytest.mark.anyio

ARABIC = "اوكرانيا"
HEBREW = "שלום"


def shown(value: str) -> str:
    """What the layout engine draws for ``value`` (shaped, visual order), without its end blank."""
    return "".join(cell.text for cell in visual_field(value, LayoutOptions()).cells).strip()


def strip_text(field) -> str:
    return "".join(segment.text for segment in field.render_line(0))


async def typed_into(pilot, opener: str, text: str, screen=PickerScreen, field=TextInput):
    """`opener` (o: the picker; ctrl+p: the command palette) opens `screen`; `text` typed into its
    `field`, which is returned."""
    await pilot.press(opener)
    await pilot.pause()
    assert isinstance(pilot.app.screen, screen)
    await pilot.press(*text)
    await pilot.pause()
    return pilot.app.screen.query_one(field)


async def test_arabic_typed_into_the_picker_filter_is_joined_in_visual_order_and_flush_right(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        field = await typed_into(pilot, "o", ARABIC)
        assert field.value == ARABIC  # logical: what is searched
        line = strip_text(field)
        shown_columns = field.scrollable_content_region.width
        # flush right inside the columns shown (the first letter typed is the rightmost one shown)
        assert line[:shown_columns].endswith(shown(ARABIC))
        assert shown(ARABIC) != ARABIC[::-1] and "\ufe8e" in shown(ARABIC)  # presentation forms
        # the caret is the blank just left of the text (after the last letter, in reading order)
        field.cursor_blink = False
        cursor_style = field.get_component_rich_style("input--cursor")
        cursor = [seg for seg in field.render_line(0) if seg.style and cursor_style.bgcolor
                  and seg.style.bgcolor == cursor_style.bgcolor]
        assert [seg.text for seg in cursor] == [" "]
        assert line.index(shown(ARABIC)) == line.index(" " + shown(ARABIC)) + 1
        # the filter searches the logical value, folded: heh for teh marbuta finds "الوثيقة"
        field.value = ""
        await pilot.press(*"الوثيقه")
        await pilot.pause(0.5)
        assert app.screen.total == 1


async def test_left_and_right_move_on_screen_in_an_rtl_field(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        field = await typed_into(pilot, "o", "ابت")
        assert field.cursor_position == 3
        await pilot.press("right")  # onto the last letter typed, which is to the right of the caret
        assert field.cursor_position == 2
        await pilot.press("left")
        assert field.cursor_position == 3
        await pilot.press("home")
        assert field.cursor_position == 0  # the first letter: the rightmost cell
        await pilot.press("left")
        assert field.cursor_position == 1


async def test_latin_in_the_picker_filter_is_textuals_own_rendering(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        field = await typed_into(pilot, "o", "putin")
        assert strip_text(field).startswith("putin")


async def test_hebrew_typed_into_the_search_line_is_in_visual_order_with_the_caret_on_its_left(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *HEBREW)
        await pilot.pause()
        bar = app.screen.query_one("#search-input")
        content = bar.render()
        plain = str(content)
        assert plain.rstrip() == " " + shown(HEBREW) and shown(HEBREW) == HEBREW[::-1]  # by the prompt
        caret = [span for span in content.spans if getattr(span.style, "reverse", False)]
        assert len(caret) == 1 and plain[caret[0].start:caret[0].end] == " "
        assert caret[0].end == plain.index(shown(HEBREW))
        await pilot.press("escape")


async def test_arabic_typed_into_the_command_palette_is_joined_in_visual_order(store):
    app = AnnotatorApp(store, annotator="alice")
    async with app.run_test(size=(120, 32)) as pilot:
        field = await typed_into(pilot, "ctrl+p", ARABIC, screen=TuiCommandPalette, field=PaletteInput)
        assert field.value == ARABIC
        assert strip_text(field)[:field.scrollable_content_region.width].endswith(shown(ARABIC))
        await pilot.press("escape")


async def test_with_the_terminal_reordering_fields_send_logical_text(store):
    app = AnnotatorApp(store, annotator="alice", bidi="terminal")
    async with app.run_test(size=(120, 32)) as pilot:
        field = await typed_into(pilot, "o", ARABIC)
        assert strip_text(field).startswith(ARABIC)
