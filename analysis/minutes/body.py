"""The body of minutes: headings, speaker turns, statements and notes, read by named rules.

Each non-blank line goes through ``RULES`` in order; the first rule that recognizes the line
says what it is (an ``Action``), and ``read_body`` applies it. A rule sees the line and the
look-ahead of ``Context`` (the next non-blank lines and whether they open a turn or hold a
statement); the look-ahead lives only there. Each rule's docstring names the house style it
serves; ``tests/fixtures/minutes/`` holds a fixture for each. The rules live by family in
``notes``, ``speakers``, ``headings`` and ``statements``; their order is ``RULES`` below, the one
place that decides which reading of a line wins. A new house style is a new rule, its place in
``RULES`` and a fixture.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from analysis import orgs
from analysis.dates import parse_times
from analysis.minutes.context import (
    PLACEHOLDER_ANSWER,
    PLACEHOLDER_QUESTION,
    UNATTRIBUTED,
    Action,
    Context,
)
from analysis.minutes.headings import (
    agenda_heading_echo,
    agenda_item_heading,
    bracket_heading,
    label_heading,
    marked_heading,
    marker_heading,
    numbered_heading,
    private_heading,
    subitem_heading,
)
from analysis.minutes.lines import (
    SENTENCE_END,
    Line,
    key,
    strip_marker,
)
from analysis.minutes.notes import (
    body_field,
    breadcrumb,
    editorial_note,
    end_mark,
    lead_in_note,
    no_discussion,
    page_chrome,
    page_stamp,
    proceedings_note,
    roster_line,
    separator,
)
from analysis.minutes.people import People
from analysis.minutes.speakers import (
    colon_inline_speaker,
    column_speaker,
    council_inline_speaker,
    label_speaker,
    marked_label_speaker,
    paren_inline_speaker,
    paren_speaker,
    qa_table_row,
    question_answer,
    role_bracket_speaker,
    table_row_speaker,
    trailing_org_statement,
)
from analysis.minutes.statements import (
    continuation,
    marker_statement,
    numbered_statement,
)
from analysis.model import AgendaItem, Note, Organization, Section, Turn
from analysis.normalize import normalize_text

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
            _open_turn(
                body,
                answerer,
                people,
                org if org and org.kind != orgs.UNKNOWN_KIND else people.secretariat or people.host,
            )
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
    if (
        turn is not None
        and turn.speaker in (PLACEHOLDER_QUESTION, PLACEHOLDER_ANSWER)
        and not turn.statements
    ):
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
    body.sections.append(
        Section(id=new_id, title=normalize_text(action.text), parent_id=parent, private=action.private)
    )
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
            order=len(body.turns) + 1,
            section_id=body.section_id,
            speaker=UNATTRIBUTED,
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
