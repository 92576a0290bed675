"""Line breaking: the regex fast path agrees with the general cluster wrapper, and lines fit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.layout.wrap import wrap_clusters, wrap_uniform


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab \t\u3000", max_size=60), st.integers(1, 12))
def test_regex_wrapper_equals_cluster_wrapper(text, width):
    text += " "  # the terminator
    assert wrap_uniform(text, width) == wrap_clusters([1] * len(text), [c.isspace() for c in text], width)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 2), st.booleans()), max_size=60), st.integers(1, 12))
def test_every_line_fits_and_words_that_fit_are_not_split(clusters, width):
    widths = [w for w, _s in clusters] + [1]
    spaces = [s for _w, s in clusters] + [True]
    starts = wrap_clusters(widths, spaces, width)
    assert starts[0] == 0 and starts == sorted(set(starts))
    bounds = starts + [len(widths)]
    for a, b in zip(bounds, bounds[1:]):
        assert sum(widths[a:b]) <= max(width, 2)
