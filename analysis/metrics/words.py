"""Word metrics: frequency lists, trends across meetings or sections, keyness, KWIC."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from typing import Literal

import numpy as np
import pandas as pd

from analysis.metrics._common import chronological, empty, explode_topics
from analysis.metrics.filters import term_pattern

KEYWORD_COLUMNS: list[str] = ["term", "count", "statements"]
TREND_COLUMNS: list[str] = ["date", "meeting", "term", "count", "per_1000_tokens", "unit"]
KEYNESS_COLUMNS: list[str] = [
    "term",
    "count_target",
    "count_rest",
    "expected",
    "log_likelihood",
    "chi2",
    "p_value",
    "tokens_target",
    "tokens_rest",
]
KWIC_COLUMNS: list[str] = [
    "statement_id",
    "meeting_label",
    "date",
    "section_title",
    "speaker",
    "org_name",
    "left",
    "keyword",
    "right",
]

#: Label of the section unit for statements outside any section.
NO_SECTION = "（見出しなし）"


def keyword_frequency(
    tokens: pd.DataFrame,
    top_n: int | None = 50,
    pos: Iterable[str] | None = ("名詞",),
    stopwords: set[str] | None = None,
) -> pd.DataFrame:
    """Most frequent terms: ``count`` (occurrences) and ``statements`` (document frequency).

    ``pos`` keeps only those parts of speech (None: all); ``stopwords`` removes terms;
    ``top_n`` None returns every term. Ties are broken by document frequency, then term.
    """
    if tokens.empty:
        return empty(KEYWORD_COLUMNS)
    kept = tokens
    if pos is not None:
        kept = kept[kept["pos"].isin(list(pos))]
    if stopwords:
        kept = kept[~kept["term"].isin(stopwords)]
    if kept.empty:
        return empty(KEYWORD_COLUMNS)
    counts = (
        kept.groupby("term")
        .agg(count=("statement_id", "size"), statements=("statement_id", "nunique"))
        .reset_index()
        .sort_values(["count", "statements", "term"], ascending=[False, False, True], kind="stable")
    )
    if top_n is not None:
        counts = counts.head(top_n)
    return counts[KEYWORD_COLUMNS].reset_index(drop=True)


def _trend_units(statements: pd.DataFrame, unit: str) -> tuple[pd.Series, pd.DataFrame]:
    """The unit key of each statement, and the units in display order with their date/label."""
    ordered = chronological(statements)
    if unit == "meeting":
        key = ordered["meeting_id"]
        units = ordered.drop_duplicates("meeting_id")[["meeting_id", "date", "meeting_label"]]
        units = units.rename(columns={"meeting_id": "key", "meeting_label": "meeting"})
    else:
        key = ordered["section_title"].astype(object).fillna("").replace("", NO_SECTION)
        units = ordered.assign(key=key).drop_duplicates("key")[["key", "date"]]
        units["meeting"] = units["key"]
    return pd.Series(key.to_numpy(), index=ordered["statement_id"].to_numpy()), units.reset_index(drop=True)


def keyword_trends(
    statements: pd.DataFrame,
    tokens: pd.DataFrame,
    terms: list[str],
    *,
    unit: Literal["auto", "meeting", "section"] = "auto",
) -> pd.DataFrame:
    """Occurrences of ``terms`` per meeting (in date order) or, within one meeting, per section.

    With unit="auto", statements spanning several meetings give one row per (meeting, term):
    date = meeting date, meeting = meeting_label, unit = "meeting". Statements of a single
    meeting give one row per (section, term) in reading order: date = that meeting's date,
    meeting = section_title (（見出しなし） when empty), unit = "section". ``unit`` may force
    either. Terms absent from a unit appear with count 0. per_1000_tokens = count / all tokens
    of that unit's statements * 1000 (0 when the unit has no tokens).
    Columns: date, meeting, term, count, per_1000_tokens, unit.
    """
    wanted = list(dict.fromkeys(t for t in terms if t))
    if statements.empty or not wanted:
        return empty(TREND_COLUMNS)
    if unit == "auto":
        unit = "meeting" if statements["meeting_id"].nunique() > 1 else "section"
    if unit not in ("meeting", "section"):
        raise ValueError(f"unit must be auto, meeting or section, not {unit!r}")
    key_of, units = _trend_units(statements, unit)
    tok = tokens.reindex(columns=["statement_id", "term"])
    tok = tok[tok["statement_id"].isin(key_of.index)]
    tok = tok.assign(key=tok["statement_id"].map(key_of))
    totals = tok.groupby("key").size()
    counts = tok[tok["term"].isin(wanted)].groupby(["key", "term"]).size()
    grid = pd.MultiIndex.from_product([units["key"], wanted], names=["key", "term"])
    out = counts.reindex(grid, fill_value=0).astype("int64").reset_index(name="count")
    out = out.merge(units, on="key", how="left")
    total = out["key"].map(totals).fillna(0).astype("float64")
    out["per_1000_tokens"] = (out["count"] / total.replace(0, np.nan) * 1000).fillna(0.0)
    out["unit"] = unit
    return out[TREND_COLUMNS]


def _membership(statements: pd.DataFrame, group_col: str, group_value: Hashable | list) -> pd.Series:
    """statement_id of the statements in the target group (topics match by label)."""
    values = list(group_value) if isinstance(group_value, list | tuple | set) else [group_value]
    if group_col == "topics":
        exploded = explode_topics(statements)
        return exploded.loc[exploded["topic"].isin(values), "statement_id"]
    return statements.loc[statements[group_col].isin(values), "statement_id"]


def keyness(
    statements: pd.DataFrame,
    tokens: pd.DataFrame,
    group_col: str,
    group_value: Hashable | list,
    top_n: int | None = 30,
    min_count: int = 2,
    *,
    pos: Iterable[str] | None = None,
    over_only: bool = True,
) -> pd.DataFrame:
    """Words characterizing one group of statements against all the other statements.

    The target is the statements whose ``group_col`` equals ``group_value`` (a list means any
    of them; group_col="topics" matches a topic label). For each term with at least
    ``min_count`` occurrences overall: Dunning's log-likelihood G2 of the 2x2 table (term vs
    other tokens, target vs rest), signed positive when the term is over-used in the target
    (count_target > expected), Pearson chi2 of the same table, and the p-value of G2 with one
    degree of freedom. ``over_only`` keeps only over-used terms (the usual keyword list);
    pass False to also see under-used ones. Sorted by signed G2, descending. A group with no
    statements, or no rest (every statement in the group), gives an empty frame.
    """
    if statements.empty or tokens.empty:
        return empty(KEYNESS_COLUMNS)
    target_ids = _membership(statements, group_col, group_value)
    tok = tokens[tokens["statement_id"].isin(statements["statement_id"])]
    if pos is not None:
        tok = tok[tok["pos"].isin(list(pos))]
    in_target = tok["statement_id"].isin(target_ids)
    tokens_target = int(in_target.sum())
    tokens_rest = int(len(tok) - tokens_target)
    if tokens_target == 0 or tokens_rest == 0:
        return empty(KEYNESS_COLUMNS)
    table = pd.crosstab(tok["term"], in_target.rename("target")).reindex(columns=[True, False], fill_value=0)
    a = table[True].to_numpy(dtype="float64")
    b = table[False].to_numpy(dtype="float64")
    keep = (a + b) >= min_count
    a, b, terms = a[keep], b[keep], table.index[keep]
    n = float(tokens_target + tokens_rest)
    expected_target = tokens_target * (a + b) / n
    expected_rest = tokens_rest * (a + b) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * (
            np.where(a > 0, a * np.log(a / expected_target), 0.0)
            + np.where(b > 0, b * np.log(b / expected_rest), 0.0)
        )
        other_target, other_rest = tokens_target - a, tokens_rest - b
        denominator = (a + b) * (other_target + other_rest) * tokens_target * tokens_rest
        chi2 = np.where(denominator > 0, n * (a * other_rest - b * other_target) ** 2 / denominator, 0.0)
    g2 = np.clip(g2, 0.0, None)
    out = pd.DataFrame(
        {
            "term": terms,
            "count_target": a.astype("int64"),
            "count_rest": b.astype("int64"),
            "expected": expected_target,
            "log_likelihood": np.where(a >= expected_target, g2, -g2),
            "chi2": chi2,
            "tokens_target": tokens_target,
            "tokens_rest": tokens_rest,
        }
    )
    if over_only:
        out = out[out["log_likelihood"] > 0]
    out = out.sort_values(["log_likelihood", "term"], ascending=[False, True], kind="stable")
    if top_n is not None:
        out = out.head(top_n)
    out["p_value"] = [math.erfc(math.sqrt(abs(v) / 2)) for v in out["log_likelihood"]]
    return out[KEYNESS_COLUMNS].reset_index(drop=True)


def kwic(statements: pd.DataFrame, term: str, width: int = 20) -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` in ``norm_text``, in reading order.

    The term is NFKC-normalized and matched literally, case-insensitively for Latin letters;
    ``keyword`` is the text as found, ``left``/``right`` up to ``width`` characters around it.
    """
    pattern = term_pattern(term)
    if statements.empty or pattern is None:
        return empty(KWIC_COLUMNS)
    texts = statements["norm_text"].astype(object).fillna("")
    hits = chronological(statements[texts.str.contains(pattern, na=False)])
    if hits.empty:
        return empty(KWIC_COLUMNS)
    spans = [
        (i, m.start(), m.end()) for i, text in enumerate(hits["norm_text"]) for m in pattern.finditer(text)
    ]
    rows, starts, ends = (np.array(v, dtype="int64") for v in zip(*spans, strict=True))
    out = hits.iloc[rows][KWIC_COLUMNS[:6]].reset_index(drop=True)
    texts = hits["norm_text"].to_numpy()[rows]
    out["left"] = [t[max(0, s - width) : s] for t, s in zip(texts, starts, strict=True)]
    out["keyword"] = [t[s:e] for t, s, e in zip(texts, starts, ends, strict=True)]
    out["right"] = [t[e : e + width] for t, e in zip(texts, ends, strict=True)]
    return out[KWIC_COLUMNS]
