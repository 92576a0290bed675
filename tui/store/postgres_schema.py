"""The PostgreSQL schema: the DDL that creates SCHEMA_VERSION's tables, views and triggers in an
empty database, the PostgreSQL step of each later migration, and the rows a new database starts
with. See tui.store.postgres for how it mirrors SQLite's schema (tui.store.schema).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.store.schema import DEFAULT_LABELS, EVENT_ACTIONS
from tui.vocabulary import STATUSES

if TYPE_CHECKING:
    from tui.store.postgres_adapter import PgConnection

BASELINE_VERSION = 10
"""The schema version `SCHEMA` creates. A later migration N adds its PostgreSQL step to
`MIGRATIONS_AFTER_BASELINE` (tests check there is one for every SQLite migration above this)."""

MIGRATIONS_AFTER_BASELINE: dict[int, str] = {
    # SQLite's full-text index may now lag behind big imports; PostgreSQL's word index is still
    # written as each document is inserted (tui.store.search.index_documents): nothing to change.
    11: "",
}
"""version -> PostgreSQL DDL of that migration (same number and meaning as the SQLite one)."""

T = 'text COLLATE "C"'  # code-point order and equality, as SQLite's BINARY collation
_ACTIONS = ", ".join(f"'{a}'" for a in EVENT_ACTIONS)
_STATUSES = ", ".join(f"'{s}'" for s in STATUSES)
_AUTOINCREMENT = ("spans", "events", "candidates", "links", "patterns")

_META = f"""meta {T} NOT NULL DEFAULT '{{}}' CONSTRAINT "json_valid(meta)" CHECK (tui_json_valid(meta))"""
"""A JSON object column (documents', candidates')."""


def _labelled_ranges_table(table: str, owner: str, last_column: str) -> str:
    """A table of labelled ranges [start, end) of documents' text, one per (document, owner, label,
    range): spans (owner: the annotator) and candidates (owner: the source that proposed them)."""
    return f"""CREATE TABLE {table} (
    id bigint PRIMARY KEY,
    document_id {T} NOT NULL REFERENCES documents (id),
    {owner} {T} NOT NULL CHECK ({owner} <> ''),
    label {T} NOT NULL REFERENCES labels (name) ON UPDATE CASCADE,
    start bigint NOT NULL CHECK (start >= 0),
    "end" bigint NOT NULL CHECK ("end" > start),
    text {T} NOT NULL,
    created_at {T} NOT NULL,
    {last_column},
    UNIQUE (document_id, {owner}, label, start, "end")
);"""


SCHEMA = f"""
CREATE FUNCTION tui_json_valid(value text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
    PERFORM value::jsonb;
    RETURN true;
EXCEPTION WHEN others THEN
    RETURN false;
END $$;

-- SQLite's json_extract for the '$.key' paths the store queries with.
CREATE FUNCTION json_extract(doc text, path text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT doc::jsonb #>> string_to_array(substr(path, 3), '.') $$;

CREATE TABLE schema_migrations (
    version bigint PRIMARY KEY,
    name {T} NOT NULL,
    applied_at {T} NOT NULL
);

-- SQLite's sqlite_sequence: AUTOINCREMENT counters, transactional (see tui_next_id).
CREATE TABLE tui_sequences (
    name {T} PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO tui_sequences (name, value) VALUES {", ".join(f"('{t}', 0)" for t in _AUTOINCREMENT)};

-- A table's counter is read (and its row locked) at the table's first insert in a transaction,
-- then kept in a transaction-local setting (tui.id_TABLE) that each insert advances, and written
-- back once, at COMMIT, by the deferred tui_flush_id. (An UPDATE of the counter row per insert
-- left one row version per insert that nothing can prune until the commit, and each next UPDATE
-- walked them all: inserts slowed down with the size of the transaction.) A setting made in a
-- savepoint that is rolled back (a refused statement) is undone with it, and a rolled-back
-- transaction writes nothing: ids are consumed exactly as SQLite's AUTOINCREMENT consumes them.
CREATE FUNCTION tui_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    setting text := 'tui.id_' || TG_TABLE_NAME;
    known text := current_setting(setting, true);
    last bigint;
BEGIN
    IF known IS NULL OR known = '' THEN
        SELECT value INTO last FROM tui_sequences WHERE name = TG_TABLE_NAME FOR UPDATE;
    ELSE
        last := known::bigint;
    END IF;
    IF NEW.id IS NULL THEN
        last := last + 1;
        NEW.id := last;
    ELSE
        last := greatest(last, NEW.id);
    END IF;
    PERFORM set_config(setting, last::text, true);
    RETURN NEW;
END $$;

-- At COMMIT (queued by every insert, it writes once per table and transaction): the counter as
-- tui_next_id left it, or a larger value written into tui_sequences meanwhile (tui copy's).
CREATE FUNCTION tui_flush_id() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last text := current_setting('tui.id_' || TG_TABLE_NAME, true);
BEGIN
    IF last IS NOT NULL AND last <> '' AND last IS DISTINCT FROM current_setting('tui.flushed_' || TG_TABLE_NAME, true) THEN
        UPDATE tui_sequences SET value = greatest(value, last::bigint) WHERE name = TG_TABLE_NAME;
        PERFORM set_config('tui.flushed_' || TG_TABLE_NAME, last, true);
    END IF;
    RETURN NULL;
END $$;

-- Bumped after every committed write transaction (Store.data_version).
CREATE SEQUENCE tui_changes;

CREATE TABLE documents (
    seq bigint PRIMARY KEY,
    id {T} NOT NULL UNIQUE,
    title {T} NOT NULL,
    title_folded {T} NOT NULL,
    text {T} NOT NULL,
    language {T} NOT NULL,
    direction {T} NOT NULL CHECK (direction IN ('ltr', 'rtl')),
    length bigint NOT NULL CHECK (length >= 0),
    source {T},
    text_sha256 {T} NOT NULL UNIQUE,
    imported_at {T} NOT NULL,
    {_META}
);
CREATE INDEX documents_listing ON documents (seq) INCLUDE (id, language, direction, length);

-- An INTEGER PRIMARY KEY: max + 1 (documents are never deleted).
CREATE FUNCTION tui_next_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.seq IS NULL THEN
        NEW.seq := coalesce((SELECT max(seq) FROM documents), 0) + 1;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER documents_seq BEFORE INSERT ON documents FOR EACH ROW EXECUTE FUNCTION tui_next_seq();

CREATE TABLE labels (
    name {T} PRIMARY KEY CHECK (name <> ''),
    key {T} UNIQUE,
    colour {T} NOT NULL,
    description {T} NOT NULL DEFAULT '',
    position bigint NOT NULL DEFAULT 0
);

{_labelled_ranges_table("spans", "annotator", f"updated_at {T} NOT NULL")}
CREATE INDEX spans_by_annotator ON spans (annotator, label, document_id);

CREATE TABLE events (
    id bigint PRIMARY KEY,
    created_at {T} NOT NULL,
    annotator {T} NOT NULL,
    document_id {T} REFERENCES documents (id),
    action {T} NOT NULL CHECK (action IN ({_ACTIONS})),
    span_id bigint,
    before {T} CONSTRAINT "json_valid(before)" CHECK (before IS NULL OR tui_json_valid(before)),
    after {T} CONSTRAINT "json_valid(after)" CHECK (after IS NULL OR tui_json_valid(after)),
    target_event_id bigint REFERENCES events (id)
);
CREATE INDEX events_by_annotator_document ON events (annotator, document_id, id);
CREATE INDEX events_by_target ON events (target_event_id) WHERE target_event_id IS NOT NULL;
CREATE INDEX events_label_renames ON events (id) WHERE action = 'label_rename';
CREATE INDEX events_by_link_child ON events (annotator, json_extract(coalesce(after, before), '$.child_document_id'), id)
WHERE json_extract(coalesce(after, before), '$.child_document_id') IS NOT NULL;

CREATE FUNCTION tui_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
FOR EACH ROW EXECUTE FUNCTION tui_events_append_only();
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
FOR EACH ROW EXECUTE FUNCTION tui_events_append_only();
CREATE FUNCTION tui_events_document_required() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events: only label edits (label_*) belong to no document'
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER events_document_required BEFORE INSERT ON events
FOR EACH ROW WHEN (NEW.document_id IS NULL AND substr(NEW.action, 1, 6) <> 'label_')
EXECUTE FUNCTION tui_events_document_required();

CREATE TABLE document_status (
    document_id {T} NOT NULL REFERENCES documents (id),
    annotator {T} NOT NULL,
    status {T} NOT NULL CHECK (status IN ({_STATUSES})),
    updated_at {T} NOT NULL,
    PRIMARY KEY (document_id, annotator)
);

CREATE VIEW spans_with_documents AS
SELECT
    spans.id, spans.document_id, documents.title AS document_title, documents.language, documents.direction,
    spans.annotator, spans.label, spans.start, spans."end", spans.text, spans.created_at, spans.updated_at
FROM spans JOIN documents ON documents.id = spans.document_id;

{_labelled_ranges_table("candidates", "source", _META)}
CREATE INDEX candidates_by_source ON candidates (source, document_id);

CREATE TABLE candidate_decisions (
    document_id {T} NOT NULL REFERENCES documents (id),
    annotator {T} NOT NULL,
    label {T} NOT NULL REFERENCES labels (name) ON UPDATE CASCADE,
    start bigint NOT NULL,
    "end" bigint NOT NULL,
    decision {T} NOT NULL CHECK (decision IN ('accept', 'reject')),
    source {T} NOT NULL,
    event_id bigint NOT NULL REFERENCES events (id),
    decided_at {T} NOT NULL,
    PRIMARY KEY (document_id, annotator, label, start, "end")
);

CREATE TABLE link_labels (
    name {T} PRIMARY KEY CHECK (name <> ''),
    key {T} UNIQUE,
    colour {T} NOT NULL,
    description {T} NOT NULL DEFAULT '',
    transitive bigint NOT NULL DEFAULT 0 CHECK (transitive IN (0, 1)),
    "symmetric" bigint NOT NULL DEFAULT 0 CHECK ("symmetric" IN (0, 1)),  -- a reserved word in PostgreSQL
    position bigint NOT NULL DEFAULT 0
);
CREATE TABLE links (
    id bigint PRIMARY KEY,
    annotator {T} NOT NULL CHECK (annotator <> ''),
    label {T} NOT NULL REFERENCES link_labels (name) ON UPDATE CASCADE,
    head_span_id bigint NOT NULL REFERENCES spans (id),
    child_span_id bigint NOT NULL REFERENCES spans (id),
    created_at {T} NOT NULL,
    updated_at {T} NOT NULL,
    CHECK (head_span_id <> child_span_id),
    UNIQUE (head_span_id, child_span_id, label)
);
CREATE INDEX links_by_child ON links (child_span_id);
CREATE INDEX links_by_annotator ON links (annotator, label);

-- span_texts: one row per distinct (text, label) of spans, kept exact by triggers. A span's text
-- may be longer than a b-tree entry can be, so uniqueness is on md5(text) and lookups by text use
-- a hash index.
CREATE TABLE span_texts (
    text {T} NOT NULL,
    label {T} NOT NULL,
    n bigint NOT NULL CHECK (n > 0),
    key {T},
    tokens bigint,
    key_hash bigint,
    first_hash bigint
);
CREATE UNIQUE INDEX span_texts_text_label ON span_texts (label, md5(text));
CREATE INDEX span_texts_by_text ON span_texts USING hash (text);
CREATE INDEX span_texts_unkeyed ON span_texts (label) WHERE key IS NULL;
CREATE INDEX span_texts_by_hash ON span_texts (key_hash) WHERE key_hash IS NOT NULL;
CREATE INDEX span_texts_by_first ON span_texts (first_hash, tokens) WHERE first_hash IS NOT NULL;

CREATE FUNCTION tui_span_texts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM span_texts WHERE label = OLD.label AND md5(text) = md5(OLD.text) AND text = OLD.text AND n <= 1;
        UPDATE span_texts SET n = n - 1 WHERE label = OLD.label AND md5(text) = md5(OLD.text) AND text = OLD.text;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO span_texts (text, label, n) VALUES (NEW.text, NEW.label, 1)
        ON CONFLICT (label, md5(text)) DO UPDATE SET n = span_texts.n + 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER span_texts_insert AFTER INSERT ON spans FOR EACH ROW EXECUTE FUNCTION tui_span_texts();
CREATE TRIGGER span_texts_delete AFTER DELETE ON spans FOR EACH ROW EXECUTE FUNCTION tui_span_texts();
CREATE TRIGGER span_texts_update AFTER UPDATE OF text, label ON spans FOR EACH ROW
WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.label IS DISTINCT FROM NEW.label)
EXECUTE FUNCTION tui_span_texts();

CREATE TABLE suggest_state (
    name {T} PRIMARY KEY,
    value {T} NOT NULL
);

CREATE TABLE patterns (
    id bigint PRIMARY KEY,
    label {T} NOT NULL REFERENCES labels (name) ON UPDATE CASCADE,
    pattern {T} NOT NULL,
    kind {T} NOT NULL CHECK (kind IN ('text', 'tokens')),
    key {T} NOT NULL,
    source {T} NOT NULL DEFAULT '',
    created_at {T} NOT NULL,
    UNIQUE (key, label)
);

CREATE TABLE view_directions (
    document_id {T} NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    paragraph bigint NOT NULL CHECK (paragraph >= -1),
    direction {T} NOT NULL CHECK (direction IN ('ltr', 'rtl')),
    annotator {T} NOT NULL,
    updated_at {T} NOT NULL,
    PRIMARY KEY (document_id, paragraph)
);

-- SQLite's documents_fts: the words of title and text as FTS5's unicode61 tokenizer makes them
-- (tui.store.search.search_body), written by the store when a document is inserted.
CREATE TABLE documents_search (
    document_id {T} PRIMARY KEY REFERENCES documents (id),
    body {T} NOT NULL
);
""" + "".join(
    f"CREATE TRIGGER {table}_id BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION tui_next_id();\n"
    f"CREATE CONSTRAINT TRIGGER {table}_id_flush AFTER INSERT ON {table} DEFERRABLE INITIALLY DEFERRED "
    "FOR EACH ROW EXECUTE FUNCTION tui_flush_id();\n"
    for table in _AUTOINCREMENT
)

TRIGRAM_INDEXES = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX documents_search_words ON documents_search USING gin (body gin_trgm_ops);
CREATE INDEX documents_title_folded ON documents USING gin (title_folded gin_trgm_ops);
"""
"""Fast LIKE '%...%' for the picker's searches, when the pg_trgm extension can be created (it is a
trusted extension: any database owner may); without it the same queries scan, with the same rows."""


def _statements(script: str) -> list[str]:
    """Split a DDL script on the semicolons that end statements (not those inside $$ bodies)."""
    parts: list[str] = []
    buffer: list[str] = []
    in_body = False
    for line in script.splitlines():
        if not buffer and (not line.strip() or line.strip().startswith("--")):
            continue
        buffer.append(line)
        if line.count("$$") % 2:
            in_body = not in_body
        if not in_body and line.rstrip().endswith(";"):
            parts.append("\n".join(buffer).rstrip().rstrip(";"))
            buffer = []
    if buffer:
        parts.append("\n".join(buffer))
    return parts


SEED_LINK_LABELS = """INSERT INTO link_labels (name, key, colour, description, transitive, "symmetric", position) VALUES
    ('same_entity', 'e', '#5fafff', 'The two spans name the same person, organisation, place or thing.', 1, 1, 0),
    ('same_claim', 'c', '#ffaf5f', 'The two spans make the same claim.', 1, 1, 1),
    ('contradicts', 'x', '#ff5f5f', 'The two spans make claims that cannot both be true.', 0, 1, 2),
    ('supports', 's', '#87d787', 'The head span gives evidence for the child span.', 0, 0, 3)"""


def seed_rows(conn: PgConnection) -> None:
    """The rows a new database starts with (SQLite's migrations 1 and 4 add the same)."""
    for position, (name, key, colour, description) in enumerate(DEFAULT_LABELS):
        conn.execute("INSERT INTO labels (name, key, colour, description, position) VALUES (?, ?, ?, ?, ?)",
                     (name, key, colour, description, position))
    conn.raw.execute(SEED_LINK_LABELS)
