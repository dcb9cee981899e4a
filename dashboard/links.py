"""Links into the reading view (会議を読む) of one meeting, anchored to a statement.

Every statement table, search hit and KWIC line points at ``reading?m=<meeting>&s=<statement>``
(``q`` = a term to highlight, ``hl_topic`` = a topic to highlight). The sidebar already uses
``meeting`` and ``topic`` for its filters, hence the short names. Kept free of Streamlit page
code so tables (``st.column_config.LinkColumn``) and ``st.page_link`` build the same URL.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd

READING_PAGE = "views/reading.py"
READING_PATH = "reading"
MEETING_PARAM = "m"
STATEMENT_PARAM = "s"
TERM_PARAM = "q"
TOPIC_PARAM = "hl_topic"
#: Text of the link cell in tables, and the column's width in pixels (fits the header).
LINK_TEXT = "会議を読む"
LINK_WIDTH = 100


def reading_params(
    meeting_id: object = None,
    statement_id: object = None,
    *,
    term: str | None = None,
    topic: str | None = None,
) -> dict[str, str]:
    """Query parameters of the reading view (missing values are left out)."""
    params: dict[str, str] = {}
    for param, value in ((MEETING_PARAM, meeting_id), (STATEMENT_PARAM, statement_id)):
        if value is not None and not pd.isna(value):
            params[param] = str(int(value))
    if term and term.strip():
        params[TERM_PARAM] = term.strip()
    if topic:
        params[TOPIC_PARAM] = topic
    return params


def reading_url(
    meeting_id: object = None,
    statement_id: object = None,
    *,
    term: str | None = None,
    topic: str | None = None,
) -> str:
    """A relative URL (``reading?m=1&s=5``) that opens the reading view from any page."""
    params = reading_params(meeting_id, statement_id, term=term, topic=topic)
    return f"{READING_PATH}?{urlencode(params)}" if params else READING_PATH


def reading_urls(frame: pd.DataFrame, *, term: str | None = None, topic: str | None = None) -> list[str]:
    """One reading-view URL per row of a frame with ``statement_id`` (and ``meeting_id`` when known)."""
    meetings = frame["meeting_id"] if "meeting_id" in frame.columns else [None] * len(frame)
    return [
        reading_url(mid, sid, term=term, topic=topic)
        for mid, sid in zip(meetings, frame["statement_id"], strict=True)
    ]
