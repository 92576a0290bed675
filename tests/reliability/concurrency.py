"""Concurrent annotators on one database, on either backend: run the workers, then check that
nothing was lost, doubled or reordered. Used by tests/reliability/test_concurrency.py and by the
benchmark (bench/bench_postgres.py: 16 annotators x 1,000 operations), so both check the same way.

`db` is what `--db` takes: a SQLite path or a postgresql:// URL. The check reads through the Store
(the same on both backends): for every annotator, replaying its log of committed operations gives
exactly its spans in the database, and its add/relabel/delete events are exactly those operations,
in order, once each; no StoreError mentioned a lock; every span's text is its document's slice.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.reliability.support import PYTHON, REPO, cli_env

LOCK_WORDS = ("lock", "busy", "serializ", "deadlock", "could not")


@dataclass
class Run:
    """What the workers did: their logs, how long they took together, the operation counts."""

    logs: dict[str, list[dict]]
    seconds: float
    totals: Counter = field(default_factory=Counter)

    @property
    def operations(self) -> int:
        return sum(self.totals[k] for k in ("add", "relabel", "delete"))


def run_workers(db: str, processes: int, operations: int, scratch: Path, *, seed: int = 1000,
                timeout: float = 900) -> Run:
    """Start `processes` annotators at once (each `operations` random adds, relabels, deletes)."""
    start_at = time.time() + 2.0 + processes * 0.15  # every worker imports and opens first
    workers = []
    for index in range(processes):
        log = scratch / f"worker{index}.jsonl"
        argv = [PYTHON, "-m", "tests.reliability.concurrent_worker", db, f"annotator{index}", str(operations),
                str(seed + index), str(start_at), str(log)]
        workers.append((f"annotator{index}", log, subprocess.Popen(
            argv, cwd=REPO, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    logs: dict[str, list[dict]] = {}
    for name, log_path, proc in workers:
        _, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, f"{name} crashed: {err[-2000:]}"
        logs[name] = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines()]
    seconds = time.time() - start_at
    return Run(logs, seconds)


def replay(log: list[dict]) -> dict[int, tuple]:
    spans: dict[int, tuple] = {}
    for entry in log:
        if not entry.get("committed"):
            continue
        if entry["op"] == "add":
            spans[entry["id"]] = (entry["doc"], entry["label"], entry["start"], entry["end"])
        elif entry["op"] == "relabel":
            doc, _, start, end = spans[entry["id"]]
            spans[entry["id"]] = (doc, entry["label"], start, end)
        elif entry["op"] == "delete":
            del spans[entry["id"]]
    return spans


def check(db: str, run: Run) -> Counter:
    """Assert nothing was lost, doubled or out of order (see the module docstring); the counts."""
    from tui.store import Store

    totals: Counter = Counter()
    from tui.store.target import parse_target

    with Store.open(parse_target(db), readonly=True) as store:
        documents = [summary.id for summary in store.list_documents(limit=100_000)]
        for name, log in run.logs.items():
            errors = [e["error"] for e in log if not e["committed"]]
            assert not [e for e in errors if any(w in e.lower() for w in LOCK_WORDS)], errors[:3]
            # The only refusals a random run may meet: an exact duplicate of its own span.
            assert all("already has" in e for e in errors), errors[:3]
            committed = [e for e in log if e["committed"] and e["op"] != "read"]
            totals.update(e["op"] for e in committed)
            totals["refused"] += len(errors)

            expected = replay(log)
            stored = {span.id: (span.document_id, span.label, span.start, span.end)
                      for doc in documents for span in store.spans(doc, name)}
            assert stored == expected, f"{name}: database differs from what the store reported committed"

            events = sorted((event for doc in documents for event in store.history(doc, name)
                             if event.action in ("add", "relabel", "delete")), key=lambda event: event.id)
            recorded = [(e.action, e.span_id, (e.after or {}).get("label") if e.action != "delete" else None)
                        for e in events]
            logged = [(e["op"], e["id"], e.get("label") if e["op"] != "delete" else None) for e in committed]
            assert recorded == logged, f"{name}: events differ from the committed operations"
        for doc in documents:
            text = store.get_document(doc).text
            for span in store.spans(doc):
                assert text[span.start:span.end] == span.text
    run.totals = totals
    return totals

