"""概要: headline numbers, topic share, most active organizations, top keywords, the meetings."""

from __future__ import annotations

from pathlib import PurePath

import streamlit as st

from analysis import figures
from analysis.meeting_order import UNDATED
from analysis.metrics import keyword_frequency, speaker_frequency, summary_kpis, topic_share
from analysis.selection import period_parts, undated_note
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
span, undated = period_parts(view.meetings)
ui.kpi_row(
    [
        ui.Kpi("会議数", f"{kpis['会議数']:,}"),
        ui.Kpi(
            "期間",
            span or UNDATED,
            "開催日の最初と最後。日付のない会議はその件数を添えています。",
            wide=True,
            note=f"ほかに{UNDATED} {undated}件（一覧では回の順に表示）" if span and undated else None,
        ),
        ui.Kpi("発言数", f"{kpis['発言数']:,}", f"発言ターン数: {kpis['発言ターン数']:,}"),
        ui.Kpi("発言者数", f"{kpis['発言者数']:,}"),
        ui.Kpi("区市町村数", f"{kpis['区市町村数']:,}", "発言した特別区・市・町・村の数"),
    ]
)
if view.undated_excluded:
    st.caption(f"{undated_note(view.undated_excluded)}（開催日の範囲で絞り込んでいるため）。")

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
    date=view.meetings["date"].where(view.meetings["date"].notna(), UNDATED),
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
