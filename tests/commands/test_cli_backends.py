"""The same `tui` commands on a SQLite file and on a PostgreSQL database: import, export (spacy,
doccano, links), stats, labels, agree and merge give the same bytes on both; PostgreSQL failures are
one line each; a read-only command never creates tui's tables in an empty PostgreSQL database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support import SEEDS
from tui import cli

A = "Alpha Beta Gamma Delta Epsilon Zeta."
B = "Một hai ba bốn năm sáu bảy tám."


def at(text: str, word: str) -> dict[str, object]:
    start = text.index(word)
    return {"start": start, "end": start + len(word)}


def team_file(tmp_path: Path) -> Path:
    """Two articles annotated by alice and bob (spacy JSONL with _annotator_id)."""
    records = [
        {"text": A, "meta": {"title": "first"}, "_annotator_id": "alice", "answer": "accept",
         "spans": [{**at(A, "Alpha"), "label": "entity"}, {**at(A, "Gamma"), "label": "entity"}]},
        {"text": A, "meta": {"title": "first"}, "_annotator_id": "bob", "answer": "accept",
         "spans": [{**at(A, "Alpha"), "label": "entity"}, {**at(A, "Gamma Delta"), "label": "entity"},
                   {**at(A, "Zeta"), "label": "date"}]},
        {"text": B, "meta": {"title": "second"}, "_annotator_id": "alice", "answer": "accept",
         "spans": [{**at(B, "hai"), "label": "date"}]},
        {"text": B, "meta": {"title": "second"}, "_annotator_id": "bob", "answer": "accept",
         "spans": [{**at(B, "hai"), "label": "date"}, {**at(B, "bốn năm"), "label": "claim"}]},
    ]
    path = tmp_path / "team.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def tui(db: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli.main, ["--db", db, *args], env={"USER": "tester"})
    assert result.exit_code == code, (args, result.output)
    return result.output


def a_day_of_work(db: str, tmp_path: Path) -> dict[str, str]:
    """What a team does from the command line; the outputs that must not depend on the backend."""
    tui(db, "import", "-q", str(SEEDS))
    tui(db, "import", "-q", "--keep-annotators", str(team_file(tmp_path)))
    tui(db, "labels", "add", "person", "--key", "p", "--colour", "#ff8700", "--description", "A human being.")
    tui(db, "labels", "rename", "claim", "assertion")
    outputs = {
        "export": tui(db, "export"),
        "doccano": tui(db, "export", "--format", "doccano"),
        "stats": tui(db, "stats", "--limit", "0"),
        "labels": tui(db, "labels"),
        "agree": tui(db, "agree", "--json"),
        "merge dry": tui(db, "merge", "--into", "gold", "--dry-run"),
        "merge": tui(db, "merge", "--into", "gold"),
        "gold": tui(db, "export", "--annotator", "gold"),
        "links": tui(db, "export", "--links"),
        "doc status": tui(db, "export", "--status", "done"),
    }
    assert outputs["gold"].count("\n") == 2  # Alpha and hai: both annotators made them
    return outputs


def test_the_same_commands_give_the_same_bytes_on_both_backends(tmp_path: Path, postgres_url: str) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "p").mkdir()
    on_sqlite = a_day_of_work(str(tmp_path / "s" / "team.db"), tmp_path / "s")
    on_postgres = a_day_of_work(postgres_url, tmp_path / "p")
    for name, output in on_sqlite.items():
        assert on_postgres[name] == output, name
    assert '"assertion"' in on_sqlite["export"] and "alice" in on_sqlite["export"]
    assert json.loads(on_sqlite["agree"])["annotators"] == ["alice", "bob"]


def test_messages_name_the_server_database_without_a_password(postgres_server, tmp_path: Path) -> None:
    from tests.postgres_server import PASSWORD, PASSWORD_ROLE

    name = postgres_server.create_database("owned")
    postgres_server.admin(f'ALTER DATABASE "{name}" OWNER TO {PASSWORD_ROLE}')
    postgres_server.admin(f"GRANT CREATE ON SCHEMA public TO {PASSWORD_ROLE}", dbname=name)
    url = postgres_server.url(name, user=PASSWORD_ROLE, password=PASSWORD)
    shown = postgres_server.url(name, user=PASSWORD_ROLE).replace("%2F", "/")
    output = tui(url, "import", str(SEEDS))
    assert f"Imported into {shown}: 5 files" in output and PASSWORD not in output
    output = tui(url, "stats", "--annotator", "nobody", code=0)
    output = tui(url, "agree", "--annotator", "nobody", code=1)
    assert f"no annotator 'nobody' in {shown}" in output and PASSWORD not in output


def test_read_only_commands_create_nothing_in_an_empty_server_database(postgres_server, postgres_url: str) -> None:
    for args in (["stats"], ["export"], ["agree"], ["labels"], ["export", "--links"], ["suggest"],
                 ["patterns", "export"], ["import", "--links", "x.jsonl"]):
        output = tui(postgres_url, *args, code=1)
        assert "has no tui tables yet" in output and "tui import --db" in output, args
    import psycopg

    with psycopg.connect(postgres_url) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    assert tables == (0,)


def test_server_problems_are_one_line_each(postgres_server) -> None:
    missing = postgres_server.url("no_such_database")
    for args in (["import", str(SEEDS)], ["stats"], ["export"]):
        output = tui(missing, *args, code=1)
        assert output.count("\n") == 1 and output.startswith("Error: ") and "Traceback" not in output
        assert "does not exist" in output and "createdb" in output


def test_export_to_a_file_next_to_a_server_database_still_refuses_sqlite_files(postgres_url: str,
                                                                             tmp_path: Path) -> None:
    tui(postgres_url, "import", "-q", str(SEEDS))
    other = tmp_path / "other.db"
    tui(str(other), "import", "-q", str(SEEDS))
    output = tui(postgres_url, "export", "-o", str(other), code=1)
    assert "is a SQLite database; export never writes over one" in output
    tui(postgres_url, "export", "-o", str(tmp_path / "out.jsonl"))
