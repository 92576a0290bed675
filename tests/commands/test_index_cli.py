"""`tui import` of many articles leaves the search index to be built, says so in one line, and
`tui index` builds it: the same index the triggers build, term for term."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.store.fts_index import instances, trigger_built
from tui import cli
from tui.store import Store
from tui.store import search
from tui.store.search import DocumentQuery


def _articles(path: Path, n: int) -> Path:
    lines = []
    for i in range(n):
        if i % 2:
            record = {"text": f"الرَّئِيسُ وقّع معاهدة رقم {i} في مُوسكو.", "meta": {"title": f"خبر {i}", "lang": "ar"}}
        else:
            record = {"text": f"Bài {i}: Đàm phán ở Minsk, hiệp ước số {i}.", "meta": {"title": f"tin {i}", "lang": "vi"}}
        lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(*args: str):
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


def _minsk(db: Path) -> int:
    with Store.open(db, readonly=True) as store:
        return store.count_matching(DocumentQuery(search="minsk"))


def test_a_big_import_says_the_index_awaits_and_tui_index_builds_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(search, "IMPORT_INDEX_LIMIT", 10)
    db = tmp_path / "a.db"
    result = _run("import", "--db", str(db), str(_articles(tmp_path / "a.jsonl", 40)))
    assert result.exit_code == 0
    assert f"40 articles await the search index (titles are searchable already): the app indexes them in " \
           f"the background when it opens, or run `tui index --db {db}` to do it now." in result.output
    assert _minsk(db) == 0
    status = _run("index", "--status", "--db", str(db))
    assert status.output == f"Search index of {db}: 0 of 40 articles, 40 to index (tui index).\n"
    done = _run("index", "--db", str(db))
    assert done.exit_code == 0 and f"Search index of {db}: 40 articles, 40 indexed now." in done.output
    assert _minsk(db) == 20
    with Store.open(db) as store:
        assert instances(store.connection) == trigger_built(store, tmp_path)
    assert _run("index", "--status", "--db", str(db)).output == f"Search index of {db}: 40 of 40 articles, complete.\n"
    again = _run("index", "--db", str(db))
    assert f"40 articles, 0 indexed now." in again.output


def test_the_command_it_suggests_can_be_pasted_and_shows_no_control_character(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(search, "IMPORT_INDEX_LIMIT", 10)
    db = tmp_path / "my team's \x1b[31mdb.db"
    result = _run("import", "--db", str(db), str(_articles(tmp_path / "a.jsonl", 12)))
    assert result.exit_code == 0 and "\x1b" not in result.output
    suggested = result.output.split("run `", 1)[1].split("`", 1)[0]
    words = shlex.split(suggested)
    assert words[:3] == ["tui", "index", "--db"] and len(words) == 4  # one argument, however it is spelt
    assert words[3].startswith(str(tmp_path / "my team's "))


def test_a_small_import_is_searchable_at_once_and_says_nothing_of_the_index(tmp_path: Path):
    db = tmp_path / "a.db"
    result = _run("import", "--db", str(db), str(_articles(tmp_path / "a.jsonl", 6)))
    assert result.exit_code == 0 and "search index" not in result.output
    assert _minsk(db) == 3


def test_tui_index_stopped_by_ctrl_c_keeps_what_it_indexed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from tui.commands import index as index_command

    monkeypatch.setattr(search, "IMPORT_INDEX_LIMIT", 0)
    monkeypatch.setattr(index_command, "CLI_CHUNK", 4)
    db = tmp_path / "a.db"
    _run("import", "-q", "--db", str(db), str(_articles(tmp_path / "a.jsonl", 20)))
    chunks = 0
    real = Store.index_search_chunk

    def interrupted(self: Store, limit: int = 500) -> tuple[int, int]:
        nonlocal chunks
        chunks += 1
        if chunks == 3:
            raise KeyboardInterrupt
        return real(self, limit)

    monkeypatch.setattr(Store, "index_search_chunk", interrupted)
    result = CliRunner().invoke(cli.main, ["index", "--db", str(db)])
    assert result.exit_code == 130
    assert "Stopped: the search index holds 8 of 20 articles; run tui index again to go on" in result.output
    monkeypatch.setattr(Store, "index_search_chunk", real)
    with Store.open(db) as store:
        assert store.search_index_progress() == (8, 20)
    assert _run("index", "-q", "--db", str(db)).exit_code == 0
    assert _minsk(db) == 10
