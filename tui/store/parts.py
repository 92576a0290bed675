"""`StorePart`: the base of every part of `tui.store.Store` (DocumentMethods, SpanMethods, LinksMixin, ...).

Each part's methods read through `self._read` and write through `self._write` (one transaction each,
with the store's lock, busy retries and error translation); `Store` defines both. They are declared
here once, for the type checker only: at run time this class is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from tui.store.dbapi import Connection

T = TypeVar("T")


class StorePart:
    """A part of `Store` (mixed in)."""

    if TYPE_CHECKING:
        def _read(self, action: Callable[[Connection], T]) -> T: ...
        def _write(self, action: Callable[[Connection], T]) -> T: ...
