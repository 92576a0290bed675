"""Suggestions for one article over the scale database (100,000 articles, 1,000,000 spans by three
annotators: every span's text is a tagged string propagation looks for): `Suggester.for_document`
with every offline source (dates, propagate, patterns), warm (the process has suggested before:
patterns loaded, tagged strings keyed), for articles spread over the database.

Rows: the median per-article time against (a) the 50 ms budget of issue 14 (a fixed reference: ratio
= ours / 50 ms, target <= 1) and (b) the same articles' text suggested on the seeds database (5
articles, a handful of tagged strings), measured in the same run: what the corpus size costs.
The one-time keying of every tagged string (the first suggestion run on a database) is reported
as informational when it happened in this run.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench import data
from bench.common import Config, Row, scale_sizes

SAMPLE = 30
BUDGET_MS = 50.0


def _time_articles(store, doc_ids: list[str], repeat: int) -> list[float]:
    from tui.suggesting import Suggester

    suggester = Suggester(store)
    sources = ("dates", "propagate", "patterns")
    suggester.for_document(doc_ids[0], sources=sources, annotator="alice")  # warm: patterns, label list
    per_round: list[float] = []
    for _ in range(repeat):
        times = []
        for doc_id in doc_ids:
            began = time.perf_counter()
            suggester.for_document(doc_id, sources=sources, annotator="alice")
            times.append((time.perf_counter() - began) * 1000)
        per_round.append(statistics.median(times))
    return per_round


def run(cfg: Config) -> list[Row]:
    from tui.store import Store
    from tui.suggest.propagate import describe
    from tui.suggesting import KEY_VERSION, Suggester

    docs, spans = scale_sizes(cfg)
    db = data.scale_db(cfg, docs, spans)
    repeat = cfg.repeats(3, 2)
    rows: list[Row] = []
    with Store.open(db) as store:
        began = time.perf_counter()
        keyed = store.fill_span_text_keys(describe, KEY_VERSION)
        keying = time.perf_counter() - began
        if keyed:
            cfg.log(f"suggest: keyed {keyed:,} tagged strings once in {keying:.1f} s")
        total = store.count_documents()
        step = max(1, total // SAMPLE)
        doc_ids = [row.id for row in store.list_documents(offset=0, limit=total)][::step][:SAMPLE]
        ours = _time_articles(store, doc_ids, repeat)
        strings = store.connection.execute("SELECT count(*) FROM span_texts").fetchone()[0]
        texts = {doc_id: store.get_document(doc_id) for doc_id in doc_ids}
    cfg.log(f"suggest: one article on {docs:,} articles: median {statistics.median(ours):.1f} ms")
    with tempfile.TemporaryDirectory(prefix="suggest-", dir=cfg.out) as scratch:
        small = Path(scratch) / "seeds.db"
        shutil.copyfile(data.seeds_db(cfg), small)
        with Store.open(small) as store:
            ids = [store.add_document(d.text, title=d.title, language=d.language, direction=d.direction)[0]
                   for d in texts.values()]
            Suggester(store).prepare()
            reference = _time_articles(store, ids, repeat)
    note = f"{len(doc_ids)} articles, {strings:,} distinct tagged strings"
    rows.append(Row(f"suggest: one article, {docs:,}-article database (dates+propagate+patterns)", "ms", ours,
                    "the 50 ms budget", [BUDGET_MS] * len(ours), target=1.0, group="suggest", note=note))
    rows.append(Row("suggest: the same, against the same articles in the seeds database", "ms", ours,
                    "same articles, seeds database", reference, target=None, group="suggest",
                    note="informational: what the corpus size costs"))
    if keyed:
        rows.append(Row("suggest: first run keys every tagged string once", "s", [keying], "", [], group="suggest",
                        note=f"informational: {keyed:,} strings"))
    return rows
