"""One annotator process for the concurrency test: random adds, relabels and deletes through Store.

    python -m tests.reliability.concurrent_worker DB|URL ANNOTATOR OPS SEED START_AT LOG   (from the repository)

Waits until the wall clock reaches START_AT (so every worker starts together), then runs OPS
operations and writes one JSON line per attempt to LOG: what it asked for and, when the call
returned, the span the store committed. A StoreError is logged with its message (the test
fails on any "locked" one); any other exception crashes the process (the test sees its exit code).
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from tui.store import Store, StoreError

LABELS = ("entity", "claim", "date")


def main(db: str, annotator: str, ops: int, seed: int, start_at: float, log_path: str) -> int:
    rng = random.Random(seed)
    from tui.store.target import parse_target

    store = Store.open(parse_target(db))  # a SQLite path or a postgresql:// URL
    documents = [summary.id for summary in store.list_documents(limit=100)]
    texts = {doc_id: store.get_document(doc_id).text for doc_id in documents}
    mine: dict[int, dict] = {}
    log = []
    time.sleep(max(0.0, start_at - time.time()))
    for number in range(ops):
        roll = rng.random()
        try:
            if not mine or roll < 0.5:
                doc_id = rng.choice(documents)
                text = texts[doc_id]
                start = rng.randrange(0, len(text) - 40)
                end = start + rng.randint(1, 40)
                while not text[start:end].strip():
                    start, end = start + 1, end + 1
                label = rng.choice(LABELS)
                entry = {"op": "add", "doc": doc_id, "label": label, "start": start, "end": end}
                span = store.add_span(doc_id, annotator, label, start, end)
                entry["id"] = span.id
                mine[span.id] = {"doc": doc_id, "label": label, "start": start, "end": end}
            elif roll < 0.75:
                span_id = rng.choice(sorted(mine))
                label = rng.choice([name for name in LABELS if name != mine[span_id]["label"]])
                entry = {"op": "relabel", "id": span_id, "label": label}
                span = store.relabel_span(span_id, label, annotator)
                mine[span_id]["label"] = span.label
            else:
                span_id = rng.choice(sorted(mine))
                entry = {"op": "delete", "id": span_id}
                store.delete_span(span_id, annotator)
                del mine[span_id]
            entry["committed"] = True
        except StoreError as exc:
            entry["committed"] = False
            entry["error"] = str(exc)
        if number % 10 == 0:  # reads interleave with everyone's writes too
            try:
                store.spans(rng.choice(documents))
                store.data_version()
            except StoreError as exc:
                log.append({"op": "read", "committed": False, "error": str(exc)})
        log.append(entry)
    store.close()
    Path(log_path).write_text("".join(json.dumps(e) + "\n" for e in log), encoding="utf-8")
    return 0


if __name__ == "__main__":
    db, annotator, ops, seed, start_at, log_path = sys.argv[1:7]
    sys.exit(main(db, annotator, int(ops), int(seed), float(start_at), log_path))
