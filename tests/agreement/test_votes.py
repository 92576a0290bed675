"""Vote rows for adjudication: who made each distinct span, and its state."""

from __future__ import annotations

from tui.agreement.votes import vote_rows


def test_states_and_ballots():
    spans = {
        "alice": [("entity", 0, 5), ("entity", 10, 21), ("claim", 0, 30), ("date", 40, 44)],
        "bob": [("entity", 0, 5), ("entity", 10, 15), ("claim", 0, 30)],
        "carol": [("entity", 0, 5), ("entity", 10, 21), ("date", 50, 52)],
    }
    rows = {row.key: row for row in vote_rows(spans, ["alice", "bob", "carol", "dave"])}
    assert rows["entity", 0, 5].state == "unanimous" and rows["entity", 0, 5].share == 1.0
    assert rows["entity", 10, 21].state == "disputed"  # competes with bob's (10, 15)
    assert rows["entity", 10, 15].state == "disputed"
    assert rows["claim", 0, 30].state == "majority"  # the nested entity does not compete with it
    assert rows["date", 40, 44].state == "single"
    assert rows["entity", 10, 21].describe() == "entity  alice✓ bob✗ carol✓  67%"  # dave did not annotate
    assert rows["entity", 0, 5].glyph == "●" and rows["claim", 0, 30].glyph == "◐"


def test_same_range_other_label_is_disputed_and_ties_too():
    rows = {row.key: row for row in vote_rows({"a": [("entity", 0, 4)], "b": [("date", 0, 4)]}, ["a", "b"])}
    assert rows["entity", 0, 4].state == rows["date", 0, 4].state == "disputed"
    tie = vote_rows({"a": [("entity", 0, 4)], "b": [("entity", 0, 4)], "c": [], "d": []}, ["a", "b", "c", "d"])
    assert tie[0].state == "disputed" and tie[0].share == 0.5


def test_decisions_and_an_annotator_who_found_nothing_votes_against():
    rows = vote_rows({"a": [("entity", 0, 4), ("entity", 6, 9)], "b": []}, ["a", "b"],
                     gold=[("entity", 0, 4)], rejected=[("entity", 6, 9)])
    assert [(r.decision, r.state, r.share) for r in rows] == [("gold", "single", 0.5), ("rejected", "single", 0.5)]
