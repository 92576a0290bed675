"""`tui copy SRC DST`: a whole project between any two databases. A rich history copied
SQLite -> PostgreSQL -> SQLite exports the same bytes from all three, undo works on the copy, a
non-empty target is refused untouched, a bad SRC is one clear line."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.support import SEEDS
from tui import cli
from tui.formats import import_paths
from tui.store import NewCandidate, Store
from tui.store.copying import DERIVED, TABLES, project_counts
from tui.store.patterns import NewPattern


def tui(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli.main, list(args), env={"USER": "tester"})
    assert result.exit_code == code, (args, result.output)
    return result.output


def word(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def rich_history(path: Path) -> None:
    """Seeds, and a day of everything: spans (nested), deletes, resizes, relabels, undo/redo, statuses,
    links, label edits, candidates accepted and rejected, patterns, reading directions."""
    with Store.open(path) as store:
        import_paths(store, [SEEDS], annotator="import")
        docs = [d.id for d in store.list_documents(limit=10)]
        texts = {doc: store.get_document(doc).text for doc in docs}
        first, second, arabic = docs[0], docs[1], docs[-1]
        text = texts[first]
        words = [w for w in text.split() if len(w) > 3][:12]
        outer = store.add_span(first, "alice", "entity", *word(text, f"{words[0]} {words[1]}"))
        inner = store.add_span(first, "alice", "claim", *word(text, words[1]))  # nested in outer
        bob = store.add_span(first, "bob", "entity", *word(text, words[0]))
        store.add_span(first, "bob", "date", *word(text, words[3]))
        gone = store.add_span(first, "alice", "date", *word(text, words[4]))
        store.delete_span(gone.id, "alice")  # the highest id so far: never handed out again
        store.resize_span(bob.id, outer.start, outer.end, "bob")
        store.relabel_span(inner.id, "date", "alice")
        store.undo("alice", first)  # the relabel, undone ...
        store.redo("alice", first)  # ... and done again
        undone = store.add_span(first, "alice", "entity", *word(text, words[5]))
        store.undo("alice", first)  # this add stays undone (redo-able on the copy)
        assert store.get_span(undone.id) is None
        other = store.add_span(second, "alice", "entity", *word(texts[second], texts[second].split()[2]))
        store.add_link("alice", outer.id, other.id, "same_entity")
        link = store.add_link("alice", inner.id, other.id, "supports")
        store.relabel_link(link.id, "contradicts", "alice")
        store.set_status(first, "alice", "done")
        store.set_status(second, "bob", "in_progress")
        store.set_status(arabic, "alice", "skipped")
        store.create_label("person", "alice", key="p", colour="#ff8700", description="A human being.")
        store.rename_label("claim", "assertion", "alice")
        store.update_label("date", "alice", description="When it happened.")
        arabic_text = texts[arabic]
        first_word = arabic_text.split()[0]
        store.add_candidates("suggest:dates", [NewCandidate(arabic, "date", *word(arabic_text, first_word)),
                                               NewCandidate(first, "entity", *word(text, words[6])),
                                               NewCandidate(first, "date", *word(text, words[7]), {"rule": "x"})])
        candidates = store.candidates(first, "bob", ["suggest:dates"])
        store.accept_candidate("bob", candidates[0])
        store.reject_candidate("bob", candidates[1])
        store.add_patterns([NewPattern("entity", "text", "Hà Nội", "ha noi", "gazetteer.tsv:1")])
        store.set_view_direction(arabic, 0, "ltr", "alice")
        store.set_view_direction(first, None, "rtl", "bob")


def exports(db: str, tmp_path: Path, name: str) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for kind, args in {"spacy": [], "doccano": ["--format", "doccano"], "links": ["--links"],
                       "mentions": ["--links", "--format", "mentions"], "gold": ["--annotator", "bob"]}.items():
        path = tmp_path / f"{name}-{kind}.jsonl"
        tui("--db", db, "export", "-q", "-o", str(path), *args)
        out[kind] = path.read_bytes()
    out["stats"] = tui("--db", db, "stats", "--limit", "0").encode()
    out["labels"] = tui("--db", db, "labels").encode()
    out["link labels"] = tui("--db", db, "labels", "links").encode()
    out["patterns"] = tui("--db", db, "patterns", "export").encode()
    return out


def everything(db: str) -> dict[str, object]:
    """What the store says about every document: spans, history, statuses, links, candidates,
    decisions, directions, labels (what no export shows, such as the events)."""
    with Store.open(db, readonly=True) as store:
        docs = store.list_documents(limit=100)
        seen: dict[str, object] = {"documents": [(d.id, d.title) for d in docs],
                                   "labels": store.labels(), "link labels": store.link_labels(),
                                   "label events": store.label_events(), "patterns": store.patterns(),
                                   "counts": project_counts(store)}
        for d in docs:
            seen[d.id] = (store.spans(d.id), store.history(d.id), store.links(d.id),
                          [store.status(d.id, a) for a in ("alice", "bob")], store.view_directions(d.id),
                          store.candidates(d.id, "bob", ["suggest:dates"]), store.candidate_decisions(d.id, "bob"))
    return seen


def test_a_round_trip_through_postgres_exports_the_same_bytes(tmp_path: Path, postgres_url: str) -> None:
    original = tmp_path / "original.db"
    back = tmp_path / "back.db"
    rich_history(original)
    before = exports(str(original), tmp_path, "original")
    assert b"assertion" in before["labels"] and before["links"] and before["mentions"]
    output = tui("copy", str(original), postgres_url)
    assert "Copied" in output and "5 documents" in output
    tui("copy", postgres_url, str(back))
    on_postgres = exports(postgres_url, tmp_path, "postgres")
    again = exports(str(back), tmp_path, "back")
    for kind, data in before.items():
        assert on_postgres[kind] == data, kind
        assert again[kind] == data, kind
    assert everything(str(original)) == everything(postgres_url) == everything(str(back))


def without_times(value: object) -> object:
    """An event (or its JSON) without the moments it was made: they differ between two runs."""
    if hasattr(value, "__dataclass_fields__"):
        value = {name: getattr(value, name) for name in value.__dataclass_fields__}  # type: ignore[union-attr]
    if isinstance(value, dict):
        return {k: without_times(v) for k, v in value.items() if not k.endswith("_at")}
    return value


def test_undo_and_ids_carry_on_in_the_copy(tmp_path: Path) -> None:
    original, copy = tmp_path / "original.db", tmp_path / "copy.db"
    rich_history(original)
    tui("copy", "-q", str(original), str(copy))
    outcomes = []
    for path in (original, copy):
        with Store.open(path) as store:
            first = store.list_documents(limit=1)[0].id
            undone = [without_times(store.undo("alice", first)) for _ in range(4)]
            redone = without_times(store.redo("alice", first))
            fresh = store.add_span(first, "carol", "entity", 0, 1)
            outcomes.append((redone, undone, fresh.id, store.spans(first)))
    assert all(outcomes[0][1]) and outcomes[0][0] is not None  # there was history to undo and redo
    assert outcomes[0][:2] == outcomes[1][:2]
    assert outcomes[0][2] == outcomes[1][2]  # the same next id: deleted ids are never reused
    assert [(s.id, s.label, s.start, s.end) for s in outcomes[0][3]] == \
        [(s.id, s.label, s.start, s.end) for s in outcomes[1][3]]


def test_every_table_of_the_schema_is_copied_or_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    try:
        names = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'documents_fts%'")}
        assert names == {table.name for table in TABLES} | DERIVED
        for table in TABLES:
            columns = tuple(row[1] for row in conn.execute(f"PRAGMA table_info({table.name})"))
            assert set(columns) == set(table.columns), table.name
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(b"".join(Path(f"{path}{s}").read_bytes() for s in ("",) if Path(f"{path}{s}").exists())).hexdigest()


def test_a_target_that_holds_work_is_refused_and_left_as_it_is(tmp_path: Path, postgres_url: str) -> None:
    source, target = tmp_path / "source.db", tmp_path / "target.db"
    rich_history(source)
    tui("--db", str(target), "import", "-q", str(SEEDS))
    before = digest(target)
    output = tui("copy", str(source), str(target), code=1)
    assert "is not empty (5 documents" in output and "Nothing was changed" in output
    assert output.count("\n") == 1 and digest(target) == before
    tui("copy", "-q", str(source), postgres_url)
    counts = everything(postgres_url)["counts"]
    output = tui("copy", str(source), postgres_url, code=1)
    assert "is not empty" in output and "events" in output
    assert everything(postgres_url)["counts"] == counts
    output = tui("copy", str(source), str(source), code=1)
    assert "the same database" in output


def test_a_bad_source_is_one_clear_line_and_creates_nothing(tmp_path: Path, postgres_server) -> None:
    target = tmp_path / "new.db"
    for src, words in [(str(tmp_path / "missing.db"), "does not exist"),
                       (postgres_server.url("no_such_db"), "does not exist on the server"),
                       ("mysql://u:pw@h/db", "unsupported database URL scheme")]:
        result = CliRunner().invoke(cli.main, ["copy", src, str(target)])
        assert result.exit_code in (1, 2), result.output
        lines = [line for line in result.output.splitlines() if line.startswith("Error")]
        assert len(lines) == 1 and words in lines[0], result.output
        assert "Traceback" not in result.output and "pw@" not in result.output
        assert not target.exists()


def fail_when_copying(monkeypatch: pytest.MonkeyPatch, table_name: str, message: str) -> Callable[[], None]:
    """The copy fails with StoreError(message) when it reaches `table_name`; returns what undoes that."""
    from tui.store import copying

    original = copying._pages

    def failing(conn, table):
        if table.name == table_name:
            raise copying.StoreError(message)
        return original(conn, table)

    monkeypatch.setattr(copying, "_pages", failing)
    return lambda: monkeypatch.setattr(copying, "_pages", original)


def test_a_failed_copy_leaves_no_new_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, target = tmp_path / "source.db", tmp_path / "new.db"
    rich_history(source)
    fail_when_copying(monkeypatch, "links", "the disk went away")
    output = tui("copy", str(source), str(target), code=1)
    assert "the disk went away" in output and not target.exists()


def test_a_failed_copy_into_postgres_writes_nothing(tmp_path: Path, postgres_url: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "source.db"
    rich_history(source)
    undo = fail_when_copying(monkeypatch, "view_directions", "the network went away")
    assert "the network went away" in tui("copy", str(source), postgres_url, code=1)
    undo()
    with Store.open(postgres_url, readonly=True) as store:
        assert store.list_documents(limit=1) == [] and store.labels()  # the defaults, nothing copied
    tui("copy", "-q", str(source), postgres_url)  # and it can be done again, completely
