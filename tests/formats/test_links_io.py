"""`tui export --links` / `tui import --links`: the line form, round trips, all-or-nothing imports."""

from __future__ import annotations

from tests.support import dump as support_dump

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.formats.links_example import AR_SEED, PUTIN_AR, PUTIN_VI, VI_SEED, build, document_id, exported
from tui.cli import main
from tui.store import Store


@pytest.fixture
def linked_db(new_db) -> Path:
    path = new_db("linked")
    build(path)
    return path


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def dump(path: Path) -> list[str]:
    with Store.open(path, readonly=True) as store:
        return list(support_dump(store))


def test_each_line_has_the_documented_keys_in_order(linked_db: Path):
    code, out, _ = run("--db", linked_db, "export", "--links")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 5
    for record in records:
        assert list(record) == ["id", "label", "annotator", "head", "child", "cluster_id"]
        for end in (record["head"], record["child"]):
            assert list(end) == ["doc_id", "span_id", "start", "end", "label", "text", "lang"]
            assert end["span_id"] == f"{end['doc_id']}:{end['start']}-{end['end']}:{end['label']}"
    with Store.open(linked_db, readonly=True) as store:
        for record in records:
            for end in (record["head"], record["child"]):
                assert store.get_document(end["doc_id"]).text[end["start"]:end["end"]] == end["text"]
    alice = [r for r in records if r["annotator"] == "alice"]
    putin = {r["cluster_id"] for r in alice if r["label"] == "same_entity" and r["head"]["text"] in (PUTIN_VI, PUTIN_AR)}
    assert len(putin) == 1  # three mentions, two links, one cluster
    clusters = {r["cluster_id"] for r in alice if r["label"] == "same_entity"}
    assert len(clusters) == 2 and all(c.startswith("same_entity-") for c in clusters)
    assert [r["cluster_id"] for r in alice if r["label"] == "supports"] == [None]
    bob = [r for r in records if r["annotator"] == "bob"]
    assert len(bob) == 1 and bob[0]["cluster_id"] not in clusters
    assert {r["head"]["lang"] for r in records} | {r["child"]["lang"] for r in records} == {"vi", "ar"}


def test_annotator_filter_and_file_output(linked_db: Path, tmp_path: Path):
    target = tmp_path / "bob.jsonl"
    code, _, err = run("--db", linked_db, "export", "--links", "--annotator", "bob", "-o", target)
    assert code == 0 and "Wrote 1 links" in err
    assert [json.loads(line)["annotator"] for line in target.read_text("utf-8").splitlines()] == ["bob"]


def test_export_import_into_a_fresh_database_export_is_byte_identical(linked_db: Path, tmp_path: Path, new_db):
    spans, links = tmp_path / "spans.jsonl", tmp_path / "links.jsonl"
    assert run("--db", linked_db, "export", "-o", spans)[0] == 0
    assert run("--db", linked_db, "export", "--links", "-o", links)[0] == 0
    fresh = new_db("fresh")
    assert run("--db", fresh, "import", "--keep-annotators", spans)[0] == 0
    code, _, err = run("--db", fresh, "import", "--links", links)
    assert code == 0 and "5 new links" in err and "0 new spans" in err
    again = tmp_path / "again.jsonl"
    assert run("--db", fresh, "export", "--links", "-o", again)[0] == 0
    assert again.read_bytes() == links.read_bytes()
    mentions_a = run("--db", linked_db, "export", "--links", "--format", "mentions")[1]
    mentions_b = run("--db", fresh, "export", "--links", "--format", "mentions")[1]
    assert mentions_a == mentions_b
    # Importing the same links again adds nothing.
    code, _, err = run("--db", fresh, "import", "--links", links)
    assert code == 0 and "0 new links (5 already stored)" in err


def test_spans_a_link_names_are_made_for_its_annotator_when_missing(linked_db: Path, tmp_path: Path, new_db):
    links = tmp_path / "links.jsonl"
    run("--db", linked_db, "export", "--links", "-o", links)
    fresh = new_db("fresh")
    assert run("--db", fresh, "import", Path(__file__).resolve().parents[2] / "seeds")[0] == 0
    code, _, err = run("--db", fresh, "import", "--links", links)
    assert code == 0 and "5 new links" in err and "7 new spans" in err, err
    with Store.open(fresh) as store:
        assert sorted(store.annotators()) == ["alice", "bob"]
        assert len(store.links(annotator="alice")) == 4
    again = tmp_path / "again.jsonl"
    run("--db", fresh, "export", "--links", "-o", again)
    assert again.read_bytes() == links.read_bytes()


def test_mentions_list_one_line_per_mention_of_a_cluster(linked_db: Path):
    code, out, _ = run("--db", linked_db, "export", "--links", "--format", "mentions", "--annotator", "alice")
    assert code == 0
    mentions = [json.loads(line) for line in out.splitlines()]
    assert len(mentions) == 5  # Putin x3, Belarus x2: the supports link makes no cluster
    assert list(mentions[0]) == ["cluster_id", "link_label", "annotator", "doc_id", "span_id", "start", "end", "label",
                                 "text", "lang"]
    by_cluster: dict[str, list[str]] = {}
    for mention in mentions:
        by_cluster.setdefault(mention["cluster_id"], []).append(mention["text"])
    assert sorted(map(sorted, by_cluster.values())) == sorted([sorted([PUTIN_VI, PUTIN_VI, PUTIN_AR]),
                                                               sorted(["Belarus", "بيلاروسيا"])])
    # Each cluster's lines are together.
    order = [m["cluster_id"] for m in mentions]
    assert order == sorted(order, key=order.index)


def bad_lines(db: Path) -> dict[str, tuple[str, str]]:
    with Store.open(db, readonly=True) as store:
        vi = document_id(store, VI_SEED)
        ar = document_id(store, AR_SEED)
        text = store.get_document(vi).text
    start = text.index(PUTIN_VI)
    head = {"doc_id": vi, "start": start, "end": start + len(PUTIN_VI), "label": "entity", "text": PUTIN_VI}
    child = {"doc_id": ar, "start": 3, "end": 8, "label": "entity"}
    good = {"id": None, "label": "same_entity", "annotator": "carol", "head": head, "child": child, "cluster_id": None}

    def line(**changes) -> str:
        return json.dumps({**good, **changes}, ensure_ascii=False)

    return {
        "not json": ("{oops", "not valid JSON"),
        "no head": (json.dumps({k: v for k, v in good.items() if k != "head"}), 'no "head"'),
        "bad offsets": (line(child={**child, "end": "8"}), "must be integers"),
        "past the end": (line(child={**child, "end": 10 ** 6}), "past the end"),
        "wrong text": (line(head={**head, "text": "Putin Vladimir"}), "does not match"),
        "unknown document": (line(child={**child, "doc_id": "0000000000000000"}), "is not in the database"),
        "itself": (line(child=head), "linked to itself"),
        "no annotator": (line(annotator=""), '"annotator" must be a non-empty string'),
        "bad id": (line(id=-3), '"id" must be a positive integer'),
        "a list": ("[1, 2]", "expected a JSON object"),
    }


@pytest.mark.parametrize("case", ["not json", "no head", "bad offsets", "past the end", "wrong text",
                                  "unknown document", "itself", "no annotator", "bad id", "a list"])
def test_a_bad_line_imports_nothing_and_says_file_and_line(linked_db: Path, tmp_path: Path, case: str, new_db):
    good_links = tmp_path / "good.jsonl"
    run("--db", linked_db, "export", "--links", "-o", good_links)
    bad, reason = bad_lines(linked_db)[case]
    lines = good_links.read_text("utf-8").splitlines()
    lines.insert(2, bad)  # after two good lines: those must not be imported either
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Into a database with the articles only: the good lines would add links and spans.
    fresh = new_db("fresh")
    run("--db", fresh, "import", Path(__file__).resolve().parents[2] / "seeds")
    before = dump(fresh)
    result = CliRunner().invoke(main, ["--db", str(fresh), "import", "--links", str(path)])
    assert result.exit_code == 1
    assert f"{path}:3: " in result.stderr and reason in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert dump(fresh) == before


def test_a_file_that_is_not_utf8_or_empty_is_refused(linked_db: Path, tmp_path: Path):
    before = dump(linked_db)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"label": "caf\xe9"}\n')
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    for path, reason in ((latin, f"{latin}:1: invalid UTF-8"), (empty, "no links in the file"),
                         (tmp_path / "missing.jsonl", "no such file")):
        result = CliRunner().invoke(main, ["--db", str(linked_db), "import", "--links", str(path)])
        assert result.exit_code == 1 and reason in result.stderr, result.stderr
    assert dump(linked_db) == before


def test_usage_errors_are_one_line(linked_db: Path, tmp_path: Path):
    for args, message in (
        (["import"], "Missing argument"),
        (["import", "--links", "x.jsonl", "seeds"], "links only"),
        (["export", "--format", "mentions"], "add --links"),
        (["export", "--links", "--format", "doccano"], "not --format doccano"),
        (["export", "--links", "--label", "entity"], "--annotator only"),
    ):
        result = CliRunner().invoke(main, ["--db", str(linked_db), *args])
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)


def test_the_same_export_from_the_store_api(linked_db: Path):
    with Store.open(linked_db, readonly=True) as store:
        first = exported(store)
        assert exported(store) == first
        assert first == run("--db", linked_db, "export", "--links")[1]


def test_links_export_never_writes_over_a_database_and_keeps_an_old_file_when_empty(tmp_path: Path):
    linked_db = tmp_path / "linked.db"  # a SQLite file: what -o must never write over
    build(linked_db)
    before = linked_db.read_bytes()
    result = CliRunner().invoke(main, ["--db", str(linked_db), "export", "--links", "-o", str(linked_db)])
    assert result.exit_code == 1 and linked_db.read_bytes() == before
    kept = tmp_path / "kept.jsonl"
    kept.write_text("old\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", str(linked_db), "export", "--links", "--annotator", "nobody",
                                       "-o", str(kept)])
    assert result.exit_code == 0 and "left as it was" in result.stderr
    assert kept.read_text("utf-8") == "old\n"
    missing = tmp_path / "missing.db"
    result = CliRunner().invoke(main, ["--db", str(missing), "export", "--links"])
    assert result.exit_code == 1 and not missing.exists()
