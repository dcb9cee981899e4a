"""Minutes text -> ParsedDocument: metadata, agenda, sections, speaker turns, statements, notes.

The parser reads the text line by line, classifying each line (heading, speaker label, statement
start, continuation, note) with a little look-ahead. It is hand-written rather than a grammar
library because real minutes are only loosely structured: the same shape (a short line on its
own) is a section heading or a speaker label depending on what follows and on whether it names an
organization. Original characters are kept for display; matching uses ``normalize_text``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from analysis import orgs
from analysis.dates import parse_date, parse_number, parse_times
from analysis.model import AgendaItem, MeetingInfo, Note, Organization, ParsedDocument, Section, Source, Turn
from analysis.normalize import fold_variants, normalize_text
from analysis.sources import SourceText, read_source

#: Bump when parsing logic changes: the store re-derives every meeting from its stored source.
PARSER_VERSION = "3"

DOCUMENT_KINDS = ("議事要旨", "議事概要", "議事録", "会議録", "会議要旨")
STATEMENT_MARKERS = "○◯●•・‐-－―◆◇"
SUBITEM_MARKERS = "*＊"
UNATTRIBUTED = "不明"
NO_DATE_WARNING = "開催日を特定できません"
NO_DISCUSSION = re.compile(r"^(質疑|質問|意見)(応答)?(等)?(は)?(なし|無し|特になし|ありません)。?$|^特になし。?$")
META_LABEL = re.compile(r"^(日\s*時|開催日時?|日付|場\s*所|会\s*場|開催場所|開催方法|出席者|欠席者|配布資料)\s*[:：]?\s*(.*)$")
AGENDA_HEADING = re.compile(r"^(議\s*事|議\s*題|次\s*第|会議次第|議事次第)\s*[:：]?$")
BRACKET_HEADING = re.compile(r"^【\s*(?:[0-9０-９一二三四五六七八九十]+\s*[.．、]?\s*)?(.+?)\s*】$")
NUMBERED_TOP = re.compile(r"^(?:[0-9]+|[一二三四五六七八九十]+)\s*[.．、)\s]\s*(\S.*)$")
NUMBERED_SUB = re.compile(r"^[(（][0-9一二三四五六七八九十]+[)）]\s*(\S.*)$")
HEADING_TAIL = re.compile(r"(について|に関して|報告|共有|意見交換|意見|概要|内容|質疑|要旨|まとめ|質疑応答|挨拶|あいさつ|開会|閉会|その他|説明|協議|議事|事項|議題)$")
SENTENCE_END = tuple("。．.!！?？」』)）")
QUESTION_CUES = re.compile(
    r"伺いたい|お伺い|伺う|お聞かせ|お聞きしたい|教えて|確認したい|見解を|でしょうか|ですか|ますか|のか|良いか|よいか|か。|か$|[?？]"
)
INLINE_SPEAKER = re.compile(r"^[○◯●•・]?\s*(?P<label>[^\s:：。、()（）]{2,30}?)\s*[:：]\s*(?P<text>\S.*)$")
PAREN_SPEAKER = re.compile(r"^[○◯●•・]?\s*[(（〔](?P<label>[^()（）〔〕]{2,40})[)）〕]\s*(?P<text>\S.{3,})$")
EDITORIAL_NOTE = re.compile(r"^(備考|注記?|※)")
PAREN_NOTE = re.compile(r"説明|資料|休憩|省略|中略|以下略|拍手|退席|入室|録画")
PRINT_STAMP = re.compile(r"作成|印刷|更新|発行|現在|時点|掲載|公開")


@dataclass
class _Line:
    raw: str
    norm: str

    @property
    def blank(self) -> bool:
        return not self.norm

    @property
    def plain(self) -> str:
        """NFKC text with spaces kept: numbering such as "1 開会" needs the space to be seen."""
        return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", self.raw)).strip()


@dataclass
class _State:
    sections: list[Section] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    top_id: int | None = None
    sub_id: int | None = None
    turn: Turn | None = None
    marker_style: bool = False
    last_line_blank: bool = False
    org_overrides: dict[str, Organization] = field(default_factory=dict)

    @property
    def section_id(self) -> int | None:
        return self.sub_id if self.sub_id is not None else self.top_id

    def known(self, label: str) -> bool:
        """Whether a label names an organization, counting the user's speaker mappings."""
        return orgs.is_known(label, self.org_overrides)


def parse_file(path: str | Path) -> ParsedDocument:
    """Read and parse one minutes file (raises ``SourceError`` for unreadable input)."""
    return parse_source(read_source(path))


def parse_source(src: SourceText, org_overrides: Mapping[str, Organization] | None = None) -> ParsedDocument:
    """Parse the text of one document into a ParsedDocument (``org_overrides``: see ``parse_text``)."""
    source = Source(path=src.path, sha256=src.sha256, format=src.format, encoding=src.encoding)
    return parse_text(src.text, source, org_overrides)


def parse_text(
    text: str, source: Source | None = None, org_overrides: Mapping[str, Organization] | None = None
) -> ParsedDocument:
    """Parse minutes text. ``source`` describes where it came from (defaults to an in-memory text).

    ``org_overrides`` (``orgs.label_key`` -> Organization) are speaker mappings chosen by a
    person; they decide the organization of the labels they name (and so the Q&A roles).
    """
    source = source or Source(path="<text>", sha256="", format="txt", encoding=None)
    lines = [_Line(raw=r.rstrip(), norm=normalize_text(r).strip()) for r in text.splitlines()]
    header_end, meeting = _parse_header(lines, source)
    agenda, body_start = _parse_agenda(lines, header_end)
    state = _State(org_overrides=dict(org_overrides or {}))
    _parse_body(lines[body_start:], agenda, state)
    _assign_roles(state.turns)
    doc = ParsedDocument(
        meeting=meeting, agenda=agenda, sections=state.sections, turns=state.turns,
        notes=state.notes, warnings=state.warnings,
    )
    _check(doc)
    return doc


# --- header: title, series, number, kind, date, time, venue ---------------------------------


def _parse_header(lines: list[_Line], source: Source) -> tuple[int, MeetingInfo]:
    """Metadata from the top of the document; returns the index where the header ends."""
    title_parts: list[str] = []
    doc_kind: str | None = None
    date = start = end = venue = None
    header_end = 0
    for i, line in enumerate(lines[:40]):
        if line.blank:
            continue
        norm = line.norm
        if AGENDA_HEADING.match(norm) or _starts_statement(norm) or norm[0] in SUBITEM_MARKERS:
            break
        if meta := META_LABEL.match(norm):
            label, value = re.sub(r"\s", "", meta.group(1)), meta.group(2).strip()
            if label in ("日時", "開催日時", "開催日", "日付") and date is None:
                date = parse_date(value)
                start, end = parse_times(value)
            elif label in ("場所", "会場", "開催場所", "開催方法"):
                venue = venue or value or None
            header_end = i + 1
            continue
        if header_end and (i - header_end > 3 or venue or date):
            break
        kind = next((k for k in DOCUMENT_KINDS if k in norm), None)
        if PRINT_STAMP.search(norm) and parse_date(norm) and len(norm) <= 30:
            pass  # a print or publication stamp ("2024年12月1日作成") is not the title nor the meeting date
        elif kind and doc_kind is None:
            doc_kind = kind
            rest = norm.replace(kind, "").strip(" 　()（）")
            if rest and not title_parts:
                title_parts.append(rest)
        elif date is None and parse_date(norm) and title_parts and not PRINT_STAMP.search(norm):
            date = parse_date(norm)
            start, end = parse_times(norm)
        elif doc_kind is None and len(title_parts) < 3 and len(norm) <= 60:
            title_parts.append(norm)
        else:
            break
        header_end = i + 1
    title = "".join(title_parts) or Path(source.path).stem
    title_date = parse_date(title)
    title = re.sub(r"[(（][^)）]*\d+日[^)）]*[)）]", "", title).strip()
    number = parse_number(title)
    series = re.sub(r"^第\s*[0-9一二三四五六七八九十百〇]+\s*回\s*", "", title).strip() or None
    meeting = MeetingInfo(
        title=title, series=series, number=number, document_kind=doc_kind,
        date=date or title_date, start_time=start, end_time=end, venue=venue, source=source,
    )
    return header_end, meeting


# --- agenda -----------------------------------------------------------------------------------


def _parse_agenda(lines: list[_Line], start: int) -> tuple[list[AgendaItem], int]:
    """The 議事 block: items (bullets/numbers) with presenters in parentheses on following lines."""
    i = start
    while i < len(lines) and (lines[i].blank or META_LABEL.match(lines[i].norm)):
        i += 1
    if i >= len(lines) or not AGENDA_HEADING.match(lines[i].norm):
        return [], start
    items: list[AgendaItem] = []
    i += 1
    while i < len(lines):
        norm, plain = lines[i].norm, lines[i].plain
        if not norm:
            i += 1
            continue
        if _is_parenthesized(norm) and items:
            items[-1].presenters.append(norm[1:-1].strip())
        elif (m := re.match(r"^[・•\-－○◯]\s*(.+)$", norm)) or (m := NUMBERED_TOP.match(plain)) or (
            m := NUMBERED_SUB.match(plain)
        ):
            title, presenters = _split_inline_presenter(normalize_text(m.group(1)))
            items.append(AgendaItem(title=title, presenters=presenters))
        else:
            break
        i += 1
    return items, i


def _split_inline_presenter(title: str) -> tuple[str, list[str]]:
    m = re.match(r"^(.+?)\s*[(（]([^()（）]+)[)）]$", title)
    if m and orgs.is_known(m.group(2)):
        return m.group(1).strip(), [m.group(2).strip()]
    return title, []


# --- body -------------------------------------------------------------------------------------


def _parse_body(lines: list[_Line], agenda: list[AgendaItem], state: _State) -> None:
    agenda_keys = {_heading_key(a.title) for a in agenda}
    for i, line in enumerate(lines):
        if line.blank:
            state.last_line_blank = True
            continue
        norm = line.norm
        if inline := _inline_speaker(line.raw, state):
            _open_turn(state, inline[0])
            _add_statement(state, inline[1], new=True, marker=True)
            state.last_line_blank = False
            continue
        nxt = _next_nonblank(lines, i)
        kind = _classify(norm, line.plain, nxt, agenda_keys, state.known)
        if kind == "top":
            _open_section(state, normalize_text(_heading_title(line.plain)), top=True)
        elif kind == "sub":
            _open_section(state, normalize_text(_heading_title(line.plain)), top=False)
        elif kind == "speaker":
            _open_turn(state, _speaker_label(line.raw))
        elif kind == "bracket-speaker":
            _open_turn(state, _heading_title(line.plain))
        elif kind == "note":
            state.notes.append(Note(section_id=state.section_id, text=_strip_marker(line.raw)))
            if not EDITORIAL_NOTE.match(norm):
                state.turn = None  # "質疑なし" closes the item; an editorial "※" aside does not
        elif kind == "statement":
            _add_statement(state, _strip_marker(line.raw), new=True, marker=True)
        else:
            _add_text(state, line.raw.strip())
        state.last_line_blank = False


def _classify(
    norm: str, plain: str, nxt: str | None, agenda_keys: set[str], known: Callable[[str], bool]
) -> str:
    """What a non-blank body line is: top/sub heading, speaker, note, statement or text.

    ``known`` tells whether a label names an organization (reference data plus mappings).
    """
    if _starts_statement(norm):
        return "note" if NO_DISCUSSION.match(_strip_marker(norm)) else "statement"
    if NO_DISCUSSION.match(norm) or EDITORIAL_NOTE.match(norm):
        return "note"
    if norm[0] in SUBITEM_MARKERS or NUMBERED_SUB.match(plain):
        return "sub"
    if (m := BRACKET_HEADING.match(norm)) and known(m.group(1)) and not HEADING_TAIL.search(m.group(1)):
        return "bracket-speaker"
    if BRACKET_HEADING.match(norm) or _heading_key(norm) in agenda_keys:
        return "top"
    if _is_parenthesized(norm):
        return "note" if PAREN_NOTE.search(norm) and not known(norm) else "speaker"
    if NUMBERED_TOP.match(plain) and len(norm) <= 40 and not norm.endswith("。"):
        return "top"
    if len(norm) > 40 or norm.endswith(SENTENCE_END):
        return "text"
    if known(norm) and not re.search(r"(について|に関して|から|の)", norm.replace("デジタルサービス局", "")[-6:]):
        return "speaker"
    if HEADING_TAIL.search(norm):
        return "top"
    if nxt is not None and _starts_statement(nxt) and not NO_DISCUSSION.match(_strip_marker(nxt)):
        return "speaker"
    return "top" if nxt is not None and (_is_speaker_like(nxt, known) or nxt[0] in SUBITEM_MARKERS) else "text"


def _inline_speaker(raw: str, state: _State) -> tuple[str, str] | None:
    """A speaker label and statement on one line: "足立区：…", "○足立区: …", "(足立区) …".

    Only labels that name a known organization (or one the user mapped) count, so an ordinary
    sentence with a colon is never split.
    """
    text = raw.strip()
    m = INLINE_SPEAKER.match(text) or PAREN_SPEAKER.match(text)
    if not m or META_LABEL.match(normalize_text(text)):
        return None
    label = _speaker_label(m.group("label"))
    if state.known(label):
        return label, m.group("text").strip()
    return None


def _is_speaker_like(norm: str, known: Callable[[str], bool]) -> bool:
    return len(norm) <= 40 and not norm.endswith(SENTENCE_END) and known(norm)


def _open_section(state: _State, title: str, top: bool) -> None:
    new_id = len(state.sections) + 1
    parent = None if top or state.top_id is None else state.top_id
    state.sections.append(Section(id=new_id, title=title, parent_id=parent))
    if parent is None:
        state.top_id, state.sub_id = new_id, None
    else:
        state.sub_id = new_id
    state.turn = None


def _open_turn(state: _State, label: str) -> None:
    org = orgs.resolve(label, overrides=state.org_overrides)
    if org.kind == orgs.UNKNOWN_KIND:
        state.warnings.append(f"発言者「{label}」の所属団体を特定できません (不明として扱います)")
    turn = Turn(order=len(state.turns) + 1, section_id=state.section_id, speaker=label, organization=org)
    state.turns.append(turn)
    state.turn = turn
    state.marker_style = False


def _add_statement(state: _State, text: str, new: bool, marker: bool) -> None:
    if state.turn is None:
        _open_turn_unattributed(state)
    assert state.turn is not None
    if marker:
        state.marker_style = True
    if new or not state.turn.statements:
        state.turn.statements.append(text)
    else:
        state.turn.statements[-1] = _join(state.turn.statements[-1], text, state.last_line_blank)


def _open_turn_unattributed(state: _State) -> None:
    turn = Turn(
        order=len(state.turns) + 1, section_id=state.section_id, speaker=UNATTRIBUTED,
        organization=Organization(name=UNATTRIBUTED, kind=orgs.UNKNOWN_KIND),
    )
    state.turns.append(turn)
    state.turn = turn
    state.marker_style = False


def _add_text(state: _State, raw: str) -> None:
    """A line without a marker: continues the statement, or starts a paragraph-statement.

    In marker style (○ per statement) a paragraph without ○ belongs to the statement before it,
    so page breaks and line wraps never split statements whatever the file format. In plain
    paragraph style a blank line after a finished sentence starts a new statement.
    """
    turn = state.turn
    if turn is None or not turn.statements:
        _add_statement(state, raw, new=True, marker=False)
        return
    previous = turn.statements[-1]
    finished = normalize_text(previous).rstrip().endswith(SENTENCE_END)
    new_paragraph = not state.marker_style and state.last_line_blank and finished
    _add_statement(state, raw, new=new_paragraph, marker=False)


def _join(left: str, right: str, paragraph: bool) -> str:
    """Join two pieces of one statement: a newline between paragraphs, a space between Latin words."""
    if paragraph and normalize_text(left).rstrip().endswith(SENTENCE_END):
        return f"{left}\n{right}"
    if re.search(r"[A-Za-z0-9,]$", left) and re.match(r"^[A-Za-z0-9]", right):
        return f"{left} {right}"
    return left + right


# --- roles ------------------------------------------------------------------------------------


def _assign_roles(turns: list[Turn]) -> None:
    """Municipalities ask or remark; 東京都/国 answer the latest question of their section."""
    latest_question: dict[int | None, int] = {}
    for idx, turn in enumerate(turns):
        kind = turn.organization.kind
        if kind in ("東京都", "国"):
            asked = latest_question.get(turn.section_id)
            if asked is not None:
                turn.role, turn.reply_to = "answer", asked
            continue
        following = turns[idx + 1] if idx + 1 < len(turns) else None
        answered = (
            following is not None
            and following.section_id == turn.section_id
            and following.organization.kind in ("東京都", "国")
        )
        text = " ".join(normalize_text(s) for s in turn.statements)
        if answered or QUESTION_CUES.search(text):
            turn.role = "question"
            latest_question[turn.section_id] = turn.order
        else:
            turn.role = "remark"


def _check(doc: ParsedDocument) -> None:
    if doc.meeting.date is None:
        doc.warnings.append(NO_DATE_WARNING)
    if not doc.turns:
        doc.warnings.append("発言を検出できません")


# --- small helpers ----------------------------------------------------------------------------


def _starts_statement(norm: str) -> bool:
    if not norm or norm[0] not in STATEMENT_MARKERS:
        return False
    if norm[0] in "-‐－―" and re.match(r"^[-‐－―]\s*\d+\s*[-‐－―]?$", norm):
        return False
    return len(norm) > 1


def _strip_marker(text: str) -> str:
    return text.strip().lstrip(STATEMENT_MARKERS).strip()


def _is_parenthesized(norm: str) -> bool:
    return len(norm) > 2 and norm[0] in "(（" and norm[-1] in ")）"


def _speaker_label(raw: str) -> str:
    """A speaker label as written: outer brackets removed, runs of spaces collapsed."""
    label = re.sub(r"\s+", " ", raw.strip().replace("\u3000", " ")).rstrip(":：").strip()
    if _is_parenthesized(label):
        label = label[1:-1].strip()
    return label


def _next_nonblank(lines: list[_Line], i: int) -> str | None:
    for line in lines[i + 1 :]:
        if not line.blank:
            return line.norm
    return None


def _heading_title(plain: str) -> str:
    """Display title of a heading: markers, numbering, brackets and an unclosed 「 removed."""
    title = plain.lstrip(SUBITEM_MARKERS).strip()
    if m := BRACKET_HEADING.match(title) or NUMBERED_SUB.match(title) or NUMBERED_TOP.match(title):
        title = m.group(1)
    if title.startswith("「") and "」" not in title:
        title = title[1:]
    return title.strip()


def _heading_key(text: str) -> str:
    return re.sub(r"[\s・•\-－*＊「」【】]", "", fold_variants(_heading_title(unicodedata.normalize("NFKC", text))))
