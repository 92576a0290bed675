"""DocumentView behaviour a user would notice: visual caret, selection, spans, safety, resize, mouse."""

from __future__ import annotations

import re
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from rich.color import Color as RichColor
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.color import Color
from textual.filter import NoColor

from tui.layout import LayoutOptions
from tui.ui.document_view import DocumentView, SpanMark
from tui.ui.span_styles import Palette, default_label_styles, label_styles_from_labels

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ARABIC_MIXED = "وقع الرئيس بوتين 2024 على معاهدة NATO Treaty في مينسك اليوم"
pytestmark = pytest.mark.anyio


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f]")


class Host(App):
    """A tiny app hosting one DocumentView; records every CaretMoved message."""

    def __init__(self, text: str, spans=(), caret: int = 0, options: LayoutOptions = LayoutOptions()):
        super().__init__()
        self.text, self.spans, self.start_caret, self.options = text, spans, caret, options
        self.moves: list[DocumentView.CaretMoved] = []

    def compose(self) -> ComposeResult:
        yield DocumentView(options=self.options)

    def on_mount(self) -> None:
        view = self.query_one(DocumentView)
        view.load(self.text, self.spans, caret=self.start_caret)
        view.focus()

    def on_document_view_caret_moved(self, message: DocumentView.CaretMoved) -> None:
        self.moves.append(message)


@asynccontextmanager
async def hosted(text: str, *, size: tuple[int, int], **host: object):
    """`Host(text, **host)` running at `size`: (app, pilot, its DocumentView)."""
    app = Host(text, **host)
    async with app.run_test(size=size) as pilot:
        yield app, pilot, app.query_one(DocumentView)


def screen_row(view: DocumentView, y: int) -> list[Segment]:
    """Segments the view paints on screen row ``y`` (relative to the viewport)."""
    return list(view.render_line(y))


def cells_with_styles(view: DocumentView, y: int) -> list[tuple[str, object]]:
    """(character, style) per drawn character of a screen row."""
    out = []
    for segment in screen_row(view, y):
        for char in segment.text:
            out.append((char, segment.style))
    return out


def caret_screen(view: DocumentView) -> tuple[int, int]:
    return view.text_layout.position_of(view.caret)


# ---------------------------------------------------------------- caret and selection


async def test_left_on_arabic_line_moves_forward_in_the_text():
    async with hosted(ARABIC_MIXED, size=(80, 6)) as (app, pilot, view):
        assert view.caret == 0
        y0, x0 = caret_screen(view)
        await pilot.press("left")
        assert view.caret > 0, "Left on an RTL line moves logically forward"
        assert caret_screen(view)[1] < x0, "...and leftwards on screen"
        await pilot.press("right")
        assert view.caret == 0


async def test_left_on_latin_line_moves_backward():
    async with hosted("Hanoi hosts the summit", caret=5, size=(80, 6)) as (app, pilot, view):
        await pilot.press("left")
        assert view.caret == 4
        await pilot.press("right", "right")
        assert view.caret == 6


async def test_left_walks_every_cell_of_a_mixed_rtl_line_once():
    async with hosted(ARABIC_MIXED, size=(80, 6)) as (app, pilot, view):
        line = view.text_layout.line(0)
        columns = [caret_screen(view)[1]]
        await pilot.press("left")  # the key, then the same action directly (fast)
        columns.append(caret_screen(view)[1])
        for _ in range(len(line.cells) - 1):
            view.action_move("left")
            columns.append(caret_screen(view)[1])
        visited = columns[:-1]
        assert visited == sorted(visited, reverse=True), "caret moves strictly leftwards on screen"
        assert len(set(visited)) == len(visited)


async def test_shift_selection_across_arabic_digits_and_latin_gives_the_logical_range():
    start = ARABIC_MIXED.index("الرئيس")
    stop = ARABIC_MIXED.index("في")
    async with hosted(ARABIC_MIXED, caret=start, size=(80, 6)) as (app, pilot, view):
        await pilot.press("shift+left")
        for _ in range(200):
            if view.caret == stop:
                break
            view.action_move("left", True)  # what shift+left runs, without Pilot's idle waits
        await pilot.pause()
        assert view.caret == stop, "shift+Left reaches every character of the RTL line"
        selection = view.selection
        assert selection is not None
        assert ARABIC_MIXED[selection[0] : selection[1]] == "الرئيس بوتين 2024 على معاهدة NATO Treaty "
        assert app.moves[-1].selection == selection
        # The selection is drawn on exactly the cells of that logical range, in as many runs as it takes.
        line = view.text_layout.line(0)
        palette_selected = {
            cell.start for cell in line.cells if cell.start < selection[1] and cell.end > selection[0]
        }
        assert palette_selected == {
            cell.start for cell in line.cells if selection[0] <= cell.start < selection[1]
        }


async def test_visual_mode_extends_with_plain_movement_and_escape_clears():
    text = "Hanoi hosts the summit"
    async with hosted(text, size=(80, 6)) as (app, pilot, view):
        await pilot.press("v")
        assert view.visual_mode and view.selection == (0, 1)  # as in vim: the character under the caret
        await pilot.press("l", "l", "l", "l")
        assert view.selection == (0, 5) and text[0:5] == "Hanoi"  # inclusive of the caret's character
        assert view.target_range() == (0, 5)
        await pilot.press("h", "h", "h", "h", "h")  # back past the anchor: the anchor's character stays in
        assert view.selection == (0, 1)
        await pilot.press("escape")
        assert view.selection is None and not view.visual_mode
        await pilot.press("shift+right", "shift+right")  # shift+movement: between anchor and caret
        assert view.selection == (0, 2)


async def test_visual_mode_takes_whole_clusters_under_the_caret():
    text = "كَتَبَ لا Viêt"  # harakat, a lam-alef, NFD â
    async with hosted(text, size=(80, 6)) as (app, pilot, view):
        await pilot.press("v")
        assert view.selection == (0, 2)  # kaf with its fatha
        view.clear_selection()
        view.move_caret_to(text.index("Vie") + 2)
        await pilot.press("v")
        start, end = view.selection
        assert text[start:end] == "ê"


async def test_word_jumps_home_end_top_bottom():
    text = "alpha beta gamma\n" * 40
    async with hosted(text, size=(40, 8)) as (app, pilot, view):
        await pilot.press("ctrl+right")
        assert view.caret == view.text_layout.word_right(0)
        await pilot.press("end")  # as vim's $: on the line's last character, not after it
        assert view.caret == view.text_layout.line_end(view.text_layout.word_right(0)) - 1
        assert text[view.caret] == "a" and view.target_range() == (11, 16)  # e there tags "gamma"
        await pilot.press("shift+end")  # selecting to the end still takes the last character
        await pilot.press("shift+home", "end")
        await pilot.press("G")
        assert view.caret == len(text)
        y, _ = caret_screen(view)
        assert view.scroll_offset.y <= y < view.scroll_offset.y + view.scrollable_content_region.height
        await pilot.press("g")
        assert view.caret == 0 and view.scroll_offset.y == 0
        await pilot.press("pagedown")
        assert caret_screen(view)[0] >= 5


async def test_target_range_is_the_word_under_the_caret_without_selection():
    text = "Putin visited Minsk"
    app = Host(text, caret=16)
    async with app.run_test(size=(40, 6)):
        view = app.query_one(DocumentView)
        start, end = view.target_range()
        assert text[start:end] == "Minsk"


async def test_spans_at_caret_innermost_first():
    text = "He said Putin met Lukashenko on Friday."
    claim = SpanMark(1, 3, 38, "claim")
    entity = SpanMark(2, 8, 13, "entity")
    app = Host(text, spans=[claim, entity], caret=9)
    async with app.run_test(size=(60, 6)):
        view = app.query_one(DocumentView)
        assert view.spans_at_caret() == [entity, claim]
        view.move_caret_to(20)
        assert view.spans_at_caret() == [claim]


async def test_keymap_remaps_by_binding_id():
    app = Host("Hanoi hosts the summit", caret=5)
    async with app.run_test(size=(60, 6)) as pilot:
        app.set_keymap({"document_view.left": "a"})
        await pilot.press("a")
        assert app.query_one(DocumentView).caret == 4


# ---------------------------------------------------------------- drawing


async def test_document_text_is_data_never_markup_or_control():
    text = (
        "[bold red]not bold[/] [@click=app.quit]link[/] \x1b[31mred\x1b[0m bell\x07 "
        "override\u202eevil\u202c :smile: $link"
    )
    async with hosted(text, size=(120, 6)) as (app, pilot, view):
        await pilot.pause()
        segments = screen_row(view, 0)
        drawn = "".join(segment.text for segment in segments)
        assert "[bold red]not bold[/]" in drawn
        assert "[@click=app.quit]link[/]" in drawn
        assert ":smile:" in drawn
        for segment in segments:
            assert not CONTROL.search(segment.text), repr(segment.text)
            assert not segment.control
            style = segment.style
            assert style is None or not style.meta, "no actions or links from document text"
            assert style is None or not style.bold or segment.text == " ", "[bold] was not applied"
        assert app.is_running, "[@click=app.quit] did nothing"


async def test_nested_spans_show_every_cue():
    text = "He said Putin met Lukashenko on 5 May 2024 in Minsk."
    claim = SpanMark(1, 3, 51, "claim")
    entity = SpanMark(2, text.index("Putin"), text.index("Putin") + 5, "entity")
    date = SpanMark(3, text.index("5 May"), text.index("2024") + 4, "date")
    async with hosted(text, spans=[claim, entity, date], caret=0, size=(80, 6)) as (app, pilot, view):
        await pilot.pause()
        cells = cells_with_styles(view, 0)
        drawn = "".join(char for char, _ in cells)
        assert drawn.startswith(text)

        def style_at(offset):
            return cells[offset][1]

        putin, may, met, outside = (
            style_at(text.index("Putin") + 1),
            style_at(text.index("May")),
            style_at(text.index("met")),
            style_at(1),
        )
        assert putin.bold and putin.underline, "entity inside claim: bold + underline"
        assert may.italic and may.underline and not may.bold, "date inside claim: italic + underline"
        assert met.underline and not met.bold and not met.italic, "claim only: underline"
        assert not outside.underline and not outside.bold and not outside.italic


async def test_no_color_still_tells_labels_caret_and_selection_apart(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    text = "Putin met Lukashenko on Friday in Minsk and said so."
    spans = [
        SpanMark(1, 0, 5, "entity"),
        SpanMark(2, 24, 30, "date"),
        SpanMark(3, 34, 39, "claim"),
        SpanMark(4, 10, 20, "entity", readonly=True),
    ]
    app = Host(text, spans=spans, caret=44)
    async with app.run_test(size=(80, 6)) as pilot:
        assert app.no_color
        view = app.query_one(DocumentView)
        view.selection = (40, 44)
        await pilot.pause()
        cells = cells_with_styles(view, 0)

        def cue(style):
            return (style.bold, style.underline, style.italic, style.reverse, style.underline2, style.dim)

        entity, date, claim = cue(cells[1][1]), cue(cells[25][1]), cue(cells[35][1])
        other, plain, selected, caret = cue(cells[12][1]), cue(cells[7][1]), cue(cells[41][1]), cue(cells[44][1])
        assert len({entity, date, claim, plain, selected, caret}) == 6
        assert other != entity and cells[12][1].dim and cells[12][1].bold, "read-only: same cue, dimmed"
        # What the terminal receives: Textual's NO_COLOR filter drops every colour, the cues remain.
        filtered = NoColor().apply(screen_row(view, 0), Color(0, 0, 0))
        styles = {segment.style for segment in filtered}
        assert all(style.color.is_default and style.bgcolor.is_default for style in styles)
        assert {cue(style) for style in styles} >= {entity, date, claim, selected, caret}


THIRTY_LINES = "\n".join(f"line {n} of text" for n in range(30))


@asynccontextmanager
async def refreshes_counted(monkeypatch, text: str = THIRTY_LINES):
    """A view of `text` (40 x 10), drawn; then (pilot, view, the rows refreshed since) with every
    refresh_line call recorded instead of done."""
    async with hosted(text, size=(40, 10)) as (_, pilot, view):
        await pilot.pause()
        refreshed: list[int] = []
        monkeypatch.setattr(view, "refresh_line", lambda y: refreshed.append(y))
        yield pilot, view, refreshed


async def test_caret_move_refreshes_only_the_lines_it_left_and_entered(monkeypatch):
    async with refreshes_counted(monkeypatch) as (pilot, view, refreshed):
        await pilot.press("right")
        assert set(refreshed) == {0}
        refreshed.clear()
        await pilot.press("down")
        assert set(refreshed) == {0, 1}


async def test_set_spans_refreshes_only_affected_lines(monkeypatch):
    async with refreshes_counted(monkeypatch) as (pilot, view, refreshed):
        third = THIRTY_LINES.index("line 3")
        view.set_spans([SpanMark(1, third, third + 4, "entity")])
        assert set(refreshed) == {3}
        refreshed.clear()
        view.set_spans([SpanMark(1, third, third + 4, "entity")])
        assert refreshed == []


async def test_rtl_paragraph_is_right_aligned():
    async with hosted(ARABIC_MIXED, size=(100, 6)) as (app, pilot, view):
        await pilot.pause()
        drawn = "".join(segment.text for segment in screen_row(view, 0))
        width = view.scrollable_content_region.width
        assert len(drawn) == width
        assert drawn.startswith(" ") and drawn.rstrip() == drawn[: len(drawn.rstrip())]
        assert drawn[-1] != " " or caret_screen(view)[1] == width - 1


async def test_rtl_paragraph_starts_at_column_0_when_the_terminal_reorders():
    """--bidi terminal / off: the terminal gets logical text from column 0 (blanks before it would
    end up on the wrong side once a reordering terminal flips the line)."""
    async with hosted(ARABIC_MIXED, options=LayoutOptions(reorder=False), size=(100, 6)) as (app, pilot, view):
        await pilot.pause()
        drawn = "".join(segment.text for segment in screen_row(view, 0))
        first = "".join(cell.text for cell in view.text_layout.line(0).cells[:3])
        assert view.text_layout.line(0).rtl and drawn.startswith(first) and caret_screen(view) == (0, 0)


async def test_set_options_switches_to_logical_order_at_runtime():
    async with hosted(ARABIC_MIXED, caret=4, size=(80, 6)) as (app, pilot, view):
        view.set_options(LayoutOptions(shaping=False, reorder=False))
        await pilot.pause()
        assert view.caret == 4
        await pilot.press("left")
        assert view.caret == 3, "in logical order Left moves backward"


async def test_big_document_is_never_laid_out_whole_on_keystrokes(monkeypatch):
    import tui.ui.line_estimate as module

    asked: list[int] = []

    class SpyLayout(module.DocumentLayout):
        @property
        def line_count(self):  # the exact count lays out everything
            raise AssertionError("line_count called")

        def line(self, y):
            asked.append(y)
            return super().line(y)

    monkeypatch.setattr(module, "DocumentLayout", SpyLayout)
    monkeypatch.setattr(DocumentView, "BACKGROUND_LAYOUT", False)  # keystrokes alone
    seed = (SEEDS / "003_315ab8a38d1b8188.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(f"{n} {seed[n % len(seed)]}" for n in range(3000))  # distinct paragraphs
    async with hosted(text, caret=1000, size=(80, 20)) as (app, pilot, view):
        await pilot.press("left", "down", "shift+left", "pagedown", "ctrl+right", "end")
        view.set_spans([SpanMark(1, view.caret, view.caret + 3, "entity")])
        await pilot.pause()
        assert max(asked) < 200, "only the rows around the caret were laid out"
        assert view.virtual_size.height > 3000, "the scroll area is sized from the estimate"


async def test_drawing_has_no_side_effects_and_scrolled_rows_are_laid_out_before_the_frame(monkeypatch):
    monkeypatch.setattr(DocumentView, "BACKGROUND_LAYOUT", False)
    seed = (SEEDS / "003_315ab8a38d1b8188.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(f"{n} {seed[n % len(seed)]}" for n in range(400))
    async with hosted(text, size=(60, 12)) as (app, pilot, view):
        view.scroll_to(y=300, animate=False, immediate=True)
        await pilot.pause()
        lines = view._lines
        before = (lines.estimate.known_lines, lines.estimate.total, view.virtual_size)
        scheduled: list[object] = []
        monkeypatch.setattr(view, "call_later", lambda *args, **kw: scheduled.append(args))
        monkeypatch.setattr(view, "call_after_refresh", lambda *args, **kw: scheduled.append(args))
        told: list[str] = []  # the estimate is told what exists before the frame, never while drawing
        monkeypatch.setattr(lines.estimate, "seen", lambda *args: told.append("seen"))
        monkeypatch.setattr(lines.estimate, "finished", lambda *args: told.append("finished"))
        rows = [screen_row(view, y) for y in range(view.scrollable_content_region.height)]
        assert (lines.estimate.known_lines, lines.estimate.total, view.virtual_size) == before
        assert not scheduled, "nothing is scheduled from the render path"
        assert not told, "the render path does not update the line estimate"
        assert lines.estimate.known_lines >= 300 + view.scrollable_content_region.height
        assert all("".join(segment.text for segment in row).strip() for row in rows), "every row drawn"


async def test_background_layout_makes_the_scroll_height_exact():
    seed = (SEEDS / "004_37eb41862b0a7568.txt").read_text(encoding="utf-8").split("\n")
    text = "\n".join(f"{n} {seed[n % len(seed)]}" for n in range(150))
    async with hosted(text, size=(80, 20)) as (app, pilot, view):
        for _ in range(200):
            if view.layout_complete:
                break
            await pilot.pause(0.05)
        assert view.layout_complete
        await pilot.pause()
        assert view.virtual_size.height == view.text_layout.line_count
        await pilot.press("G")
        assert view.caret == len(text)
        assert view.scroll_offset.y == view.virtual_size.height - view.scrollable_content_region.height


async def test_terminal_mode_arrows_follow_the_terminals_rtl_display():
    async with hosted(ARABIC_MIXED, caret=4, options=LayoutOptions(reorder=False), size=(80, 6)) as (app, pilot, view):
        view.terminal_reorders = True
        await pilot.press("left")
        assert view.caret == 5, "the terminal draws this line right to left: Left reads forward"
        await pilot.press("right", "right")
        assert view.caret == 3


# ---------------------------------------------------------------- resize and mouse


async def test_resize_keeps_caret_on_the_same_character():
    text = (SEEDS / "003_315ab8a38d1b8188.txt").read_text(encoding="utf-8")
    caret = text.index("لوكاشينكو")
    async with hosted(text, caret=caret, size=(100, 20)) as (app, pilot, view):
        before = caret_screen(view)
        await pilot.resize_terminal(50, 12)
        await pilot.pause()
        assert view.caret == caret
        y, x = caret_screen(view)
        assert (y, x) != before, "the text re-wrapped"
        top = view.scroll_offset.y
        assert top <= y < top + view.scrollable_content_region.height, "caret scrolled into view"
        assert view.text_layout.line(y).start <= caret <= view.text_layout.line(y).end


async def test_click_places_caret_and_drag_selects():
    text = "Putin visited Minsk on Friday"
    async with hosted(text, size=(60, 6)) as (app, pilot, view):
        await pilot.click(DocumentView, offset=(6, 0))
        assert view.caret == view.text_layout.offset_at(0, 6) == 6
        await pilot.mouse_down(DocumentView, offset=(14, 0))
        await pilot.hover(DocumentView, offset=(19, 0))
        await pilot.mouse_up(DocumentView, offset=(19, 0))
        assert view.selection is not None
        assert text[view.selection[0] : view.selection[1]] == "Minsk"


async def test_shift_click_extends_the_selection():
    text = "Putin visited Minsk on Friday"
    async with hosted(text, size=(60, 6)) as (app, pilot, view):
        await pilot.click(DocumentView, offset=(6, 0))
        await pilot.click(DocumentView, offset=(19, 0), shift=True)
        assert view.selection == (6, 19) and text[6:19] == "visited Minsk"


async def test_double_click_selects_the_word():
    text = "Putin visited Minsk on Friday"
    async with hosted(text, size=(60, 6)) as (app, pilot, view):
        await pilot.double_click(DocumentView, offset=(16, 0))
        assert view.selection is not None
        assert text[view.selection[0] : view.selection[1]] == "Minsk"


async def test_scrolling_keeps_rows_of_context_around_the_caret():
    text = "\n".join(f"line {n}" for n in range(100))
    async with hosted(text, size=(40, 12)) as (app, pilot, view):
        height = view.scrollable_content_region.height
        await pilot.press(*["down"] * (height - 1))
        y, _ = caret_screen(view)
        assert y - view.scroll_offset.y == height - 1 - DocumentView.SCROLL_MARGIN


async def test_click_on_arabic_places_caret_on_the_clicked_character():
    async with hosted(ARABIC_MIXED, size=(80, 6)) as (app, pilot, view):
        line = view.text_layout.line(0)
        x = line.indent + sum(cell.width for cell in line.cells[:3])
        await pilot.click(DocumentView, offset=(x, 0))
        assert view.caret == line.cells[3].start


def test_label_styles_from_store_rows_keep_cues():
    class Row:
        def __init__(self, name, colour):
            self.name, self.colour = name, colour

    styles = label_styles_from_labels([Row("entity", "#ff0000"), Row("claim", None), Row("person", None)])
    defaults = default_label_styles()
    assert styles["entity"].color == "#ff0000" and styles["entity"].cue == defaults["entity"].cue
    assert styles["claim"] == defaults["claim"]
    assert styles["person"].cue not in {style.cue for style in defaults.values()}


@pytest.mark.parametrize("width", [1, 2, 5])
async def test_tiny_sizes_never_crash(width):
    text = (SEEDS / "004_37eb41862b0a7568.txt").read_text(encoding="utf-8")
    app = Host(text, caret=50)
    async with app.run_test(size=(width, 3)) as pilot:
        await pilot.press("left", "down", "end", "pagedown", "G")
        await pilot.resize_terminal(60, 10)
        await pilot.press("up")
        assert 0 <= app.query_one(DocumentView).caret <= len(text)


@pytest.mark.parametrize(
    "color_system, expected",
    [("truecolor", "#5fafff"), ("256", "#5fafff"), ("standard", "bright_cyan"), (None, None)],
)
def test_palette_picks_the_colour_for_the_terminal(color_system, expected):
    palette = Palette(default_label_styles(), color_system)
    style = palette.cell_style((("entity", False),), False, "", False, False)
    assert style.bold, "the cue is there in every colour mode"
    if expected is None:
        assert style.color is None and style.bgcolor is None
    else:
        assert style.color == RichColor.parse(expected)


async def test_label_styles_and_theme_changes_redraw():
    text = "Putin met Lukashenko"
    async with hosted(text, spans=[SpanMark(1, 0, 5, "entity")], caret=12, size=(40, 4)) as (app, pilot, view):
        await pilot.pause()
        before = screen_row(view, 0)[0].style
        styles = default_label_styles()
        styles["entity"] = replace(styles["entity"], color="#ff0000", ansi_color="red")
        view.set_label_styles(styles)
        await pilot.pause()
        after = screen_row(view, 0)[0].style
        assert after.color != before.color and after.bold
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        assert screen_row(view, 0)[-1].style.bgcolor != before.bgcolor, "new theme background"


async def test_span_in_mixed_direction_text_is_drawn_as_its_visual_runs():
    start, end = ARABIC_MIXED.index("Treaty"), ARABIC_MIXED.index("في") + 2  # "Treaty في"
    spans = [SpanMark(1, start, end, "entity")]
    async with hosted(ARABIC_MIXED, spans=spans, caret=0, size=(80, 4)) as (app, pilot, view):
        await pilot.pause()
        cells = cells_with_styles(view, 0)
        bold_columns = [x for x, (_, style) in enumerate(cells) if style.bold]
        runs = []
        for x in bold_columns:
            if runs and runs[-1][1] == x:
                runs[-1][1] = x + 1
            else:
                runs.append([x, x + 1])
        expected = [[x0, x1] for _, x0, x1 in view.text_layout.runs(start, end)]
        assert runs == expected and len(runs) == 2, "the Latin run 'NATO' splits the span on screen"
        between = "".join(char for char, _ in cells[runs[0][1] : runs[1][0]])
        assert "NATO" in between


@pytest.mark.parametrize("color_system", ["truecolor", "256", "standard", None])
def test_selection_and_caret_stay_distinct_from_labels_in_every_colour_mode(color_system):
    palette = Palette(default_label_styles(), color_system)
    claim = (("claim", False),)
    plain = palette.cell_style(claim, False, "", False, False)
    selected = palette.cell_style(claim, True, "", True, False)
    caret = palette.cell_style(claim, False, "focused", False, False)
    caret_at_selection = palette.cell_style(claim, True, "focused", True, False)
    # A lone caret (no selection) and a selected cell never appear together, so they may look alike.
    assert len({plain, selected, caret_at_selection}) == 3 and caret != plain
    if color_system in (None, "standard"):  # 16 colours: a tint could round to the claim's ANSI blue
        assert selected.reverse and not plain.reverse
        assert caret_at_selection.underline2
    else:
        assert selected.bgcolor != plain.bgcolor


async def test_escape_clears_the_selection_first_then_reaches_the_app():
    class EscapeHost(Host):
        BINDINGS = [("escape", "escaped", "Escape")]
        escaped = 0

        def action_escaped(self) -> None:
            self.escaped += 1

    app = EscapeHost("Hanoi hosts the summit")
    async with app.run_test(size=(40, 4)) as pilot:
        view = app.query_one(DocumentView)
        await pilot.press("shift+right", "shift+right", "escape")
        assert view.selection is None and app.escaped == 0
        await pilot.press("escape")
        assert app.escaped == 1


# ---------------------------------------------------------------- drawing, property-based

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rich.style import Style  # noqa: E402

from tui.layout import DocumentLayout  # noqa: E402
from tui.ui.span_marks import outer_first  # noqa: E402
from tui.ui.line_render import render_cells  # noqa: E402

MIXED_ALPHABET = (
    "abc XYZ 0123 ()[]<>.,\n"
    "وقعالرئيسبوتين "
    "٠١٢٣ ،؛"
    "\u064e\u0651"  # Arabic harakat (combining)
    "ệ\u0301"  # Vietnamese, combining acute
    "\x1b\x07\u202e\u2067\u200f\t"  # controls that must never reach the terminal
)
CUE_OF = {"entity": "bold", "claim": "underline", "date": "italic"}


@settings(max_examples=80, deadline=None)
@given(text=st.text(alphabet=MIXED_ALPHABET, max_size=60), data=st.data())
def test_every_cell_is_drawn_once_with_exactly_its_cues(text, data):
    layout = DocumentLayout(text, 17, LayoutOptions())
    offsets = st.integers(0, len(text))
    spans = [
        SpanMark(i, min(a, b), max(a, b), label)
        for i, (a, b, label) in enumerate(
            data.draw(st.lists(st.tuples(offsets, offsets, st.sampled_from(list(CUE_OF))), max_size=4))
        )
        if a != b
    ]
    a, b = data.draw(offsets), data.draw(offsets)
    selection = (min(a, b), max(a, b)) if a != b else None
    palette = Palette(default_label_styles(), None)  # NO_COLOR: only the cues tell things apart
    for y in range(layout.line_count):
        line = layout.line(y)
        touching = sorted(
            (s for s in spans if s.start < max(line.end, line.start + 1) and s.end > line.start), key=outer_first
        )
        segments, length = render_cells(line, touching, (), selection, None, "", palette, Style())
        drawn = "".join(segment.text for segment in segments)
        assert drawn == " " * line.indent + "".join(cell.text for cell in line.cells)
        assert length == line.width
        assert not CONTROL.search(drawn)
        styles = [segment.style for segment in segments for _ in segment.text]
        position = line.indent
        for cell in line.cells:
            style = styles[position]
            for label, cue in CUE_OF.items():
                covered = any(s.label == label and s.start < cell.end and s.end > cell.start for s in spans)
                assert bool(getattr(style, cue)) == covered, (label, cell)
            in_selection = selection is not None and selection[0] < cell.end and selection[1] > cell.start
            assert bool(style.reverse) == in_selection
            position += len(cell.text)
