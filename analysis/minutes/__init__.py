"""Minutes text -> ParsedDocument: metadata, agenda, sections, speaker turns, statements, notes.

The text is read in stages, each a module of named rules: ``tables`` (box-drawn header tables
as field lines), ``header`` (title, date, fields, attendee blocks), ``agenda`` (the 議事 block),
``people`` (attendees, host, who a label stands for), ``body`` (headings, speakers, statements
and notes — rules in ``headings``/``speakers``/``statements``/``notes``, their order in
``body.RULES``, the look-ahead in ``context``), ``roles`` (question -> answer) and ``quality``
(what was understood). Original characters
are kept for display; matching uses ``normalize_text``. Hand-written rather than a grammar
library: real minutes are only loosely structured, and the same shape (a short line on its own)
is a heading or a speaker label depending on what follows and on whether it names an organization.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from analysis import orgs
from analysis.minutes.agenda import read_agenda
from analysis.minutes.body import UNATTRIBUTED, read_body
from analysis.minutes.header import DOCUMENT_KINDS, read_header, title_and_series
from analysis.minutes.lines import key, make_lines
from analysis.minutes.people import People, host_of, read_attendees, secretariat_of
from analysis.minutes.quality import assess, reassess
from analysis.minutes.roles import assign_roles
from analysis.minutes.tables import unbox
from analysis.model import MeetingInfo, Note, Organization, ParsedDocument, Source
from analysis.sources import SourceText, read_source

__all__ = [
    "DOCUMENT_KINDS", "NOT_MINUTES_MESSAGE", "NO_DATE_WARNING", "NotMinutesError", "PARSER_VERSION", "UNATTRIBUTED",
    "parse_file", "parse_source", "parse_text", "reassess",
]  # fmt: skip

#: Bump when parsing logic changes: the store re-derives every meeting from its stored source.
PARSER_VERSION = "4"
NO_DATE_WARNING = "開催日を特定できません"
NOT_MINUTES_MESSAGE = "議事録として読み取れません（開催日・議事・見出し・発言者のいずれも見つかりません）"


class NotMinutesError(ValueError):
    """The text has no meeting structure at all; ``str(err)`` is a one-line Japanese reason."""

    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc
        super().__init__(f"{doc.meeting.source.path}: {NOT_MINUTES_MESSAGE}")


def parse_file(path: str | Path, *, refuse_non_minutes: bool = False) -> ParsedDocument:
    """Read and parse one minutes file (``SourceError`` for unreadable input, ``NotMinutesError``
    with ``refuse_non_minutes`` for text that is not minutes)."""
    return parse_source(read_source(path), refuse_non_minutes=refuse_non_minutes)


def parse_source(
    src: SourceText,
    org_overrides: Mapping[str, Organization] | None = None,
    *,
    refuse_non_minutes: bool = False,
) -> ParsedDocument:
    """Parse the text of one document (``org_overrides``: see ``parse_text``)."""
    source = Source(path=src.path, sha256=src.sha256, format=src.format, encoding=src.encoding)
    return parse_text(
        src.text, source, org_overrides, hints=src.headings, refuse_non_minutes=refuse_non_minutes
    )


def parse_text(
    text: str,
    source: Source | None = None,
    org_overrides: Mapping[str, Organization] | None = None,
    *,
    hints: Mapping[int, int] | None = None,
    refuse_non_minutes: bool = False,
) -> ParsedDocument:
    """Parse minutes text. ``source`` describes where it came from (defaults to an in-memory text).

    ``org_overrides`` (``orgs.label_key`` -> Organization) are speaker mappings chosen by a
    person; they decide the organization of the labels they name (and so the Q&A roles).
    ``hints`` (line index -> heading level) are headings the reader saw (Word styles, <h2>).
    """
    source = source or Source(path="<text>", sha256="", format="txt", encoding=None)
    lines = make_lines(unbox(text), dict(hints or {}))
    header = read_header(lines)
    title_parts = [header.name] if header.name else header.title_parts
    title, series, number, title_date = title_and_series(title_parts, Path(source.path).stem)
    host, council = host_of(title, series)
    people = People(
        overrides=dict(org_overrides or {}),
        attendees=read_attendees(header.attendee_blocks, host, council),
        host=host,
        council=council,
        secretariat=secretariat_of(header.attendee_blocks) or _issuer(header.issuer),
    )
    agenda = read_agenda(lines, header.end, people)
    body_start = agenda.end if agenda.items or agenda.rules else header.end
    if agenda.items:
        header = read_header(lines, body_start, header)  # fields written after the 議題
        body_start = max(body_start, header.end)
    body = read_body(lines[body_start:], people, agenda.items)
    meeting = MeetingInfo(
        title=title, series=series, number=number, document_kind=header.document_kind,
        date=header.date or title_date, start_time=header.start_time, end_time=header.end_time or body.closing_time,
        venue=header.venue, source=source,
    )  # fmt: skip
    assign_roles(
        body.turns, people, body.fixed_roles, _section_presenters(body.sections, agenda.items, people)
    )
    doc = ParsedDocument(
        meeting=meeting, agenda=agenda.items, sections=body.sections, turns=body.turns,
        notes=[Note(section_id=None, text=text) for text in header.notes] + body.notes, warnings=body.warnings,
    )  # fmt: skip
    if meeting.date is None:
        doc.warnings.append(NO_DATE_WARNING)
    if not doc.turns:
        doc.warnings.append("発言を検出できません")
    doc.quality = assess(doc, header.rules | agenda.rules | body.rules)
    if refuse_non_minutes and not doc.quality.is_minutes:
        raise NotMinutesError(doc)
    return doc


def _issuer(text: str | None) -> Organization | None:
    """The organization that issued the document (作成：東京都デジタルサービス局), if known."""
    if not text:
        return None
    org = orgs.resolve(text)
    return None if org.kind == orgs.UNKNOWN_KIND else org


def _section_presenters(sections, agenda, people: People) -> dict[int | None, set[str]]:
    """Section id -> organizations presenting the agenda item that section repeats."""
    by_key = {key(a.title): a for a in agenda}
    out: dict[int | None, set[str]] = {}
    for section in sections:
        item = by_key.get(key(section.title))
        if item and item.presenters:
            out[section.id] = {people.resolve(p).name for p in item.presenters} - {"不明"}
    return out
