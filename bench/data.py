"""Data the benchmarks run on, generated from the seed articles and cached under bench/out/.

Cache files are keyed by what shapes them (sizes, generator version, schema version), so a fresh
clone builds them once and later runs reuse them. Every file is written under a temporary name
and renamed when complete: an interrupted build never leaves a half-made cache entry.

- seeds DB: ``tui import seeds/`` into a fresh database (the store's own import path);
- big DB: a 1 MB Arabic article stored first (so the app opens it in the Arabic pane), then the seeds;
- scale DB: N articles (about 3 KB each: 100,000 make about 300 MB of text) and M spans by three
  annotators, written with direct executemany inserts into the store's own schema (created by the
  store's migration code, so the columns, checks and indexes are exactly the app's);
- articles JSONL: N articles in Prodigy form ``{"text", "meta": {"title", "lang"}}`` for the import bench.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import ROOT, Config

if TYPE_CHECKING:
    from tui.store import Store

GENERATOR_VERSION = 1
ANNOTATORS = ("alice", "bob", "carol")
LABELS = ("entity", "claim", "date")
BIG_MARKER = "BIGARTICLE"
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _schema_version() -> int:
    from tui.store.schema import SCHEMA_VERSION

    return SCHEMA_VERSION


def cache_path(cfg: Config, stem: str, suffix: str) -> Path:
    cfg.out.mkdir(parents=True, exist_ok=True)
    return cfg.out / f"{stem}-g{GENERATOR_VERSION}-s{_schema_version()}{suffix}"


def _fresh_temp(path: Path) -> Path:
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    for extra in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
        extra.unlink(missing_ok=True)
    return temp


def _publish(temp: Path, path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{temp}{suffix}").unlink(missing_ok=True)
    os.replace(temp, path)


# ---------------------------------------------------------------------------- text


def seed_paragraphs() -> tuple[list[str], list[str]]:
    """Non-blank lines of the seed articles (NFC), Vietnamese and Arabic."""
    vietnamese: list[str] = []
    arabic: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        lines = [unicodedata.normalize("NFC", line.strip())
                 for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        target = arabic if any("\u0600" <= ch <= "\u06ff" for ch in "".join(lines)) else vietnamese
        target.extend(lines)
    return vietnamese, arabic


class ArticleGenerator:
    """Deterministic articles of about `mean_bytes` UTF-8 bytes, alternating Vietnamese and Arabic.

    Article 0 is Vietnamese and article 1 Arabic, so the app's first screen shows both.
    """

    def __init__(self, seed: int = 6, mean_bytes: int = 3000) -> None:
        self.rng = random.Random(seed)
        self.mean_bytes = mean_bytes
        vietnamese, arabic = seed_paragraphs()
        self.pools = {"vi": [(p, len(p.encode("utf-8"))) for p in vietnamese],
                      "ar": [(p, len(p.encode("utf-8"))) for p in arabic]}

    def article(self, index: int) -> tuple[str, str, str, str]:
        """(title, text, language, direction) of article `index` (call in order for determinism)."""
        rng = self.rng
        language = "vi" if index % 2 == 0 else "ar"
        pool = self.pools[language]
        words = rng.choice(pool)[0].split()
        serial = str(index + 1) if language == "vi" else str(index + 1).translate(ARABIC_DIGITS)
        head = " ".join(words[: rng.randint(5, 10)])
        title = f"{head} — bản tin {serial}" if language == "vi" else f"{head} — نشرة {serial}"
        budget = rng.randint(self.mean_bytes // 2, self.mean_bytes * 3 // 2)
        parts = [title, ""]
        size = len(title.encode("utf-8"))
        while size < budget:
            paragraph, length = pool[rng.randrange(len(pool))]
            parts.append(paragraph)
            size += length + 1
        return title, "\n".join(parts), language, "ltr" if language == "vi" else "rtl"

    def spans(self, text: str, count: int) -> Iterator[tuple[str, str, int, int]]:
        """`count` distinct (annotator, label, start, end) on word boundaries, none whitespace-only."""
        rng = self.rng
        seen: set[tuple[str, str, int, int]] = set()
        limit = max(1, len(text) - 40)
        attempts = 0
        while len(seen) < count and attempts < count * 20:
            attempts += 1
            start = text.find(" ", rng.randrange(limit)) + 1
            if start <= 0:
                continue
            end = text.find(" ", start + rng.randint(2, 30))
            if end <= start or not text[start:end].strip():
                continue
            key = (ANNOTATORS[rng.randrange(3)], LABELS[rng.randrange(3)], start, end)
            if key not in seen:
                seen.add(key)
                yield key


def big_arabic_article(target_bytes: int = 1_000_000) -> str:
    """Arabic seed paragraphs, each numbered (so none repeats), up to `target_bytes` of UTF-8.

    The first line carries a Latin marker the start benchmark looks for on screen."""
    _, arabic = seed_paragraphs()
    out = [f"مقال طويل جدا {BIG_MARKER} للاختبار"]
    size = len(out[0].encode("utf-8"))
    while size < target_bytes:
        number = str(len(out)).translate(ARABIC_DIGITS)
        paragraph = f"{number}. {arabic[len(out) % len(arabic)]}"
        out.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(out)


# ----------------------------------------------------------------------- databases


def _db_filled_by_store(cfg: Config, stem: str, fill: Callable[[Store], object]) -> Path:
    """The cached database `stem`, built (when missing) by `fill` on a fresh Store under a
    temporary name and renamed when complete."""
    path = cache_path(cfg, stem, ".db")
    if path.exists():
        return path
    from tui.store import Store

    temp = _fresh_temp(path)
    with Store.open(temp) as store:
        fill(store)
    _publish(temp, path)
    return path


def _import_seeds(store: Store) -> None:
    """The seed articles, imported as `tui` does on first run."""
    from tui.formats import import_paths

    import_paths(store, [ROOT / "seeds"], annotator="import")


def seeds_db(cfg: Config) -> Path:
    """The seed articles imported through the store, as `tui` does on first run."""
    return _db_filled_by_store(cfg, "seeds", _import_seeds)


def _big_article_then_seeds(store: Store) -> None:
    store.add_document(big_arabic_article(), title=f"مقال طويل {BIG_MARKER}", language="ar", direction="rtl",
                       source="bench/big", meta={"bench": "1 MB Arabic article"})
    _import_seeds(store)


def big_db(cfg: Config) -> Path:
    """A 1 MB Arabic article (stored first: the app's default Arabic pane opens it), then the seeds."""
    return _db_filled_by_store(cfg, "big", _big_article_then_seeds)


def scale_db(cfg: Config, documents: int, spans: int) -> Path:
    """`documents` generated articles and `spans` spans, straight into the store's schema."""
    path = cache_path(cfg, f"scale-{documents}d-{spans}s", ".db")
    if path.exists():
        return path
    from tui.store.connection import migrate, register_functions
    from tui.store.store import _seed
    from tui.store.textutil import fold_for_search

    started = time.perf_counter()
    temp = _fresh_temp(path)
    conn = sqlite3.connect(temp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -200000")
        register_functions(conn)
        migrate(conn, _seed)  # the store's own schema, exactly
        generator = ArticleGenerator()
        per_doc, extra = divmod(spans, max(1, documents))
        now = "2026-01-01T00:00:00.000Z"
        meta = json.dumps({"import": {"format": "bench"}})
        span_rows: list[tuple] = []
        status_rows: list[tuple] = []
        doc_rows: list[tuple] = []
        conn.execute("BEGIN")
        for index in range(documents):
            title, text, language, direction = generator.article(index)
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            doc_id = digest[:16]
            doc_rows.append((doc_id, title, fold_for_search(title), text, language, direction, len(text),
                             "bench/generated", digest, now, meta))
            annotators: set[str] = set()
            for annotator, label, start, end in generator.spans(text, per_doc + (index < extra)):
                span_rows.append((doc_id, annotator, label, start, end, text[start:end], now, now))
                annotators.add(annotator)
            for annotator in sorted(annotators):
                status_rows.append((doc_id, annotator, "done" if index % 3 == 0 else "in_progress", now))
            if len(doc_rows) >= 2000:
                _flush(conn, doc_rows, span_rows, status_rows)
        _flush(conn, doc_rows, span_rows, status_rows)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    _publish(temp, path)
    cfg.log(f"generated {path.name} ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - started:.1f} s")
    return path


def _flush(conn: sqlite3.Connection, docs: list, spans: list, statuses: list) -> None:
    conn.executemany(
        "INSERT INTO documents (id, title, title_folded, text, language, direction, length, source, text_sha256, "
        "imported_at, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", docs)
    conn.executemany(
        'INSERT INTO spans (document_id, annotator, label, start, "end", text, created_at, updated_at) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", spans)
    conn.executemany(
        "INSERT INTO document_status (document_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)", statuses)
    docs.clear()
    spans.clear()
    statuses.clear()


def first_title(path: Path, language: str) -> str:
    """Title of the first document in list order with that language (what the app shows first)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT title FROM documents WHERE language = ? ORDER BY seq LIMIT 1",
                           (language,)).fetchone()
    finally:
        conn.close()
    return row[0] if row else ""


def articles_jsonl(cfg: Config, documents: int) -> Path:
    """`documents` generated articles as Prodigy-style JSONL (no spans), for the import bench."""
    path = cache_path(cfg, f"articles-{documents}d", ".jsonl")
    if path.exists():
        return path
    started = time.perf_counter()
    temp = _fresh_temp(path)
    generator = ArticleGenerator(seed=7)
    with open(temp, "w", encoding="utf-8") as handle:
        for index in range(documents):
            title, text, language, _ = generator.article(index)
            handle.write(json.dumps({"text": text, "meta": {"title": title, "lang": language}},
                                    ensure_ascii=False) + "\n")
    os.replace(temp, path)
    cfg.log(f"generated {path.name} ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - started:.1f} s")
    return path
