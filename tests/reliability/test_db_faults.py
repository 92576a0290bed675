"""Database faults through the CLI: a clear message, a non-zero exit, never a traceback, the file intact.

Faults: a read-only file, an unwritable folder, a lock held past the busy timeout, a corrupt file,
a file that is not a database, a truncated file, a newer schema, a full disk (a 256 KiB tmpfs when
mount is permitted). Commands: import, export, stats and starting the app. Commands that only
read may succeed on a read-only file, an unwritable folder or a full disk (their output is then
checked); every other pair must fail cleanly. In every case the database file keeps its bytes.

Permissions are enforced even for root: the commands run under `setpriv` without
CAP_DAC_OVERRIDE, so a 0444 file is read-only to them as it would be to any user.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.support import PYTHON, REPO, SEEDS, cli_env, file_digest, integrity

COMMANDS = ("import", "export", "stats", "app")
READS = ("export", "stats")
NO_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
          "--inh-caps=-dac_override,-dac_read_search", "--"]


def _argv(command: str, db: Path, tmp: Path) -> list[str]:
    if command == "import":
        return ["import", "--db", str(db), "--quiet", str(SEEDS / sorted(os.listdir(SEEDS))[0]), str(tmp / "extra.txt")]
    if command == "export":
        return ["export", "--db", str(db), "--quiet", "-o", str(tmp / "out" / "export.jsonl")]
    if command == "stats":
        return ["stats", "--db", str(db)]
    return ["--db", str(db), "--annotator", "fault", "--panes", "1"]


def _prefix(drop_dac: bool) -> list[str]:
    if drop_dac and os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot make a file read-only to the test")
        return NO_DAC
    return []


def _start(command: str, db: Path, tmp: Path, drop_dac: bool = False) -> subprocess.Popen:
    (tmp / "out").mkdir(exist_ok=True)
    (tmp / "extra.txt").write_text("Fault test\n\nA new article " + "nội dung " * 2000, encoding="utf-8")
    argv = _prefix(drop_dac) + [PYTHON, "-m", "tui", *_argv(command, db, tmp)]
    return subprocess.Popen(argv, cwd=REPO, env=cli_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen, timeout: float = 40) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"still running after {timeout}s (the app started on a broken database?): {err[-500:]}")
    return proc.returncode, out, err


def _assert_clean(fault: str, command: str, db: Path, result: tuple[int, str, str], may_succeed: bool) -> str:
    code, out, err = result
    where = f"{fault}/{command}"
    assert "Traceback" not in err and "Traceback" not in out, f"{where}: traceback\n{err}"
    if code == 0:
        assert may_succeed, f"{where}: exit 0 on a broken database\n{out[-500:]}{err[-500:]}"
        return "ok"
    message = err.strip()
    assert message.startswith(("Error: ", "tui: ")), f"{where}: unclear failure: {err!r}"
    assert db.name in message, f"{where}: the message does not name the database: {message!r}"
    assert len(message.splitlines()) <= 3, f"{where}: not a short message: {message!r}"
    assert "{" not in message, f"{where}: an unfilled placeholder: {message!r}"
    MESSAGES[-1][command] = message
    return "refused"


def _make_db(tmp: Path, name: str = "annotations.db") -> Path:
    from tui.formats import import_paths
    from tui.store import Store

    db = tmp / name
    with Store.open(db) as store:
        import_paths(store, [SEEDS], annotator="import")
        doc = store.list_documents(limit=1)[0]
        store.add_span(doc.id, "alice", "entity", 0, 5)
    return db


def _invoke(command: str, db: Path, tmp: Path) -> tuple[int, str, str]:
    """The command in this process through click's CliRunner (quick); exceptions become tracebacks."""
    import traceback

    from click.testing import CliRunner

    from tui.cli import main

    (tmp / "out").mkdir(exist_ok=True)
    (tmp / "extra.txt").write_text("Fault test\n\nA new article " + "nội dung " * 6000, encoding="utf-8")
    result = CliRunner().invoke(main, _argv(command, db, tmp))
    err = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        err += "Traceback\n" + "".join(traceback.format_exception(result.exception))
    return result.exit_code, result.stdout, err


def _run_all(fault: str, db: Path, tmp: Path, *, drop_dac=False, reads_may_succeed=False,
             commands=COMMANDS, subprocesses=False) -> dict[str, str]:
    """Every command on the broken database; `app` (and all of them with `subprocesses`) in real processes."""
    before = file_digest(db)
    MESSAGES.append({})
    procs = {command: _start(command, db, tmp, drop_dac) for command in commands
             if subprocesses or command == "app"}  # started together: quick
    outcomes = {}
    for command in commands:
        result = _finish(procs[command]) if command in procs else _invoke(command, db, tmp)
        outcomes[command] = _assert_clean(fault, command, db, result, reads_may_succeed and command in READS)
        if command == "export" and outcomes[command] == "ok":
            assert (tmp / "out" / "export.jsonl").read_text(encoding="utf-8").count("\n") >= 1
    assert db.exists(), f"{fault}: the database file was deleted"
    assert file_digest(db) == before, f"{fault}: the database file was modified"
    assert outcomes["import"] == "refused"
    FIGURES.append((fault, outcomes))
    return outcomes


FIGURES: list = []
MESSAGES: list[dict[str, str]] = []


def test_read_only_file(tmp_path):
    db = _make_db(tmp_path)
    db.chmod(0o444)
    outcomes = _run_all("read-only file", db, tmp_path, drop_dac=True, reads_may_succeed=True, subprocesses=True)
    assert outcomes["app"] == "refused"


def test_unwritable_folder(tmp_path):
    folder = tmp_path / "locked-folder"
    folder.mkdir()
    db = _make_db(folder)
    folder.chmod(0o555)
    try:
        _run_all("unwritable folder", db, tmp_path, drop_dac=True, reads_may_succeed=True, subprocesses=True)
        # A new database in an unwritable folder: refused, nothing created.
        fresh = folder / "new.db"
        proc = _start("import", fresh, tmp_path, drop_dac=True)
        code, _, err = _finish(proc)
        assert code != 0 and "Traceback" not in err and err.startswith("Error: "), err
        assert not fresh.exists()
    finally:
        folder.chmod(0o755)


HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN EXCLUSIVE")
conn.execute("UPDATE labels SET description = description")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def test_locked_past_the_busy_timeout(tmp_path):
    """Another process holds an exclusive lock for longer than the store waits (2 x 5 s)."""
    db = _make_db(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db), "25"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        began = time.monotonic()
        outcomes = _run_all("locked", db, tmp_path, subprocesses=True)
        assert set(outcomes.values()) == {"refused"}, outcomes
        assert time.monotonic() - began < 24, "a command waited for the lock without a limit"
    finally:
        holder.kill()
        holder.wait()


def test_corrupt_file(tmp_path):
    db = _make_db(tmp_path)
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(page, len(data), page):  # keep the header page, scramble every other page
        data[offset + 8:offset + page] = os.urandom(page - 8)
    db.write_bytes(bytes(data))
    outcomes = _run_all("corrupt", db, tmp_path)
    assert set(outcomes.values()) == {"refused"}, outcomes


def test_file_that_is_not_a_database(tmp_path):
    db = tmp_path / "annotations.db"
    db.write_bytes(b"PK\x03\x04 this is a zip, not a database" + os.urandom(5000))
    outcomes = _run_all("not a database", db, tmp_path)
    assert set(outcomes.values()) == {"refused"}, outcomes


def test_truncated_file(tmp_path):
    db = _make_db(tmp_path)
    data = db.read_bytes()
    db.write_bytes(data[: len(data) * 2 // 5])
    outcomes = _run_all("truncated", db, tmp_path)
    assert set(outcomes.values()) == {"refused"}, outcomes


def test_newer_schema(tmp_path):
    db = _make_db(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    outcomes = _run_all("newer schema", db, tmp_path)
    assert set(outcomes.values()) == {"refused"}, outcomes


@pytest.fixture
def small_tmpfs(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command: cannot make a small disk (the in-app SQLITE_FULL test still runs)")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"mount -t tmpfs not permitted here ({proc.stderr.strip()}); "
                    "the in-app SQLITE_FULL test still runs")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


@pytest.mark.parametrize("free_pages", [2, 24], ids=["no-room-to-open", "full-mid-import"])
def test_disk_full(small_tmpfs, tmp_path, free_pages):
    """A 1 MiB disk filled up to a few pages: an import that does not fit fails cleanly, the database
    intact. With 2 pages free even opening fails (no room for the -shm file); with 24, the import's
    write transaction runs out of room (SQLITE_FULL) and rolls back."""
    from tui.store import Store

    db = small_tmpfs / "annotations.db"
    with Store.open(db) as store:
        doc_id, _ = store.add_document("Small article\n\nPutin met Lukashenko.", title="Small", language="und",
                                       direction="ltr")
        store.add_span(doc_id, "alice", "entity", 15, 20)
    filler = small_tmpfs / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - free_pages * 4096))
    outcomes = _run_all(f"disk full ({free_pages} pages free)", db, tmp_path, reads_may_succeed=True,
                        commands=("import", "export", "stats"))
    assert outcomes["import"] == "refused"
    assert "disk is full" in MESSAGES[-1]["import"]
    filler.unlink()  # space again: the database is whole and still holds exactly its one document
    with Store.open(db, readonly=True) as store:
        assert store.count_documents() == 1
    assert integrity(db) == "ok"
