"""The header of a minutes document: title, document kind, series, number, date, time, venue.

The header is read line by line from the top with the rules below, in this order, until the
agenda heading or the first line of the body. Each rule names the house style it serves:

- ``breadcrumb``: a web page's navigation trail (ホーム ＞ 事業 ＞ …) saved with the page: skipped.
- ``stamp``: an update or print stamp (更新日, 2024年12月1日作成): never the meeting date.
- ``field``: ``label：value`` lines (日時：…, 場所：…, ○開会日 …, ○開会 午後1時00分); attendee
  labels (出席者, 出席委員, 出席説明員 …) open a block of attendee lines that run until the next
  field (``analysis.minutes.people`` reads them).
- ``date-line``: a line that is only a date (令和五年三月十四日（火曜日）) gives the date.
- ``time-line``: 午後一時開議 gives the start time.
- ``title``: the first lines, up to the document kind word (議事要旨, 議事概要, 会議録, 速記録 …).

Series and number come from the title: 第4回都・区市町村CIO協議会, 東京都・区市町村CIOフォーラムの
設置及び第二回の開催(令和4年2月1日), 令和6年度第二回 … all give the body's name and the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.dates import parse_date, parse_number, parse_times
from analysis.minutes.lines import SUBITEM_MARKERS, Line, is_parenthesized, next_index
from analysis.normalize import normalize_text

DOCUMENT_KINDS = (
    "議事要旨", "議事概要", "議事要録", "議事要点", "議事録", "議事メモ", "会議録", "会議要旨", "会議記録", "会議メモ",
    "速記録", "質疑応答要旨", "質疑応答集", "質疑応答録", "質疑応答", "Q&A", "出席者名簿", "記録",
)  # fmt: skip
#: The agenda heading: 議事, 議事：, 次第, 議題, 本日の会議に付した事件, 審査日程, ○議題 …
#: Numbering before a header field or the agenda heading: "１　日時", "2. 場所：", "(3) 議事".
FIELD_NUMBER = r"(?:(?:[0-9]+|[一二三四五六七八九十]+)\s*[.．、)）]?\s+|(?:[0-9]+|[一二三四五六七八九十]+)\s*[.．、)）]\s*|[(（][0-9]+[)）]\s*)?"
AGENDA_HEADING = re.compile(
    rf"^[○◯]?\s*{FIELD_NUMBER}(議\s*事|議\s*題|次\s*第|会議次第|議事次第|審査日程|案\s*件|本日の会議に付した事件|会議に付した事件|付議事件|付議案件|内\s*容)"
    r"\s*[:：]?$"
)
#: The agenda heading with its first item on the same line: "議　　題　　・窓口の混雑…".
_AGENDA_WITH_ITEM = re.compile(
    rf"^{FIELD_NUMBER}(議\s*題|議\s*事|次\s*第|会議次第|議事次第|会議に付した事件)(?:\s*[:：]\s*|\s{{2,}})(?P<item>\S.*)$"
)


def agenda_label(text: str) -> bool:
    """Whether a bare label names the agenda (議題, 次第, 会議に付した事件 …)."""
    return bool(AGENDA_HEADING.match(text))


def agenda_heading(line: Line) -> str | None:
    """The agenda heading (議事, Agenda / 議題, ４　次第 …): None if the line is not one, else the first
    item written on the same line ("" when the items follow on their own lines)."""
    text = _BRACKETED_LABEL.sub(r"\g<label>", _ENGLISH_PREFIX.sub("", line.wide)).strip()
    if AGENDA_HEADING.match(re.sub(r"\s+", " ", text)):
        return ""
    m = _AGENDA_WITH_ITEM.match(text)
    return m.group("item").strip() if m else None


_FIELD = re.compile(
    rf"^[○◯\-・•*]?\s*{FIELD_NUMBER}(?P<label>[^\s:：()（）]{{1,12}}?)\s*(?:[(（][^)）]*[)）])?\s*(?:[:：]\s*|\s+|$)(?P<value>.*)$"
)
DATE_LABELS = (
    "日時", "開催日時", "開催日", "日付", "開会日", "開催年月日", "会議日", "会議日時", "実施日", "実施日時", "時間", "会議時間",
)  # fmt: skip
VENUE_LABELS = ("場所", "会場", "開催場所", "開催方法", "開催形式")
START_LABELS = ("開会", "開議", "開始", "開会時刻", "開会時間", "開始時間", "開始時刻", "自")
END_LABELS = ("閉会", "散会", "終了", "閉会時刻", "閉会時間", "終了時間", "終了時刻", "至")
ATTENDEE_LABELS = (
    "出席者", "参加者", "出席委員", "出席説明員", "説明員", "委員", "構成員", "出席構成員", "オブザーバー",
    "事務局", "事務局職員", "議会事務局", "欠席者", "欠席委員", "傍聴者", "出席", "欠席", "陪席", "出席団体",
    "参加団体", "執行部", "市執行部", "区執行部", "町執行部", "村執行部", "説明者", "出席者等", "出席職員", "出席理事者",
    "理事者",
)  # fmt: skip
#: The meeting's name given as a field (会議名：第２回…): it is the title.
NAME_LABELS = ("会議名", "名称", "会議の名称", "附属機関等の名称", "会議体の名称")
#: Who issued the document (作成：東京都デジタルサービス局): answers in a Q&A record come from it.
ISSUER_LABELS = ("作成", "主催", "発行", "所管", "作成者")
#: Endings that only qualify a label: 出席委員の氏名, 出席職員の職・氏名, 傍聴者人数.
_LABEL_QUALIFIER = re.compile(r"(の職・氏名|の職氏名|の氏名|氏名|の人数|人数|の数)$")
OTHER_LABELS = (
    "会議の公開・非公開",
    "公開・非公開",
    "公開非公開",
    "傍聴者",
    "会議の経過",
    "資料",
    "配布資料",
    "配付資料",
    "議事録署名",
    "委員長署名",
    "記録",
    "書記",
    "司会",
    "担当",
    "問い合わせ",
    "問合せ",
    "備考",
)
STAMP = re.compile(r"^(更新日|更新|作成日|公開日|掲載日|印刷日|発行日|最終更新日?)\s*[:：]?\s*(.*)$")
PRINT_STAMP = re.compile(r"作成|印刷|更新|発行|現在|時点|掲載|公開")
_CRUMB = re.compile(r"\s*[>＞›»]\s*")


def is_breadcrumb(text: str) -> bool:
    """ホーム ＞ 事業 ＞ 区市町村DX: a navigation trail (three or more short steps, or from ホーム)."""
    if not any(ch in text for ch in ">＞›»"):
        return False
    steps = _CRUMB.split(text.strip())
    if re.match(r"^(ホーム|トップページ|トップ|TOP)$", steps[0]) and len(steps) >= 2:
        return True
    return len(steps) >= 3 and all(0 < len(step) <= 30 for step in steps)


SEPARATOR_LINE = re.compile(r"[\-−－ー―‐=＝_＿~〜+＋]{3,}")
VENUE_LINE = re.compile(r"^\S{2,20}(室|会議室|ホール|庁舎|階|会館|センター)$")
TIME_LINE = re.compile(r"^(午前|午後)\s*\S{1,6}\s*(開議|開会|再開)$")
SERIES_WORDS = re.compile(r"(会|会議|フォーラム|本部|ワーキンググループ|WG|チーム|サミット)$")


@dataclass
class Header:
    """What the header rules found; ``end`` is the index of the first line after the header."""

    end: int = 0
    title_parts: list[str] = field(default_factory=list)
    document_kind: str | None = None
    date: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    venue: str | None = None
    attendee_blocks: list[tuple[str, list[Line]]] = field(default_factory=list)
    issuer: str | None = None
    name: str | None = None
    notes: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    rules: set[str] = field(default_factory=set)


def read_header(lines: list[Line], start: int = 0, header: Header | None = None) -> Header:
    """Apply the header rules from ``start``; stops at the agenda heading or the body.

    Called again after the agenda block with the header read so far: some minutes put 日時 and
    場所 after the 議題 (then only fields, attendee blocks and notes are taken).
    """
    continuing = header is not None
    header = header or Header()
    header.end = max(header.end, start)
    block: tuple[str, list[Line]] | None = None
    inline_block = False  # the block's field had its value on the same line: a blank line ends it
    pending_value = -1  # a field's value given on the next line: that line is read already
    for i in range(start, min(len(lines), start + 80)):
        line = lines[i]
        if i == pending_value:
            header.end = i + 1
            continue
        if line.blank:
            if inline_block:
                block = None
            continue
        norm = line.norm
        if agenda_heading(line) is not None:
            header.end = i
            return header
        if SEPARATOR_LINE.fullmatch(norm):
            header.end = i + 1
            continue  # −−−− between the header's parts
        if continuing and _field(line.wide)[0] is None and block is None and not _header_note(lines, i):
            break
        if len(norm) <= 80 and is_breadcrumb(norm):
            header.rules.add("header-breadcrumb")
            header.end = i + 1
            continue
        stamp = STAMP.match(norm)
        if (stamp and (not stamp.group(2) or parse_date(stamp.group(2)))) or (
            PRINT_STAMP.search(norm) and parse_date(norm) and len(norm) <= 30
        ):
            header.rules.add("header-stamp")
            header.end = i + 1
            continue
        label, value = (None, None) if (block is not None and "\t" in line.raw) else _field(line.wide)
        if label is not None and not value and label not in ATTENDEE_LABELS + OTHER_LABELS:
            value = _value_below(lines, i)  # "開催日時" on one line, "R7.6.10（火）…" on the next
            if value:
                pending_value = next_index(lines, i) or -1
        if label is not None:
            block = _apply_field(header, label, value or "", line)
            inline_block = bool(value)
            header.end = i + 1
            continue
        if block is not None and _attendee_line(norm) and not _heading_like(line):
            block[1].append(line)
            header.end = i + 1
            continue
        block = None
        if header.fields and _header_note(lines, i):
            header.notes.append(line.raw.strip())
            header.end = i + 1
            continue
        if _starts_body(line):
            break
        if header.date and not header.fields and header.venue is None and VENUE_LINE.match(norm):
            header.venue = norm
            header.rules.add("header-venue-line")
            header.end = i + 1
            continue
        if TIME_LINE.match(norm) and header.start_time is None:
            header.start_time = parse_times(norm)[0]
            header.rules.add("header-time-line")
            header.end = i + 1
            continue
        if _date_line(norm):
            if header.date is None and (header.title_parts or header.document_kind):
                header.date = parse_date(norm)
                header.start_time, header.end_time = (
                    header.start_time or parse_times(norm)[0],
                    parse_times(norm)[1],
                )
                header.rules.add("header-date-line")
            header.end = i + 1
            continue
        if header.fields:
            break
        if not _title_line(header, norm, line.plain):
            break
        header.end = i + 1
    return header


_SPACED_FIELD = re.compile(rf"^[○◯\-・•*]?\s*{FIELD_NUMBER}(日\s+時|場\s+所|会\s+場)\s*[:：]?\s*(.*)$")
#: A label in brackets: 《出席委員》 …, [会議時間].
_BRACKETED_LABEL = re.compile(r"^[《〈\[［]\s*(?P<label>[^》〉\]］]{2,10})\s*[》〉\]］]")
#: An English label before the Japanese one in bilingual pages: "Participants / 出席者".
_ENGLISH_PREFIX = re.compile(r"^[A-Za-z][A-Za-z .&-]{2,40}\s*/\s*(?=\S)")
#: A label spelled with spaces between its characters: 日　時, 会　場, 主　催, 議　　題.
_SPACED_LABEL = re.compile(r"^(?:[^\s\d:：()（）]\s+){1,3}[^\s\d:：()（）](?=\s*[:：]|\s{2,}|\s*$)")
_LABELS = (
    DATE_LABELS + VENUE_LABELS + START_LABELS + END_LABELS + ATTENDEE_LABELS + ISSUER_LABELS + OTHER_LABELS
    + NAME_LABELS
)  # fmt: skip


def field_of(plain: str) -> tuple[str | None, str | None]:
    """(label, value) of a header field line (see ``_field``), for the body's rules too."""
    return _field(plain)


def _field(norm: str) -> tuple[str | None, str | None]:
    """(label, value) of a ``label：value`` header line whose label is a known field, else (None, None).

    The line may be numbered (１　日時), bulleted (- 日時：, Markdown) or in parentheses
    ((事務局：東京都デジタルサービス局)).
    """
    if is_parenthesized(norm) and re.search(r"[:：]", norm):
        norm = norm[1:-1].strip()
    norm = _ENGLISH_PREFIX.sub("", norm)  # "Participants / 出席者"
    norm = _BRACKETED_LABEL.sub(r"\g<label> ", norm).strip()  # 《出席委員》, [会議時間]
    norm = _SPACED_LABEL.sub(
        lambda m: re.sub(r"\s+", "", m.group(0)), norm, count=1
    )  # "時　間：", "議　　題"
    if spaced := _SPACED_FIELD.match(norm):
        return re.sub(r"\s", "", spaced.group(1)), re.sub(r"\s+", " ", spaced.group(2)).strip()
    m = _FIELD.match(norm)
    if not m:
        return None, None
    label = m.group("label")
    if label not in _LABELS:
        label = _LABEL_QUALIFIER.sub("", label)
    return (label, re.sub(r"\s+", " ", m.group("value")).strip()) if label in _LABELS else (None, None)


def _apply_field(header: Header, label: str, value: str, line: Line) -> tuple[str, list[Line]] | None:
    """Record one ``label：value`` field; returns the attendee block it opens, if any."""
    header.fields.append(label)
    header.rules.add("header-field")
    if label in DATE_LABELS:
        if header.date is None:
            header.date = parse_date(value)
        start, end = parse_times(value)
        header.start_time = header.start_time or start
        header.end_time = header.end_time or end
    elif label in VENUE_LABELS:
        plain = _field(line.wide)[1] if line.wide else value
        header.venue = header.venue or plain or value or None
    elif label in START_LABELS:
        header.start_time = header.start_time or parse_times(value)[0]
    elif label in END_LABELS:
        header.end_time = header.end_time or parse_times(value)[0]
    elif label in NAME_LABELS:
        header.name = header.name or value or None
    elif label in ISSUER_LABELS:
        header.issuer = header.issuer or value or None
    elif label in OTHER_LABELS:
        return (label, [])  # its continuation lines (資料１ …, 資料２ …) belong to the field
    elif label in ATTENDEE_LABELS:
        block: tuple[str, list[Line]] = (label, [])
        if (
            value
            and not re.search(r"のとおり|別紙|参照|名簿", value)
            and not re.fullmatch(r"[0-9一二三四五六七八九十〇]+名|なし", value)
        ):
            block[1].append(Line(raw=value, norm=value, indent=line.indent + 2))
        header.attendee_blocks.append(block)
        header.rules.add("header-attendees")
        return block
    return None


def _attendee_line(norm: str) -> bool:
    """A line inside an attendee block: a name, a title and name, a table row (not a sentence)."""
    return len(norm) <= 80 and not norm.endswith("。")


_HEADING_LIKE = re.compile(
    r"^(?:[0-9]+|[一二三四五六七八九十]+|[IVX]{1,4}|第\s*[0-9一二三四五六七八九十]+)\s*[.．、)）]?\s+\S"
    r"|^[(（][0-9一二三四五六七八九十]+[)）]|^[【＜〈《][^】＞〉》]*[】＞〉》]$|^[■□◆◇▼▶]|^[○〇◯]?\s*議題\s*[0-9]"
)


#: A line that heads a group inside an attendee block (■委員（敬称略）, 【事務局】): not a heading.
ROLE_LINE = re.compile(
    r"^[■□◆◇●○・【\[]?\s*(委員|事務局|構成員|オブザーバー|説明員|幹事)\s*[】\]]?\s*(?:[(（][^)）]*[)）])?$"
)


def _value_below(lines: list[Line], i: int) -> str:
    """The value of a label that stands alone, written on the next line (not itself a field)."""
    j = next_index(lines, i)
    if j is None:
        return ""
    below = lines[j]
    if _field(below.wide)[0] is not None or agenda_heading(below) is not None or _starts_body(below):
        return ""
    return below.plain if len(below.norm) <= 80 else ""


def _header_note(lines: list[Line], i: int) -> bool:
    """A ※ or parenthesized aside among the header fields, followed by more header (the agenda)."""
    norm = lines[i].norm
    if not (norm.startswith("※") or is_parenthesized(norm)):
        return False
    following = next((ln for ln in lines[i + 1 :] if not ln.blank), None)
    return following is not None and (
        agenda_heading(following) is not None or _field(following.wide)[0] is not None
    )


def _heading_like(line: Line) -> bool:
    """A numbered, bracketed or marked heading: it ends an attendee block."""
    return bool(_HEADING_LIKE.match(line.plain)) and not ROLE_LINE.match(line.norm)


def _starts_body(line: Line) -> bool:
    norm = line.norm
    return bool(line.marker or norm[0] in SUBITEM_MARKERS or norm.startswith("【") or is_parenthesized(norm))


def _date_line(norm: str) -> bool:
    """A line that is essentially a date (and maybe a weekday or time)."""
    if not parse_date(norm) or len(norm) > 40:
        return False
    rest = re.sub(
        r"(令和|平成|昭和|[RH])?\s*[0-9〇一二三四五六七八九十元]+\s*[年./\-]\s*[0-9〇一二三四五六七八九十]+\s*[月./\-]\s*[0-9〇一二三四五六七八九十]+\s*日?",
        "",
        norm,
    )
    rest = re.sub(r"[(（][^)）]*[)）]|[0-9:：~〜～\-時分から午前後まで\s]", "", rest)
    return len(rest) <= 2


def _title_line(header: Header, norm: str, line_plain: str = "") -> bool:
    """Take a title line (or the document kind alone); False when the line is not one."""
    if re.fullmatch(r"(?:\S\s)+\S(?:[(（].*[)）])?", norm):  # 会 議 録（要 旨）
        norm = re.sub(r"\s+", "", norm)
    kind = next(
        (k for k in DOCUMENT_KINDS if re.search(rf"{re.escape(k)}(?!(?!第)[一-龥ァ-ヶ])", norm)), None
    )
    if kind and header.document_kind is None:
        header.document_kind = kind
        tokens = line_plain.split(" ")
        if len(tokens) > 1 and kind in normalize_text(tokens[-1]):
            rest = normalize_text(
                " ".join(tokens[:-1])
            )  # "…連絡会 意見交換の記録": the last phrase names the kind
        else:
            rest = norm.replace(kind, "", 1).strip()
        rest = rest[1:-1].strip() if is_parenthesized(rest) else rest
        if rest and len(header.title_parts) < 3 and not any(rest in part for part in header.title_parts):
            header.title_parts.append(rest)
        header.rules.add("header-title")
        return True
    if (
        header.document_kind is None
        and len(header.title_parts) < 3
        and len(norm) <= 80
        and not norm.endswith("。")
    ):
        header.title_parts.append(norm)
        header.rules.add("header-title")
        return True
    return False


_DATE_PARENS = re.compile(r"[(（〔\[][^)）〕\]]*\d+日[^)）〕\]]*[)）〕\]]")
_NUMBERED = re.compile(r"第\s*[0-9一二三四五六七八九十百〇]+\s*回")


def title_and_series(parts: list[str], fallback: str) -> tuple[str, str | None, int | None, str | None]:
    """(title, series, number, date in the title) from the title lines."""
    japanese = [p for p in parts if not p.isascii()]
    raw = "".join(japanese or parts) or fallback
    title_date = parse_date(raw)
    title = _DATE_PARENS.sub("", raw).strip()
    if title_date and (m := re.match(r"^\s*(?:(?:19|20)\d{2}[/\-.年]\d{1,2}[/\-.月]\d{1,2}日?)\s*", title)):
        title = title[m.end() :]
    title = re.sub(r"本文$", "", title).strip()
    return title, series_of(title), parse_number(title), title_date


def series_of(title: str) -> str | None:
    """The body's name in a meeting title: 第4回都・区市町村CIO協議会 -> 都・区市町村CIO協議会."""
    text = re.sub(r"^(?:令和|平成)\s*[0-9元一二三四五六七八九十]+\s*年度?\s*", "", title).strip()
    pieces = [p.strip() for p in _NUMBERED.split(text)]
    candidates = []
    for piece in pieces:
        piece = re.sub(r"(の設置及び|の設置|及び)$", "", piece)
        piece = re.sub(r"^(の開催|開催|の)", "", piece)
        piece = re.sub(r"(の開催|開催|定例会|臨時会)$", "", piece)
        piece = re.sub(r"第\s*[0-9一二三四五六七八九十百〇]+\s*号$", "", piece)
        piece = re.sub(r"[(（〔\[][^)）〕\]]*$|^[^(（〔\[]*[)）〕\]]", "", piece).strip(" 　・()（）")
        if piece and SERIES_WORDS.search(piece):
            candidates.append(piece)
    if not candidates:
        return None
    return max(candidates, key=len)
