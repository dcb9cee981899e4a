"""Data model of one parsed minutes document, and its JSON form (the `parse` contract).

The dataclasses mirror ``shared/docs/design.md`` (copied in ``docs/contract.md``);
``ParsedDocument.to_dict()`` is exactly the JSON printed by ``python -m analysis parse FILE``.
The contract only grows: fields are added (agenda ``parent``/``private``, section ``private``,
``quality``), never renamed or removed.
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
    """One item of the 議事 block. ``parent`` is the index (in the agenda list) of the item it is
    listed under, for sub-items such as the reports under 報告事項; ``private`` marks (非公開)."""

    title: str
    presenters: list[str] = field(default_factory=list)
    parent: int | None = None
    private: bool = False


@dataclass
class Section:
    """A heading of the body; ``private`` marks a (非公開) part whose discussion is not minuted."""

    id: int
    title: str
    parent_id: int | None = None
    private: bool = False


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
class Quality:
    """What the parser understood of a document, so a person can see whether to trust it.

    ``styles`` names the parser rules that read the document (e.g. ``speaker-paren-line``).
    ``attributed`` counts statements whose speaker has a known organization. ``speakers_expected``
    is False for minutes that name no speaker at all (an 意見交換概要 of bullets). ``is_minutes``
    is False for text with no meeting structure (no date, speaker, heading or agenda), which the CLI
    refuses. ``flagged`` means the numbers need a person's check before they go on a slide: no
    date, or more than ``UNATTRIBUTED_LIMIT`` of the statements unattributed where speakers were
    expected. ``fix`` lists what to correct (``date``, ``number``, ``speakers``); ``warnings``
    say it in plain Japanese.
    """

    styles: list[str] = field(default_factory=list)
    statements: int = 0
    attributed: int = 0
    attributed_share: float | None = None
    unknown_speakers: list[str] = field(default_factory=list)
    has_date: bool = False
    has_number: bool = False
    has_agenda: bool = False
    has_speakers: bool = False
    speakers_expected: bool = False
    is_minutes: bool = True
    flagged: bool = False
    fix: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


    def to_json(self) -> str:
        """The stored form (JSON of every field)."""
        import json

        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Quality | None:
        """Read the stored form; None for meetings stored before quality was recorded."""
        import json

        try:
            data = json.loads(text or "{}")
        except json.JSONDecodeError:
            return None
        if not isinstance(data, dict) or not data:
            return None
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


#: Share of unattributed statements above which a document with speakers is flagged.
UNATTRIBUTED_LIMIT = 0.2


@dataclass
class ParsedDocument:
    meeting: MeetingInfo
    agenda: list[AgendaItem] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    quality: Quality = field(default_factory=Quality)

    def to_dict(self) -> dict:
        """The `parse` JSON contract (design.md), key for key."""
        return asdict(self)

    @property
    def statement_count(self) -> int:
        return sum(len(t.statements) for t in self.turns)
