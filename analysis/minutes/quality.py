"""What the parser understood of a document, in figures and plain Japanese.

The quality object travels with every parse (``parse`` JSON, the store, the dashboard) so that a
person sees, before a number goes on a slide, whether the document was read well: which rules read
it, how many statements have a known speaker, whether a date, number and agenda were found. A
document without a date, or with more than ``UNATTRIBUTED_LIMIT`` of its statements unattributed
where speakers were expected, is flagged. Text with no meeting structure at all is not minutes.
"""

from __future__ import annotations

from analysis import orgs
from analysis.model import UNATTRIBUTED_LIMIT, ParsedDocument, Quality

#: Header and body rules whose firing shows the text is minutes (a meeting's structure).
STRUCTURE_RULES = frozenset(
    {
        "header-field", "header-date-line", "header-attendees", "agenda-heading", "bracket-heading",
        "numbered-heading", "marked-heading", "agenda-heading-echo", "question-answer",
        "council-inline-speaker", "colon-inline-speaker", "paren-inline-speaker", "paren-speaker",
        "label-speaker", "marked-label-speaker", "subitem-heading", "no-discussion", "proceedings-note",
    }
)  # fmt: skip


def assess(doc: ParsedDocument, rules: set[str]) -> Quality:
    """The quality of a parsed document (``rules``: names of the rules that read it)."""
    statements = doc.statement_count
    attributed = sum(len(t.statements) for t in doc.turns if t.organization.kind != orgs.UNKNOWN_KIND)
    labelled = [t for t in doc.turns if t.speaker != "不明"]
    unknown = list(dict.fromkeys(t.speaker for t in labelled if t.organization.kind == orgs.UNKNOWN_KIND))
    meeting = doc.meeting
    has_speakers = bool(labelled)
    is_minutes = bool(
        meeting.date
        or meeting.number is not None
        or meeting.document_kind
        or doc.agenda
        or rules & STRUCTURE_RULES
    )
    share = attributed / statements if statements else None
    unattributed_share = 1 - share if share is not None else 0.0
    too_unattributed = has_speakers and unattributed_share > UNATTRIBUTED_LIMIT
    warnings: list[str] = []
    fix: list[str] = []
    if not is_minutes:
        warnings.append("議事録として読み取れる構造（開催日・議事・見出し・発言者）が見つかりません。")
    if not meeting.date:
        fix.append("date")
        warnings.append(
            "開催日が見つかりません。開催日を入力するまで、推移グラフと期間の集計に含まれません。"
        )
    if meeting.number is None and is_minutes:
        fix.append("number")
        warnings.append("回（第N回）が見つかりません。")
    if not doc.agenda and is_minutes:
        warnings.append("議事（議題）の一覧が見つかりません。")
    if too_unattributed:
        fix.append("speakers")
        warnings.append(
            f"発言の {unattributed_share:.0%}（{statements - attributed}/{statements} 件）の発言者・所属が不明です。"
        )
    elif unknown:
        fix.append("speakers")
    if unknown:
        warnings.append(
            "所属を判定できない発言者: " + "、".join(unknown[:10]) + (" ほか" if len(unknown) > 10 else "")
        )
    if is_minutes and not has_speakers and statements:
        warnings.append("発言者の記載がない議事録です。発言はすべて「不明」として集計されます。")
    if not statements and is_minutes:
        warnings.append("発言が見つかりません。")
    return Quality(
        styles=sorted(rules),
        statements=statements,
        attributed=attributed,
        attributed_share=None if share is None else round(share, 4),
        unknown_speakers=unknown,
        has_date=bool(meeting.date),
        has_number=meeting.number is not None,
        has_agenda=bool(doc.agenda),
        has_speakers=has_speakers,
        speakers_expected=has_speakers,
        is_minutes=is_minutes,
        flagged=not meeting.date or too_unattributed or not is_minutes,
        fix=fix,
        warnings=warnings,
    )


def reassess(doc: ParsedDocument) -> ParsedDocument:
    """Recompute ``doc.quality`` after a person corrected the document (a date entered, say)."""
    doc.quality = assess(doc, set(doc.quality.styles))
    return doc
