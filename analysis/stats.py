"""The ``stats`` JSON of the CLI (``python -m analysis stats``), built from the store's frames."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.metrics import keyword_frequency, keyword_trends, speaker_frequency, topic_share

#: Number of top keywords followed in ``trends`` when no terms are given.
DEFAULT_TREND_TERMS = 5


def _plain(value: Any) -> Any:
    """A numpy / pandas scalar as a JSON-serializable Python value (missing -> None)."""
    if value is None or (not isinstance(value, str | tuple | list) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _records(frame: pd.DataFrame, columns: dict[str, str]) -> list[dict[str, Any]]:
    """Rows of ``frame`` as dicts, renaming source -> output keys in ``columns`` order."""
    if frame.empty:
        return []
    subset = frame[list(columns)].rename(columns=columns)
    return [{k: _plain(v) for k, v in row.items()} for row in subset.to_dict(orient="records")]


def build_stats(
    meetings: pd.DataFrame,
    statements: pd.DataFrame,
    tokens: pd.DataFrame,
    terms: list[str] | None = None,
    top_n_keywords: int = 30,
) -> dict[str, Any]:
    """The corpus summary printed by ``stats`` (design.md): counts, topics, organizations,
    top noun keywords and keyword trends across meetings.

    ``meetings`` counts documents, ``turns``/``statements`` distinct ids, ``tokens`` all kept
    tokens. ``trends`` follow ``terms``, or the top 5 keywords when None, per meeting in date
    order (``meeting`` = meeting_label) even for a single meeting.
    """
    keywords = keyword_frequency(tokens, top_n=top_n_keywords)
    followed = terms if terms is not None else keywords["term"].head(DEFAULT_TREND_TERMS).tolist()
    trends = keyword_trends(statements, tokens, followed, unit="meeting")
    return {
        "meetings": int(meetings["meeting_id"].nunique()) if not meetings.empty else 0,
        "turns": int(statements["turn_id"].nunique()) if not statements.empty else 0,
        "statements": int(statements["statement_id"].nunique()) if not statements.empty else 0,
        "tokens": len(tokens),
        "topics": _records(
            topic_share(statements), {"topic": "topic", "statements": "statements", "share": "share"}
        ),
        "organizations": _records(
            speaker_frequency(statements),
            {
                "org_name": "name",
                "org_kind": "kind",
                "turns": "turns",
                "statements": "statements",
                "chars": "chars",
            },
        ),
        "keywords": _records(keywords, {"term": "term", "count": "count"}),
        "trends": _records(
            trends,
            {
                "date": "date",
                "meeting": "meeting",
                "term": "term",
                "count": "count",
                "per_1000_tokens": "per_1000_tokens",
            },
        ),
    }
