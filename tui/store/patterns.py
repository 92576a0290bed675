"""The rows of the ``patterns`` table (gazetteer entries and token patterns, ``tui patterns import``),
read and written by `SuggestMethods` (tui.store.suggestions), which imports this module when they
are: opening a store (a plain start of the app) does not."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PatternRow:
    """One stored pattern: ``pattern`` is the string (kind 'text') or the token list (kind 'tokens')."""

    id: int
    label: str
    kind: str
    pattern: str | list[dict[str, str]]
    source: str


@dataclass(frozen=True, slots=True)
class NewPattern:
    label: str
    kind: str  # text | tokens
    pattern: str | list[dict[str, str]]
    key: str
    source: str = ""


__all__ = ["NewPattern", "PatternRow"]
