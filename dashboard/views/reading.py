"""会議を読む: one whole meeting as written, a term or topic highlighted, a statement marked.

Opened from every statement table, search hit and KWIC line with ``?m=<meeting>&s=<statement>``
(``q`` highlights a term, ``hl_topic`` a topic). The sidebar filters do not cut the meeting:
the reading view always shows all of it (with names withheld when the toggle is on).
"""

from __future__ import annotations

import streamlit as st

from analysis.metrics.filters import term_pattern
from analysis.names import withhold
from dashboard import transcript, ui, url_state
from dashboard.filters import current_view, show_meetings
from dashboard.links import MEETING_PARAM, STATEMENT_PARAM, TERM_PARAM, TOPIC_PARAM
from dashboard.safe_text import md_literal

MEETING_KEY = "rd_meeting"
TERM_KEY = "rd_q"
TOPIC_KEY = "rd_topic"
_GOTO_KEY = "_rd_goto"

goto = st.session_state.pop(_GOTO_KEY, None)
if goto:
    st.switch_page(goto)

view = current_view()
corpus = view.corpus
st.title("会議を読む")
st.caption(
    "読み方: 会議録を最初から最後まで、セクション・議題ごとに発言の順に表示します。サイドバーの絞り込みに"
    "関係なく会議全体を表示し、語やトピックを強調できます。発言の左の番号はその発言へのリンクです。"
)
if corpus.empty:
    st.info(ui.EMPTY_CORPUS_MESSAGE.format(db=corpus.db))
    st.stop()


def _statement_param() -> int | None:
    raw = st.query_params.get(STATEMENT_PARAM, "")
    return int(raw) if raw.isdigit() else None


meetings = corpus.meetings.set_index("meeting_id", drop=False)
labels = {int(m): str(label) for m, label in zip(meetings["meeting_id"], meetings["label"], strict=True)}
statements = corpus.statements
anchor = _statement_param()
#: Widget states are dropped while another page is shown, so a missing one means "just arrived".
arrived = MEETING_KEY not in st.session_state
meeting_of_anchor = statements.loc[statements["statement_id"] == anchor, "meeting_id"]
bindings = [url_state.bind(MEETING_KEY, MEETING_PARAM, None, parse=int, choices=list(labels))]
if st.session_state.get(MEETING_KEY) is None:
    fallback = meeting_of_anchor if not meeting_of_anchor.empty else view.meetings["meeting_id"]
    st.session_state[MEETING_KEY] = int(fallback.iloc[0]) if len(fallback) else next(iter(labels))
meeting_id = int(st.session_state[MEETING_KEY])
rows = statements[statements["meeting_id"] == meeting_id]
topics = sorted({t for labels_ in rows["topics"] for t in labels_})
bindings += [
    url_state.bind(TERM_KEY, TERM_PARAM, ""),
    url_state.bind(TOPIC_KEY, TOPIC_PARAM, None, choices=topics),
]

c1, c2, c3 = st.columns([3, 2, 2])
c1.selectbox("会議", options=list(labels), format_func=labels.get, key=MEETING_KEY, placeholder="会議を選ぶ")
query = c2.text_input("強調する語", key=TERM_KEY, placeholder="例: LGWAN、標準化").strip()
topic = c3.selectbox("強調するトピック", options=topics, index=None, key=TOPIC_KEY, placeholder="強調しない")
url_state.publish_all(bindings)
if anchor is not None and anchor not in set(rows["statement_id"]):
    anchor = None
    if STATEMENT_PARAM in st.query_params:
        del st.query_params[STATEMENT_PARAM]

meeting = meetings.loc[meeting_id].to_dict()
hide = (lambda text: withhold(text, set(corpus.withheld_names))) if view.withheld else None
st.subheader(md_literal(meeting.get("title") or labels[meeting_id]))
st.html(transcript.CSS)
st.html(transcript.facts_html(transcript.meeting_facts(meeting)))
ui.parse_checks(corpus.meetings[corpus.meetings["meeting_id"] == meeting_id])


def _open_with_filter(page: str) -> None:
    """Set the sidebar's meeting filter to this meeting, then go to ``page`` (next run)."""
    show_meetings([meeting_id])
    st.session_state[_GOTO_KEY] = page


b1, b2, b3 = st.columns([1, 1, 2])
b1.button(
    "概要で見る",
    icon=":material/dashboard:",
    key="rd_to_overview",
    on_click=_open_with_filter,
    args=("views/overview.py",),
    width="stretch",
)
b2.button(
    "トピックで見る",
    icon=":material/label:",
    key="rd_to_topics",
    on_click=_open_with_filter,
    args=("views/topics.py",),
    width="stretch",
)
b3.caption("この会議に絞り込んで（サイドバーの「会議」）、概要・トピックのグラフを開きます。")

agenda_block = transcript.agenda_html(transcript.meeting_agenda(corpus.db, corpus.version, meeting_id), hide)
if agenda_block:
    st.markdown("**議事**")
    st.html(agenda_block)

ordered = transcript.reading_order(rows)
numbers = transcript.statement_numbers(ordered)
pattern = term_pattern(query) if query else None
if pattern is not None:
    found = transcript.containing(ordered, pattern)
    st.html(
        transcript.jump_links_html(
            found,
            numbers,
            f"「{query}」を含む発言 {len(found)}件:",
            f"「{query}」を含む発言はこの会議にありません。",
        )
    )
if topic:
    tagged = transcript.labelled(ordered, topic)
    st.html(transcript.jump_links_html(tagged, numbers, f"トピック「{topic}」の発言 {len(tagged)}件:", ""))
if ordered.empty:
    st.info("この会議には発言が記録されていません。")
for title, part in transcript.sections(ordered):
    st.html(
        transcript.section_html(
            title, part, numbers, pattern=pattern, topic=topic, anchor=anchor, term=query or None
        )
    )
if anchor is not None and arrived:
    st.html(transcript.scroll_script(anchor), unsafe_allow_javascript=True)
