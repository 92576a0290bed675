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

import fcntl
import json
import os
import re
import select
import signal
import struct
import subprocess
import termios
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from textual.geometry import Region

from tests.reliability.support import PYTHON, REPO, cli_env
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


def _screen_segments(app) -> list:
    segments = []
    for widget in app.screen.walk_children():
        if not widget.display or not widget.size.area:
            continue
        for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height)):
            segments.extend(strip)
    return segments


def _check_segments(segments, where: str) -> int:
    for segment in segments:
        bad = _bad_chars(segment.text)
        assert not bad, f"{where}: {[f'U+{ord(c):04X}' for c in bad]} reached a segment: {segment.text!r}"
        style = segment.style
        if style is not None:
            assert not style.link, f"{where}: a link reached the terminal: {style.link}"
            assert not any("click" in str(key) for key in (style.meta or {})), f"{where}: @click meta: {style.meta}"
    return len(segments)


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
                        checked_segments += _check_segments(_screen_segments(app), f"{name} page {page}")
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
            checked_segments += _check_segments(_screen_segments(app), "picker")
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


class Pty:
    def __init__(self, argv: list[str], env: dict[str, str], cols: int = 100, rows: int = 30) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO,
                                     start_new_session=True, close_fds=True,
                                     preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.master = master
        self.buffer = bytearray()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while not self.stop.is_set():
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if ready:
                    chunk = os.read(self.master, 65536)
                    if not chunk:
                        return
                    with self.lock:
                        self.buffer += chunk
            except OSError:
                return

    @property
    def output(self) -> bytes:
        with self.lock:
            return bytes(self.buffer)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def settle(self, quiet: float = 0.4, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        size, since = len(self.output), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = len(self.output)
            if now != size:
                size, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    def wait_for(self, needle: bytes, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.output:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"no {needle!r} in the output: {self.output[-2000:]!r}")

    def close(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        self.stop.set()
        self.reader.join(2)
        os.close(self.master)


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
    pty = Pty([PYTHON, "-m", "tui", "--db", str(db), "--annotator", "ptyviewer", "--panes", "1"], env)
    try:
        pty.wait_for("RELMARK".encode())
        pty.settle()
        for _ in range(count - 1):  # every document in turn, then the picker with every title
            pty.send(b">")
            pty.settle()
        pty.send(b"o")
        pty.settle()
        pty.send(b"\x1b")
        pty.settle()
        assert pty.proc.poll() is None, "the app died while showing hostile documents"
        pty.send(b"q")
        pty.proc.wait(15)
        out = pty.output
    finally:
        pty.close()
    assert pty.proc.returncode == 0, out[-2000:]
    # Each document was on screen, as visible text with placeholders.
    for visible in ("RELMARKCSI", "RELMARKUP", "[@click=app.quit]", "\u241b", "\u205e"):
        assert visible.encode() in out, f"{visible!r} was never shown"
    # None of the documents' sequences reached the terminal.
    for sequence in ESCAPE_SEQUENCES:
        assert f"<{sequence}>".encode() not in out, f"{sequence!r} reached the terminal"
        if "RELMARK" in sequence or not sequence.startswith("\x1b["):  # the app never sends these at all
            assert sequence.encode() not in out, f"{sequence!r} reached the terminal"
    assert b"\x1b]52" not in out, "an OSC 52 clipboard write reached the terminal"
    assert not re.search(rb"\xc2[\x80-\x9f]", out), "a C1 control (8-bit CSI, OSC, DCS...) reached the terminal"
    for match in re.finditer(rb"\x1b[\]P_^X]([^\x07\x1b]{0,200})", out):  # every OSC/DCS/APC/PM/SOS the app sent
        body = match.group(1).decode("utf-8", "replace")
        assert not any(marker in body for marker in MARKERS), f"document payload in {match.group(0)!r}"
    for marker in MARKERS:  # a marker may be shown as text, never inside an OSC/DCS the app wrote
        for found in re.finditer(re.escape(marker.encode()), out):
            before = out[max(0, found.start() - 40):found.start()]
            opened = max(before.rfind(b"\x1b]"), before.rfind(b"\x1bP"))
            closed = max(before.rfind(b"\x07"), before.rfind(b"\x1b\\"))
            assert opened <= closed, f"{marker} inside an escape string: {out[found.start() - 40:found.end()]!r}"
    # No C0 control but ESC/CR/LF outside the app's own OSC strings (BEL ends those; the bell never rings here):
    # SO/SI would switch the terminal's character set, ENQ asks for its answerback string.
    without_osc = re.sub(rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)", b"", out)  # the app's own OSC 22 (pointer)
    stray = sorted({b for b in without_osc if b < 0x20 or b == 0x7F} - {0x1B, 0x0D, 0x0A})
    assert not stray, f"control bytes {[hex(b) for b in stray]} reached the terminal"
    # Bidi controls never reach the terminal raw either (the app reorders; the terminal must not).
    for ch in BIDI_CONTROLS:
        assert ch.encode() not in out, f"U+{ord(ch):04X} reached the terminal"
    print(f"\npty: {len(names)} hostile files ({count} documents) shown, {len(out):,} bytes read, "
          f"0 document sequences injected")
