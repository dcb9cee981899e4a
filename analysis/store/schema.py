"""SQLite schema of the corpus and its migrations (``PRAGMA user_version``).

Every table below a document cascades on delete, and the FTS5 trigram index over statements is
kept in sync by triggers, so any write done inside one transaction stays consistent.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

SCHEMA_VERSION = 4


class SchemaError(RuntimeError):
    """The corpus file was written by a newer version of this program."""


_SCHEMA_V1 = """
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    format      TEXT NOT NULL,
    encoding    TEXT,
    size        INTEGER NOT NULL,
    raw         BLOB NOT NULL,
    text        TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE meetings (
    id                INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    title             TEXT NOT NULL,
    series            TEXT,
    number            INTEGER,
    document_kind     TEXT,
    date              TEXT,
    start_time        TEXT,
    end_time          TEXT,
    venue             TEXT,
    parser_version    TEXT NOT NULL,
    tokenizer_version TEXT NOT NULL,
    rules_version     TEXT NOT NULL
);
CREATE TABLE agenda (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    title      TEXT NOT NULL,
    presenters TEXT NOT NULL
);
CREATE INDEX agenda_meeting ON agenda(meeting_id);
CREATE TABLE sections (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    local_id        INTEGER NOT NULL,
    title           TEXT NOT NULL,
    parent_local_id INTEGER,
    root_id         INTEGER NOT NULL,
    UNIQUE (meeting_id, local_id)
);
CREATE TABLE turns (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    "order"        INTEGER NOT NULL,
    section_local_id INTEGER,
    section_id     INTEGER REFERENCES sections(id) ON DELETE SET NULL,
    speaker        TEXT NOT NULL,
    org_name       TEXT NOT NULL,
    org_kind       TEXT NOT NULL,
    org_code       TEXT,
    region         TEXT,
    role           TEXT NOT NULL,
    reply_to       INTEGER REFERENCES turns(id) ON DELETE SET NULL,
    UNIQUE (meeting_id, "order")
);
CREATE INDEX turns_section ON turns(section_id);
CREATE INDEX turns_reply ON turns(reply_to);
CREATE TABLE statements (
    id        INTEGER PRIMARY KEY,
    turn_id   INTEGER NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    text      TEXT NOT NULL,
    norm_text TEXT NOT NULL,
    chars     INTEGER NOT NULL,
    UNIQUE (turn_id, position)
);
CREATE TABLE notes (
    id               INTEGER PRIMARY KEY,
    meeting_id       INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    section_local_id INTEGER,
    text             TEXT NOT NULL
);
CREATE INDEX notes_meeting ON notes(meeting_id);
CREATE TABLE warnings (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    text       TEXT NOT NULL
);
CREATE INDEX warnings_meeting ON warnings(meeting_id);
-- Tokens are packed one row per statement: the unit separator (U+001F) joins the n kept tokens'
-- terms, surfaces and parts of speech. Loading splits three long strings instead of building
-- one Python row per token (see benchmarks/bench_ingest.py and the store's module docstring).
CREATE TABLE statement_tokens (
    statement_id INTEGER PRIMARY KEY REFERENCES statements(id) ON DELETE CASCADE,
    n            INTEGER NOT NULL,
    terms        TEXT NOT NULL,
    surfaces     TEXT NOT NULL,
    pos          TEXT NOT NULL
);
CREATE TABLE statement_topics (
    statement_id INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    topic        TEXT NOT NULL,
    PRIMARY KEY (statement_id, position)
);
CREATE INDEX statement_topics_topic ON statement_topics(topic);
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE VIRTUAL TABLE statements_fts USING fts5(
    text, norm_text, content='statements', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts(rowid, text, norm_text) VALUES (new.id, new.text, new.norm_text);
END;
CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, text, norm_text)
    VALUES ('delete', old.id, old.text, old.norm_text);
END;
CREATE TRIGGER statements_fts_update AFTER UPDATE OF text, norm_text ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, text, norm_text)
    VALUES ('delete', old.id, old.text, old.norm_text);
    INSERT INTO statements_fts(rowid, text, norm_text) VALUES (new.id, new.text, new.norm_text);
END;
"""

# Version 2: corrections a person made before saving a document (JSON of title, series, number,
# date; re-applied whenever the document is re-parsed) and speaker label -> organization mappings
# (keyed by ``analysis.orgs.label_key``; used for every document parsed afterwards).
_SCHEMA_V2 = """
ALTER TABLE documents ADD COLUMN overrides TEXT NOT NULL DEFAULT '{}';
CREATE TABLE speaker_mappings (
    label_key  TEXT PRIMARY KEY,
    label      TEXT NOT NULL,
    org_name   TEXT NOT NULL,
    org_kind   TEXT NOT NULL,
    org_code   TEXT,
    region     TEXT,
    updated_at TEXT NOT NULL
);
"""

# Version 3: what the parser understood of each meeting (model.Quality as JSON; '{}' for meetings
# not yet re-parsed), agenda sub-items and (非公開) marks, closed sections.
_SCHEMA_V3 = """
ALTER TABLE meetings ADD COLUMN quality TEXT NOT NULL DEFAULT '{}';
ALTER TABLE agenda ADD COLUMN parent_position INTEGER;
ALTER TABLE agenda ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sections ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
"""

# Version 4: the user's word on who a speaker label is (analysis.speaker_identity, keyed by
# ``analysis.orgs.label_key``): the same person as the label ``target_label``, or, when
# ``target_key`` is NULL, 別人として扱う (no automatic merge). Applied when statements are loaded,
# so nothing needs re-deriving.
_SCHEMA_V4 = """
CREATE TABLE speaker_identities (
    label_key    TEXT PRIMARY KEY,
    label        TEXT NOT NULL,
    target_key   TEXT,
    target_label TEXT,
    updated_at   TEXT NOT NULL
);
"""

#: Migration scripts; entry i brings the database from user_version i to i + 1.
MIGRATIONS: list[str] = [_SCHEMA_V1, _SCHEMA_V2, _SCHEMA_V3, _SCHEMA_V4]


def connect(db_path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) the corpus database with WAL, foreign keys and a busy timeout."""
    path = Path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, timeout=30.0, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn)
    return conn


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the pending migrations, each in its own write transaction."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise SchemaError(
            f"コーパスのスキーマ版 {current} はこのプログラム（{SCHEMA_VERSION}）より新しいため開けません"
        )
    while current < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version != current:
                conn.execute("ROLLBACK")
                current = version
                continue
            for statement in _split_script(MIGRATIONS[current]):
                conn.execute(statement)
            if current == 0:
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('corpus_uuid', ?), ('generation', '0')",
                    (uuid.uuid4().hex,),
                )
            conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        current += 1


def _split_script(script: str) -> list[str]:
    """Split a DDL script into complete statements (triggers contain inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
