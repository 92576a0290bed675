"""Plain-text articles: one document per file; the first non-blank line is the title.

The stored text is the whole file (decoded, BOM dropped, CRLF -> LF, NFC), title line
included, so offsets index the full article and the title is only a copy.
"""

from __future__ import annotations

from pathlib import Path

from tui.formats.errors import FormatError
from tui.formats.normalise import decode
from tui.formats.records import ParsedDocument, build_document


def read_txt(path: Path, *, language: str | None = None, label: str | None = None) -> ParsedDocument:
    shown = label or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(shown, None, f"cannot read the file ({exc.strerror})") from None
    nul = data.find(b"\x00")
    if nul >= 0 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        line = data.count(b"\n", 0, nul) + 1
        raise FormatError(shown, line, f"NUL byte at offset {nul}: this looks like a binary file, not text")
    text, notes = decode(data, shown)
    if not text.strip():
        raise FormatError(shown, 1, "the file is empty (no text to annotate)")
    return build_document(text, path=shown, line=None, fmt="txt", spans=[], language=language, notes=notes)
