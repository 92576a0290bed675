"""Schema and migrations.

The schema version lives in ``PRAGMA user_version``. Each migration is a recorded step
(version, name, SQL) applied inside the opening transaction together with the bump of
``user_version`` and a row in ``schema_migrations``, so a crash leaves either the old
or the new schema, never half of one.
"""

from __future__ import annotations

from dataclasses import dataclass

# (name, key, colour, description): the labels a fresh database starts with.
DEFAULT_LABELS: tuple[tuple[str, str, str, str], ...] = (
    ("entity", "e", "#5fafff", "A named person, organisation, place or thing."),
    ("claim", "c", "#ffaf5f", "A statement presented as fact that could be checked."),
    ("date", "d", "#87d787", "A date, time or period."),
)

# Colours given to labels that arrive with imported data (cycled, 256-colour friendly).
EXTRA_LABEL_COLOURS: tuple[str, ...] = (
    "#d787d7", "#5fd7d7", "#d7d75f", "#ff8787", "#87afff", "#afd787", "#d7af87", "#af87ff",
)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


SCHEMA_V1 = """
CREATE TABLE schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

CREATE TABLE documents (
    seq INTEGER PRIMARY KEY,                 -- import order; the app lists documents by it
    id TEXT NOT NULL UNIQUE,                 -- first 16 hex digits of text_sha256
    title TEXT NOT NULL,
    title_folded TEXT NOT NULL,              -- title casefolded without diacritics, for search
    text TEXT NOT NULL,                      -- NFC; offsets are code-point indices into it
    language TEXT NOT NULL,                  -- 'vi', 'ar', ... or 'und'
    direction TEXT NOT NULL CHECK (direction IN ('ltr', 'rtl')),
    length INTEGER NOT NULL CHECK (length >= 0),   -- len(text) in code points
    source TEXT,                             -- the file it was first imported from
    text_sha256 TEXT NOT NULL UNIQUE,
    imported_at TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta))
);
-- Paging and searching the document list reads this index only, never the text.
CREATE INDEX documents_listing ON documents (seq, id, title, title_folded, language, direction, length);

CREATE TABLE labels (
    name TEXT PRIMARY KEY CHECK (name <> ''),
    key TEXT UNIQUE,
    colour TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE spans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,    -- never reused, so undoing a delete restores the id
    document_id TEXT NOT NULL REFERENCES documents (id),
    annotator TEXT NOT NULL CHECK (annotator <> ''),
    label TEXT NOT NULL REFERENCES labels (name) ON UPDATE CASCADE,
    start INTEGER NOT NULL CHECK (start >= 0),
    "end" INTEGER NOT NULL CHECK ("end" > start),
    text TEXT NOT NULL,                      -- documents.text[start:end], checked on write and export
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (document_id, annotator, label, start, "end")
);
-- One annotator's spans; also serves `tui stats` (counts by annotator and label) without a sort.
CREATE INDEX spans_by_annotator ON spans (annotator, label, document_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    annotator TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents (id),
    action TEXT NOT NULL CHECK (action IN ('add', 'delete', 'relabel', 'resize', 'undo', 'redo', 'status')),
    span_id INTEGER,                         -- no foreign key: the span may since have been deleted
    before TEXT CHECK (before IS NULL OR json_valid(before)),
    after TEXT CHECK (after IS NULL OR json_valid(after)),
    target_event_id INTEGER REFERENCES events (id)   -- for undo/redo: the action undone/re-done
);
CREATE INDEX events_by_annotator_document ON events (annotator, document_id, id);
CREATE INDEX events_by_target ON events (target_event_id) WHERE target_event_id IS NOT NULL;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;

CREATE TABLE document_status (
    document_id TEXT NOT NULL REFERENCES documents (id),
    annotator TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'done', 'skipped')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (document_id, annotator)
);

CREATE VIEW spans_with_documents AS
SELECT
    spans.id,
    spans.document_id,
    documents.title AS document_title,
    documents.language,
    documents.direction,
    spans.annotator,
    spans.label,
    spans.start,
    spans."end",
    spans.text,
    spans.created_at,
    spans.updated_at
FROM spans JOIN documents ON documents.id = spans.document_id;
"""

# Every action the events table accepts. Round 2 adds candidate decisions, links, label edits
# and view settings, so their features can record events without rebuilding the table again.
EVENT_ACTIONS: tuple[str, ...] = (
    "add", "delete", "relabel", "resize", "undo", "redo", "status",
    "accept", "reject",
    "link_add", "link_delete", "link_relabel",
    "label_add", "label_rename", "label_update", "label_delete",
    "view",
)

_ACTION_LIST = ", ".join(f"'{action}'" for action in EVENT_ACTIONS)

# SQLite cannot change a CHECK in place: the table is rebuilt (same rows, same ids). The copy's
# self-reference names the copy, so dropping the old table leaves no dangling key (foreign_keys
# cannot be switched off inside the migration's transaction); the rename rewrites it to `events`.
EVENTS_V2 = f"""
CREATE TABLE events_v2 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    annotator TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents (id),
    action TEXT NOT NULL CHECK (action IN ({_ACTION_LIST})),
    span_id INTEGER,                         -- no foreign key: the span may since have been deleted
    before TEXT CHECK (before IS NULL OR json_valid(before)),
    after TEXT CHECK (after IS NULL OR json_valid(after)),
    target_event_id INTEGER REFERENCES events_v2 (id)   -- for undo/redo: the action undone/re-done
);
INSERT INTO events_v2 (id, created_at, annotator, document_id, action, span_id, before, after, target_event_id)
SELECT id, created_at, annotator, document_id, action, span_id, before, after, target_event_id FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
CREATE INDEX events_by_annotator_document ON events (annotator, document_id, id);
CREATE INDEX events_by_target ON events (target_event_id) WHERE target_event_id IS NOT NULL;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;
"""

# Candidates (tui.store.candidates): what a process proposed (nobody's spans), and what each
# annotator decided about a proposed range, so a rejected one is never offered again.
CANDIDATES_V3 = """
CREATE TABLE candidates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id TEXT NOT NULL REFERENCES documents (id),
    source TEXT NOT NULL CHECK (source <> ''),   -- the process that proposed it, e.g. 'suggest:dates'
    label TEXT NOT NULL REFERENCES labels (name) ON UPDATE CASCADE,
    start INTEGER NOT NULL CHECK (start >= 0),
    "end" INTEGER NOT NULL CHECK ("end" > start),
    text TEXT NOT NULL,                      -- documents.text[start:end]
    created_at TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),   -- e.g. the rule or score behind it
    UNIQUE (document_id, source, label, start, "end")
);
CREATE INDEX candidates_by_source ON candidates (source, document_id);

CREATE TABLE candidate_decisions (
    document_id TEXT NOT NULL REFERENCES documents (id),
    annotator TEXT NOT NULL,                 -- who decided
    label TEXT NOT NULL REFERENCES labels (name) ON UPDATE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
    source TEXT NOT NULL,                    -- the source it was taken from (an annotator or a process)
    event_id INTEGER NOT NULL REFERENCES events (id),   -- the accept/reject event
    decided_at TEXT NOT NULL,
    PRIMARY KEY (document_id, annotator, label, start, "end")
);
"""

# Links between spans (issue 13): same entity / same claim / contradicts / supports, usually across
# articles. A link joins two spans of its own annotator. Transitive labels (same_entity, same_claim)
# make clusters; symmetric ones treat (head, child) as unordered. The partial expression index lets
# undo in either article of a link find it (link events are filed under the head's document and
# name the child's document in their JSON state).
LINKS_V4 = """
CREATE TABLE link_labels (
    name TEXT PRIMARY KEY CHECK (name <> ''),
    key TEXT UNIQUE,                         -- the key that picks this label when a link is made
    colour TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    transitive INTEGER NOT NULL DEFAULT 0 CHECK (transitive IN (0, 1)),
    symmetric INTEGER NOT NULL DEFAULT 0 CHECK (symmetric IN (0, 1)),
    position INTEGER NOT NULL DEFAULT 0
);
INSERT INTO link_labels (name, key, colour, description, transitive, symmetric, position) VALUES
    ('same_entity', 'e', '#5fafff', 'The two spans name the same person, organisation, place or thing.', 1, 1, 0),
    ('same_claim', 'c', '#ffaf5f', 'The two spans make the same claim.', 1, 1, 1),
    ('contradicts', 'x', '#ff5f5f', 'The two spans make claims that cannot both be true.', 0, 1, 2),
    ('supports', 's', '#87d787', 'The head span gives evidence for the child span.', 0, 0, 3);

CREATE TABLE links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,    -- never reused, so undoing a delete restores the id
    annotator TEXT NOT NULL CHECK (annotator <> ''),
    label TEXT NOT NULL REFERENCES link_labels (name) ON UPDATE CASCADE,
    head_span_id INTEGER NOT NULL REFERENCES spans (id),
    child_span_id INTEGER NOT NULL REFERENCES spans (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (head_span_id <> child_span_id),
    UNIQUE (head_span_id, child_span_id, label)
);
CREATE INDEX links_by_child ON links (child_span_id);
CREATE INDEX links_by_annotator ON links (annotator, label);
CREATE INDEX events_by_link_child ON events (annotator, json_extract(coalesce(after, before), '$.child_document_id'), id)
WHERE json_extract(coalesce(after, before), '$.child_document_id') IS NOT NULL;
"""

# tui_fold() is tui.folding.fold, registered on every connection (connection.connect).
TITLE_FOLD_V5 = """
UPDATE documents SET title_folded = tui_fold(title) WHERE title_folded IS NOT tui_fold(title);
"""

# Label edits (`tui labels`) are events of the whole database, not of one document: events.document_id
# becomes nullable. Dropping a NOT NULL is done in place (tui.store.labels.allow_label_events, run by
# this step: SQLite's documented writable_schema procedure; no row changes): rebuilding the table
# would trip the foreign keys of the tables that reference events (candidate_decisions).
EVENTS_V6 = """
CREATE INDEX events_label_renames ON events (id) WHERE action = 'label_rename';
CREATE TRIGGER events_document_required BEFORE INSERT ON events
WHEN NEW.document_id IS NULL AND substr(NEW.action, 1, 6) <> 'label_'
BEGIN SELECT RAISE(ABORT, 'events: only label edits (label_*) belong to no document'); END;
"""

# Suggestions (issue 14). `span_texts` counts every distinct (text, label) in `spans`, kept exact by
# triggers whatever writes the spans (the app, imports, other tools); `key` is the folded match key
# tui.suggest computes (NULL until a suggestion run fills it; `suggest_state` names the folding
# version the keys were made with). `patterns` holds imported gazetteer entries and token patterns.
SUGGEST_V7 = """
CREATE TABLE span_texts (
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    n INTEGER NOT NULL CHECK (n > 0),        -- spans with this text and label
    key TEXT,                                -- folded match key, NULL until filled
    tokens INTEGER,                          -- tokens in key
    PRIMARY KEY (text, label)
) WITHOUT ROWID;
CREATE INDEX span_texts_by_key ON span_texts (key) WHERE key IS NOT NULL;
CREATE INDEX span_texts_unkeyed ON span_texts (text) WHERE key IS NULL;
CREATE INDEX span_texts_by_tokens ON span_texts (tokens) WHERE tokens IS NOT NULL;
INSERT INTO span_texts (text, label, n) SELECT text, label, count(*) FROM spans GROUP BY text, label;

CREATE TRIGGER span_texts_insert AFTER INSERT ON spans
BEGIN
    INSERT INTO span_texts (text, label, n) VALUES (NEW.text, NEW.label, 1)
    ON CONFLICT (text, label) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER span_texts_delete AFTER DELETE ON spans
BEGIN
    DELETE FROM span_texts WHERE text = OLD.text AND label = OLD.label AND n <= 1;
    UPDATE span_texts SET n = n - 1 WHERE text = OLD.text AND label = OLD.label;
END;
CREATE TRIGGER span_texts_update AFTER UPDATE OF text, label ON spans
WHEN OLD.text IS NOT NEW.text OR OLD.label IS NOT NEW.label
BEGIN
    DELETE FROM span_texts WHERE text = OLD.text AND label = OLD.label AND n <= 1;
    UPDATE span_texts SET n = n - 1 WHERE text = OLD.text AND label = OLD.label;
    INSERT INTO span_texts (text, label, n) VALUES (NEW.text, NEW.label, 1)
    ON CONFLICT (text, label) DO UPDATE SET n = n + 1;
END;

CREATE TABLE suggest_state (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE patterns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    label TEXT NOT NULL REFERENCES labels (name) ON UPDATE CASCADE,
    pattern TEXT NOT NULL,                   -- the string, or the token list as JSON (kind 'tokens')
    kind TEXT NOT NULL CHECK (kind IN ('text', 'tokens')),
    key TEXT NOT NULL,                       -- folded match key (recomputed when read)
    source TEXT NOT NULL DEFAULT '',         -- FILE:LINE it was imported from
    created_at TEXT NOT NULL,
    UNIQUE (key, label)
);
"""

# A reader's display overrides (tui.store.view_directions): the text is never changed.
VIEW_DIRECTIONS_V8 = """
CREATE TABLE view_directions (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    paragraph INTEGER NOT NULL CHECK (paragraph >= -1),  -- line of the text, from 0; -1 = the whole document
    direction TEXT NOT NULL CHECK (direction IN ('ltr', 'rtl')),  -- shown this way; no row = auto (UAX #9 P2-P3)
    annotator TEXT NOT NULL,                  -- who set it last (the setting belongs to the document)
    updated_at TEXT NOT NULL,
    PRIMARY KEY (document_id, paragraph)
) WITHOUT ROWID;
"""

# Suggestions, faster lookups: every key also as 61-bit hashes (tui.suggest.propagate: the whole key,
# and its first token with the entry's token count), so one article's candidate keys are integer
# probes. Keys are recomputed (NULL again) with the hashes.
SUGGEST_HASHES_V9 = """
DROP INDEX span_texts_by_key;
DROP INDEX span_texts_by_tokens;
ALTER TABLE span_texts ADD COLUMN key_hash INTEGER;
ALTER TABLE span_texts ADD COLUMN first_hash INTEGER;
UPDATE span_texts SET key = NULL, tokens = NULL WHERE key IS NOT NULL;
DELETE FROM suggest_state WHERE name = 'key_version';
CREATE INDEX span_texts_by_hash ON span_texts (key_hash) WHERE key_hash IS NOT NULL;
CREATE INDEX span_texts_by_first ON span_texts (first_hash, tokens) WHERE first_hash IS NOT NULL;
"""

# The picker's search of article text (tui.store.search): an FTS5 index kept in step by triggers.
from tui.store.search import FTS_SCHEMA as FTS_V10  # noqa: E402
# ... which may lag behind the documents, built after a big import (tui index, the app's background job).
from tui.store.search import FTS_DEFERRED_V11  # noqa: E402

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema: documents, labels, spans, events, document_status", SCHEMA_V1),
    Migration(2, "events: actions for candidates, links, label edits and view settings", EVENTS_V2),
    Migration(3, "candidates from processes and annotators' accept/reject decisions", CANDIDATES_V3),
    Migration(4, "links between spans and their labels", LINKS_V4),
    Migration(5, "title_folded recomputed with tui.folding (Arabic letter variants, digits)", TITLE_FOLD_V5),
    Migration(6, "events: label edits belong to no document (nullable document_id)", EVENTS_V6),
    Migration(7, "suggestions: counts of tagged strings (span_texts), patterns", SUGGEST_V7),
    Migration(8, "reading-direction overrides per document and paragraph (display only)", VIEW_DIRECTIONS_V8),
    Migration(9, "suggestions: span_texts keys as hashes (key_hash, first_hash)", SUGGEST_HASHES_V9),
    Migration(10, "full-text search of titles and article text (documents_fts, FTS5, triggers)", FTS_V10),
    Migration(11, "full-text index built after big imports (triggers index only the next document in order)",
              FTS_DEFERRED_V11),
)

SCHEMA_VERSION: int = MIGRATIONS[-1].version
