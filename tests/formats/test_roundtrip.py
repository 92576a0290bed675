"""Import and export end to end: byte-identical round trips, all-or-nothing imports, spaCy-loadable output."""

from __future__ import annotations

from tests.support import dump as support_dump

import io
import json
import random
import re
import unicodedata
from pathlib import Path

import pytest

from tui.formats import ExportError, FormatError, export_jsonl, import_paths
from tui.store import Store

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
VI_SEED = SEEDS / "000_b4b200ae6da7cf7b.txt"
AR_SEED = SEEDS / "003_315ab8a38d1b8188.txt"


def dump(path: Path) -> list[str]:
    """Every row of every table, as SQL: equal dumps mean equal databases."""
    with Store.open(path, readonly=True) as store:
        return list(support_dump(store))


def export(store: Store, **options) -> bytes:
    out = io.StringIO()
    export_jsonl(store, out, **options)
    return out.getvalue().encode("utf-8")


def overlapping_spans(text: str) -> list[dict]:
    """A claim sentence containing an entity and a date, plus a span crossing the claim's end."""
    sentence = re.search(r"[^\n.]{20,}?\d[^\n.]*\.", text)
    assert sentence is not None
    s, e = sentence.span()
    date = re.search(r"\d+(/\d+)*", text[s:e])
    word = re.search(r"\w{3,}", text[s:e])
    after = re.search(r"\w{3,}", text[e:])
    spans = [
        {"start": s, "end": e, "label": "claim"},
        {"start": s + word.start(), "end": s + word.end(), "label": "entity"},
        {"start": s + date.start(), "end": s + date.end(), "label": "date"},
        {"start": s + word.start(), "end": e + after.end(), "label": "entity"},  # overlaps the claim's end
    ]
    for span in spans:
        span["text"] = text[span["start"]:span["end"]]
    return spans


@pytest.fixture
def source_jsonl(tmp_path: Path) -> Path:
    lines = []
    for seed, lang in ((VI_SEED, "vi"), (AR_SEED, "ar")):
        text = seed.read_text(encoding="utf-8")
        lines.append(json.dumps({"text": text, "spans": overlapping_spans(text), "meta": {"source": seed.name}},
                                ensure_ascii=False))
    path = tmp_path / "source.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["spacy", "doccano"])
def test_import_export_import_export_is_byte_identical(tmp_path, source_jsonl, fmt, new_db):
    with Store.open(new_db("one")) as one:
        import_paths(one, [source_jsonl])
        first = export(one, fmt=fmt)
    exported = tmp_path / f"first.{fmt}.jsonl"
    exported.write_bytes(first)
    with Store.open(new_db("two")) as two:
        import_paths(two, [exported])
        second = export(two, fmt=fmt)
    assert first == second
    records = [json.loads(line) for line in first.decode().splitlines()]
    assert len(records) == 2
    langs = [r["meta"]["lang"] for r in records] if fmt == "spacy" else []
    if fmt == "spacy":
        assert langs == ["vi", "ar"] and [r["meta"]["direction"] for r in records] == ["ltr", "rtl"]
        for record in records:
            assert len(record["spans"]) == 4
            for span in record["spans"]:
                assert record["text"][span["start"]:span["end"]] == span["text"]
    assert "\\u" not in first.decode()  # ensure_ascii=False: Arabic and Vietnamese stay readable


def test_round_trip_with_several_annotators_statuses_and_txt_sources(tmp_path, new_db):
    with Store.open(new_db("one")) as one:
        import_paths(one, [SEEDS])
        for summary in one.list_documents():
            text = one.get_document(summary.id).text
            for annotator in ("alice", "bob"):
                for span in overlapping_spans(text)[: 3 if annotator == "bob" else 4]:
                    one.add_span(summary.id, annotator, span["label"], span["start"], span["end"])
            one.set_status(summary.id, "alice", "done")
        one.set_status(summary.id, "bob", "skipped")
        first = export(one)
    path = tmp_path / "first.jsonl"
    path.write_bytes(first)
    with Store.open(new_db("two")) as two:
        import_paths(two, [path], keep_annotators=True)
        assert two.annotators() == ["alice", "bob"]
        second = export(two)
    assert first == second
    records = [json.loads(line) for line in first.decode().splitlines()]
    assert len(records) == 10
    assert [(r["_annotator_id"], r["meta"]["status"], r["answer"]) for r in records[-2:]] == [
        ("alice", "done", "accept"), ("bob", "skipped", "ignore")]
    assert [r["meta"]["title"] for r in records[::2]] == [
        s.read_text(encoding="utf-8").strip().split("\n")[0].strip() for s in sorted(SEEDS.iterdir())]


def test_importing_the_same_files_twice_changes_nothing(tmp_path, source_jsonl, new_db):
    db = new_db("a")
    with Store.open(db) as store:
        first = import_paths(store, [SEEDS, source_jsonl])
    before = dump(db)
    with Store.open(db) as store:
        again = import_paths(store, [SEEDS, source_jsonl])
    assert dump(db) == before
    assert (first.documents_added, first.spans_added) == (5, 8)  # the JSONL texts are two of the seeds
    assert (again.documents_added, again.spans_added, again.documents_existing, again.spans_existing) == (0, 0, 7, 8)


def test_one_bad_line_leaves_the_database_exactly_as_before(tmp_path, source_jsonl, new_db):
    db = new_db("a")
    with Store.open(db) as store:
        import_paths(store, [VI_SEED])
    before = dump(db)
    good = json.dumps({"text": "một bài mới", "spans": [{"start": 0, "end": 3, "label": "entity"}]},
                      ensure_ascii=False)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good + "\n" + good.replace("một", "hai") + "\n" + '{"text": "x", "spans": [{"start": 0}]}\n',
                   encoding="utf-8")
    with Store.open(db) as store, pytest.raises(FormatError) as info:
        import_paths(store, [SEEDS, source_jsonl, bad])
    assert str(info.value).startswith(f"{bad}:3: ")
    assert dump(db) == before


def test_txt_import_keeps_the_whole_file_and_records_normalisation(tmp_path, new_db):
    original = "\ufeff" + unicodedata.normalize("NFD", "Tiêu đề bài báo\r\n\r\nNội dung.\r\n")
    path = tmp_path / "a.txt"
    path.write_bytes(original.encode("utf-8"))
    utf16 = tmp_path / "b.txt"
    utf16.write_bytes("عنوان\nنص".encode("utf-16"))
    with Store.open(new_db("a")) as store:
        import_paths(store, [tmp_path])
        docs = [store.get_document(d.id) for d in store.list_documents()]
    assert docs[0].text == "Tiêu đề bài báo\n\nNội dung.\n"
    assert docs[0].title == "Tiêu đề bài báo" and docs[0].language == "vi" and docs[0].direction == "ltr"
    assert docs[0].meta["normalised"] == ["UTF-8 byte order mark removed", "CRLF line ends converted to LF",
                                          "normalised to NFC"]
    assert docs[1].text == "عنوان\nنص" and docs[1].direction == "rtl" and docs[1].language == "ar"
    assert docs[1].meta["normalised"] == ["decoded from UTF-16"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "the file is empty"), (b"  \n\n", "the file is empty"), (b"abc\x00def", "NUL byte at offset 3"),
     (b"ok\nnot \xff utf-8", "2: invalid UTF-8 (byte 0xff at column 5)")],
)
def test_bad_txt_files_are_named(tmp_path, content, reason, new_db):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with Store.open(new_db("a")) as store, pytest.raises(FormatError, match=re.escape(reason)):
        import_paths(store, [path])


def test_missing_paths_and_empty_folders_are_named(tmp_path, new_db):
    with Store.open(new_db("a")) as store, pytest.raises(FormatError, match="no such file or folder"):
        import_paths(store, [tmp_path / "nope.txt"])
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.md").write_text("not an article")
    with Store.open(new_db("a")) as store, pytest.raises(FormatError, match="empty: no .txt, .jsonl"):
        import_paths(store, [tmp_path / "empty"])


def test_export_filters_by_annotator_label_and_status(tmp_path, source_jsonl, new_db):
    with Store.open(new_db("a")) as store:
        import_paths(store, [source_jsonl], annotator="alice")
        import_paths(store, [source_jsonl], annotator="bob")
        first = store.list_documents()[0].id
        store.set_status(first, "bob", "done")
        everyone = [json.loads(x) for x in export(store).decode().splitlines()]
        assert [(r["meta"]["doc_id"][:4], r["_annotator_id"]) for r in everyone] == [
            (first[:4], "alice"), (first[:4], "bob"), (everyone[2]["meta"]["doc_id"][:4], "alice"),
            (everyone[2]["meta"]["doc_id"][:4], "bob")]
        bob = [json.loads(x) for x in export(store, annotators=["bob"]).decode().splitlines()]
        assert {r["_annotator_id"] for r in bob} == {"bob"} and len(bob) == 2
        done = [json.loads(x) for x in export(store, status="done").decode().splitlines()]
        assert [(r["_annotator_id"], r["answer"]) for r in done] == [("bob", "accept")]
        dates = [json.loads(x) for x in export(store, labels=["date"], fmt="doccano").decode().splitlines()]
        assert all(len(r["label"]) == 1 and r["label"][0][2] == "date" for r in dates)
        assert list(dates[0]) == ["id", "text", "label", "annotator"]


def test_export_refuses_a_span_whose_text_does_not_match(tmp_path, source_jsonl, new_db):
    with Store.open(new_db("a")) as store:
        import_paths(store, [source_jsonl])
        span_id = store.connection.execute("select min(id) from spans").fetchone()[0]
        store.connection.execute("update spans set text = 'tampered' where id = ?", (span_id,))
        with pytest.raises(ExportError, match=rf"span {span_id} .*does not match"):
            export(store)


def test_line_separators_in_text_are_escaped_so_every_record_is_one_line(tmp_path, new_db):
    source = tmp_path / "odd.jsonl"
    text = "a\u2028b\u2029c\x85d and more"
    source.write_text(json.dumps({"text": text, "spans": [{"start": 0, "end": 3, "label": "x"}]}) + "\n",
                      encoding="utf-8")
    with Store.open(new_db("a")) as store:
        import_paths(store, [source])
        out = export(store).decode()
    assert len(out.splitlines()) == 1 and json.loads(out)["text"] == text


def test_every_exported_span_loads_into_spacy(tmp_path, new_db):
    """spacy.blank("xx") + doc.char_span(start, end, label, alignment_mode="expand") works for every span."""
    spacy = pytest.importorskip("spacy")
    rng = random.Random(7)
    with Store.open(new_db("a")) as store:
        import_paths(store, [SEEDS])
        for summary in store.list_documents():
            text = store.get_document(summary.id).text
            words = [m.span() for m in re.finditer(r"\S+", text)]
            for _ in range(40):  # random spans, starting and ending inside words, often mid-word
                a, b = sorted(rng.sample(range(len(words)), 2))
                start = rng.randrange(*words[a]) if rng.random() < 0.5 else words[a][0]
                end = rng.randrange(words[b][0] + 1, words[b][1] + 1)
                label = rng.choice(["entity", "claim", "date"])
                try:
                    store.add_span(summary.id, "alice", label, start, end)
                except Exception:
                    pass  # an exact duplicate
            for span in overlapping_spans(text):
                store.add_span(summary.id, "bob", span["label"], span["start"], span["end"])
        lines = export(store).decode().splitlines()
    nlp = spacy.blank("xx")
    checked = 0
    for line in lines:
        record = json.loads(line)
        doc = nlp.make_doc(record["text"])
        for span in record["spans"]:
            loaded = doc.char_span(span["start"], span["end"], label=span["label"], alignment_mode="expand")
            assert loaded is not None, span
            assert span["text"].strip() in loaded.text or loaded.text in span["text"]
            checked += 1
    assert checked > 200


def test_nfd_input_is_stored_nfc_and_its_spans_cover_the_same_characters(tmp_path, new_db):
    nfd = unicodedata.normalize("NFD", "Hội nghị ở Hà Nội ngày 5/2/2025 bàn về hiệp ước.")
    spans = [("Hà Nội", "entity"), ("5/2/2025", "date"), ("Hội nghị ở Hà Nội", "claim")]
    record = {"text": nfd, "spans": []}
    for words, label in spans:
        start = nfd.index(unicodedata.normalize("NFD", words))
        record["spans"].append({"start": start, "end": start + len(unicodedata.normalize("NFD", words)),
                                "label": label})
    path = tmp_path / "nfd.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with Store.open(new_db("a")) as store:
        import_paths(store, [path])
        doc = store.get_document(store.list_documents()[0].id)
        stored = {(s.label, s.text) for s in store.spans(doc.id)}
        assert doc.text == unicodedata.normalize("NFC", nfd) and unicodedata.is_normalized("NFC", doc.text)
        assert doc.meta["normalised"] == ["normalised to NFC"]
        assert stored == {(label, words) for words, label in spans}  # the NFC spellings of the same words
        for span in store.spans(doc.id):
            assert doc.text[span.start:span.end] == span.text
