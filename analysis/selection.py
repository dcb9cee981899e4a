"""The shared filter set (sidebar and ``python -m analysis export``) applied to the corpus frames.

:class:`FilterSpec` holds the active filters; :func:`select` returns the statements, tokens and
meetings they keep, :func:`describe` the filters in one Japanese line and :func:`footnote` the
source line every chart carries. The dashboard and the CLI both go through here, so a view in
the dashboard and an export with the same filters count the same statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import pandas as pd

from analysis.meeting_order import UNDATED
from analysis.metrics import CRITERIA_LABELS, filter_statements, matching_any, tokens_for


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
    #: A chart selection turned into a filter (linked views): statements matching ANY of these
    #: element criteria, each a sorted tuple of (key, value) pairs (keys: CRITERIA_LABELS).
    focus: tuple[tuple[tuple[str, str], ...], ...] = ()

    @property
    def is_empty(self) -> bool:
        return self == FilterSpec()

    @property
    def statement_level(self) -> bool:
        """Whether a filter below the meeting level (section, kind, org, topic, focus) is set."""
        return bool(self.sections or self.org_kinds or self.orgs or self.topics or self.focus)

    def focus_criteria(self) -> list[dict[str, str]]:
        """``focus`` as the criteria dicts the drill-down uses."""
        return [dict(items) for items in self.focus]


def focus_from_criteria(
    selections: Iterable[Mapping[str, object]],
) -> tuple[tuple[tuple[str, str], ...], ...]:
    """Chart-element criteria as a hashable, ordered ``FilterSpec.focus`` (unknown keys dropped)."""
    out: list[tuple[tuple[str, str], ...]] = []
    for criteria in selections:
        items = tuple(
            sorted((str(k), str(v)) for k, v in criteria.items() if k in CRITERIA_LABELS and v is not None)
        )
        if items and items not in out:
            out.append(items)
    return tuple(out)


def describe_focus(focus: tuple[tuple[tuple[str, str], ...], ...]) -> str:
    """``トピック: クラウド／組織: 足立区`` per element, elements joined by 「または」."""
    return " または ".join(
        "／".join(f"{CRITERIA_LABELS.get(k, k)}: {v}" for k, v in items) for items in focus
    )


@dataclass(frozen=True)
class Selection:
    """The frames a filter set keeps."""

    statements: pd.DataFrame
    tokens: pd.DataFrame
    meetings: pd.DataFrame
    #: Undated meetings the date range left out (they would be kept without it).
    undated_excluded: int = 0


def select(
    meetings: pd.DataFrame, statements: pd.DataFrame, tokens: pd.DataFrame, spec: FilterSpec
) -> Selection:
    """Statements matching ``spec`` (``filter_statements``), their tokens and their meetings.

    Meetings are those chosen by the meeting and date filters; once a statement-level filter
    (section, kind, organization, topic) is set, only meetings with a matching statement stay.
    A date range cannot place an undated meeting, so it leaves it out; how many it left out is
    counted (``undated_excluded``) so that every screen can say so.
    """
    kept = _filtered(statements, spec)
    chosen = _meetings(meetings, spec, kept)
    undated = 0
    if spec.date_from or spec.date_to:
        undated_meetings = _undated(meetings)
        if not undated_meetings.empty:
            without_dates = replace(spec, date_from=None, date_to=None)
            undated = len(_meetings(undated_meetings, without_dates, _filtered(statements, without_dates)))
    return Selection(kept, tokens_for(tokens, kept), chosen, undated)


def _filtered(statements: pd.DataFrame, spec: FilterSpec) -> pd.DataFrame:
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
    return matching_any(kept, spec.focus_criteria()) if spec.focus else kept


def _undated(meetings: pd.DataFrame) -> pd.DataFrame:
    return meetings[meetings["date"].astype(object).fillna("").astype(str).eq("")]


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


def undated_note(count: int) -> str:
    """What a date range left out, in the words every screen uses ("" when nothing)."""
    return f"日付のない会議 {count} 件は含まれていません" if count else ""


def describe(spec: FilterSpec, meeting_labels: Mapping[int, str], undated_excluded: int = 0) -> str:
    """The active filters in one Japanese line (for captions, footnotes and title slides), naming
    the undated meetings a date range left out."""
    parts: list[str] = []
    if spec.meeting_ids:
        parts.append("会議: " + "、".join(meeting_labels.get(m, str(m)) for m in spec.meeting_ids))
    if spec.date_from or spec.date_to:
        period = f"期間: {spec.date_from or '…'}〜{spec.date_to or '…'}"
        note = undated_note(undated_excluded)
        parts.append(f"{period}（{note}）" if note else period)
    for label, values in (
        ("セクション", spec.sections),
        ("種別", spec.org_kinds),
        ("組織", spec.orgs),
        ("トピック", spec.topics),
    ):
        if values:
            parts.append(f"{label}: " + "、".join(values))
    if spec.focus:
        parts.append(f"グラフで選択（{describe_focus(spec.focus)}）")
    return "／".join(parts) if parts else "絞り込みなし"


def _dates(meetings: pd.DataFrame) -> pd.Series:
    dated = meetings["date"].dropna().astype(str) if not meetings.empty else pd.Series(dtype=str)
    return dated[dated.ne("")]


def _span(dated: pd.Series, joiner: str) -> str:
    low, high = dated.min(), dated.max()
    return low if low == high else f"{low}{joiner}{high}"


def source_text(meetings: pd.DataFrame) -> str:
    """The meetings behind a view: one title with its date, or the series with its period."""
    if meetings.empty:
        return "（該当する会議なし）"
    if len(meetings) == 1:
        row = meetings.iloc[0]
        kind = (
            f" {row['document_kind']}"
            if isinstance(row["document_kind"], str) and row["document_kind"]
            else ""
        )
        when = row["date"] if isinstance(row["date"], str) and row["date"] else UNDATED
        return f"{row['title']}{kind}（{when}）"
    series = meetings["series"].dropna().astype(str)
    name = series.mode().iat[0] if len(series) else "会議"
    return f"{name} 議事録 {len(meetings)}回分（{period_text(meetings)}）"


def period_parts(meetings: pd.DataFrame) -> tuple[str | None, int]:
    """(date span of the dated meetings or None, number of undated meetings)."""
    dated = _dates(meetings)
    return (_span(dated, "〜") if len(dated) else None), len(meetings) - len(dated)


def period_text(meetings: pd.DataFrame) -> str:
    """The period covered, naming undated meetings instead of hiding them:
    "2023-02-14", "2023-02-14〜2024-03-01", "2023-02-14〜2024-03-01・日付なし1件", "日付なし"."""
    span, undated = period_parts(meetings)
    if span is None:
        return UNDATED if undated <= 1 else f"{UNDATED}{undated}件"
    return f"{span}・{UNDATED}{undated}件" if undated else span


def file_suffix(meetings: pd.DataFrame) -> str:
    """File-name suffix of exports: the date or date span ("_and_undated" when some meetings have
    no date), "undated" when none has one, "all" for no meeting."""
    dated = _dates(meetings)
    if meetings.empty:
        return "all"
    if not len(dated):
        return "undated"
    span = _span(dated, "_")
    return f"{span}_and_undated" if len(dated) < len(meetings) else span


def footnote(meetings: pd.DataFrame, description: str, statements: int) -> str:
    """The source line of every chart: meetings, filters and the number of statements counted."""
    return f"出典: {source_text(meetings)}｜条件: {description}｜対象: {statements:,}発言"
