"""Paths every test module may need (imported as `tests.support`)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


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
