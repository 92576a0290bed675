"""The PostgreSQL password never appears anywhere a person or another user can see it: not in any
command's output or error, not in a traceback or a log, not in a file tui writes, not in the
command line of any process (`ps`) — whether it came from the URL, PGPASSWORD or ~/.pgpass."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests import postgres_server as pg
from tests.support import SEEDS

SPELLINGS = (pg.PASSWORD, quote(pg.PASSWORD, safe=""), quote(pg.PASSWORD), "s3cret")


def assert_no_password(text: str, where: str) -> None:
    for spelling in SPELLINGS:
        assert spelling not in text, f"the password ({spelling!r}) appears in {where}:\n{text[-2000:]}"


@pytest.fixture
def owned(postgres_server: pg.Server) -> str:
    """A database PASSWORD_ROLE owns (tui creates its tables there)."""
    name = postgres_server.create_database("pw")
    postgres_server.admin(f'ALTER DATABASE "{name}" OWNER TO {pg.PASSWORD_ROLE}')
    postgres_server.admin(f"GRANT CREATE ON SCHEMA public TO {pg.PASSWORD_ROLE}", dbname=name)
    try:
        yield name
    finally:
        postgres_server.drop_database(name)


def setup(mode: str, server: pg.Server, dbname: str, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """The --db URL and the environment for one way of giving the password."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "TUI_"))}
    env.update(HOME=str(home), USER="tester", XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), COLUMNS="100")
    if mode == "url":
        return server.url(dbname, user=pg.PASSWORD_ROLE, password=pg.PASSWORD), env
    url = server.url(dbname, user=pg.PASSWORD_ROLE)
    if mode == "PGPASSWORD":
        env["PGPASSWORD"] = pg.PASSWORD
    else:
        pgpass = home / ".pgpass"
        pgpass.write_text(f"*:*:*:{pg.PASSWORD_ROLE}:{pg.PASSWORD}\n", encoding="utf-8")
        pgpass.chmod(0o600)
    return url, env


def tui(env: dict[str, str], *args: str, code: int = 0, db: str | None = None) -> str:
    words = [sys.executable, "-m", "tui", *(["--db", db] if db else []), *args]
    done = subprocess.run(words, env=env, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == code, (args, output)
    assert_no_password(output, f"`tui {' '.join(args)}`")
    return output


@pytest.mark.parametrize("mode", ["url", "PGPASSWORD", "~/.pgpass"])
def test_no_output_error_traceback_or_file_shows_the_password(mode: str, postgres_server: pg.Server, owned: str,
                                                               tmp_path: Path) -> None:
    url, env = setup(mode, postgres_server, owned, tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "spans": [{"start": 0, "end": 9, "label": "entity"}]}\n', encoding="utf-8")
    tui(env, "import", str(SEEDS), db=url)
    tui(env, "stats", "--limit", "0", db=url)
    tui(env, "export", "-o", str(tmp_path / "out.jsonl"), db=url)
    tui(env, "labels", "add", "person", "--key", "p", db=url)
    assert "at least two annotators" in tui(env, "agree", "--json", db=url, code=1)  # names the database
    tui(env, "doctor", "--answer", "a", db=url)
    # the same through $TUI_DB
    assert "5 documents" in tui({**env, "TUI_DB": url}, "stats")
    # errors: bad input, a name that is not there, a database that does not exist, a bad URL
    assert "bad.jsonl:1" in tui(env, "import", str(bad), db=url, code=1)
    assert "no annotator" in tui(env, "agree", "--annotator", "nobody", db=url, code=1)
    missing = url.replace(f"/{owned}?", "/missing_db?")
    assert "does not exist" in tui(env, "stats", db=missing, code=1)
    assert "Invalid value for '--db'" in tui(env, "stats", db=url.replace("@/", "@:port/"), code=2)
    # a traceback (an error nobody caught) and the libraries' debug logs
    script = (
        "import logging, sys\n"
        "logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)\n"
        "from tui.store import Store\n"
        "from tui.store.target import parse_target\n"
        "target = parse_target(sys.argv[1])\n"
        "store = Store.open(target)\n"
        "print(store.path, repr(store.path), target, repr(target), vars(store).get('path'))\n"
        "raise RuntimeError(f'boom {target!r} {store.path}')\n"
    )
    done = subprocess.run([sys.executable, "-c", script, url], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" in done.stderr and "RuntimeError: boom" in done.stderr
    assert_no_password(done.stdout + done.stderr, "a traceback")
    # nothing tui wrote (state, config, exports) holds it
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name != ".pgpass":
            assert_no_password(path.read_text(encoding="utf-8", errors="replace"), str(path))


def command_lines(session: int) -> dict[int, str]:
    """The command line of every process in `session` (tui serve and the tabs it starts), as `ps`
    shows it to any user. Other processes on the machine (another test's server) are not ours to judge."""
    lines = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) != session:
                    continue
                lines[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                pass
    return lines


def test_tui_serve_gives_each_tab_the_password_in_its_environment_not_its_command_line(
        postgres_server: pg.Server, owned: str, tmp_path: Path) -> None:
    aiohttp = pytest.importorskip("aiohttp")
    pytest.importorskip("textual_serve")
    from tests.support import free_port
    from tests.web.web_helpers import screen_text

    url, env = setup("url", postgres_server, owned, tmp_path)
    tui(env, "import", "-q", str(SEEDS), db=url)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "tui", "serve", "--port", str(port)],
                                  env={**env, "TUI_DB": url}, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while b"ctrl+c stops" not in log.read_bytes():
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)

        async def one_tab() -> tuple[str, dict[int, str], list[bytes]]:
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(f"ws://127.0.0.1:{port}/ws/alice?width=100&height=30") as ws:
                    seen = b""
                    while "bidi app" not in screen_text(seen):
                        message = await asyncio.wait_for(ws.receive(), timeout=60)
                        if message.type == aiohttp.WSMsgType.BINARY:
                            seen += message.data
                        assert message.type not in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED), \
                            screen_text(seen)
                    lines = command_lines(server.pid)
                    tabs = [pid for pid, line in lines.items() if "tui.web.session" in line]
                    environments = [Path(f"/proc/{pid}/environ").read_bytes() for pid in tabs]
                    return screen_text(seen), lines, environments

        _, lines, environments = asyncio.run(one_tab())
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    for pid, line in lines.items():
        assert_no_password(line, f"the command line of process {pid}")
    assert environments, "the tab's process was found"
    handed = {item[len(b"TUI_DB="):].decode() for environment in environments
              for item in environment.split(b"\0") if item.startswith(b"TUI_DB=")}
    from tui.store.target import parse_target

    assert handed and all(parse_target(value) == parse_target(url) for value in handed)  # password included
    assert_no_password(log.read_text(encoding="utf-8", errors="replace"), "tui serve's log")
    state = tmp_path / "state"
    for path in state.rglob("*") if state.exists() else []:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert_no_password(text, str(path))
            if path.suffix == ".json":
                json.loads(text)
