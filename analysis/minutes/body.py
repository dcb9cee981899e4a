"""The body of minutes: headings, speaker turns, statements and notes, read by named rules.

Each non-blank line goes through ``RULES`` in order; the first rule that recognizes the line
says what it is (an ``Action``), and ``read_body`` applies it. A rule sees the line and the
look-ahead of ``Context`` (the next non-blank lines and whether they open a turn or hold a
statement); the look-ahead lives only there. Each rule's docstring names the house style it
serves; ``tests/fixtures/minutes/`` holds a fixture for each. A new house style is a new rule
placed in ``RULES`` and a fixture.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from analysis import orgs
from analysis.dates import parse_date, parse_times
from analysis.minutes.agenda import NUMBERED_SUB, NUMBERED_TOP, presenter_titles
from analysis.minutes.header import BREADCRUMB, DOCUMENT_KINDS, STAMP, agenda_heading
from analysis.minutes.header import field_of as header_field
from analysis.minutes.lines import (
    PROCEEDINGS,
    SENTENCE_END,
    STOPS,
    SUBITEM_MARKERS,
    Line,
    collapse_spaces,
    is_parenthesized,
    key,
    next_index,
    next_nonblank,
    split_private,
    strip_marker,
    unparenthesize,
)
from analysis.minutes.people import EXECUTIVE, PERSON_SUFFIX, People
from analysis.model import AgendaItem, Note, Organization, Section, Turn
from analysis.normalize import normalize_text

UNATTRIBUTED = "不明"
#: Speaker labels of Q&A turns whose asker or answerer is not named (yet: a trailing （団体） may name it).
PLACEHOLDER_QUESTION, PLACEHOLDER_ANSWER = "質問", "回答"
NO_DISCUSSION = re.compile(r"^(質疑|質問|意見)(応答)?(等)?(は)?(なし|無し|特になし|ありません)。?$|^特になし。?$")
EDITORIAL_NOTE = re.compile(r"^(備考|注記?|※)")
PAREN_NOTE = re.compile(
    r"説明|資料|休憩|省略|中略|以下略|拍手|退席|退室|入室|着席|録画|異議なし|呼ぶ者|賛成者|発言する者|敬称略|五十音順|順不同|挙手|起立|速記"
)
#: Interjections and stamps: （「異議なし」と呼ぶ者あり）, 〔「なし」〕, （午後1時00分）, (拍手).
#: ６月１２日（木）（13:30開議）: the day's opening stamp of a council record.
OPENING_STAMP = re.compile(r"^.{0,20}[(（]\s*\d{1,2}\s*[:：時]\s*\d{0,2}\s*分?\s*(開議|開会|再開|散会|閉会)\s*[)）]$")
INTERJECTION = re.compile(
    r"^[(（].*(者あり|者多し|者なし|拍手|休憩|速記)[^)）]*[)）]$|^〔.*〕$|^[(（]\s*(午前|午後)\s*\S{1,8}\s*[)）]$"
    r"|^[(（]\s*(休憩|再開|開会|閉会|散会|開議)\s*(午前|午後)?\s*[^)）]{0,10}[)）]$"
)
CLOSING = re.compile(r"(散会|閉会|閉議)")
HEADING_TAIL = re.compile(
    r"(について|に関して|に関する件|報告|共有|共有会|提供|紹介|意見交換|意見|概要|内容|質疑|要旨|まとめ|質疑応答|挨拶|あいさつ"
    r"|開会|閉会|その他|説明|協議|議事|事項|議題|講演|講演会|総括|結果|案件|審議|検討|討議)$"
)
QUESTION_ANSWER = re.compile(
    r"^[【\[〔]?\s*(?P<kind>質問者|回答者|質問|回答|意見|要望|問|答|Q|A)\s*(?P<num>[0-9]+)?\s*[】\]〕]?\s*(?P<sep>[.．:：、])?\s*"
    r"(?:[(（【\[](?P<org>[^()（）【】\[\]]{1,30})[)）】\]])?\s*(?P<sep2>[.．:：、)）])?\s*(?P<text>.*)$"
)
COUNCIL_INLINE = re.compile(r"^[○◯]\s*(?P<label>[^\s(（]{1,30}(?:[(（][^)）]{1,24}[)）])?)\s+(?P<text>\S.*)$")
COLON_INLINE = re.compile(r"^[○◯●•・]?\s*(?P<label>[^\s:：。、()（）]{1,30}?)\s*(?:[:：]|(?<=\S)[)）])\s*(?P<text>\S.*)$")
#: "発言者：世田谷区": the prefix names the field, not the speaker.
LABEL_PREFIX = re.compile(r"^(発言者|発言|質問者|回答者|説明者|報告者)\s*[:：]\s*")
#: 〇議題１　…, 議題２：… — an agenda item heading (the 〇 is not a statement marker here).
AGENDA_ITEM_HEADING = re.compile(r"^[○〇◯●]?\s*(議題|案件|議事)\s*[0-9一二三四五六七八九十]+\s*[.．:：、]?\s*(?P<title>\S.*)?$")
#: A statement that names its speaker at the end: "…できるのか。（日野市）".
TRAILING_ORG = re.compile(r"[(（](?P<org>[^()（）]{2,20})[)）]\s*$")
#: A speaker column padded with spaces before the statement text.
COLUMN_SPEAKER = re.compile(r"^(?P<label>[^\s、。:：()（）]{2,20})(?:\u3000+|[ \u3000]{2,})(?P<text>\S.{9,})$")
#: 【委員】山田 / 【事務局】: a role in brackets, then maybe a surname.
ROLE_BRACKET = re.compile(r"^[【\[](?P<role>委員|座長|副座長|会長|副会長|部会長|委員長|構成員|オブザーバー)[】\]]\s*(?P<name>\S{1,6})?$")
PERSON_NAME = re.compile(r"^[^\s\d()（）、。]{1,5}\s?[^\s\d()（）、。]{1,6}$")
BODY_FIELD_LABELS = frozenset({"出席者", "出席", "欠席", "欠席者", "欠席委員", "配布資料", "配付資料", "資料", "傍聴者"})
#: Table headers of a speech table (発言者｜発言内容).
TABLE_HEADER = re.compile(r"^(発言者|発言者名|所属|団体|団体名|氏名|発言内容|発言|内容|要旨|意見|回答|質問|No\.?|番号)$")
PAREN_INLINE = re.compile(r"^[○◯●•・]?\s*[(（〔](?P<label>[^()（）〔〕]{2,40})[)）〕]\s*(?P<text>\S.{3,})$")
BRACKET = re.compile(
    r"^[【＜〈《<]\s*(?:[0-9]+\s*[.．、]?\s*|[一二三四五六七八九十]+\s*[.．、]\s*)?(?P<title>.+?)\s*[】＞〉》>]$"
)
HEADER_WORDS = re.compile(r"^(日\s*時|場\s*所|会\s*場|開催日時?|日付|資料|出席者|欠席者|参加者|議事|議題|時間|目的|備考|注|結論|理由|件名|主旨)$")


@dataclass(frozen=True)
class Action:
    """What a rule read a line as: ``kind`` is heading, speaker, statement, note, text or skip."""

    kind: str
    text: str = ""
    label: str = ""
    top: bool = True
    private: bool = False
    role: str | None = None
    closes: bool = False
    org: Organization | None = None
    explicit: bool = False
    subitem: bool = False
    cells: tuple[str, ...] = ()


@dataclass
class Context:
    """A line with the document around it: the look-ahead every rule asks lives here."""

    lines: list[Line]
    index: int
    people: People
    agenda: dict[str, AgendaItem]
    hint_top: int
    top_explicit: bool
    in_turn: bool = False
    table: tuple[str, ...] = ()  # what each column of the current question/answer table holds

    @property
    def line(self) -> Line:
        return self.lines[self.index]

    @property
    def next(self) -> Line | None:
        return next_nonblank(self.lines, self.index)

    def next_opens_turn(self) -> bool:
        """The next line is a speaker label line (it would open a turn)."""
        pos = next_index(self.lines, self.index)
        if pos is None:
            return False
        return speaker_label(self.lines[pos], next_nonblank(self.lines, pos), self.people) is not None

    def next_is_subitem(self) -> bool:
        following = self.next
        return following is not None and (following.norm[0] in SUBITEM_MARKERS or bool(NUMBERED_SUB.match(following.plain)))


HEADING_MARKERS = "■□◆◇▶▷►▼▽"


def heading_marked(line: Line) -> bool:
    """■ 端末・テレワーク: a short line after a heading marker (■ □ ◆ ◇ ▶) heads a part."""
    return line.norm[0] in HEADING_MARKERS and len(line.norm) <= 40 and not line.norm.endswith(SENTENCE_END)


def holds_statement(line: Line | None) -> bool:
    """A line that carries statement text: a marker line (not 質疑なし) or a sentence or paragraph."""
    if line is None or is_parenthesized(line.norm) or line.norm.startswith("【") or heading_marked(line):
        return False
    if line.marker:
        return not NO_DISCUSSION.match(strip_marker(line.norm))
    return not line.short or "、" in line.norm or "。" in line.norm


def label_shaped(line: Line) -> bool:
    norm = line.norm
    return line.short and not line.marker and norm[0] not in SUBITEM_MARKERS and "、" not in norm and "「" not in norm


def heading_tail(label: str) -> bool:
    """Ends as a heading does (…について, …報告, …情報共有会), once organization names are removed."""
    return bool(HEADING_TAIL.search(split_private(normalize_text(label))[0]))


def speaker_label(line: Line, following: Line | None, people: People) -> str | None:
    """The speaker label of a line that stands alone as one, else None.

    Forms: ``(東京都CIO 副知事 宮坂 学)``; ``【足立区】``; a known label (荒川区, 東京都CIO, 事務局)
    followed by a statement — a known label followed by another label is a heading
    (デジタル庁情報共有会 then 東京都CIO); an unknown label followed by a ○/• statement.
    """
    norm = line.norm
    if is_parenthesized(norm):
        inner = LABEL_PREFIX.sub("", unparenthesize(norm))
        if split_private(inner)[1] or heading_tail(inner):
            return None
        if PAREN_NOTE.search(inner) and (len(inner) > 25 or re.search(r"から|について|より|に基づ", inner)):
            return None  # （資料１について事務局から説明）: a note on the proceedings
        label = LABEL_PREFIX.sub("", unparenthesize(collapse_spaces(line.raw)))
        if people.known(inner):
            return label
        label_like = len(inner) <= 30 and not re.search(r"[、。]", inner) and not PAREN_NOTE.search(inner)
        if label_like and not INTERJECTION.match(norm) and holds_statement(following):
            return label
        return None
    if m := BRACKET.match(norm):
        title = m.group("title")
        if people.known(title) and not heading_tail(title) and len(title) <= 30:
            return title
        return None
    norm = norm.rstrip(":：")
    if not label_shaped(line) or heading_tail(norm) or HEADER_WORDS.match(norm) or agenda_heading(line) is not None:
        return None
    if norm in DOCUMENT_KINDS:
        return None
    label = collapse_spaces(line.raw).rstrip(":：").strip()
    if people.known(norm):
        return label if holds_statement(following) else None
    if following is not None and following.marker and holds_statement(following) and len(norm) <= 25:
        return label
    return None


# --- rules, in the order they are tried ---------------------------------------------------


def question_answer(ctx: Context) -> Action | None:
    """Q&A records: 質問１（八王子市） / 回答１ / Ｑ１．… / Ａ：… / 【質問】… — a turn with its role."""
    m = QUESTION_ANSWER.match(ctx.line.plain)
    if not m:
        return None
    kind, num, org_text, text = m.group("kind", "num", "org", "text")
    sep = m.group("sep") or m.group("sep2")
    if kind in ("Q", "A", "問", "答") and not (num or org_text or sep):
        return None
    if kind in ("質問", "回答", "意見", "要望") and text and not (num or org_text or sep):
        return None
    if kind in ("質問者", "回答者"):  # 質問者：足立区 / 回答者：デジタル庁 — the organization follows the colon
        if not sep or not text or len(text) > 30:
            return None
        org_text, text = text, ""
    if kind in ("意見", "要望") and not ctx.line.norm.startswith(("【", "[", "〔")):
        return None  # only the bracketed block heads 【意見】 / 【要望】
    role = "question" if kind in ("質問者", "質問", "意見", "要望", "問", "Q") else "answer"
    org = None
    if org_text:
        label = collapse_spaces(org_text)
        org = ctx.people.resolve(label)
    else:
        label = PLACEHOLDER_QUESTION if role == "question" else PLACEHOLDER_ANSWER
        if role == "answer":
            org = ctx.people.secretariat or ctx.people.host
    return Action("speaker", label=label, text=text.strip(), role=role, org=org)


def lead_in_note(ctx: Context) -> Action | None:
    """以下、質疑応答の要旨を記載する / ※発言した団体名は…: the editor's lead-in, a note."""
    if re.match(r"^以下[、,]", ctx.line.norm) and len(ctx.line.norm) <= 60:
        return Action("note", text=ctx.line.raw.strip())
    return None


def page_chrome(ctx: Context) -> Action | None:
    """このページの… / 本ページは…: a saved web page speaking about itself, not the minutes."""
    if re.match(r"^(このページ|本ページ|当ページ|このサイト)", ctx.line.norm) and len(ctx.line.norm) <= 80:
        return Action("skip")
    return None


def body_field(ctx: Context) -> Action | None:
    """欠席：檜原村 / 出席者：… / 配布資料：… left in the body: a header field, not speech."""
    label, _value = header_field(ctx.line.plain)
    if label in BODY_FIELD_LABELS:
        return Action("skip")
    return None


def breadcrumb(ctx: Context) -> Action | None:
    """トップ > 東京都 > 練馬区: a saved page's navigation trail."""
    if BREADCRUMB.search(ctx.line.norm) and len(ctx.line.norm) <= 80 and not ctx.line.norm.endswith("。"):
        return Action("skip")
    return None


def roster_line(ctx: Context) -> Action | None:
    """千代田区　政策経営部　情報政策課長　山口　浩二: a name list laid out in columns, not speech."""
    raw = ctx.line.raw.strip()
    tokens = raw.split()
    if len(tokens) < 3 or not re.search(r"\u3000|  ", raw) or re.search(r"[、。]", ctx.line.norm) or len(ctx.line.norm) > 60:
        return None
    name = tokens[-2:] if all(len(t) <= 4 for t in tokens[-2:]) else tokens[-1:]
    person = normalize_text(" ".join(name))
    if ctx.people.known(tokens[0]) and PERSON_NAME.match(person) and not re.search(r"[長課部局室官係所]|担当", person):
        return Action("skip")
    return None


def trailing_org_statement(ctx: Context) -> Action | None:
    """・…できるのか。（日野市）: the speaking organization written after the statement."""
    line = ctx.line
    m = TRAILING_ORG.search(line.raw.strip())
    if not m or len(line.norm) < 12:
        return None
    label = collapse_spaces(m.group("org"))
    if split_private(f"({label})")[1] or not ctx.people.known(label):
        return None
    text = strip_marker(line.raw.strip()[: m.start()].strip())
    if not normalize_text(text).endswith(STOPS):
        return None  # "…の導入について（八王子市）" is a heading with its presenter
    return Action("attribute", label=label, text=text)


def column_speaker(ctx: Context) -> Action | None:
    """A speaker column laid out with spaces: 中野区　　　　　中野区では、… (two-column text tables)."""
    m = COLUMN_SPEAKER.match(ctx.line.raw.strip())
    if not m:
        return None
    label = collapse_spaces(m.group("label"))
    if ctx.people.known(label) or ctx.people.is_person_label(label):
        return Action("speaker", label=label, text=m.group("text").strip())
    return None


def role_bracket_speaker(ctx: Context) -> Action | None:
    """【委員】山田 / 【座長】中村 alone on a line: a member named by role and surname."""
    m = ROLE_BRACKET.match(ctx.line.norm)
    if not m:
        return None
    role, name = m.group("role"), (m.group("name") or "").strip()
    label = f"{name}{role}" if name else role
    if name or ctx.people.known(label) or ctx.people.is_person_label(label):
        return Action("speaker", label=label)
    return None


def separator(ctx: Context) -> Action | None:
    """−−−−−− / ＝＝＝ / +−−−+ rules drawn between parts: layout, not text."""
    if re.fullmatch(r"[\-−－ー―‐=＝_＿~〜+＋*＊・･.…\s]{3,}", ctx.line.norm) and not re.search(r"[ぁ-んァ-ン一-龥]", ctx.line.norm):
        return Action("skip")
    return None


def end_mark(ctx: Context) -> Action | None:
    """「以上」 alone on a line closes a Japanese document: neither a statement nor a note."""
    if re.fullmatch(r"[-‐－―ー]*\s*以上\s*[-‐－―ー]*", ctx.line.norm):
        return Action("skip")
    return None


def page_stamp(ctx: Context) -> Action | None:
    """更新日：… / 公開日：… at the foot of a saved web page: not part of the minutes."""
    m = STAMP.match(ctx.line.norm)
    if m and len(ctx.line.norm) <= 30 and (not m.group(2) or parse_date(m.group(2))):
        return Action("skip")
    return None


def no_discussion(ctx: Context) -> Action | None:
    """質疑なし / ○質疑なし (the seed): a note that closes the item; nobody spoke."""
    text = strip_marker(ctx.line.norm)
    if NO_DISCUSSION.match(text):
        return Action("note", text=strip_marker(ctx.line.raw), closes=True)
    return None


def editorial_note(ctx: Context) -> Action | None:
    """※ / 備考 / 注 lines: an editor's aside inside a turn, not a statement."""
    if EDITORIAL_NOTE.match(ctx.line.norm):
        return Action("note", text=ctx.line.raw.strip())
    return None


def proceedings_note(ctx: Context) -> Action | None:
    """Council records: 午後1時28分 休憩/再開/散会 and （「異議なし」と呼ぶ者あり） — notes, not speech."""
    norm = ctx.line.norm
    if OPENING_STAMP.match(norm):
        return Action("note", text=ctx.line.raw.strip(), closes=True)
    if INTERJECTION.match(norm):  # the speaker goes on after it
        return Action("note", text=ctx.line.raw.strip())
    if PROCEEDINGS.match(norm):
        return Action("note", text=ctx.line.raw.strip(), closes=True, role="closing" if CLOSING.search(norm) else None)
    return None


def council_inline_speaker(ctx: Context) -> Action | None:
    """Council records: ◯委員長(石井良司君)　text, ○佐藤委員　text, ○中村デジタルサービス局長　text."""
    m = COUNCIL_INLINE.match(ctx.line.raw.strip())
    if not m:
        return None
    label = collapse_spaces(m.group("label"))
    core = re.sub(r"[(（][^)）]*[)）]$", "", normalize_text(label))
    by_title = re.search(r"君[)）]$", label) or PERSON_SUFFIX.search(core) or re.search(f"{EXECUTIVE.pattern}$", core)
    if not by_title or heading_tail(core):
        return None
    return Action("speaker", label=label, text=m.group("text").strip())


def colon_inline_speaker(ctx: Context) -> Action | None:
    """A label and its statement on one line: 足立区：…, 佐藤委員：…, 座長：…, 事務局：…."""
    m = COLON_INLINE.match(ctx.line.raw.strip())
    if not m:
        return None
    label = collapse_spaces(m.group("label"))
    norm = normalize_text(label)
    if HEADER_WORDS.match(norm) or heading_tail(norm) or STAMP.match(norm):
        return None
    closing_paren = not re.search(r"[:：]", ctx.line.raw.strip()[: len(m.group("label")) + 3])
    if closing_paren and not (PERSON_SUFFIX.search(norm) or re.search(f"{EXECUTIVE.pattern}$", norm)):
        return None  # "松田委員長）…" names a person by title; other "X）" openings are text
    if ctx.people.known(label) or ctx.people.is_person_label(label):
        return Action("speaker", label=label, text=m.group("text").strip())
    return None


def paren_inline_speaker(ctx: Context) -> Action | None:
    """A label in parentheses before the statement: (町田市) …, ○（町田市）… (known labels only)."""
    m = PAREN_INLINE.match(ctx.line.raw.strip())
    if not m:
        return None
    label = LABEL_PREFIX.sub("", collapse_spaces(m.group("label")))
    if split_private(label)[1] or PAREN_NOTE.search(label):
        return None
    if ctx.people.known(label) or ctx.people.is_person_label(label):
        return Action("speaker", label=label, text=m.group("text").strip())
    return None


def agenda_item_heading(ctx: Context) -> Action | None:
    """〇議題１　書かない窓口の導入状況について: the heading of one agenda item."""
    m = AGENDA_ITEM_HEADING.match(ctx.line.plain)
    if m and len(ctx.line.norm) <= 60 and not ctx.line.norm.endswith("。"):
        title, private = split_private(m.group("title") or ctx.line.norm)
        return Action("heading", text=title, top=True, private=private, explicit=True)
    return None


def qa_table_row(ctx: Context) -> Action | None:
    """A question/answer table (No. | 団体名 | 質問 | 都の回答): its header says what each column is;
    each row is then a question by the row's organization and the answer by the header's one."""
    raw = ctx.line.raw.strip()
    if "\t" not in raw:
        return None
    cells = [c.strip() for c in raw.split("\t")]
    roles = tuple(_qa_column(normalize_text(c)) for c in cells)
    if "question" in roles and any(r.startswith("answer") for r in roles):
        return Action("table", cells=roles)
    if not ctx.table or len(cells) != len(ctx.table):
        return None
    by_role = dict(zip(ctx.table, cells, strict=True))
    asker = by_role.get("org", "")
    answer_role = next(r for r in ctx.table if r.startswith("answer"))
    answerer = answer_role.partition(":")[2] or PLACEHOLDER_ANSWER
    question, answer = by_role.get("question", ""), by_role.get(answer_role, "")
    if not question:
        return None
    return Action("qa_row", label=asker or PLACEHOLDER_QUESTION, text=question, cells=(answerer, answer))


def _qa_column(header: str) -> str:
    if re.search(r"団体|所属|区市町村名|質問者|発言者", header):
        return "org"
    if re.search(r"回答|答", header):
        return "answer:" + re.sub(r"(からの|の)?(回答|答え?)$", "", header)
    if re.search(r"質問|照会|意見|要望|問", header):
        return "question"
    return ""


def table_row_speaker(ctx: Context) -> Action | None:
    """A speech table saved from a web page or Word: 発言者<TAB>発言内容 per row."""
    raw = ctx.line.raw.strip()
    cells = [c.strip() for c in re.split(r"\t|[ \u3000]{2,}", raw) if c.strip()]
    if "\t" not in raw:
        header_row = len(cells) >= 2 and all(TABLE_HEADER.match(normalize_text(c)) or "・" in c for c in cells)
        return Action("skip") if header_row and TABLE_HEADER.match(normalize_text(cells[0])) else None
    if all(TABLE_HEADER.match(normalize_text(c)) for c in cells):
        return Action("skip")
    if len(cells) >= 2 and len(cells[0]) <= 30 and (ctx.people.known(cells[0]) or ctx.people.is_person_label(cells[0])):
        return Action("speaker", label=collapse_spaces(cells[0]), text=" ".join(cells[1:]))
    return None


def numbered_statement(ctx: Context) -> Action | None:
    """１．… / ① … opinions inside a turn: each numbered sentence is one statement."""
    line = ctx.line
    numbered = NUMBERED_TOP.match(line.plain) or re.match(r"^[①-⑳]", line.norm)
    if not (ctx.in_turn and numbered):
        return None
    if line.norm.endswith(SENTENCE_END) or not line.short or "、" in line.norm:
        text = re.sub(r"^(?:[0-9]+\s*[.．、)）]\s*|[①-⑳]\s*)", "", line.plain, count=1)
        return Action("statement", text=text.strip() or line.raw.strip())
    return None


def bracket_heading(ctx: Context) -> Action | None:
    """【1.挨拶】 headings of the CIO協議会 editions; 【足立区】 is a speaker; （非公開） marks a closed part."""
    m = BRACKET.match(ctx.line.norm)
    if not m:
        return None
    label = speaker_label(ctx.line, ctx.next, ctx.people)
    if label is not None:
        return Action("speaker", label=label)
    title, private = split_private(m.group("title"))
    return Action("heading", text=title, top=True, private=private, explicit=True)


def subitem_heading(ctx: Context) -> Action | None:
    """Sub-items: * 「…, ＊国内共同調査の現状報告 (the seed), (1) …, ① … ."""
    plain = ctx.line.plain
    if ctx.line.norm[0] in SUBITEM_MARKERS or NUMBERED_SUB.match(plain):
        title, private = split_private(_heading_title(plain))
        return Action("heading", text=_without_presenter(title, ctx), top=False, private=private, subitem=True)
    return None


def marked_heading(ctx: Context) -> Action | None:
    """Headings a reader marked: Word heading styles, HTML <h1>–<h6>, Markdown #."""
    line = ctx.line
    if not line.hint:
        return None
    label = speaker_label(line, ctx.next, ctx.people)
    if label is not None:
        return Action("speaker", label=label)
    if not line.short:
        return None
    title, private = split_private(_heading_title(line.plain))
    top = line.hint <= ctx.hint_top
    return Action("heading", text=_without_presenter(title, ctx), top=top, private=private, explicit=top)


def agenda_heading_echo(ctx: Context) -> Action | None:
    """A body line repeating an agenda item (都からの事業報告; …について(八王子市)) heads its part."""
    line = ctx.line
    if len(line.norm) > 60 or line.norm.endswith("。") or line.marker:
        return None
    title, private = split_private(_heading_title(line.plain))
    bare, _presenter = presenter_titles(title)
    item = ctx.agenda.get(key(bare)) or ctx.agenda.get(key(title))
    if item is None:
        item = next((a for k, a in ctx.agenda.items() if len(k) >= 4 and key(bare).endswith(k)), None)
        if item is None or not label_shaped(line):
            return None
    level_top = item.parent is None
    return Action("heading", text=normalize_text(bare), top=level_top, private=private or item.private)


def private_heading(ctx: Context) -> Action | None:
    """A short line marked (非公開): 事例紹介(非公開) heads a closed part, never a statement."""
    title, private = split_private(ctx.line.norm)
    if private and len(title) <= 60 and not ctx.line.marker:
        return Action("heading", text=_heading_title(title), top=not ctx.top_explicit, private=True)
    return None


def paren_speaker(ctx: Context) -> Action | None:
    """(東京都CIO 副知事 宮坂 学) on its own line (web editions); (休憩) and (資料説明) are notes."""
    norm = ctx.line.norm
    if not is_parenthesized(norm):
        return None
    label = speaker_label(ctx.line, ctx.next, ctx.people)
    if label is not None:
        return Action("speaker", label=label)
    return Action("note", text=ctx.line.raw.strip())


def numbered_heading(ctx: Context) -> Action | None:
    """Numbered headings: 1 開会, 2．意見交換, 一、報告事項."""
    line = ctx.line
    if NUMBERED_TOP.match(line.plain) and len(line.norm) <= 40 and not line.norm.endswith("。"):
        title, private = split_private(_heading_title(line.plain))
        return Action("heading", text=title, top=True, private=private, explicit=True)
    return None


def marked_label_speaker(ctx: Context) -> Action | None:
    """○足立区 on a line of its own (a marker before a known label), followed by plain text."""
    line = ctx.line
    if not line.marker:
        return None
    body = strip_marker(line.norm)
    following = ctx.next
    label_alone = len(body) <= 20 and not body.endswith(SENTENCE_END) and not heading_tail(body) and "、" not in body
    if not (label_alone and ctx.people.known(body)) or not holds_statement(following):
        return None
    if following is not None and following.marker == line.marker:
        return None  # "○足立区" between other ○ statements is a statement, not a label
    return Action("speaker", label=collapse_spaces(line.body))


def marker_heading(ctx: Context) -> Action | None:
    """■ 端末・テレワーク / ◆ 意見交換: headings after a heading marker (Q&A lists, web pages)."""
    if heading_marked(ctx.line):
        title, private = split_private(ctx.line.norm[1:].strip())
        return Action("heading", text=title, top=not ctx.top_explicit, private=private)
    return None


def marker_statement(ctx: Context) -> Action | None:
    """A statement per marker: ○ (the seed), • ・ ‧ - (web editions), Word bullets."""
    if ctx.line.marker:
        return Action("statement", text=ctx.line.body)
    return None


def label_speaker(ctx: Context) -> Action | None:
    """A speaker label on its own line (荒川区, 東京都…課長, 宮坂副知事, 事務局), then statements."""
    label = speaker_label(ctx.line, ctx.next, ctx.people)
    if label is not None:
        return Action("speaker", label=label)
    return None


def label_heading(ctx: Context) -> Action | None:
    """A short line that heads what follows: it ends as a heading does, or a speaker or sub-item follows."""
    line = ctx.line
    if not label_shaped(line) or HEADER_WORDS.match(line.norm):
        return None
    if heading_tail(line.norm) or ctx.next_opens_turn() or ctx.next_is_subitem():
        title, private = split_private(_heading_title(line.plain))
        return Action("heading", text=title, top=not ctx.top_explicit, private=private)
    return None


def continuation(ctx: Context) -> Action | None:
    """Anything else is text: it continues the statement before it or starts a paragraph statement
    (an indented line after a finished sentence is a new paragraph, as in council records)."""
    return Action("text", text=ctx.line.raw.strip(), explicit=ctx.line.indent > 0)


RULES: list[Callable[[Context], Action | None]] = [
    separator,
    end_mark,
    page_stamp,
    breadcrumb,
    page_chrome,
    lead_in_note,
    body_field,
    roster_line,
    role_bracket_speaker,
    question_answer,
    no_discussion,
    editorial_note,
    proceedings_note,
    council_inline_speaker,
    colon_inline_speaker,
    paren_inline_speaker,
    qa_table_row,
    table_row_speaker,
    column_speaker,
    trailing_org_statement,
    agenda_item_heading,
    bracket_heading,
    subitem_heading,
    marked_heading,
    agenda_heading_echo,
    private_heading,
    paren_speaker,
    numbered_statement,
    numbered_heading,
    marked_label_speaker,
    marker_heading,
    marker_statement,
    label_speaker,
    label_heading,
    continuation,
]


def rule_name(rule: Callable[[Context], Action | None]) -> str:
    return rule.__name__.replace("_", "-")


# --- applying the actions -------------------------------------------------------------------


@dataclass
class Body:
    """What the body rules read, and which rules did."""

    sections: list[Section] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fixed_roles: dict[int, str] = field(default_factory=dict)
    closing_time: str | None = None
    table: tuple[str, ...] = ()
    rules: set[str] = field(default_factory=set)
    top_id: int | None = None
    sub_id: int | None = None
    top_explicit: bool = False
    top_from_subitem: bool = False
    turn: Turn | None = None
    marker_style: bool = False
    last_blank: bool = False

    @property
    def section_id(self) -> int | None:
        return self.sub_id if self.sub_id is not None else self.top_id


def read_body(lines: list[Line], people: People, agenda: list[AgendaItem]) -> Body:
    """Apply the rules to every non-blank line of the body; labels that nobody's speech follows
    (a roster's 【東京都】, a label before a page break into another heading) are not turns."""
    body = Body()
    keys = {key(a.title): a for a in agenda}
    hints = [line.hint for line in lines if line.hint]
    hint_top = min(hints) if hints else 0
    for i, line in enumerate(lines):
        if line.blank:
            body.last_blank = True
            continue
        ctx = Context(lines, i, people, keys, hint_top, body.top_explicit, body.turn is not None, body.table)
        for rule in RULES:
            action = rule(ctx)
            if action is not None:
                body.rules.add(rule_name(rule))
                _apply(body, action, people)
                break
        body.last_blank = False
    _drop_silent_turns(body)
    return body


def _drop_silent_turns(body: Body) -> None:
    kept = [t for t in body.turns if t.statements]
    if len(kept) == len(body.turns):
        return
    renumber = {t.order: i for i, t in enumerate(kept, start=1)}
    body.fixed_roles = {renumber[o]: r for o, r in body.fixed_roles.items() if o in renumber}
    for turn in kept:
        turn.order = renumber[turn.order]
    body.turns = kept


def _apply(body: Body, action: Action, people: People) -> None:
    if action.kind == "heading":
        _open_section(body, action)
    elif action.kind == "speaker":
        _open_turn(body, action.label, people, action.org)
        if action.role:
            body.fixed_roles[body.turn.order] = action.role  # type: ignore[union-attr]
        if action.text:
            _add_statement(body, action.text, new=True, marker=False)
    elif action.kind == "note":
        body.notes.append(Note(section_id=body.section_id, text=strip_marker(action.text)))
        if action.role == "closing":
            body.closing_time = parse_times(normalize_text(action.text))[0]
        if action.closes:
            body.turn = None
    elif action.kind == "statement":
        _add_statement(body, action.text, new=True, marker=True)
    elif action.kind == "table":
        body.table = action.cells
    elif action.kind == "qa_row":
        answerer, answer = action.cells
        _open_turn(body, action.label, people)
        body.fixed_roles[body.turn.order] = "question"  # type: ignore[union-attr]
        _add_statement(body, action.text, new=True, marker=True)
        if answer:
            org = people.resolve(answerer) if answerer != PLACEHOLDER_ANSWER else None
            _open_turn(body, answerer, people, org if org and org.kind != orgs.UNKNOWN_KIND else people.secretariat or people.host)
            body.fixed_roles[body.turn.order] = "answer"  # type: ignore[union-attr]
            _add_statement(body, answer, new=True, marker=True)
    elif action.kind == "attribute":
        _attribute(body, action, people)
    elif action.kind == "skip":
        return
    else:
        _add_text(body, action.text, indented=action.explicit)


def _attribute(body: Body, action: Action, people: People) -> None:
    """A statement whose speaker is named after it: it names the open Q&A placeholder turn, or
    continues the turn of that speaker, or opens a turn for it (same fixed role as the block)."""
    turn = body.turn
    org = people.resolve(action.label)
    if turn is not None and turn.speaker in (PLACEHOLDER_QUESTION, PLACEHOLDER_ANSWER) and not turn.statements:
        turn.speaker, turn.organization = action.label, org
    elif turn is None or orgs.label_key(turn.speaker) != orgs.label_key(action.label):
        role = body.fixed_roles.get(turn.order) if turn is not None else None
        _open_turn(body, action.label, people, org)
        if role:
            body.fixed_roles[body.turn.order] = role  # type: ignore[union-attr]
    _add_statement(body, action.text, new=True, marker=True)


def _open_section(body: Body, action: Action) -> None:
    body.table = ()
    new_id = len(body.sections) + 1
    top = action.top or body.top_id is None or (body.top_from_subitem and action.subitem)
    parent = None if top else body.top_id
    body.sections.append(Section(id=new_id, title=normalize_text(action.text), parent_id=parent, private=action.private))
    if parent is None:
        body.top_id, body.sub_id = new_id, None
        body.top_explicit = action.explicit
        body.top_from_subitem = action.subitem
    else:
        body.sub_id = new_id
    body.turn = None


def _open_turn(body: Body, label: str, people: People, org: Organization | None = None) -> None:
    org = org if org is not None else people.resolve(label)
    if org.kind == orgs.UNKNOWN_KIND and label not in (PLACEHOLDER_QUESTION, PLACEHOLDER_ANSWER):
        body.warnings.append(f"発言者「{label}」の所属団体を特定できません (不明として扱います)")
    turn = Turn(order=len(body.turns) + 1, section_id=body.section_id, speaker=label, organization=org)
    body.turns.append(turn)
    body.turn = turn
    body.marker_style = False


def _add_statement(body: Body, text: str, new: bool, marker: bool) -> None:
    if body.turn is None:
        turn = Turn(
            order=len(body.turns) + 1, section_id=body.section_id, speaker=UNATTRIBUTED,
            organization=Organization(name=UNATTRIBUTED, kind=orgs.UNKNOWN_KIND),
        )
        body.turns.append(turn)
        body.turn = turn
        body.marker_style = False
    if marker:
        body.marker_style = True
    statements = body.turn.statements
    if new or not statements:
        statements.append(text)
    else:
        statements[-1] = _join(statements[-1], text, body.last_blank)


def _add_text(body: Body, raw: str, indented: bool = False) -> None:
    """A line without a marker: continues the statement, or starts a paragraph-statement.

    In marker style (○ per statement) a paragraph without ○ belongs to the statement before it,
    so page breaks and line wraps never split statements whatever the file format. In plain
    paragraph style a line after a finished sentence starts a new statement (a line broken inside
    a sentence is joined).
    """
    turn = body.turn
    if turn is None or not turn.statements:
        _add_statement(body, raw, new=True, marker=False)
        return
    finished = normalize_text(turn.statements[-1]).rstrip().endswith(SENTENCE_END)
    new_paragraph = not body.marker_style and finished
    _add_statement(body, raw, new=new_paragraph, marker=False)


def _join(left: str, right: str, paragraph: bool) -> str:
    """Join two pieces of one statement: a newline between paragraphs, a space between Latin words."""
    if paragraph and normalize_text(left).rstrip().endswith(SENTENCE_END):
        return f"{left}\n{right}"
    if re.search(r"[A-Za-z0-9,]$", left) and re.match(r"^[A-Za-z0-9]", right):
        return f"{left} {right}"
    return left + right


def _without_presenter(title: str, ctx: Context) -> str:
    """子育て施設データの公開（文京区） -> 子育て施設データの公開: a presenter after a heading is not its title."""
    bare, presenter = presenter_titles(title)
    return bare if presenter and ctx.people.known(presenter) and bare else title


def _heading_title(plain: str) -> str:
    """Display title of a heading: markers, numbering, brackets and an unclosed 「 removed."""
    title = plain.lstrip(SUBITEM_MARKERS).strip()
    if m := BRACKET.match(title):
        title = m.group("title")
    elif (m := NUMBERED_SUB.match(title)) or (m := NUMBERED_TOP.match(title)):
        title = title[m.end() :]
    if title.startswith("「") and "」" not in title:
        title = title[1:]
    return title.strip()
