"""Fixtures every test directory shares. Helpers live in importable modules (tests/*/support.py,
tests/ui/ui_helpers.py, ...), imported by package path: `from tests.reliability.support import ...`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import SEEDS, isolate_user_dirs

_undo_isolation = []


def pytest_configure(config: pytest.Config) -> None:
    """The whole run, collection included, has a HOME and XDG folders of its own (tests.support):
    what the tests start inherits them, and the real user's ~/.config/tui, ~/.local/state/tui
    (sessions.json), data and cache are never read or written."""
    _undo_isolation.append(isolate_user_dirs())


def pytest_unconfigure(config: pytest.Config) -> None:
    while _undo_isolation:
        _undo_isolation.pop()()


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


@pytest.fixture(scope="session")
def postgres_pool(postgres_server):
    """Empty tui databases reused between tests (tests.postgres_pool): ~10x cheaper than new ones."""
    from tests.postgres_pool import Pool

    return Pool(postgres_server)


@pytest.fixture
def store_target(backend: str, tmp_path: Path, request: pytest.FixtureRequest):
    """Where a test's store lives: a fresh SQLite path, or the URL of an empty PostgreSQL database
    with tui's schema (from the pool; emptied again after the test)."""
    if backend != "postgres":
        yield tmp_path / "annotations.db"
        return
    pool = request.getfixturevalue("postgres_pool")
    url = pool.take()
    try:
        yield url
    finally:
        pool.give_back(url)


@pytest.fixture
def seeded_target(store_target: str | Path) -> str:
    """The seed articles in a fresh database of each backend (`backend`), as `--db` takes it: a
    SQLite path, or a postgresql:// URL on the throwaway server (skipped only with its reason)."""
    from tui.formats import import_paths
    from tui.store import Store

    with Store.open(store_target) as store:
        import_paths(store, [SEEDS], annotator="import")
    return str(store_target)


class NewDatabases:
    """`new_db(name)`: the database called `name` in this test (a SQLite file in tmp_path, or an
    empty PostgreSQL database from the pool), the same one for the same name; `new_db()` is a new one
    each call. `new_db.recycle()` (at the start of each example of a property test, when the stores
    of the one before are closed) hands the PostgreSQL ones back to the pool."""

    def __init__(self, backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
        self.backend, self.tmp_path, self.request = backend, tmp_path, request
        self.made: dict[str, str | Path] = {}
        self.taken: list[str] = []
        self.count = 0

    def __call__(self, name: str | None = None) -> str | Path:
        if name is None:
            self.count += 1
            name = f"fresh{self.count}"
        if name not in self.made:
            if self.backend == "postgres":
                url = self.request.getfixturevalue("postgres_pool").take()
                self.taken.append(url)
                self.made[name] = url
            else:
                self.made[name] = self.tmp_path / f"{name}.db"
        return self.made[name]

    def recycle(self) -> None:
        if self.taken:
            pool = self.request.getfixturevalue("postgres_pool")
            for url in self.taken:
                pool.give_back(url)
        self.taken.clear()
        self.made = {k: v for k, v in self.made.items() if isinstance(v, Path)}


@pytest.fixture
def new_db(backend: str, tmp_path: Path, request: pytest.FixtureRequest):
    """See NewDatabases."""
    databases = NewDatabases(backend, tmp_path, request)
    yield databases
    databases.recycle()
