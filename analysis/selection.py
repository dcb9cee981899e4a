"""The shared filter set (sidebar and ``python -m analysis export``) applied to the corpus frames.

:class:`FilterSpec` holds the active filters; :func:`select` returns the statements, tokens and
meetings they keep, :func:`describe` the filters in one Japanese line and :func:`footnote` the
source line every chart carries. The dashboard and the CLI both go through here, so a view in
the dashboard and an export with the same filters count the same statements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analysis.metrics import filter_statements, tokens_for


@dataclass(frozen=True)
class FilterSpec:
    """The active filter values (empty tuple / None = no restriction)."""

    meeting_ids: tuple[int, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    sections: tuple[str, ...] = ()
    org_kinds: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == FilterSpec()

    @property
    def statement_level(self) -> bool:
        """Whether a filter below the meeting level (section, kind, org, topic) is set."""
        return bool(self.sections or self.org_kinds or self.orgs or self.topics)


@dataclass(frozen=True)
class Selection:
    """The frames a filter set keeps."""

    statements: pd.DataFrame
    tokens: pd.DataFrame
    meetings: pd.DataFrame


def select(
    meetings: pd.DataFrame, statements: pd.DataFrame, tokens: pd.DataFrame, spec: FilterSpec
) -> Selection:
    """Statements matching ``spec`` (``filter_statements``), their tokens and their meetings.

    Meetings are those chosen by the meeting and date filters; once a statement-level filter
    (section, kind, organization, topic) is set, only meetings with a matching statement stay.
    """
    kept = filter_statements(
        statements,
        meeting_ids=spec.meeting_ids or None,
        date_from=spec.date_from,
        date_to=spec.date_to,
        sections=spec.sections or None,
        org_kinds=spec.org_kinds or None,
        orgs=spec.orgs or None,
        topics=spec.topics or None,
    )
    return Selection(kept, tokens_for(tokens, kept), _meetings(meetings, spec, kept))


def _meetings(meetings: pd.DataFrame, spec: FilterSpec, statements: pd.DataFrame) -> pd.DataFrame:
    if spec.meeting_ids:
        meetings = meetings[meetings["meeting_id"].isin(spec.meeting_ids)]
    dates = meetings["date"].astype(object).fillna("").astype(str)
    if spec.date_from:
        meetings = meetings[dates.ne("") & (dates >= spec.date_from)]
        dates = meetings["date"].astype(object).fillna("").astype(str)
    if spec.date_to:
        meetings = meetings[dates.ne("") & (dates <= spec.date_to)]
    if spec.statement_level:
        meetings = meetings[meetings["meeting_id"].isin(statements["meeting_id"])]
    return meetings.reset_index(drop=True)


def describe(spec: FilterSpec, meeting_labels: Mapping[int, str]) -> str:
    """The active filters in one Japanese line (for captions, footnotes and title slides)."""
    parts: list[str] = []
    if spec.meeting_ids:
        parts.append("会議: " + "、".join(meeting_labels.get(m, str(m)) for m in spec.meeting_ids))
    if spec.date_from or spec.date_to:
        parts.append(f"期間: {spec.date_from or '…'}〜{spec.date_to or '…'}")
    for label, values in (
        ("セクション", spec.sections),
        ("種別", spec.org_kinds),
        ("組織", spec.orgs),
        ("トピック", spec.topics),
    ):
        if values:
            parts.append(f"{label}: " + "、".join(values))
    return "／".join(parts) if parts else "絞り込みなし"


def _dates(meetings: pd.DataFrame) -> pd.Series:
    dated = meetings["date"].dropna().astype(str) if not meetings.empty else pd.Series(dtype=str)
    return dated[dated.ne("")]


def source_text(meetings: pd.DataFrame) -> str:
    """The meetings behind a view: one title with its date, or the series with a date span."""
    if meetings.empty:
        return "（該当する会議なし）"
    dated = _dates(meetings)
    if len(meetings) == 1:
        row = meetings.iloc[0]
        kind = (
            f" {row['document_kind']}"
            if isinstance(row["document_kind"], str) and row["document_kind"]
            else ""
        )
        return f"{row['title']}{kind}（{row['date'] or '日付不明'}）"
    series = meetings["series"].dropna().astype(str)
    name = series.mode().iat[0] if len(series) else "会議"
    span = f"{dated.min()}〜{dated.max()}" if len(dated) else "日付不明"
    return f"{name} 議事録 {len(meetings)}回分（{span}）"


def _span(meetings: pd.DataFrame, joiner: str, undated: str) -> str:
    dated = _dates(meetings)
    if not len(dated):
        return undated
    low, high = dated.min(), dated.max()
    return low if low == high else f"{low}{joiner}{high}"


def period_text(meetings: pd.DataFrame) -> str:
    """The period covered: "2023-02-14" or "2023-02-14〜2024-03-01" ("日付不明" without dates)."""
    return _span(meetings, "〜", "日付不明")


def file_suffix(meetings: pd.DataFrame) -> str:
    """File-name suffix of exports: the date, the date span, or "all"."""
    return _span(meetings, "_", "all")


def footnote(meetings: pd.DataFrame, description: str, statements: int) -> str:
    """The source line of every chart: meetings, filters and the number of statements counted."""
    return f"出典: {source_text(meetings)}｜条件: {description}｜対象: {statements:,}発言"
