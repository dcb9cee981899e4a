"""Helpers shared by the metric families: empty results, chronological order, topic explosion."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import pandas as pd

from analysis.frames import empty_frame

#: Label the topic coder gives a statement that matches no rule.
UNCLASSIFIED = "未分類"

#: Chronological order of statements: reading order of meetings (undated placed by number, see
#: analysis.meeting_order), meeting date, meeting, turn, statement within the turn.
CHRONO_COLUMNS: list[str] = ["meeting_seq", "date", "meeting_id", "turn_order", "position"]

#: Group columns whose values have a natural order of appearance (time / document order).
_APPEARANCE_ORDERED = {
    "meeting_label",
    "meeting_id",
    "meeting_seq",
    "date",
    "section_title",
    "subsection_title",
}


def empty(columns: list[str]) -> pd.DataFrame:
    """An empty result frame with the documented columns."""
    return empty_frame(columns)


def chronological(statements: pd.DataFrame) -> pd.DataFrame:
    """Statements sorted in reading order (undated meetings last), with a fresh index."""
    cols = [c for c in CHRONO_COLUMNS if c in statements.columns]
    if not cols or statements.empty:
        return statements.reset_index(drop=True)
    return statements.sort_values(cols, na_position="last", kind="stable").reset_index(drop=True)


def as_int(series: pd.Series) -> pd.Series:
    """A numeric column as int64, missing values counted as 0."""
    return pd.to_numeric(series, errors="coerce").fillna(0).astype("int64")


def as_iso(value: str | date | datetime | None) -> str | None:
    """A date bound as ``YYYY-MM-DD`` text (the store keeps dates as ISO strings)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def as_list(values: Iterable | str | int | None) -> list | None:
    """A filter argument as a list; ``None`` and empty selections mean "no restriction"."""
    if values is None:
        return None
    if isinstance(values, str | int):
        return [values]
    out = list(values)
    return out or None


def _topic_tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value else (UNCLASSIFIED,)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return (UNCLASSIFIED,)
    labels = tuple(dict.fromkeys(str(v) for v in value))
    return labels or (UNCLASSIFIED,)


def explode_topics(statements: pd.DataFrame, columns: Iterable[str] = ()) -> pd.DataFrame:
    """One row per (statement, topic), keeping ``statement_id``, ``chars`` and ``columns``.

    Duplicate labels within a statement count once; missing or empty labels become 未分類.
    ``n_topics`` is the number of distinct labels of the statement (for equal splitting).
    """
    keep = list(dict.fromkeys(["statement_id", "chars", *columns]))
    frame = statements[keep].copy()
    frame["chars"] = as_int(frame["chars"])
    frame["topic"] = statements["topics"].map(_topic_tuple)
    frame["n_topics"] = frame["topic"].map(len).astype("int64")
    out = frame.explode("topic", ignore_index=True)
    out["topic"] = out["topic"].astype(object)
    return out


def topic_order(exploded: pd.DataFrame) -> list[str]:
    """Topics by number of statements (desc), then name; 未分類 always last."""
    if exploded.empty:
        return []
    counts = exploded.groupby("topic")["statement_id"].nunique().reset_index(name="n")
    counts["unclassified"] = counts["topic"].eq(UNCLASSIFIED)
    counts = counts.sort_values(["unclassified", "n", "topic"], ascending=[True, False, True])
    return counts["topic"].tolist()


def group_order(statements: pd.DataFrame, by: str) -> list:
    """Display order of the values of ``by``.

    Meetings, dates and sections follow reading order (first appearance); any other column
    (organizations, kinds, speakers) is ordered by number of statements, most first.
    """
    if statements.empty:
        return []
    if by in _APPEARANCE_ORDERED:
        return chronological(statements)[by].drop_duplicates().tolist()
    counts = statements.groupby(by, dropna=False)["statement_id"].nunique().reset_index(name="n")
    counts = counts.sort_values(["n", by], ascending=[False, True], na_position="last")
    return counts[by].tolist()


def order_by_groups(
    frame: pd.DataFrame, by: str, order: list, then: list[str], ascending: list[bool]
) -> pd.DataFrame:
    """Sort ``frame`` by the position of ``frame[by]`` in ``order``, then by ``then``."""
    rank = {value: i for i, value in enumerate(order)}
    frame = frame.assign(_rank=frame[by].map(rank))
    return (
        frame.sort_values(["_rank", *then], ascending=[True, *ascending], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
