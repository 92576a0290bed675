"""The word-resize keys in a real terminal (tmux): ( ) - _ move a span's edge by a whole word in a
Vietnamese and an Arabic article. alt+[ and alt+] (the keys these had before) arrive in tmux and
xterm as a plain [ or ] (ESC [ is the start of a control sequence), so they cannot be the only keys."""

from __future__ import annotations

import time
from pathlib import Path

from tests.ui.tmux_support import TuiInTmux, needs_tmux, needs_tui
from tui.store import Store

pytestmark = [needs_tmux, needs_tui]

VI = "Tin Nga\nTổng thống Nga Vladimir Putin hôm 5/2 đã đệ trình."
AR = "خبر\nوعد الرئيس الروسي بوتين بالسلام."


def spans(db: Path, doc_id: str) -> list[str]:
    with Store.open(db) as store:
        return sorted(span.text for span in store.spans(doc_id, annotator="words"))


def press_and_wait(app: TuiInTmux, db: Path, doc_id: str, key: str, expected: list[str]) -> None:
    app.keys(key)
    deadline = time.monotonic() + 20
    while (now := spans(db, doc_id)) != expected:
        assert time.monotonic() < deadline, f"after {key!r}: {now}, not {expected}\n" + app.screen()
        time.sleep(0.2)


def test_parentheses_minus_and_underscore_resize_by_a_word_in_vietnamese_and_arabic(tmp_path: Path):
    db = tmp_path / "resize.db"
    with Store.open(db) as store:
        vi_id, _ = store.add_document(VI, title="Tin Nga", language="vi", direction="ltr")
        ar_id, _ = store.add_document(AR, title="خبر", language="ar", direction="rtl")
    with TuiInTmux("--db", db, "--annotator", "words", "--panes", "1", cwd=tmp_path, cols=80, rows=24,
                   env={"XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CONFIG_HOME": str(tmp_path / "config")}) as app:
        app.wait_for("Vladimir Putin")
        app.keys("j", "w", "w", "w")  # onto Vladimir
        press_and_wait(app, db, vi_id, "e", ["Vladimir"])
        press_and_wait(app, db, vi_id, ")", ["Vladimir Putin"])
        press_and_wait(app, db, vi_id, "_", ["Vladimir"])
        press_and_wait(app, db, vi_id, "(", ["Nga Vladimir"])
        press_and_wait(app, db, vi_id, "-", ["Vladimir"])
        press_and_wait(app, db, vi_id, "}", ["Vladimir P"])  # by a character: over the space, never onto it
        press_and_wait(app, db, vi_id, "[", ["a Vladimir P"])  # (issue 19 #2: "[" saved " Vladimir Putin")

        app.keys(">")
        app.wait_for("ar rtl")  # the Arabic article is open
        app.keys("j", "w", "w")  # onto الروسي (w is forward in the text)
        press_and_wait(app, db, ar_id, "e", ["الروسي"])
        press_and_wait(app, db, ar_id, ")", ["الروسي بوتين"])
        press_and_wait(app, db, ar_id, "(", ["الرئيس الروسي بوتين"])
        press_and_wait(app, db, ar_id, "-", ["الروسي بوتين"])
        press_and_wait(app, db, ar_id, "_", ["الروسي"])
        app.quit()
