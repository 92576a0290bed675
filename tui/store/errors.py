"""Errors the store raises: one exception type whose message says what happened and what to do."""

from __future__ import annotations


class StoreError(Exception):
    """A database problem explained for a person: what happened, and what to do next."""


def check_annotator(annotator: str) -> None:
    if not isinstance(annotator, str) or not annotator.strip():
        raise StoreError("an annotator name is required (use --annotator NAME).")
