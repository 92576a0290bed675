"""Store.another_connection: a second connection in the same process (the app's writer thread)
that never costs the process its SQLite locks, so another process closing the database cannot
delete the -wal holding our commits (what Store.open's header check with Python's open() did)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tui.store import Store

CLOSER = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT 1 FROM documents'); c.close()"


def test_a_second_connection_keeps_the_wal_when_another_process_closes(tmp_path: Path):
    db = tmp_path / "a.db"
    with Store.open(db) as store:
        doc_id, _ = store.add_document("hello world", title="t", language="en", direction="ltr")
        with store.another_connection() as writer:
            subprocess.run([sys.executable, "-c", CLOSER, str(db)], check=True, timeout=60)
            assert Path(f"{db}-wal").exists(), "another process deleted our -wal"
            writer.add_span(doc_id, "alice", "entity", 0, 5)
            fresh = sqlite3.connect(db)
            try:
                assert fresh.execute("SELECT count(*) FROM spans").fetchone()[0] == 1
            finally:
                fresh.close()
        assert len(store.spans(doc_id)) == 1
