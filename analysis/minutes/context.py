"""What every body rule sees: the line, the look-ahead, and the shapes they share.

``Context`` is a line with the document around it; the look-ahead (the next non-blank lines,
whether the next one opens a turn) lives only here, and so do the shape tests several rules ask
(does a line hold a statement, is it shaped like a label, does it end as a heading does, is it a
speaker label on its own). A rule returns an ``Action``: what the line is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.minutes.agenda import NUMBERED_SUB
from analysis.minutes.header import DOCUMENT_KINDS, agenda_heading
from analysis.minutes.lines import (
    SENTENCE_END,
    SUBITEM_MARKERS,
    Line,
    collapse_spaces,
    is_parenthesized,
    next_index,
    next_nonblank,
    split_private,
    strip_marker,
    unparenthesize,
)
from analysis.minutes.people import People
from analysis.model import AgendaItem, Organization
from analysis.normalize import normalize_text

UNATTRIBUTED = "不明"
#: Speaker labels of Q&A turns whose asker or answerer is not named (yet: a trailing （団体） may name it).
PLACEHOLDER_QUESTION, PLACEHOLDER_ANSWER = "質問", "回答"
NO_DISCUSSION = re.compile(
    r"^(質疑|質問|意見)(応答)?(等)?(は)?(なし|無し|特になし|ありません)。?$|^特になし。?$"
)
PAREN_NOTE = re.compile(
    r"説明|資料|休憩|省略|中略|以下略|拍手|退席|退室|入室|着席|録画|異議なし|呼ぶ者|賛成者|発言する者|敬称略|五十音順|順不同|挙手|起立|速記"
)
INTERJECTION = re.compile(
    r"^[(（].*(者あり|者多し|者なし|拍手|休憩|速記)[^)）]*[)）]$|^〔.*〕$|^[(（]\s*(午前|午後)\s*\S{1,8}\s*[)）]$"
    r"|^[(（]\s*(休憩|再開|開会|閉会|散会|開議)\s*(午前|午後)?\s*[^)）]{0,10}[)）]$"
)
HEADING_TAIL = re.compile(
    r"(について|に関して|に関する件|報告|共有|共有会|提供|紹介|意見交換|意見|概要|内容|質疑|要旨|まとめ|質疑応答|挨拶|あいさつ"
    r"|開会|閉会|その他|説明|協議|議事|事項|議題|講演|講演会|総括|結果|案件|審議|検討|討議)$"
)
#: "発言者：世田谷区": the prefix names the field, not the speaker.
LABEL_PREFIX = re.compile(r"^(発言者|発言|質問者|回答者|説明者|報告者)\s*[:：]\s*")
BRACKET = re.compile(
    r"^[【＜〈《<]\s*(?:[0-9]+\s*[.．、]?\s*|[一二三四五六七八九十]+\s*[.．、]\s*)?(?P<title>.+?)\s*[】＞〉》>]$"
)
HEADER_WORDS = re.compile(
    r"^(日\s*時|場\s*所|会\s*場|開催日時?|日付|資料|出席者|欠席者|参加者|議事|議題|時間|目的|備考|注|結論|理由|件名|主旨)$"
)


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
        return following is not None and (
            following.norm[0] in SUBITEM_MARKERS or bool(NUMBERED_SUB.match(following.plain))
        )


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
    return (
        line.short
        and not line.marker
        and norm[0] not in SUBITEM_MARKERS
        and "、" not in norm
        and "「" not in norm
    )


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
    if (
        not label_shaped(line)
        or heading_tail(norm)
        or HEADER_WORDS.match(norm)
        or agenda_heading(line) is not None
    ):
        return None
    if norm in DOCUMENT_KINDS:
        return None
    label = collapse_spaces(line.raw).rstrip(":：").strip()
    if people.known(norm):
        return label if holds_statement(following) else None
    if following is not None and following.marker and holds_statement(following) and len(norm) <= 25:
        return label
    return None
