"""Annotator names typed in a browser: any script is fine, invisible characters never are."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.web.names import MAX_NAME, InvalidName, check_annotator_name, name_problem


@pytest.mark.parametrize("raw, stored", [
    ("alice", "alice"),
    ("  Hà Nội  ", "Hà Nội"),
    ("Ha\u0300", "Hà"),  # typed with a combining mark: stored as NFC, as the text is
    ("مريم", "مريم"),
    ("j.doe-2", "j.doe-2"),
])
def test_names_in_any_script_are_accepted_and_normalised(raw, stored):
    assert check_annotator_name(raw) == stored


@pytest.mark.parametrize("raw, reason", [
    ("", "type a name"),
    ("   ", "type a name"),
    ("a" * (MAX_NAME + 1), "at most"),
    ("ali\u202ece", "U+202E"),  # right-to-left override: would flip other people's screens
    ("bob\x1b[31m", "U+001B"),
    ("line\nbreak", "U+000A"),
    ("import", "reserved"),
])
def test_bad_names_are_refused_with_the_reason(raw, reason):
    with pytest.raises(InvalidName, match=reason.replace("+", r"\+")):
        check_annotator_name(raw)
    assert reason in (name_problem(raw) or "")


@given(st.text(max_size=80))
def test_an_accepted_name_is_printable_nfc_and_stable(raw):
    try:
        name = check_annotator_name(raw)
    except InvalidName:
        return
    assert 0 < len(name) <= MAX_NAME
    assert name == unicodedata.normalize("NFC", name) == name.strip()
    assert all(unicodedata.category(ch)[0] != "C" and unicodedata.category(ch) not in ("Zl", "Zp") for ch in name)
    assert check_annotator_name(name) == name
