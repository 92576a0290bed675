"""The throwaway server the PostgreSQL tests run against: a Unix socket only, passwords enforced."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import postgres_server as pg
from tests.support import REPO


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


def _available() -> None:
    reason = pg.unavailable_reason()
    if reason is not None:
        pytest.skip(reason)


def _server_pid(server_root: Path) -> int:
    return int((server_root / "data" / "postmaster.pid").read_text().split()[0])


def _wait_until(condition, seconds: float = 60.0) -> bool:
    """Poll `condition` until it holds or `seconds` pass (a bound for a stuck run, not a speed check)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_a_server_does_not_outlive_a_killed_test_process() -> None:
    """SIGKILL (a CI job stopped, `kill -9` of pytest): no finaliser runs, yet the server the killed
    process started stops and its folder goes (tests.postgres_server's watchdog)."""
    _available()
    child = subprocess.Popen(
        [sys.executable, "-c", "from tests import postgres_server as pg; import time\n"
         "server = pg.start(); print(server.root, flush=True); time.sleep(600)"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline().strip()
        assert line, child.communicate(timeout=60)
        root = Path(line)
        postmaster = _server_pid(root)
        assert pg.process_alive(postmaster)
    finally:
        child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    gone = _wait_until(lambda: not pg.process_alive(postmaster) and not root.exists())
    assert gone, (postmaster, sorted(p.name for p in root.iterdir()) if root.exists() else None)


def test_a_normal_stop_ends_the_server_and_its_watchdog() -> None:
    _available()
    server = pg.start()
    postmaster = _server_pid(server.root)
    assert server.watchdog is not None and server.watchdog.poll() is None
    server.stop()
    assert not pg.process_alive(postmaster)
    assert not server.root.exists()
    assert server.watchdog.returncode == 0
