"""Body rules for headings: 【1.挨拶】, 〇議題１, * 「…, (1) …, 1 開会, ■ …, Word/HTML headings,
lines that repeat an agenda item, (非公開) parts and short lines that head what follows."""

from __future__ import annotations

import re

from analysis.minutes.agenda import NUMBERED_SUB, NUMBERED_TOP, presenter_titles
from analysis.minutes.context import (
    BRACKET,
    HEADER_WORDS,
    Action,
    Context,
    heading_marked,
    heading_tail,
    label_shaped,
    speaker_label,
)
from analysis.minutes.lines import (
    SUBITEM_MARKERS,
    key,
    split_private,
)
from analysis.normalize import normalize_text

#: 〇議題１　…, 議題２：… — an agenda item heading (the 〇 is not a statement marker here).
AGENDA_ITEM_HEADING = re.compile(
    r"^[○〇◯●]?\s*(議題|案件|議事)\s*[0-9一二三四五六七八九十]+\s*[.．:：、]?\s*(?P<title>\S.*)?$"
)


def agenda_item_heading(ctx: Context) -> Action | None:
    """〇議題１　書かない窓口の導入状況について: the heading of one agenda item."""
    m = AGENDA_ITEM_HEADING.match(ctx.line.plain)
    if m and len(ctx.line.norm) <= 60 and not ctx.line.norm.endswith("。"):
        title, private = split_private(m.group("title") or ctx.line.norm)
        return Action("heading", text=title, top=True, private=private, explicit=True)
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
        return Action(
            "heading", text=_without_presenter(title, ctx), top=False, private=private, subitem=True
        )
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


def numbered_heading(ctx: Context) -> Action | None:
    """Numbered headings: 1 開会, 2．意見交換, 一、報告事項."""
    line = ctx.line
    if NUMBERED_TOP.match(line.plain) and len(line.norm) <= 40 and not line.norm.endswith("。"):
        title, private = split_private(_heading_title(line.plain))
        return Action("heading", text=title, top=True, private=private, explicit=True)
    return None


def marker_heading(ctx: Context) -> Action | None:
    """■ 端末・テレワーク / ◆ 意見交換: headings after a heading marker (Q&A lists, web pages)."""
    if heading_marked(ctx.line):
        title, private = split_private(ctx.line.norm[1:].strip())
        return Action("heading", text=title, top=not ctx.top_explicit, private=private)
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
