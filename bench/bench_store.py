"""Data at scale: import, export, save latency, `tui stats` and the picker's filter.

- import: N articles from JSONL into an empty database (`tui import`) against
  `sqlite-utils insert --nl` of the same file; articles per second, target >= 0.5x;
- search index: `tui index` on the database that import just made (it leaves the full-text index
  to be built: tui.store.search) against `sqlite-utils enable-fts` of the article text on the
  sqlite-utils database, same FTS5 tokenizer; articles per second;
- export: every span of the scale database to JSONL (`tui export -o`) against
  `sqlite-utils rows DB spans --nl`; spans per second, target >= 0.5x;
- save: per-annotation commit latency (Store.add_span: WAL, synchronous=FULL) p50 and p99 against a
  bare sqlite3 INSERT + COMMIT with the same pragmas, interleaved call by call; target <= 1.5x;
- stats: `tui stats` on the scale database against `sqlite-utils query` of the same span counts;
- picker filter: what the picker runs when the filter changes (count + first page of matches,
  with this annotator's progress) against the same page by plain SQL LIKE (same folded titles).

Every command runs as a child process with output to a file in bench/out (not a terminal),
timed wall-clock from spawn to exit; the two sides of a row alternate run by run.
"""

from __future__ import annotations

from dataclasses import replace

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bench import data
from bench.common import (Config, Row, elapsed_ms, first_document, latency_summary, percentile_by_step, scale_sizes,
                          tags_per_save_round, time_saves)
from bench.bench_start import tui_command

if TYPE_CHECKING:
    from tui.store import Store
    from tui.store.search import DocumentQuery


def _tool(name: str) -> list[str]:
    script = Path(sys.executable).parent / name
    if script.exists():
        return [str(script)]
    found = shutil.which(name)
    if found:
        return [found]
    return [sys.executable, "-m", name.replace("-", "_")]


def _timed(argv: list[str], *, stdout: Path | None = None, cwd: Path | None = None) -> float:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE")}
    with open(stdout or os.devnull, "wb") as out:
        started = time.perf_counter()
        completed = subprocess.run(argv, stdout=out, stderr=subprocess.PIPE, cwd=cwd, env=env)
        elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({completed.returncode}): "
                           f"{completed.stderr.decode(errors='replace')[-600:]}")
    return elapsed


def _scratch(cfg: Config, prefix: str) -> tempfile.TemporaryDirectory:
    cfg.out.mkdir(parents=True, exist_ok=True)
    return tempfile.TemporaryDirectory(dir=cfg.out, prefix=prefix)


# ---------------------------------------------------------------------------- import


def bench_import(cfg: Config) -> list[Row]:
    docs, _ = scale_sizes(cfg)
    source = data.articles_jsonl(cfg, docs)
    repeat = cfg.repeats(3, 2)
    ours: list[float] = []
    reference: list[float] = []
    floor: list[float] = []
    index: list[float] = []
    index_reference: list[float] = []
    with _scratch(cfg, "import-") as scratch:
        for round_ in range(repeat):
            for side in ("reference", "ours", "floor"):
                db = Path(scratch) / f"{side}.db"
                for extra in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                    extra.unlink(missing_ok=True)
                if side == "ours":
                    seconds = _timed(tui_command() + ["--db", str(db), "import", "--quiet", str(source)])
                    ours.append(docs / seconds)
                    seconds = _timed(tui_command() + ["--db", str(db), "index", "--quiet"])
                    index.append(docs / seconds)
                elif side == "floor":
                    seconds = _timed([sys.executable, "-m", "bench.import_floor", str(db), str(source)],
                                     cwd=Path(__file__).resolve().parent.parent)
                    floor.append(docs / seconds)
                else:
                    seconds = _timed(_tool("sqlite-utils") + ["insert", str(db), "articles", str(source), "--nl"])
                    reference.append(docs / seconds)
                    seconds = _timed(_tool("sqlite-utils") + ["enable-fts", str(db), "articles", "text", "--fts5",
                                                              "--tokenize", "unicode61 remove_diacritics 2"])
                    index_reference.append(docs / seconds)
            cfg.log(f"import round {round_ + 1}/{repeat}: tui {ours[-1]:,.0f} docs/s, "
                    f"sqlite-utils {reference[-1]:,.0f} docs/s; search index: tui index {index[-1]:,.0f} docs/s, "
                    f"sqlite-utils enable-fts {index_reference[-1]:,.0f} docs/s")
    return [
        Row(f"import: {docs:,} articles from JSONL (tui import)", "docs/s", ours,
            "sqlite-utils insert --nl", reference, target=0.5, better="higher", group="import"),
        Row("floor: JSON + sha256 + insert into tui's schema (bench/import_floor.py)", "docs/s", floor,
            "sqlite-utils insert --nl", reference, better="higher", group="import",
            note="informational: the same rows with no checks, one executemany"),
        Row("import: tui import against that floor", "docs/s", ours, "the floor", floor, better="higher",
            group="import", note="informational: the cost of the importer's checks and normalisation"),
        Row(f"search index: tui index after a {docs:,}-article import", "docs/s", index,
            "sqlite-utils enable-fts (text only)", index_reference, better="higher", group="import",
            note="informational: tui indexes title + text, folded, in chunks of 2,000 (one transaction each)"),
    ]


# ---------------------------------------------------------------------------- export


def bench_export(cfg: Config) -> list[Row]:
    docs, spans = scale_sizes(cfg)
    db = data.scale_db(cfg, docs, spans)
    repeat = cfg.repeats(3, 2)
    ours: list[float] = []
    reference: list[float] = []
    with _scratch(cfg, "export-") as scratch:
        target = Path(scratch) / "export.jsonl"
        for round_ in range(repeat):
            seconds = _timed(_tool("sqlite-utils") + ["rows", str(db), "spans", "--nl"], stdout=target)
            reference.append(spans / seconds)
            target.unlink(missing_ok=True)
            seconds = _timed(tui_command() + ["--db", str(db), "export", "--quiet", "-o", str(target)])
            ours.append(spans / seconds)
            target.unlink(missing_ok=True)
            cfg.log(f"export round {round_ + 1}/{repeat}: tui {ours[-1]:,.0f} spans/s, "
                    f"sqlite-utils {reference[-1]:,.0f} spans/s")
    return [Row(f"export: {spans:,} spans to JSONL (tui export)", "spans/s", ours,
                "sqlite-utils rows spans --nl", reference, target=0.5, better="higher", group="export")]


# ------------------------------------------------------------------------------ save


def bench_save(cfg: Config) -> list[Row]:
    """add_span latency against INSERT + COMMIT on a bare connection, same file system and pragmas."""
    from tui.store import Store

    count = tags_per_save_round(cfg)
    repeat = cfg.repeats(5, 2)  # cheap, and fsync latency on a shared disk is noisy
    rounds: list[list[list[float]]] = []  # [round][ours, bare, floor]: milliseconds per tag
    seeds = data.seeds_db(cfg)
    with _scratch(cfg, "save-") as scratch:
        for round_ in range(repeat):
            db = Path(scratch) / f"store-{round_}.db"
            shutil.copyfile(seeds, db)
            floor_db = Path(scratch) / f"floor-{round_}.db"
            shutil.copyfile(seeds, floor_db)
            bare_path = Path(scratch) / f"bare-{round_}.db"
            with (Store.open(db) as store, closing(_bare_connection(bare_path)) as bare,
                  closing(_floor_connection(floor_db)) as floor):
                doc_id, text = first_document(store)

                def ours(label: str, start: int, end: int) -> None:
                    store.add_span(doc_id, "bench", label, start, end)

                def reference(label: str, start: int, end: int) -> None:
                    bare.execute("BEGIN IMMEDIATE")
                    bare.execute(
                        'INSERT INTO spans (document_id, annotator, label, start, "end", text, created_at, '
                        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (doc_id, "bench", label, start, end, text[start:end], "t", "t"),
                    )
                    bare.execute("COMMIT")

                def floors(label: str, start: int, end: int) -> None:
                    _floor_add(floor, doc_id, label, start, end, text[start:end])

                rounds.append(time_saves(text, count, (ours, reference, floors)))
            cfg.log(f"save round {round_ + 1}/{repeat}: " + latency_summary(("add_span", "bare"), rounds[-1]))
    p50s, ref_p50s, floor_p50s = percentile_by_step(rounds, 0.50)
    p99s, ref_p99s, _ = percentile_by_step(rounds, 0.99)
    note = f"{count} spans per round"
    return [
        Row("save: Store.add_span commit latency p50", "ms", p50s, "bare sqlite3 INSERT+COMMIT p50", ref_p50s,
            target=1.5, group="save", note=note),
        Row("save: Store.add_span commit latency p99", "ms", p99s, "bare sqlite3 INSERT+COMMIT p99", ref_p99s,
            target=1.5, group="save", note=note),
        Row("floor: the same rows (span + event) by bare sqlite3, p50", "ms", floor_p50s,
            "bare sqlite3 INSERT+COMMIT p50", ref_p50s, group="save",
            note="informational: the app's schema and indexes, JSON prepared in advance"),
        Row("save: Store.add_span p50 against that floor", "ms", p50s, "same rows by bare sqlite3 p50", floor_p50s,
            group="save", note="informational: the cost of the store's Python code"),
    ]


def _bare_connection(path: Path) -> sqlite3.Connection:
    """sqlite3 with the store's durability settings (WAL, synchronous=FULL, foreign keys, busy timeout)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(
        'CREATE TABLE IF NOT EXISTS spans (id INTEGER PRIMARY KEY AUTOINCREMENT, document_id TEXT NOT NULL, '
        'annotator TEXT NOT NULL, label TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, '
        "text TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    return conn


def _floor_connection(path: Path) -> sqlite3.Connection:
    """A bare connection to a copy of the app's database, with the store's pragmas."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("busy_timeout = 5000", "foreign_keys = ON", "synchronous = FULL", "journal_mode = WAL"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


_FLOOR_EVENT = '{"annotator": "floor", "created_at": "t", "end": 0, "id": 0, "label": "entity"}'


def _floor_add(conn: sqlite3.Connection, doc_id: str, label: str, start: int, end: int, text: str) -> None:
    """What any implementation of the data model must write for one tag: the span and its event."""
    conn.execute("BEGIN IMMEDIATE")
    cursor = conn.execute(
        'INSERT INTO spans (document_id, annotator, label, start, "end", text, created_at, updated_at) '
        "VALUES (?, 'floor', ?, ?, ?, ?, 't', 't')", (doc_id, label, start, end, text))
    conn.execute(
        "INSERT INTO events (created_at, annotator, document_id, action, span_id, before, after) "
        "VALUES ('t', 'floor', ?, 'add', ?, NULL, ?)", (doc_id, cursor.lastrowid, _FLOOR_EVENT))
    conn.execute("COMMIT")


# ----------------------------------------------------------------------------- stats


def bench_stats(cfg: Config) -> list[Row]:
    docs, spans = scale_sizes(cfg)
    db = data.scale_db(cfg, docs, spans)
    repeat = cfg.repeats(3, 2)
    ours: list[float] = []
    reference: list[float] = []
    query = ("SELECT annotator, label, count(*) FROM spans GROUP BY annotator, label; ")
    for round_ in range(repeat):
        reference.append(_timed(_tool("sqlite-utils") + ["query", str(db), query]))
        ours.append(_timed(tui_command() + ["--db", str(db), "stats"]))
        cfg.log(f"stats round {round_ + 1}/{repeat}: tui stats {ours[-1]:.3f} s, sqlite-utils query {reference[-1]:.3f} s")
    return [Row(f"tui stats: {docs:,} articles / {spans:,} spans", "s", ours,
                "sqlite-utils query (span counts by annotator, label)", reference, target=1.5, group="scale")]


# ---------------------------------------------------------------------------- picker


PICKER_QUERIES = ("viet", "putin", "نشرة ١٢", "belarus hiep uoc", "zzz-no-match")


def _plain_page_sql(annotator: str, source: str) -> str:
    """The same page the picker shows (title, language, direction, this annotator's span count and
    status) as plain SQL over `source` (the FROM clause and its WHERE): no index hint, no escaping,
    no records. `annotator` is an SQL expression (a literal or a named parameter)."""
    return ("SELECT d.id, d.title, d.language, d.direction, d.length, "
            f"(SELECT count(*) FROM spans s WHERE s.document_id = d.id AND s.annotator = {annotator}), "
            "coalesce((SELECT st.status FROM document_status st WHERE st.document_id = d.id AND st.annotator = "
            f"{annotator}), 'todo') FROM {source} ORDER BY d.seq LIMIT 200")


# The plain side of the title filter: the same folded titles, so the same rows match.
_PLAIN_PAGE = _plain_page_sql("'alice'", "documents d WHERE d.title_folded LIKE ?")


def picker_title_filter(store: Store, search: str) -> None:
    """As PickerScreen.reload() for a title filter: the count, then the first page only when something matched."""
    if store.count_documents(search=search):
        store.list_documents(offset=0, limit=200, search=search, annotator="alice")


def picker_full_text(store: Store, query: DocumentQuery) -> None:
    """The same for a parsed full-text filter (tui.store.search)."""
    if store.count_matching(query):
        store.find_documents(query, offset=0, limit=200)


def _plain_count_then_page(plain: sqlite3.Connection, count_sql: str, page_sql: str, params: object) -> None:
    """The picker's two steps by hand: the count, then the page only when something matched."""
    if plain.execute(count_sql, params).fetchone()[0]:
        plain.execute(page_sql, params).fetchall()


PickerCase = tuple[Callable[["Store"], None], str, str, object]
"""One filter change: the store side (the picker's calls) and the plain side's count SQL, page SQL, parameters."""


def _time_picker_against_plain(db: Path, repeat: int, cases: list[PickerCase]) -> tuple[list[float], list[float]]:
    """Milliseconds of each case, `repeat` times in turn: the picker's store calls on a read-only
    Store, then the same count and page by hand on a plain read-only connection."""
    from tui.store import Store

    ours: list[float] = []
    reference: list[float] = []
    with Store.open(db, readonly=True) as store, closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as plain:
        for _ in range(repeat):
            for picker_calls, count_sql, page_sql, params in cases:
                ours.append(elapsed_ms(picker_calls, store))
                reference.append(elapsed_ms(_plain_count_then_page, plain, count_sql, page_sql, params))
    return ours, reference


def bench_picker(cfg: Config) -> list[Row]:
    """The picker's store calls for one filter change, against a plain LIKE scan of the titles."""
    from tui.store.textutil import fold_for_search, like_pattern

    docs, spans = scale_sizes(cfg)
    db = data.scale_db(cfg, docs, spans)
    repeat = cfg.repeats(5, 3)
    cases: list[PickerCase] = [
        (partial(picker_title_filter, search=query), "SELECT count(*) FROM documents WHERE title_folded LIKE ?",
         _PLAIN_PAGE, (like_pattern(fold_for_search(query)),))
        for query in PICKER_QUERIES]
    ours, reference = _time_picker_against_plain(db, repeat, cases)
    cfg.log(f"picker filter: median {statistics.median(ours):.1f} ms, plain LIKE {statistics.median(reference):.1f} ms")
    rows = [Row(f"picker filter: {docs:,} articles (count + first 200)", "ms", ours,
                "the same page by plain SQL LIKE", reference, target=1.5, group="scale",
                note=f"{len(PICKER_QUERIES)} queries x {repeat}")]
    return rows + _bench_picker_text(cfg, db, docs, repeat)


FULL_TEXT_QUERIES = ("putin", "hiep uoc", "معاهدة", "status:done belarus", "lang:ar has:spans موسكو", "zzz-no-match")


def _bench_picker_text(cfg: Config, db: Path, docs: int, repeat: int) -> list[Row]:
    """The picker with full-text search and filters (tui.store.search: FTS5 + the title LIKE),
    against the same SQL typed by hand on a plain connection."""
    from tui.store.search import _where, parse_filter

    cases: list[PickerCase] = []
    for text in FULL_TEXT_QUERIES:
        query = replace(parse_filter(text), annotator="alice")
        where, params = _where(query)  # the same WHERE, run by hand: no store, no records
        cases.append((partial(picker_full_text, query=query), f"SELECT count(*) FROM documents AS d{where}",
                      _plain_page_sql(":ann", f"documents AS d{where}"), params))
    ours, reference = _time_picker_against_plain(db, repeat, cases)
    cfg.log(f"picker full text: median {statistics.median(ours):.1f} ms, plain SQL {statistics.median(reference):.1f} ms")
    return [Row(f"picker full-text search + filters: {docs:,} articles", "ms", ours,
                "the same FTS5 + LIKE query by plain SQL", reference, target=1.5, group="scale",
                note=f"{len(FULL_TEXT_QUERIES)} queries x {repeat}")]
