"""Hostile documents on screen: shown without crashing, nothing of theirs reaches the terminal raw.

Two levels:
- segments: every accepted hostile document is opened in the app (Pilot) and every widget on
  screen is rendered page by page (all pages; the first pages of the huge ones); no segment
  carries ESC, a C0/C1 control, a bidi control or another format character (ZWJ/ZWNJ only as
  joiners inside a cluster), nor a link or @click meta from the document's markup;
- bytes: the real app on a pty shows the escape-sequence, control, bidi and markup documents
  (and their titles, in the pane and the picker); the raw bytes it writes contain none of the
  documents' sequences (each carries a unique RELMARK payload), only visible placeholders.
Control and bidi characters keep their offsets: a span tagged across them is exported with
text[start:end] equal to its text, controls included.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from tests.reliability.screen_checks import (assert_markers_outside_escape_strings, assert_no_stray_controls,
                                              bytes_of_a_session, check_segments, rendered_segments)
from tests.reliability.support import PYTHON, cli_env
from tests.reliability.hostile_corpus import BIDI_CONTROLS, ESCAPE_SEQUENCES, MARKERS, generate
from tui.formats import import_paths
from tui.store import Store
from tests.ui.ui_helpers import picker_settled

JOINERS = {"\u200c", "\u200d"}
ALLOWED_PLACEHOLDERS = {"\u205e", "\u00a4", "\ufffd"} | {chr(0x2400 + c) for c in range(0x22)}
FIRST_PAGES_OF_HUGE = 3


def _bad_chars(text: str) -> list[str]:
    """Characters that must never be written to a terminal as document text."""
    bad = []
    for index, ch in enumerate(text):
        category = unicodedata.category(ch)
        if ch == "\x1b" or category in ("Cc", "Cs", "Zl", "Zp") or ch in BIDI_CONTROLS or ch in "\u200e\u200f\u061c":
            bad.append(ch)
        elif category == "Cf":
            inside_cluster = ch in JOINERS and 0 < index and len(text) > 1
            if not inside_cluster:
                bad.append(ch)
    return bad


def _check(app, where: str) -> int:
    return check_segments(rendered_segments(app), where, _bad_chars)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> tuple[Path, dict]:
    """A database holding every accepted hostile document (the 10 MB single line whole: the layout
    engine lays a giant paragraph out block by block, so its first screen does not wait for all of it)."""
    tmp = tmp_path_factory.mktemp("display")
    corpus = tmp / "corpus"
    cases = [c for c in generate(corpus) if c.expect == "accept"]
    db = tmp / "hostile.db"
    with Store.open(db) as store:
        import_paths(store, [corpus / c.name for c in cases], annotator="import")
        by_name = {}
        for summary in store.list_documents(limit=1000):
            doc = store.get_document(summary.id)
            by_name.setdefault(Path(doc.source).name, []).append(doc.id)
    return db, {c.name: (c, by_name[c.name]) for c in cases if c.name in by_name}  # same text: one document


@pytest.mark.anyio
async def test_every_accepted_hostile_document_renders_only_safe_segments(hostile_db):
    from tui.ui.app import AnnotatorApp

    db, cases = hostile_db
    checked_docs = checked_segments = 0
    with Store.open(db) as store:
        app = AnnotatorApp(store, annotator="viewer", panes=1, documents=[cases["utf8_bom.txt"][1][0]])
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            for name, (case, doc_ids) in cases.items():
                for doc_id in doc_ids:
                    pane.open_document(doc_id)
                    await pilot.pause()
                    view = pane.view
                    pages = FIRST_PAGES_OF_HUGE if "huge" in case.tags else 10_000
                    last = None
                    for page in range(pages):
                        checked_segments += _check(app, f"{name} page {page}")
                        position = (view.scroll_offset.y, view.caret)
                        if position == last:
                            break
                        last = position
                        await pilot.press("pagedown")
                        await pilot.pause()
                    checked_docs += 1
                    # The layout shows every hidden character as its own 1-cell placeholder.
                    text = store.get_document(doc_id).text
                    if "huge" not in case.tags:
                        _check_placeholders(view.text_layout, text, name)
            # The picker lists every title (markup and escapes in titles included) safely.
            await pilot.press("o")
            await picker_settled(pilot)  # rows are read off the UI loop
            checked_segments += _check(app, "picker")
            await pilot.press("escape")
            assert app.is_running
    assert checked_docs >= 14
    print(f"\n{checked_docs} hostile documents on screen, {checked_segments} segments checked, 0 unsafe")


def _check_placeholders(layout, text: str, name: str) -> None:
    cells = {}
    y = 0
    while True:
        try:
            line = layout.line(y)
        except IndexError:
            break
        for cell in line.cells:
            cells[cell.start] = cell
        y += 1
    for offset, ch in enumerate(text):
        if ch == "\n":
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cf") and ch not in JOINERS:
            cell = cells.get(offset)
            assert cell is not None and (cell.start, cell.end, cell.width) == (offset, offset + 1, 1), (name, offset)
            assert cell.text in ALLOWED_PLACEHOLDERS, (name, offset, cell.text)


@pytest.mark.anyio
async def test_a_span_across_controls_and_bidi_overrides_keeps_its_offsets(hostile_db, tmp_path):
    from click.testing import CliRunner

    from tui.cli import main
    from tui.ui.app import AnnotatorApp

    db, cases = hostile_db
    wanted = []
    with Store.open(db) as store:
        app = AnnotatorApp(store, annotator="offsets", panes=1, documents=[cases["bidi_trojan.txt"][1][0]])
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            for name, needle in (("bidi_trojan.txt", "\u202e"), ("ansi_escapes.txt", "\x1b]52"),
                                 ("controls_c0_c1.txt", "\x01"), ("zero_width.txt", "\u200b")):
                doc_id = cases[name][1][0]
                pane.open_document(doc_id)
                await pilot.pause()
                text = pane.document.text
                at = text.index(needle)
                start, end = at - 3, text.index("\n", at)
                pane.view.selection = (start, end)
                await pilot.press("exclamation_mark", "c")  # `!`: exactly the selection (no word snap)
                await pilot.pause()
                assert "saved: claim" in str(app.main_screen().query_one("#status").render())
                (span,) = store.spans(doc_id, annotator="offsets")
                assert (span.start, span.end) == (start, end) and span.text == text[start:end]
                assert needle in span.text
                wanted.append((doc_id, start, end, text[start:end]))
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--annotator", "offsets"])
    assert result.exit_code == 0, result.output
    exported = {}
    for line in result.output.splitlines():
        record = json.loads(line)
        for span in record["spans"]:
            assert record["text"][span["start"]:span["end"]] == span["text"]
            exported[record["meta"]["doc_id"]] = (span["start"], span["end"], span["text"])
    assert {doc_id: (s, e, t) for doc_id, s, e, t in wanted} == exported


# ------------------------------------------------------------------------------- raw pty bytes


def test_real_app_on_a_pty_writes_none_of_the_documents_escape_sequences(tmp_path: Path):
    corpus = tmp_path / "corpus"
    names = ["ansi_escapes.txt", "controls_c0_c1.txt", "bidi_trojan.txt", "markup.txt", "hostile_record.jsonl"]
    cases = {c.name: c for c in generate(corpus)}
    db = tmp_path / "pty.db"
    with Store.open(db) as store:
        import_paths(store, [corpus / n for n in names], annotator="import")
        count = store.count_documents()
    env = cli_env(TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    keys = [b">"] * (count - 1) + [b"o", b"\x1b"]  # every document in turn, then the picker with every title
    out = bytes_of_a_session([PYTHON, "-m", "tui", "--db", str(db), "--annotator", "ptyviewer", "--panes", "1"], env,
                             ready=b"RELMARK", keys=keys, cols=100, rows=30, ready_timeout=30, quit_timeout=15)
    # Each document was on screen, as visible text with placeholders.
    for visible in ("RELMARKCSI", "RELMARKUP", "[@click=app.quit]", "\u241b", "\u205e"):
        assert visible.encode() in out, f"{visible!r} was never shown"
    # None of the documents' sequences reached the terminal.
    for sequence in ESCAPE_SEQUENCES:
        assert f"<{sequence}>".encode() not in out, f"{sequence!r} reached the terminal"
        if "RELMARK" in sequence or not sequence.startswith("\x1b["):  # the app never sends these at all
            assert sequence.encode() not in out, f"{sequence!r} reached the terminal"
    assert b"\x1b]52" not in out, "an OSC 52 clipboard write reached the terminal"
    for match in re.finditer(rb"\x1b[\]P_^X]([^\x07\x1b]{0,200})", out):  # every OSC/DCS/APC/PM/SOS the app sent
        body = match.group(1).decode("utf-8", "replace")
        assert not any(marker in body for marker in MARKERS), f"document payload in {match.group(0)!r}"
    assert_markers_outside_escape_strings(out, MARKERS, lookback=40)  # never inside an OSC/DCS the app wrote
    # No C1 control, no C0 control but ESC/CR/LF outside the app's own OSC strings (OSC 22, the pointer;
    # BEL ends those, the bell never rings here): SO/SI would switch the terminal's character set, ENQ
    # asks for its answerback string.
    assert_no_stray_controls(out, allowed={0x0D, 0x0A})
    # Bidi controls never reach the terminal raw either (the app reorders; the terminal must not).
    for ch in BIDI_CONTROLS:
        assert ch.encode() not in out, f"U+{ord(ch):04X} reached the terminal"
    print(f"\npty: {len(names)} hostile files ({count} documents) shown, {len(out):,} bytes read, "
          f"0 document sequences injected")
