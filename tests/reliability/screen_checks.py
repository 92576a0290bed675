"""What the hostile-input tests check on screen and in a terminal's bytes (imported as
`tests.reliability.screen_checks`): the segments the widgets render, and the raw output of the app
on a pty, hold nothing of a document's or a name's escape sequences."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from textual.geometry import Region

OSC_STRING = re.compile(rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
C1_CONTROL = re.compile(rb"\xc2[\x80-\x9f]")


def bytes_of_a_session(argv: list[str], env: dict[str, str], *, ready: bytes, keys: Iterable[bytes],
                       cols: int, rows: int, ready_timeout: float, quit_timeout: float) -> bytes:
    """Every byte the app writes to a pty of `cols` x `rows` while a person waits for `ready`, types
    each of `keys` (waiting for the screen to settle after each), and quits with q; the app must
    still be running before q and exit 0."""
    from tests.terminal.terminal_harness import PtyProcess

    pty = PtyProcess(argv, env=env, cols=cols, rows=rows)
    try:
        pty.wait_for(ready, timeout=ready_timeout)
        pty.wait_quiet()
        for typed in keys:
            pty.send(typed)
            pty.wait_quiet()
        assert pty.proc.poll() is None, f"the app died; output tail: {pty.output[-2000:]!r}"
        pty.send(b"q")
        pty.proc.wait(quit_timeout)
        out = pty.output
    finally:
        pty.close()
    assert pty.proc.returncode == 0, out[-2000:]
    return out


def rendered_segments(app, screens: int = 1) -> list:
    """Every segment the visible widgets of the top `screens` screens render now."""
    segments = []
    for screen in app.screen_stack[-screens:]:
        for widget in screen.walk_children():
            if not widget.display or not widget.size.area:
                continue
            for strip in widget.render_lines(Region(0, 0, widget.size.width, widget.size.height)):
                segments.extend(strip)
    return segments


def check_segments(segments: Iterable, where: str, bad_chars: Callable[[str], list[str]]) -> int:
    """No segment carries a character `bad_chars` names, a link or @click meta; how many were checked."""
    count = 0
    for segment in segments:
        count += 1
        bad = bad_chars(segment.text)
        assert not bad, f"{where}: {[f'U+{ord(c):04X}' for c in bad]} reached a segment: {segment.text!r}"
        style = segment.style
        if style is not None:
            assert not style.link, f"{where}: a link reached the terminal: {style.link}"
            assert not any("click" in str(key) for key in (style.meta or {})), f"{where}: @click meta: {style.meta}"
    return count


def assert_markers_outside_escape_strings(out: bytes, markers: Iterable[str], lookback: int) -> None:
    """A marker may be shown as text, never inside an OSC or DCS string opened in the `lookback`
    bytes before it and not closed."""
    for marker in markers:
        for found in re.finditer(re.escape(marker.encode()), out):
            before = out[max(0, found.start() - lookback):found.start()]
            opened = max(before.rfind(b"\x1b]"), before.rfind(b"\x1bP"))
            closed = max(before.rfind(b"\x07"), before.rfind(b"\x1b\\"))
            assert opened <= closed, f"{marker} inside an escape string: {out[found.start() - lookback:found.end()]!r}"


def assert_no_stray_controls(out: bytes, allowed: set[int]) -> None:
    """No C1 control (8-bit CSI, OSC, DCS...) and no C0 control but `allowed` outside the app's own
    OSC strings (ESC itself is allowed: the app's sequences)."""
    assert not C1_CONTROL.search(out), "a C1 control (8-bit CSI, OSC, DCS...) reached the terminal"
    stray = sorted({b for b in OSC_STRING.sub(b"", out) if b < 0x20 or b == 0x7F} - allowed - {0x1B})
    assert not stray, f"control bytes {[hex(b) for b in stray]} reached the terminal"
