"""The real `tui` command in a real terminal (tmux), keys typed in bursts as fast as a person
who knows the keys: nothing typed after a search may leak into the search field."""

from __future__ import annotations

from tests.ui.tmux_support import TuiInTmux, needs_tmux, needs_tui
from tui.store import Store

pytestmark = [needs_tmux, needs_tui]


def test_fast_typing_in_a_real_terminal_tags_what_it_should(tmp_path, seeded_db):
    with TuiInTmux("--db", seeded_db, "--annotator", "fast", cwd=tmp_path) as app:
        app.wait_for("vi ltr")
        # One burst: search, select three characters, tag date; search again and tag the word.
        app.keys("/5/2", literal=True)
        app.keys("Enter", "v", "l", "l", "l", "d", "/", "P", "u", "t", "i", "n", " ", "h", "Enter", "e")
        app.wait_for("saved: entity")
        app.quit(timeout=15)
    with Store.open(seeded_db) as store:
        doc = store.get_document(store.list_documents()[0].id)
        got = {(s.label, doc.text[s.start:s.end]) for s in store.spans(doc.id, annotator="fast")}
    assert got == {("date", "5/2"), ("entity", "Putin")}
