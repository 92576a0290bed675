"""Upgrading a database made by an older tui keeps every row and history."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui.store import SCHEMA_VERSION, Store
from tui.store.connection import split_statements
from tui.store.schema import EVENT_ACTIONS, MIGRATIONS

TEXT = "Vladimir Putin met Alexander Lukashenko."


def _version_1_database(path: Path) -> None:
    """A database exactly as round 1's tui left it: schema v1, one document, a span, add/undo events."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    for statement in split_statements(MIGRATIONS[0].sql):
        conn.execute(statement)
    conn.execute("INSERT INTO schema_migrations VALUES (1, 'initial', '2026-01-01T00:00:00Z')")
    conn.execute("INSERT INTO labels (name, key, colour) VALUES ('entity', 'e', '#5fafff')")
    conn.execute(
        "INSERT INTO documents (id, title, title_folded, text, language, direction, length, text_sha256, imported_at)"
        " VALUES ('d1', 't', 't', ?, 'en', 'ltr', ?, 'sha', 'now')",
        (TEXT, len(TEXT)),
    )
    conn.execute(
        "INSERT INTO spans (document_id, annotator, label, start, \"end\", text, created_at, updated_at)"
        " VALUES ('d1', 'alice', 'entity', 0, 14, 'Vladimir Putin', 'now', 'now')"
    )
    conn.execute(
        "INSERT INTO events (created_at, annotator, document_id, action, span_id, after)"
        " VALUES ('now', 'alice', 'd1', 'add', 1, '{}')"
    )
    conn.execute(
        "INSERT INTO events (created_at, annotator, document_id, action, span_id, target_event_id)"
        " VALUES ('now', 'alice', 'd1', 'undo', 1, 1)"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    conn.close()


def test_upgrade_keeps_events_ids_and_append_only_rule(tmp_path: Path):
    path = tmp_path / "old.db"
    _version_1_database(path)
    with Store.open(path) as store:
        conn = store.connection
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = conn.execute("SELECT id, action, target_event_id FROM events ORDER BY id").fetchall()
        assert rows == [(1, "add", None), (2, "undo", 1)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM events")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE events SET action = 'add'")
        # ids are never reused after the rebuild either
        conn.execute(
            "INSERT INTO events (created_at, annotator, document_id, action) VALUES ('now', 'alice', 'd1', 'accept')"
        )
        assert conn.execute("SELECT max(id) FROM events").fetchone()[0] == 3
        assert [s.text for s in store.spans("d1")] == ["Vladimir Putin"]


@pytest.mark.parametrize("action", EVENT_ACTIONS)
def test_every_declared_action_is_accepted(db_path, action: str):
    with Store.open(db_path) as store:
        doc_id, _ = store.add_document(TEXT, title="t", language="en", direction="ltr")
        store.connection.execute(
            "INSERT INTO events (created_at, annotator, document_id, action) VALUES ('now', 'alice', ?, ?)",
            (doc_id, action),
        )


def test_an_unknown_action_is_refused(db_path):
    with Store.open(db_path) as store:
        doc_id, _ = store.add_document(TEXT, title="t", language="en", direction="ltr")
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            store.connection.execute(
                "INSERT INTO events (created_at, annotator, document_id, action) VALUES ('now', 'a', ?, 'bogus')",
                (doc_id,),
            )
