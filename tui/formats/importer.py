"""`tui import`: files and folders into the store, all in one transaction (all or nothing)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tui.formats.errors import FormatError
from tui.formats.jsonl import read_jsonl
from tui.formats.records import ParsedDocument
from tui.formats.txt import read_txt
from tui.store import DocumentRejected, ImportBatch, NewDocument, NewSpan, NewStatus, Store, StoreError

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
FOLDER_SUFFIXES = (".txt",) + JSONL_SUFFIXES

# (bytes read so far, documents read so far); total bytes is known before the first call.
Progress = Callable[[int, int], None]


@dataclass
class ImportSummary:
    files: int = 0
    documents_added: int = 0
    documents_existing: int = 0
    spans_added: int = 0
    spans_existing: int = 0

    def describe(self) -> str:
        return (
            f"{self.files} file{'s' * (self.files != 1)}: {self.documents_added} new document"
            f"{'s' * (self.documents_added != 1)} ({self.documents_existing} already stored), "
            f"{self.spans_added} new span{'s' * (self.spans_added != 1)} ({self.spans_existing} already stored)"
        )


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and files inside folders named (recursively, sorted), without duplicates."""
    found: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = sorted(
                (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES
                 and not any(part.startswith(".") for part in p.relative_to(path).parts)),
                key=lambda p: p.relative_to(path).as_posix(),
            )
            if not candidates:
                raise FormatError(path, None, "no .txt, .jsonl, .ndjson or .json files in this folder")
        elif path.is_file():
            candidates = [path]
        elif path.exists():
            raise FormatError(path, None, "not a regular file or folder")
        else:
            raise FormatError(path, None, "no such file or folder")
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def read_documents(
    files: list[Path], *, language: str | None = None, on_bytes: Callable[[int], None] | None = None
) -> Iterator[ParsedDocument]:
    for path in files:
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from read_jsonl(path, language=language, on_bytes=on_bytes)
        else:
            document = read_txt(path, language=language)
            if on_bytes is not None:
                on_bytes(path.stat().st_size)
            yield document


# A chunk is written when it holds this many documents or this many characters of text.
CHUNK_DOCUMENTS = 500
CHUNK_CHARACTERS = 4_000_000


class _Writer:
    """Writes parsed documents inside the import's transaction, a chunk at a time.

    Documents go in with one batch insert per chunk; then the chunk's spans and statuses, in
    record order, so the database ends exactly as if each record had been written on its own.
    """

    def __init__(self, batch: ImportBatch, annotator: str, summary: ImportSummary, keep_annotators: bool) -> None:
        self.batch = batch
        self.annotator = annotator
        self.keep_annotators = keep_annotators
        self.summary = summary
        self.pending: list[ParsedDocument] = []
        self.pending_characters = 0

    def add(self, doc: ParsedDocument) -> bool:
        """Queue `doc`; True when the queue was written (a chunk is full)."""
        self.pending.append(doc)
        self.pending_characters += len(doc.text)
        if len(self.pending) >= CHUNK_DOCUMENTS or self.pending_characters >= CHUNK_CHARACTERS:
            self.flush()
            return True
        return False

    def flush(self) -> None:
        docs, self.pending, self.pending_characters = self.pending, [], 0
        if not docs:
            return
        try:
            results = self.batch.add_documents(
                [NewDocument(d.text, d.title, d.language, d.direction, d.source, d.meta, d.text_sha256) for d in docs]
            )
        except DocumentRejected as exc:
            raise FormatError(docs[exc.index].source, docs[exc.index].line, str(exc)) from None
        added_count = sum(added for _, added in results)
        self.summary.documents_added += added_count
        self.summary.documents_existing += len(docs) - added_count
        if any(doc.spans for doc in docs):
            self._write_spans(docs, results)
        statuses = [NewStatus(doc_id, self._annotator(doc), doc.status)
                    for doc, (doc_id, _) in zip(docs, results) if doc.status is not None]
        if statuses:
            self.batch.add_statuses(statuses)

    def _annotator(self, doc: ParsedDocument) -> str:
        return doc.annotator if self.keep_annotators and doc.annotator else self.annotator

    def _write_spans(self, docs: list[ParsedDocument], results: list[tuple[str, bool]]) -> None:
        added_spans = 0
        given = 0
        # Consecutive runs of documents new in this import (plain inserts: they have no spans yet, the
        # fast path) and of documents already stored (insert if new), in record order.
        run: list[NewSpan] = []
        run_new = True
        for doc, (doc_id, added) in zip(docs, results):
            if not doc.spans:
                continue
            given += len(doc.spans)
            if added != run_new and run:
                added_spans += self.batch.add_spans(run, documents_are_new=run_new)
                run = []
            run_new = added
            annotator = self._annotator(doc)
            text = doc.text
            run.extend(NewSpan(doc_id, annotator, s.label, s.start, s.end, text[s.start:s.end])
                       for s in dict.fromkeys(doc.spans))  # exact duplicates within a record count once
        if run:
            added_spans += self.batch.add_spans(run, documents_are_new=run_new)
        self.summary.spans_added += added_spans
        self.summary.spans_existing += given - added_spans


def import_paths(
    store: Store, paths: Iterable[str | Path], *, annotator: str = "import", language: str | None = None,
    progress: Progress | None = None, keep_annotators: bool = False,
) -> ImportSummary:
    """Import everything or nothing: a FormatError / StoreError rolls the whole import back.

    Spans and statuses are stored as `annotator`'s, or, with `keep_annotators`, as the annotator
    each record names (`_annotator_id` or `annotator`, as `tui export` writes them) when it names one.
    `progress(bytes_read, documents_read)` is called after each chunk of documents is written.
    """
    if not annotator or not annotator.strip():
        raise StoreError("an annotator name is required (use --annotator NAME).")
    files = collect_files(paths)
    if store.count_documents():  # an empty (new) database has nothing to check or to lose
        store.require_sound()  # PRAGMA quick_check (reads the whole file): never write into a damaged one
    summary = ImportSummary(files=len(files))
    done_bytes = 0

    def count_bytes(n: int) -> None:
        nonlocal done_bytes
        done_bytes += n

    with store.bulk_import() as batch:
        writer = _Writer(batch, annotator, summary, keep_annotators)
        documents = 0
        try:
            for doc in read_documents(files, language=language, on_bytes=count_bytes):
                documents += 1
                if writer.add(doc) and progress is not None:
                    progress(done_bytes, documents)
        except FormatError:
            writer.flush()  # an earlier record that cannot be stored is the first error to report
            raise
        writer.flush()
        if progress is not None:
            progress(done_bytes, documents)
    return summary
