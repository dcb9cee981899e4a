"""SQL writes of the store. Callers wrap each group of calls in one ``BEGIN IMMEDIATE`` transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime

from analysis.model import Organization, ParsedDocument, Section
from analysis.orgs import label_key
from analysis.store.pipeline import TokenTuple, Versions

#: Joins a statement's tokens in the packed ``statement_tokens`` columns.
SEP = "\x1f"


def begin(conn: sqlite3.Connection) -> None:
    """Start a write transaction, taking the write lock now (waits up to the busy timeout)."""
    conn.execute("BEGIN IMMEDIATE")


def document_id_for(conn: sqlite3.Connection, sha256: str) -> int | None:
    """The id of the stored document with these bytes, if any."""
    row = conn.execute("SELECT id FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    return None if row is None else int(row[0])


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def insert_document(
    conn: sqlite3.Connection,
    *,
    sha256: str,
    name: str,
    fmt: str,
    encoding: str | None,
    raw: bytes,
    text: str,
    overrides: str = "{}",
) -> int:
    """Store a source document (its original bytes, extracted text and corrections); returns its id."""
    cur = conn.execute(
        "INSERT INTO documents(sha256, name, format, encoding, size, raw, text, ingested_at, overrides)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sha256, name, fmt, encoding, len(raw), raw, text, _now(), overrides),
    )
    return int(cur.lastrowid)


def speaker_mappings(conn: sqlite3.Connection) -> dict[str, Organization]:
    """Stored speaker mappings: ``label_key`` -> Organization."""
    return {
        key: Organization(name=name, kind=kind, code=code, region=region)
        for key, name, kind, code, region in conn.execute(
            "SELECT label_key, org_name, org_kind, org_code, region FROM speaker_mappings"
        )
    }


def upsert_mappings(conn: sqlite3.Connection, mappings: Mapping[str, Organization]) -> set[str]:
    """Store speaker label -> organization mappings; returns the label keys that changed."""
    existing = speaker_mappings(conn)
    rows = []
    for label, org in mappings.items():
        key = label_key(label)
        if not key or existing.get(key) == org:
            continue
        rows.append((key, label, org.name, org.kind, org.code, org.region, _now()))
    conn.executemany(
        "INSERT INTO speaker_mappings(label_key, label, org_name, org_kind, org_code, region, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(label_key) DO UPDATE SET label = excluded.label,"
        " org_name = excluded.org_name, org_kind = excluded.org_kind, org_code = excluded.org_code,"
        " region = excluded.region, updated_at = excluded.updated_at",
        rows,
    )
    return {row[0] for row in rows}


#: parser_version of meetings marked for re-parsing (a speaker mapping changed, or a person asked
#: for a full re-derivation): never a real version, so the next rederive re-parses them.
MAPPING_STALE = "stale"


def mark_speakers_stale(conn: sqlite3.Connection, keys: set[str], except_meeting: int | None = None) -> int:
    """Mark the meetings with a speaker whose label key is in ``keys`` for re-parsing; returns how many."""
    if not keys:
        return 0
    affected = {
        mid
        for mid, speaker in conn.execute("SELECT DISTINCT meeting_id, speaker FROM turns")
        if mid != except_meeting and label_key(speaker) in keys
    }
    conn.executemany(
        "UPDATE meetings SET parser_version = ? WHERE id = ?",
        [(MAPPING_STALE, mid) for mid in sorted(affected)],
    )
    return len(affected)


def upsert_meeting(
    conn: sqlite3.Connection, meeting_id: int, doc: ParsedDocument, versions: Versions
) -> None:
    """Insert or replace the meetings row (same id as its document)."""
    m = doc.meeting
    conn.execute(
        "INSERT INTO meetings(id, title, series, number, document_kind, date, start_time, end_time, venue,"
        " parser_version, tokenizer_version, rules_version, quality)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET title = excluded.title, series = excluded.series,"
        " number = excluded.number, document_kind = excluded.document_kind, date = excluded.date,"
        " start_time = excluded.start_time, end_time = excluded.end_time, venue = excluded.venue,"
        " parser_version = excluded.parser_version, tokenizer_version = excluded.tokenizer_version,"
        " rules_version = excluded.rules_version, quality = excluded.quality",
        (
            meeting_id,
            m.title,
            m.series,
            m.number,
            m.document_kind,
            m.date,
            m.start_time,
            m.end_time,
            m.venue,
            versions.parser,
            versions.tokenizer,
            versions.rules,
            doc.quality.to_json(),
        ),
    )


def set_meeting_quality(conn: sqlite3.Connection, meeting_id: int, doc: ParsedDocument) -> None:
    """Store what the parser understood of the meeting (after a person's corrections)."""
    conn.execute("UPDATE meetings SET quality = ? WHERE id = ?", (doc.quality.to_json(), meeting_id))


def set_meeting_versions(conn: sqlite3.Connection, meeting_id: int, versions: Versions) -> None:
    """Record which code versions derived the meeting's rows."""
    conn.execute(
        "UPDATE meetings SET parser_version = ?, tokenizer_version = ?, rules_version = ? WHERE id = ?",
        (versions.parser, versions.tokenizer, versions.rules, meeting_id),
    )


def _next_id(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0])


def _roots(sections: list[Section]) -> dict[int, int]:
    """Local id of each section's top-level ancestor (cycles and dangling parents stop the walk)."""
    parent = {s.id: s.parent_id for s in sections}
    roots: dict[int, int] = {}
    for s in sections:
        node, seen = s.id, {s.id}
        while parent.get(node) is not None and parent[node] in parent and parent[node] not in seen:
            node = parent[node]
            seen.add(node)
        roots[s.id] = node
    return roots


def insert_meeting_content(
    conn: sqlite3.Connection,
    meeting_id: int,
    doc: ParsedDocument,
    norm_texts: list[str],
    toks: list[list[TokenTuple]],
    labels: list[tuple[str, ...]],
) -> None:
    """Insert agenda, sections, turns, statements (with tokens and topics), notes and warnings."""
    conn.executemany(
        "INSERT INTO agenda(meeting_id, position, title, presenters, parent_position, private)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (meeting_id, i, a.title, json.dumps(a.presenters, ensure_ascii=False), a.parent, int(a.private))
            for i, a in enumerate(doc.agenda)
        ],
    )
    section_ids = insert_sections(conn, meeting_id, doc.sections)
    turn_ids = insert_turns(conn, meeting_id, doc, section_ids)
    texts = [text for turn in doc.turns for text in turn.statements]
    owners = [(turn_ids[turn.order], pos) for turn in doc.turns for pos in range(len(turn.statements))]
    insert_statements(conn, owners, texts, norm_texts, toks, labels)
    conn.executemany(
        "INSERT INTO notes(meeting_id, section_local_id, text) VALUES (?, ?, ?)",
        [(meeting_id, n.section_id, n.text) for n in doc.notes],
    )
    conn.executemany(
        "INSERT INTO warnings(meeting_id, text) VALUES (?, ?)", [(meeting_id, w) for w in doc.warnings]
    )


def insert_sections(conn: sqlite3.Connection, meeting_id: int, sections: list[Section]) -> dict[int, int]:
    """Insert a meeting's sections; returns local id -> store id."""
    base = _next_id(conn, "sections")
    ids = {s.id: base + i for i, s in enumerate(sections)}
    roots = _roots(sections)
    conn.executemany(
        "INSERT INTO sections(id, meeting_id, local_id, title, parent_local_id, root_id, private)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(ids[s.id], meeting_id, s.id, s.title, s.parent_id, ids[roots[s.id]], int(s.private)) for s in sections],
    )
    return ids


def insert_turns(
    conn: sqlite3.Connection, meeting_id: int, doc: ParsedDocument, section_ids: dict[int, int]
) -> dict[int, int]:
    """Insert a meeting's turns (reply_to resolved to store ids); returns turn order -> store id."""
    base = _next_id(conn, "turns")
    ids = {t.order: base + i for i, t in enumerate(doc.turns)}
    rows = []
    for t in doc.turns:
        org = t.organization
        rows.append(
            (
                ids[t.order],
                meeting_id,
                t.order,
                t.section_id,
                section_ids.get(t.section_id) if t.section_id is not None else None,
                t.speaker,
                org.name,
                org.kind,
                org.code,
                org.region,
                t.role,
                ids.get(t.reply_to) if t.reply_to is not None else None,
            )
        )
    conn.executemany(
        'INSERT INTO turns(id, meeting_id, "order", section_local_id, section_id, speaker, org_name, org_kind,'
        " org_code, region, role, reply_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return ids


def insert_statements(
    conn: sqlite3.Connection,
    owners: list[tuple[int, int]],
    texts: list[str],
    norm_texts: list[str],
    toks: list[list[TokenTuple]],
    labels: list[tuple[str, ...]],
) -> list[int]:
    """Insert statements ((turn id, position) each) with their tokens and topics; returns their ids."""
    base = _next_id(conn, "statements")
    ids = [base + i for i in range(len(texts))]
    conn.executemany(
        "INSERT INTO statements(id, turn_id, position, text, norm_text, chars) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (sid, turn_id, pos, text, norm, len(norm))
            for sid, (turn_id, pos), text, norm in zip(ids, owners, texts, norm_texts, strict=True)
        ],
    )
    insert_tokens(conn, ids, toks)
    insert_topics(conn, ids, labels)
    return ids


def insert_tokens(conn: sqlite3.Connection, statement_ids: list[int], toks: list[list[TokenTuple]]) -> None:
    """Store each statement's tokens packed in one row."""
    conn.executemany(
        "INSERT INTO statement_tokens(statement_id, n, terms, surfaces, pos) VALUES (?, ?, ?, ?, ?)",
        [
            (
                sid,
                len(ts),
                SEP.join(t[0] for t in ts),
                SEP.join(t[1] for t in ts),
                SEP.join(t[2] for t in ts),
            )
            for sid, ts in zip(statement_ids, toks, strict=True)
        ],
    )


def insert_topics(conn: sqlite3.Connection, statement_ids: list[int], labels: list[tuple[str, ...]]) -> None:
    """Store each statement's topic labels in order."""
    conn.executemany(
        "INSERT INTO statement_topics(statement_id, position, topic) VALUES (?, ?, ?)",
        [
            (sid, i, topic)
            for sid, ts in zip(statement_ids, labels, strict=True)
            for i, topic in enumerate(ts)
        ],
    )


def delete_meeting_content(conn: sqlite3.Connection, meeting_id: int) -> None:
    """Remove everything derived from a meeting's source (the document and meetings row stay)."""
    for table in ("turns", "sections", "agenda", "notes", "warnings"):
        conn.execute(f"DELETE FROM {table} WHERE meeting_id = ?", (meeting_id,))


def bump_generation(conn: sqlite3.Connection, versions: Versions) -> None:
    """Count one more change of the corpus; record the code versions when every meeting is current."""
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    stale = conn.execute(
        "SELECT 1 FROM meetings WHERE parser_version != ? OR tokenizer_version != ? OR rules_version != ? LIMIT 1",
        (versions.parser, versions.tokenizer, versions.rules),
    ).fetchone()
    if stale is None:
        conn.executemany(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [
                ("parser_version", versions.parser),
                ("tokenizer_version", versions.tokenizer),
                ("rules_version", versions.rules),
            ],
        )
