"""Body rules for statements: one per marker (○ • ・ ‧ - ◎ ア), one per numbered opinion, and
the text that continues a statement or starts a paragraph."""

from __future__ import annotations

import re

from analysis.minutes.agenda import NUMBERED_TOP
from analysis.minutes.context import (
    Action,
    Context,
)
from analysis.minutes.lines import (
    SENTENCE_END,
)


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


def marker_statement(ctx: Context) -> Action | None:
    """A statement per marker: ○ (the seed), • ・ ‧ - (web editions), Word bullets."""
    if ctx.line.marker:
        return Action("statement", text=ctx.line.body)
    return None


def continuation(ctx: Context) -> Action | None:
    """Anything else is text: it continues the statement before it or starts a paragraph statement
    (an indented line after a finished sentence is a new paragraph, as in council records)."""
    return Action("text", text=ctx.line.raw.strip(), explicit=ctx.line.indent > 0)
