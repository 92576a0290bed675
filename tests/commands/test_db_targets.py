"""`--db TARGET` and $TUI_DB on every command and the app: a SQLite file as before, or a
postgresql:// URL; a value that names no database is one line that never quotes its password."""

from __future__ import annotations

import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.support import SEEDS
from tui import cli
from tui.launch import parse_app_args
from tui.store.target import PostgresTarget, parse_target

SECRET = "Sup3r-Secr3t"
BAD_URLS = [
    f"mysql://alice:{SECRET}@db.lab/news",
    f"postgresql://alice:{SECRET}@db.lab:port/news",
    f"postgresql://alice:{SECRET}@db.lab/news?nonsense=1",
    f"postgresql://alice:{SECRET}@db.lab/news?sslmode",
]


def commands_with_db() -> list[list[str]]:
    """Every command (and subcommand) that has a --db option, as the words that run it."""
    found: list[list[str]] = []

    def walk(command: click.Command, words: list[str]) -> None:
        if any(isinstance(p, click.Option) and "--db" in p.opts for p in command.params):
            found.append(words)
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    walk(sub, [*words, name])

    walk(cli.main, [])
    return found


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli.main, list(args), env=env)


def assert_one_line_without_secret(result, code: int) -> str:
    assert result.exit_code == code, result.output
    text = result.output  # stdout and stderr, as the user sees them
    assert SECRET not in text and "Traceback" not in text
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith(("Usage:", "Try "))]
    assert len(lines) == 1, text
    return lines[0]


def test_every_command_with_a_db_option_takes_a_target() -> None:
    from tui.commands.common import TargetType

    commands = commands_with_db()
    assert len(commands) >= 15, commands  # the group, import, export, stats, agree, merge, labels..., serve
    for words in commands:
        command: click.Command = cli.main
        for word in words:
            assert isinstance(command, click.Group)
            found = command.get_command(click.Context(command), word)
            assert found is not None
            command = found
        option = next(p for p in command.params if isinstance(p, click.Option) and "--db" in p.opts)
        assert isinstance(option.type, TargetType), words
        assert "postgresql://" in (option.help or ""), words


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("where", ["group", "command"])
def test_a_bad_url_is_a_usage_error_that_never_shows_its_password(url: str, where: str) -> None:
    args = ["--db", url, "stats"] if where == "group" else ["stats", "--db", url]
    line = assert_one_line_without_secret(invoke(*args), 2)
    assert "Invalid value for '--db'" in line


def test_every_command_refuses_a_bad_url_the_same_way() -> None:
    for words in commands_with_db():
        result = invoke(*words, "--db", BAD_URLS[1], *(["x.jsonl"] if words[-1:] == ["import"] else []))
        line = assert_one_line_without_secret(result, 2)
        assert "port" in line, words


def test_a_url_typed_where_no_option_wants_it_is_redacted_in_the_usage_error() -> None:
    result = invoke("stats", f"postgresql://alice:{SECRET}@db.lab/news")
    line = assert_one_line_without_secret(result, 2)
    assert "unexpected extra argument" in line and "postgresql://alice:***@db.lab/news" in line


def test_tui_db_names_the_database_when_no_db_is_given(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"TUI_DB": str(tmp_path / "team.db")}
    result = invoke("import", str(SEEDS), env=env)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "team.db").exists() and not (tmp_path / "annotations.db").exists()
    assert "team.db" in result.output
    stats = invoke("stats", "--limit", "0", env=env)
    assert stats.exit_code == 0, stats.output
    assert "Hợp tác" in stats.output or "Nga" in stats.output  # the seed articles' titles
    assert invoke("export", env=env).exit_code == 0
    # --db, before or after the command, wins over $TUI_DB
    other = tmp_path / "other.db"
    assert invoke("--db", str(other), "stats", env=env).exit_code == 1  # it does not exist: never created
    assert not other.exists()
    assert invoke("stats", "--db", str(other), env=env).exit_code == 1
    assert not other.exists()


def test_a_bad_tui_db_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    env = {"TUI_DB": f"postgresql://alice:{SECRET}@db.lab:99999/news"}
    for args in (["stats"], ["export"], ["labels"], ["doctor", "--answer", "a"]):
        line = assert_one_line_without_secret(invoke(*args, env=env), 1)
        assert "$TUI_DB" in line and "port" in line, args


def test_the_app_fast_path_reads_targets_as_click_does(tmp_path: Path, monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(cli, "open_app", lambda settings: seen.append(settings) or 0)
    monkeypatch.setenv("USER", "tester")
    url = f"postgresql://alice:{SECRET}@db.lab/news"
    for args, env in [(["--db", url], None), ([], url), (["--db", "x.db"], url), ([], "team.db")]:
        if env is None:
            monkeypatch.delenv("TUI_DB", raising=False)
        else:
            monkeypatch.setenv("TUI_DB", env)
        fast = parse_app_args(args)
        seen.clear()
        result = CliRunner().invoke(cli.main, args)
        assert result.exit_code == 0, result.output
        assert fast is not None and fast == seen[0]
        expected = parse_target(args[1] if args else env)
        assert fast.db == expected
    # a bad URL: the fast path leaves it to click, which says what is wrong in one line
    monkeypatch.delenv("TUI_DB", raising=False)
    assert parse_app_args(["--db", BAD_URLS[0]]) is None


def test_a_postgres_database_is_never_named_with_its_password_in_settings(monkeypatch) -> None:
    monkeypatch.setenv("USER", "tester")
    settings = parse_app_args(["--db", f"postgresql://alice:{SECRET}@db.lab/news"])
    assert settings is not None and isinstance(settings.db, PostgresTarget)
    assert SECRET not in repr(settings) and SECRET not in str(settings.db)


def test_read_only_commands_on_a_missing_file_still_create_nothing(tmp_path: Path) -> None:
    db = tmp_path / "nothing.db"
    for args in (["stats"], ["export"], ["agree"], ["labels"], ["suggest"], ["patterns", "export"],
                 ["export", "--links"]):
        result = invoke(*args, "--db", str(db))
        assert result.exit_code == 1, (args, result.output)
        assert "does not exist" in result.output and str(db) in result.output
        assert not db.exists(), args


def test_export_still_refuses_to_write_over_its_database(seeded_db: Path) -> None:
    result = invoke("export", "--db", str(seeded_db), "-o", str(seeded_db))
    assert result.exit_code == 1 and "would destroy it" in result.output


def test_a_tab_gets_a_postgres_url_through_its_environment_never_its_command_line(tmp_path: Path) -> None:
    pytest.importorskip("textual_serve")
    from tui.web.server import TuiAppService, session_command, session_environment

    target = parse_target(f"postgresql://alice:{SECRET}@db.lab/news?sslmode=disable")
    assert isinstance(target, PostgresTarget)
    command = session_command(target, annotator="bob", panes=None, config=None)
    assert SECRET not in command and "--db" not in command and "db.lab" not in command
    environment = session_environment(target)
    assert parse_target(environment["TUI_DB"]) == target  # the password included
    service = TuiAppService(command, write_bytes=None, write_str=None, close=None, download_manager=None,
                            extra_environment=environment)
    built = service._build_environment(80, 24)
    assert built["TUI_DB"] == environment["TUI_DB"] and built["COLUMNS"] == "80"
    # a SQLite file goes on the command line as before, and nothing extra in the environment
    path = tmp_path / "team.db"
    assert f"--db {path}" in session_command(path, annotator=None, panes=None, config=None)
    assert session_environment(path) == {}


def test_a_tab_without_db_takes_tui_db(monkeypatch) -> None:
    pytest.importorskip("textual_serve")
    from tui.web import session

    seen = []
    monkeypatch.setattr(session, "run_app", lambda db, **options: seen.append(db) or 0)
    url = f"postgresql://alice:{SECRET}@db.lab/news"
    monkeypatch.setenv("TUI_DB", url)
    assert session.main(["--annotator", "bob"]) == 0
    assert seen == [parse_target(url)]
    monkeypatch.setenv("TUI_DB", "postgresql://alice@db.lab:0/news")
    assert session.main(["--annotator", "bob"]) == 2
    assert os.environ["TUI_DB"].startswith("postgresql://")
