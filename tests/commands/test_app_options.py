"""`tui --candidates SOURCE[,SOURCE]` and `--as A[,B]` are read alike by the fast start and by click."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import tui.cli
from tui.launch import Settings, name_list, parse_app_args


def test_name_lists():
    assert name_list("model-x, suggest:dates ,,model-x") == ("model-x", "suggest:dates")
    assert name_list("") == () and name_list(None) == ()


@pytest.mark.parametrize("args", [
    ["--candidates", "model-x,suggest:dates"],
    ["--candidates=import", "--as", "alice,bob,gold", "--panes", "3", "--annotator", "gold"],
])
def test_fast_path_and_click_agree(args, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("USER", "tester")
    seen: list[Settings] = []
    monkeypatch.setattr(tui.cli, "open_app", lambda s: seen.append(s) or 0)
    result = CliRunner().invoke(tui.cli.main, args)
    assert result.exit_code == 0, result.output
    fast = parse_app_args(args)
    assert fast is not None and fast == seen[0]
    assert fast.candidates or fast.as_annotators
