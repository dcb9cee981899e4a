"""Data model of one parsed minutes document, and its JSON form (the `parse` contract).

The dataclasses mirror ``shared/docs/design.md``; ``ParsedDocument.to_dict()`` is exactly the
JSON printed by ``python -m analysis parse FILE``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

OrgKind = Literal["特別区", "市", "町", "村", "東京都", "国", "その他", "不明"]
Role = Literal["question", "answer", "remark"]

MUNICIPAL_KINDS: tuple[str, ...] = ("特別区", "市", "町", "村")
ORG_KINDS: tuple[str, ...] = ("特別区", "市", "町", "村", "東京都", "国", "その他", "不明")


@dataclass(frozen=True)
class Organization:
    """Who a speaker speaks for: a municipality (with 団体コード and region), 東京都, 国, …"""

    name: str
    kind: str
    code: str | None = None
    region: str | None = None

    @property
    def is_municipality(self) -> bool:
        return self.kind in MUNICIPAL_KINDS


@dataclass
class Source:
    path: str
    sha256: str
    format: str
    encoding: str | None = None


@dataclass
class MeetingInfo:
    title: str
    series: str | None
    number: int | None
    document_kind: str | None
    date: str | None
    start_time: str | None
    end_time: str | None
    venue: str | None
    source: Source


@dataclass
class AgendaItem:
    title: str
    presenters: list[str] = field(default_factory=list)


@dataclass
class Section:
    id: int
    title: str
    parent_id: int | None = None


@dataclass
class Turn:
    """One speaker's uninterrupted contribution: a label line followed by statements."""

    order: int
    section_id: int | None
    speaker: str
    organization: Organization
    role: str = "remark"
    reply_to: int | None = None
    statements: list[str] = field(default_factory=list)


@dataclass
class Note:
    section_id: int | None
    text: str


@dataclass
class ParsedDocument:
    meeting: MeetingInfo
    agenda: list[AgendaItem] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The `parse` JSON contract (design.md), key for key."""
        return asdict(self)

    @property
    def statement_count(self) -> int:
        return sum(len(t.statements) for t in self.turns)
