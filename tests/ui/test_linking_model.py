"""The panes' view of links, without a widget: linked spans, partners, the look of both."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style

from tui.ui.linking import LinkIndex, Partner, next_partner
from tui.ui.span_styles import Palette, default_label_styles


@dataclass(frozen=True)
class L:
    id: int
    label: str
    head_span_id: int
    child_span_id: int
    head_document_id: str
    child_document_id: str


LINKS = [L(1, "same_entity", 10, 20, "vi", "ar"), L(2, "same_entity", 30, 20, "vi", "ar"), L(3, "supports", 20, 40, "ar", "vi")]


def test_linked_spans_are_both_ends_of_every_link():
    assert LinkIndex.build(LINKS).linked_span_ids() == {10, 20, 30, 40}


def test_partners_are_the_other_ends_whichever_way_the_link_points():
    index = LinkIndex.build(LINKS)
    assert index.partners([20]) == [Partner(10, "vi", 1, "same_entity"), Partner(30, "vi", 2, "same_entity"),
                                    Partner(40, "vi", 3, "supports")]
    assert index.partners([10]) == [Partner(20, "ar", 1, "same_entity")]
    assert index.partners([10, 20]) == [Partner(30, "vi", 2, "same_entity"), Partner(40, "vi", 3, "supports")]
    assert index.partners([99]) == [] and LinkIndex().partners([10]) == []


def test_repeated_jumps_visit_every_partner_in_turn():
    partners = LinkIndex.build(LINKS).partners([20])
    seen = []
    current = None
    for _ in range(4):
        partner = next_partner(partners, current)
        assert partner is not None
        current = partner.span_id
        seen.append(current)
    assert seen == [10, 30, 40, 10]
    assert next_partner([], None) is None


def test_linked_and_partner_spans_look_different_without_colour():
    palette = Palette(default_label_styles(), None)
    spans = (("entity", False),)
    plain = palette.cell_style(spans, False, "", False, False)
    linked = palette.cell_style(spans, False, "", False, False, linked=True)
    partner = palette.cell_style(spans, False, "", False, False, linked=True, partner=True)
    assert linked.overline and not plain.overline
    assert partner.reverse and not linked.reverse
    assert len({plain, linked, partner}) == 3
    assert palette.cell_style(spans, False, "focused", False, False, partner=True) != partner  # caret shows
    assert isinstance(partner, Style)
