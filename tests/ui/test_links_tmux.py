"""Links end to end with the real `tui` command: keys in a real terminal (tmux) link Putin in the
Vietnamese pane to بوتين in the Arabic pane and a third mention into the cluster; a restart shows
them; `tui export --links` -> a fresh database -> `tui import --links` -> export is byte-identical;
a bad links file changes nothing and exits 1 naming file:line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.ui.tmux_support import TUI, tmux, wait_for
from tui.store import Store

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def keys(session: str, *typed: str, literal: bool = False) -> None:
    tmux("send-keys", "-t", session, *(["-l"] if literal else []), *typed)


def start(session: str, db: Path, folder: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "NO_COLOR")}
    env["XDG_STATE_HOME"] = str(folder / "state")
    command = f"cd {folder} && exec {TUI} --db {db} --annotator alice"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "110", "-y", "30", command], check=True,
                   env=env)
    wait_for(session, "vi ltr")


def quit_app(session: str) -> None:
    keys(session, "q")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and subprocess.run(
        ["tmux", "has-session", "-t", session], capture_output=True
    ).returncode == 0:
        time.sleep(0.2)


def tag(session: str, query: str, *extra: str) -> None:
    """Search, move between matches, tag the word under the caret as an entity."""
    keys(session, "/")
    keys(session, query, literal=True)
    keys(session, "Enter", *extra, "e")  # (no escape here: escape + e at once reads as alt+e)
    wait_for(session, "saved: entity")


def link(session: str, expected: str) -> None:
    """L on the span under the caret, Tab to the other pane, L on the span there, enter (same_entity)."""
    keys(session, "L")
    wait_for(session, "LINKING")
    keys(session, "Tab", "L")
    wait_for(session, "same_entity")
    keys(session, "Enter")
    wait_for(session, expected)


def tui(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(TUI), *map(str, args)], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not TUI.exists(), reason="the tui entry point is not installed in this environment")
def test_link_by_keys_restart_export_import_round_trip_and_a_bad_file(tmp_path: Path, seeded_db: Path):
    session = f"tui-links-{uuid.uuid4().hex[:8]}"
    start(session, seeded_db, tmp_path)
    try:
        keys(session, "Tab")
        tag(session, "بوتين")
        keys(session, "Tab")
        tag(session, "Putin")
        link(session, "saved: linked same_entity")
        keys(session, "Tab")  # back to the Vietnamese pane: the next Putin, linked to the same بوتين
        tag(session, "Putin", "n")
        link(session, "↔ 2")
        keys(session, "u")  # undo the second link, redo it
        wait_for(session, "saved: undone")
        keys(session, "U")
        wait_for(session, "↔ 2")
        quit_app(session)
        start(session, seeded_db, tmp_path)  # restart: the links are there, with their cluster
        keys(session, "K")
        screen = wait_for(session, "Links of this article")
        assert screen.count("same_entity-") == 2, screen
        keys(session, "Escape")
        quit_app(session)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)

    with Store.open(seeded_db) as store:
        rows = store.link_rows(annotators=["alice"])
    assert len(rows) == 2 and len({row.cluster_id for row in rows}) == 1
    texts = {row.head.span.text for row in rows} | {row.child.span.text for row in rows}
    assert texts == {"Putin", "بوتين"}

    spans, links = tmp_path / "spans.jsonl", tmp_path / "links.jsonl"
    assert tui("--db", seeded_db, "export", "-o", spans).returncode == 0
    assert tui("--db", seeded_db, "export", "--links", "-o", links).returncode == 0
    fresh = tmp_path / "fresh.db"
    assert tui("--db", fresh, "import", "--keep-annotators", spans).returncode == 0
    assert tui("--db", fresh, "import", "--links", links).returncode == 0
    again = tmp_path / "again.jsonl"
    assert tui("--db", fresh, "export", "--links", "-o", again).returncode == 0
    assert again.read_bytes() == links.read_bytes()
    assert [json.loads(line)["cluster_id"] for line in links.read_text("utf-8").splitlines()] == [
        rows[0].cluster_id] * 2

    bad = tmp_path / "bad.jsonl"
    lines = links.read_text("utf-8").splitlines()
    bad.write_text(lines[0] + "\n" + lines[1].replace('"start": ', '"start": -') + "\n", encoding="utf-8")
    other = tmp_path / "other.db"
    assert tui("--db", other, "import", "--keep-annotators", spans).returncode == 0
    before = other.read_bytes()
    result = tui("--db", other, "import", "--links", bad)
    assert result.returncode == 1
    assert f"{bad}:2: " in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert other.read_bytes() == before
    with Store.open(other) as store:
        assert store.links() == []
