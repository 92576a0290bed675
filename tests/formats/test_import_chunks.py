"""The importer writes documents a chunk at a time: the database must end exactly as if each
record were written on its own, and errors must still name the first bad record's file:line."""

from __future__ import annotations

from tests.support import dump as support_dump

import json
import re
from pathlib import Path

import pytest

from tui.formats import FormatError, import_paths
from tui.formats import importer
from tui.store import Store

TIMESTAMP = re.compile(r"'\d{4}-\d\d-\d\dT[^']*'")


def dump(path: Path) -> list[str]:
    """Every row of every table as SQL, with the import timestamps blanked (they differ per run)."""
    with Store.open(path, readonly=True) as store:
        return [TIMESTAMP.sub("'T'", line) for line in support_dump(store)]


def records() -> list[dict]:
    vi = "Hà Nội đón khách — bản tin {n}\nNgày 12/3 trời mưa."
    ar = "القاهرة تستقبل الزوار {n}\nيوم 12/3 كان ممطرا."
    out: list[dict] = []
    for n in range(7):
        text = (vi if n % 2 else ar).format(n=n)
        out.append({"text": text, "spans": [{"start": 0, "end": 3, "label": "entity"},
                                             {"start": 0, "end": 3, "label": "entity"},  # exact duplicate
                                             {"start": 4, "end": 9, "label": "place"}],
                    "meta": {"title": f"t{n}", "status": "in_progress" if n % 3 else "done"}})
        if n in (2, 5):  # the same text again, later in the file: with a different span and status
            out.append({"text": text, "spans": [{"start": 0, "end": 3, "label": "entity"},
                                                {"start": 1, "end": 4, "label": "claim"}],
                        "meta": {"status": "skipped"}})
    out.append({"text": "Cafe\u0301 \r\nNFD text", "label": [[0, 5, "entity"]]})  # normalised, spans moved
    return out


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("chunk", [1, 2, 3, 500])
def test_chunk_size_does_not_change_the_database(tmp_path: Path, monkeypatch, chunk: int, new_db):
    source = write(tmp_path / "in.jsonl", records())
    reference_db = new_db("one_by_one")
    monkeypatch.setattr(importer, "CHUNK_DOCUMENTS", 1)
    with Store.open(reference_db) as store:
        first = import_paths(store, [source])
        again = import_paths(store, [source])
    monkeypatch.setattr(importer, "CHUNK_DOCUMENTS", chunk)
    db = new_db("chunked")
    with Store.open(db) as store:
        assert import_paths(store, [source]) == first
        assert import_paths(store, [source]) == again
    assert dump(db) == dump(reference_db)
    assert (first.documents_added, first.documents_existing) == (8, 2)
    assert (again.documents_added, again.spans_added) == (0, 0)


def test_a_record_the_database_refuses_is_named_and_nothing_is_written(tmp_path: Path, monkeypatch, new_db):
    monkeypatch.setattr(importer, "CHUNK_DOCUMENTS", 3)
    rows = records()[:4] + [{"text": "fine text", "meta": {"score": float("nan")}}] + records()[4:]
    source = write(tmp_path / "nan.jsonl", rows)  # json.dumps writes NaN; the meta CHECK (json_valid) refuses it
    db = new_db("a")
    with Store.open(db) as store:
        import_paths(store, [write(tmp_path / "first.jsonl", records()[:1])])
    before = dump(db)
    with Store.open(db) as store, pytest.raises(FormatError) as info:
        import_paths(store, [source])
    assert str(info.value).startswith(f"{source}:5: ")
    assert "json_valid" in str(info.value)
    assert dump(db) == before


def test_the_first_bad_line_is_reported_even_when_a_later_line_fails_to_parse(tmp_path: Path, new_db):
    source = tmp_path / "two.jsonl"
    source.write_text('{"text": "ok"}\n{"text": "nan here", "meta": {"x": NaN}}\n{"text": \n', encoding="utf-8")
    with Store.open(new_db("b")) as store, pytest.raises(FormatError) as info:
        import_paths(store, [source])
    assert str(info.value).startswith(f"{source}:2: ")
    with Store.open(new_db("b")) as store:
        assert store.count_documents() == 0


def test_progress_reports_every_chunk_and_the_end(tmp_path: Path, monkeypatch, new_db):
    monkeypatch.setattr(importer, "CHUNK_DOCUMENTS", 3)
    source = write(tmp_path / "in.jsonl", records())
    calls: list[tuple[int, int]] = []
    with Store.open(new_db("c")) as store:
        import_paths(store, [source], progress=lambda done, docs: calls.append((done, docs)))
    assert [docs for _, docs in calls] == [3, 6, 9, 10]
    assert calls[-1][0] == source.stat().st_size
