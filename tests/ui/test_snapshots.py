"""Snapshot tests (pytest-textual-snapshot) of the side-by-side view with spans of all three
labels in a Vietnamese and an Arabic pane, in colour and in NO_COLOR.

Regression checks only: a browser showing the SVG reorders our already-visual Arabic again,
so look at the real thing with term-shot. Deterministic: tmp database, fixed annotator, no
caret blink, no notifications, fixed size. Update with `pytest --snapshot-update`.
"""

from __future__ import annotations

from tui.store import Store
from tui.terminal import textual_app_options
from tui.ui.app import AnnotatorApp

VI = {
    "claim": "Tổng thống Vladimir Putin hôm 5/2 đã đệ trình một hiệp ước an ninh với Belarus",
    "entity": "Vladimir Putin hôm",  # trimmed below to the name
    "date": "5/2",
}
AR = {
    "claim": "وقع الرئيس الروسي فلاديمير بوتين على معاهدة تقدم ضمانات أمنية لبيلاروسيا",
    "entity": "فلاديمير بوتين",
    "date": "الشهر الماضي",
}


def annotated_store(path) -> Store:
    store = Store.open(path)
    vi_id, ar_id = (store.list_documents()[i].id for i in (0, 3))
    for doc_id, wanted in ((vi_id, VI), (ar_id, AR)):
        text = store.get_document(doc_id).text
        claim = text.index(wanted["claim"])
        for label, phrase in wanted.items():
            start = text.index(phrase, claim) if label != "date" or doc_id == vi_id else text.index(phrase)
            end = start + len(phrase)
            if phrase.endswith(" hôm"):
                end -= len(" hôm")
            store.add_span(doc_id, "alice", label, start, end)
    return store


def side_by_side_app(seeded_db) -> AnnotatorApp:
    return AnnotatorApp(annotated_store(seeded_db), annotator="alice", **textual_app_options())


def test_side_by_side_with_all_labels(seeded_db, snap_compare, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert snap_compare(side_by_side_app(seeded_db), terminal_size=(120, 32))


def test_side_by_side_with_all_labels_no_color(seeded_db, snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(side_by_side_app(seeded_db), terminal_size=(120, 32))


def test_small_terminal_one_pane_arabic(seeded_db, snap_compare, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert snap_compare(side_by_side_app(seeded_db), terminal_size=(80, 24), press=["tab"])

