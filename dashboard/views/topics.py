"""トピック: topic share, composition per meeting, topic × organization / kind, trend, coding rules."""

from __future__ import annotations

import streamlit as st

from analysis import figures
from analysis.metrics import (
    adjusted_residuals,
    topic_composition,
    topic_crosstab,
    topic_share,
    topic_trend,
)
from dashboard import drilldown, ui
from dashboard.data import cached
from dashboard.filters import current_view
from dashboard.rules import rules_table

view = current_view()
ui.header(
    "トピック",
    "読み方: 発言ごとにコーディングルールでトピックを付けて数えています（1発言が複数トピックに該当しうる）。"
    "セルや棒をクリックすると該当する発言が出ます。",
    view,
)
ui.require_statements(view)

unit_col, unit_label, statements = figures.trend_unit(view.statements)
single = unit_col == "section_title"
share = cached(lambda: topic_share(view.statements), "topic_share", view.key, ())
fig = figures.topic_share_bar(share, view.chart, total=int(view.statements["statement_id"].nunique()))
drilldown.chart(view, fig, "topic_share", key="tp_share")

st.subheader(f"{unit_label}ごとのトピック構成")
if single:
    st.caption("会議が1回分のため、会議の代わりにセクションごとに比べています。")
composition = cached(
    lambda: topic_composition(statements, by=unit_col), f"composition_{unit_col}", view.key, ()
)
fig = figures.topic_composition_bar(composition, unit_col, view.chart, by_label=unit_label)
drilldown.chart(view, fig, f"topic_composition_by_{'section' if single else 'meeting'}", key="tp_comp")

st.subheader("トピック × 組織")
table = cached(lambda: topic_crosstab(view.statements, by="org_name"), "crosstab_org", view.key, ())
table = table.head(25)
fig = figures.heatmap(
    table,
    view.chart,
    title="組織 × トピックの発言数（件・上位25組織）",
    row_key="org_name",
    row_label="組織",
    col_label="トピック",
    value_label="発言数（件）",
    residuals=adjusted_residuals(table),
)
drilldown.chart(view, fig, "topic_by_organization", key="tp_org")

st.subheader("トピック × 組織の種別")
kinds = cached(lambda: topic_crosstab(view.statements, by="org_kind"), "crosstab_kind", view.key, ())
fig = figures.heatmap(
    kinds,
    view.chart,
    title="組織の種別 × トピックの発言数（件・色が濃いほど多い・ホバーで全体の傾向との差）",
    row_key="org_kind",
    row_label="種別",
    col_label="トピック",
    value_label="発言数（件）",
    residuals=adjusted_residuals(kinds),
)
drilldown.chart(view, fig, "topic_by_org_kind", key="tp_kind")

st.subheader(f"トピックの推移（{unit_label}ごと）")
if single:
    st.caption("会議が1回分のため、推移はセクションの順に表示しています。")
trend = cached(lambda: topic_trend(statements, by=unit_col), f"trend_by_{unit_col}", view.key, ())
fig = figures.topic_trend_lines(trend, view.chart, unit_col, unit_label)
drilldown.chart(view, fig, f"topic_trend_by_{'section' if single else 'meeting'}", key="tp_trend")

st.subheader("コーディングルール")
st.caption("各トピックの判定に使う語とヒット数（現在の絞り込みの発言で数えています）。")
st.page_link(
    "views/rules_editor.py",
    label="ルールを編集する（増える発言・減る発言を確かめてから保存）",
    icon=":material/rule:",
)
rules = cached(lambda: rules_table(view.statements), "rules_table", view.key, ())
st.dataframe(
    rules,
    hide_index=True,
    key="tp_rules",
    column_config={"ルール": st.column_config.TextColumn(width="large")},
)
