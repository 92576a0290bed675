"""Links as JSONL: `tui export --links` and `tui import --links FILE`.

One line per link, keys in this order:

    {"id", "label", "annotator",
     "head": {"doc_id", "span_id", "start", "end", "label", "text", "lang"},
     "child": {...the same...},
     "cluster_id"}

`span_id` is the span's stable id, `<doc_id>:<start>-<end>:<label>` (the same in every database that
holds the span; the annotator is the line's). `cluster_id` names the cluster of a transitive label
(same_entity, same_claim): `<link label>-<12 hex digits>` derived from the cluster's earliest span in
reading order (articles in import order, then offsets), null for other labels. Lines are sorted by
annotator, then the head's and the child's place in reading order, then label, then id.

`--format mentions` writes the CDLM-style mention list instead: one line per mention of a cluster,
`{"cluster_id", "link_label", "annotator", "doc_id", "span_id", "start", "end", "label", "text", "lang"}`,
sorted by annotator, cluster (by its earliest mention), then reading order.

Importing reads the links form: spans are matched by (doc_id, start, end, label) among the link
annotator's spans, and added for that annotator when missing (the article must be stored, and the
text, when given, must match). The link keeps its `id` when that id is free. A link already stored
(the same, or reversed for a symmetric label) is skipped. One transaction: a bad line stops the
import with `file:line: reason` and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from tui.formats.errors import ExportError, FormatError
from tui.formats.exporter import dumps_line
from tui.formats.normalise import find_lone_surrogate, utf8_error
from tui.safe_text import escape_json_for_terminal
from tui.store import Store, StoreError
from tui.store.link_rows import LinkedSpan, LinkRow

LINK_FORMATS = ("links", "mentions")


@dataclass
class LinkExportSummary:
    lines: int = 0
    links: int = 0
    mentions: int = 0


@dataclass
class LinkImportSummary:
    links_added: int = 0
    links_existing: int = 0
    spans_added: int = 0

    def describe(self) -> str:
        return (f"{self.links_added} new link{'s' * (self.links_added != 1)} ({self.links_existing} already stored), "
                f"{self.spans_added} new span{'s' * (self.spans_added != 1)}")


def span_key(doc_id: str, start: int, end: int, label: str) -> str:
    """The stable id of a span in exports: `<doc_id>:<start>-<end>:<label>`."""
    return f"{doc_id}:{start}-{end}:{label}"


# ------------------------------------------------------------------------------------ export


def _end(end: LinkedSpan) -> dict[str, Any]:
    span = end.span
    return {"doc_id": span.document_id, "span_id": span_key(span.document_id, span.start, span.end, span.label),
            "start": span.start, "end": span.end, "label": span.label, "text": span.text, "lang": end.language}


def link_record(row: LinkRow) -> dict[str, Any]:
    return {"id": row.link.id, "label": row.link.label, "annotator": row.link.annotator,
            "head": _end(row.head), "child": _end(row.child), "cluster_id": row.cluster_id}


def mention_records(rows: Sequence[LinkRow]) -> list[dict[str, Any]]:
    """One record per (cluster, span) of the transitive links in `rows`, in a deterministic order."""
    seen: dict[tuple[str, int], tuple[Any, ...]] = {}
    records: dict[tuple[str, int], dict[str, Any]] = {}
    for row in rows:
        if row.cluster_id is None:
            continue
        for end in (row.head, row.child):
            key = (row.cluster_id, end.span.id)
            if key in records:
                continue
            records[key] = {"cluster_id": row.cluster_id, "link_label": row.link.label,
                            "annotator": row.link.annotator, **_end(end)}
            seen[key] = (end.document_seq, end.span.start, end.span.end, end.span.label)
    first: dict[str, tuple[Any, ...]] = {}
    for (cluster, _), position in seen.items():
        first[cluster] = min(first.get(cluster, position), position)
    return [records[key] for key in sorted(
        records, key=lambda k: (records[k]["annotator"], first[k[0]], k[0], seen[k]))]


def _check(store: Store, row: LinkRow, texts: dict[str, str]) -> None:
    for end in (row.head, row.child):
        span = end.span
        text = texts.get(span.document_id)
        if text is None:
            text = texts[span.document_id] = store.get_document(span.document_id).text
        if not (0 <= span.start < span.end <= len(text)) or text[span.start:span.end] != span.text:
            raise ExportError(
                f"link {row.link.id}: span {span.id} ({span.label!r} {span.start}-{span.end} in document "
                f"{span.document_id}) does not match the document text there; nothing was written. "
                "Fix or delete the span."
            )


def iter_link_lines(store: Store, *, fmt: str = "links", annotators: Sequence[str] = ()) -> Iterator[str]:
    """The export's lines, every span checked against its document's text first."""
    if fmt not in LINK_FORMATS:
        raise ExportError(f"unknown links format {fmt!r}; use one of {', '.join(LINK_FORMATS)}")
    rows = store.link_rows(annotators=annotators)
    texts: dict[str, str] = {}
    for row in rows:
        _check(store, row, texts)
    records = [link_record(row) for row in rows] if fmt == "links" else mention_records(rows)
    for record in records:
        yield dumps_line(record)


def export_links(
    store: Store, out: TextIO, *, fmt: str = "links", annotators: Sequence[str] = (), terminal: bool = False,
) -> LinkExportSummary:
    """Write the links (or mentions) as JSONL. `terminal=True` (standard output is a terminal): control,
    bidi and format characters are written as \\uXXXX escapes (the same JSON, inert on screen)."""
    summary = LinkExportSummary()
    lines = list(iter_link_lines(store, fmt=fmt, annotators=annotators))  # all checked before the first write
    for line in lines:
        out.write(escape_json_for_terminal(line) if terminal else line)
    summary.lines = len(lines)
    if fmt == "links":
        summary.links = len(lines)
    else:
        summary.mentions = len(lines)
    return summary


# ------------------------------------------------------------------------------------ import


@dataclass(frozen=True)
class _End:
    doc_id: str
    start: int
    end: int
    label: str
    text: str | None


@dataclass(frozen=True)
class LinkLine:
    line: int
    id: int | None
    label: str
    annotator: str
    head: _End
    child: _End
    cluster_id: str | None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _string(record: dict[str, Any], key: str, fail: Callable[[str], FormatError], where: str = "") -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(f'{where}"{key}" must be a non-empty string')
    if find_lone_surrogate(value) is not None:
        raise fail(f'{where}"{key}" contains a lone surrogate')
    return value


def _parse_end(raw: Any, name: str, fail: Callable[[str], FormatError]) -> _End:
    if not isinstance(raw, dict):
        raise fail(f'"{name}" must be an object with doc_id, start, end and label')
    where = f"{name}: "
    for key in ("doc_id", "start", "end", "label"):
        if key not in raw:
            raise fail(f'{where}no "{key}"')
    doc_id = _string(raw, "doc_id", fail, where)
    label = _string(raw, "label", fail, where)
    start, end = raw["start"], raw["end"]
    if not (_is_int(start) and _is_int(end)):
        raise fail(f'{where}"start" and "end" must be integers, got {start!r} and {end!r}')
    if not 0 <= start < end:
        raise fail(f"{where}span {start}-{end} is empty or negative")
    text = raw.get("text")
    if text is not None and not isinstance(text, str):
        raise fail(f'{where}"text" must be a string')
    return _End(doc_id, start, end, label, text)


def parse_link_line(value: Any, *, path: str, line: int) -> LinkLine:
    """Check one decoded JSON value of a links file (FormatError naming path:line)."""

    def fail(reason: str) -> FormatError:
        return FormatError(path, line, reason)

    if not isinstance(value, dict):
        raise fail(f"expected a JSON object (a link), got {type(value).__name__}")
    for key in ("label", "annotator", "head", "child"):
        if key not in value:
            raise fail(f'no "{key}"; a link line has id, label, annotator, head, child and cluster_id')
    link_id = value.get("id")
    if link_id is not None and not (_is_int(link_id) and link_id > 0):
        raise fail(f'"id" must be a positive integer or null, got {link_id!r}')
    cluster = value.get("cluster_id")
    if cluster is not None and not isinstance(cluster, str):
        raise fail(f'"cluster_id" must be a string or null, got {cluster!r}')
    head = _parse_end(value["head"], "head", fail)
    child = _parse_end(value["child"], "child", fail)
    if (head.doc_id, head.start, head.end, head.label) == (child.doc_id, child.start, child.end, child.label):
        raise fail("head and child are the same span; a span cannot be linked to itself")
    return LinkLine(line, link_id, _string(value, "label", fail), _string(value, "annotator", fail), head, child,
                    cluster)


def read_link_lines(path: Path) -> list[LinkLine]:
    """Every line of a links file, checked (FormatError at the first bad one)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FormatError(path, None, "no such file") from None
    except IsADirectoryError:
        raise FormatError(path, None, "is a folder; give a links file (JSONL, as tui export --links writes)") from None
    except OSError as exc:
        raise FormatError(path, None, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise utf8_error(str(path), data, exc) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    lines: list[LinkLine] = []
    for number, raw in enumerate(text.split("\n"), 1):
        raw = raw.rstrip("\r")
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise FormatError(path, number, f"not valid JSON ({exc.msg} at column {exc.colno})") from None
        except RecursionError:
            raise FormatError(path, number, "not valid JSON (nested too deeply)") from None
        lines.append(parse_link_line(value, path=str(path), line=number))
    if not lines:
        raise FormatError(path, None, "no links in the file (expected one JSON object per line)")
    return lines


def import_links(store: Store, path: Path) -> LinkImportSummary:
    """Import a links file: everything or nothing (FormatError `file:line: reason`, database unchanged)."""
    path = Path(path)
    records = read_link_lines(path)
    summary = LinkImportSummary()
    with store.bulk_import() as batch:
        texts: dict[str, str] = {}
        for record in records:
            def fail(reason: str, record: LinkLine = record) -> FormatError:
                return FormatError(path, record.line, reason)

            ids = []
            for name, end in (("head", record.head), ("child", record.child)):
                text = texts.get(end.doc_id)
                if text is None:
                    found = batch.document_text(end.doc_id)
                    if found is None:
                        raise fail(f"{name}: document {end.doc_id} is not in the database; import the articles "
                                   "first (tui import --keep-annotators FILE, as tui export wrote them)")
                    if len(texts) > 64:
                        texts.clear()
                    text = texts[end.doc_id] = found
                if end.end > len(text):
                    raise fail(f"{name}: span {end.start}-{end.end} is past the end of document {end.doc_id} "
                               f"(length {len(text)})")
                covered = text[end.start:end.end]
                if end.text is not None and end.text != covered:
                    raise fail(f"{name}: span text {end.text[:40]!r} does not match the document text there "
                               f"{covered[:40]!r}")
                if not covered.strip():
                    raise fail(f"{name}: span {end.start}-{end.end} covers only whitespace")
                try:
                    span_id, added = batch.find_or_add_span(end.doc_id, record.annotator, end.label, end.start,
                                                            end.end, covered)
                except StoreError as exc:
                    raise fail(f"{name}: {exc}") from None
                summary.spans_added += added
                ids.append(span_id)
            try:
                added = batch.add_link(record.annotator, ids[0], ids[1], record.label, link_id=record.id,
                                       transitive_if_new=record.cluster_id is not None)
            except StoreError as exc:
                raise fail(str(exc)) from None
            if added:
                summary.links_added += 1
            else:
                summary.links_existing += 1
    return summary
