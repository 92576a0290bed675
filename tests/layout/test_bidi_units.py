"""Unit checks of the bidi module beyond the conformance file: class lookup for every code
point, the pure-LTR fast path's safety, mirroring and reordering on runs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.layout import bidi, bidi_classes


def test_every_code_point_has_a_class_and_every_rtl_trigger_is_seen_by_the_fast_path():
    missed = []
    # planes 0-1 hold every RTL script; planes 2-16 are CJK, tags, private use (checked by class)
    for cp in range(0x20000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        code = bidi.CLASS_OF[cp]
        assert code in bidi.NAME_OF_CODE, hex(cp)
        if code in bidi_classes._NEEDS_BIDI_CODES and bidi_classes._RTL_TRIGGER_RE.match(chr(cp)) is None:
            missed.append(hex(cp))
    assert missed == []


def test_unassigned_code_points_get_the_derived_defaults():
    assert bidi.CLASS_OF[0x05FF] == "R"  # unassigned in the Hebrew block
    assert bidi.CLASS_OF[0x07BF] == "A"  # unassigned in Thaana: AL
    assert bidi.CLASS_OF[0x20CF] == "$"  # unassigned currency symbol: ET
    assert bidi.CLASS_OF[0xFFFF] == "x"  # noncharacter: BN


def test_visual_runs_and_order():
    assert bidi.visual_order([0, 0, 1, 1, 2, 2, 1, 0]) == [0, 1, 6, 4, 5, 3, 2, 7]
    assert bidi.visual_order([1, 1, 1]) == [2, 1, 0]
    assert bidi.visual_order([]) == []


def test_mirror():
    assert bidi.mirror("(") == ")" and bidi.mirror("\u00ab") == "\u00bb" and bidi.mirror("a") == "a"


def _reference_l2(levels: list[int]) -> list[int]:
    """L2 as written in UAX #9: from the highest level down to the lowest odd level, reverse
    every maximal sequence at that level or higher."""
    order = list(range(len(levels)))
    if not levels:
        return order
    current = list(levels)
    for level in range(max(levels), (min(levels) | 1) - 1, -1):
        i = 0
        while i < len(order):
            if current[i] >= level:
                j = i
                while j < len(order) and current[j] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                current[i:j] = current[i:j][::-1]
                i = j
            else:
                i += 1
    return order


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=30))
def test_run_based_reordering_equals_the_rule_as_written(levels):
    assert bidi.visual_order(levels) == _reference_l2(levels)
