"""The reading view's building blocks: one meeting as HTML, from header facts to the last statement.

Everything that comes from a document (titles, speakers, organizations, statement text, agenda
items) is HTML-escaped here (``html.escape`` or :func:`dashboard.ui.highlight_html`) before it
reaches ``st.html``. A section is one HTML string, so a long meeting is a handful of elements,
not thousands. Statements carry ``id="s-<statement_id>"`` so a link can scroll to one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import PurePath

import pandas as pd
import streamlit as st

from analysis.meeting_order import UNDATED
from analysis.metrics import NO_SECTION
from analysis.store import Corpus
from dashboard.links import reading_url
from dashboard.ui import highlight_html

NO_DATE = UNDATED
ROLE_LABELS = {"question": "質問", "answer": "回答", "remark": "発言"}
WEEKDAYS = "月火水木金土日"

CSS = """<style>
.rd-section h3 { margin: 1.2em 0 0.4em; padding-bottom: 0.2em; border-bottom: 2px solid #1f5fa8; }
.rd-section h4 { margin: 0.9em 0 0.3em; color: #1f3f68; font-size: 1.05em; }
.rd-turn { margin: 0.5em 0 0.9em; }
.rd-who { font-weight: 600; color: #1f2a37; }
.rd-org { color: #4b5563; font-weight: 400; margin-left: 0.4em; }
.rd-role { display: inline-block; font-size: 0.78em; padding: 0 0.5em; margin-left: 0.5em;
  border-radius: 0.6em; background: #e8eef7; color: #1f3f68; font-weight: 400; }
.rd-st { position: relative; margin: 0.25em 0; padding: 0.35em 0.8em 0.35em 3.2em; line-height: 1.8;
  white-space: pre-wrap; border-left: 4px solid transparent; scroll-margin-top: 6rem; }
.rd-num { position: absolute; left: 0.5em; top: 0.45em; font-size: 0.78em; color: #6b7280;
  text-decoration: none; }
.rd-topic { border-left-color: #2e7d32; background: #f1f8f1; }
.rd-anchor { border-left-color: #b3261e; background: #fff6d6; outline: 2px solid #e0a800; }
.rd-badge { display: inline-block; font-size: 0.75em; padding: 0 0.5em; margin-right: 0.5em;
  border-radius: 0.6em; background: #b3261e; color: #fff; white-space: nowrap; }
.rd-badge.rd-topic-badge { background: #2e7d32; }
.rd-section mark { background: #ffe066; padding: 0 0.1em; }
.rd-facts { display: grid; grid-template-columns: repeat(2, max-content minmax(0, 1fr));
  gap: 0.2em 1.2em; margin: 0.2em 0 0.6em; }
.rd-facts dt { color: #4b5563; }
.rd-facts dd { margin: 0; }
.rd-agenda { margin: 0.2em 0 0.6em 1.2em; padding: 0; }
.rd-agenda li { margin: 0.15em 0; }
.rd-presenters { color: #4b5563; font-size: 0.92em; }
.rd-jump { margin: 0.2em 0; }
.rd-jump a { margin-right: 0.4em; }
</style>"""


@st.cache_data(show_spinner=False, max_entries=8)
def load_agenda(db: str, version: str) -> pd.DataFrame:
    """Agenda items of every meeting (``loaders.AGENDA_COLUMNS``), cached per corpus version."""
    with Corpus.open(db) as corpus:
        return corpus.load_agenda()


def meeting_agenda(db: str, version: str, meeting_id: int) -> pd.DataFrame:
    """The agenda items of one meeting, in order."""
    agenda = load_agenda(db, version)
    return agenda[agenda["meeting_id"] == meeting_id]


def _text(value: object) -> str:
    """A cell as display text ("" for None / NaN)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def date_label(value: object) -> str:
    """``2023-02-14（火）`` for an ISO date, 日付なし when the meeting has none."""
    text = _text(value)
    if not text:
        return NO_DATE
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        return text
    return f"{day.isoformat()}（{WEEKDAYS[day.weekday()]}）"


def meeting_facts(meeting: Mapping[str, object]) -> list[tuple[str, str]]:
    """The header facts of a meeting as (label, value) pairs, in display order."""
    number = meeting.get("number")
    start, end = _text(meeting.get("start_time")), _text(meeting.get("end_time"))
    facts = [
        ("回", f"第{int(number)}回" if _text(number) else "回の記載なし"),
        ("開催日", date_label(meeting.get("date"))),
        ("時間", f"{start}〜{end}" if start and end else start or end or "記載なし"),
        ("場所", _text(meeting.get("venue")) or "記載なし"),
        ("資料の種類", _text(meeting.get("document_kind")) or "記載なし"),
        (
            "発言",
            f"{int(meeting.get('statements') or 0):,}件（発言ターン {int(meeting.get('turns') or 0):,}回）",
        ),
        ("ファイル", PurePath(_text(meeting.get("source_path"))).name or "記載なし"),
    ]
    return facts


def facts_html(facts: list[tuple[str, str]]) -> str:
    """The header facts as an escaped definition list."""
    rows = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in facts)
    return f'<dl class="rd-facts">{rows}</dl>'


def agenda_html(agenda: pd.DataFrame, withhold: Callable[[str], str] | None = None) -> str:
    """The agenda as an escaped numbered list (presenters after each item); "" when there is none."""
    if agenda.empty:
        return ""
    hide = withhold or (lambda text: text)
    items = []
    for title, presenters in zip(agenda["title"], agenda["presenters"], strict=True):
        names = [hide(str(p)) for p in presenters or () if p]
        who = f'<div class="rd-presenters">{html.escape("／".join(names))}</div>' if names else ""
        items.append(f"<li>{html.escape(_text(title))}{who}</li>")
    return f'<ol class="rd-agenda">{"".join(items)}</ol>'


def reading_order(statements: pd.DataFrame) -> pd.DataFrame:
    """One meeting's statements in the order of the minutes (turn, then statement in the turn)."""
    return statements.sort_values(["turn_order", "position"], kind="stable").reset_index(drop=True)


def statement_numbers(ordered: pd.DataFrame) -> dict[int, int]:
    """statement_id -> its number in the meeting (1, 2 …), for statements in reading order."""
    return {int(sid): i for i, sid in enumerate(ordered["statement_id"], start=1)}


def containing(ordered: pd.DataFrame, pattern: re.Pattern[str]) -> pd.DataFrame:
    """The statements whose text (as shown) contains ``pattern``."""
    return ordered[ordered["text"].astype(object).fillna("").str.contains(pattern)]


def labelled(ordered: pd.DataFrame, topic: str) -> pd.DataFrame:
    """The statements labelled with ``topic``."""
    return ordered[ordered["topics"].map(lambda labels: topic in tuple(labels or ()))]


#: Statement columns the reading view draws.
_FIELDS = (
    "statement_id",
    "meeting_id",
    "section_title",
    "subsection_title",
    "turn_id",
    "speaker",
    "org_name",
    "role",
    "text",
    "topics",
)

Record = dict[str, object]


def _records(statements: pd.DataFrame) -> list[Record]:
    """The drawn columns row by row (``DataFrame.to_dict`` is ten times slower per row)."""
    columns = [c for c in _FIELDS if c in statements.columns]
    arrays = [statements[c].to_numpy(dtype=object) for c in columns]
    return [dict(zip(columns, values, strict=True)) for values in zip(*arrays, strict=True)]


def sections(statements: pd.DataFrame) -> list[tuple[str, list[Record]]]:
    """(section title, its statement rows) in reading order; a new block whenever the section changes.

    Rows are plain dicts of the drawn columns, made once for the whole meeting.
    """
    blocks: list[tuple[str, list[Record]]] = []
    current: str | None = None
    for row in _records(reading_order(statements)):
        title = _text(row.get("section_title")) or NO_SECTION
        if title != current:
            blocks.append((title, []))
            current = title
        blocks[-1][1].append(row)
    return blocks


def _statement_html(
    row: Mapping[str, object],
    number: int,
    *,
    pattern: re.Pattern[str] | None,
    topic: str | None,
    anchor: int | None,
    link: str,
) -> str:
    sid = int(row["statement_id"])
    topics = row.get("topics") or ()
    classes = ["rd-st"]
    badges = []
    if sid == anchor:
        classes.append("rd-anchor")
        badges.append('<span class="rd-badge">リンク先の発言</span>')
    if topic and topic in tuple(topics):
        classes.append("rd-topic")
        badges.append(f'<span class="rd-badge rd-topic-badge">{html.escape(topic)}</span>')
    body = highlight_html(_text(row.get("text")), pattern)
    return (
        f'<p id="s-{sid}" class="{" ".join(classes)}">'
        f'<a class="rd-num" href="{html.escape(link)}" title="この発言へのリンク">#{number}</a>'
        f"{''.join(badges)}{body}</p>"
    )


def section_html(
    title: str,
    statements: list[Record],
    numbers: Mapping[int, int],
    *,
    pattern: re.Pattern[str] | None = None,
    topic: str | None = None,
    anchor: int | None = None,
    term: str | None = None,
) -> str:
    """One section as HTML: its heading, sub-item headings, and each turn with speaker and statements.

    ``numbers`` gives each statement's number within the meeting (#1, #2 …, also a link to it);
    ``pattern`` matches are wrapped in <mark>; statements labelled ``topic`` and the ``anchor``
    statement are marked. Every document string is escaped.
    """
    parts = [f'<section class="rd-section"><h3>{html.escape(title)}</h3>']
    subsection = ""
    turn = None
    for row in statements:
        sub = _text(row.get("subsection_title"))
        if sub and sub != subsection:
            if turn is not None:
                parts.append("</div>")
                turn = None
            parts.append(f"<h4>{html.escape(sub)}</h4>")
        subsection = sub
        if row["turn_id"] != turn:
            if turn is not None:
                parts.append("</div>")
            turn = row["turn_id"]
            role = ROLE_LABELS.get(_text(row.get("role")), "")
            org = _text(row.get("org_name"))
            speaker = _text(row.get("speaker")) or "（発言者不明）"
            parts.append(
                '<div class="rd-turn"><div class="rd-who">'
                f"{html.escape(speaker)}"
                + (f'<span class="rd-org">（{html.escape(org)}）</span>' if org and org != speaker else "")
                + (f'<span class="rd-role">{html.escape(role)}</span>' if role else "")
                + "</div>"
            )
        sid = int(row["statement_id"])
        link = reading_url(row.get("meeting_id"), sid, term=term, topic=topic)
        parts.append(
            _statement_html(row, numbers.get(sid, 0), pattern=pattern, topic=topic, anchor=anchor, link=link)
        )
    if turn is not None:
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)


def jump_links_html(statements: pd.DataFrame, numbers: Mapping[int, int], label: str, none: str) -> str:
    """``label #3 #7 …`` with in-page links to the given statements, or ``none`` when there are none."""
    if statements.empty:
        return f'<div class="rd-jump">{html.escape(none)}</div>'
    links = " ".join(
        f'<a href="#s-{int(sid)}">#{numbers.get(int(sid), 0)}</a>' for sid in statements["statement_id"]
    )
    return f'<div class="rd-jump">{html.escape(label)} {links}</div>'


def scroll_script(statement_id: int) -> str:
    """A script that scrolls the statement into view once it is drawn (the id is an int, not text).

    Written without "<" : Streamlit's sanitizer drops a script whose text looks like a tag.
    """
    target = f"s-{int(statement_id)}"
    return (
        "<script>(function(){let tries=0;function go(){"
        f"const el=document.getElementById('{target}');"
        "if(el){el.scrollIntoView({block:'center'});return;}"
        "tries+=1;if(tries>=50){return;}setTimeout(go,100);}go();})();</script>"
    )
