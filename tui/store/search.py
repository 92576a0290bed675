"""The picker's queries: filters (status, language, has spans) and search of titles and article
text. Article text is searched through an FTS5 index (`documents_fts`, unicode61 tokenizer with
diacritics removed), kept in step with `documents` by triggers (migrations in tui.store.schema).

The index may lag behind `documents` (migration 11): tokenising and indexing an article is FTS5's
own work, ~70 us, more than half of what an import may spend on it, so a big import leaves its
articles unindexed and the index is built afterwards, chunk by chunk (`index_next`: `tui index`, or
the app's background job), as search engines make added documents searchable asynchronously. What
is indexed is always a prefix of the import order: the documents with `seq <= W`, W the highest
indexed rowid (`INDEXED_UPTO`). The insert trigger indexes a new document only when every earlier one
is indexed (small inserts, `tui copy` and the app's first seed import stay searchable at once), the
delete trigger takes a document out only when it is in. Titles are matched by LIKE whether or not the
text is indexed yet.

What the index holds is the text with a few letters mapped in SQL (`FOLD_PAIRS`: đ→d, Arabic
harakat and tatweel dropped, أ إ آ ٱ→ا, ى→ي, ة→ه), so `dong` finds `đồng` and `اوكرانيا` finds
`أوكرانيا`; the query is mapped the same way in Python (`fts_query`). Titles keep being matched
by the folded-title LIKE (substrings, any length). Everything here runs inside `Store._read`.

On PostgreSQL (no FTS5) the same search finds the same rows in the same order: `documents_search`
holds each document's words as FTS5's tokenizer makes them (`search_body`, written when a document
is inserted), and a query word is a LIKE on them (`_postgres_words`); see below.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tui.store.dbapi import Connection

from tui.store.models import STATUSES, DocumentSummary
from tui.store.textutil import fold_for_search, like_pattern

LATIN_PAIRS: tuple[tuple[str, str], ...] = (("đ", "d"), ("Đ", "D"))
ARABIC_PAIRS: tuple[tuple[str, str], ...] = (
    ("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"), ("\u0640", ""),  # tatweel
)
HARAKAT_PAIRS: tuple[tuple[str, str], ...] = (
    *((chr(code), "") for code in range(0x064B, 0x0653)), ("\u0670", ""),  # fathatan .. sukun, dagger alef
)
FOLD_PAIRS = LATIN_PAIRS + ARABIC_PAIRS + HARAKAT_PAIRS
"""Letters mapped before indexing and querying (the tokenizer itself folds case and Latin marks)."""

_FOLD_TABLE = str.maketrans({a: b for a, b in FOLD_PAIRS})


def _replaced(sql: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for a, b in pairs:
        sql = f"replace({sql}, '{a}', '{b}')"
    return sql


def fts_source(column: str, direction: str) -> str:
    """SQL that maps `column` as FOLD_PAIRS says, paying only for what the text can contain
    (nested replace(): C speed, no app-defined function): đ in left-to-right texts, Arabic letter
    variants in right-to-left ones, harakat only when the text has any (news rarely does)."""
    harakat = "".join(a for a, _ in HARAKAT_PAIRS)
    arabic = _replaced(column, ARABIC_PAIRS)
    return (f"CASE WHEN {direction} = 'rtl' THEN (CASE WHEN {column} GLOB '*[{harakat}]*' "
            f"THEN {_replaced(arabic, HARAKAT_PAIRS)} ELSE {arabic} END) "
            f"ELSE {_replaced(column, LATIN_PAIRS)} END")


FTS_SCHEMA = f"""
CREATE VIRTUAL TABLE documents_fts USING fts5(
    body, content='', tokenize="unicode61 remove_diacritics 2"
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, body) VALUES (new.seq, {fts_source("new.title || ' ' || new.text", "new.direction")});
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, body)
    VALUES ('delete', old.seq, {fts_source("old.title || ' ' || old.text", "old.direction")});
END;
INSERT INTO documents_fts (rowid, body) SELECT seq, {fts_source("title || ' ' || text", "direction")} FROM documents;
"""
"""Migration: the index, its triggers, and every document already stored. (Documents are never
updated, so there is no update trigger.)"""

INDEXED_UPTO = "(SELECT coalesce(max(id), 0) FROM documents_fts_docsize)"
"""W: every document with seq <= W is in the index, none above it. FTS5 keeps one `docsize` row per
indexed rowid (contentless tables too; an article with no word included; tests check it), so W is
read from the index itself: no second record (a state row) that a failed or foreign write could
leave out of step with what the index holds. max(id) of that rowid table is one b-tree probe."""

FTS_DEFERRED_V11 = f"""
DROP TRIGGER documents_fts_insert;
DROP TRIGGER documents_fts_delete;
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents
WHEN NOT EXISTS (SELECT 1 FROM documents WHERE seq < new.seq AND seq > {INDEXED_UPTO})
BEGIN
    INSERT INTO documents_fts (rowid, body) VALUES (new.seq, {fts_source("new.title || ' ' || new.text", "new.direction")});
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents
WHEN old.seq <= {INDEXED_UPTO}
BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, body)
    VALUES ('delete', old.seq, {fts_source("old.title || ' ' || old.text", "old.direction")});
END;
"""
"""Migration 11: the index may lag (see the module docstring). The insert trigger indexes a new
document only when every earlier document is indexed (so the indexed ones stay the prefix seq <= W);
the delete trigger issues FTS5's 'delete' only for an indexed document: a contentless index given a
'delete' for a rowid it does not hold is silently corrupted. A v10 database is fully indexed, so it
satisfies the invariant as it stands."""

IMPORT_INDEX_LIMIT = 2_000
"""An import that leaves at most this many documents unindexed indexes them in its own transaction
(~0.15 s of FTS5 work); a bigger one leaves them to `tui index` / the app's background job."""

INDEX_CHUNK = 500
"""Documents indexed per transaction by the app's background job (~50 ms of FTS5 work: the
annotator's saves wait at most that long behind it)."""

FTS_INSERT_TRIGGER = "documents_fts_insert"
FTS_FILL = "INSERT INTO documents_fts (rowid, body) SELECT seq, tui_fts_body(title, text, direction) FROM documents"
"""What an import runs once, for the documents it added, instead of the insert trigger row by row
(tui.store.bulk.ImportBatch): `tui_fts_body` is `fts_body`, registered on every connection."""


def index_lags(c: Connection) -> bool:
    """True when some document is not in the index yet: one probe past W (the app asks this as it
    opens; `index_progress` counts the documents, ~140 ms cold at 100,000 articles, held under the
    store's lock while the first screen is being read)."""
    return bool(c.execute(f"SELECT EXISTS (SELECT 1 FROM documents WHERE seq > {INDEXED_UPTO})").fetchone()[0])


def index_progress(c: Connection) -> tuple[int, int]:
    """(documents indexed, documents): the first is the documents with seq <= W."""
    upto = int(c.execute(f"SELECT {INDEXED_UPTO}").fetchone()[0])
    waiting = int(c.execute("SELECT count(*) FROM documents WHERE seq > ?", (upto,)).fetchone()[0])
    total = int(c.execute("SELECT count(*) FROM documents").fetchone()[0])
    return total - waiting, total


def index_next(c: Connection, limit: int) -> tuple[int, int]:
    """Index the next `limit` documents after W (run inside the caller's IMMEDIATE transaction, which
    is what makes two processes doing it at once index each document once: W is read under the
    write lock); returns `index_progress` after it."""
    upto = int(c.execute(f"SELECT {INDEXED_UPTO}").fetchone()[0])
    c.execute(f"{FTS_FILL} WHERE seq > ? ORDER BY seq LIMIT ?", (upto, int(limit)))
    return index_progress(c)


def index_if_few(c: Connection, limit: int | None = None) -> int:
    """Index every document after W when there are at most `limit` (IMPORT_INDEX_LIMIT) of them (an
    import's end, inside its transaction); returns how many are left unindexed (0, or all of them)."""
    limit = IMPORT_INDEX_LIMIT if limit is None else limit
    upto = int(c.execute(f"SELECT {INDEXED_UPTO}").fetchone()[0])
    waiting = int(c.execute("SELECT count(*) FROM documents WHERE seq > ?", (upto,)).fetchone()[0])
    if 0 < waiting <= limit:
        c.execute(f"{FTS_FILL} WHERE seq > ?", (upto,))
        return 0
    return waiting


def fts_body(title: str, text: str, direction: str) -> str:
    """What the index holds for a document: exactly what `fts_source` computes in SQL (a test checks
    it), with Python's str.replace, ~100x faster than SQLite's nested replace() over a 3 KB article."""
    body = f"{title} {text}"
    for a, b in (ARABIC_PAIRS + HARAKAT_PAIRS if direction == "rtl" else LATIN_PAIRS):
        if a in body:
            body = body.replace(a, b)
    return body


_WORD = re.compile(r"\w+", re.UNICODE)


# ------------------------------------------------------------------- PostgreSQL's word index
# PostgreSQL has no FTS5. So that the picker finds exactly the same documents there, the words are
# made by FTS5 itself: SQLite's unicode61 tokenizer (remove_diacritics 2) run in Python, on an
# in-memory database, over the text mapped as `fts_source` maps it. `documents_search.body` holds them
# as " word word ... "; a query word (a prefix, or a phrase whose last word is a prefix, as FTS5
# reads "a b"*) is then `body LIKE '% a b%'`.

_TOKENIZER = threading.local()


def fts_tokens(text: str) -> list[str]:
    """The tokens FTS5's unicode61 tokenizer (remove_diacritics 2) makes of `text`, in order."""
    conn = getattr(_TOKENIZER, "conn", None)
    if conn is None:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize=\"unicode61 remove_diacritics 2\")")
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        _TOKENIZER.conn = conn
    conn.execute("INSERT INTO t (rowid, body) VALUES (1, ?)", (text,))
    try:
        return [row[0] for row in conn.execute("SELECT term FROM v WHERE doc = 1 ORDER BY offset")]
    finally:
        conn.execute("DELETE FROM t WHERE rowid = 1")


def search_body(title: str, text: str, direction: str) -> str:
    """What documents_search.body holds for a document: the words FTS5 would index for it."""
    return " " + " ".join(fts_tokens(fts_body(title, text, direction))) + " "


def index_documents(c: Any, columns: tuple[str, ...], rows: Sequence[Sequence[Any]]) -> None:
    """PostgreSQL's stand-in for the documents_fts trigger (called by the adapter after an INSERT
    INTO documents): the documents' words into documents_search."""
    at = {name: i for i, name in enumerate(columns)}
    values = [(row[at["id"]], search_body(row[at["title"]], row[at["text"]], row[at["direction"]]))
              for row in rows]
    c.raw.cursor().executemany(
        "INSERT INTO documents_search (document_id, body) VALUES (%s, %s) ON CONFLICT (document_id) DO NOTHING",
        values)


def _postgres_words(text: str) -> list[str] | None:
    """LIKE patterns for documents_search.body, one per query word FTS5 would search for; None
    when there is no word (as fts_query); [] when no word has a token (FTS5 then matches nothing)."""
    words = _WORD.findall(text.translate(_FOLD_TABLE))
    if not words:
        return None
    patterns = []
    for word in words:
        tokens = fts_tokens(word)
        if tokens:
            patterns.append(like_pattern(" " + " ".join(tokens)))
    return patterns


def fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression for what the user typed: every word, as a prefix, all required
    (`putin hiep` -> "putin"* "hiep"*); None when there is no word to look for."""
    words = _WORD.findall(text.translate(_FOLD_TABLE))
    if not words:
        return None
    return " ".join('"' + word.replace('"', '""') + '"*' for word in words)


@dataclass(frozen=True)
class DocumentQuery:
    """What the picker asks for. `status`: one of STATUSES for `annotator`; `has_spans`: True (the
    annotator's spans), False (none), None (either); `full_text`: search article text too."""

    search: str | None = None
    annotator: str | None = None
    status: str | None = None
    language: str | None = None
    has_spans: bool | None = None
    full_text: bool = True


def parse_filter(text: str) -> DocumentQuery:
    """The picker's filter line: words are searched; `status:done`, `lang:ar`, `has:spans`,
    `no:spans` (and `-has:spans`) filter. Unknown `x:y` stays a search word."""
    words: list[str] = []
    fields: dict[str, Any] = {}
    for token in text.split():
        key, colon, value = token.partition(":")
        key = key.lower()
        if colon and value:
            value_lower = value.lower().replace(" ", "_").replace("-", "_")
            if key == "status" and value_lower in (*STATUSES, "in_progress", "inprogress"):
                fields["status"] = "in_progress" if value_lower == "inprogress" else value_lower
                continue
            if key in ("lang", "language"):
                fields["language"] = value
                continue
            if key in ("has", "+has") and value_lower == "spans":
                fields["has_spans"] = True
                continue
            if key in ("no", "-has") and value_lower == "spans":
                fields["has_spans"] = False
                continue
        words.append(token)
    return DocumentQuery(search=" ".join(words) or None, **fields)


def _where(query: DocumentQuery, dialect: str = "sqlite") -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {"ann": query.annotator}
    if query.search:
        params["pattern"] = like_pattern(fold_for_search(query.search))
        words = _postgres_words(query.search) if query.full_text and dialect == "postgres" else None
        match = fts_query(query.search) if query.full_text and dialect != "postgres" else None
        if words is not None:
            for i, word in enumerate(words):
                params[f"word{i}"] = word
            body = " AND ".join(f"body LIKE :word{i} ESCAPE '\\'" for i in range(len(words))) or "false"
            clauses.append("(d.title_folded LIKE :pattern ESCAPE '\\' OR d.id IN "
                           f"(SELECT document_id FROM documents_search WHERE {body}))")
        elif match is not None:
            params["match"] = match
            clauses.append("(d.title_folded LIKE :pattern ESCAPE '\\' OR d.seq IN "
                           "(SELECT rowid FROM documents_fts WHERE documents_fts MATCH :match))")
        else:
            clauses.append("d.title_folded LIKE :pattern ESCAPE '\\'")
    if query.language:
        params["language"] = query.language
        clauses.append("d.language = :language")
    if query.status is not None and query.annotator is not None:
        params["status"] = query.status
        clauses.append("coalesce((SELECT st.status FROM document_status st WHERE st.document_id = d.id "
                       "AND st.annotator = :ann), 'todo') = :status")
    if query.has_spans is not None and query.annotator is not None:
        exists = "EXISTS (SELECT 1 FROM spans s WHERE s.document_id = d.id AND s.annotator = :ann)"
        clauses.append(exists if query.has_spans else f"NOT {exists}")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def dialect_of(c: Connection) -> str:
    """'sqlite' or 'postgres': which backend's SQL `c` takes."""
    return str(getattr(c, "dialect", "sqlite"))


def count(c: Connection, query: DocumentQuery) -> int:
    where, params = _where(query, dialect_of(c))
    return int(c.execute(f"SELECT count(*) FROM documents AS d{where}", params).fetchone()[0])


def page(c: Connection, query: DocumentQuery, offset: int, limit: int) -> list[DocumentSummary]:
    """One page in import order, with the annotator's span count and status (as list_documents)."""
    where, params = _where(query, dialect_of(c))
    if query.annotator is None:
        counts = "(SELECT count(*) FROM spans s WHERE s.document_id = d.id)"
        status = "'todo'"
    else:
        counts = "(SELECT count(*) FROM spans s WHERE s.document_id = d.id AND s.annotator = :ann)"
        status = ("coalesce((SELECT st.status FROM document_status st "
                  "WHERE st.document_id = d.id AND st.annotator = :ann), 'todo')")
    params.update(limit=int(limit), offset=max(0, int(offset)))
    rows = c.execute(
        f"SELECT d.id, d.title, d.language, d.direction, d.length, {counts}, {status} "
        f"FROM documents AS d{where} ORDER BY d.seq LIMIT :limit OFFSET :offset", params
    ).fetchall()
    return [DocumentSummary(*row) for row in rows]


def languages(c: Connection) -> list[str]:
    return [row[0] for row in c.execute("SELECT DISTINCT language FROM documents ORDER BY 1")]
