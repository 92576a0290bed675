"""`--db` / `TUI_DB` values: SQLite paths stay paths; postgresql:// URLs become targets whose every
rendering (str, repr, display, the errors raised while parsing them) leaves the password out."""

from __future__ import annotations

import pickle
import traceback
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from tui.store import StoreError
from tui.store.target import DEFAULT_DB, PostgresTarget, TargetError, parse_target, redact_urls


def test_anything_without_a_scheme_is_a_sqlite_path() -> None:
    for value in ("annotations.db", "some dir/a.db", "/abs/x.db", "./postgresql.db", "C:\\x.db", "a:b.db"):
        assert parse_target(value) == Path(value)
    assert parse_target(Path("x.db")) == Path("x.db")


def test_no_value_means_tui_db_then_the_default() -> None:
    assert parse_target(None, env={}) == DEFAULT_DB
    assert parse_target(None, env={"TUI_DB": ""}) == DEFAULT_DB
    assert parse_target(None, env={"TUI_DB": "team.db"}) == Path("team.db")
    target = parse_target(None, env={"TUI_DB": "postgresql://alice@db.lab/news"})
    assert isinstance(target, PostgresTarget) and target.dbname == "news"


@pytest.mark.parametrize(("url", "fields", "display"), [
    ("postgresql://alice@db.lab:5432/news", dict(user="alice", host="db.lab", port="5432", dbname="news"),
     "postgresql://alice@db.lab:5432/news"),
    ("postgres://alice@db.lab/news", dict(user="alice", host="db.lab", dbname="news"),
     "postgresql://alice@db.lab/news"),
    ("postgresql:///news?host=/run/postgresql", dict(host="/run/postgresql", dbname="news"),
     "postgresql:///news?host=/run/postgresql"),
    ("postgresql:///news?host=%2Ftmp%2Fsock", dict(host="/tmp/sock", dbname="news"),
     "postgresql:///news?host=/tmp/sock"),
    ("postgresql://bob:pw@/news?host=/s&sslmode=disable", dict(user="bob", host="/s", dbname="news", password="pw"),
     "postgresql://bob@/news?host=/s&sslmode=disable"),
    ("postgresql://h1:5432,h2:5433/news", dict(host="h1,h2", port="5432,5433", dbname="news"),
     "postgresql://h1,h2/news?port=5432,5433"),
    ("postgresql://[::1]:5433/news", dict(host="::1", port="5433", dbname="news"),
     "postgresql:///news?host=::1&port=5433"),
    ("postgresql://db.lab", dict(host="db.lab"), "postgresql://db.lab"),
    ("postgresql://al%40ice@h/n%2Fews", dict(user="al@ice", host="h", dbname="n/ews"),
     "postgresql://al%40ice@h/n%2Fews"),
])
def test_urls_are_read_as_libpq_reads_them(url: str, fields: dict[str, str], display: str) -> None:
    target = parse_target(url)
    assert isinstance(target, PostgresTarget)
    for name in ("user", "host", "port", "dbname", "password"):
        assert getattr(target, name) == fields.get(name), name
    assert target.display == display == str(target)
    assert repr(target) == f"PostgresTarget({display!r})"
    assert parse_target(target.display) == target.without_password()


def test_the_conninfo_carries_the_password_and_quotes_every_value() -> None:
    target = parse_target("postgresql://o%27neil:it%27s%5Cme@h:1/d%20b?application_name=a%20b")
    assert isinstance(target, PostgresTarget)
    assert target.conninfo == (r"host='h' port='1' dbname='d b' user='o\'neil' password='it\'s\\me' "
                               "application_name='a b'")
    assert "it's" not in str(target) and "me" not in target.display.replace("name", "")


@pytest.mark.parametrize(("value", "words"), [
    ("mysql://u:pw@h/db", "unsupported database URL scheme 'mysql'"),
    ("postgresq://u:pw@h/db", "unsupported database URL scheme 'postgresq'"),
    ("postgresql://u:pw@h:port/db", "port"),
    ("postgresql://u:pw@h:99999/db", "port"),
    ("postgresql://u:pw@h/db?nonsense=1", "unknown PostgreSQL URL parameter 'nonsense'"),
    ("postgresql://u:pw@h/db?sslmode", "has no value"),
    ("postgresql://u:p?w@h/db", "percent-encoded"),
    ("postgresql://u:%FF@h/db", "valid percent-encoded UTF-8"),
    ("postgresql://u:pw@[::1/db", "IPv6"),
    ("", "empty"),
])
def test_unusable_values_are_one_clear_line(value: str, words: str) -> None:
    with pytest.raises(TargetError) as caught:
        parse_target(value)
    assert isinstance(caught.value, StoreError)
    message = str(caught.value)
    assert words in message and "\n" not in message
    assert "pw" not in message and "p?w" not in message
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None or caught.value.__suppress_context__


# --- the password never shows -------------------------------------------------------------------

names = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=12)
hosts = st.one_of(st.none(), st.from_regex(r"[a-z][a-z0-9.\-]{0,10}", fullmatch=True),
                  st.from_regex(r"/[a-z0-9/_.]{1,15}", fullmatch=True))
ports = st.one_of(st.none(), st.integers(1, 65535).map(str))
passwords = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=3, max_size=20)


def renderings(target: object) -> list[str]:
    if target is None:
        return []
    shown = [str(target), repr(target), f"{target}", f"{target!r}", repr([target]), repr({"db": target})]
    if isinstance(target, PostgresTarget):
        shown += [target.display, repr(target.without_password()), str(parse_target(target.display))]
    return shown


def build_url(user: str | None, password: str, host: str | None, port: str | None, dbname: str | None,
              in_query: bool, encode: bool) -> str:
    auth = quote(user, safe="") if user is not None else ""
    query: list[str] = []
    if not in_query:
        auth += ":" + (quote(password, safe="") if encode else password)
    authority = auth + "@" if auth or not in_query else ""
    if host is not None and host.startswith("/"):
        query.append("host=" + quote(host, safe=""))
    elif host is not None:
        authority += host
    if port is not None:
        if host is not None and not host.startswith("/"):
            authority += ":" + port
        else:
            query.append("port=" + port)
    if in_query:
        query.append("password=" + quote(password, safe=""))
    url = "postgresql://" + authority + "/" + (quote(dbname, safe="") if dbname else "")
    return url + ("?" + "&".join(query) if query else "")


@settings(max_examples=400, deadline=None)
@given(user=st.one_of(st.none(), names), password=passwords, host=hosts, port=ports,
       dbname=st.one_of(st.none(), names), in_query=st.booleans(), encode=st.booleans())
@example(user="alice", password="s3cret-Pässwörd", host="/tmp/s", port=None, dbname="news", in_query=False,
         encode=True)
@example(user="a", password="x/y@z:w", host="h", port="5432", dbname="d", in_query=False, encode=False)
def test_no_rendering_of_a_target_contains_its_password(user, password, host, port, dbname, in_query,
                                                        encode) -> None:
    if not encode and not in_query:
        assume("?" not in password and "%" not in password)  # raw: only what a URL can hold unencoded
    url = build_url(user, password, host, port, dbname, in_query, encode)
    # The password must be told apart from the other parts for "not shown" to mean anything.
    for part in (user, host, port, dbname, "postgresql", "host", "port", "password"):
        assume(part is None or (password not in part and password not in quote(part, safe="/:,")))
    target = parse_target(url)
    assert isinstance(target, PostgresTarget)
    assert target.password == password
    assert "password=" in target.conninfo
    for shown in renderings(target):
        assert password not in shown
    assert parse_target(target.display) == target.without_password()
    # The one rendering with the password (for a child's environment) gives the same target back,
    # and redact_urls (for messages quoting what was typed) takes it out again.
    assert parse_target(target.secret_url()) == target
    assert password not in redact_urls(target.secret_url())
    assert password not in redact_urls(url)


@settings(max_examples=300, deadline=None)
@given(password=passwords, breakage=st.sampled_from([
    ":port/db", ":0/db", ":70000/db", "/db?x=1", "/db?sslmode", "/db?%FF=1", "/db?password=%FF", "/%FF",
    "[::1/db", "/db?host=a\x00", "/db?nonsense=1&host=h",
]), scheme=st.sampled_from(["postgresql", "postgres", "mysql", "postgresq"]), encode=st.booleans())
@example(password="s3cret-Pässwörd", breakage=":port/db", scheme="postgresql", encode=True)
@example(password="pa?ss", breakage="/db", scheme="postgresql", encode=False)
def test_errors_raised_while_parsing_never_contain_the_password(password: str, breakage: str, scheme: str,
                                                                encode: bool) -> None:
    if not encode:
        assume("%" not in password and "\x00" not in password)

    def attempt(secret: str) -> tuple[str, object]:
        shown = quote(secret, safe="") if encode else secret
        try:
            return "", parse_target(f"{scheme}://user:{shown}@host{breakage}")
        except TargetError as exc:
            return "".join(traceback.format_exception(exc)) + repr(exc), None

    # Words of the message or of the traceback's source lines are not "the password shown".
    reference_text, reference = attempt("XPLACEHOLDERX")
    assume(password not in reference_text and all(password not in shown for shown in renderings(reference)))
    text, target = attempt(password)
    assert password not in text and quote(password, safe="") not in text
    if target is not None:  # a raw password can make a broken URL whole: then it is not shown either
        assert isinstance(target, PostgresTarget)
        for shown in renderings(target):
            assert password not in shown


def test_a_copied_or_pickled_target_is_the_same_target() -> None:
    target = parse_target("postgresql://alice:pw@h/news")
    assert pickle.loads(pickle.dumps(target)) == target


def test_the_conninfo_opens_the_database_with_the_urls_password(postgres_server, postgres_url) -> None:
    import psycopg

    from tests.postgres_server import PASSWORD, PASSWORD_ROLE

    dbname = parse_target(postgres_url)
    assert isinstance(dbname, PostgresTarget) and dbname.dbname is not None
    url = postgres_server.url(dbname.dbname, user=PASSWORD_ROLE, password=PASSWORD)
    target = parse_target(url)
    assert isinstance(target, PostgresTarget) and PASSWORD not in str(target)
    with psycopg.connect(target.conninfo) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (PASSWORD_ROLE,)
