"""JSONL records in Prodigy/spaCy or doccano form, checked line by line.

Accepted forms (one JSON object per line; blank lines are skipped):
  Prodigy / spaCy: {"text", "spans": [{"start", "end", "label", "text"?}], "meta"?, "answer"?}
  doccano:         {"text", "label": [[start, end, "LABEL"], ...]}
                   {"text", "entities": [{"start_offset", "end_offset", "label"}, ...]}
Offsets are code-point indices into "text" as given; they are moved onto the NFC text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tui.formats.errors import FormatError
from tui.formats.normalise import find_lone_surrogate, utf8_error
from tui.formats.records import ParsedDocument, build_document
from tui.safe_text import label_name_problem

from tui.vocabulary import STATUSES
ANSWER_STATUS = {"accept": "done", "reject": "skipped", "ignore": "skipped"}


def _is_int(value: Any) -> bool:
    return type(value) is int or (isinstance(value, int) and not isinstance(value, bool))


def _span_objects(raw: Any, fail: Callable[[str], FormatError], *, field: str, item: str,
                  keys: tuple[str, str, str], with_text: bool) -> list[tuple[int, int, str, str | None]]:
    """Spans written as objects (Prodigy's "spans", doccano's "entities"): `raw` must be a list of
    objects holding the three `keys` (start, end, label), each span named `item` and its number in
    messages; `with_text`: an optional "text" that must be a string (else the text is None)."""
    if not isinstance(raw, list):
        raise fail(f'"{field}" must be a list, got {type(raw).__name__}')
    start_key, end_key, label_key = keys
    spans = []
    for number, entry in enumerate(raw, 1):
        if not isinstance(entry, dict):
            raise fail(f"{item} {number} must be an object with {start_key}, {end_key} and {label_key}")
        for key in keys:
            if key not in entry:
                raise fail(f'{item} {number} has no "{key}"')
        text = entry.get("text") if with_text else None
        if text is not None and not isinstance(text, str):
            raise fail(f'{item} {number}: "text" must be a string')
        spans.append((entry[start_key], entry[end_key], entry[label_key], text))
    return spans


def _spans_prodigy(raw: Any, fail: Callable[[str], FormatError]) -> list[tuple[int, int, str, str | None]]:
    return _span_objects(raw, fail, field="spans", item="span", keys=("start", "end", "label"), with_text=True)


def _spans_doccano_entities(raw: Any, fail: Callable[[str], FormatError]) -> list[tuple[int, int, str, str | None]]:
    return _span_objects(raw, fail, field="entities", item="entity", keys=("start_offset", "end_offset", "label"),
                         with_text=False)


def _spans_doccano_label(raw: Any, fail: Callable[[str], FormatError]) -> list[tuple[int, int, str, None]]:
    if not isinstance(raw, list):
        raise fail(f'"label" must be a list of [start, end, "LABEL"], got {type(raw).__name__}')
    spans = []
    for number, item in enumerate(raw, 1):
        if not isinstance(item, list) or len(item) != 3:
            raise fail(f'label {number} must be [start, end, "LABEL"], got {json.dumps(item, ensure_ascii=False)[:60]}')
        spans.append((item[0], item[1], item[2], None))
    return spans


def parse_record(
    record: Any, *, path: str, line: int, language: str | None = None, may_have_surrogates: bool = True,
) -> ParsedDocument:
    """Check one decoded JSON value and turn it into a ParsedDocument (FormatError naming path:line).

    `may_have_surrogates=False` skips the lone-surrogate check of span labels (the text, title and
    annotator are always checked).
    """

    def fail(reason: str) -> FormatError:
        return FormatError(path, line, reason)

    if not isinstance(record, dict):
        hint = " (JSONL needs one object per line, not an array)" if isinstance(record, list) else ""
        raise fail(f"expected a JSON object, got {type(record).__name__}{hint}")
    if "text" not in record:
        raise fail('the record has no "text"')
    text = record["text"]
    if not isinstance(text, str):
        raise fail(f'"text" must be a string, got {type(text).__name__}')
    forms = [key for key in ("spans", "label", "entities") if key in record]
    if len(forms) > 1:
        raise fail(f"the record has both {forms[0]!r} and {forms[1]!r}; use one form")
    fmt = "doccano" if forms and forms[0] in ("label", "entities") else "spacy"
    raw_spans: list[tuple[Any, Any, Any, Any]] = []
    if forms == ["spans"]:
        raw_spans = _spans_prodigy(record["spans"], fail)
    elif forms == ["label"]:
        raw_spans = _spans_doccano_label(record["label"], fail)
    elif forms == ["entities"]:
        raw_spans = _spans_doccano_entities(record["entities"], fail)
    meta = record.get("meta", {})
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise fail(f'"meta" must be an object, got {type(meta).__name__}')

    spans: list[tuple[int, int, str]] = []
    for number, (start, end, label, span_text) in enumerate(raw_spans, 1):
        if not _is_int(start) or not _is_int(end):
            raise fail(f"span {number}: start and end must be integers, got {start!r} and {end!r}")
        if not isinstance(label, str) or not label.strip():
            raise fail(f"span {number}: the label must be a non-empty string, got {label!r}")
        if may_have_surrogates and find_lone_surrogate(label) is not None:
            raise fail(f"span {number}: the label contains a lone surrogate")
        problem = label_name_problem(label)
        if problem is not None:
            raise fail(f"span {number}: label {label[:40]!r}: {problem}")
        if start < 0:
            raise fail(f"span {number}: start {start} is negative")
        if end <= start:
            raise fail(f"span {number}: end {end} is not after start {start}")
        if end > len(text):
            raise fail(f"span {number}: end {end} is past the end of the text (length {len(text)})")
        if span_text is not None and span_text != text[start:end]:
            raise fail(
                f"span {number}: its text {span_text[:40]!r} does not match text[{start}:{end}] "
                f"{text[start:end][:40]!r}"
            )
        spans.append((start, end, label))

    title = meta.get("title") if isinstance(meta.get("title"), str) and meta["title"].strip() else None
    lang = language
    for key in ("lang", "language"):
        if lang is None and isinstance(meta.get(key), str) and meta[key].strip():
            lang = meta[key].strip()
    status = meta.get("status") if meta.get("status") in STATUSES else None
    if status is None and isinstance(record.get("answer"), str):
        status = ANSWER_STATUS.get(record["answer"])
    source_meta = dict(meta)
    if fmt == "doccano" and "id" in record:
        source_meta.setdefault("source_id", record["id"])
    if title is not None and find_lone_surrogate(title) is not None:
        raise fail("meta.title contains a lone surrogate")
    annotator = record.get("_annotator_id", record.get("annotator"))
    if not isinstance(annotator, str) or not annotator.strip() or find_lone_surrogate(annotator) is not None:
        annotator = None
    return build_document(
        text, path=path, line=line, fmt=fmt, spans=spans, title=title, language=lang,
        source_meta=source_meta or None, status=status, annotator=annotator,
        check_surrogates=True,  # always: the text's UTF-8 encoding is needed for its sha256 anyway
    )


def read_jsonl(
    path: Path, *, language: str | None = None, label: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[ParsedDocument]:
    """Yield one ParsedDocument per non-blank line; FormatError at the first bad line."""
    shown = label or str(path)
    try:
        handle = open(path, "rb")
    except OSError as exc:
        raise FormatError(shown, None, f"cannot read the file ({exc.strerror})") from None
    records = 0
    with handle:
        for number, raw in enumerate(handle, 1):
            if on_bytes is not None:
                on_bytes(len(raw))
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if raw.isspace() or not raw:
                continue
            try:  # the line end stays: JSON allows whitespace after the value
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise utf8_error(shown, raw, exc, first_line=number) from None
            try:
                record = json.loads(line)
            except json.JSONDecodeError as first:
                error = first
                try:  # again without the line end, so the column points into the line
                    json.loads(line.rstrip("\r\n"))
                except json.JSONDecodeError as retry:
                    error = retry
                except RecursionError:
                    pass
                hint = ""
                if line.lstrip().startswith("[") and number == 1:
                    hint = "; is this a JSON array? JSONL needs one JSON object per line"
                raise FormatError(shown, number, f"bad JSON: {error.msg} (column {error.colno}){hint}") from None
            except RecursionError:
                raise FormatError(shown, number, "bad JSON: nested too deeply") from None
            records += 1
            yield parse_record(record, path=shown, line=number, language=language)
    if not records:
        raise FormatError(shown, 1, "the file has no records (it is empty or holds only blank lines); "
                                    "JSONL needs one JSON object per line")
