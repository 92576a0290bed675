"""Our cell widths agree with rich.cells.cell_len (what the widget draws with) for the tricky
sequences (ZWJ, VS16, marks); code point by code point over all planes: test_tables.py."""

from __future__ import annotations

from rich.cells import cell_len

from tui.layout.chars import cell_width
from tui.layout.clusters import split_clusters


def test_sequences_measured_like_rich():
    for text in ["a\u200db", "\u200db", "a\u200d", "\u2764\ufe0f", "#\ufe0f\u20e3",
                 "\U0001f468\u200d\U0001f469\u200d\U0001f467", "e\u0301\u0302", "\u0628\u064e\u0651",
                 "\u6f22\u5b57", "\u0644\u200d\u0627"]:
        assert cell_width(text) == cell_len(text), text


def test_cluster_widths_agree_with_rich_and_marks_stay_after_the_base():
    text = "\u0301\u0628\u064e\u0651 e\u0301 \u6f22 \u2764\ufe0f"
    clusters = split_clusters(text, None)
    for shown, width in zip(clusters.texts, clusters.widths):
        assert cell_len(shown) == width and width in (1, 2)
    assert clusters.texts[0] == "\u25cc\u0301"  # a mark with no base sits on a dotted circle
    assert clusters.texts[1] == "\u0628\u064e\u0651"
