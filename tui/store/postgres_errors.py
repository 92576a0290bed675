"""PostgreSQL failures a person can meet, each as one line saying what happened and what to do.

The store's PostgreSQL code calls, wherever psycopg may raise::

    try:
        ...
    except psycopg.Error as exc:
        raise explain_postgres(exc, target) from None

    explain_postgres(exc: BaseException, target: PostgresTarget, *,
                     env: Mapping[str, str] = os.environ) -> PostgresProblem

`PostgresProblem` is a `StoreError` (the CLI and the app already show those as one line) with a
`kind` a program can branch on; `ConnectionLost` (kind "connection_lost") is its subclass for a
connection that broke mid-session, which the app reconnects after. `is_connection_lost(exc)` answers
the same question about a raw psycopg exception.

Every message starts with the target's display (``postgresql://alice@db.lab/news``: no password),
is a single line, and is scrubbed of the password in any spelling, whatever the server or libpq said.
Raise it ``from None``: the psycopg exception is not chained into a traceback.

psycopg is not imported here: connection failures carry no SQLSTATE, so they are told apart by
libpq's (English, stable) wording; errors from queries by their SQLSTATE.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from tui.store.errors import StoreError
from tui.store.target import PostgresTarget

Kind = Literal[
    "server_down", "unknown_host", "timeout", "wrong_password", "no_password", "no_role", "missing_database",
    "not_allowed", "permission_denied", "connection_lost", "server_busy", "server_starting", "read_only",
    "disk_full", "conflict", "other",
]


class PostgresProblem(StoreError):
    """A PostgreSQL failure explained in one line (never the password); `kind` says which."""

    def __init__(self, message: str, kind: Kind) -> None:
        super().__init__(message)
        self.kind: Kind = kind


class ConnectionLost(PostgresProblem):
    """The connection broke mid-session: the action in flight was not saved; reconnecting may work."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "connection_lost")


_LOST_STATES = frozenset({"57P01", "57P02", "57P05", "08000", "08003", "08006", "08007"})
_LOST_WORDS = ("server closed the connection unexpectedly", "the connection is closed", "terminating connection",
               "could not receive data from server", "could not send data to server", "connection has been lost",
               "ssl syscall error", "ssl connection has been closed", "consuming input failed",
               "the connection is lost", "connection already closed", "lost synchronization with server",
               "no connection to the server")


def is_connection_lost(exc: BaseException) -> bool:
    """True when `exc` says an open connection broke (killed, server stopped, network gone)."""
    text = str(exc).lower()
    return not _connect_failure(text) and _lost(text, getattr(exc, "sqlstate", None))


def _connect_failure(text: str) -> bool:
    return text.startswith(("connection failed:", "connection is bad:", "failed to resolve host")) or \
        "connection to server on socket" in text or "connection to server at" in text


def explain_postgres(exc: BaseException, target: PostgresTarget, *,
                     env: Mapping[str, str] = os.environ) -> PostgresProblem:
    """The one-line StoreError a user can act on for this psycopg exception (see the module doc)."""
    # Only the server's and libpq's words are scrubbed (a short password could be part of a
    # user name); the rest of the message is made of the target's display and our own words.
    raw = scrub(str(exc), target)
    problem = _explain(raw, getattr(exc, "sqlstate", None), target, env)
    message = " ".join(problem[0].split())
    if problem[1] == "connection_lost":
        return ConnectionLost(message)
    return PostgresProblem(message, problem[1])


def scrub(text: str, target: PostgresTarget) -> str:
    """`text` with the target's secrets replaced by ***, however they were spelt."""
    for key, secret in (("password", target.password), *target.params):
        if secret is None or key not in ("password", "sslpassword") or not secret:
            continue
        for spelling in {secret, quote(secret, safe=""), quote(secret), secret.replace("'", "\\'")}:
            text = text.replace(spelling, "***")
    return text


def _first_line(raw: str) -> str:
    """The server's or libpq's own words, without psycopg's prefixes, FATAL:, DETAIL or HINT lines."""
    line = raw.strip().splitlines()[0] if raw.strip() else "unknown error"
    line = re.sub(r"^connection (failed|is bad): ", "", line)
    line = re.sub(r'^connection to server (on socket "[^"]*"|at "[^"]*"(, port \d+)?) failed: ', "", line)
    line = re.sub(r"^(FATAL|ERROR):\s+", "", line)
    return line.strip()


def ident(name: str) -> str:
    """`name` as an SQL identifier in a GRANT the message suggests (quoted unless plain)."""
    if re.fullmatch(r"[a-z_][a-z0-9_$]*", name):
        return name
    return '"' + name.replace('"', '""') + '"'


def _quoted(raw: str, after: str) -> str | None:
    match = re.search(after + r' "([^"]*)"', raw)
    return match.group(1) if match else None


def _where(raw: str) -> str:
    socket = re.search(r'on socket "([^"]*)"', raw)
    if socket:
        return f"on the socket {socket.group(1)}"
    tcp = re.search(r'at "([^"]*)", port (\d+)', raw)
    if tcp:
        return f"at {tcp.group(1)} port {tcp.group(2)}"
    return "at the address in the URL"


def _user(target: PostgresTarget, env: Mapping[str, str], raw: str = "") -> str:
    return (target.user or _quoted(raw, "for user") or _quoted(raw, "role") or env.get("PGUSER")
            or env.get("USER") or "this user")


def _password_source(target: PostgresTarget, env: Mapping[str, str]) -> str:
    if target.password is not None:
        return "the password in the URL"
    if env.get("PGPASSWORD"):
        return "the password in PGPASSWORD"
    passfile = env.get("PGPASSFILE") or str(Path(env.get("HOME") or Path.home()) / ".pgpass")
    return f"the password from {passfile}"


def createdb_command(target: PostgresTarget) -> str:
    """The `createdb ...` line that creates the target's database (its host, port and user)."""
    words = ["createdb"]
    if target.host is not None:
        words += ["-h", target.host]
    if target.port is not None:
        words += ["-p", target.port]
    if target.user is not None:
        words += ["-U", target.user]
    words.append(target.dbname or target.user or "DBNAME")
    return " ".join(shlex.quote(word) for word in words)


def _explain(raw: str, state: str | None, target: PostgresTarget,
             env: Mapping[str, str]) -> tuple[str, Kind]:
    db = target.display
    text = raw.lower()
    said = _first_line(raw)
    connecting = _connect_failure(text)
    if connecting and ("no such file or directory" in text and "socket" in text):
        return (f"{db}: no PostgreSQL server is running {_where(raw)} (the socket file is missing): start the "
                "server (e.g. sudo systemctl start postgresql), or fix host= in the URL to the folder "
                "of its socket", "server_down")
    if connecting and ("connection refused" in text):
        return (f"{db}: no PostgreSQL server is answering {_where(raw)} (connection refused): start it, or fix "
                "the host and port in the URL", "server_down")
    if "failed to resolve host" in text or "could not translate host name" in text:
        host = re.search(r"host(?: name)? ['\"]([^'\"]*)['\"]", raw)
        named = f" {host.group(1)!r}" if host else ""
        return (f"{db}: the host name{named} is not known (DNS): check the host in the URL", "unknown_host")
    if connecting and ("timeout expired" in text or "timed out" in text):
        return (f"{db}: the PostgreSQL server did not answer in time: check the host, the network and "
                "any firewall, or raise connect_timeout= in the URL", "timeout")
    if "password authentication failed" in text or state == "28P01":
        return (f"{db}: PostgreSQL refused {_password_source(target, env)} for user {_user(target, env, raw)!r} "
                "(wrong password, or no such role): fix it in the URL, PGPASSWORD or ~/.pgpass "
                "(host:port:dbname:user:password, mode 0600)", "wrong_password")
    if "no password supplied" in text or "password is required" in text:
        return (f"{db}: the server asks a password of user {_user(target, env, raw)!r} and none was given: put "
                "it in ~/.pgpass (a line host:port:dbname:user:password, chmod 0600), in PGPASSWORD, or in "
                "the URL", "no_password")
    if re.search(r'role "[^"]*" does not exist', raw):
        return (f"{db}: there is no PostgreSQL role {_quoted(raw, 'role')!r} on the server: use another user in "
                "the URL, or ask its administrator to create it (createuser NAME)", "no_role")
    if re.search(r'database "[^"]*" does not exist', raw) or state == "3D000":
        name = _quoted(raw, "database") or target.dbname or "?"
        return (f"{db}: the database {name!r} does not exist on the server: create it with "
                f"`{createdb_command(target)}` and run the command again", "missing_database")
    if "no pg_hba.conf entry" in text or "pg_hba.conf rejects" in text:
        return (f"{db}: the server does not let user {_user(target, env, raw)!r} in from here (pg_hba.conf): "
                "ask its administrator to allow this host, user and database", "not_allowed")
    if "permission denied for database" in text or "does not have connect privilege" in text:
        found = re.search(r'permission denied for database "?([^"\s]+)"?', raw)
        name = found.group(1) if found else target.dbname or "?"
        user = _user(target, env)
        if connecting:
            return (f"{db}: user {user!r} may not connect to the database {name!r}: its owner can run "
                    f"GRANT CONNECT ON DATABASE {ident(name)} TO {ident(user)}", "permission_denied")
        return (f"{db}: user {user!r} may not create objects in the database {name!r}: its owner can run "
                f"GRANT CREATE ON DATABASE {ident(name)} TO {ident(user)}", "permission_denied")
    if state == "42501" or "permission denied" in text or "must be owner" in text:
        user = _user(target, env)
        what = re.search(r"permission denied for (table|schema|sequence|relation|function) (\S+)", raw)
        if what and what.group(1) == "schema":
            return (f"{db}: user {user!r} has no permission on schema {what.group(2)}: the owner can run "
                    f"GRANT USAGE, CREATE ON SCHEMA {what.group(2)} TO {ident(user)} (or connect as the owner)",
                    "permission_denied")
        if what:
            return (f"{db}: user {user!r} has no permission on {what.group(1)} {what.group(2)}: the owner can "
                    f"run GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ident(user)} "
                    f"and GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {ident(user)}", "permission_denied")
        return (f"{db}: user {user!r} is not allowed to do this ({said}): connect as the database's owner or "
                "ask for the privilege", "permission_denied")
    if _lost(text, state) and not connecting:
        why = "the server's administrator ended it" if state == "57P01" or "administrator command" in text \
            else "the server closed it" if "server closed" in text or state in ("57P02", "57P05") \
            else "the network or the server dropped it"
        return (f"{db}: the connection to the PostgreSQL server was lost ({why}); the action in progress was "
                "not saved, everything before it was. Check that the server is up and try again",
                "connection_lost")
    if "too many clients" in text or "remaining connection slots" in text or state == "53300":
        return (f"{db}: the PostgreSQL server has no free connection slots ({said}): close other clients, or "
                "ask its administrator to raise max_connections", "server_busy")
    if state == "57P03" or "the database system is starting up" in text or "shutting down" in text \
            or "in recovery mode" in text:
        return f"{db}: the PostgreSQL server is not ready ({said}): try again in a moment", "server_starting"
    if state == "25006" or "read-only transaction" in text:
        return (f"{db}: the server only allows reading (a standby or a read-only setting): connect to the "
                "primary server to write", "read_only")
    if state in ("53100",) or "no space left on device" in text or "could not extend file" in text:
        return (f"{db}: the PostgreSQL server's disk is full; nothing was saved by this action, earlier work is "
                "safe. Ask its administrator to free space", "disk_full")
    if state in ("40001", "40P01"):
        return (f"{db}: the change clashed with another annotator's at the same moment and was not saved: "
                "try again", "conflict")
    return f"{db}: PostgreSQL error: {said}", "other"


def _lost(text: str, state: str | None) -> bool:
    return (state in _LOST_STATES) or any(words in text for words in _LOST_WORDS)
