"""Hypothesis strategies for the layout property tests (imported as `tests.layout.strategies`):
random mixes of Arabic (letters, harakat, both digit sets), Vietnamese (NFC and NFD), Latin, digits,
punctuation, brackets, ZWJ/ZWNJ, bidi controls, control characters and wide characters, and layout
options. Trial count: TUI_TRIALS (default 150 per property)."""

from __future__ import annotations

import os
import unicodedata

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tui.layout import LayoutOptions

TRIALS = int(os.environ.get("TUI_TRIALS", "150"))
SETTINGS = settings(max_examples=TRIALS, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

ARABIC_WORDS = ["\u0628\u0648\u062a\u064a\u0646", "\u0644\u0627", "\u0627\u0644\u0633\u0644\u0627\u0645",
                "\u0645\u064f\u062d\u064e\u0645\u0651\u064e\u062f", "\u0641\u064a", "\u0644\u0623\u0646",
                "\u0648\u0625\u0644\u0649", "\u0662\u0660\u0662\u0664", "\u06f1\u06f2"]
VIETNAMESE = ["Vi\u1ec7t", "Nam", "\u0111\u01b0\u1ee3c", "nh\u1eefng", "Th\u1ee7", "t\u01b0\u1edbng"]
VIETNAMESE += [unicodedata.normalize("NFD", word) for word in VIETNAMESE]
SINGLES = list("\u0627\u0628\u062a\u062c\u062d\u0644\u0645\u0646\u0647\u0648\u064a\u0629\u0621")
SINGLES += [chr(cp) for cp in range(0x064B, 0x0660)] + ["\u0670"]
SINGLES += list("abcXYZ0123456789.,:;!?-/%$#+\"'") + list("()[]{}<>\u00ab\u00bb\u201c\u201d")
SINGLES += ["\u200d", "\u200c"] + list("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SINGLES += [" ", " ", " ", "  ", "\u00a0"]
EXTRA = ["\t", "\x1b[31m", "\x00", "\x7f", "\x9b", "\u200b", "\u0301", "\u6f22", "\U0001f44d", "\ufeff"]

tokens = st.sampled_from(ARABIC_WORDS + VIETNAMESE + SINGLES)
line_text = st.lists(tokens, max_size=40).map("".join)
doc_text = st.lists(st.one_of(tokens, st.sampled_from(EXTRA + ["\n", "\n\n", "\r\n"])),
                    max_size=60).map("".join)
_overrides = st.dictionaries(st.integers(0, 8), st.sampled_from(["ltr", "rtl"]), max_size=4).map(
    lambda chosen: tuple(sorted(chosen.items())))
options = st.builds(LayoutOptions, direction=st.sampled_from(["auto", "ltr", "rtl"]),
                    shaping=st.booleans(), reorder=st.booleans(), paragraph_directions=_overrides)
