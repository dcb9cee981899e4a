"""Body rules that open a speaker turn, one per way minutes name who speaks.

Labels on their own line (荒川区, (東京都CIO 副知事 …), 【委員】山田), inline (足立区：…,
◯委員長（…君）　…, 松田委員長）…, (町田市) …, a speaker column), after the statement (…。（日野市）),
in Q&A records (質問１（八王子市）, Ｑ．, 【意見】, 質問者：…) and in speech or question/answer tables.
"""

from __future__ import annotations

import re

from analysis.minutes.context import (
    HEADER_WORDS,
    LABEL_PREFIX,
    PAREN_NOTE,
    PLACEHOLDER_ANSWER,
    PLACEHOLDER_QUESTION,
    Action,
    Context,
    heading_tail,
    holds_statement,
    speaker_label,
)
from analysis.minutes.header import STAMP
from analysis.minutes.lines import (
    SENTENCE_END,
    STOPS,
    collapse_spaces,
    is_parenthesized,
    split_private,
    strip_marker,
)
from analysis.minutes.people import EXECUTIVE, PERSON_SUFFIX
from analysis.normalize import normalize_text

QUESTION_ANSWER = re.compile(
    r"^[【\[〔]?\s*(?P<kind>質問者|回答者|質問|回答|意見|要望|問|答|Q|A)\s*(?P<num>[0-9]+)?\s*[】\]〕]?\s*(?P<sep>[.．:：、])?\s*"
    r"(?:[(（【\[](?P<org>[^()（）【】\[\]]{1,30})[)）】\]])?\s*(?P<sep2>[.．:：、)）])?\s*(?P<text>.*)$"
)
COUNCIL_INLINE = re.compile(r"^[○◯]\s*(?P<label>[^\s(（]{1,30}(?:[(（][^)）]{1,24}[)）])?)\s+(?P<text>\S.*)$")
COLON_INLINE = re.compile(
    r"^[○◯●•・]?\s*(?P<label>[^\s:：。、()（）]{1,30}?)\s*(?:[:：]|(?<=\S)[)）])\s*(?P<text>\S.*)$"
)
PAREN_INLINE = re.compile(r"^[○◯●•・]?\s*[(（〔](?P<label>[^()（）〔〕]{2,40})[)）〕]\s*(?P<text>\S.{3,})$")
#: A statement that names its speaker at the end: "…できるのか。（日野市）".
TRAILING_ORG = re.compile(r"[(（](?P<org>[^()（）]{2,20})[)）]\s*$")
#: A speaker column padded with spaces before the statement text.
COLUMN_SPEAKER = re.compile(
    r"^(?P<label>[^\s、。:：()（）]{2,20})(?:\u3000+|[ \u3000]{2,})(?P<text>\S.{9,})$"
)
#: 【委員】山田 / 【事務局】: a role in brackets, then maybe a surname.
ROLE_BRACKET = re.compile(
    r"^[【\[](?P<role>委員|座長|副座長|会長|副会長|部会長|委員長|構成員|オブザーバー)[】\]]\s*(?P<name>\S{1,6})?$"
)
#: Table headers of a speech table (発言者｜発言内容).
TABLE_HEADER = re.compile(
    r"^(発言者|発言者名|所属|団体|団体名|氏名|発言内容|発言|内容|要旨|意見|回答|質問|No\.?|番号)$"
)


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
    if kind in (
        "質問者",
        "回答者",
    ):  # 質問者：足立区 / 回答者：デジタル庁 — the organization follows the colon
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


def council_inline_speaker(ctx: Context) -> Action | None:
    """Council records: ◯委員長(石井良司君)　text, ○佐藤委員　text, ○中村デジタルサービス局長　text."""
    m = COUNCIL_INLINE.match(ctx.line.raw.strip())
    if not m:
        return None
    label = collapse_spaces(m.group("label"))
    core = re.sub(r"[(（][^)）]*[)）]$", "", normalize_text(label))
    by_title = (
        re.search(r"君[)）]$", label)
        or PERSON_SUFFIX.search(core)
        or re.search(f"{EXECUTIVE.pattern}$", core)
    )
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
        header_row = len(cells) >= 2 and all(
            TABLE_HEADER.match(normalize_text(c)) or "・" in c for c in cells
        )
        return Action("skip") if header_row and TABLE_HEADER.match(normalize_text(cells[0])) else None
    if all(TABLE_HEADER.match(normalize_text(c)) for c in cells):
        return Action("skip")
    if (
        len(cells) >= 2
        and len(cells[0]) <= 30
        and (ctx.people.known(cells[0]) or ctx.people.is_person_label(cells[0]))
    ):
        return Action("speaker", label=collapse_spaces(cells[0]), text=" ".join(cells[1:]))
    return None


def column_speaker(ctx: Context) -> Action | None:
    """A speaker column laid out with spaces: 中野区　　　　　中野区では、… (two-column text tables)."""
    m = COLUMN_SPEAKER.match(ctx.line.raw.strip())
    if not m:
        return None
    label = collapse_spaces(m.group("label"))
    if ctx.people.known(label) or ctx.people.is_person_label(label):
        return Action("speaker", label=label, text=m.group("text").strip())
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


def paren_speaker(ctx: Context) -> Action | None:
    """(東京都CIO 副知事 宮坂 学) on its own line (web editions); (休憩) and (資料説明) are notes."""
    norm = ctx.line.norm
    if not is_parenthesized(norm):
        return None
    label = speaker_label(ctx.line, ctx.next, ctx.people)
    if label is not None:
        return Action("speaker", label=label)
    return Action("note", text=ctx.line.raw.strip())


def marked_label_speaker(ctx: Context) -> Action | None:
    """○足立区 on a line of its own (a marker before a known label), followed by plain text."""
    line = ctx.line
    if not line.marker:
        return None
    body = strip_marker(line.norm)
    following = ctx.next
    label_alone = (
        len(body) <= 20 and not body.endswith(SENTENCE_END) and not heading_tail(body) and "、" not in body
    )
    if not (label_alone and ctx.people.known(body)) or not holds_statement(following):
        return None
    if following is not None and following.marker == line.marker:
        return None  # "○足立区" between other ○ statements is a statement, not a label
    return Action("speaker", label=collapse_spaces(line.body))


def label_speaker(ctx: Context) -> Action | None:
    """A speaker label on its own line (荒川区, 東京都…課長, 宮坂副知事, 事務局), then statements."""
    label = speaker_label(ctx.line, ctx.next, ctx.people)
    if label is not None:
        return Action("speaker", label=label)
    return None
