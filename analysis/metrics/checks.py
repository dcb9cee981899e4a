"""Which meetings need a person's check before their numbers are trusted (DataFrame in and out).

A meeting is listed when the parser flagged it (``MEETING_COLUMNS.flagged``): no date — so it is
missing from every trend and from the 期間 — or too many statements without a known speaker.
Pages show these lists where the user decides (概要, データ管理), with a way to fix each one.
"""

from __future__ import annotations

import pandas as pd

CHECK_COLUMNS: list[str] = ["meeting_id", "label", "file", "undated", "reasons"]


def meetings_to_check(meetings: pd.DataFrame) -> pd.DataFrame:
    """Flagged meetings with CHECK_COLUMNS: ``undated`` for the ones without a date, ``reasons``
    the parser's plain-Japanese findings joined by ／."""
    if meetings.empty or "flagged" not in meetings:
        return pd.DataFrame({c: [] for c in CHECK_COLUMNS})
    flagged = meetings[meetings["flagged"].astype(bool) | meetings["date"].isna()]
    return pd.DataFrame(
        {
            "meeting_id": flagged["meeting_id"].to_numpy(),
            "label": flagged["label"].to_numpy(),
            "file": flagged["source_path"]
            .map(lambda p: str(p).replace("\\", "/").rsplit("/", 1)[-1])
            .to_numpy(),
            "undated": flagged["date"].isna().to_numpy(),
            "reasons": flagged["quality_warnings"].map(lambda ws: "／".join(ws) if ws else "").to_numpy(),
        },
        columns=CHECK_COLUMNS,
    )
