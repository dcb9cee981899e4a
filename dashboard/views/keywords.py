"""キーワード: frequency list, trends of chosen terms, keyness by group, word cloud, KWIC."""

from __future__ import annotations

import streamlit as st

from analysis import figures
from analysis.metrics import keyness, keyword_frequency, keyword_trends, kwic
from dashboard import drilldown, ui
from dashboard.data import cached
from dashboard.filters import current_view
from dashboard.safe_text import md_literal

GROUPS = {
    "org_name": "組織",
    "org_kind": "組織の種別",
    "meeting_label": "会議",
    "section_title": "セクション",
    "topics": "トピック",
}

view = current_view()
ui.header(
    "キーワード",
    "読み方: 語は基本形にそろえ、同義語をまとめて数えています（例: Govtech 東京 → GovTech東京）。"
    "棒や点をクリックすると、その語を含む発言が出ます。",
    view,
)
ui.require_statements(view)

all_pos = sorted(view.corpus.tokens["pos"].dropna().unique().tolist()) if not view.corpus.tokens.empty else []
c1, c2, c3 = st.columns([2, 3, 1])
pos = c1.multiselect("品詞", options=all_pos, default=[p for p in ("名詞",) if p in all_pos], key="kw_pos")
extra_stop = c2.text_input(
    "除外する語（読点・カンマ・空白区切り）", key="kw_stop", placeholder="例: 東京都、区市町村"
)
top_n = c3.number_input("表示する語数", min_value=5, max_value=100, value=30, step=5, key="kw_top")
stopwords = {w for w in extra_stop.replace("、", " ").replace(",", " ").split() if w}
params = (("pos", tuple(pos) or None), ("stopwords", tuple(sorted(stopwords))), ("top_n", int(top_n)))


def _frequency(pos: tuple[str, ...] | None, stopwords: tuple[str, ...], top_n: int):
    return keyword_frequency(view.tokens, top_n=top_n, pos=pos, stopwords=set(stopwords))


keywords = cached(_frequency, "keyword_frequency", view.key, params)
if keywords.empty:
    st.info("この条件では集計できる語がありません（品詞の選択や除外語を見直してください）。")
    st.stop()
fig = figures.keyword_bar(
    keywords, view.chart, title=f"頻出語（{'・'.join(pos) or '全品詞'}・上位{len(keywords)}語・出現回数）"
)
picked = drilldown.chart(view, fig, "keywords", key="kw_bar")

st.subheader("キーワードの推移")
single = view.statements["meeting_id"].nunique() == 1
terms = st.multiselect(
    "推移を見る語",
    options=keywords["term"].tolist(),
    default=keywords["term"].head(3).tolist(),
    key="kw_terms",
    max_selections=8,
)
per_1000 = st.toggle("1,000語あたりで表示（会議・セクションの長さの違いをならす）", key="kw_norm")
if single:
    st.caption("会議が1回分のため、推移はセクションごと（会議内の順）に表示しています。")
if terms:
    trends = cached(
        lambda terms: keyword_trends(view.statements, view.tokens, list(terms)),
        "trends",
        view.key,
        (("terms", tuple(terms)),),
    )
    unit_label = "セクション" if single else "会議"
    value, y_label = (
        ("per_1000_tokens", "出現頻度（回/1,000語）") if per_1000 else ("count", "出現回数（回）")
    )
    fig = figures.trend_lines(
        trends,
        view.chart,
        x="meeting",
        series="term",
        value=value,
        title=f"{unit_label}ごとのキーワード出現{'頻度（回/1,000語）' if per_1000 else '回数（回）'}",
        x_label=unit_label,
        y_label=y_label,
        drill_key="section_title" if single else "meeting_label",
        series_key="term",
    )
    drilldown.chart(view, fig, "keyword_trends", key="kw_trend")
else:
    st.caption("語を選ぶと推移を表示します。")

st.subheader("グループに特徴的な語（対数尤度比）")
g1, g2 = st.columns(2)
group_col = g1.selectbox("グループの種類", options=list(GROUPS), format_func=GROUPS.get, key="kw_group")
if group_col == "topics":
    values = sorted({t for labels in view.statements["topics"] for t in labels})
else:
    values = [v for v in dict.fromkeys(view.statements[group_col].astype(object).fillna("")) if v]
group_value = g2.selectbox(GROUPS[group_col], options=values, key=f"kw_group_value_{group_col}")
if group_value is not None:
    table = cached(
        lambda col, value: keyness(view.statements, view.tokens, col, value, top_n=20, min_count=2),
        "keyness",
        view.key,
        (("col", group_col), ("value", group_value)),
    )
    if table.empty:
        st.info("比べる相手（ほかの発言）がないか、2回以上出る語がないため計算できません。")
    else:
        criteria = {"topic": group_value} if group_col == "topics" else {group_col: group_value}
        fig = figures.keyness_bar(table, view.chart, str(group_value), criteria)
        drilldown.chart(view, fig, f"keyness_{group_col}", key="kw_keyness")

st.subheader("ワードクラウド")
font = figures.japanese_font_path()
if font is None:
    st.warning(
        "日本語フォントが見つからないため、ワードクラウドを表示できません（fonts-noto-cjk を入れてください）。"
    )
else:
    frequencies = dict(zip(keywords["term"], keywords["count"], strict=True))
    png = cached(lambda: figures.word_cloud_png(frequencies, font), "wordcloud", (*view.key, params), ())
    st.image(png, caption=f"文字の大きさ＝出現回数（上位{len(keywords)}語）。{view.footnote}")
    st.download_button(
        "PNG を保存",
        data=png,
        file_name=f"wordcloud_{view.chart.file_suffix}.png",
        mime="image/png",
        key="kw_cloud_dl",
    )

st.subheader("KWIC（前後の文脈）")
clicked = next((c["term"] for c in picked if "term" in c), None)
options = keywords["term"].tolist()
term = st.selectbox(
    "語",
    options=options,
    index=options.index(clicked) if clicked in options else 0,
    key=f"kw_kwic_{clicked or ''}",
)
lines = cached(lambda term: kwic(view.statements, term, width=30), "kwic", view.key, (("term", term),))
st.caption(
    f"「{md_literal(term)}」の出現 {len(lines):,} 箇所（本文の表記で検索。活用形や同義語は別表記のことがあります）"
)
drilldown.kwic_table(lines, key="kw_kwic_table")
