"""Fixtures every test directory shares. Helpers live in importable modules (tests/*/support.py,
tests/ui/ui_helpers.py, ...), imported by package path: `from tests.reliability.support import ...`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import SEEDS


@pytest.fixture
def seeded_db(tmp_path: Path) -> Path:
    """A fresh database holding the five seed articles (three Vietnamese, two Arabic), closed."""
    from tui.formats import import_paths
    from tui.store import Store

    path = tmp_path / "annotations.db"
    with Store.open(path) as store:
        import_paths(store, [SEEDS], annotator="import")
    return path


@pytest.fixture(autouse=True)
def own_session_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test remembers where it left off in its own state file (tui.ui.session_state)."""
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.delenv("TUI_DB", raising=False)  # --db's default: the tests say which database they mean
    return state


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the whole run (tests.postgres_server), on a Unix socket."""
    from tests import postgres_server as pg

    reason = pg.unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    server = pg.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """The URL of a fresh, empty database on the throwaway server (dropped after the test)."""
    name = postgres_server.create_database()
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)


BACKENDS = ("sqlite", "postgres")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each test that asks for it runs twice: on a SQLite file and on a PostgreSQL database (the
    PostgreSQL run skips, with the server fixture's reason, where no server can be started)."""
    return str(request.param)


@pytest.fixture
def store_target(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str | Path:
    """Where a test's store lives: a fresh SQLite path, or the URL of a fresh PostgreSQL database."""
    if backend == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return tmp_path / "annotations.db"


@pytest.fixture
def seeded_target(store_target: str | Path) -> str:
    """The seed articles in a fresh database of each backend (`backend`), as `--db` takes it: a
    SQLite path, or a postgresql:// URL on the throwaway server (skipped only with its reason)."""
    from tui.formats import import_paths
    from tui.store import Store

    with Store.open(store_target) as store:
        import_paths(store, [SEEDS], annotator="import")
    return str(store_target)


@pytest.fixture
def new_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest):
    """`new_db(name)`: the database called `name` in this test (a SQLite file in tmp_path, or a
    PostgreSQL database of its own), the same one for the same name; `new_db()` is a new one each
    call (for property tests, inside each example)."""
    made: dict[str, str | Path] = {}
    created: list[str] = []
    counter = iter(range(1, 1_000_000))

    def make(name: str | None = None) -> str | Path:
        key = name if name is not None else f"fresh{next(counter)}"
        if key not in made:
            if backend == "postgres":
                server = request.getfixturevalue("postgres_server")
                database = server.create_database()
                created.append(database)
                made[key] = server.url(database)
            else:
                made[key] = tmp_path / f"{key}.db"
        return made[key]

    yield make
    if created:
        server = request.getfixturevalue("postgres_server")
        for database in created:
            server.drop_database(database)
