"""``python -m tui.ui.document_demo FILE [--demo-spans] [--bidi app|terminal|off]``: look at a file
in a bare DocumentView (``python -m tui.ui.document_view`` does the same)."""

from __future__ import annotations

import argparse
import re
from typing import Sequence

from textual.app import App, ComposeResult
from textual.widgets import Footer

from tui.layout import LayoutOptions
from tui.vocabulary import BIDI_MODES
from tui.ui.document_view import DocumentView, SpanMark


def main(argv: Sequence[str] | None = None) -> None:
    """Open the file given on the command line in a bare DocumentView."""
    parser = argparse.ArgumentParser(prog="python -m tui.ui.document_view")
    parser.add_argument("path")
    parser.add_argument("--demo-spans", action="store_true", help="tag a few words to show the label cues")
    parser.add_argument("--bidi", choices=BIDI_MODES, default="app")
    parser.add_argument("--caret", type=int, default=0)
    args = parser.parse_args(argv)
    with open(args.path, encoding="utf-8") as handle:
        text = handle.read()
    options = LayoutOptions(
        shaping=args.bidi != "off", reorder=args.bidi == "app"
    )
    spans: list[SpanMark] = []
    if args.demo_spans:
        words = [m.span() for m in re.finditer(r"\w+", text)]
        labels = ("entity", "date", "entity")
        for index, (start, end) in enumerate(words[2:40:6]):
            spans.append(SpanMark(index, start, end, labels[index % 3]))
        if len(words) > 30:
            spans.append(SpanMark(99, words[7][0], words[16][1], "claim"))

    class Demo(App):
        def compose(self) -> ComposeResult:
            yield DocumentView(options=options)
            yield Footer()

        def on_mount(self) -> None:
            view = self.query_one(DocumentView)
            view.load(text, spans, caret=args.caret)
            view.focus()

    Demo().run()


if __name__ == "__main__":
    main()
