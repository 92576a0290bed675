"""A throwaway PostgreSQL server for the tests: `initdb` + `pg_ctl` in a temporary folder, listening
on a Unix socket only (no TCP), stopped and deleted at the end of the session.

Imported by package path (`from tests.postgres_server import ...`); the fixtures in tests/conftest.py
use it. Authentication: the superuser `postgres` is trusted on the socket (the tests create and drop
databases with it); every other role needs its password (scram-sha-256), so wrong-password and
`~/.pgpass` paths are real. When the server binaries are missing (and cannot be installed), the
tests that need it skip with that reason; `.ci/run` installs Debian's `postgresql` first.

A server never outlives the process that started it: `start()` also starts a watchdog (this file run
as `python tests/postgres_server.py --watch ...`, in a session of its own) that holds the read end of
a pipe whose write end only the starting process has. When that process ends in any way (a normal
`stop()`, an exception, SIGKILL, a CI job stopped), the pipe reads end-of-file and the watchdog stops
the server (`pg_ctl -m immediate stop`) and removes its folder. It also checks the starting pid every
second, in case a forked child still holds the pipe open.
"""

from __future__ import annotations

import argparse
import itertools
import os
import pwd
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "postgres"
# A role with a password, for the tests of password handling (never printed, see tests).
PASSWORD_ROLE = "annotator_pw"
PASSWORD = "s3cret-Pässwörd"


def find_bin_dir() -> Path | None:
    """Where initdb and pg_ctl live: $PG_BIN, the PATH, or Debian's /usr/lib/postgresql/N/bin."""
    env = os.environ.get("PG_BIN")
    if env and (Path(env) / "initdb").exists():
        return Path(env)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                      key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    return versions[-1].parent if versions else None


def unavailable_reason() -> str | None:
    """Why no server can be started here, or None when it can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[postgres]')"
    if find_bin_dir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found; apt-get install postgresql"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            return "running as root and there is no 'postgres' system user to run the server as"
    return None


@dataclass
class Server:
    root: Path          # data directory and socket live under it
    socket_dir: Path
    bin_dir: Path
    watchdog: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _lifeline: int | None = field(default=None, repr=False)  # write end of the watchdog's pipe
    _names = itertools.count(1)

    def url(self, dbname: str, *, user: str = SUPERUSER, password: str | None = None) -> str:
        auth = quote(user, safe="")
        if password is not None:
            auth += ":" + quote(password, safe="")
        return f"postgresql://{auth}@/{dbname}?host={quote(str(self.socket_dir), safe='')}"

    def admin(self, sql: str, dbname: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host=str(self.socket_dir), user=SUPERUSER, dbname=dbname,
                             autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database owned by the superuser; returns its name."""
        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server and remove its folder; then the watchdog, with nothing left to do, exits."""
        _stop(self.root, self.bin_dir)
        if self._lifeline is not None:
            os.close(self._lifeline)
            self._lifeline = None
        if self.watchdog is not None:
            try:
                self.watchdog.wait(30)
            except subprocess.TimeoutExpired:
                self.watchdog.kill()
                self.watchdog.wait()


def _stop(root: Path, bin_dir: Path) -> None:
    if (root / "data").exists():
        _run_as_owner([str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "-w", "stop"],
                      check=False)
    shutil.rmtree(root, ignore_errors=True)


def process_alive(pid: int) -> bool:
    """Is `pid` running (a zombie, dead but not yet reaped, counts as gone)?"""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _start_watchdog(root: Path, bin_dir: Path) -> tuple[subprocess.Popen[bytes], int]:
    read_end, write_end = os.pipe()  # neither end is inherited by other children (close-on-exec)
    try:
        watchdog = subprocess.Popen(
            # this file by its path (it imports only the standard library): no cwd or PYTHONPATH needed
            [sys.executable, str(Path(__file__).resolve()), "--watch", str(os.getpid()), str(read_end),
             str(root), str(bin_dir)],
            cwd="/", pass_fds=(read_end,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # holds no pipe of pytest's or CI's open
            start_new_session=True)  # not in the process group a Ctrl-C or a job kill signals
    except BaseException:
        os.close(write_end)
        raise
    finally:
        os.close(read_end)
    return watchdog, write_end


def _watch(parent: int, lifeline: int, root: Path, bin_dir: Path) -> None:
    """The watchdog: wait for the starting process to go, then stop its server."""
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    while process_alive(parent):
        ready, _, _ = select.select([lifeline], [], [], 1.0)
        if ready and not os.read(lifeline, 1):
            break  # end of file: every copy of the write end is closed
    _stop(root, bin_dir)


def _run_as_owner(cmd: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    # initdb and postgres refuse to run as root: run them as the 'postgres' system user then.
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", SUPERUSER, "--", *cmd]
    return subprocess.run(cmd, check=check, capture_output=True, text=True, timeout=120)


def start() -> Server:
    """Start a fresh server; raises RuntimeError with the server's own words when it cannot."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found")
    root = Path(tempfile.mkdtemp(prefix="tui-pg-"))
    try:
        watchdog, lifeline = _start_watchdog(root, bin_dir)  # before initdb: a kill at any point is covered
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    socket_dir = root / "sock"
    server = Server(root=root, socket_dir=socket_dir, bin_dir=bin_dir, watchdog=watchdog, _lifeline=lifeline)
    try:
        _initdb_and_start(root, socket_dir, bin_dir)
        server.admin(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD '{PASSWORD}'")
    except BaseException:
        server.stop()
        raise
    return server


def _initdb_and_start(root: Path, socket_dir: Path, bin_dir: Path) -> None:
    socket_dir.mkdir()
    if os.geteuid() == 0:
        owner = pwd.getpwnam(SUPERUSER)
        for path in (root, socket_dir):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    data = root / "data"
    try:
        _run_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-E", "UTF8",
                       "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=reject"])
        # Superuser trusted on the socket; every other role must give its password.
        (data / "pg_hba.conf").write_text(
            f"local all {SUPERUSER} trust\nlocal all all scram-sha-256\n", encoding="utf-8")
        options = (f"-k {socket_dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB")
        _run_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                       str(root / "server.log"), "-w", "-t", "60", "start"])
    except subprocess.CalledProcessError as exc:
        log = (root / "server.log").read_text(encoding="utf-8", errors="replace") if (root / "server.log").exists() else ""
        raise RuntimeError(f"could not start PostgreSQL: {exc.stderr or exc.stdout}{log[-2000:]}") from exc


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="tests' PostgreSQL watchdog (started by start())")
    parser.add_argument("--watch", nargs=4, metavar=("PID", "FD", "ROOT", "BIN_DIR"), required=True)
    pid, fd, folder, binaries = parser.parse_args().watch
    _watch(int(pid), int(fd), Path(folder), Path(binaries))
