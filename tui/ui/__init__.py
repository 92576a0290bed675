"""Textual user interface: the app, its screens and widgets (DocumentView)."""

from pathlib import Path


def widget_css(name: str) -> str:
    """A widget's DEFAULT_CSS, kept in a .tcss file beside this module (styles live in .tcss files;
    bench/floor_app.py reads the same files to draw tui's screen without tui's code)."""
    return Path(__file__).with_name(name).read_text(encoding="utf-8")
