"""The throwaway server the PostgreSQL tests run against: a Unix socket only, passwords enforced."""

from __future__ import annotations

import pytest

from tests import postgres_server as pg


def test_a_fresh_database_answers_on_the_socket(postgres_url: str) -> None:
    import psycopg

    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
        assert conn.execute("SHOW listen_addresses").fetchone() == ("",)


def test_other_roles_need_their_password(postgres_server: pg.Server, postgres_url: str) -> None:
    import psycopg

    dbname = postgres_url.split("/")[3].split("?")[0]
    with psycopg.connect(postgres_server.url(dbname, user=pg.PASSWORD_ROLE, password=pg.PASSWORD)) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (pg.PASSWORD_ROLE,)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(postgres_server.url(dbname, user=pg.PASSWORD_ROLE, password="wrong"))
