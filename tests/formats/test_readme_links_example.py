"""The links example in README.md is a real line: regenerate it from the seeds and compare."""

from __future__ import annotations

import json
import re

from tests.formats.links_example import ROOT, example_line


def test_readme_links_example_line_is_what_the_exporter_writes(new_db):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- links-example:start -->\n```json\n(.*?)\n```\n<!-- links-example:end -->", readme, re.S)
    assert block is not None, "README.md lost its links example markers"
    assert block.group(1) + "\n" == example_line(new_db("example"))
    record = json.loads(block.group(1))
    assert list(record) == ["id", "label", "annotator", "head", "child", "cluster_id"]
    assert {record["head"]["lang"], record["child"]["lang"]} == {"vi", "ar"}
