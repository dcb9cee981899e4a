"""Topic metrics: shares, 100% composition, cross tabulation with adjusted residuals."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from analysis.metrics._common import (
    UNCLASSIFIED,
    as_int,
    empty,
    explode_topics,
    group_order,
    order_by_groups,
    topic_order,
)

TOPIC_SHARE_COLUMNS: list[str] = ["topic", "statements", "chars", "share", "char_share"]
TOPIC_COMPOSITION_COLUMNS: list[str] = ["topic", "weight", "share"]
ORG_TOPIC_COLUMNS: list[str] = ["org_name", "org_kind", "topic", "statements"]


def _group_totals(statements: pd.DataFrame, keys: list[str]) -> pd.DataFrame | dict[str, int]:
    chars = as_int(statements["chars"])
    if not keys:
        return {"n": int(statements["statement_id"].nunique()), "c": int(chars.sum())}
    frame = statements[keys + ["statement_id"]].assign(chars=chars)
    return (
        frame.groupby(keys, dropna=False).agg(n=("statement_id", "nunique"), c=("chars", "sum")).reset_index()
    )


def _attach_totals(
    counts: pd.DataFrame, totals: pd.DataFrame | dict[str, int], keys: list[str]
) -> pd.DataFrame:
    if isinstance(totals, dict):
        return counts.assign(**totals)
    return counts.merge(totals, on=keys, how="left")


def _sorted(frame: pd.DataFrame, statements: pd.DataFrame, by: str | None, topics: list[str]) -> pd.DataFrame:
    """Rows in group display order, and within a group in the stable topic order."""
    rank = {t: i for i, t in enumerate(topics)}
    frame = frame.assign(_topic_rank=frame["topic"].map(rank))
    if by is None:
        frame = frame.sort_values("_topic_rank", kind="stable").reset_index(drop=True)
    else:
        frame = order_by_groups(frame, by, group_order(statements, by), ["_topic_rank"], [True])
    return frame.drop(columns="_topic_rank")


def topic_share(statements: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Statements and characters per topic, overall or per value of ``by``.

    Multi-label: a statement with two topics counts once for each, so ``share`` (statements
    with the topic / statements in the group) and ``char_share`` (their characters / all
    characters of the group) answer "how much of the talk touches this topic" and may sum to
    more than 1 per group. Use :func:`topic_composition` for parts that sum to exactly 1.
    Groups follow reading order (meetings, sections) or size; topics within a group follow the
    stable order of :func:`topic_crosstab` (overall statements, 未分類 last).
    Columns: [by?] topic, statements, chars, share, char_share.
    """
    keys = [by] if by else []
    columns = keys + TOPIC_SHARE_COLUMNS
    if statements.empty:
        return empty(columns)
    exploded = explode_topics(statements, keys)
    counts = (
        exploded.groupby(keys + ["topic"], dropna=False)
        .agg(statements=("statement_id", "nunique"), chars=("chars", "sum"))
        .reset_index()
    )
    counts = _attach_totals(counts, _group_totals(statements, keys), keys)
    counts["share"] = counts["statements"] / counts["n"]
    counts["char_share"] = (counts["chars"] / counts["c"].replace(0, np.nan)).fillna(0.0)
    return _sorted(counts[columns], statements, by, topic_order(exploded))


def topic_trend(statements: pd.DataFrame, by: str, top: int | None = None) -> pd.DataFrame:
    """:func:`topic_share` per value of ``by`` with every topic × unit present — a unit where a
    topic was not raised is a row with 0, so a trend line drops to zero instead of bridging the
    gap. Units in reading order, topics in the stable order; ``top`` keeps only the most frequent
    topics (未分類 left out), for a slide that must stay readable. Columns as topic_share(by=by)."""
    share = topic_share(statements, by=by)
    if share.empty:
        return share
    units = group_order(statements, by)
    topics = topic_order(explode_topics(statements, []))
    if top is not None:
        topics = [t for t in topics if t != UNCLASSIFIED][:top]
        share = share[share["topic"].isin(topics)]
    grid = pd.MultiIndex.from_product([units, topics], names=[by, "topic"])
    full = share.set_index([by, "topic"]).reindex(grid)
    full[["statements", "chars"]] = full[["statements", "chars"]].fillna(0).astype("int64")
    full[["share", "char_share"]] = full[["share", "char_share"]].fillna(0.0)
    return full.reset_index()[[by, *TOPIC_SHARE_COLUMNS]]


def topic_composition(statements: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Topic mix per group for 100% stacked charts: each statement's weight is split equally.

    A statement with k topics gives 1/k to each, so ``weight`` sums to the number of statements
    in the group and ``share`` (weight / statements in the group) sums to exactly 1 per group.
    Columns: [by?] topic, weight, share.
    """
    keys = [by] if by else []
    columns = keys + TOPIC_COMPOSITION_COLUMNS
    if statements.empty:
        return empty(columns)
    exploded = explode_topics(statements, keys)
    exploded["weight"] = 1.0 / exploded["n_topics"]
    parts = exploded.groupby(keys + ["topic"], dropna=False)["weight"].sum().reset_index()
    parts = _attach_totals(parts, _group_totals(statements, keys), keys)
    parts["share"] = parts["weight"] / parts["n"]
    return _sorted(parts[columns], statements, by, topic_order(exploded))


def topic_crosstab(
    statements: pd.DataFrame,
    by: str,
    value: Literal["statements", "chars", "share"] = "statements",
) -> pd.DataFrame:
    """Wide table for heatmaps: index = values of ``by``, columns = topics (stable order).

    ``value``: "statements" (statements with the topic), "chars" (their characters) or "share"
    (statements with the topic / statements of the row; multi-label, rows may sum > 1).
    Topics are ordered by overall statements (未分類 last); rows follow reading order for
    meetings and sections, and size for organizations. Empty input gives an empty frame.
    """
    if value not in ("statements", "chars", "share"):
        raise ValueError(f"value must be statements, chars or share, not {value!r}")
    if statements.empty:
        return pd.DataFrame(index=pd.Index([], name=by), columns=pd.Index([], name="topic"))
    exploded = explode_topics(statements, [by])
    measure = "chars" if value == "chars" else "statement_id"
    func = "sum" if value == "chars" else "nunique"
    table = exploded.groupby([by, "topic"], dropna=False)[measure].agg(func).unstack("topic", fill_value=0)
    table = table.reindex(index=group_order(statements, by), columns=topic_order(exploded), fill_value=0)
    table = table.astype("int64")
    if value == "share":
        totals = statements.groupby(by, dropna=False)["statement_id"].nunique().reindex(table.index)
        table = table.div(totals, axis=0).astype("float64")
    table.index.name = by
    table.columns.name = "topic"
    return table


def adjusted_residuals(crosstab: pd.DataFrame) -> pd.DataFrame:
    """Haberman's adjusted standardized residuals of a count crosstab (as KH Coder shows).

    (O - E) / sqrt(E (1 - row/N) (1 - col/N)) with E = row * col / N: values above about 1.96
    mark cells over-represented at the 5% level, below -1.96 under-represented. Cells of empty
    rows or columns get 0. Same shape, index and columns as the input.
    """
    if crosstab.empty:
        return crosstab.astype("float64")
    observed = crosstab.to_numpy(dtype="float64")
    total = observed.sum()
    if total <= 0:
        return pd.DataFrame(0.0, index=crosstab.index, columns=crosstab.columns)
    rows = observed.sum(axis=1, keepdims=True)
    cols = observed.sum(axis=0, keepdims=True)
    expected = rows @ cols / total
    variance = expected * (1 - rows / total) * (1 - cols / total)
    with np.errstate(divide="ignore", invalid="ignore"):
        residuals = np.where(variance > 0, (observed - expected) / np.sqrt(variance), 0.0)
    return pd.DataFrame(residuals, index=crosstab.index, columns=crosstab.columns)


def org_topics(statements: pd.DataFrame) -> pd.DataFrame:
    """Statements per (organization, topic), long form; organizations by size, topics in stable order.

    Columns: org_name, org_kind, topic, statements.
    """
    if statements.empty:
        return empty(ORG_TOPIC_COLUMNS)
    exploded = explode_topics(statements, ["org_name", "org_kind"])
    counts = (
        exploded.groupby(["org_name", "org_kind", "topic"], dropna=False)["statement_id"]
        .nunique()
        .reset_index(name="statements")
    )
    return _sorted(counts[ORG_TOPIC_COLUMNS], statements, "org_name", topic_order(exploded))
