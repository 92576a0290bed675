"""Pure text layout: clusters & widths, Arabic shaping, wrapping in logical order, UAX #9 bidi
levels and reordering, and exact logical <-> visual maps. Imports nothing from textual, rich,
sqlite_utils or other tui packages (tests/test_contracts.py)."""

from .engine import DocumentLayout, paragraph_direction
from .model import Cell, LayoutOptions, VisualLine

__all__ = ["Cell", "DocumentLayout", "LayoutOptions", "VisualLine", "paragraph_direction"]
