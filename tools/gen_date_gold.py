"""Turn tests/suggest/data/dates_gold_marked.txt (dates between [[ and ]]) into the vendored
tests/suggest/data/dates_gold.jsonl: {"text", "lang", "spans": [{"start", "end", "text"}]} with exact
code-point offsets. Run after editing the marked file: python tools/gen_date_gold.py"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "suggest" / "data"
MARK = re.compile(r"\[\[(.*?)\]\]")


def convert(line: str) -> dict:
    line = unicodedata.normalize("NFC", line)
    text_parts: list[str] = []
    spans = []
    position = 0
    length = 0
    for m in MARK.finditer(line):
        before = line[position:m.start()]
        text_parts.append(before)
        length += len(before)
        inner = m.group(1)
        spans.append({"start": length, "end": length + len(inner), "text": inner})
        text_parts.append(inner)
        length += len(inner)
        position = m.end()
    text_parts.append(line[position:])
    text = "".join(text_parts)
    lang = "ar" if re.search("[\u0600-\u06ff]", text) else "vi"
    for span in spans:
        assert text[span["start"]:span["end"]] == span["text"]
    return {"text": text, "lang": lang, "spans": spans}


def main() -> None:
    lines = (DATA / "dates_gold_marked.txt").read_text(encoding="utf-8").splitlines()
    records = []
    held_out = False
    for line in lines:
        if line.startswith("# held out"):
            held_out = True
        if line.strip() and not line.startswith("#"):
            record = convert(line)
            record["held_out"] = held_out
            records.append(record)
    with (DATA / "dates_gold.jsonl").open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} sentences, {sum(len(r['spans']) for r in records)} dates")


if __name__ == "__main__":
    main()
