"""Hostile files through `tui import`: stored exactly and safely, or refused with file:line and no trace.

Every case of hostile_corpus.py is imported into a copy of a seeded database:
- "reject" cases exit 1 with `Error: FILE:LINE: reason`, never a traceback, and the database file,
  its -wal and its SQL dump are byte-for-byte what they were;
- "accept" cases exit 0 and the stored text is exactly the decoded file (BOM dropped, NFC), with
  every control, escape and bidi character kept at its offset.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.reliability.support import db_fingerprint, integrity, run_cli
from tests.reliability.hostile_corpus import OSC52, generate
from tui.cli import main
from tui.store import Store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    outdir = tmp_path_factory.mktemp("hostile")
    cases = {case.name: case for case in generate(outdir)}
    return outdir, cases


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    from tui.formats import import_paths

    from tests.reliability.support import SEEDS

    path = tmp_path_factory.mktemp("base") / "base.db"
    with Store.open(path) as store:
        import_paths(store, [SEEDS], annotator="import")
    return path


def _import(db: Path, *files: Path):
    return CliRunner().invoke(main, ["import", "--db", str(db), "--quiet", *map(str, files)], catch_exceptions=True)


def _assert_clean_failure(result, path: Path, line: int | None, reason: str) -> None:
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert f"Error: {where}" in result.output, result.output
    assert reason.lower() in result.output.lower(), result.output


def test_every_hostile_file_is_refused_cleanly_or_stored_exactly(corpus, base_db, tmp_path):
    outdir, cases = corpus
    tally = {"accept": 0, "reject": 0}
    for name, case in cases.items():
        db = tmp_path / f"{name}.db"
        shutil.copy(base_db, db)
        before = db_fingerprint(db)
        path = outdir / name
        result = _import(db, path)
        if case.expect == "reject":
            _assert_clean_failure(result, path, case.line, case.reason)
            assert db_fingerprint(db) == before, f"{name}: a refused import changed the database"
        else:
            assert result.exit_code == 0, (name, result.output, result.exception)
            with Store.open(db, readonly=True) as store:
                docs = [store.get_document(s.id) for s in store.list_documents(limit=1000)]
                mine = [d for d in docs if d.source == str(path)]
                assert mine, f"{name}: nothing stored"
                for doc in mine:
                    assert len(doc.text) == doc.length
                    for span in store.spans(doc.id):
                        assert doc.text[span.start:span.end] == span.text
                if case.text is not None:
                    assert [d.text for d in mine] == [case.text], f"{name}: stored text differs from the file"
            assert integrity(db) == "ok"
            # Importing the same file again adds nothing.
            dump = db_fingerprint(db)[2]
            assert _import(db, path).exit_code == 0
            assert db_fingerprint(db)[2] == dump, f"{name}: re-import changed the database"
        tally[case.expect] += 1
        db.unlink()
    assert tally["reject"] >= 20 and tally["accept"] >= 12, tally


def test_jsonl_edge_cases_store_what_they_say(corpus, base_db, tmp_path):
    outdir, _ = corpus
    db = tmp_path / "j.db"
    shutil.copy(base_db, db)
    for name in ("duplicate_ids.jsonl", "duplicate_spans.jsonl", "hostile_record.jsonl"):
        assert _import(db, outdir / name).exit_code == 0, name
    with Store.open(db, readonly=True) as store:
        by_source = {}
        for summary in store.list_documents(limit=1000):
            doc = store.get_document(summary.id)
            by_source.setdefault(Path(doc.source).name, []).append(doc)
        # Same doccano id, two texts: two documents; the exact repeat is stored once.
        dup = by_source["duplicate_ids.jsonl"]
        assert sorted(d.text for d in dup) == ["Same id, another text.", "Same id, first text."]
        assert all(d.meta["source_meta"]["source_id"] == 7 for d in dup)
        # The same span three times: one span.
        (one,) = by_source["duplicate_spans.jsonl"]
        assert [(s.start, s.end, s.label, s.text) for s in store.spans(one.id)] == [(0, 5, "entity", "Minsk")]
        # A span covering an OSC 52 sequence keeps its exact bytes and offsets.
        (hostile,) = by_source["hostile_record.jsonl"]
        (span,) = store.spans(hostile.id)
        assert hostile.text[span.start:span.end] == span.text == OSC52
    # ...and exports as valid JSON with the same characters.
    out = CliRunner().invoke(main, ["export", "--db", str(db), "--annotator", "import"])
    assert out.exit_code == 0
    records = [json.loads(line) for line in out.output.splitlines()]
    hostile_records = [r for r in records if OSC52 in r["text"]]
    assert hostile_records and hostile_records[0]["spans"][0]["text"] == OSC52


def test_a_bad_file_among_good_ones_imports_nothing(corpus, base_db, tmp_path):
    """All or nothing: 12 good files and one bad JSONL line -> exit 1, database bytes unchanged."""
    outdir, cases = corpus
    db = tmp_path / "mixed.db"
    shutil.copy(base_db, db)
    before = db_fingerprint(db)
    good = [outdir / n for n, c in cases.items() if c.expect == "accept" and "huge" not in c.tags]
    bad = outdir / "span_out_of_range.jsonl"
    result = _import(db, *good, bad)
    _assert_clean_failure(result, bad, 2, "past the end")
    assert db_fingerprint(db) == before


def test_real_process_refusal_has_no_traceback(corpus, base_db, tmp_path):
    """The same through a real `tui` process: stderr is one line, exit 1, database unchanged."""
    outdir, _ = corpus
    db = tmp_path / "p.db"
    shutil.copy(base_db, db)
    before = db_fingerprint(db)
    for name, line in (("invalid_utf8.txt", 4), ("lone_surrogate_text.jsonl", 2), ("binary.txt", 3)):
        proc = run_cli("import", "--db", str(db), str(outdir / name))
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        assert proc.stderr.startswith(f"Error: {outdir / name}:{line}: "), proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
    assert db_fingerprint(db) == before
