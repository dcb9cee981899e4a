"""Read side of the store: the frames.py DataFrames and full-text search."""

from __future__ import annotations

import json
import re
import sqlite3

import numpy as np
import pandas as pd

from analysis import topics as topic_rules
from analysis.frames import MEETING_COLUMNS, STATEMENT_COLUMNS, TOKEN_COLUMNS, empty_frame
from analysis.meeting_order import UNDATED, keys, meeting_sequence
from analysis.model import Quality
from analysis.normalize import normalize_text
from analysis.store.writer import SEP

UNCLASSIFIED: tuple[str, ...] = (topic_rules.UNCLASSIFIED,)

#: Chronological meeting order shared by every loader (undated meetings last).
_MEETING_ORDER = "m.date IS NULL, m.date, m.number IS NULL, m.number, m.id"

SEARCH_COLUMNS: list[str] = [
    "statement_id",
    "meeting_id",
    "meeting_label",
    "date",
    "turn_id",
    "speaker",
    "org_name",
    "text",
    "snippet",  # text around the first hit, hits wrapped in 【】
    "spans",  # tuple of (start, end) offsets of the hits in text; () when only norm_text matched
]


def meeting_label(number: int | None, date: str | None, title: str | None) -> str:
    """Short display label of a meeting: 第4回 (2023-02-14), 第2回 (日付なし), or what is known."""
    if number is not None and date:
        return f"第{number}回 ({date})"
    if number is not None:
        return f"第{number}回 ({UNDATED})"
    if date:
        return date
    return f"{title} ({UNDATED})" if title else f"（無題） ({UNDATED})"


def _sequence(conn: sqlite3.Connection) -> dict[int, int]:
    """Meeting id → reading order (analysis.meeting_order)."""
    rows = conn.execute("SELECT id, date, series, number FROM meetings").fetchall()
    if not rows:
        return {}
    return meeting_sequence(keys(*zip(*rows, strict=True)))


def load_meetings(conn: sqlite3.Connection) -> pd.DataFrame:
    """One row per meeting, chronological, with MEETING_COLUMNS."""
    rows = conn.execute(
        "SELECT m.id, m.title, m.series, m.number, m.document_kind, m.date, m.start_time, m.end_time,"
        " m.venue, d.name, d.sha256, d.format, d.encoding, d.ingested_at,"
        " (SELECT COUNT(*) FROM turns t WHERE t.meeting_id = m.id),"
        " (SELECT COUNT(*) FROM turns t JOIN statements s ON s.turn_id = t.id WHERE t.meeting_id = m.id),"
        " m.quality"
        f" FROM meetings m JOIN documents d ON d.id = m.id ORDER BY {_MEETING_ORDER}"
    ).fetchall()
    if not rows:
        return empty_frame(MEETING_COLUMNS)
    cols = list(zip(*rows, strict=True))
    data = {
        "meeting_id": np.array(cols[0], dtype="int64"),
        "title": cols[1],
        "label": [meeting_label(n, d, t) for n, d, t in zip(cols[3], cols[5], cols[1], strict=True)],
        "series": cols[2],
        "number": pd.array(cols[3], dtype="Int64"),
        "document_kind": cols[4],
        "date": cols[5],
        "start_time": cols[6],
        "end_time": cols[7],
        "venue": cols[8],
        "source_path": cols[9],
        "sha256": cols[10],
        "format": cols[11],
        "encoding": cols[12],
        "ingested_at": cols[13],
        "turns": np.array(cols[14], dtype="int64"),
        "statements": np.array(cols[15], dtype="int64"),
    }
    qualities = [Quality.from_json(raw) for raw in cols[16]]
    data["flagged"] = np.array(
        [_flagged(q, date) for q, date in zip(qualities, cols[5], strict=True)], dtype=bool
    )
    data["quality_warnings"] = pd.Series([tuple(q.warnings) if q else () for q in qualities], dtype="object")
    data["attributed_share"] = pd.array(
        [q.attributed_share if q else None for q in qualities], dtype="Float64"
    )
    sequence = _sequence(conn)
    data["meeting_seq"] = np.array([sequence[mid] for mid in cols[0]], dtype="int64")
    frame = pd.DataFrame({c: data[c] for c in MEETING_COLUMNS})
    return frame.sort_values("meeting_seq", kind="stable").reset_index(drop=True)


def _labels(conn: sqlite3.Connection) -> dict[int, str]:
    return {
        mid: meeting_label(number, date, title)
        for mid, number, date, title in conn.execute("SELECT id, number, date, title FROM meetings")
    }


def _topics(conn: sqlite3.Connection) -> dict[int, tuple[str, ...]]:
    grouped: dict[int, list[str]] = {}
    for sid, topic in conn.execute(
        "SELECT statement_id, topic FROM statement_topics ORDER BY statement_id, position"
    ):
        grouped.setdefault(sid, []).append(topic)
    return {sid: tuple(ts) for sid, ts in grouped.items()}


def load_statements(conn: sqlite3.Connection) -> pd.DataFrame:
    """One row per statement with STATEMENT_COLUMNS, ordered by date, meeting, turn order, position."""
    rows = conn.execute(
        "SELECT s.id, t.meeting_id, m.date, root.id, COALESCE(root.title, ''),"
        " CASE WHEN sec.id IS NOT NULL AND sec.id != sec.root_id THEN sec.title ELSE '' END,"
        ' t.id, t."order", t.speaker, t.org_name, t.org_kind, t.org_code, t.region, t.role, t.reply_to,'
        " s.position, s.text, s.norm_text, s.chars"
        " FROM statements s JOIN turns t ON t.id = s.turn_id JOIN meetings m ON m.id = t.meeting_id"
        " LEFT JOIN sections sec ON sec.id = t.section_id LEFT JOIN sections root ON root.id = sec.root_id"
        f' ORDER BY {_MEETING_ORDER}, t."order", s.position'
    ).fetchall()
    if not rows:
        return empty_frame(STATEMENT_COLUMNS)
    cols = list(zip(*rows, strict=True))
    labels = _labels(conn)
    topics = _topics(conn)
    data = {
        "statement_id": np.array(cols[0], dtype="int64"),
        "meeting_id": np.array(cols[1], dtype="int64"),
        "meeting_label": [labels[mid] for mid in cols[1]],
        "date": cols[2],
        "section_id": pd.array(cols[3], dtype="Int64"),
        "section_title": cols[4],
        "subsection_title": cols[5],
        "turn_id": np.array(cols[6], dtype="int64"),
        "turn_order": np.array(cols[7], dtype="int64"),
        "speaker": cols[8],  # the label as written; Corpus.load_statements makes it one person
        "speaker_label": cols[8],
        "org_name": cols[9],
        "org_kind": cols[10],
        "org_code": cols[11],
        "region": cols[12],
        "role": cols[13],
        "reply_to_turn_id": pd.array(cols[14], dtype="Int64"),
        "position": np.array(cols[15], dtype="int64"),
        "text": cols[16],
        "norm_text": cols[17],
        "chars": np.array(cols[18], dtype="int64"),
        "topics": pd.Series([topics.get(sid, UNCLASSIFIED) for sid in cols[0]], dtype="object"),
    }
    sequence = _sequence(conn)
    data["meeting_seq"] = np.array([sequence[mid] for mid in cols[1]], dtype="int64")
    frame = pd.DataFrame({c: data[c] for c in STATEMENT_COLUMNS})
    return frame.sort_values("meeting_seq", kind="stable").reset_index(drop=True)


def load_tokens(conn: sqlite3.Connection) -> pd.DataFrame:
    """One row per kept token with TOKEN_COLUMNS, by statement id then position in the statement."""
    rows = conn.execute(
        "SELECT statement_id, n, terms, surfaces, pos FROM statement_tokens WHERE n > 0 ORDER BY statement_id"
    ).fetchall()
    if not rows:
        return empty_frame(TOKEN_COLUMNS)
    ids, counts, terms, surfaces, pos = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "statement_id": np.repeat(np.array(ids, dtype="int64"), np.array(counts, dtype="int64")),
            "term": SEP.join(terms).split(SEP),
            "surface": SEP.join(surfaces).split(SEP),
            "pos": SEP.join(pos).split(SEP),
        }
    )


def _fts_phrase(text: str) -> str:
    """A user string as one FTS5 phrase (double quotes doubled), so no query syntax leaks through."""
    return '"' + text.replace('"', '""') + '"'


def _snippet(text: str, start: int, end: int, width: int = 40) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    return (
        ("…" if left else "")
        + text[left:start]
        + "【"
        + text[start:end]
        + "】"
        + text[end:right]
        + ("…" if right < len(text) else "")
    )


def search(conn: sqlite3.Connection, query: str, limit: int = 200) -> pd.DataFrame:
    """Statements containing the query (as written or normalized), chronological, with SEARCH_COLUMNS.

    Queries of 3+ characters use the FTS5 trigram index; shorter ones fall back to ``instr``.
    """
    raw = query.strip()
    norm = normalize_text(raw).strip()
    if not raw or not norm:
        return empty_frame(SEARCH_COLUMNS)
    select = (
        "SELECT s.id, t.meeting_id, m.number, m.date, m.title, t.id, t.speaker, t.org_name, s.text, s.norm_text"
        " FROM statements s JOIN turns t ON t.id = s.turn_id JOIN meetings m ON m.id = t.meeting_id"
    )
    order = f' ORDER BY {_MEETING_ORDER}, t."order", s.position LIMIT ?'
    if len(raw) >= 3 and len(norm) >= 3:
        match = f"text : {_fts_phrase(raw)} OR norm_text : {_fts_phrase(norm)}"
        sql = (
            select + " WHERE s.id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?)" + order
        )
        rows = conn.execute(sql, (match, limit)).fetchall()
    else:
        sql = select + " WHERE instr(s.text, ?) > 0 OR instr(s.norm_text, ?) > 0" + order
        rows = conn.execute(sql, (raw, norm, limit)).fetchall()
    if not rows:
        return empty_frame(SEARCH_COLUMNS)
    pattern = re.compile(re.escape(raw), re.IGNORECASE)
    norm_pattern = re.compile(re.escape(norm), re.IGNORECASE)
    out = []
    for sid, mid, number, date, title, tid, speaker, org, text, norm_text in rows:
        spans = tuple(m.span() for m in pattern.finditer(text))
        if spans:
            snippet = _snippet(text, *spans[0])
        else:
            hit = norm_pattern.search(norm_text)
            snippet = _snippet(norm_text, *hit.span()) if hit else text[:80]
        out.append(
            (sid, mid, meeting_label(number, date, title), date, tid, speaker, org, text, snippet, spans)
        )
    return pd.DataFrame(out, columns=SEARCH_COLUMNS)


AGENDA_COLUMNS: list[str] = [
    "meeting_id",
    "position",  # int, 0-based order of the item in the meeting's 議事 block
    "title",
    "presenters",  # tuple[str, ...], as written ("デジタル庁参事官 渡邊 繁樹 氏")
]


def _presenters(raw: str | None) -> tuple[str, ...]:
    """The stored JSON list of presenters as a tuple of non-blank strings (() when unreadable)."""
    try:
        values = json.loads(raw) if raw else []
    except (TypeError, json.JSONDecodeError):
        return ()
    if not isinstance(values, list):
        return ()
    return tuple(v for v in values if isinstance(v, str) and v.strip())


def load_agenda(conn: sqlite3.Connection) -> pd.DataFrame:
    """One row per agenda item with AGENDA_COLUMNS, meetings chronological, items in order."""
    rows = conn.execute(
        "SELECT a.meeting_id, a.position, a.title, a.presenters"
        f" FROM agenda a JOIN meetings m ON m.id = a.meeting_id ORDER BY {_MEETING_ORDER}, a.position"
    ).fetchall()
    if not rows:
        return empty_frame(AGENDA_COLUMNS)
    mids, positions, titles, presenters = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "meeting_id": np.array(mids, dtype="int64"),
            "position": np.array(positions, dtype="int64"),
            "title": titles,
            "presenters": pd.Series([_presenters(raw) for raw in presenters], dtype="object"),
        }
    )


DOCUMENT_COLUMNS: list[str] = [
    "meeting_id",
    "label",
    "title",
    "series",
    "number",
    "date",
    "name",
    "format",
    "size",
    "turns",
    "statements",
    "warnings",
    "corrected",
    "ingested_at",
    "check",  # str, 要確認 (flagged) or 良好, the badge of the document list
    "issues",  # str, the quality warnings joined by ／ ("" when none)
]


def load_documents(conn: sqlite3.Connection) -> pd.DataFrame:
    """One row per stored document with DOCUMENT_COLUMNS, most recently ingested first."""
    rows = conn.execute(
        "SELECT m.id, m.title, m.series, m.number, m.date, d.name, d.format, d.size,"
        " (SELECT COUNT(*) FROM turns t WHERE t.meeting_id = m.id),"
        " (SELECT COUNT(*) FROM turns t JOIN statements s ON s.turn_id = t.id WHERE t.meeting_id = m.id),"
        " (SELECT COUNT(*) FROM warnings w WHERE w.meeting_id = m.id),"
        " d.overrides != '{}', d.ingested_at, m.quality"
        " FROM meetings m JOIN documents d ON d.id = m.id ORDER BY d.ingested_at DESC, m.id DESC"
    ).fetchall()
    if not rows:
        return pd.DataFrame({c: [] for c in DOCUMENT_COLUMNS})
    out = pd.DataFrame(
        [
            (
                mid,
                meeting_label(number, date, title),
                title,
                series,
                number,
                date,
                *rest[:-3],
                bool(rest[-3]),
                rest[-2],
                *_check(Quality.from_json(rest[-1]), date),
            )
            for mid, title, series, number, date, *rest in rows
        ],
        columns=DOCUMENT_COLUMNS,
    )
    out["number"] = out["number"].astype("Int64")
    return out


CHECK_FLAGGED = "要確認"
CHECK_OK = "良好"


def _flagged(quality: Quality | None, date: str | None) -> bool:
    """Whether a meeting needs a check; meetings stored before quality was recorded: when undated."""
    return bool(quality.flagged) if quality is not None else date is None


def _check(quality: Quality | None, date: str | None) -> tuple[str, str]:
    """The document list's badge and the findings behind it."""
    badge = CHECK_FLAGGED if _flagged(quality, date) else CHECK_OK
    if quality is None:
        return badge, "開催日が見つかりません。" if date is None else ""
    return badge, "／".join(quality.warnings)


MAPPING_COLUMNS: list[str] = [
    "label_key",
    "label",
    "org_name",
    "org_kind",
    "org_code",
    "region",
    "updated_at",
]


def load_speaker_mappings(conn: sqlite3.Connection) -> pd.DataFrame:
    """The speaker mappings with MAPPING_COLUMNS, by label."""
    rows = conn.execute(
        f"SELECT {', '.join(MAPPING_COLUMNS)} FROM speaker_mappings ORDER BY label"
    ).fetchall()
    return pd.DataFrame(rows, columns=MAPPING_COLUMNS)
