"""Tests of analysis.stats.build_stats: exactly the ``stats`` JSON of design.md."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.frames import MEETING_COLUMNS, STATEMENT_COLUMNS, TOKEN_COLUMNS, empty_frame
from analysis.stats import build_stats
from tests.frames_factory import (
    CLOUD,
    REPORT,
    STANDARD,
    combine,
    meeting_statements,
    meetings_for,
    seed_statements,
    seed_tokens,
    tokens_frame,
)

TOP_KEYS = ["meetings", "turns", "statements", "tokens", "topics", "organizations", "keywords", "trends"]


def _plain_types(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_types(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_types(v) for v in value)
    return value is None or type(value) in (int, float, str)


def test_seed_stats() -> None:
    statements = seed_statements()
    tokens = seed_tokens(statements)
    stats = build_stats(meetings_for(statements), statements, tokens)
    assert list(stats) == TOP_KEYS
    assert (stats["meetings"], stats["turns"], stats["statements"], stats["tokens"]) == (
        1,
        22,
        25,
        len(tokens),
    )
    assert stats["topics"][0] == {"topic": CLOUD, "statements": 14, "share": pytest.approx(0.56)}
    assert all(set(t) == {"topic", "statements", "share"} for t in stats["topics"])
    organizations = {o["name"]: o for o in stats["organizations"]}
    assert organizations["足立区"] == {
        "name": "足立区",
        "kind": "特別区",
        "turns": 4,
        "statements": 6,
        "chars": int(statements.loc[statements["org_name"] == "足立区", "chars"].sum()),
    }
    assert organizations["デジタル庁"]["kind"] == "国"
    assert stats["organizations"][0]["name"] == "東京都"
    assert stats["keywords"][0] == {"term": "クラウド", "count": 21}
    assert {"term": "ガバメントクラウド", "count": 9} in stats["keywords"]
    # No terms given: the top 5 keywords, one row each for the single meeting.
    top5 = [k["term"] for k in stats["keywords"][:5]]
    assert [t["term"] for t in stats["trends"]] == top5
    assert all(set(t) == {"date", "meeting", "term", "count", "per_1000_tokens"} for t in stats["trends"])
    assert {t["meeting"] for t in stats["trends"]} == {"第4回 (2023-02-14)"}
    assert _plain_types(stats)
    json.dumps(stats, ensure_ascii=False)


def test_stats_with_terms_across_meetings() -> None:
    statements = combine(
        meeting_statements(
            1, "第2回", "2023-05-10", [(REPORT, "足立区", "足立区", "remark", None, [("x", [CLOUD])])]
        ),
        meeting_statements(
            2,
            "第1回",
            "2023-01-10",
            [(REPORT, "町田市", "町田市", "remark", None, [("y", [STANDARD])])],
            first_statement_id=2,
            first_turn_id=2,
        ),
    )
    tokens = tokens_frame({1: ["クラウド", "東京都"], 2: ["クラウド", "クラウド", "東京都", "区市町村"]})
    stats = build_stats(meetings_for(statements), statements, tokens, terms=["クラウド"], top_n_keywords=2)
    assert stats["trends"] == [
        {"date": "2023-01-10", "meeting": "第1回", "term": "クラウド", "count": 2, "per_1000_tokens": 500.0},
        {"date": "2023-05-10", "meeting": "第2回", "term": "クラウド", "count": 1, "per_1000_tokens": 500.0},
    ]
    assert stats["keywords"] == [{"term": "クラウド", "count": 3}, {"term": "東京都", "count": 2}]
    assert stats["topics"] == [
        {"topic": CLOUD, "statements": 1, "share": 0.5},
        {"topic": STANDARD, "statements": 1, "share": 0.5},
    ]


def test_stats_of_empty_corpus() -> None:
    stats = build_stats(
        empty_frame(MEETING_COLUMNS), empty_frame(STATEMENT_COLUMNS), empty_frame(TOKEN_COLUMNS)
    )
    assert stats == {
        "meetings": 0,
        "turns": 0,
        "statements": 0,
        "tokens": 0,
        "topics": [],
        "organizations": [],
        "keywords": [],
        "trends": [],
    }


def test_stats_without_tokens() -> None:
    statements = seed_statements()
    stats = build_stats(meetings_for(statements), statements, pd.DataFrame(columns=TOKEN_COLUMNS))
    assert stats["tokens"] == 0 and stats["keywords"] == [] and stats["trends"] == []
    assert _plain_types(stats)
