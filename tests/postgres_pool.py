"""Databases with tui's schema already in them, reused between tests: a test takes one, and when it
is done the database is emptied back to what `Store.open` makes of an empty database (every table's
rows deleted, the id counters and the change counter reset, the default labels seeded again). Creating
a database and its schema costs ~0.35 s; emptying one ~0.03 s, over some 300 PostgreSQL runs of the
store and format tests.

A database whose schema a test changed (a table dropped, a newer version recorded) is dropped
instead of reused: the fingerprint of its schema must be the pristine one. Tests of opening an empty
or foreign database use `postgres_url` (a new empty database) instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FINGERPRINT = """
SELECT md5(coalesce((SELECT string_agg(x, ',' ORDER BY x) FROM (SELECT table_name || '.' || column_name || ':'
                     || data_type AS x FROM information_schema.columns WHERE table_schema = 'public') AS c), '')
        || coalesce((SELECT string_agg(tgname::text, ',' ORDER BY tgname::text) FROM pg_trigger
                     WHERE NOT tgisinternal), '')
        || coalesce((SELECT string_agg(indexname::text, ',' ORDER BY indexname::text) FROM pg_indexes
                     WHERE schemaname = 'public'), '')
        || coalesce((SELECT string_agg(version::text || name, ',' ORDER BY version) FROM schema_migrations), ''))
"""


@dataclass
class Pool:
    server: object
    free: list[str] = field(default_factory=list)
    pristine: str | None = None

    def take(self) -> str:
        """The URL of an empty tui database (schema, default labels, nothing else)."""
        if self.free:
            return self.server.url(self.free.pop())  # type: ignore[attr-defined]
        from tui.store import Store

        name = self.server.create_database("pool")  # type: ignore[attr-defined]
        url = self.server.url(name)  # type: ignore[attr-defined]
        Store.open(url).close()
        if self.pristine is None:
            self.pristine = self._fingerprint(name)
        return url

    def give_back(self, url: str) -> None:
        name = url.split("@/", 1)[1].split("?", 1)[0]
        try:
            reusable = self._reset(name)
        except Exception:  # noqa: BLE001 - whatever went wrong, do not reuse it
            reusable = False
        if reusable:
            self.free.append(name)
        else:
            self.server.drop_database(name)  # type: ignore[attr-defined]

    def _connect(self, name: str):
        import psycopg

        return psycopg.connect(host=str(self.server.socket_dir), user="postgres", dbname=name,  # type: ignore[attr-defined]
                               autocommit=True)

    def _fingerprint(self, name: str) -> str:
        with self._connect(name) as raw:
            return str(raw.execute(FINGERPRINT).fetchone()[0])

    def _reset(self, name: str) -> bool:
        from tui.store import postgres

        with self._connect(name) as raw:
            raw.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            if str(raw.execute(FINGERPRINT).fetchone()[0]) != self.pristine:
                return False
            tables = [r[0] for r in raw.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename NOT IN ('schema_migrations', 'tui_sequences')")]
            with raw.transaction():
                # DELETE, not TRUNCATE: a few rows each, and TRUNCATE rewrites every table and index
                raw.execute("SET LOCAL session_replication_role = replica")  # no triggers, no key checks
                for table in tables:
                    raw.execute(f'DELETE FROM "{table}"')
                raw.execute("SET LOCAL session_replication_role = origin")
                raw.execute("UPDATE tui_sequences SET value = 0")
                raw.execute("SELECT setval('tui_changes', 1)")  # as after the creating transaction
                postgres.seed_rows(postgres.PgConnection(raw, display=name))
        return True
