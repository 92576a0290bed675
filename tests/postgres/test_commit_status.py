"""A write cut off by a lost connection (PostgreSQL): the store keeps its transaction's id, and a new
connection asks the server how it ended (Store.committed_before_loss) — so the app's writer, after
reconnecting, reports a committed action as saved and runs an uncommitted one again: never twice,
never lost (tests/ui/test_writer_reconnect.py has the writer's side)."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest

from tui.store import Store, StoreError


def _cut(xid: int | None) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("server closed the connection unexpectedly")
    error.write_xid = xid  # type: ignore[attr-defined]
    return error


def test_the_server_says_whether_a_cut_off_write_committed(postgres_url: str) -> None:
    with Store.open(postgres_url) as store, Store.open(postgres_url) as other:
        doc, _ = store.add_document("Một hai ba bốn năm", title="t", language="vi", direction="ltr")
        store.add_span(doc, "alice", "entity", 0, 3)
        committed = store.connection.write_xid  # type: ignore[attr-defined]
        assert committed is not None and other.committed_before_loss(_cut(committed))

        with pytest.raises(StoreError):
            store.add_span(doc, "alice", "entity", 0, 3)  # refused inside its transaction: rolled back
        refused = store.connection.write_xid  # type: ignore[attr-defined]
        assert refused != committed and not other.committed_before_loss(_cut(refused))
        assert not other.committed_before_loss(sqlite3.OperationalError("no id recorded"))


def test_a_transaction_whose_connection_is_killed_before_commit_did_not_commit(postgres_url: str) -> None:
    with Store.open(postgres_url) as store, Store.open(postgres_url) as other:
        doc, _ = store.add_document("Một hai ba bốn năm", title="t", language="vi", direction="ltr")
        pid = store.connection.raw.info.backend_pid  # type: ignore[attr-defined]
        with pytest.raises(StoreError) as cut:
            with store.transaction() as c:
                c.execute("INSERT INTO labels (name, key, colour, description, position) "
                          "VALUES ('person', 'p', '#ffffff', '', 9)")
                with psycopg.connect(postgres_url, autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        assert getattr(cut.value.__cause__, "write_xid", None) is not None  # the id travels with the error
        assert not other.committed_before_loss(cut.value)
        assert "person" not in [label.name for label in other.labels()]
