"""`tui export`: JSONL, one line per (document, annotator), streamed and verified.

Order is deterministic: documents in import order, annotators by name, spans by
(start, end, label); keys in a fixed order; ensure_ascii=False. So import -> export ->
import into a fresh database -> export gives the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from tui import files
from tui.formats.errors import ExportError
from tui.safe_text import escape_json_for_terminal
from tui.store import Store
from tui.store.connection import is_sqlite_file
from tui.store.target import PostgresTarget

SpanRow = tuple[int, int, int, str, str]
"""(span id, start, end, label, text) of one annotator's span."""

FORMATS = ("spacy", "doccano")
# Prodigy answers: only finished documents are "accept"; unfinished and skipped ones are "ignore"
# (Prodigy and spaCy's data-to-spacy leave them out). meta.status keeps the exact status.
ANSWERS = {"done": "accept", "skipped": "ignore", "in_progress": "ignore", "todo": "ignore"}
_OWN_META = ("doc_id", "title", "lang", "direction", "text_sha256", "offset_unit", "status")
# JSON allows these raw, but str.splitlines() and some JSONL readers break lines on them.
_LINE_BREAKERS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass
class ExportSummary:
    documents: int = 0
    lines: int = 0
    spans: int = 0


def dumps_line(record: dict[str, Any]) -> str:
    line = json.dumps(record, ensure_ascii=False)
    for raw, escaped in _LINE_BREAKERS.items():
        if raw in line:
            line = line.replace(raw, escaped)
    return line + "\n"


def _spacy_record(doc: dict[str, Any], annotator: str, status: str, spans: list[SpanRow]) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "doc_id": doc["id"], "title": doc["title"], "lang": doc["language"], "direction": doc["direction"],
        "text_sha256": doc["text_sha256"], "offset_unit": "codepoint", "status": status,
    }
    extra = doc["source_meta"]
    for key in sorted(extra):
        if key not in _OWN_META:
            meta[key] = extra[key]
    return {
        "text": doc["text"],
        "spans": [{"start": s, "end": e, "label": label, "text": text} for _, s, e, label, text in spans],
        "meta": meta,
        "_annotator_id": annotator,
        "answer": ANSWERS[status],
    }


def _doccano_record(doc: dict[str, Any], annotator: str, status: str, spans: list[SpanRow]) -> dict[str, Any]:
    return {
        "id": doc["id"],
        "text": doc["text"],
        "label": [[s, e, label] for _, s, e, label, _ in spans],
        "annotator": annotator,
    }


def iter_records(
    store: Store, *, fmt: str = "spacy", annotators: Sequence[str] = (), labels: Sequence[str] = (),
    status: str | None = None, progress: Callable[[int], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield export records one at a time from a consistent snapshot (a read transaction)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    build = _spacy_record if fmt == "spacy" else _doccano_record
    wanted_annotators = set(annotators)
    wanted_labels = set(labels)
    with store.read_snapshot() as snapshot:  # one snapshot for the whole export, even while others annotate
        count = 0
        for document in snapshot.documents():
            doc_id, text = document.id, document.text
            count += 1
            if progress is not None:
                progress(count)
            statuses = snapshot.statuses(doc_id)
            by_annotator: dict[str, list[SpanRow]] = {}
            for span in snapshot.spans(doc_id):
                by_annotator.setdefault(span.annotator, []).append(span[1:])
            pairs = sorted(set(statuses) | set(by_annotator))
            if wanted_annotators:
                pairs = [a for a in pairs if a in wanted_annotators]
            pairs = [a for a in pairs if status is None or statuses.get(a, "todo") == status]
            if not pairs:
                continue
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != document.text_sha256:
                raise ExportError(
                    f"document {doc_id}: its text no longer matches its stored sha256; the database was "
                    "edited outside tui. Restore it from a backup."
                )
            doc = {"id": doc_id, "title": document.title, "text": text, "language": document.language,
                   "direction": document.direction, "text_sha256": document.text_sha256,
                   "source_meta": json.loads(document.meta).get("source_meta") or {}}
            for annotator in pairs:
                spans = sorted(
                    (s for s in by_annotator.get(annotator, []) if not wanted_labels or s[3] in wanted_labels),
                    key=lambda s: (s[1], s[2], s[3], s[0]),
                )
                for span_id, start, end, label, span_text in spans:
                    if not (0 <= start < end <= len(text)) or text[start:end] != span_text:
                        raise ExportError(
                            f"span {span_id} ({label!r} {start}-{end} by {annotator} in document {doc_id}): "
                            f"its text {span_text[:40]!r} does not match the document text there "
                            f"{text[start:end][:40]!r}. Nothing was written; fix or delete the span "
                            f"(sqlite-utils {store.path} \"delete from spans where id = {span_id}\")."
                        )
                yield build(doc, annotator, statuses.get(annotator, "todo"), spans)


def export_jsonl(
    store: Store, out: TextIO, *, fmt: str = "spacy", annotators: Sequence[str] = (), labels: Sequence[str] = (),
    status: str | None = None, progress: Callable[[int], None] | None = None, terminal: bool = False,
) -> ExportSummary:
    """Write the records as JSONL to `out`. `terminal=True` (standard output is a terminal): every
    control, bidi or format character is written as a \\uXXXX escape, the same JSON value but
    inert on screen; otherwise the bytes are exactly those of `dumps_line` (files, pipes)."""
    summary = ExportSummary()
    last_doc = None
    for record in iter_records(store, fmt=fmt, annotators=annotators, labels=labels, status=status,
                               progress=progress):
        line = dumps_line(record)
        out.write(escape_json_for_terminal(line) if terminal else line)
        summary.lines += 1
        summary.spans += len(record["spans"] if fmt == "spacy" else record["label"])
        doc_id = record["meta"]["doc_id"] if fmt == "spacy" else record["id"]
        if doc_id != last_doc:
            summary.documents += 1
            last_doc = doc_id
    return summary


def refuse_database_output(output: Path, database: Path | PostgresTarget) -> None:
    """ExportError unless `output` is safe to replace: never the database being read, its -wal,
    -shm or -journal file, nor any other SQLite database (checked by its header)."""
    output = Path(output)
    twins = ("", "-wal", "-shm", "-journal") if isinstance(database, Path) else ()  # a server has no files here
    for suffix in twins:
        twin = Path(f"{database}{suffix}")
        if _same_file(output, twin):
            what = "the database being exported" if not suffix else f"the database's {suffix[1:]} file"
            raise ExportError(
                f"{output} is {what}; writing there would destroy it. Nothing was written; "
                "choose another -o file (e.g. export.jsonl)."
            )
    if is_sqlite_file(output):
        raise ExportError(
            f"{output} is a SQLite database; export never writes over one. Nothing was written; "
            "choose another -o file (e.g. export.jsonl)."
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return a.samefile(b)
    except OSError:
        pass
    return os.path.abspath(a) == os.path.abspath(b)


@contextlib.contextmanager
def atomic_output(path: Path, *, keep_if_empty: bool = False) -> Iterator[TextIO]:
    """Write to a temporary file beside `path`, fsync, then rename over it: never a half-written file
    (tui.files.atomic_output), after checking that -o names a file in a folder that exists.

    `keep_if_empty`: when nothing was written and `path` already exists, it is left as it was
    ("nothing to export" must not empty yesterday's export)."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ExportError(f"{path}: the folder {directory} does not exist; create it or choose another -o path.")
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give -o a file name.")
    with files.atomic_output(path, keep_if_empty=keep_if_empty) as handle:
        yield handle
