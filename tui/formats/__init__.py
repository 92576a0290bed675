"""Importers (txt, Prodigy/spaCy JSONL, doccano) and exporters (spaCy/Prodigy, doccano JSONL).

No UI imports: progress is reported through plain callbacks.

The names below are loaded on first use (PEP 562), so importing ``tui.formats.errors`` (as the
CLI does for every command, the app included) does not load the importers and exporters.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "ExportError": "errors", "FormatError": "errors",
    "FORMATS": "exporter", "ExportSummary": "exporter", "atomic_output": "exporter", "export_jsonl": "exporter",
    "iter_records": "exporter",
    "ImportSummary": "importer", "collect_files": "importer", "import_paths": "importer",
    "detect_language": "text", "direction_of": "text", "first_strong_direction": "text", "title_of": "text",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from tui.formats.errors import ExportError as ExportError
    from tui.formats.errors import FormatError as FormatError
    from tui.formats.exporter import FORMATS as FORMATS
    from tui.formats.exporter import ExportSummary as ExportSummary
    from tui.formats.exporter import atomic_output as atomic_output
    from tui.formats.exporter import export_jsonl as export_jsonl
    from tui.formats.exporter import iter_records as iter_records
    from tui.formats.importer import ImportSummary as ImportSummary
    from tui.formats.importer import collect_files as collect_files
    from tui.formats.importer import import_paths as import_paths
    from tui.formats.text import detect_language as detect_language
    from tui.formats.text import direction_of as direction_of
    from tui.formats.text import first_strong_direction as first_strong_direction
    from tui.formats.text import title_of as title_of


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tui.formats' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"tui.formats.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
