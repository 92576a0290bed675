"""The export example in README.md is a real line: regenerate it and compare."""

from __future__ import annotations

import json
import re
from tests.formats.readme_example import ROOT, example_line


def test_readme_example_line_is_what_the_exporter_writes(new_db):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- export-example:start -->\n```json\n(.*?)\n```\n<!-- export-example:end -->", readme,
                      re.S)
    assert block is not None, "README.md lost its export example markers"
    assert block.group(1) + "\n" == example_line(new_db("example"))
    record = json.loads(block.group(1))
    for span in record["spans"]:
        assert record["text"][span["start"]:span["end"]] == span["text"]
