"""Links end to end with the real `tui` command: keys in a real terminal (tmux) link Putin in the
Vietnamese pane to بوتين in the Arabic pane and a third mention into the cluster; a restart shows
them; `tui export --links` -> a fresh database -> `tui import --links` -> export is byte-identical;
a bad links file changes nothing and exits 1 naming file:line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.ui.tmux_support import TUI, TuiInTmux, needs_tmux, needs_tui
from tui.store import Store

pytestmark = [needs_tmux, needs_tui]


def start(db: Path, folder: Path) -> TuiInTmux:
    app = TuiInTmux("--db", db, "--annotator", "alice", cwd=folder, cols=110, rows=30,
                    env={"XDG_STATE_HOME": str(folder / "state")})
    try:
        app.wait_for("vi ltr")
    except BaseException:
        app.close()
        raise
    return app


def tag(app: TuiInTmux, query: str, *extra: str) -> None:
    """Search, move between matches, tag the word under the caret as an entity."""
    app.keys("/")
    app.keys(query, literal=True)
    app.keys("Enter", *extra, "e")  # (no escape here: escape + e at once reads as alt+e)
    app.wait_for("saved: entity")


def link(app: TuiInTmux, expected: str) -> None:
    """L on the span under the caret, Tab to the other pane, L on the span there, enter (same_entity)."""
    app.keys("L")
    app.wait_for("LINKING")
    app.keys("Tab", "L")
    app.wait_for("same_entity")
    app.keys("Enter")
    app.wait_for(expected)


def tui(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(TUI), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_link_by_keys_restart_export_import_round_trip_and_a_bad_file(tmp_path: Path, seeded_db: Path):
    with start(seeded_db, tmp_path) as app:
        app.keys("Tab")
        tag(app, "بوتين")
        app.keys("Tab")
        tag(app, "Putin")
        link(app, "saved: linked same_entity")
        app.keys("Tab")  # back to the Vietnamese pane: the next Putin, linked to the same بوتين
        tag(app, "Putin", "n")
        link(app, "↔ 2")
        app.keys("u")  # undo the second link, redo it
        app.wait_for("saved: undone")
        app.keys("U")
        app.wait_for("↔ 2")
        app.quit(timeout=15)
    with start(seeded_db, tmp_path) as app:  # restart: the links are there, with their cluster
        app.keys("K")
        screen = app.wait_for("Links of this article")
        assert screen.count("same_entity-") == 2, screen
        app.keys("Escape")
        app.quit(timeout=15)

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
