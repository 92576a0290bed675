"""Decoding and normalising text on import, with an offset map for spans.

Stored text is NFC with LF line ends. Spans given against the original text are moved
so they cover the same characters in the stored text: the text is cut into groups that
normalise independently (a starter and its combining marks, merged with neighbours that
compose with them), and each changed group becomes one edit of the map.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.formats.errors import FormatError


@dataclass
class OffsetMap:
    """Maps offsets in the original text to offsets in the normalised text.

    `edits` are (src_start, src_end, dst_start, dst_end) of the groups that changed, in
    order; outside them offsets shift by the size changes of the edits before them.
    A boundary strictly inside an edit moves outwards (start to the edit start, end to
    its end) and is counted in `expanded`.
    """

    edits: list[tuple[int, int, int, int]] = field(default_factory=list)
    expanded: int = 0

    def __post_init__(self) -> None:
        self._starts = [e[0] for e in self.edits]

    @property
    def identity(self) -> bool:
        return not self.edits

    def _map(self, offset: int, *, is_end: bool) -> int:
        if not self.edits:
            return offset
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0:
            return offset
        src_start, src_end, dst_start, dst_end = self.edits[index]
        if offset == src_start:
            return dst_start
        if offset >= src_end:
            return offset - src_end + dst_end
        self.expanded += 1
        return dst_end if is_end else dst_start

    def start(self, offset: int) -> int:
        return self._map(offset, is_end=False)

    def end(self, offset: int) -> int:
        return self._map(offset, is_end=True)


_IDENTITY = OffsetMap()  # shared: an identity map never changes (no edits, so nothing is ever expanded)


def find_lone_surrogate(text: str) -> int | None:
    """Offset of the first lone surrogate, or None. Strict UTF-8 fails on surrogates and nothing
    else, and encoding runs at C speed (4x a regex scan: this runs on every imported text)."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def _nfc_groups(line: str) -> list[str]:
    """Cut `line` into pieces whose NFC forms concatenate to NFC(line)."""
    units: list[str] = []
    for ch in line:
        if units and unicodedata.combining(ch):
            units[-1] += ch
        else:
            units.append(ch)
    groups: list[str] = []
    for unit in units:
        if groups:
            last = groups[-1]
            if unicodedata.normalize("NFC", last + unit) != unicodedata.normalize("NFC", last) + unicodedata.normalize("NFC", unit):
                groups[-1] = last + unit
                continue
        groups.append(unit)
    if "".join(unicodedata.normalize("NFC", g) for g in groups) != unicodedata.normalize("NFC", line):
        return [line]  # exotic interaction the pairwise merge missed: treat the line as one group
    return groups


def normalise(text: str) -> tuple[str, OffsetMap, list[str]]:
    """CRLF -> LF and NFC. Returns (stored_text, offset map, notes of what changed)."""
    # "\r" rather than "\r\n": a one-character search runs at memchr speed (5x, on every imported text).
    if "\r" not in text and unicodedata.is_normalized("NFC", text):
        return text, _IDENTITY, []
    edits: list[tuple[int, int, int, int]] = []
    out: list[str] = []
    src = dst = 0
    crlf = nfc = False
    pieces = text.split("\n")
    for index, piece in enumerate(pieces):
        has_newline = index < len(pieces) - 1
        content = piece[:-1] if has_newline and piece.endswith("\r") else piece
        if unicodedata.is_normalized("NFC", content):
            out.append(content)
            src += len(content)
            dst += len(content)
        else:
            for group in _nfc_groups(content):
                normal = unicodedata.normalize("NFC", group)
                if normal != group:
                    nfc = True
                    edits.append((src, src + len(group), dst, dst + len(normal)))
                out.append(normal)
                src += len(group)
                dst += len(normal)
        if has_newline:
            if len(content) != len(piece):
                crlf = True
                edits.append((src, src + 2, dst, dst + 1))
                src += 2
            else:
                src += 1
            out.append("\n")
            dst += 1
    stored = "".join(out)
    notes = []
    if crlf:
        notes.append("CRLF line ends converted to LF")
    if nfc:
        notes.append("normalised to NFC")
    return stored, OffsetMap(edits), notes


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Bytes of a text file -> str. UTF-8 (BOM dropped) or UTF-16 with a BOM; FormatError otherwise."""
    from tui.formats.errors import FormatError

    notes: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].decode("utf-16", "replace").count("\n") + 1
            raise FormatError(path, line, f"invalid UTF-16 ({exc.reason}); save the file as UTF-8") from None
        notes.append("decoded from UTF-16")
        if text.startswith("\ufeff"):
            text = text[1:]
        return text, notes
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        notes.append("UTF-8 byte order mark removed")
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError as exc:
        raise utf8_error(path, data, exc) from None


def utf8_error(path: str, data: bytes, exc: UnicodeDecodeError, first_line: int = 1) -> FormatError:
    from tui.formats.errors import FormatError

    line = first_line + data.count(b"\n", 0, exc.start)
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    return FormatError(
        path, line, f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); save the file as UTF-8"
    )
