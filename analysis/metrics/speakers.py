"""Who speaks: turns, statements and characters per organization / speaker / kind, and KPIs."""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.metrics._common import as_int, empty
from analysis.model import MUNICIPAL_KINDS

#: Descriptive columns carried along for each grouping of :func:`speaker_frequency`.
_ATTRIBUTES: dict[str, list[str]] = {
    "org_name": ["org_kind", "region", "org_code"],
    "speaker": ["org_name", "org_kind", "region", "org_code"],
    "org_kind": [],
}
_COUNTS: list[str] = ["turns", "statements", "chars"]


def speaker_frequency(statements: pd.DataFrame, by: str = "org_name") -> pd.DataFrame:
    """Turns, statements and characters per organization (default), speaker label or org kind.

    by="org_name": [org_name, org_kind, region, org_code, turns, statements, chars];
    by="speaker": [speaker, org_name, org_kind, region, org_code, turns, statements, chars];
    by="org_kind": [org_kind, turns, statements, chars]. Sorted by statements, then turns and
    characters (desc), then name. ``chars`` is the sum of ``chars`` (len of norm_text).
    """
    if by not in _ATTRIBUTES:
        raise ValueError(f"by must be one of {', '.join(_ATTRIBUTES)}, not {by!r}")
    columns = [by, *_ATTRIBUTES[by], *_COUNTS]
    if statements.empty:
        return empty(columns)
    frame = statements.assign(chars=as_int(statements["chars"]))
    aggregations: dict[str, tuple[str, str]] = {a: (a, "first") for a in _ATTRIBUTES[by]}
    aggregations |= {
        "turns": ("turn_id", "nunique"),
        "statements": ("statement_id", "nunique"),
        "chars": ("chars", "sum"),
    }
    counts = frame.groupby(by, dropna=False).agg(**aggregations).reset_index()
    attributes = _ATTRIBUTES[by]
    counts[attributes] = counts[attributes].astype(object).where(counts[attributes].notna(), None)
    counts = counts.sort_values(
        ["statements", "turns", "chars", by], ascending=[False, False, False, True], kind="stable"
    )
    return counts[columns].reset_index(drop=True)


def summary_kpis(meetings: pd.DataFrame, statements: pd.DataFrame) -> dict[str, Any]:
    """Headline numbers for the current selection.

    会議数 and 期間 (earliest, latest date) come from ``meetings``; 発言数 (statements),
    発言ターン数 (turns), 発言者数 (distinct speakers: one per person, ``analysis.speaker_identity``)
    and 区市町村数 (distinct municipalities among the speakers: 特別区/市/町/村) from
    ``statements``. Plain Python types.
    """
    dates = meetings["date"].dropna() if not meetings.empty else pd.Series(dtype=object)
    dates = dates[dates.astype(str).ne("")]
    municipal = (
        statements.loc[statements["org_kind"].isin(MUNICIPAL_KINDS), "org_name"]
        if not statements.empty
        else []
    )
    return {
        "会議数": int(meetings["meeting_id"].nunique()) if not meetings.empty else 0,
        "期間": (str(dates.min()), str(dates.max())) if len(dates) else (None, None),
        "発言数": int(statements["statement_id"].nunique()) if not statements.empty else 0,
        "発言ターン数": int(statements["turn_id"].nunique()) if not statements.empty else 0,
        "発言者数": int(statements["speaker"].nunique()) if not statements.empty else 0,
        "区市町村数": int(pd.Series(municipal, dtype=object).nunique()),
    }
