"""The 100,000-article benchmarks on PostgreSQL, each against SQLite's figure from the same run.

`python -m bench --backend postgres` (or `both`) starts a throwaway server exactly as the tests do
(tests/postgres_server.py: initdb + pg_ctl in a temporary folder, a Unix socket only, fsync off:
the same settings for every run; it is stopped and deleted at the end), moves the scale database
into it with `tui copy`, and measures, interleaving the two backends run by run:

- start: `tui --db postgresql://...` to its first full frame (pty, 120x32) against `tui --db scale.db`;
- picker filter / full text: the picker's store calls for one filter change (as bench_store) on a
  Store on each backend;
- export: `tui export -o` of every span, spans per second, against the same on SQLite;
- save p50 / p99: Store.add_span commit latency against a bare psycopg INSERT + COMMIT on the
  same server (the floor any PostgreSQL client pays), call by call alternating; and against
  SQLite's Store.add_span (informational);
- concurrency: N annotator processes x M random adds/relabels/deletes at once on one database
  (tests/reliability/concurrency.py: the same workers and the same check as the reliability
  test: nothing lost, doubled or reordered — a loss fails the benchmark), operations per second
  against the same workload on SQLite.
"""

from __future__ import annotations

import shutil
import statistics
import traceback
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench import data
from bench.common import (ROOT, Config, Row, elapsed_ms, first_document, latency_summary, percentile_by_step,
                          scale_sizes, tags_per_save_round, time_saves)

POSTGRES_BENCHMARKS = ("start", "picker", "export", "save", "concurrency")


@contextmanager
def throwaway_server(cfg: Config) -> Iterator[Any]:
    """The tests' throwaway server (tests/postgres_server.py), stopped and removed afterwards."""
    from tests import postgres_server

    reason = postgres_server.unavailable_reason()
    if reason is not None:
        raise RuntimeError(f"no PostgreSQL server for the benchmark: {reason}")
    started = time.perf_counter()
    server = postgres_server.start()
    cfg.log(f"throwaway PostgreSQL server up in {time.perf_counter() - started:.1f} s ({server.socket_dir})")
    try:
        yield server
    finally:
        server.stop()


_FORCE_TUI_COPY = True
"""`tui copy` is one transaction (all or nothing). Until the id counter was written once per
transaction (tui.store.postgres_schema.tui_next_id) that was far too slow at 1,000,000 spans, and
the benchmark loaded in small transactions (_bulk_copy) instead; False goes back to that."""


def _copy_into(cfg: Config, server: Any, source: Path, prefix: str) -> tuple[str, float]:
    """A new database on `server` holding what `source` (a SQLite file) holds; its URL and the
    seconds the copy took. `tui copy` when this tui has it, else the store's own bulk paths
    (read_snapshot from SQLite, bulk_import into PostgreSQL: documents, spans, statuses)."""
    from tui.commands.registry import COMMANDS

    url = server.url(server.create_database(prefix))
    began = time.perf_counter()
    if "copy" in COMMANDS and _FORCE_TUI_COPY:
        from bench.bench_start import tui_command
        from bench.bench_store import _timed

        _timed(tui_command() + ["copy", str(source), url])
    else:
        _bulk_copy(source, url)
    return url, time.perf_counter() - began


def _bulk_copy(source: Path, url: str, batch: int = 100) -> None:
    """Documents in import order, their spans and statuses, `batch` documents per transaction.
    (Small transactions: inserting spans used to slow down with the size of the transaction on
    PostgreSQL — 40,000 rows took 111 s in one transaction and 17.6 s in ten — because every insert
    updated the id counter row; see BENCHMARKS.md.)"""
    import json

    from tui.store import Store
    from tui.store.bulk import NewSpan, NewStatus
    from tui.store.documents import NewDocument
    from tui.store.target import parse_target

    with Store.open(source, readonly=True) as lite, Store.open(parse_target(url)) as pg:
        with lite.read_snapshot() as snapshot:
            documents: list[NewDocument] = []
            spans: list[NewSpan] = []
            statuses: list[NewStatus] = []

            def flush() -> None:
                with pg.bulk_import() as into:
                    into.add_documents(documents)
                    into.add_spans(spans, documents_are_new=True)
                    into.add_statuses(statuses)
                documents.clear()
                spans.clear()
                statuses.clear()

            for doc in snapshot.documents():
                documents.append(NewDocument(doc.text, doc.title, doc.language, doc.direction, "bench/generated",
                                             json.loads(doc.meta), doc.text_sha256))
                spans.extend(NewSpan(doc.id, s.annotator, s.label, s.start, s.end, s.text)
                             for s in snapshot.spans(doc.id))
                statuses.extend(NewStatus(doc.id, who, status) for who, status in snapshot.statuses(doc.id).items())
                if len(documents) >= batch:
                    flush()
            flush()


def run(cfg: Config, selected: set[str]) -> list[Row]:
    wanted = [name for name in POSTGRES_BENCHMARKS if name in selected]
    if not wanted:
        return []
    docs, spans = scale_sizes(cfg)
    rows: list[Row] = []
    with throwaway_server(cfg) as server:
        scale_url = None
        if set(wanted) & {"start", "picker", "export"}:
            scale = data.scale_db(cfg, docs, spans)
            scale_url, seconds = _copy_into(cfg, server, scale, "scale")
            cfg.log(f"copy of {docs:,} articles / {spans:,} spans into PostgreSQL: {seconds:.1f} s")
            rows.append(Row(f"postgres: copy of {docs:,} articles / {spans:,} spans from SQLite", "s",
                            [seconds], group="postgres",
                            note="informational: loads the benchmark's database "
                                 + ("(tui copy: one transaction)" if _FORCE_TUI_COPY else "(100 articles a transaction)")))
        for name in wanted:
            began = time.perf_counter()
            try:
                if name == "start":
                    assert scale_url is not None
                    rows += bench_start(cfg, scale_url, docs, spans)
                elif name == "picker":
                    assert scale_url is not None
                    rows += bench_picker(cfg, scale_url, docs)
                elif name == "export":
                    assert scale_url is not None
                    rows += bench_export(cfg, scale_url, spans)
                elif name == "save":
                    rows += bench_save(cfg, server)
                elif name == "concurrency":
                    rows += bench_concurrency(cfg, server)
            except Exception as exc:  # one broken benchmark must not hide the others' figures
                FAILURES.append(f"postgres {name}: {exc}")
                traceback.print_exc()
            cfg.log(f"postgres {name} done in {time.perf_counter() - began:.1f} s")
    return rows


FAILURES: list[str] = []
"""The PostgreSQL benchmarks that failed in this run (python -m bench reports them and exits 1)."""


# ----------------------------------------------------------------------------- start


def bench_start(cfg: Config, url: str, docs: int, spans: int) -> list[Row]:
    from bench.bench_start import ANNOTATOR, SIZE, _first_words, tui_command
    from bench.ptyrun import clean_env, time_first_frame

    scale = data.scale_db(cfg, docs, spans)
    repeat = cfg.repeats(5, 3)
    markers = [ANNOTATOR.encode(), _first_words(scale, "vi")]
    cases = {
        "sqlite": tui_command() + ["--db", str(scale), "--annotator", ANNOTATOR],
        "postgres": tui_command() + ["--db", url, "--annotator", ANNOTATOR],
    }
    seconds: dict[str, list[float]] = {name: [] for name in cases}
    rss: dict[str, list[float]] = {name: [] for name in cases}
    with tempfile.TemporaryDirectory(dir=cfg.out, prefix="pg-start-") as scratch:
        env = clean_env(Path(scratch))
        for argv in cases.values():  # warm caches once
            time_first_frame(argv, markers, env=env, cwd=Path(scratch), size=SIZE)
        for round_ in range(repeat):
            for name, argv in cases.items():
                result = time_first_frame(argv, markers, env=env, cwd=Path(scratch), size=SIZE)
                seconds[name].append(result.seconds)
                rss[name].append(result.max_rss_mb)
            cfg.log(f"postgres start round {round_ + 1}/{repeat}: "
                    + ", ".join(f"{n} {statistics.median(v):.3f}s" for n, v in seconds.items()))
    label = f"{docs:,} articles / {spans:,} spans"
    return [
        Row(f"postgres start: tui --db postgresql://… on {label}, to first full frame", "s", seconds["postgres"],
            "the same on SQLite", seconds["sqlite"], target=1.5, group="postgres"),
        Row(f"postgres start peak RSS: {label}", "MB", rss["postgres"], "the same on SQLite", rss["sqlite"],
            target=1.2, group="postgres"),
    ]


# ---------------------------------------------------------------------------- picker


def bench_picker(cfg: Config, url: str, docs: int) -> list[Row]:
    """The picker's store calls for one filter change (bench_store's queries) on both backends."""
    from bench.bench_store import FULL_TEXT_QUERIES, PICKER_QUERIES, picker_full_text, picker_title_filter
    from tui.store import Store
    from tui.store.search import parse_filter
    from tui.store.target import parse_target

    scale = data.scale_db(cfg, *scale_sizes(cfg))
    repeat = cfg.repeats(5, 3)
    plain: dict[str, list[float]] = {"sqlite": [], "postgres": []}
    text: dict[str, list[float]] = {"sqlite": [], "postgres": []}
    stores = {"sqlite": Store.open(scale, readonly=True), "postgres": Store.open(parse_target(url), readonly=True)}
    try:
        for _ in range(repeat):
            for query in PICKER_QUERIES:
                for name, store in stores.items():
                    plain[name].append(elapsed_ms(picker_title_filter, store, query))
            for typed in FULL_TEXT_QUERIES:
                query = replace(parse_filter(typed), annotator="alice")
                for name, store in stores.items():
                    text[name].append(elapsed_ms(picker_full_text, store, query))
    finally:
        for store in stores.values():
            store.close()
    cfg.log(f"postgres picker: {statistics.median(plain['postgres']):.1f} ms (SQLite "
            f"{statistics.median(plain['sqlite']):.1f} ms); full text {statistics.median(text['postgres']):.1f} ms "
            f"(SQLite {statistics.median(text['sqlite']):.1f} ms)")
    return [
        Row(f"postgres picker filter: {docs:,} articles (count + first 200)", "ms", plain["postgres"],
            "the same store calls on SQLite", plain["sqlite"], target=2.0, group="postgres",
            note=f"{len(PICKER_QUERIES)} queries x {repeat}"),
        Row(f"postgres picker full-text search + filters: {docs:,} articles", "ms", text["postgres"],
            "the same store calls on SQLite (FTS5)", text["sqlite"], target=2.0, group="postgres",
            note=f"{len(FULL_TEXT_QUERIES)} queries x {repeat}"),
    ]


# ---------------------------------------------------------------------------- export


def bench_export(cfg: Config, url: str, spans: int) -> list[Row]:
    from bench.bench_start import tui_command
    from bench.bench_store import _timed

    docs, _ = scale_sizes(cfg)
    scale = data.scale_db(cfg, docs, spans)
    repeat = cfg.repeats(3, 2)
    ours: list[float] = []
    reference: list[float] = []
    with tempfile.TemporaryDirectory(dir=cfg.out, prefix="pg-export-") as scratch:
        target = Path(scratch) / "export.jsonl"
        for round_ in range(repeat):
            seconds = _timed(tui_command() + ["--db", str(scale), "export", "--quiet", "-o", str(target)])
            reference.append(spans / seconds)
            sqlite_bytes = target.read_bytes() if round_ == 0 else None
            target.unlink(missing_ok=True)
            seconds = _timed(tui_command() + ["--db", url, "export", "--quiet", "-o", str(target)])
            ours.append(spans / seconds)
            if sqlite_bytes is not None and target.read_bytes() != sqlite_bytes:
                raise RuntimeError("export from PostgreSQL differs from the export of the same data from SQLite")
            target.unlink(missing_ok=True)
            cfg.log(f"postgres export round {round_ + 1}/{repeat}: {ours[-1]:,.0f} spans/s, "
                    f"SQLite {reference[-1]:,.0f} spans/s")
    return [Row(f"postgres export: {spans:,} spans to JSONL (tui export)", "spans/s", ours,
                "tui export of the same data from SQLite", reference, target=0.5, better="higher",
                group="postgres", note="the two exports are byte-identical (checked)")]


# ------------------------------------------------------------------------------ save


def bench_save(cfg: Config, server: Any) -> list[Row]:
    """Store.add_span on PostgreSQL against a bare psycopg INSERT + COMMIT on the same server."""
    import psycopg

    from tui.store import Store
    from tui.store.target import parse_target

    count = tags_per_save_round(cfg)
    repeat = cfg.repeats(5, 2)
    seeds = data.seeds_db(cfg)
    rounds: list[list[list[float]]] = []  # [round][ours, bare, SQLite]: milliseconds per tag
    with tempfile.TemporaryDirectory(dir=cfg.out, prefix="pg-save-") as scratch:
        for round_ in range(repeat):
            url, _ = _copy_into(cfg, server, seeds, "save")
            lite_db = Path(scratch) / f"store-{round_}.db"
            shutil.copyfile(seeds, lite_db)
            with (Store.open(parse_target(url)) as store, Store.open(lite_db) as lite,
                  psycopg.connect(url, autocommit=True) as bare):
                bare.execute("CREATE TABLE bare_spans (id bigserial PRIMARY KEY, document_id text NOT NULL, "
                             "annotator text NOT NULL, label text NOT NULL, start integer NOT NULL, "
                             '"end" integer NOT NULL, text text NOT NULL, created_at text NOT NULL, '
                             "updated_at text NOT NULL)")
                doc_id, text = first_document(store)

                def ours(label: str, start: int, end: int) -> None:
                    store.add_span(doc_id, "bench", label, start, end)

                def floor(label: str, start: int, end: int) -> None:
                    with bare.transaction():
                        bare.execute(
                            'INSERT INTO bare_spans (document_id, annotator, label, start, "end", text, created_at, '
                            "updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                            (doc_id, "bench", label, start, end, text[start:end], "t", "t"))

                def sqlite(label: str, start: int, end: int) -> None:
                    lite.add_span(doc_id, "bench", label, start, end)

                rounds.append(time_saves(text, count, (ours, floor, sqlite)))
            cfg.log(f"postgres save round {round_ + 1}/{repeat}: "
                    + latency_summary(("add_span", "bare", "SQLite add_span"), rounds[-1]))
    p50s, bare50, lite50 = percentile_by_step(rounds, 0.50)
    p99s, bare99, lite99 = percentile_by_step(rounds, 0.99)
    note = f"{count} spans per round"
    return [
        Row("postgres save: Store.add_span commit latency p50", "ms", p50s, "bare psycopg INSERT+COMMIT p50",
            bare50, target=1.5, group="postgres", note=note),
        Row("postgres save: Store.add_span commit latency p99", "ms", p99s, "bare psycopg INSERT+COMMIT p99",
            bare99, target=1.5, group="postgres", note=note),
        Row("postgres save: Store.add_span p50 against SQLite's", "ms", p50s, "Store.add_span on SQLite p50",
            lite50, group="postgres", note="informational: the server's round trips against a local file"),
        Row("postgres save: Store.add_span p99 against SQLite's", "ms", p99s, "Store.add_span on SQLite p99",
            lite99, group="postgres", note="informational"),
    ]


# ----------------------------------------------------------------------- concurrency


def bench_concurrency(cfg: Config, server: Any) -> list[Row]:
    """N annotators x M operations at once, on each backend; 0 lost (else the benchmark fails)."""
    from tests.reliability.concurrency import check, run_workers

    processes, operations = cfg.annotators, cfg.operations
    seeds = data.seeds_db(cfg)
    ops_per_s: dict[str, list[float]] = {"sqlite": [], "postgres": []}
    notes: dict[str, str] = {}
    with tempfile.TemporaryDirectory(dir=cfg.out, prefix="pg-concurrency-") as scratch:
        for round_ in range(cfg.repeats(1, 1)):
            for name in ("sqlite", "postgres"):
                work = Path(scratch) / f"{name}-{round_}"
                work.mkdir()
                if name == "sqlite":
                    db = str(work / "annotations.db")
                    shutil.copyfile(seeds, db)
                else:
                    db, _ = _copy_into(cfg, server, seeds, "concurrency")
                run = run_workers(db, processes, operations, work)
                try:
                    totals = check(db, run)  # AssertionError: something lost, doubled, reordered or refused
                except AssertionError as exc:  # this round is not counted; the run fails (FAILURES)
                    FAILURES.append(f"postgres concurrency, {name} round {round_ + 1}: {exc}")
                    cfg.log(f"concurrency on {name}, round {round_ + 1}: CHECK FAILED: {exc}")
                    continue
                ops_per_s[name].append(run.operations / run.seconds)
                notes[name] = (f"{processes} annotators x {operations} ops: {run.operations:,} committed "
                               f"({totals['add']} adds, {totals['relabel']} relabels, {totals['delete']} deletes) "
                               f"in {run.seconds:.1f} s; 0 lost, 0 doubled, 0 lock errors")
                cfg.log(f"concurrency on {name}: {notes[name]}")
    if not ops_per_s["postgres"] or not ops_per_s["sqlite"]:
        return []
    return [Row(f"postgres concurrency: {processes} annotators x {operations:,} operations, 0 lost", "ops/s",
                ops_per_s["postgres"], "the same workload on SQLite", ops_per_s["sqlite"], better="higher",
                group="postgres", note=f"PostgreSQL: {notes['postgres']}; SQLite: {notes['sqlite']}")]


__all__ = ["POSTGRES_BENCHMARKS", "ROOT", "run", "throwaway_server"]
