"""The word keys in a real terminal (tmux): over a Latin phrase inside an Arabic line ctrl+Left
moves the caret left on screen at every press; `w` on an Arabic line moves forward in the text
(checked where the caret is remembered when tui quits), which is leftwards on screen."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from tests.ui.tmux_support import TuiInTmux, needs_tmux, needs_tui
from tui.store import Store

pytestmark = [needs_tmux, needs_tui]

TITLE = "خبر من موسكو"
LINE = 'قال الرئيس "We are ready now" ثم غادر القاعة.'
TEXT = f"{TITLE}\n{LINE}"
_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def caret_column(app: TuiInTmux, needle: str) -> int | None:
    """Column of the reverse-video cell (the caret) on the screen row that shows ``needle``."""
    plain = app.screen().splitlines()
    rows = [i for i, row in enumerate(plain) if needle in row]
    if not rows:
        return None
    styled = app.screen(styled=True).splitlines()[rows[0]]
    column, reverse, found = 0, False, None
    position = 0
    while position < len(styled):
        match = _SGR.match(styled, position)
        if match:
            for code in (match.group(1) or "0").split(";"):
                if code in ("0", ""):
                    reverse = False
                elif code == "7":
                    reverse = True
                elif code == "27":
                    reverse = False
            position = match.end()
            continue
        if reverse and found is None:
            found = column
        column += 1
        position += 1
    return found


def wait_for_caret(app: TuiInTmux, needle: str, previous: int | None, timeout: float = 15.0) -> int:
    """The caret's column once it is drawn somewhere other than ``previous``."""
    deadline = time.monotonic() + timeout
    column = None
    while time.monotonic() < deadline:
        column = caret_column(app, needle)
        if column is not None and column != previous:
            return column
        time.sleep(0.1)
    raise AssertionError(f"the caret did not move from {previous} (now {column}):\n" + app.screen())


def test_ctrl_left_moves_left_over_latin_inside_arabic_and_w_moves_forward(tmp_path: Path):
    db = tmp_path / "words.db"
    state = tmp_path / "state"
    with Store.open(db) as store:
        doc_id, _ = store.add_document(TEXT, title=TITLE, language="ar", direction="rtl")
    with TuiInTmux("--db", db, "--annotator", "words", "--panes", "1", cwd=tmp_path, rows=20,
                   env={"XDG_STATE_HOME": str(state)}) as app:
        app.wait_for("We are ready now")
        app.keys("j")  # from the title down onto the line: its first letter, far right
        column = wait_for_caret(app, "We are ready now", None)
        columns = [column]
        for _ in range(7):  # two Arabic words, then now, ready, are, We, then Arabic again
            app.keys("C-Left")
            column = wait_for_caret(app, "We are ready now", column)
            columns.append(column)
        assert all(b < a for a, b in zip(columns, columns[1:])), columns
        row = app.screen().splitlines()
        shown = next(r for r in row if "We are ready now" in r)
        latin = shown.index("We are ready now")
        # the presses inside the phrase landed on n, r, a, W: right to left
        assert [c - latin for c in columns[2:6]] == [13, 7, 3, 0]

        app.keys("Home")  # back to the line's start (reading order: far right)
        column = wait_for_caret(app, "We are ready now", column)
        start_column = column
        app.keys("w")
        column = wait_for_caret(app, "We are ready now", column)
        assert column < start_column  # forward in Arabic is leftwards on screen
        for _ in range(2):
            app.keys("w")
            column = wait_for_caret(app, "We are ready now", column)
        app.quit()
    saved = json.loads((state / "tui" / "sessions.json").read_text(encoding="utf-8"))
    carets = [entry["carets"][doc_id] for entry in saved.values() if doc_id in entry.get("carets", {})]
    assert len(carets) == 1, saved
    caret = carets[0]
    line_start = len(TITLE) + 1
    assert caret == line_start + LINE.index("are ")  # three words forward in the text: قال → الرئيس → "We → are
