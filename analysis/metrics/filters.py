"""Selecting statements: the dashboard's filter set, tokens of a selection, drill-down lists."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

import pandas as pd

from analysis.metrics._common import as_iso, as_list, chronological, empty, explode_topics

#: Columns of the statement list shown when a chart element is drilled into.
SELECTION_COLUMNS: list[str] = [
    "meeting_label",
    "date",
    "section_title",
    "speaker",
    "org_name",
    "text",
    "topics",
]


def filter_statements(
    statements: pd.DataFrame,
    *,
    meeting_ids: Iterable[int] | None = None,
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    sections: Iterable[str] | None = None,
    org_kinds: Iterable[str] | None = None,
    orgs: Iterable[str] | None = None,
    topics: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Statements matching every given criterion (the shared sidebar filters).

    ``None`` or an empty selection leaves that criterion open, like an untouched multiselect.
    Dates are inclusive bounds; undated statements drop out once a bound is set. ``sections``
    match ``section_title``, ``orgs`` match ``org_name``, and ``topics`` keeps statements having
    ANY of the given topics.
    """
    if statements.empty:
        return statements.copy()
    mask = pd.Series(True, index=statements.index)
    for column, values in (
        ("meeting_id", meeting_ids),
        ("section_title", sections),
        ("org_kind", org_kinds),
        ("org_name", orgs),
    ):
        wanted = as_list(values)
        if wanted is not None:
            mask &= statements[column].isin(wanted)
    low, high = as_iso(date_from), as_iso(date_to)
    if low is not None or high is not None:
        dates = statements["date"].astype(object).fillna("").astype(str)
        mask &= dates.ne("")
        if low is not None:
            mask &= dates >= low
        if high is not None:
            mask &= dates <= high
    wanted_topics = as_list(topics)
    if wanted_topics is not None:
        mask &= statements["statement_id"].isin(_with_any_topic(statements, wanted_topics))
    return statements[mask].copy()


def _with_any_topic(statements: pd.DataFrame, topics: list[str]) -> pd.Series:
    exploded = explode_topics(statements)
    return exploded.loc[exploded["topic"].isin(topics), "statement_id"]


def tokens_for(tokens: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """The tokens of the given statements (so token metrics follow the statement filters)."""
    if tokens.empty or statements.empty:
        return tokens.iloc[0:0].copy()
    return tokens[tokens["statement_id"].isin(statements["statement_id"])].copy()


def term_pattern(term: str) -> re.Pattern[str] | None:
    """A search pattern for ``term`` in ``norm_text``: NFKC-normalized, case-insensitive for Latin."""
    needle = unicodedata.normalize("NFKC", term or "").strip()
    if not needle:
        return None
    return re.compile(re.escape(needle), re.IGNORECASE)


#: Criteria a chart element can carry (drill-down and cross-filter), with their Japanese names.
CRITERIA_LABELS: dict[str, str] = {
    "topic": "トピック",
    "term": "語",
    "org_name": "組織",
    "org_kind": "種別",
    "speaker": "発言者",
    "meeting_label": "会議",
    "section_title": "セクション",
}


def _criteria_mask(statements: pd.DataFrame, criteria: dict[str, object]) -> pd.Series:
    unknown = [k for k in criteria if k not in ("topic", "term") and k not in statements.columns]
    if unknown:
        raise ValueError(f"unknown selection criteria: {', '.join(unknown)}")
    mask = pd.Series(True, index=statements.index)
    for key, value in criteria.items():
        wanted = as_list(value) if not isinstance(value, str) else [value]
        if wanted is None:
            continue
        if key == "topic":
            mask &= statements["statement_id"].isin(_with_any_topic(statements, [str(v) for v in wanted]))
        elif key == "term":
            pattern = term_pattern(str(wanted[0]))
            if pattern is not None:
                mask &= statements["norm_text"].astype(object).fillna("").str.contains(pattern, na=False)
        else:
            mask &= statements[key].isin(wanted)
    return mask


def matching_any(statements: pd.DataFrame, selections: Iterable[dict[str, object]]) -> pd.DataFrame:
    """Statements (all columns) matching at least one of the chart-element criteria — the
    cross-filter a chart selection becomes (「この条件で絞り込む」). No selections: all of them."""
    chosen = list(selections)
    if not chosen or statements.empty:
        return statements.copy()
    mask = pd.Series(False, index=statements.index)
    for criteria in chosen:
        mask |= _criteria_mask(statements, criteria)
    return statements[mask].copy()


def statements_for_selection(statements: pd.DataFrame, **criteria: object) -> pd.DataFrame:
    """The statements behind one chart element, in reading order, with display columns.

    Criteria: ``topic`` (statements labelled with it; 未分類 included), ``term`` (``norm_text``
    contains it, see :func:`term_pattern`), and any statement column such as ``org_name``,
    ``org_kind``, ``meeting_label``, ``section_title`` or ``speaker`` (equality, or membership
    when a list is given). ``None`` values are ignored. Unknown columns raise ``ValueError``.
    """
    if statements.empty:
        _criteria_mask(statements, criteria)
        return empty(SELECTION_COLUMNS)
    mask = _criteria_mask(statements, criteria)
    selected = chronological(statements[mask])
    return selected[SELECTION_COLUMNS].reset_index(drop=True)


__all__ = [
    "CRITERIA_LABELS",
    "SELECTION_COLUMNS",
    "matching_any",
    "filter_statements",
    "statements_for_selection",
    "term_pattern",
    "tokens_for",
]
