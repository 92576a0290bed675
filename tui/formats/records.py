"""What the readers produce: a document ready to store, spans already in stored offsets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from tui.formats.errors import FormatError
from tui.formats.normalise import normalise
from tui.formats.text import detect_language, direction_of, title_of


class ParsedSpan(NamedTuple):
    """A span in stored-text offsets (a tuple: imports create a million of these)."""

    start: int
    end: int
    label: str


@dataclass
class ParsedDocument:
    text: str  # normalised: exactly what is stored
    title: str
    language: str
    direction: str
    source: str
    line: int | None  # line of the record in a JSONL file; None for .txt
    meta: dict[str, Any] = field(default_factory=dict)
    spans: list[ParsedSpan] = field(default_factory=list)
    status: str | None = None
    annotator: str | None = None  # the record's own annotator (_annotator_id / annotator), if any
    text_sha256: str | None = None  # of `text` (UTF-8), computed once while checking it


def check_text(text: str, path: str, line: int | None, what: str = "text", check_surrogates: bool = True) -> bytes | None:
    """Reject what must never be stored: NUL, lone surrogates, blank documents.

    Returns the UTF-8 encoding when it was made for the surrogate check (strict UTF-8 fails on
    lone surrogates and nothing else), so the caller can hash it without encoding again.
    """
    nul = text.find("\x00")
    if nul >= 0:
        raise FormatError(path, line, f"{what} contains a NUL character at offset {nul} (binary data?); remove it")
    data = None
    if check_surrogates:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise FormatError(
                path, line, f"{what} contains a lone surrogate U+{ord(text[exc.start]):04X} at offset {exc.start}; "
                "it is not valid Unicode text"
            ) from None
    if not text.strip():
        raise FormatError(path, line, f"{what} is empty")
    return data


def build_document(
    original: str, *, path: str, line: int | None, fmt: str, spans: list[tuple[int, int, str]],
    title: str | None = None, language: str | None = None, notes: list[str] | None = None,
    source_meta: dict[str, Any] | None = None, status: str | None = None, annotator: str | None = None,
    check_surrogates: bool = True,
) -> ParsedDocument:
    """Normalise `original`, move spans (given in its offsets) onto the stored text, record what changed."""
    data = check_text(original, path, line, check_surrogates=check_surrogates)
    text, offsets, changes = normalise(original)
    digest = None
    if data is not None:  # hashed here, once: the store would otherwise encode the text again
        digest = hashlib.sha256(data if text is original else text.encode("utf-8")).hexdigest()
    meta: dict[str, Any] = {"import": {"format": fmt}}
    changes = list(notes or []) + changes
    if changes:
        meta["normalised"] = changes
    if source_meta:
        meta["source_meta"] = source_meta
    moved: list[ParsedSpan] = []
    identity = offsets.identity
    for number, (start, end, label) in enumerate(spans, 1):
        new_start, new_end = (start, end) if identity else (offsets.start(start), offsets.end(end))
        if not text[new_start:new_end].strip():
            raise FormatError(path, line, f"span {number} ({start}-{end}, {label!r}) covers only whitespace")
        moved.append(ParsedSpan(new_start, new_end, label))
    if offsets.expanded:
        meta["spans_widened_to_whole_characters"] = offsets.expanded
    return ParsedDocument(
        text=text,
        title=title or title_of(text),
        language=language or detect_language(text),
        direction=direction_of(text),
        source=path,
        line=line,
        meta=meta,
        spans=moved,
        status=status,
        annotator=annotator,
        text_sha256=digest,
    )
