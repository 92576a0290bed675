"""The picker's title search folds like the in-article search (tui.folding): Vietnamese without
marks, Arabic with a bare alef or without harakat, Persian letters typed on an Arabic keyboard; an
older database gets its folded titles recomputed by a migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tui.folding import fold
from tui.store import Store
from tui.store.connection import split_statements
from tui.store.schema import MIGRATIONS, TITLE_FOLD_V5

TITLES = {
    "vi": "Quốc hội thông qua luật Đất đai",
    "ar": "غزو أوكرانيا في فبراير ٢٠٢٢",
    "fa": "کتاب‌های ایران",
    "ar2": "قَالَ الرَّئِيسُ",
}


def _titles(store: Store, search: str) -> list[str]:
    return [summary.title for summary in store.list_documents(search=search)]


def test_title_search_finds_what_a_reader_means(db_path):
    with Store.open(db_path) as store:
        for key, title in TITLES.items():
            store.add_document(f"{title}\nbody {key}", title=title, language="und", direction="ltr")
        assert _titles(store, "quoc hoi") == [TITLES["vi"]]
        assert _titles(store, "DAT DAI") == [TITLES["vi"]]
        assert _titles(store, "اوكرانيا") == [TITLES["ar"]]
        assert _titles(store, "2022") == [TITLES["ar"]]
        assert _titles(store, "كتاب") == [TITLES["fa"]]  # Arabic kaf for Persian keheh
        assert _titles(store, "ايران") == [TITLES["fa"]]
        assert _titles(store, "الرئيس") == [TITLES["ar2"]]
        assert store.count_documents(search="اوكرانيا") == 1


def test_upgrading_recomputes_folded_titles_with_the_current_folding(tmp_path: Path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    (refold,) = [m.version for m in MIGRATIONS if m.sql == TITLE_FOLD_V5]
    for migration in MIGRATIONS[:refold - 1]:
        for statement in split_statements(migration.sql):
            conn.execute(statement)
    title = TITLES["ar"]
    conn.execute(
        "INSERT INTO documents (id, title, title_folded, text, language, direction, length, text_sha256,"
        " imported_at) VALUES ('d1', ?, ?, 'x', 'ar', 'rtl', 1, 'sha', 'now')",
        (title, title),  # an older folding kept the hamza and the Arabic-Indic digits
    )
    conn.execute(f"PRAGMA user_version = {refold - 1}")
    conn.execute("COMMIT")
    conn.close()
    with Store.open(path) as store:
        folded = store.connection.execute("SELECT title_folded FROM documents").fetchone()[0]
        assert folded == fold(title)
        assert _titles(store, "اوكرانيا 2022") == []  # words are matched as typed, in order
        assert _titles(store, "اوكرانيا في فبراير 2022") == [title]
