"""Paths every test module may need (imported as `tests.support`)."""

from __future__ import annotations

import socket
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now (the kernel's choice for port 0), so a
    busy fixed port on the machine (8000, 2222, ...) cannot fail a test."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Notifications:
    """A ``run_test(message_hook=...)`` hook that keeps every notification the app posts
    (``App.notify`` posts a ``Notify`` message), so tests read them without private attributes."""

    def __init__(self) -> None:
        from textual.notifications import Notification

        self.items: list[Notification] = []

    def __call__(self, message: object) -> None:
        from textual.notifications import Notify

        if isinstance(message, Notify):
            self.items.append(message.notification)

    def messages(self) -> list[str]:
        return [str(item.message) for item in self.items]

    def __len__(self) -> int:
        return len(self.items)

    def __str__(self) -> str:
        return " | ".join(self.messages())


def dump(store) -> list[str]:
    """Every row of every table, as text lines in a fixed order: `iterdump()` on SQLite, the rows of
    each table sorted on PostgreSQL (to compare a database before and after, on either backend)."""
    if store.backend == "sqlite":
        return list(store.connection.iterdump())
    c = store.connection
    tables = [r[0] for r in c.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY 1")]
    lines = []
    for table in tables:
        width = c.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
                          "AND table_name = ?", (table,)).fetchone()[0]
        order = ", ".join(str(i) for i in range(1, width + 1))
        lines.extend(f"INSERT INTO {table} VALUES {tuple(row)!r}"
                     for row in c.execute(f'SELECT * FROM "{table}" ORDER BY {order}'))
    return lines
