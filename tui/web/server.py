"""textual-serve, with our page, the access checks of tui.web.access, and one app per tab.

Each websocket (one browser tab) starts ``python -m tui.web.session --db ... [--annotator NAME]``
under textual-serve's web driver (a PostgreSQL database goes to it as $TUI_DB in its environment,
never in its command line, which `ps` shows to every user: the URL may hold a password); the annotator comes from the page's URL (``?annotator=NAME``,
which the page turns into the websocket path ``ws/NAME``) or, without it, from the app's first
screen. Written against textual-serve 1.1 (pyproject pins <1.2): ``Server`` and ``AppService``
are its public classes, the request handlers below replace its own.
"""

from __future__ import annotations

import asyncio
import logging
import shlex
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tui.store.target import ENV_VAR, PostgresTarget, Target
from tui.web.access import Access, middleware
from tui.web.names import InvalidName, check_annotator_name

log = logging.getLogger("tui.serve")

TEMPLATES = Path(__file__).with_name("templates")


def session_command(db: Target, *, annotator: str | None, panes: int | None, config: Path | None,
                    python: str = sys.executable) -> str:
    """The shell command one tab runs (textual-serve starts it with a shell: every part quoted).
    A PostgreSQL database is not in it: see session_environment."""
    parts: list[str] = [python, "-m", "tui.web.session"]
    if isinstance(db, Path):
        parts += ["--db", str(db)]
    if annotator is not None:
        parts += ["--annotator", annotator]
    if panes is not None:
        parts += ["--panes", str(panes)]
    if config is not None:
        parts += ["--config", str(config)]
    return " ".join(shlex.quote(part) for part in parts)


def session_environment(db: Target) -> dict[str, str]:
    """What one tab's process gets in its environment on top of ours: a PostgreSQL database as
    $TUI_DB, with its password (the environment is readable by this user only, the argv by all)."""
    if isinstance(db, PostgresTarget):
        return {ENV_VAR: db.secret_url()}
    return {}


class TuiAppService(AppService):
    """textual-serve's AppService, with the tab's extra environment (session_environment)."""

    def __init__(self, *args: Any, extra_environment: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.extra_environment = dict(extra_environment)

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        environment.update(self.extra_environment)
        return environment


class TuiServer(Server):
    """One `tui serve`: the page, the static files, and a websocket per tab running the app."""

    def __init__(self, db: Target, access: Access, *, port: int, panes: int | None = None,
                 config: Path | None = None, announce: Sequence[str] = ()) -> None:
        super().__init__(session_command(db, annotator=None, panes=panes, config=config), host=access.host,
                         port=port, title="tui — annotate")
        self.db = db
        self.access = access
        self.panes = panes
        self.config = config
        self.announce = list(announce)
        self.templates_path = TEMPLATES
        self.sessions = 0
        self.sockets: set[web.WebSocketResponse] = set()

    def command_for(self, annotator: str | None) -> str:
        return session_command(self.db, annotator=annotator, panes=self.panes, config=self.config)

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[middleware(self.access, self.port)])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True)
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/ws/{annotator:.+}", self.handle_websocket, name="websocket_annotator"),  # "a/b" too
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
            web.get("/favicon.ico", self.handle_favicon),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_favicon(self, request: web.Request) -> web.Response:
        return web.Response(status=204)  # none, and no 404 in the browser's console

    async def on_shutdown(self, app: web.Application) -> None:
        """ctrl+c / SIGTERM: close every tab's websocket, so each app is told to quit (its work is
        already saved; it also remembers where its annotator was) instead of waiting for a timeout."""
        await asyncio.gather(*(socket.close(code=1001, message=b"tui serve stopped") for socket in list(self.sockets)),
                             return_exceptions=True)

    async def on_startup(self, app: web.Application) -> None:
        for line in self.announce:
            print(line, file=sys.stderr, flush=True)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The page. Everything it links to is relative to its own address, so it works the same
        through an SSH tunnel on another port or behind a reverse proxy."""
        annotator = request.query.get("annotator")
        if annotator is not None:
            try:
                check_annotator_name(annotator)
            except InvalidName as exc:
                return web.Response(status=400, content_type="text/plain",
                                    text=f"400: ?annotator= {exc}. Remove it to choose a name in the page.\n")
        context = {"font_size": max(8, min(40, to_int(request.query.get("fontsize", "16"), 16)))}
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: start its app process and pass keys and screen between them."""
        annotator = request.match_info.get("annotator")
        if annotator is not None:
            try:
                annotator = check_annotator_name(annotator)
            except InvalidName as exc:
                raise web.HTTPBadRequest(text=f"annotator: {exc}") from None
        websocket = web.WebSocketResponse(heartbeat=15)
        width = max(10, min(1000, to_int(request.query.get("width", "80"), 80)))
        height = max(5, min(500, to_int(request.query.get("height", "24"), 24)))
        app_service: AppService | None = None
        self.sessions += 1
        number = self.sessions
        log.info("tab %d opened (%s)", number, "annotator from the URL" if annotator else "annotator to choose")

        async def close() -> None:
            await websocket.close()

        self.sockets.add(websocket)
        try:
            await websocket.prepare(request)
            app_service = TuiAppService(
                self.command_for(annotator),
                extra_environment=session_environment(self.db),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await app_service.start(width, height)
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one tab's failure must not stop the server
            log.exception(error)
        finally:
            self.sockets.discard(websocket)
            if app_service is not None:
                await app_service.stop()
                await _reap(app_service)
            log.info("tab %d closed", number)
        return websocket

    def serve(self, debug: bool = False) -> None:
        """Run until ctrl+c / SIGTERM. No access log: request lines would carry ?token=."""
        self.debug = debug
        logging.basicConfig(level=logging.INFO, format="tui serve: %(message)s", stream=sys.stderr)
        logging.getLogger("aiohttp.access").disabled = True
        import signal

        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
        try:
            loop.add_signal_handler(signal.SIGINT, self.request_exit)
            loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        except NotImplementedError:  # pragma: no cover - Windows
            pass
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False, loop=loop,
                    access_log=None, print=lambda *args: None)


async def _reap(app_service: AppService, grace: float = 10.0) -> None:
    """Wait for the tab's app process to exit after it was told to quit (textual-serve does not),
    so none is left behind when the server stops; kill it if it does not go within `grace` s."""
    process = getattr(app_service, "_process", None)  # textual-serve 1.1 keeps it here
    if process is None or process.returncode is not None:
        return
    try:
        await asyncio.wait_for(process.wait(), grace)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()


def make_server(db: Target, access: Access, *, port: int, **options: Any) -> TuiServer:
    return TuiServer(db, access, port=port, **options)
