"""Who may use `tui serve`: the policy (pure) and the aiohttp middleware that enforces it.

textual-serve has no authentication of its own: anyone who reaches the port gets an app that
writes to the database. So:

- bound to loopback (the default, 127.0.0.1) and no token: only this machine can connect. The
  Host header must then name a loopback address (or the bound host), so a web page elsewhere
  cannot reach the server through DNS rebinding.
- bound to anything else: a token is required (given, or generated and printed once), unless
  --insecure-no-token says otherwise in so many words.
- with a token, every request (page, static files, downloads, websocket) must carry it: as
  ``?token=`` (the link printed at start; the page then sets a cookie and drops it from the
  address bar), as the cookie, or as ``Authorization: Bearer``. Missing: 401; wrong: 403.
- a websocket whose Origin is another site is refused (403) whatever the token: a page
  elsewhere must not drive an annotator's app with their cookie.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from aiohttp import web

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
COOKIE_MAX_AGE = 30 * 24 * 3600


class AccessError(ValueError):
    """Options that do not make a safe server; str() is the one-line message."""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and the usual names for them; False for 0.0.0.0 and the rest."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Access:
    host: str
    token: str | None
    generated: bool = False  # the token was made here and must be shown once

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


def access_for(host: str, token: str | None, insecure_no_token: bool) -> Access:
    """The access rules for these options, or AccessError.

    Loopback needs nothing; any other address needs a token (one is generated when none is
    given) unless insecure_no_token."""
    if token is not None and insecure_no_token:
        raise AccessError("--token and --insecure-no-token contradict each other; give one of them")
    if token is not None:
        token = token.strip()
        if not token:
            raise AccessError("--token must not be empty")
        if any(ch.isspace() or not ch.isprintable() for ch in token):
            raise AccessError("--token must be printable characters without spaces (it goes in a URL)")
        return Access(host, token)
    if insecure_no_token or is_loopback(host):
        return Access(host, None)
    return Access(host, secrets.token_urlsafe(24), generated=True)


def cookie_name(port: int) -> str:
    """Cookies ignore ports: two servers on one host must not read each other's."""
    return f"tui_serve_{port}"


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())


def presented_token(query: str | None, authorization: str | None, cookie: str | None) -> str | None:
    """The token a request carries, in order of precedence: query, bearer header, cookie."""
    if query:
        return query
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip()
    return cookie or None


def token_verdict(presented: str | None, token: str | None) -> int:
    """HTTP status for a request's token: 0 = let it in, 401 = none given, 403 = wrong."""
    if token is None:
        return 0
    if not presented:
        return 401
    return 0 if _same(presented, token) else 403


def host_allowed(host_header: str | None, access: Access) -> bool:
    """Serving loopback without a token, the Host header must be a loopback name/address or the
    bound host. (With a token the token decides; --insecure-no-token on another address was asked
    for in so many words.)"""
    if access.token is not None or not access.loopback:
        return True
    if not host_header:
        return False
    hostname = urlsplit("//" + host_header).hostname or ""
    return is_loopback(hostname) or hostname == access.host.strip("[]").lower()


def origin_allowed(origin: str | None, host_header: str | None, forwarded_host: str | None = None) -> bool:
    """A websocket from a page: its Origin must be this server (same host and port) — as the
    browser addressed it, which behind a reverse proxy is X-Forwarded-Host. (A page cannot set
    either header on a websocket, so neither can be forged by the page we keep out.)"""
    if origin is None:  # not a browser (curl, a script): nothing to hijack
        return True
    expected = (forwarded_host or host_header or "").split(",")[0].strip().lower()
    return bool(expected) and urlsplit(origin).netloc.lower() == expected


# ------------------------------------------------------------------------- aiohttp


REFUSED_TEXT = {
    401: "401: this server needs its token. Open the link `tui serve` printed (it ends in ?token=...), "
         "or send Authorization: Bearer TOKEN.",
    403: "403: wrong token for this server. Ask for the current link (a restarted server has a new token).",
}

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


def middleware(access: Access, port: int) -> Callable[..., Awaitable[web.StreamResponse]]:
    """An aiohttp middleware that applies `access` to every request."""
    from aiohttp import web

    name = cookie_name(port)

    @web.middleware
    async def check(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                    ) -> web.StreamResponse:
        if not host_allowed(request.headers.get("Host"), access):
            return _refuse(403, "403: this server answers only to localhost / 127.0.0.1 "
                                "(start it with --token to serve other names).")
        websocket = request.headers.get("Upgrade", "").lower() == "websocket"
        if websocket and not origin_allowed(request.headers.get("Origin"), request.headers.get("Host"),
                                            request.headers.get("X-Forwarded-Host")):
            return _refuse(403, "403: a websocket from another site is not allowed.")
        from_query = request.query.get("token")
        verdict = token_verdict(
            presented_token(from_query, request.headers.get("Authorization"), request.cookies.get(name)),
            access.token,
        )
        if verdict:
            return _refuse(verdict, REFUSED_TEXT[verdict])
        if access.token is not None and from_query and not websocket and request.method == "GET":
            # Into a cookie, out of the address bar (history, bookmarks, screenshots, Referer).
            query = [(k, v) for k, v in request.query.items() if k != "token"]
            location = "?" + "&".join(f"{k}={v}" for k, v in _quoted(query)) if query else "./"
            response: web.StreamResponse = web.Response(status=303, headers={"Location": location})
            response.set_cookie(name, access.token, max_age=COOKIE_MAX_AGE, path="/", httponly=True,
                                samesite="Strict", secure=_https(request))
        else:
            response = await handler(request)
            if response.prepared:  # a websocket that has run its course
                return response
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        return response

    return check


def _quoted(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    from urllib.parse import quote

    return [(quote(k, safe=""), quote(v, safe="")) for k, v in pairs]


def _https(request: web.Request) -> bool:
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def _refuse(status: int, text: str) -> web.Response:
    from aiohttp import web

    response = web.Response(status=status, text=text + "\n", content_type="text/plain")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tui serve"'
    for header, value in SECURITY_HEADERS.items():
        response.headers[header] = value
    return response
