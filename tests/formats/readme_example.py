"""How the README's export example line is made (tests/formats/test_readme_example.py keeps it current)."""

from __future__ import annotations

import io
from pathlib import Path

from tui.formats import export_jsonl, import_paths
from tui.store import Store

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "004_37eb41862b0a7568.txt"


def example_line(db_path: Path) -> str:
    """Import one Arabic seed, tag a claim containing two entities, plus a date, mark it done, export."""
    with Store.open(db_path) as store:
        import_paths(store, [SEED])
        doc = store.get_document(store.list_documents()[0].id)
        text = doc.text
        claim_end = text.index("\n")
        store.add_span(doc.id, "alice", "claim", 0, claim_end)
        for name in ("ألكسندر لوكاشينكو", "فلاديمير بوتين"):
            start = text.index(name)
            store.add_span(doc.id, "alice", "entity", start, start + len(name))
        start = text.index("فبراير 2022")
        store.add_span(doc.id, "alice", "date", start, start + len("فبراير 2022"))
        store.set_status(doc.id, "alice", "done")
        out = io.StringIO()
        export_jsonl(store, out, annotators=["alice"])
    return out.getvalue()
