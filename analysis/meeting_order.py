"""The reading order of meetings, with undated meetings placed by their number within a series.

A meeting whose date could not be read still has its place in a series: 第2回 comes after 第1回
and before 第3回. Sorting by date alone would push it after newer meetings, so trends and tables
would show it out of sequence. Dated meetings sort by date; an undated meeting with a number sits
just after the dated meeting of its series with the next lower number (or just before the one with
the next higher number); an undated meeting without a number or series goes last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Label part shown for a meeting without a date (tables, axes, footnotes).
UNDATED = "日付なし"

_LAST = "9999-12-31"


@dataclass(frozen=True)
class MeetingKey:
    """What the order of one meeting depends on."""

    meeting_id: int
    date: str | None
    series: str | None
    number: int | None


def _number(value: object) -> int | None:
    try:
        return None if value is None or value != value else int(value)  # noqa: PLR0124 (NaN check)
    except (TypeError, ValueError):
        return None


def meeting_sequence(meetings: Sequence[MeetingKey]) -> dict[int, int]:
    """Meeting id → 0-based position in reading order (see the module docstring)."""
    dated = [m for m in meetings if m.date]

    def anchor(m: MeetingKey) -> tuple[str, int]:
        if m.date:
            return m.date, 1
        if m.number is None or not m.series:
            return _LAST, 3
        same = [d for d in dated if d.series == m.series and d.number is not None]
        lower = [d for d in same if d.number < m.number]  # type: ignore[operator]
        if lower:
            return max(lower, key=lambda d: (d.number, d.date)).date or _LAST, 2
        higher = [d for d in same if d.number > m.number]  # type: ignore[operator]
        if higher:
            return min(higher, key=lambda d: (d.number, d.date)).date or _LAST, 0
        return _LAST, 3

    def key(m: MeetingKey) -> tuple:
        date, rank = anchor(m)
        number = m.number if m.number is not None else 10**9
        return date, rank, number, m.meeting_id

    ordered = sorted(meetings, key=key)
    return {m.meeting_id: i for i, m in enumerate(ordered)}


def keys(
    ids: Sequence[object], dates: Sequence[object], series: Sequence[object], numbers: Sequence[object]
) -> list[MeetingKey]:
    """MeetingKeys from parallel columns (missing values as None)."""
    return [
        MeetingKey(
            int(i),
            d if isinstance(d, str) and d else None,
            s if isinstance(s, str) and s else None,
            _number(n),
        )
        for i, d, s, n in zip(ids, dates, series, numbers, strict=True)
    ]
