"""`tui serve` in a real browser: Debian's chromium driven by Playwright (never a downloaded
browser). The page loads and asks who is annotating; keys tag a span that is in the database; two
tabs are two annotators saving at once with nothing lost; the Arabic pane's cells, read from
xterm.js's own buffer, are the cells the same app draws in tmux at the same size.

One server and one browser for the module, on 127.0.0.1 and a free port, over a two-article
corpus. Skipped, saying why, only where chromium or playwright is not installed (.ci/run
installs chromium; the test extra installs playwright)."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tui.store import Store
from tests.ui.tmux_support import TuiInTmux
from tests.web.web_helpers import Serve

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra has it)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed: apt-get install chromium "
                                "(.ci/run does this as root); no browser is ever downloaded")

VIEWPORT = {"width": 1100, "height": 640}

# textual.js keeps its xterm.js Terminal in a local variable; catch it as it is assigned to the
# page's terminal object (`this.terminal = new Terminal(...)`), so tests can read its buffer.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.onData) window.__tuiTerminal = value;
  },
});
"""

READ_SCREEN = """() => {
  const term = window.__tuiTerminal;
  if (!term) return null;
  const buffer = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return {cols: term.cols, rows: term.rows, lines: rows};
}"""


def arabic_letters(text: str) -> int:
    return sum(1 for ch in text if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, web_db: Path) -> Path:
    copy = tmp_path_factory.mktemp("browser") / "team.db"
    shutil.copy(web_db, copy)
    return copy


@pytest.fixture(scope="module")
def server(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    served = Serve(db, state=tmp_path_factory.mktemp("server-state"))
    yield served
    served.stop()
    assert "Traceback" not in served.output(), served.output()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    args = ["--no-sandbox"] if os.geteuid() == 0 else []  # root (CI): chromium's sandbox refuses to start
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        yield launched
        launched.close()


class Tab:
    """One browser tab on the server: keys in, xterm.js's cells out."""

    def __init__(self, browser: Any, url: str) -> None:
        self.context = browser.new_context(viewport=VIEWPORT)
        self.elsewhere: list[str] = []  # requests that tried to leave 127.0.0.1 (blocked)
        self.context.route("**/*", self._only_localhost)
        self.page = self.context.new_page()
        self.page.add_init_script(CATCH_TERMINAL)
        self.page.goto(url)

    def _only_localhost(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "ws://127.0.0.1:")):
            route.continue_()
        else:
            self.elsewhere.append(url)
            route.abort()

    def screen(self) -> dict[str, Any]:
        return self.page.evaluate(READ_SCREEN) or {"cols": 0, "rows": 0, "lines": []}

    def text(self) -> str:
        return "\n".join(self.screen()["lines"])

    def wait_for(self, needle: str | Callable[[str], bool], timeout: float = 60.0) -> str:
        check = needle if callable(needle) else (lambda text: needle in text)
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.text()
            if check(text):
                return text
            self.page.wait_for_timeout(100)
        raise AssertionError(f"{needle!r} never appeared in the browser:\n{text}")

    def keys(self, *keys: str) -> None:
        self.page.evaluate("() => window.__tuiTerminal.focus()")
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.evaluate("() => window.__tuiTerminal.focus()")
        self.page.keyboard.type(text)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tabs(browser: Any, server: Serve) -> Iterator[Callable[[str], Tab]]:
    opened: list[Tab] = []

    def open_tab(query: str = "") -> Tab:
        tab = Tab(browser, server.url + query)
        opened.append(tab)
        return tab

    yield open_tab
    for tab in opened:
        tab.close()


def spans_of(db: Path, annotator: str) -> list[tuple[str, str]]:
    with Store.open(db) as store:
        found = []
        for summary in store.list_documents():
            text = store.get_document(summary.id).text
            found += [(span.label, text[span.start:span.end]) for span in store.spans(summary.id, annotator=annotator)]
        return sorted(found)


# ---------------------------------------------------------------------------- tests


def test_the_page_loads_asks_who_is_annotating_and_starts_as_that_name(tabs):
    tab = tabs()
    tab.wait_for("Who is annotating?")
    tab.type("al bob")
    tab.wait_for("al bob")
    tab.keys("Alt+Backspace")  # xterm.js sends ESC DEL: Textual's ctrl+w, "delete word left" (ctrl+w closes tabs)
    tab.wait_for(lambda text: "bob" not in text and "▊  al " in text)
    tab.keys("Backspace")
    tab.type("ice")
    tab.wait_for("▊  alice ")
    tab.keys("Enter")
    screen = tab.wait_for(lambda text: "bidi app" in text and arabic_letters(text) > 150)  # the Arabic pane
    status = next(line for line in screen.splitlines() if "bidi app" in line)
    assert " alice " in status and "shaping on" in status, screen
    assert tab.elsewhere == []  # the page loads nothing from outside this server


def test_a_span_tagged_by_keys_is_in_the_database(tabs, db):
    tab = tabs("?annotator=bob")
    tab.wait_for("bidi app")
    tab.keys("w", "e")  # second word of the Vietnamese article, tagged as entity
    tab.wait_for("saved: entity")
    assert spans_of(db, "bob") == [("entity", "và")]
    tab.keys("Shift+End", "d")  # select to the end of the line, tag as date
    tab.wait_for("saved: date")
    assert ("date", "và Belarus ký hiệp ước an ninh mới") in spans_of(db, "bob")


def test_two_tabs_as_two_annotators_save_concurrently_with_nothing_lost(tabs, db):
    carol, dave = tabs("?annotator=carol"), tabs("?annotator=dave")
    carol.wait_for("bidi app")
    dave.wait_for("bidi app")
    words = 6
    for _ in range(words):  # interleaved, without waiting for either to save
        carol.keys("e", "w")
        dave.keys("c", "w")
    expected_carol = sorted(("entity", w) for w in "Nga và Belarus ký hiệp ước".split())
    expected_dave = sorted(("claim", w) for w in "Nga và Belarus ký hiệp ước".split())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (len(spans_of(db, "carol")) < words or len(spans_of(db, "dave")) < words):
        time.sleep(0.2)
    assert spans_of(db, "carol") == expected_carol
    assert spans_of(db, "dave") == expected_dave
    for tab in (carol, dave):
        assert "NOT saved" not in tab.wait_for("saved:")
    # Each tab sees the other's work within the poll interval (t shows other annotators' spans).
    carol.keys("t")
    carol.wait_for("others shown")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_arabic_pane_has_the_same_cells_in_the_browser_as_in_tmux(tabs, db, server, tmp_path):
    tab = tabs("?annotator=erin")
    tab.wait_for(lambda text: "bidi app" in text and arabic_letters(text) > 150)
    browser_screen = tab.screen()
    cols, rows = browser_screen["cols"], browser_screen["rows"]
    with TuiInTmux("--db", db, "--annotator", "erin", cwd=tmp_path, cols=cols, rows=rows,
                   env={"XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "config")}) as app:
        deadline = time.monotonic() + 60
        captured = ""
        while time.monotonic() < deadline and not ("bidi app" in captured and arabic_letters(captured) > 150):
            time.sleep(0.2)
            captured = app.screen()
        terminal_lines = [line.rstrip() for line in captured.split("\n")[:rows]]
    browser_lines = [line.rstrip() for line in tab.screen()["lines"]]
    body = slice(0, rows - 2)  # the panes; the status line and key bar below say what happened last
    arabic_rows = [y for y, line in enumerate(browser_lines[body]) if arabic_letters(line) > 10]
    assert len(arabic_rows) >= 5  # title and the article's rows
    for y in arabic_rows:
        assert browser_lines[y] == terminal_lines[y], f"row {y} differs:\nbrowser {browser_lines[y]!r}\ntmux    {terminal_lines[y]!r}"
    assert browser_lines[body] == terminal_lines[body]
    # For people: the Arabic pane as Chromium drew it (README, the note).
    shot = Path(os.environ.get("TUI_SCREENSHOT_DIR", tmp_path)) / "arabic-pane-chromium.png"
    tab.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
