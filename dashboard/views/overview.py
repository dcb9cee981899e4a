"""概要: headline numbers, topic share, most active organizations, top keywords, the meetings."""

from __future__ import annotations

from pathlib import PurePath

import streamlit as st

from analysis import figures
from analysis.metrics import keyword_frequency, speaker_frequency, summary_kpis, topic_share
from dashboard import drilldown, ui
from dashboard.data import cached
from dashboard.filters import current_view

view = current_view()
ui.header(
    "概要",
    "読み方: 上の数字は現在の絞り込みでの件数です。グラフの棒をクリックすると、その件数の元になった発言が下に出ます。",
    view,
)
ui.parse_checks(view.corpus.meetings)
ui.require_statements(view)

kpis = cached(lambda: summary_kpis(view.meetings, view.statements), "kpis", view.key, ())
first, last = kpis["期間"]
period = "—" if first is None else (first if first == last else f"{first}〜{last}")
cols = st.columns([1, 2, 1, 1, 1])
cols[0].metric("会議数", f"{kpis['会議数']:,}")
cols[1].metric("期間", period)
cols[2].metric("発言数", f"{kpis['発言数']:,}", help=f"発言ターン数: {kpis['発言ターン数']:,}")
cols[3].metric("発言者数", f"{kpis['発言者数']:,}")
cols[4].metric("区市町村数", f"{kpis['区市町村数']:,}", help="発言した特別区・市・町・村の数")

share = cached(lambda: topic_share(view.statements), "topic_share", view.key, ())
fig = figures.topic_share_bar(share, view.chart, total=kpis["発言数"])
drilldown.chart(view, fig, "topic_share", key="ov_topics")

freq = cached(lambda: speaker_frequency(view.statements, by="org_name"), "org_freq", view.key, ())
fig = figures.org_activity_bar(freq, view.chart, measure="statements", top_n=15)
drilldown.chart(view, fig, "active_organizations", key="ov_orgs")

keywords = cached(lambda: keyword_frequency(view.tokens, top_n=20), "keywords20", view.key, ())
if keywords.empty:
    st.info("この条件では集計できる語がありません。")
else:
    fig = figures.keyword_bar(keywords, view.chart, title=f"頻出語（名詞・上位{len(keywords)}語・出現回数）")
    drilldown.chart(view, fig, "top_keywords", key="ov_keywords")

st.subheader("コーパスの会議")
meetings = view.meetings.assign(
    date=view.meetings["date"].where(view.meetings["date"].notna(), "日付なし"),
    time=[
        f"{s if isinstance(s, str) else ''}〜{e if isinstance(e, str) else ''}"
        if isinstance(s, str) or isinstance(e, str)
        else ""
        for s, e in zip(view.meetings["start_time"], view.meetings["end_time"], strict=True)
    ],
    venue=view.meetings["venue"].where(view.meetings["venue"].notna(), ""),
    file=view.meetings["source_path"].map(lambda path: PurePath(path).name),
)
st.dataframe(
    meetings[["title", "date", "time", "venue", "turns", "statements", "file"]].rename(
        columns={
            "title": "会議",
            "date": "開催日",
            "time": "時間",
            "venue": "場所",
            "turns": "発言ターン数",
            "statements": "発言数",
            "file": "ファイル",
        }
    ),
    hide_index=True,
    key="ov_meetings",
)
