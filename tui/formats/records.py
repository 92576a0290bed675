"""What the readers produce: a document ready to store, spans already in stored offsets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from tui.formats.errors import FormatError
from tui.formats.normalise import find_lone_surrogate, normalise
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


def check_text(text: str, path: str, line: int | None, what: str = "text", check_surrogates: bool = True) -> None:
    """Reject what must never be stored: NUL, lone surrogates, blank documents."""
    nul = text.find("\x00")
    if nul >= 0:
        raise FormatError(path, line, f"{what} contains a NUL character at offset {nul} (binary data?); remove it")
    surrogate = find_lone_surrogate(text) if check_surrogates else None
    if surrogate is not None:
        raise FormatError(
            path, line, f"{what} contains a lone surrogate U+{ord(text[surrogate]):04X} at offset {surrogate}; "
            "it is not valid Unicode text"
        )
    if not text.strip():
        raise FormatError(path, line, f"{what} is empty")


def build_document(
    original: str, *, path: str, line: int | None, fmt: str, spans: list[tuple[int, int, str]],
    title: str | None = None, language: str | None = None, notes: list[str] | None = None,
    source_meta: dict[str, Any] | None = None, status: str | None = None, annotator: str | None = None,
    check_surrogates: bool = True,
) -> ParsedDocument:
    """Normalise `original`, move spans (given in its offsets) onto the stored text, record what changed."""
    check_text(original, path, line, check_surrogates=check_surrogates)
    text, offsets, changes = normalise(original)
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
    )
