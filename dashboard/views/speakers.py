"""発言者・区市町村: activity per organization, kind → organization → speaker, topics, Q&A flow."""

from __future__ import annotations

import streamlit as st

from analysis import figures
from analysis.metrics import adjusted_residuals, qa_flow, speaker_frequency, topic_crosstab
from analysis.model import MUNICIPAL_KINDS
from analysis.speaker_identity import merged_labels
from dashboard import drilldown, ui, url_state
from dashboard.data import cached
from dashboard.filters import current_view
from dashboard.safe_text import md_literal

MEASURES = {"statements": "発言数（件）", "turns": "発言ターン数（回）", "chars": "文字数（文字）"}

view = current_view()
ui.header(
    "発言者・区市町村",
    "読み方: 誰がどれだけ発言したか（ターン＝話者が替わるまでのひとまとまり、発言＝○で始まる一文段落）。"
    "棒や四角をクリックすると、その組織・発言者の発言が出ます。",
    view,
)
ui.require_statements(view)

measure_binding = url_state.bind("sp_measure", "measure", "statements", choices=list(MEASURES))
measure = (
    st.segmented_control("数えるもの", options=list(MEASURES), format_func=MEASURES.get, key="sp_measure")
    or "statements"
)
url_state.publish(measure_binding)
freq = cached(lambda: speaker_frequency(view.statements, by="org_name"), "org_freq", view.key, ())
fig = figures.org_activity_bar(freq, view.chart, measure=measure, top_n=30)
drilldown.chart(view, fig, f"organizations_{measure}", key="sp_orgs")

st.subheader("種別 → 組織 → 発言者")
speakers = cached(lambda: speaker_frequency(view.statements, by="speaker"), "speaker_freq", view.key, ())
fig = figures.org_treemap(speakers, view.chart)
drilldown.chart(view, fig, "speakers_treemap", key="sp_tree")
merged = cached(lambda: merged_labels(view.statements), "merged_speaker_labels", view.key, ())
if not merged.empty:
    with st.expander(f"同じ人物としてまとめた発言者（{len(merged)}人）"):
        st.caption(
            "別の書き方の発言者を1人として数えています。取り消しはデータ管理の「発言者の同一人物まとめ」から。"
        )
        for row in merged.itertuples(index=False):
            others = "、".join(md_literal(label) for label in row.labels if label != row.speaker)
            st.markdown(f"- {md_literal(row.speaker)} ← {others}")

st.subheader("区市町村 × トピック")
municipal = view.statements[view.statements["org_kind"].isin(MUNICIPAL_KINDS)]
if municipal.empty:
    st.info("この条件では区市町村（特別区・市・町・村）の発言がありません。")
else:
    table = cached(lambda: topic_crosstab(municipal, by="org_name"), "crosstab_municipal", view.key, ())
    table = table.head(30)
    fig = figures.heatmap(
        table,
        view.chart,
        title="区市町村 × トピックの発言数（件・上位30団体・ホバーで全体の傾向との差）",
        row_key="org_name",
        row_label="区市町村",
        col_label="トピック",
        value_label="発言数（件）",
        residuals=adjusted_residuals(table),
    )
    drilldown.chart(view, fig, "municipality_by_topic", key="sp_heat")

st.subheader("質問 → 回答の流れ")
flow = cached(lambda: qa_flow(view.statements), "qa_flow", view.key, ())
if flow.empty:
    st.info("この条件では質問と回答の組（回答が質問を受けているターン）が見つかりません。")
else:
    fig = figures.qa_sankey(flow, view.chart)
    drilldown.chart(view, fig, "qa_flow", key="sp_sankey", drilldown=False)
    links = [f"{a} → {t} → {b}（{n}組）" for a, t, b, n in flow.itertuples(index=False)]
    choice = st.selectbox(
        "流れを選んで質問の発言を表示",
        options=range(len(links)),
        format_func=links.__getitem__,
        index=None,
        placeholder="流れを選択…",
        key="sp_flow_pick",
    )
    if choice is not None:
        asker, topic, _answerer, _count = flow.iloc[choice]
        drilldown.statements_panel(view, [{"org_name": asker, "topic": topic}], key="sp_flow")
