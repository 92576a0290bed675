"""Every PostgreSQL failure a user can meet is one line saying what to do, never the password, against
a real (throwaway) server: a stopped server, a wrong or missing password, a database that does not
exist, a role without privileges, a connection killed mid-session."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import postgres_server as pg
from tui.store import StoreError
from tui.store.postgres_errors import (
    ConnectionLost, PostgresProblem, createdb_command, explain_postgres, is_connection_lost,
)
from tui.store.target import PostgresTarget, parse_target

psycopg = pytest.importorskip("psycopg")


def target_of(url: str) -> PostgresTarget:
    target = parse_target(url)
    assert isinstance(target, PostgresTarget)
    return target


def failure(target: PostgresTarget, *, env: dict[str, str] | None = None, **connect) -> PostgresProblem:
    """What the user is told when connecting to `target` fails."""
    with pytest.raises(psycopg.Error) as caught:
        psycopg.connect(target.conninfo, connect_timeout=10, **connect)
    return explain_postgres(caught.value, target, env=env if env is not None else dict(os.environ))


def assert_one_clear_line(problem: StoreError, target: PostgresTarget, *words: str) -> str:
    message = str(problem)
    assert isinstance(problem, StoreError)
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(target.display + ": ")
    assert pg.PASSWORD not in message and "s3cret" not in message
    for word in words:
        assert word in message, message
    return message


def dbname_of(url: str) -> str:
    name = target_of(url).dbname
    assert name is not None
    return name


@pytest.fixture
def isolated_passwords(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No PGPASSWORD, and a home whose ~/.pgpass is ours (absent unless a test writes it)."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.delenv("PGPASSFILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def test_a_stopped_server_says_so_and_how_to_start_it() -> None:
    reason = pg.unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    second = pg.start()
    url = second.url("postgres")
    with psycopg.connect(url) as conn:  # it was up ...
        conn.execute("SELECT 1")
        second.stop()  # ... and is gone, mid-session
        with pytest.raises(psycopg.Error) as caught:
            conn.execute("SELECT 1")
    lost = explain_postgres(caught.value, target_of(url))
    assert isinstance(lost, ConnectionLost) and is_connection_lost(caught.value)
    assert_one_clear_line(lost, target_of(url), "connection", "lost", "not saved")
    down = failure(target_of(url))
    assert down.kind == "server_down" and not isinstance(down, ConnectionLost)
    assert_one_clear_line(down, target_of(url), "no PostgreSQL server is running", str(second.socket_dir),
                          "start the server")


def test_a_refused_tcp_connection_is_a_server_that_is_not_listening() -> None:
    target = target_of("postgresql://alice:s3cret@127.0.0.1:1/news")
    problem = failure(target)
    assert problem.kind == "server_down"
    assert_one_clear_line(problem, target, "127.0.0.1 port 1", "connection refused")


def test_a_wrong_password_names_the_user_and_where_the_password_came_from(
        postgres_server: pg.Server, postgres_url: str, isolated_passwords: Path) -> None:
    target = target_of(postgres_server.url(dbname_of(postgres_url), user=pg.PASSWORD_ROLE, password="wrong-one"))
    problem = failure(target)
    assert problem.kind == "wrong_password"
    assert_one_clear_line(problem, target, f"'{pg.PASSWORD_ROLE}'", "the password in the URL", "~/.pgpass")
    no_password = target.without_password()
    env = {"PGPASSWORD": "also-wrong", "HOME": str(isolated_passwords)}
    problem = failure(no_password, env=env, password="also-wrong")
    assert_one_clear_line(problem, no_password, "the password in PGPASSWORD")


def test_no_password_at_all_says_where_to_put_one(postgres_server: pg.Server, postgres_url: str,
                                                  isolated_passwords: Path) -> None:
    target = target_of(postgres_server.url(dbname_of(postgres_url), user=pg.PASSWORD_ROLE))
    problem = failure(target)
    assert problem.kind == "no_password"
    assert_one_clear_line(problem, target, "none was given", "~/.pgpass", "0600", "PGPASSWORD")
    # ... and the advice works: the same URL connects once ~/.pgpass has the line.
    pgpass = isolated_passwords / ".pgpass"
    pgpass.write_text(f"*:*:*:{pg.PASSWORD_ROLE}:{pg.PASSWORD}\n", encoding="utf-8")
    pgpass.chmod(0o600)
    with psycopg.connect(target.conninfo) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (pg.PASSWORD_ROLE,)


def test_a_missing_database_says_how_to_create_it_and_the_command_works(postgres_server: pg.Server) -> None:
    name = f"missing_{os.getpid()}"
    target = target_of(postgres_server.url(name, user=pg.SUPERUSER))
    problem = failure(target)
    assert problem.kind == "missing_database"
    message = assert_one_clear_line(problem, target, f"'{name}' does not exist", "createdb")
    command = createdb_command(target)
    assert f"`{command}`" in message
    try:
        words = shlex.split(command)
        program = shutil.which("createdb") or str(Path(os.path.realpath(postgres_server.bin_dir / "initdb")).parent
                                                  / "createdb")
        subprocess.run([program, *words[1:]], check=True, capture_output=True, timeout=60)
        with psycopg.connect(target.conninfo) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == (name,)
    finally:
        postgres_server.drop_database(name)


def test_a_role_without_privileges_is_told_which_grant_it_needs(postgres_server: pg.Server,
                                                                postgres_url: str) -> None:
    name = dbname_of(postgres_url)
    postgres_server.admin("CREATE TABLE documents (id integer)", dbname=name)
    target = target_of(postgres_server.url(name, user=pg.PASSWORD_ROLE, password=pg.PASSWORD))
    with psycopg.connect(target.conninfo) as conn:
        for sql, words in [
            ("SELECT * FROM documents", ["no permission on table documents", "GRANT SELECT, INSERT"]),
            ("CREATE TABLE spans (id integer)", ["no permission on schema public", "GRANT USAGE, CREATE"]),
            ("CREATE SCHEMA extra", [f"may not create objects in the database '{name}'", "GRANT CREATE"]),
        ]:
            with pytest.raises(psycopg.Error) as caught:
                conn.execute(sql)
            conn.rollback()
            problem = explain_postgres(caught.value, target)
            assert problem.kind == "permission_denied"
            assert_one_clear_line(problem, target, f"'{pg.PASSWORD_ROLE}'", *words)
    # the GRANT the message suggests is the one that helps
    message = str(explain_postgres(psycopg.errors.InsufficientPrivilege("permission denied for table documents"),
                                   target))
    grant = message.split("can run ")[1].split(" and ")[0]
    postgres_server.admin(grant, dbname=name)
    with psycopg.connect(target.conninfo) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (0,)
    postgres_server.admin(f'REVOKE CONNECT ON DATABASE "{name}" FROM PUBLIC')
    problem = failure(target)
    assert problem.kind == "permission_denied"
    assert_one_clear_line(problem, target, "may not connect", f"GRANT CONNECT ON DATABASE {name} TO annotator_pw")


def test_a_connection_killed_mid_session_is_lost_not_saved(postgres_server: pg.Server, postgres_url: str) -> None:
    target = target_of(postgres_url)
    with psycopg.connect(target.conninfo) as victim:
        pid = victim.info.backend_pid
        postgres_server.admin(f"SELECT pg_terminate_backend({pid})")
        for _ in range(2):  # the kill itself, then every later use of the closed connection
            with pytest.raises(psycopg.Error) as caught:
                victim.execute("SELECT 1")
            assert is_connection_lost(caught.value)
            problem = explain_postgres(caught.value, target)
            assert isinstance(problem, ConnectionLost)
            assert_one_clear_line(problem, target, "connection to the PostgreSQL server was lost", "not saved")


def test_no_message_carries_the_password_whatever_the_server_said() -> None:
    target = target_of("postgresql://alice:s3cret%20pw%27@h/news")
    assert target.password == "s3cret pw'"
    for said in ["connection failed: something about s3cret pw' here", "odd: s3cret%20pw%27",
                 "invalid conninfo password='s3cret pw\\'' near", "ERROR:  x\nDETAIL: s3cret pw'"]:
        problem = explain_postgres(psycopg.OperationalError(said), target)
        assert "s3cret" not in str(problem) and "\n" not in str(problem)
    assert str(explain_postgres(psycopg.OperationalError("weird thing happened"), target)) == \
        "postgresql://alice@h/news: PostgreSQL error: weird thing happened"
