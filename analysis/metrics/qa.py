"""Question -> answer structure: answer turns linked to the turns they reply to."""

from __future__ import annotations

import pandas as pd

from analysis.metrics._common import UNCLASSIFIED, chronological, empty, explode_topics

QA_COLUMNS: list[str] = [
    "meeting_label",
    "section_title",
    "question_turn_id",
    "asker_org",
    "asker_kind",
    "question_text",
    "answer_turn_id",
    "answerer_org",
    "answerer_kind",
    "answer_text",
    "topics",
]
FLOW_COLUMNS: list[str] = ["asker", "topic", "answerer", "count"]

#: Joins a turn's texts and topic labels with vectorized string sums (unit separator).
_SEPARATOR = "\x1f"

_TURN_ATTRIBUTES: list[str] = [
    "meeting_id",
    "meeting_label",
    "date",
    "section_title",
    "turn_order",
    "org_name",
    "org_kind",
    "reply_to_turn_id",
]


def _turns(statements: pd.DataFrame) -> pd.DataFrame:
    """One row per turn: its attributes, statements joined by newlines, and its topics.

    A turn's topics are the union of its statements' labels in order of appearance, without
    未分類 unless the turn has no other label.
    """
    ordered = chronological(statements)
    grouped = ordered.groupby("turn_id", sort=False)
    turns = grouped[_TURN_ATTRIBUTES].first()
    lines = ordered["text"].astype(object).fillna("").astype(str) + "\n"
    turns["text"] = lines.groupby(ordered["turn_id"], sort=False).sum().str[:-1]
    exploded = explode_topics(ordered, ["turn_id"]).drop_duplicates(["turn_id", "topic"])
    labelled = exploded["topic"].ne(UNCLASSIFIED)
    has_label = labelled.groupby(exploded["turn_id"]).transform("any")
    exploded = exploded[labelled | ~has_label]
    joined = (exploded["topic"] + _SEPARATOR).groupby(exploded["turn_id"], sort=False).sum()
    turns["topics"] = joined.str[:-1].str.split(_SEPARATOR).map(tuple)
    turns = turns.reset_index()
    turns["turn_id"] = pd.to_numeric(turns["turn_id"]).astype("Int64")
    turns["reply_to_turn_id"] = pd.to_numeric(turns["reply_to_turn_id"], errors="coerce").astype("Int64")
    return turns


def qa_pairs(statements: pd.DataFrame) -> pd.DataFrame:
    """One row per answer turn with the question turn it replies to (``reply_to_turn_id``).

    Both turns must be in ``statements``. Texts are the turns' statements joined by newlines;
    ``topics`` are the question turn's topics. Ordered by meeting, question, then answer.
    """
    if statements.empty:
        return empty(QA_COLUMNS)
    turns = _turns(statements)
    answers = turns[turns["reply_to_turn_id"].notna()]
    pairs = answers.merge(turns, left_on="reply_to_turn_id", right_on="turn_id", suffixes=("_a", "_q"))
    if pairs.empty:
        return empty(QA_COLUMNS)
    pairs = pairs.sort_values(
        ["date_q", "meeting_id_q", "turn_order_q", "turn_order_a"], na_position="last", kind="stable"
    )
    out = pd.DataFrame(
        {
            "meeting_label": pairs["meeting_label_q"],
            "section_title": pairs["section_title_q"],
            "question_turn_id": pairs["turn_id_q"],
            "asker_org": pairs["org_name_q"],
            "asker_kind": pairs["org_kind_q"],
            "question_text": pairs["text_q"],
            "answer_turn_id": pairs["turn_id_a"],
            "answerer_org": pairs["org_name_a"],
            "answerer_kind": pairs["org_kind_a"],
            "answer_text": pairs["text_a"],
            "topics": pairs["topics_q"],
        }
    )
    return out.reset_index(drop=True)


def qa_flow(statements: pd.DataFrame) -> pd.DataFrame:
    """Question -> answer turn pairs per (asking org, question topic, answering org), for a Sankey.

    A question with several topics counts once under each. Sorted by count, descending.
    """
    pairs = qa_pairs(statements)
    if pairs.empty:
        return empty(FLOW_COLUMNS)
    flows = (
        pairs.explode("topics")
        .groupby(["asker_org", "topics", "answerer_org"], dropna=False)
        .size()
        .reset_index(name="count")
        .rename(columns={"asker_org": "asker", "topics": "topic", "answerer_org": "answerer"})
    )
    flows = flows.sort_values(["count", "asker", "topic", "answerer"], ascending=[False, True, True, True])
    return flows[FLOW_COLUMNS].reset_index(drop=True)
