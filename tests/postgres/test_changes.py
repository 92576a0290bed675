"""Change notices on PostgreSQL (tui.store.changes): what another connection commits is announced
at once, what it rolls back never is, and a listener whose connection is cut reconnects by itself.

These run on the bare triggers over minimal tables (the columns the triggers read), so they say
what the triggers promise whatever else the schema holds; the app-level test is in tests/ui."""

from __future__ import annotations

import pytest

from tui.store.changes import EVERYTHING, Changes, PostgresChangeFeed, is_connection_lost, POSTGRES_NOTIFY_SQL

WAIT = 30.0  # generous: a wait returns as soon as a notice arrives


@pytest.fixture
def notifying_db(postgres_url: str) -> str:
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE events (id bigserial PRIMARY KEY, document_id text)")
        conn.execute("CREATE TABLE spans (id bigserial PRIMARY KEY, document_id text NOT NULL)")
        conn.execute("CREATE TABLE candidates (id bigserial PRIMARY KEY, document_id text NOT NULL)")
        conn.execute(POSTGRES_NOTIFY_SQL)  # type: ignore[arg-type]
    return postgres_url


@pytest.fixture
def feed(notifying_db: str):
    """A listener on the notifying database, closed after the test."""
    import psycopg

    listener = PostgresChangeFeed(lambda: psycopg.connect(notifying_db, autocommit=True))
    yield listener
    listener.close()


def _wait_for(feed: PostgresChangeFeed, predicate) -> Changes:
    seen = Changes()
    for _ in range(int(WAIT)):
        got = feed.wait(1.0)
        if got is not None:
            seen = seen | got
            if predicate(seen):
                return seen
    raise AssertionError(f"no such notice within {WAIT} s: {seen}")


def test_a_commit_is_announced_with_its_document_and_a_rollback_never(
        notifying_db: str, feed: PostgresChangeFeed) -> None:
    import psycopg

    # connects and listens: 'everything' once (what committed before the LISTEN is not missed)
    assert feed.wait(0.0) == Changes(everything=True)
    assert feed.wait(0.0) is None
    with psycopg.connect(notifying_db) as writer:
        with writer.transaction(force_rollback=True):
            writer.execute("INSERT INTO events (document_id) VALUES ('rolled-back')")
        with writer.transaction():
            writer.execute("INSERT INTO events (document_id) VALUES ('doc-a')")
            writer.execute("INSERT INTO spans (document_id) VALUES ('doc-a'), ('doc-b')")
        with writer.transaction():
            writer.execute("INSERT INTO events (document_id) VALUES ('doc-c')")
    seen = _wait_for(feed, lambda c: "doc-c" in c.documents)
    # Notices arrive in commit order; the one after doc-c's commit proves nothing else is pending.
    assert seen == Changes(frozenset({"doc-a", "doc-b", "doc-c"}))
    assert "rolled-back" not in seen.documents


def test_changes_not_about_one_document_say_everything(notifying_db: str, feed: PostgresChangeFeed) -> None:
    import psycopg

    feed.wait(0.0)
    with psycopg.connect(notifying_db, autocommit=True) as writer:
        writer.execute("INSERT INTO events (document_id) VALUES (NULL)")  # a label renamed
    assert _wait_for(feed, lambda c: c.everything).everything
    with psycopg.connect(notifying_db, autocommit=True) as writer:
        writer.execute("INSERT INTO candidates (document_id) SELECT 'd' || g FROM generate_series(1, 3) g")
        writer.execute("INSERT INTO spans (document_id) SELECT 'd' || g FROM generate_series(1, 500) g")
    seen = _wait_for(feed, lambda c: c.everything)
    assert seen.everything and len(seen.documents) == 0  # 500 documents: '*' once, not 500 notices


def test_a_listener_whose_connection_is_cut_reconnects_and_reports_everything(
        notifying_db: str, feed: PostgresChangeFeed) -> None:
    import psycopg

    feed.wait(0.0)
    assert feed._conn is not None
    pid = feed._conn.info.backend_pid
    with psycopg.connect(notifying_db, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    # What was sent while it was away is gone: the first answer after the cut is "everything".
    assert _wait_for(feed, lambda c: c.everything).everything
    assert feed.problem is not None and "postgres" not in feed.problem  # one line, nothing of the URL
    # ... and once it is back (the next wait reconnects), "everything" again: the gap's notices are gone
    assert _wait_for(feed, lambda c: c.everything).everything
    assert feed.problem is None and feed._conn is not None and feed._conn.info.backend_pid != pid
    with psycopg.connect(notifying_db, autocommit=True) as writer:
        writer.execute("INSERT INTO events (document_id) VALUES ('after')")
    assert "after" in _wait_for(feed, lambda c: "after" in c.documents).documents


def test_connection_errors_are_told_apart_from_other_errors(notifying_db: str) -> None:
    import psycopg

    conn = psycopg.connect(notifying_db, autocommit=True)
    pid = conn.info.backend_pid
    with psycopg.connect(notifying_db, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(psycopg.Error) as lost:
        conn.execute("SELECT 1")
    assert is_connection_lost(lost.value)
    with psycopg.connect(notifying_db, autocommit=True) as other:
        with pytest.raises(psycopg.Error) as bad:
            other.execute("SELECT * FROM no_such_table")
        assert not is_connection_lost(bad.value)
        wrapped = RuntimeError("translated")
        wrapped.__cause__ = lost.value
        assert is_connection_lost(wrapped)
    assert EVERYTHING == "*"
