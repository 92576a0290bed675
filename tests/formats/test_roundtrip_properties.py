"""Property: any text and spans survive import -> export -> import -> export byte for byte."""

from __future__ import annotations

import io
import json
import os
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tui.formats import export_jsonl, import_paths
from tui.store import Store

PIECES = [
    "Hà Nội", unicodedata.normalize("NFD", "Việt Nam"), "ngày 5/2", "بوتين", "مينسك ٢٠٢٤", " ", " ", "\n", "\r\n",
    "\x1b[31m", "\x85", "\u2028", "\u202e", "\u2067", "\u2069", "\u200b", "👨\u200d👩\u200d👧", "e\u0301\u0323",
    "[bold]", "\t", "\"quoted\"", "\\", "x",
]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=20).map("".join)


def export(store: Store, fmt: str) -> bytes:
    out = io.StringIO()
    export_jsonl(store, out, fmt=fmt)
    return out.getvalue().encode("utf-8")


@settings(max_examples=int(os.environ.get("TUI_TRIALS", "25")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=texts, data=st.data(), fmt=st.sampled_from(["spacy", "doccano"]))
def test_round_trip_is_byte_identical_for_any_text(text, data, fmt, new_db):
    assume(text.strip())
    cuts = sorted({0, len(text)} | set(data.draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = []
    for start, end in zip(cuts, cuts[1:]):
        label = data.draw(st.sampled_from(["entity", "claim", "date"]))
        if text[start:end].strip() and unicodedata.normalize("NFC", text[start:end]).strip():
            spans.append({"start": start, "end": end, "label": label})
    if len(cuts) > 2 and text.strip():  # one span over everything: overlaps all the others
        spans.append({"start": 0, "end": len(text), "label": "claim"})
    new_db.recycle()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        source = tmp_path / "in.jsonl"
        source.write_text(json.dumps({"text": text, "spans": spans}) + "\n", encoding="utf-8")
        with Store.open(new_db()) as one:
            import_paths(one, [source])
            first = export(one, fmt)
        again = tmp_path / "again.jsonl"
        again.write_bytes(first)
        with Store.open(new_db()) as two:
            import_paths(two, [again])
            second = export(two, fmt)
    assert first == second
    lines = first.decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 2  # exactly one record on one line
    record = json.loads(lines[0])
    assert record["text"] == unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    if fmt == "spacy":
        for span in record["spans"]:
            assert record["text"][span["start"]:span["end"]] == span["text"]
