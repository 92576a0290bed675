"""Where the annotations live: a SQLite file or a PostgreSQL database, read from `--db` / `TUI_DB`.

    parse_target("annotations.db")                           -> Path("annotations.db")
    parse_target("postgresql://alice@db.lab:5432/news")      -> PostgresTarget(...)
    parse_target("postgres://alice:pw@db.lab/news")          -> PostgresTarget(...) with a password
    parse_target("postgresql:///news?host=/run/postgresql")  -> PostgresTarget(...) on a Unix socket
    parse_target(None)                                       -> $TUI_DB, else Path("annotations.db")

Anything that does not start with a URL scheme is a SQLite path, exactly as before. A URL with
another scheme (``mysql://``, ``sqlite://``, a typo such as ``postgresq://``) is refused instead of
becoming a file with an odd name.

The password rule: a `PostgresTarget` carries the password only inside `conninfo` (what psycopg is
given). Its `display`, `str()` and `repr()` never contain it (``postgresql://alice@db.lab/news``), so
a target is safe in any message, log line or traceback. When the URL has no password, libpq finds
one itself in ``PGPASSWORD`` or ``~/.pgpass`` (``PGPASSFILE``). Errors raised while parsing never
quote the value they were given (it may hold a password) and are not chained to one that does.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias
from urllib.parse import quote, unquote

from tui.store.errors import StoreError

DEFAULT_DB = Path("annotations.db")
ENV_VAR = "TUI_DB"
SCHEMES = ("postgresql", "postgres")

# libpq's connection parameters (PostgreSQL 17): anything else in a URL's query is refused with a
# clear line here rather than by libpq after a connection attempt.
LIBPQ_PARAMETERS = frozenset({
    "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "require_auth", "channel_binding",
    "connect_timeout", "client_encoding", "options", "application_name", "fallback_application_name",
    "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
    "replication", "gssencmode", "sslmode", "sslnegotiation", "requiressl", "sslcompression", "sslcert",
    "sslkey", "sslpassword", "sslcertmode", "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
    "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib", "gssdelegation",
    "service", "target_session_attrs", "load_balance_hosts",
})
SECRET_PARAMETERS = frozenset({"password", "sslpassword"})
# The parameters with a field of their own; the rest are kept in order in `params`.
_OWN_FIELDS = ("host", "port", "dbname", "user", "password")

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+)://")
_PARAMETER_NAME = re.compile(r"^[a-z_]{1,40}$")
_HINT = ("write it as postgresql://USER@HOST:PORT/DBNAME or postgresql:///DBNAME?host=/socket/dir "
         "(percent-encode special characters, e.g. @ as %40)")

class TargetError(StoreError):
    """A `--db` / `TUI_DB` value that names no database we can open. Never quotes the value."""


@dataclass(frozen=True, repr=False)
class PostgresTarget:
    """A PostgreSQL database to connect to. `display` / `str()` / `repr()` never hold the password."""

    dbname: str | None = None
    user: str | None = None
    host: str | None = None       # a name, an address, a socket folder (starts with /), or a comma list
    port: str | None = None       # digits, or a comma list matching the hosts
    password: str | None = None
    params: tuple[tuple[str, str], ...] = ()  # other libpq parameters, in the URL's order

    @property
    def conninfo(self) -> str:
        """The libpq keyword/value string psycopg connects with (the only rendering with the password)."""
        pairs: list[tuple[str, str]] = []
        for key in _OWN_FIELDS:
            value = getattr(self, key)
            if value is not None:
                pairs.append((key, value))
        pairs.extend(self.params)
        return " ".join(f"{key}={_conninfo_quote(value)}" for key, value in pairs)

    @property
    def display(self) -> str:
        """``postgresql://user@host:port/dbname`` (a socket folder as ``?host=/dir``): never the password.

        Parsing it again gives the same target without its password."""
        return self._render(secrets=False)

    def secret_url(self) -> str:
        """The URL WITH its password: only for handing the target to a child process through its
        environment (``TUI_DB``), never for argv, a message or a log. Parses back to this target."""
        return self._render(secrets=True)

    def _render(self, *, secrets: bool) -> str:
        authority = ""
        if self.user is not None:
            authority = quote(self.user, safe="")
        if secrets and self.password is not None:
            authority += ":" + quote(self.password, safe="")
        if authority:
            authority += "@"
        query: list[tuple[str, str]] = []
        if self.host is not None and _AUTHORITY_HOST.match(self.host) is not None:
            authority += self.host
            if self.port is not None:
                if "," in self.port or "," in self.host:
                    query.append(("port", self.port))
                else:
                    authority += ":" + self.port
        else:
            if self.host is not None:
                query.append(("host", self.host))
            if self.port is not None:
                query.append(("port", self.port))
        path = "/" + quote(self.dbname, safe="") if self.dbname is not None else ""
        query.extend((key, value) for key, value in self.params if secrets or key not in SECRET_PARAMETERS)
        if not path and query:
            path = "/"
        rendered = "&".join(f"{key}={quote(value, safe='' if key in SECRET_PARAMETERS else '/:,')}"
                            for key, value in query)
        return f"postgresql://{authority}{path}" + (f"?{rendered}" if rendered else "")

    @property
    def has_password(self) -> bool:
        """True when the URL itself gave a password (otherwise libpq reads PGPASSWORD / ~/.pgpass)."""
        return self.password is not None

    def without_password(self) -> PostgresTarget:
        return PostgresTarget(self.dbname, self.user, self.host, self.port, None,
                              tuple((k, v) for k, v in self.params if k not in SECRET_PARAMETERS))

    def __str__(self) -> str:
        return self.display

    def __repr__(self) -> str:
        return f"PostgresTarget({self.display!r})"


Target: TypeAlias = Path | PostgresTarget
"""What `--db` names: a SQLite file or a PostgreSQL database."""

# A host list that fits in a URL's authority as it is (names, IPv4); others go in ?host=.
_AUTHORITY_HOST = re.compile(r"^[A-Za-z0-9._\-]+(?:,[A-Za-z0-9._\-]+)*$")


def _conninfo_quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def is_postgres_url(value: str) -> bool:
    match = _SCHEME.match(value)
    return match is not None and match.group(1).lower() in SCHEMES


def parse_target(value: str | Path | PostgresTarget | None, *,
                 env: Mapping[str, str] = os.environ) -> Path | PostgresTarget:
    """The database `value` names; None (no --db) means $TUI_DB, else ./annotations.db.

    Raises TargetError (a StoreError) for a URL that cannot be used; its message names the part
    that is wrong and never quotes the value."""
    if value is None:
        value = env.get(ENV_VAR) or None
        if value is None:
            return DEFAULT_DB
    if isinstance(value, (Path, PostgresTarget)):
        return value
    if not value:
        raise TargetError("the database is empty: give a SQLite file path or a postgresql:// URL")
    match = _SCHEME.match(value)
    if match is None:
        return Path(value)
    scheme = match.group(1)
    if scheme.lower() not in SCHEMES:
        shown = scheme if len(scheme) <= 20 else scheme[:20] + "…"
        raise TargetError(
            f"unsupported database URL scheme {shown!r}: give a SQLite file path (no scheme) "
            "or a postgresql:// URL")
    return _parse_url(value[match.end():])


def _decode(text: str, what: str) -> str:
    try:
        decoded = unquote(text, errors="strict")
    except UnicodeDecodeError:
        raise TargetError(f"the {what} in the PostgreSQL URL is not valid percent-encoded UTF-8; {_HINT}") from None
    if "\x00" in decoded:
        raise TargetError(f"the {what} in the PostgreSQL URL contains a NUL character, which PostgreSQL refuses")
    return decoded


def _parse_url(rest: str) -> PostgresTarget:
    # The user info ends at the LAST '@' before the query, so a password with an unencoded ':', '/'
    # or '@' still stays out of the host and the database name (and so out of every message).
    query_at = rest.find("?")
    end = len(rest) if query_at < 0 else query_at
    at = rest.rfind("@", 0, end)
    if query_at >= 0 and "@" in rest[query_at:]:
        raise TargetError(
            "the PostgreSQL URL has a '@' after its '?': a password containing '?' or '@' must be "
            "percent-encoded (? as %3F, @ as %40)")
    user: str | None = None
    password: str | None = None
    if at >= 0:
        userinfo, rest, end = rest[:at], rest[at + 1:], end - at - 1
        raw_user, colon, raw_password = userinfo.partition(":")
        user = _decode(raw_user, "user name") if raw_user else None
        if colon:
            password = _decode(raw_password, "password")
    slash = rest.find("/", 0, end)
    hostport = rest[:slash if slash >= 0 else end]
    raw_path = rest[slash + 1:end] if slash >= 0 else ""
    raw_query = rest[end + 1:] if end < len(rest) else ""
    host, port = _split_hosts(hostport)
    dbname = _decode(raw_path, "database name") if raw_path else None
    fields: dict[str, str | None] = {"host": host, "port": port, "dbname": dbname, "user": user,
                                     "password": password}
    params: list[tuple[str, str]] = []
    for item in raw_query.split("&") if raw_query else []:
        if not item:
            continue
        raw_key, equals, raw_value = item.partition("=")
        key = _decode(raw_key, "parameter name")
        if not equals:
            named = f" {key!r}" if _PARAMETER_NAME.match(key) else ""
            raise TargetError(f"the PostgreSQL URL parameter{named} has no value (write NAME=VALUE)")
        if key not in LIBPQ_PARAMETERS:
            named = f" {key!r}" if _PARAMETER_NAME.match(key) else ""
            raise TargetError(
                f"unknown PostgreSQL URL parameter{named}: libpq accepts e.g. host, port, sslmode, "
                "connect_timeout, application_name")
        val = _decode(raw_value, "password" if key in SECRET_PARAMETERS else f"{key} parameter")
        if key in _OWN_FIELDS:
            fields[key] = val
        else:
            params.append((key, val))
    if fields["port"] is not None:
        _check_port(fields["port"])
    return PostgresTarget(dbname=fields["dbname"], user=fields["user"], host=fields["host"],
                          port=fields["port"], password=fields["password"], params=tuple(params))


def _split_hosts(hostport: str) -> tuple[str | None, str | None]:
    """`a:1,b:2` -> ('a,b', '1,2'); `[::1]:5432` -> ('::1', '5432'); '' -> (None, None)."""
    if not hostport:
        return None, None
    hosts: list[str] = []
    ports: list[str] = []
    for part in hostport.split(","):
        if part.startswith("["):
            close = part.find("]")
            if close < 0:
                raise TargetError(f"an IPv6 address in the PostgreSQL URL has no closing ']'; {_HINT}")
            host, after = part[1:close], part[close + 1:]
            if after and not after.startswith(":"):
                raise TargetError(f"unexpected characters after an IPv6 address in the PostgreSQL URL; {_HINT}")
            port = after[1:]
        else:
            host, _, port = part.partition(":")
        hosts.append(_decode(host, "host name"))
        ports.append(port)
    host_value = ",".join(hosts) if any(hosts) else None
    port_value = ",".join(ports) if any(ports) else None
    return host_value, port_value


def _check_port(port: str) -> None:
    for part in port.split(","):
        if part and not (part.isascii() and part.isdigit() and 0 < int(part) < 65536):
            raise TargetError(f"the port in the PostgreSQL URL is not a number from 1 to 65535; {_HINT}")


# Up to the LAST '@' of the text: a raw password may hold ':', '/', '@' or spaces (more is hidden
# rather than less).
_URL_SECRET = re.compile(r"(?is)(postgres(?:ql)?://[^\s/?#@:]*):.*@")
_QUERY_SECRET = re.compile(r"(?i)(postgres(?:ql)?://\S*?[?&](?:ssl)?password=)[^\s&]*")


def redact_urls(text: str) -> str:
    """`text` with the password of every postgresql:// URL in it replaced by ***: for messages that
    quote what was typed (click's usage errors), where the URL was never parsed."""
    text = _URL_SECRET.sub(r"\1:***@", text)
    return _QUERY_SECRET.sub(r"\1***", text)
