"""Importers (txt, Prodigy/spaCy JSONL, doccano) and exporters (spaCy/Prodigy, doccano JSONL).

No UI imports: progress is reported through plain callbacks.
"""

from tui.formats.errors import ExportError, FormatError
from tui.formats.exporter import FORMATS, ExportSummary, atomic_output, export_jsonl, iter_records
from tui.formats.importer import ImportSummary, collect_files, import_paths
from tui.formats.text import detect_language, direction_of, first_strong_direction, title_of

__all__ = [
    "FORMATS", "ExportError", "ExportSummary", "FormatError", "ImportSummary", "atomic_output", "collect_files",
    "detect_language", "direction_of", "export_jsonl", "first_strong_direction", "import_paths", "iter_records",
    "title_of",
]
