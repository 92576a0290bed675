"""A small linked corpus made from the seeds (the links tests and the README's example line use it)."""

from __future__ import annotations

import io
from pathlib import Path

from tui.formats import import_paths
from tui.formats.links import export_links
from tui.store import Store

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
VI_SEED = "000_b4b200ae6da7cf7b"
VI_SEED_2 = "001_def6f12fe0d69960"
AR_SEED = "003_315ab8a38d1b8188"

PUTIN_VI = "Vladimir Putin"
PUTIN_AR = "فلاديمير بوتين"
BELARUS_VI = "Belarus"
BELARUS_AR = "بيلاروسيا"


def document_id(store: Store, seed: str) -> str:
    for summary in store.list_documents(limit=1000):
        source = store.get_document(summary.id).source or ""
        if Path(source).stem == seed:
            return summary.id
    raise LookupError(seed)


def span_of(store: Store, annotator: str, seed: str, needle: str, label: str = "entity", nth: int = 0):
    doc = store.get_document(document_id(store, seed))
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(needle, start + 1)
    return store.add_span(doc.id, annotator, label, start, start + len(needle))


def build(db_path: Path) -> None:
    """alice: Putin in two Vietnamese articles and the Arabic one (one same_entity cluster of three),
    Belarus in both languages (a second cluster), and a supports link; bob: one link of his own.
    Spans are made out of reading order and one is deleted, so the ids are not those a fresh import gives."""
    with Store.open(db_path) as store:
        import_paths(store, [SEEDS])
        scratch = span_of(store, "alice", VI_SEED, "Moscow")
        putin_ar = span_of(store, "alice", AR_SEED, PUTIN_AR)
        putin_vi = span_of(store, "alice", VI_SEED, PUTIN_VI)
        putin_vi2 = span_of(store, "alice", VI_SEED_2, PUTIN_VI)
        belarus_ar = span_of(store, "alice", AR_SEED, BELARUS_AR)
        belarus_vi = span_of(store, "alice", VI_SEED, BELARUS_VI)
        store.delete_span(scratch.id, "alice")
        store.add_link("alice", putin_vi.id, putin_ar.id, "same_entity")
        store.add_link("alice", putin_ar.id, putin_vi2.id, "same_entity")
        store.add_link("alice", belarus_ar.id, belarus_vi.id, "same_entity")
        store.add_link("alice", putin_vi2.id, belarus_vi.id, "supports")
        bob_vi = span_of(store, "bob", VI_SEED, PUTIN_VI)
        bob_ar = span_of(store, "bob", AR_SEED, PUTIN_AR)
        store.add_link("bob", bob_ar.id, bob_vi.id, "same_entity")


def exported(store: Store, **options) -> str:
    out = io.StringIO()
    export_links(store, out, **options)
    return out.getvalue()


def example_line(db_path: Path) -> str:
    """The README's example: alice's link between Putin in Vietnamese and in Arabic."""
    build(db_path)
    with Store.open(db_path) as store:
        return exported(store, annotators=["alice"]).splitlines()[0] + "\n"


if __name__ == "__main__":  # python -m tests.formats.links_example: print the README's line
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        print(example_line(Path(folder) / "example.db"), end="")
