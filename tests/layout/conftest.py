"""Layout test helpers: ``layout_figures`` collects figures (e.g. the UAX #9 conformance pass
rate) that are printed in pytest's terminal summary, with or without ``-s``."""

from __future__ import annotations

import pytest

_FIGURES: list[str] = []


@pytest.fixture
def layout_figures() -> list[str]:
    """Append a line here to have it printed at the end of the test run."""
    return _FIGURES


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _FIGURES:
        terminalreporter.section("tui.layout figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
