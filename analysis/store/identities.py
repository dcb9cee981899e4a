"""Speaker identities in the store: the labels of each meeting, the user's table, who each label is.

``analysis.speaker_identity`` decides who a label is; this module feeds it from SQLite: the
distinct (meeting, label, organization) of the turns with their statement counts, and the
``speaker_identities`` table (schema version 4) of the user's merges and 別人として扱う marks.
Identities are worked out on every load from the stored labels, so changing the table or the
reference CSV never re-derives anything and is undone by changing it back.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pandas as pd

from analysis import speaker_identity
from analysis.orgs import label_key
from analysis.speaker_identity import IdentityOverride
from analysis.store.loaders import meeting_label

#: The user's table as loaded by :func:`load_identity_overrides`.
OVERRIDE_COLUMNS: list[str] = ["label_key", "label", "target_key", "target_label", "updated_at"]


def load_speaker_labels(conn: sqlite3.Connection) -> pd.DataFrame:
    """One row per (meeting, speaker label, organization) of the turns, with LABEL_COLUMNS."""
    rows = conn.execute(
        "SELECT t.meeting_id, m.number, m.date, m.title, t.speaker, t.org_name, COUNT(s.id)"
        " FROM turns t JOIN meetings m ON m.id = t.meeting_id LEFT JOIN statements s ON s.turn_id = t.id"
        ' GROUP BY t.meeting_id, t.speaker, t.org_name ORDER BY t.meeting_id, MIN(t."order")'
    ).fetchall()
    return pd.DataFrame(
        [
            (mid, meeting_label(number, date, title), date, speaker, org, n)
            for mid, number, date, title, speaker, org, n in rows
        ],
        columns=speaker_identity.LABEL_COLUMNS,
    )


def identity_overrides(conn: sqlite3.Connection) -> dict[str, IdentityOverride]:
    """The user's table: ``label_key`` -> IdentityOverride (target None: 別人として扱う)."""
    return {
        key: IdentityOverride(label=label, target=target)
        for key, label, target in conn.execute(
            "SELECT label_key, label, target_label FROM speaker_identities"
        )
    }


def load_identity_overrides(conn: sqlite3.Connection) -> pd.DataFrame:
    """The user's table with OVERRIDE_COLUMNS, by label."""
    rows = conn.execute(
        f"SELECT {', '.join(OVERRIDE_COLUMNS)} FROM speaker_identities ORDER BY label"
    ).fetchall()
    return pd.DataFrame(rows, columns=OVERRIDE_COLUMNS)


def load_speaker_identities(conn: sqlite3.Connection) -> pd.DataFrame:
    """Who every (meeting, label, organization) is: ``speaker_identity.IDENTITY_COLUMNS``."""
    return speaker_identity.resolve(load_speaker_labels(conn), identity_overrides(conn))


def apply_identities(statements: pd.DataFrame, identities: pd.DataFrame) -> pd.DataFrame:
    """``statements`` (with the label as written in ``speaker_label``) with each speaker as one person."""
    if statements.empty:
        return statements
    speakers = speaker_identity.canonical_speakers(statements, identities)
    return statements.assign(speaker=speakers.astype(statements["speaker"].dtype))


def set_identity(conn: sqlite3.Connection, label: str, target: str | None) -> bool:
    """Store that ``label`` is the person ``target`` is (None: 別人として扱う); False if unchanged.

    Raises ValueError for a blank label or a label merged with itself.
    """
    key = label_key(label)
    target_key = label_key(target) if target is not None else None
    if not key or (target is not None and not target_key):
        raise ValueError("発言者の表記が空です")
    if target_key == key:
        raise ValueError("同じ表記どうしはまとめられません")
    current = conn.execute(
        "SELECT target_key IS ? FROM speaker_identities WHERE label_key = ?", (target_key, key)
    ).fetchone()
    if current is not None and current[0]:
        return False
    conn.execute(
        "INSERT INTO speaker_identities(label_key, label, target_key, target_label, updated_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT(label_key) DO UPDATE SET label = excluded.label,"
        " target_key = excluded.target_key, target_label = excluded.target_label,"
        " updated_at = excluded.updated_at",
        (key, label.strip(), target_key, target.strip() if target is not None else None, _now()),
    )
    return True


def delete_identity(conn: sqlite3.Connection, label: str) -> bool:
    """Remove the user's word on ``label`` (its label or label key); False if there was none."""
    key = label_key(label)
    return bool(conn.execute("DELETE FROM speaker_identities WHERE label_key = ?", (key,)).rowcount)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
