"""The 議事 block: agenda items, their sub-items and presenters — presenters, never speakers.

The block starts at an agenda heading (議事, 議事：, 議題, 次第, 本日の会議に付した事件 …) and its
items come in one of three house styles, decided by the first item:

- ``agenda-marked``: bullets (・ • - ‧ ○), as in the seed and the web editions;
- ``agenda-numbered``: ``1.`` ``1 `` ``(1)`` ``①`` numbering, as in the フォーラム第2回 edition and 検討会;
- ``agenda-plain``: unmarked lines, as in the CIO協議会 第4回 web edition.

In every style a line indented deeper than the items is a sub-item (the reports under 報告事項)
or, when it names a person by title (デジタルサービス局長 山田 忠輝), a presenter of the item above.
Presenters are also written in parentheses on their own line or after the item
(講演会(…弁護士 … 氏), …について(八王子市), several in a row). ``(非公開)`` marks a closed item.
The block ends at a line that belongs to the body: a 【…】 heading, a line at the items' indent
that is not an item of the block's style, a repeated item title, or a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.minutes.header import (
    ATTENDEE_LABELS,
    DATE_LABELS,
    ISSUER_LABELS,
    NAME_LABELS,
    SEPARATOR_LINE,
    VENUE_LABELS,
    agenda_heading,
    field_of,
)
from analysis.minutes.lines import (
    PROCEEDINGS,
    Line,
    is_parenthesized,
    key,
    next_nonblank,
    split_private,
    strip_marker,
    unparenthesize,
)
from analysis.minutes.people import People
from analysis.model import AgendaItem
from analysis.normalize import normalize_text

NUMBERED_TOP = re.compile(
    r"^(?:第?[0-9]+|[一二三四五六七八九十]+|[IVX]{1,4})\s*[.．、)）]?\s+(?=\S)"
    r"|^(?:[0-9]+|[一二三四五六七八九十]+|[IVX]{1,4})\s*[.．、]\s*(?=\S)"
)
NUMBERED_SUB = re.compile(r"^(?:[(（][0-9一二三四五六七八九十]+[)）]|[①-⑳])\s*(?=\S)")
#: A person named by title, as presenters are listed: "デジタルサービス局長 山田 忠輝", "… 氏".
PERSON_TITLE = re.compile(r"(長|CIO|知事|官|参事|担当|委員|理事|顧問|教授|弁護士|氏|様|事務局)")
PERSON_NAME_END = re.compile(r"(\s\S{1,5}\s\S{1,4}|\s\S{2,6}|氏|様)$")
#: Endings of an item's title (not of a person's name and title): "こどもDXの推進について".
ITEM_TITLE_TAIL = re.compile(
    r"(について|に関して|の紹介|紹介|報告|報告事項|推進|取組|事業|計画|予算|方針|概要|状況|説明)$"
)
#: Header fields that may follow the agenda (開会/閉会 are items, not fields, inside it).
FIELDS_AFTER_AGENDA = frozenset(DATE_LABELS + VENUE_LABELS + ATTENDEE_LABELS + NAME_LABELS + ISSUER_LABELS)
#: A presenting unit written after an item: (DX推進課), (事務局), (戸籍住民課).
UNIT = re.compile(r"(課|部|局|室|係|担当|事務局|センター|所|庁|省)$")
NOT_PRESENTER = re.compile(r"^(案|仮称|報告|資料\s*\d*|予定|継続|質疑|説明|公開|再掲|\d+分)$")


@dataclass
class Agenda:
    items: list[AgendaItem] = field(default_factory=list)
    end: int = 0
    rules: set[str] = field(default_factory=set)

    def keys(self) -> dict[str, AgendaItem]:
        """Item title key -> item, to recognize the body's headings that repeat an item."""
        return {key(item.title): item for item in self.items}


def read_agenda(lines: list[Line], start: int, people: People) -> Agenda:
    """The agenda block starting at ``start`` (after blank lines); empty when there is none."""
    agenda = Agenda(end=start)
    i = start
    while i < len(lines) and lines[i].blank:
        i += 1
    first_item = agenda_heading(lines[i]) if i < len(lines) else None
    if first_item is None:
        return agenda
    agenda.rules.add("agenda-heading")
    style: str | None = None
    base_indent = 0
    top: int | None = None
    seen: set[str] = set()
    pending = [_inline_item(lines[i], first_item)] if first_item else []
    i += 1
    while pending or i < len(lines):
        from_heading = bool(pending)
        line = pending.pop() if pending else lines[i]
        if line.blank:
            i += 0 if from_heading else 1
            continue
        norm = line.norm
        if norm.startswith("【") or norm.endswith("。") or len(norm) > 400:
            break
        if is_parenthesized(norm):
            if agenda.items:
                _add_presenter(agenda.items[-1], unparenthesize(norm))
                i += 0 if from_heading else 1
                continue
            break
        kind = _item_kind(line)
        if PROCEEDINGS.match(norm) or (
            kind == "plain" and line.indent <= base_indent and _opens_turn(lines, i, people)
        ):
            break  # 午前9時30分 開議, or a speaker label: the body has begun
        if SEPARATOR_LINE.fullmatch(norm) or field_of(line.wide)[0] in FIELDS_AFTER_AGENDA:
            break  # −−−− rule, or the header fields go on after the agenda (《出席委員》, 開催日時)
            break  # 午前9時30分 開議, or a speaker label: the body has begun
        if style is None:
            style, base_indent = kind, line.indent
            agenda.rules.add(f"agenda-{style}")
        deeper = line.indent > base_indent
        if kind != style and kind != "sub" and not deeper:
            break
        text = _item_text(line, kind)
        if deeper and kind in ("plain", style) and top is not None and _is_presenter(text):
            _add_presenter(agenda.items[-1], strip_marker(norm))
            i += 0 if from_heading else 1
            continue
        title, presenters, private = _split_item(text, people)
        if key(title) in seen and not deeper:
            break  # the body repeats the first item: the block is over
        level = 1 if top is not None and (deeper or (kind == "sub" and style != "sub")) else 0
        item = AgendaItem(title=title, presenters=presenters, parent=top if level else None, private=private)
        agenda.items.append(item)
        seen.add(key(title))
        if level == 0:
            top = len(agenda.items) - 1
        i += 0 if from_heading else 1
    agenda.end = i
    return agenda


def _inline_item(heading: Line, item: str) -> Line:
    """The first item written on the heading's line, at the column it starts in."""
    column = len(heading.raw) - len(heading.raw.lstrip()) + heading.raw.strip().find(item[:2])
    return Line(raw=" " * max(column, 0) + item, norm=normalize_text(item), indent=max(column, 0))


def _item_kind(line: Line) -> str:
    plain = line.plain
    if line.marker:
        return "marked"
    if NUMBERED_SUB.match(plain):
        return "sub"
    if NUMBERED_TOP.match(plain):
        return "numbered"
    return "plain"


def _item_text(line: Line, kind: str) -> str:
    text = line.plain
    if kind == "marked":
        text = strip_marker(text)
    elif kind == "numbered":
        text = NUMBERED_TOP.sub("", text, count=1)
    elif kind == "sub":
        text = NUMBERED_SUB.sub("", text, count=1)
    return text.strip()


def _is_presenter(text: str) -> bool:
    """An indented line naming a person by title rather than a sub-item title."""
    return bool(
        PERSON_TITLE.search(text) and PERSON_NAME_END.search(text) and not ITEM_TITLE_TAIL.search(text)
    )


_TRAILING_PAREN = re.compile(r"\s*[(（]([^()（）]+)[)）]\s*$")


def _split_item(text: str, people: People) -> tuple[str, list[str], bool]:
    """(title, presenters, private) of an item line: trailing (…) that name people are presenters."""
    title, private = split_private(text)
    presenters: list[str] = []
    while m := _TRAILING_PAREN.search(title):
        inner = normalize_text(m.group(1)).strip()
        if NOT_PRESENTER.match(inner) or not (
            people.known(inner) or _is_presenter(inner) or PERSON_TITLE.search(inner) or UNIT.search(inner)
        ):
            break
        presenters.insert(0, inner)
        title = title[: m.start()].rstrip()
        title, more_private = split_private(title)
        private = private or more_private
    return normalize_text(title).strip(), presenters, private


def _add_presenter(item: AgendaItem, text: str) -> None:
    text, private = split_private(text)
    if private:
        item.private = True
    if text and not NOT_PRESENTER.match(text):
        item.presenters.append(text)


def presenter_titles(title: str) -> tuple[str, str | None]:
    """A body heading that repeats an item with its presenter: (title, presenter or None)."""
    m = _TRAILING_PAREN.search(title)
    if m and not NOT_PRESENTER.match(m.group(1).strip()):
        return title[: m.start()].rstrip(), m.group(1).strip()
    return title, None


def _opens_turn(lines: list[Line], i: int, people: People) -> bool:
    """A plain line that is a speaker label (the body has begun): a known label before a statement."""
    norm = lines[i].norm
    if not people.known(norm) or ITEM_TITLE_TAIL.search(norm):
        return False
    following = next_nonblank(lines, i)
    return following is not None and (following.marker is not None or following.norm.endswith("。"))
