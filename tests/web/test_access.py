"""Nobody gets in who shouldn't: loopback by default; anywhere else a token, checked on the
page and on the websocket (a real `tui serve` on 127.0.0.1, driven over HTTP and websocket)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from click.testing import CliRunner

from tui.cli import main
from tui.web.access import AccessError, access_for, host_allowed, is_loopback, origin_allowed, token_verdict
from tests.support import free_port
from tests.web.web_helpers import TUI, Serve, screen_text

TOKEN = "s3cret-Token_for-tests"


# ------------------------------------------------------------------------- policy


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"])
def test_loopback_needs_no_token(host):
    assert is_loopback(host)
    assert access_for(host, None, False).token is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "", "10.0.0.5", "192.168.1.2", "annotate.example.org"])
def test_anything_else_gets_a_generated_token_unless_insecure_is_spelled_out(host):
    assert not is_loopback(host)
    first, second = access_for(host, None, False), access_for(host, None, False)
    assert first.generated and first.token and len(first.token) >= 24
    assert first.token != second.token
    assert access_for(host, None, True).token is None
    assert access_for(host, "mine", False).token == "mine"


def test_contradictory_or_unusable_tokens_are_refused():
    with pytest.raises(AccessError, match="contradict"):
        access_for("0.0.0.0", "x", True)
    with pytest.raises(AccessError, match="empty"):
        access_for("0.0.0.0", "  ", False)
    with pytest.raises(AccessError, match="spaces"):
        access_for("0.0.0.0", "two words", False)


def test_cli_refuses_token_and_insecure_together_before_listening():
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", str(free_port()), "--token", "x",
                                       "--insecure-no-token"])
    assert result.exit_code == 2
    assert "contradict" in result.output
    assert "Traceback" not in result.output


def test_the_host_header_matters_only_for_loopback_without_a_token():
    loopback = access_for("127.0.0.1", None, False)
    assert host_allowed("127.0.0.1:8000", loopback) and host_allowed("localhost:8000", loopback)
    assert host_allowed("[::1]:8000", loopback)
    assert not host_allowed("evil.example:8000", loopback) and not host_allowed(None, loopback)
    assert host_allowed("192.168.1.5:8000", access_for("0.0.0.0", None, True))  # --insecure-no-token
    assert host_allowed("annotate.example.org", access_for("127.0.0.1", "T", False))  # the token decides


def test_token_verdicts_and_origins():
    assert token_verdict(None, None) == 0
    assert token_verdict(None, TOKEN) == 401
    assert token_verdict("", TOKEN) == 401
    assert token_verdict("wrong", TOKEN) == 403
    assert token_verdict(TOKEN, TOKEN) == 0
    assert origin_allowed(None, "127.0.0.1:8000")  # curl, scripts
    assert origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert not origin_allowed("http://evil.example", "127.0.0.1:8000")
    assert not origin_allowed("http://127.0.0.1:9999", "127.0.0.1:8000")
    # behind a reverse proxy: the browser's address is X-Forwarded-Host
    assert origin_allowed("https://annotate.example.org", "127.0.0.1:8000", "annotate.example.org")
    assert not origin_allowed("https://evil.example", "127.0.0.1:8000", "annotate.example.org")


# ------------------------------------------------------------------ a real server


@pytest.fixture(scope="module")
def token_server(web_db, tmp_path_factory):
    server = Serve(web_db, "--token", TOKEN, state=tmp_path_factory.mktemp("token-state"))
    yield server
    server.stop()
    assert TOKEN not in server.output().split("on http://", 1)[1].split("\n", 1)[1]  # printed once, not logged
    assert "Traceback" not in server.output()


@pytest.fixture(scope="module")
def open_server(web_db, tmp_path_factory):
    server = Serve(web_db, state=tmp_path_factory.mktemp("open-state"))
    yield server
    server.stop()
    assert "Traceback" not in server.output()


def run(coroutine):
    return asyncio.run(coroutine)


async def get(url: str, **kwargs) -> tuple[int, dict, str]:
    async with aiohttp.ClientSession() as session:
        async with session.get(url, allow_redirects=False, **kwargs) as response:
            return response.status, dict(response.headers), await response.text()


async def websocket_status(url: str, **kwargs) -> int:
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, **kwargs):
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


async def app_output(url: str, needle: str, **kwargs) -> str:
    """Connect as the page does and read what the app draws until `needle` shows."""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url + "?width=100&height=30", **kwargs) as socket:
            seen = b""
            while needle not in screen_text(seen):
                message = await asyncio.wait_for(socket.receive(), timeout=60)
                if message.type != aiohttp.WSMsgType.BINARY:
                    assert message.type in (aiohttp.WSMsgType.TEXT,), f"socket closed: {message}"
                    continue
                seen += message.data
            await socket.send_json(["stdin", "\x03"])  # leave the app (ctrl+c)
            return screen_text(seen)


def test_the_page_without_the_token_is_refused(token_server):
    status, headers, text = run(get(token_server.url))
    assert status == 401
    assert "token" in text
    assert "Bearer" in headers.get("WWW-Authenticate", "")
    status, _, _ = run(get(token_server.url + "?token=wrong"))
    assert status == 403
    for path in ("static/js/textual.js", "ws", "ws/alice", "download/x"):
        status, _, _ = run(get(token_server.url + path))
        assert status == 401, path


def test_the_websocket_without_the_token_is_refused(token_server):
    ws = token_server.url.replace("http", "ws") + "ws"
    assert run(websocket_status(ws)) == 401
    assert run(websocket_status(ws + "/alice")) == 401
    assert run(websocket_status(ws, headers={"Authorization": "Bearer wrong"})) == 403
    assert run(websocket_status(ws, headers={"Cookie": f"tui_serve_{token_server.port}=wrong"})) == 403


def test_the_token_link_sets_a_cookie_and_leaves_the_address_bar(token_server):
    status, headers, _ = run(get(token_server.url + f"?token={TOKEN}&annotator=alice"))
    assert status == 303
    assert headers["Location"] == "?annotator=alice"
    cookie = headers["Set-Cookie"]
    assert f"tui_serve_{token_server.port}={TOKEN}" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    status, headers, page = run(get(token_server.url, headers={"Cookie": f"tui_serve_{token_server.port}={TOKEN}"}))
    assert status == 200
    assert 'class="textual-terminal"' in page
    assert headers["X-Frame-Options"] == "DENY"
    status, _, _ = run(get(token_server.url + "static/js/textual.js", headers={"Authorization": f"Bearer {TOKEN}"}))
    assert status == 200


def test_with_the_token_the_app_loads_over_the_websocket(token_server):
    ws = token_server.url.replace("http", "ws") + "ws"
    text = run(app_output(ws, "Who is annotating?", headers={"Cookie": f"tui_serve_{token_server.port}={TOKEN}"}))
    assert "Who is annotating?" in text
    text = run(app_output(ws + "/alice", "alice", headers={"Authorization": f"Bearer {TOKEN}"}))
    assert "alice" in text and "bidi app" in text  # the main screen, straight away
    # any name the first screen accepts also works in the address (the page URL-encodes it)
    text = run(app_output(ws + "/Nguy%E1%BB%85n%20V.%2FA", "bidi app", headers={"Authorization": f"Bearer {TOKEN}"}))
    assert "Nguyễn V./A" in text


def test_a_websocket_from_another_site_is_refused_even_with_the_token(token_server):
    ws = token_server.url.replace("http", "ws") + "ws"
    headers = {"Authorization": f"Bearer {TOKEN}", "Origin": "http://evil.example"}
    assert run(websocket_status(ws, headers=headers)) == 403


def test_loopback_without_token_answers_only_to_loopback_names(open_server):
    status, _, page = run(get(open_server.url))
    assert status == 200 and "textual-terminal" in page
    status, _, text = run(get(open_server.url, headers={"Host": "evil.example:8000"}))
    assert status == 403  # DNS rebinding: a page on evil.example resolved to 127.0.0.1
    ws = open_server.url.replace("http", "ws") + "ws"
    assert run(websocket_status(ws, headers={"Origin": "http://evil.example"})) == 403


def test_a_bad_annotator_in_the_url_is_a_clear_400(open_server):
    status, _, text = run(get(open_server.url + "?annotator=%E2%80%AEx"))
    assert status == 400
    assert "U+202E" in text


def session_processes(db) -> list[int]:
    """Tab processes (python -m tui.web.session) working on `db`."""
    from pathlib import Path

    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"tui.web.session" in argv and str(db).encode() in argv:
            found.append(int(entry.name))
    return found


def test_stopping_the_server_closes_every_tab_and_ends_its_app(web_db, tmp_path):
    import shutil
    import signal
    import time

    db = tmp_path / "own.db"
    shutil.copy(web_db, db)
    server = Serve(db, state=tmp_path / "state")

    async def tab_until_stopped() -> str:
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(server.url.replace("http", "ws") + "ws/alice?width=100&height=30") as socket:
                seen = b""
                while "bidi app" not in screen_text(seen):
                    message = await asyncio.wait_for(socket.receive(), timeout=60)
                    if message.type == aiohttp.WSMsgType.BINARY:
                        seen += message.data
                assert session_processes(db), "the tab's app is running"
                server.process.send_signal(signal.SIGTERM)  # the server alone, as systemd or kill would
                while True:
                    message = await asyncio.wait_for(socket.receive(), timeout=60)
                    if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                        return str(message.extra or "")

    try:
        reason = run(tab_until_stopped())
        assert server.process.wait(timeout=60) == 0
    finally:
        server.stop()
    assert "stopped" in reason
    deadline = time.monotonic() + 30
    while session_processes(db) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert session_processes(db) == []
    assert "Traceback" not in server.output()


def test_a_port_in_use_is_one_clear_line_and_exit_1(web_db, tmp_path):
    import socket
    import subprocess

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([str(TUI), "serve", "--db", str(web_db), "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_the_web_extra_serve_says_what_to_install(web_db, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "textual_serve", None)  # as if not installed
    for name in [m for m in sys.modules if m.startswith("textual_serve.")]:  # submodules another test imported
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "tui.web.server", raising=False)
    result = CliRunner().invoke(main, ["serve", "--db", str(web_db), "--port", str(free_port())])
    assert result.exit_code == 1
    assert "pip install 'tui-annotate[web]'" in result.output


def test_the_tests_server_finds_another_port_when_its_first_is_taken(web_db, tmp_path, monkeypatch):
    """No fixed port in the suite: a port taken by someone else between the choice and the bind
    (as a busy 8000 would be) costs one retry, not a failed test."""
    import socket

    from tests.web import web_helpers

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        choices = iter([busy])
        monkeypatch.setattr(web_helpers, "free_port", lambda: next(choices, None) or free_port())
        server = Serve(web_db, state=tmp_path / "state")
        try:
            assert server.port != busy
            status, _, page = run(get(server.url))
            assert status == 200 and "textual-terminal" in page
        finally:
            server.stop()
    assert (tmp_path / "state" / f"serve-{busy}.log").read_text().count(f"cannot listen on 127.0.0.1:{busy}") == 1
