"""`tui` with only the app's options starts without click (tui.launch); it must read them exactly
as the click CLI does, and leave everything else (commands, help, bad values) to click."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import tui.cli
from tui.launch import APP_OPTIONS, Settings, parse_app_args

ROOT = Path(__file__).resolve().parents[1]


def click_settings(args: list[str], monkeypatch: pytest.MonkeyPatch) -> Settings | None:
    """The Settings click's `tui ARGS` would open the app with (None: it would not open it)."""
    seen: list[Settings] = []
    monkeypatch.setattr(tui.cli, "open_app", lambda s: seen.append(s) or 0)
    result = CliRunner().invoke(tui.cli.main, args)
    return seen[0] if seen and result.exit_code == 0 else None


def test_the_fast_path_knows_every_option_of_the_bare_command() -> None:
    declared = {param.opts[0] for param in tui.cli.main.params if param.name not in ("version", "help")}
    assert declared == set(APP_OPTIONS)


@pytest.mark.parametrize("args", [
    [],
    ["--db", "x.db"],
    ["--db=x.db", "--annotator", "  amira "],
    ["--panes", "3", "--bidi", "terminal", "--shaping", "off"],
    ["--panes=1", "--panes", "4"],  # the last one wins
    ["--config", "keys.toml", "--annotator=--panes"],  # a value may look like an option
    ["--bidi=off", "--shaping=on", "--db", "some dir/a.db"],
])
def test_well_formed_app_options_are_read_as_click_reads_them(args: list[str], monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("USER", "tester")
    fast = parse_app_args(args)
    assert fast is not None
    assert fast == click_settings(args, monkeypatch)


@pytest.mark.parametrize("args", [
    ["stats"], ["--help"], ["-h"], ["--version"], ["-V"], ["--panes", "7"], ["--panes", "two"],
    ["--bidi", "rtl"], ["--shaping", "yes"], ["--annotator", "  "], ["--db"], ["--unknown"], ["--db", "x", "export"],
    ["--db", "."], ["--"],
])
def test_everything_else_is_left_to_click(args: list[str]) -> None:
    assert parse_app_args(args) is None


TOKENS = st.sampled_from([
    "--db", "--annotator", "--panes", "--bidi", "--shaping", "--config", "--db=a.db", "--panes=2", "--panes=0",
    "--bidi=app", "--shaping=off", "a.db", "1", "2", "4", "5", "-1", "app", "terminal", "off", "on", "bob", " ",
    "stats", "-h", "--x", "=", "",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(TOKENS, max_size=6))
def test_the_fast_path_never_reads_arguments_differently_from_click(args: list[str]) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("USER", "tester")
        fast = parse_app_args(args)
        if fast is not None:  # whenever it takes the arguments, click would have opened the same app
            assert fast == click_settings(args, monkeypatch)


def run_tui(*args: str, cwd: Path, stub_app: bool = False) -> subprocess.CompletedProcess[str]:
    """`python -m tui ARGS`; with stub_app the app itself is replaced by a line saying whether click
    was loaded (the fast path must not load it)."""
    code = "import runpy, sys\n"
    if stub_app:
        code += ("import tui.launch\n"
                 "tui.launch.open_app = lambda s: print('click loaded:', 'click' in sys.modules, s.panes) or 0\n")
    code += f"sys.argv = ['tui', *{list(args)!r}]\nrunpy.run_module('tui', run_name='__main__')\n"
    return subprocess.run([sys.executable, "-c", code], check=False, cwd=cwd, capture_output=True, text=True, timeout=60)


def test_a_plain_start_does_not_load_click(tmp_path: Path) -> None:
    result = run_tui("--panes", "3", cwd=tmp_path, stub_app=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "click loaded: False 3"


def test_opening_the_app_loads_neither_the_agreement_nor_the_postgresql_change_feed(tmp_path: Path) -> None:
    """What `tui agree` and a PostgreSQL session need is imported when they run, not at every start."""
    code = ("import sys, tui.launch, tui.ui.app, tui.ui.run\n"
            "print(sorted(n for n in sys.modules if n.startswith('tui.agreement') or n == 'tui.store.changes'))")
    result = subprocess.run([sys.executable, "-c", code], check=False, cwd=tmp_path, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"



# What the first frame of the main screen does not use: imported by the key or command that needs it.
NOT_AT_START = ("tui.ui.search_rank", "tui.ui.text_input", "secrets", "hashlib", "tui.store.candidates",
                "tui.store.stats", "tui.store.patterns", "tui.store.link_rows", "tui.store.clusters")


def test_opening_the_app_loads_none_of_what_only_later_keys_and_commands_use(tmp_path: Path) -> None:
    """`/` ranks its matches (tui.ui.search_rank) and draws the typed query as the article shows it
    (tui.ui.text_input; the palette and the picker have their own fields); decisions on candidates get
    a batch id (secrets), imported texts their hash (hashlib); the store's candidate model, `tui stats`'
    figures, the suggestion patterns' rows and links as exports read them (tui.store.candidates,
    tui.store.stats, tui.store.patterns, tui.store.link_rows with tui.store.clusters: the Store's parts
    import them when a method is called). Each is imported when first used, not at every start."""
    code = ("import sys, tui.launch, tui.ui.app, tui.ui.run\n"
            f"print(sorted(n for n in {NOT_AT_START!r} if n in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], check=False, cwd=tmp_path, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_app_is_imported_with_the_collector_off_and_it_is_on_again_when_the_app_runs(tmp_path: Path) -> None:
    """`tui` imports the app with the cyclic garbage collector paused and frozen afterwards (what the
    imports made is never scanned again); the app and every command run with the collector on."""
    code = ("import gc, sys, tui.launch\n"
            "tui.launch.open_app = lambda settings: print(gc.isenabled(), gc.get_freeze_count() > 0,\n"
            "                                                'tui.ui.app' in sys.modules) or 0\n"
            "for argv in (['tui', '--db', 'x.db', '--annotator', 'ann'], ['tui', '--version']):\n"
            "    sys.argv = argv\n"
            "    try:\n"
            "        tui.launch.main()\n"
            "    except SystemExit:\n"
            "        pass\n"
            "    print('after', gc.isenabled())\n")
    result = subprocess.run([sys.executable, "-c", code], check=False, cwd=tmp_path, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "True True True"  # the app runs with the collector on, after the frozen imports
    assert lines[1] == "after True"
    assert lines[-1] == "after True"  # `tui --version` (click) too

def test_bad_values_still_get_clicks_message_and_exit_code(tmp_path: Path) -> None:
    result = run_tui("--panes", "9", cwd=tmp_path)
    assert result.returncode == 2
    assert "Invalid value for '--panes'" in result.stderr
    assert run_tui("--version", cwd=tmp_path).stdout.startswith("tui, version ")


def test_a_bad_database_on_the_fast_path_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"this is not a database" * 100)
    before = bad.read_bytes()
    result = run_tui("--db", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert str(bad) in result.stderr
    assert bad.read_bytes() == before


def test_doctor_is_still_a_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(tui.cli.main, ["--help"])
    assert "doctor" in result.output
    assert CliRunner().invoke(tui.cli.main, ["doctor", "--help"]).exit_code == 0


def test_without_user_logname_or_login_name_tui_refuses_to_start_and_creates_nothing(monkeypatch, tmp_path) -> None:
    """Issue 19: an unset $USER used to become the annotator "annotator"; now the app refuses to
    start (exit 1, one line naming --annotator) rather than store spans under a made-up name."""
    import pwd

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("USER", raising=False)
    monkeypatch.delenv("LOGNAME", raising=False)

    def no_entry(uid: int):
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    assert parse_app_args(["--db", "team.db"]) is None  # the fast path leaves it to click
    opened: list[Settings] = []
    monkeypatch.setattr(tui.cli, "open_app", lambda s: opened.append(s) or 0)
    result = CliRunner().invoke(tui.cli.main, ["--db", "team.db"])
    assert result.exit_code == 1 and not opened
    assert "no annotator name" in result.output and "--annotator NAME" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "team.db").exists()
    result = CliRunner().invoke(tui.cli.main, ["--db", "team.db", "--annotator", "amira"])
    assert result.exit_code == 0 and [s.annotator for s in opened] == ["amira"]
