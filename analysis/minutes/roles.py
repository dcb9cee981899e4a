"""Question → answer structure of the turns: who asks, who answers whom.

Within a section, a turn is a *question* when it asks (伺いたい, ですか, …か。) or when the next
turn is by someone who answers; an answer comes from a *responder* — 東京都 and 国, the bodies
``bodies.csv`` marks as answering (GovTech東京), the presenter of the section's agenda item, and
in a council record the executive officials — replying to the latest question of the section, or
from anyone who speaks right after a question without asking in turn (a municipality that
presented a case answers the one who asked about it). In a council record, committee members
(委員) never answer and the chair (委員長, 議長) only remarks. Q&A records (質問／回答) set their roles themselves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from analysis import orgs
from analysis.minutes.people import People
from analysis.model import Turn
from analysis.normalize import normalize_text

QUESTION_CUES = re.compile(
    r"伺いたい|お伺い|伺う|お聞かせ|お聞きしたい|教えて|確認したい|見解を|でしょうか|ですか|ますか|のか|良いか|よいか|か。|か$|[?？]"
)
#: Requests (…を知りたい, …していただきたい): a question when someone else answers right after.
SOFT_CUES = re.compile(
    r"知りたい|いただきたい|いただけないか|ほしい|願いたい|お願いしたい|検討いただけ|いただければ"
)
MEMBER = re.compile(r"(?<!副)(?<!委員長)(委員|議員|構成員)(\s*[(（].*[)）])?$")
CHAIR = re.compile(r"^(副?委員長|副?議長|副?座長|副?会長)|(委員長|議長|座長|会長)$")
_RESPONDER_KINDS = ("東京都", "国")


def assign_roles(
    turns: list[Turn], people: People, fixed: Mapping[int, str], presenters: Mapping[int | None, set[str]]
) -> None:
    """Set ``role`` and ``reply_to`` of every turn (``fixed``: order -> role from a Q&A record;
    ``presenters``: section id -> organizations presenting that section's agenda item)."""
    by_order = {t.order: t for t in turns}
    texts = {t.order: " ".join(normalize_text(s) for s in t.statements) for t in turns}
    latest: dict[int | None, int] = {}
    for idx, turn in enumerate(turns):
        section = turn.section_id
        previous = turns[idx - 1] if idx and turns[idx - 1].section_id == section else None
        following = turns[idx + 1] if idx + 1 < len(turns) and turns[idx + 1].section_id == section else None
        if turn.order in fixed:
            turn.role = fixed[turn.order]
            if turn.role == "question":
                latest[section] = turn.order
            else:
                turn.reply_to = latest.get(section)
            continue
        label = normalize_text(turn.speaker)
        chair = bool(CHAIR.search(_core(label)))
        if people.council and chair:
            turn.role = "remark"
            latest.pop(section, None)  # the chair closes the question before moving on
            continue
        text = texts[turn.order]
        asks = bool(QUESTION_CUES.search(text))
        requests = not asks and bool(SOFT_CUES.search(text))
        responder = _responder(turn, people, presenters)
        asked = by_order.get(latest.get(section, -1))
        if responder and asked is not None and _speaker(asked) != _speaker(turn):
            turn.role, turn.reply_to = "answer", asked.order
        elif (
            not responder
            and not asks
            and previous is not None
            and previous.role == "question"
            and _speaker(previous) != _speaker(turn)
            and not (people.council and MEMBER.search(label))
            and not chair  # the chair moves the meeting on; it does not answer
        ):
            turn.role, turn.reply_to = "answer", previous.order
        elif asks or (
            not responder
            and not chair  # a chair asking the 事務局 to explain is procedure, not a question
            and following is not None
            and _speaker(following) != _speaker(turn)
            and (
                _responder(following, people, presenters) or (requests and _replies(following, texts, people))
            )
        ):
            turn.role = "question"
            latest[section] = turn.order
        else:
            turn.role = "remark"


def _replies(turn: Turn, texts: Mapping[int, str], people: People) -> bool:
    """Whether a turn reads as a reply: it neither asks nor requests, and its speaker may answer."""
    text = texts[turn.order]
    label = _core(normalize_text(turn.speaker))
    council_member = people.council and (CHAIR.search(label) or MEMBER.search(label))
    return not (QUESTION_CUES.search(text) or SOFT_CUES.search(text) or council_member)


def _core(label: str) -> str:
    return re.sub(r"[(（][^)）]*[)）]$", "", label).strip()


def _speaker(turn: Turn) -> str:
    return orgs.label_key(turn.speaker)


def _responder(turn: Turn, people: People, presenters: Mapping[int | None, set[str]]) -> bool:
    label = _core(normalize_text(turn.speaker))
    if MEMBER.search(label) or (people.council and CHAIR.search(label)):
        return False  # a member speaks for themself; they answer only a question put to them
    org = turn.organization
    if org.kind in _RESPONDER_KINDS or orgs.answers_questions(org):
        return True
    if org.name in presenters.get(turn.section_id, set()):
        return True
    return people.council and people.resolve(turn.speaker) == people.host and not MEMBER.search(label)
