"""Body rules for lines that are not speech: notes on the proceedings and page furniture.

質疑なし, ※ asides, 午後N時 休憩/再開, （「異議なし」と呼ぶ者あり）, 以下、… lead-ins are notes; rules,
以上, 更新日 stamps, breadcrumbs, このページの…, 欠席：… fields and name rosters are skipped.
"""

from __future__ import annotations

import re

from analysis.dates import parse_date
from analysis.minutes.context import (
    INTERJECTION,
    NO_DISCUSSION,
    Action,
    Context,
)
from analysis.minutes.header import STAMP, is_breadcrumb
from analysis.minutes.header import field_of as header_field
from analysis.minutes.lines import (
    PROCEEDINGS,
    strip_marker,
)
from analysis.normalize import normalize_text

EDITORIAL_NOTE = re.compile(r"^(備考|注記?|※)")
#: Interjections and stamps: （「異議なし」と呼ぶ者あり）, 〔「なし」〕, （午後1時00分）, (拍手).
#: ６月１２日（木）（13:30開議）: the day's opening stamp of a council record.
OPENING_STAMP = re.compile(
    r"^.{0,20}[(（]\s*\d{1,2}\s*[:：時]\s*\d{0,2}\s*分?\s*(開議|開会|再開|散会|閉会)\s*[)）]$"
)
CLOSING = re.compile(r"(散会|閉会|閉議)")
BODY_FIELD_LABELS = frozenset(
    {"出席者", "出席", "欠席", "欠席者", "欠席委員", "配布資料", "配付資料", "資料", "傍聴者"}
)
PERSON_NAME = re.compile(r"^[^\s\d()（）、。]{1,5}\s?[^\s\d()（）、。]{1,6}$")


def separator(ctx: Context) -> Action | None:
    """−−−−−− / ＝＝＝ / +−−−+ rules drawn between parts: layout, not text."""
    if re.fullmatch(r"[\-−－ー―‐=＝_＿~〜+＋*＊・･.…\s]{3,}", ctx.line.norm) and not re.search(
        r"[ぁ-んァ-ン一-龥]", ctx.line.norm
    ):
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


def breadcrumb(ctx: Context) -> Action | None:
    """トップ > 東京都 > 練馬区: a saved page's navigation trail."""
    if len(ctx.line.norm) <= 80 and not ctx.line.norm.endswith("。") and is_breadcrumb(ctx.line.norm):
        return Action("skip")
    return None


def page_chrome(ctx: Context) -> Action | None:
    """このページの… / 本ページは…: a saved web page speaking about itself, not the minutes."""
    if re.match(r"^(このページ|本ページ|当ページ|このサイト)", ctx.line.norm) and len(ctx.line.norm) <= 80:
        return Action("skip")
    return None


def lead_in_note(ctx: Context) -> Action | None:
    """以下、質疑応答の要旨を記載する / ※発言した団体名は…: the editor's lead-in, a note."""
    if re.match(r"^以下[、,]", ctx.line.norm) and len(ctx.line.norm) <= 60:
        return Action("note", text=ctx.line.raw.strip())
    return None


def body_field(ctx: Context) -> Action | None:
    """欠席：檜原村 / 出席者：… / 配布資料：… left in the body: a header field, not speech."""
    if len(ctx.line.norm) > 80 or not re.search(r"[:：]", ctx.line.norm):
        return None
    label, _value = header_field(ctx.line.plain)
    if label in BODY_FIELD_LABELS:
        return Action("skip")
    return None


def roster_line(ctx: Context) -> Action | None:
    """千代田区　政策経営部　情報政策課長　山口　浩二: a name list laid out in columns, not speech."""
    raw = ctx.line.raw.strip()
    tokens = raw.split()
    if (
        len(tokens) < 3
        or not re.search(r"\u3000|  ", raw)
        or re.search(r"[、。]", ctx.line.norm)
        or len(ctx.line.norm) > 60
    ):
        return None
    name = tokens[-2:] if all(len(t) <= 4 for t in tokens[-2:]) else tokens[-1:]
    person = normalize_text(" ".join(name))
    if (
        ctx.people.known(tokens[0])
        and PERSON_NAME.match(person)
        and not re.search(r"[長課部局室官係所]|担当", person)
    ):
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
        return Action(
            "note", text=ctx.line.raw.strip(), closes=True, role="closing" if CLOSING.search(norm) else None
        )
    return None
