"""A document's stored direction comes from the layout engine's own P2-P3 (one implementation):
the first strong character outside isolates, going on into the next paragraph when one has none."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.formats.text import first_strong_direction
from tui.layout import paragraph_direction

# L, R, AL, numbers, neutrals, isolates (LRI RLI FSI PDI), embeddings, paragraph separators
ALPHABET = "ab ק ع 1 ١ .,\u2066\u2067\u2068\u2069\u202a\u202b\u202c\n\u2029\x1c"


def by_the_book(text: str) -> str | None:
    """UAX #9 P2-P3 over the whole text, written out plainly (assigned characters only)."""
    depth = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("LRI", "RLI", "FSI"):
            depth += 1
        elif kind == "PDI":
            depth = max(0, depth - 1)
        elif kind == "B":
            depth = 0
        elif depth == 0 and kind in ("L", "R", "AL"):
            return "ltr" if kind == "L" else "rtl"
    return None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_the_first_strong_character_decides(text):
    assert first_strong_direction(text) == by_the_book(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=ALPHABET.replace("\n", "").replace("\u2029", "").replace("\x1c", ""), max_size=30))
def test_a_one_paragraph_document_has_the_direction_the_app_draws_it_in(text):
    expected = first_strong_direction(text)
    if expected is not None:
        assert paragraph_direction(text) == expected


def test_a_strong_character_far_into_the_text_is_found():
    assert first_strong_direction(" " * 10_000 + "قال") == "rtl"
    assert first_strong_direction("\u2067" + "a" * 9_000 + "\u2069" + "ق") == "rtl", "the isolate is skipped"
    assert first_strong_direction("123 \n\u2029 ...") is None


CHUNKS = [" " * 10, "." * 10, "1" * 10, "\u2066" + "a" * 20 + "\u2069", "\u2067\u0639" * 5, "\u2069", "\n",
          "\u2029", "a", "\u0639", "\u05e7"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CHUNKS), max_size=60))
def test_the_answer_does_not_depend_on_where_the_classified_prefixes_end(chunks):
    # The direction is found in a short prefix first, then a longer one, then the whole text:
    # texts whose first strong character (or an isolate around it) straddles those ends.
    text = "".join(chunks)
    assert first_strong_direction(text) == by_the_book(text)


def test_an_isolate_open_at_the_end_of_the_first_prefix_is_looked_past():
    assert first_strong_direction(" " * 60 + "\u2067" + "ق" * 10 + "\u2069" + "a") == "ltr"
    assert first_strong_direction(" " * 60 + "\u2066" + "a" * 5000 + "\u2069" + "ق") == "rtl"
