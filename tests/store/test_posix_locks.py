"""Opening the same database a second time in one process (the app's writer thread, a background
check, an export guard reading a header) must never cancel the locks SQLite holds.

POSIX advisory locks belong to the process and the file: closing *any* descriptor of the file
drops all of them (sqlite.org/howtocorrupt.html, 2.2). Then another process closing its
connection believes it is the last one, checkpoints and deletes the -wal file, and this process
goes on committing into a deleted file: "saved" rows nobody else ever sees.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tui.store import Store
from tui.store.connection import is_sqlite_file

TEXT = "Vladimir Putin met Alexander Lukashenko in Minsk."

OTHER_PROCESS_OPENS_AND_CLOSES = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("select count(*) from spans").fetchone()
conn.close()
"""


def _count_seen_by_another_process(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("select count(*) from spans").fetchone()[0])
    finally:
        conn.close()


def _other_process_opens_and_closes(db: Path) -> None:
    subprocess.run([sys.executable, "-c", OTHER_PROCESS_OPENS_AND_CLOSES, str(db)], check=True)


def test_a_second_store_in_the_same_process_keeps_the_first_ones_commits_visible(tmp_path: Path):
    db = tmp_path / "team.db"
    with Store.open(db) as ui_store:
        doc_id, _ = ui_store.add_document(TEXT, title="t", language="en", direction="ltr")
        with Store.open(db) as writer_store:  # the app's writer thread opens its own, like this
            writer_store.add_span(doc_id, "alice", "entity", 0, 14)
            _other_process_opens_and_closes(db)
            writer_store.add_span(doc_id, "alice", "entity", 19, 38)
            assert Path(f"{db}-wal").exists(), "the -wal file of a live database was deleted"
            assert _count_seen_by_another_process(db) == 2


def test_checking_a_header_of_an_open_database_keeps_its_locks(tmp_path: Path):
    db = tmp_path / "team.db"
    with Store.open(db) as store:
        doc_id, _ = store.add_document(TEXT, title="t", language="en", direction="ltr")
        for _ in range(3):
            assert is_sqlite_file(db)  # as `tui export -o team.db` checks its target
        _other_process_opens_and_closes(db)
        store.add_span(doc_id, "alice", "entity", 0, 14)
        assert Path(f"{db}-wal").exists()
        assert _count_seen_by_another_process(db) == 1
