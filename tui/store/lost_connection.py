"""A lost PostgreSQL connection (the server restarted, the backend was terminated): a read outside
any transaction reconnects and asks again; a failed write keeps its error where the app's writer
looks (`last_write_error`) and the id of its transaction, so that, on a new connection, the server
can say whether the cut-off write committed after all (`committed_before_loss`). Mixed into Store;
SQLite never loses its connection this way.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from tui.store.dbapi import Connection
from tui.store.errors import StoreError
from tui.store.parts import StorePart
from tui.store.target import PostgresTarget


class LostConnectionHandling(StorePart):
    """Reconnecting after a lost PostgreSQL connection, and asking how a cut-off write ended."""

    if TYPE_CHECKING:
        path: Path | PostgresTarget
        readonly: bool
        busy_timeout_ms: int
        reconnects: int
        last_write_error: sqlite3.Error | None
        _conn: Connection
        _depth: int

        def _connect(self, *, readonly: bool, busy_timeout_ms: int) -> Connection: ...

    def _reconnect_after(self, exc: sqlite3.Error) -> bool:
        """PostgreSQL, the connection lost (server restarted, backend terminated) outside any
        transaction of this store: open a new one in its place (True), else note why (False).
        Never inside a transaction: what it wrote so far is gone and must not be half-continued.
        Writes are not retried here: the app's writer decides (tui.ui.writer), after `_note_lost`."""
        from tui.store.changes import is_connection_lost

        if not isinstance(self.path, PostgresTarget) or not is_connection_lost(exc) or self._depth:
            self._note_lost(exc)
            return False
        try:
            conn = self._connect(readonly=self.readonly, busy_timeout_ms=self.busy_timeout_ms)
        except StoreError:
            self._note_lost(exc)
            return False
        old, self._conn = self._conn, conn
        self.reconnects += 1
        from tui.store.changes import close_quietly  # (the change feed's module: PostgreSQL only)

        close_quietly(old)
        return True

    def _with_xid(self, exc: sqlite3.Error) -> sqlite3.Error:
        """A write that failed on PostgreSQL keeps the id of its transaction (`write_xid`), so
        `committed_before_loss` can ask the server, on a new connection, how it ended."""
        xid = getattr(self._conn, "write_xid", None)
        if xid is not None:
            exc.write_xid = xid  # type: ignore[attr-defined]
        return exc

    def committed_before_loss(self, exc: BaseException) -> bool:
        """PostgreSQL: did the write transaction that `exc` cut off (the connection lost, maybe
        during COMMIT) commit after all? The server knows (txid_status); asked on this store's
        connection, waiting while it still has the transaction in progress. False when nothing
        says so: the action is then run again (the app's writer; nothing is written twice unless
        the server kept the cut-off transaction in progress past that wait)."""
        xid, seen = None, 0
        current: BaseException | None = exc
        while current is not None and xid is None and seen < 6:
            xid = getattr(current, "write_xid", None)
            current, seen = current.__cause__ or current.__context__, seen + 1
        if xid is None or not isinstance(self.path, PostgresTarget):
            return False
        for _ in range(50):
            status = self._read(lambda c: c.execute("SELECT txid_status(?)", (xid,)).fetchone())[0]
            if status != "in progress":
                return bool(status == "committed")
            time.sleep(0.1)
        return False

    def _note_lost(self, exc: sqlite3.Error) -> None:
        """Keep a lost connection's error where the app's writer looks (`last_write_error`): the
        action it was part of did not commit; the writer reconnects and runs it again."""
        from tui.store.changes import is_connection_lost

        if is_connection_lost(exc):
            self.last_write_error = exc
