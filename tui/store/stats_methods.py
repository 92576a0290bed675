"""The `tui stats` part of `Store` (`StatsQueries`, mixed in). The figures are computed in
`tui.store.stats`, imported when `stats` is called: opening a store (a plain start of the app) does
not load it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.store.parts import StorePart

if TYPE_CHECKING:
    from tui.store.stats import Stats


class StatsQueries(StorePart):
    """The `tui stats` part of `Store` (mixed in): grouped reads through the store's own read path
    (its lock, busy retries and error translation)."""

    def stats(self, *, limit: int = 50, annotators: list[str] | None = None) -> Stats:
        """Counts per annotator and label, statuses, and documents x annotators for the first `limit`
        documents (0 = all)."""
        from tui.store.stats import read_stats

        return self._read(lambda c: read_stats(c, limit, annotators))
