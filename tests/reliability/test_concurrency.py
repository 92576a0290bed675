"""Concurrent annotators on one database: nothing lost, nothing doubled, no "database is locked".

TUI_CONCURRENT_PROCS processes (default 8) each run TUI_CONCURRENT_OPS (default 250) random
adds, relabels and deletes through the Store API, all at once on the same documents. Each logs
what the store said it committed. Afterwards, for every annotator:
- replaying its log gives exactly its spans in the database (nothing lost, nothing extra);
- its add/relabel/delete events are exactly its committed operations, in order, once each;
- no StoreError mentioned a lock (busy retries stayed inside the store).
The app half: an open app shows a span another connection committed after its refresh poll.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.reliability.support import PYTHON, REPO, cli_env, env_int, integrity
from tui.store import Store

PROCESSES = max(8, env_int("TUI_CONCURRENT_PROCS", 8))
OPERATIONS = env_int("TUI_CONCURRENT_OPS", 250)


def _replay(log: list[dict]) -> dict[int, tuple]:
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


def test_many_processes_write_at_once_without_loss_duplication_or_lock_errors(seeded_db: Path, tmp_path: Path):
    start_at = time.time() + 2.0  # every worker imports and opens first, then all start together
    workers = []
    for index in range(PROCESSES):
        log = tmp_path / f"worker{index}.jsonl"
        argv = [PYTHON, "-m", "tests.reliability.concurrent_worker", str(seeded_db), f"annotator{index}", str(OPERATIONS),
                str(1000 + index), str(start_at), str(log)]
        workers.append((f"annotator{index}", log, subprocess.Popen(
            argv, cwd=REPO, env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    began = time.monotonic()
    for name, _, proc in workers:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{name} crashed: {err[-2000:]}"
    elapsed = time.monotonic() - began

    conn = sqlite3.connect(seeded_db)
    totals = Counter()
    for name, log_path, _ in workers:
        log = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines()]
        errors = [e["error"] for e in log if not e["committed"]]
        assert not [e for e in errors if "lock" in e.lower() or "busy" in e.lower()], errors[:3]
        # The only refusals a random run may meet: an exact duplicate of its own span.
        assert all("already has" in e for e in errors), errors[:3]
        committed = [e for e in log if e["committed"] and e["op"] != "read"]
        totals.update(e["op"] for e in committed)
        totals["refused"] += len(errors)

        expected = _replay(log)
        stored = {row[0]: tuple(row[1:]) for row in conn.execute(
            'SELECT id, document_id, label, start, "end" FROM spans WHERE annotator = ?', (name,))}
        assert stored == expected, f"{name}: database differs from what the store reported committed"

        events = conn.execute(
            "SELECT action, span_id, json_extract(after, '$.label') FROM events "
            "WHERE annotator = ? AND action IN ('add', 'relabel', 'delete') ORDER BY id", (name,)).fetchall()
        logged = [(e["op"], e["id"], e.get("label") if e["op"] != "delete" else None) for e in committed]
        assert events == logged, f"{name}: events table differs from the committed operations"
    for (text, start, end, span_text) in conn.execute(
            'SELECT d.text, s.start, s."end", s.text FROM spans s JOIN documents d ON d.id = s.document_id'):
        assert text[start:end] == span_text
    conn.close()
    assert integrity(seeded_db) == "ok"
    total_ops = sum(totals[k] for k in ("add", "relabel", "delete"))
    assert total_ops >= PROCESSES * OPERATIONS * 0.95, totals
    print(f"\n{PROCESSES} processes x {OPERATIONS} ops in {elapsed:.1f}s: {dict(totals)}; "
          f"lost 0, duplicated 0, lock errors 0")


@pytest.mark.anyio
async def test_app_shows_another_connections_span_after_its_refresh_poll(seeded_db: Path, monkeypatch):
    import tui.ui.screens.main as main_screen
    from tui.ui.app import AnnotatorApp

    monkeypatch.setattr(main_screen, "POLL_SECONDS", 0.2)
    with Store.open(seeded_db) as store, Store.open(seeded_db) as other:
        app = AnnotatorApp(store, annotator="alice", panes=1)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            pane = app.active_pane()
            doc_id, text = pane.document.id, pane.document.text
            word = text.index("Putin")
            assert not pane.view.spans
            # alice in another session (a second terminal) and bob, each their own connection
            mine = other.add_span(doc_id, "alice", "entity", word, word + 5)
            theirs = other.add_span(doc_id, "bob", "claim", 0, 10)
            for _ in range(40):
                await pilot.pause(0.05)
                if pane.view.spans:
                    break
            assert [(m.id, m.start, m.end, m.label) for m in pane.view.spans] == [(mine.id, word, word + 5, "entity")]
            assert "entity 1" in " ".join(str(widget.render()) for widget in pane.query("Static"))
            # bob's span appears (read-only) when others are shown
            await pilot.press("t")
            await pilot.pause()
            shown = {(m.id, m.readonly) for m in pane.view.spans}
            assert shown == {(mine.id, False), (theirs.id, True)}
            # a delete elsewhere disappears after the next poll as well
            other.delete_span(mine.id, "alice")
            for _ in range(40):
                await pilot.pause(0.05)
                if len(pane.view.spans) == 1:
                    break
            assert {m.id for m in pane.view.spans} == {theirs.id}
