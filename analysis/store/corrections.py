"""Corrections a person makes to a document's metadata, kept with the document.

The parser reads title, series, number and date from the text; when it gets one wrong (or the
document does not say), the data management page lets a person correct it before saving. The
corrections are stored as JSON next to the source bytes and applied after every parse of the
document, so re-deriving after a parser change keeps them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields, replace
from typing import Any

from analysis.minutes import NO_DATE_WARNING, reassess
from analysis.model import ParsedDocument

MAX_TEXT = 200
MAX_NUMBER = 9999


class CorrectionError(ValueError):
    """A correction that cannot be applied; ``str(err)`` is a Japanese message for the user."""


@dataclass(frozen=True)
class MeetingOverrides:
    """Corrected metadata; ``None`` keeps what the parser found."""

    title: str | None = None
    series: str | None = None
    number: int | None = None
    date: str | None = None

    def __post_init__(self) -> None:
        for name in ("title", "series"):
            value = getattr(self, name)
            if value is None:
                continue
            cleaned = " ".join(str(value).split())
            if not cleaned:
                raise CorrectionError(f"{_LABELS[name]}が空です")
            if len(cleaned) > MAX_TEXT:
                raise CorrectionError(f"{_LABELS[name]}が長すぎます（{MAX_TEXT}文字まで）")
            object.__setattr__(self, name, cleaned)
        if self.number is not None:
            if isinstance(self.number, bool) or not isinstance(self.number, int):
                raise CorrectionError("回は整数で指定してください")
            if not 0 <= self.number <= MAX_NUMBER:
                raise CorrectionError(f"回は0〜{MAX_NUMBER}で指定してください")
        if self.date is not None:
            try:
                day = dt.date.fromisoformat(str(self.date))
            except ValueError:
                raise CorrectionError(f"開催日「{self.date}」は YYYY-MM-DD の日付ではありません") from None
            if not 1900 <= day.year <= 2100:
                raise CorrectionError("開催日は1900年〜2100年の日付にしてください")
            object.__setattr__(self, "date", day.isoformat())

    @property
    def empty(self) -> bool:
        """True when nothing is corrected."""
        return all(getattr(self, f.name) is None for f in fields(self))

    def to_json(self) -> str:
        """The stored form: only the corrected fields."""
        return json.dumps(
            {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None},
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str | None) -> MeetingOverrides:
        """Read the stored form (unknown keys are ignored)."""
        data: Any = json.loads(text or "{}")
        if not isinstance(data, dict):
            return cls()
        return cls(**{f.name: data.get(f.name) for f in fields(cls)})

    def merged(self, newer: MeetingOverrides) -> MeetingOverrides:
        """These corrections with the fields set in ``newer`` replaced."""
        return replace(
            self, **{f.name: v for f in fields(newer) if (v := getattr(newer, f.name)) is not None}
        )

    def apply(self, doc: ParsedDocument) -> ParsedDocument:
        """Set the corrected fields on ``doc`` (in place; returned for chaining)."""
        meeting = doc.meeting
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                setattr(meeting, f.name, value)
        if self.date is not None:
            doc.warnings = [w for w in doc.warnings if w != NO_DATE_WARNING]
        if not self.empty:
            reassess(doc)
        return doc


def overrides_from_edits(doc: ParsedDocument, **edited: Any) -> MeetingOverrides:
    """Corrections for the fields whose edited value differs from what the parser found.

    Blank text and ``None`` mean "keep the parsed value"; raises ``CorrectionError``.
    """
    meeting = doc.meeting
    changed: dict[str, Any] = {}
    for name, value in edited.items():
        if name not in _LABELS:
            raise CorrectionError(f"修正できない項目です: {name}")
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        if value != getattr(meeting, name):
            changed[name] = value
    return MeetingOverrides(**changed)


_LABELS = {"title": "会議名", "series": "会議体", "number": "回", "date": "開催日"}
