"""キーワード: frequency list, trends of chosen terms, keyness by group, word cloud, KWIC."""

from __future__ import annotations

import streamlit as st

from analysis import figures
from analysis.metrics import keyness, keyword_frequency, keyword_trends, kwic
from analysis.metrics.words import KWIC_SORTS, collocates, sort_kwic
from dashboard import drilldown, ui, url_state
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
bound = [
    url_state.bind("kw_pos", "pos", [p for p in ("名詞",) if p in all_pos], many=True, choices=all_pos),
    url_state.bind("kw_stop", "stop", ""),
    url_state.bind("kw_top", "top", 30, parse=int, choices=range(5, 101)),
]
c1, c2, c3 = st.columns([2, 3, 1])
pos = c1.multiselect("品詞", options=all_pos, key="kw_pos")
extra_stop = c2.text_input(
    "除外する語（読点・カンマ・空白区切り）", key="kw_stop", placeholder="例: 東京都、区市町村"
)
top_n = c3.number_input("表示する語数", min_value=5, max_value=100, step=5, key="kw_top")
stopwords = {w for w in extra_stop.replace("、", " ").replace(",", " ").split() if w}
params = (("pos", tuple(pos) or None), ("stopwords", tuple(sorted(stopwords))), ("top_n", int(top_n)))


def _frequency(pos: tuple[str, ...] | None, stopwords: tuple[str, ...], top_n: int):
    return keyword_frequency(view.tokens, top_n=top_n, pos=pos, stopwords=set(stopwords))


keywords = cached(_frequency, "keyword_frequency", view.key, params)
url_state.publish_all(bound)
if keywords.empty:
    st.info("この条件では集計できる語がありません（品詞の選択や除外語を見直してください）。")
    st.stop()
fig = figures.keyword_bar(
    keywords, view.chart, title=f"頻出語（{'・'.join(pos) or '全品詞'}・上位{len(keywords)}語・出現回数）"
)
picked = drilldown.chart(view, fig, "keywords", key="kw_bar")

st.subheader("キーワードの推移")
single = view.statements["meeting_id"].nunique() == 1
bound += [
    url_state.bind("kw_terms", "terms", keywords["term"].head(3).tolist(), many=True),
    url_state.bind("kw_norm", "per1000", False, parse=url_state.parse_bool),
]
terms = st.multiselect(
    "推移を見る語（一覧にない語も入力できます）",
    options=list(dict.fromkeys([*keywords["term"], *st.session_state["kw_terms"]])),
    key="kw_terms",
    max_selections=8,
    accept_new_options=True,
    placeholder="語を選ぶか入力…",
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
        counts=not per_1000,
    )
    drilldown.chart(view, fig, "keyword_trends", key="kw_trend")
else:
    st.caption("語を選ぶと推移を表示します。")

st.subheader("グループに特徴的な語（対数尤度比）")
g1, g2 = st.columns(2)
bound.append(url_state.bind("kw_group", "group", "org_name", choices=list(GROUPS)))
group_col = g1.selectbox("グループの種類", options=list(GROUPS), format_func=GROUPS.get, key="kw_group")
if group_col == "topics":
    values = sorted({t for labels in view.statements["topics"] for t in labels})
else:
    values = [v for v in dict.fromkeys(view.statements[group_col].astype(object).fillna("")) if v]
bound.append(
    url_state.bind(
        f"kw_group_value_{group_col}", "group_value", values[0] if values else None, choices=values
    )
)
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

url_state.publish_all(bound)

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
KWIC_TERM = "kw_kwic_term"
KWIC_PICK = "kw_kwic_pick"
KWIC_WIDTHS = (10, 15, 20, 30, 40, 50)
KWIC_WINDOWS = tuple(range(1, 11))
SORT_LABELS = {"order": "出現順", "left": "前の語", "right": "後の語"}
ELLIPSIS = "…"
clicked = next((c["term"] for c in picked if "term" in c), None)
suggestions = keywords["term"].tolist()
kwic_bindings = [
    url_state.bind(KWIC_TERM, "kwic", suggestions[0]),
    url_state.bind("kw_kwic_sort", "kwic_sort", "order", choices=KWIC_SORTS),
    url_state.bind("kw_kwic_width", "kwic_width", 20, parse=int, choices=KWIC_WIDTHS),
    url_state.bind("kw_kwic_window", "kwic_window", 5, parse=int, choices=KWIC_WINDOWS),
]
if clicked != st.session_state.get("_kw_kwic_clicked"):
    st.session_state["_kw_kwic_clicked"] = clicked
    if clicked is not None:
        st.session_state[KWIC_TERM] = clicked


def _use_suggestion() -> None:
    """Copy the chosen frequent word into the term box (the box is what the URL keeps)."""
    chosen = st.session_state.get(KWIC_PICK)
    if chosen:
        st.session_state[KWIC_TERM] = chosen
    st.session_state[KWIC_PICK] = None


k1, k2, k3 = st.columns([4, 3, 2])
k1.text_input(
    "語（頻出語にない語も入力できます・Enterで表示）",
    key=KWIC_TERM,
    placeholder="例: LGWAN、標準化、GovTech",
)
sort = k2.segmented_control(
    "並べ替え", options=KWIC_SORTS, format_func=SORT_LABELS.get, required=True, key="kw_kwic_sort"
)
width = k3.select_slider("前後の文字数", options=KWIC_WIDTHS, key="kw_kwic_width")
st.pills("頻出語から選ぶ", options=suggestions[:15], key=KWIC_PICK, on_change=_use_suggestion)
term = str(st.session_state.get(KWIC_TERM) or "").strip()
if not term:
    st.caption("語を入力するか頻出語を選ぶと、その語が出てくる箇所を前後の文脈つきで一覧にします。")
else:
    lines = cached(
        lambda term, width: kwic(view.statements, term, width=width, ellipsis=ELLIPSIS),
        "kwic_lines",
        view.key,
        (("term", term), ("width", int(width))),
    )
    lines = sort_kwic(lines, sort or "order", ellipsis=ELLIPSIS)
    st.caption(
        f"「{md_literal(term)}」の出現 {len(lines):,} 箇所・{lines['statement_id'].nunique():,}発言"
        f"（並べ替え: {SORT_LABELS[sort or 'order']}。本文の表記で検索。活用形や同義語は別表記のことがあります。"
        "「会議を読む」で会議の全文のその位置を開きます）"
    )
    if lines.empty:
        st.info(
            f"「{md_literal(term)}」は現在の絞り込みの発言に見つかりません。"
            "全角・半角や送り仮名を変えるか、サイドバーの絞り込みを広げてお試しください。"
        )
    else:
        drilldown.kwic_table(lines, key="kw_kwic_table", width=int(width), term=term)
        window = st.columns([1, 2])[0].select_slider(
            "共起語を数える範囲（前後の語数）", options=KWIC_WINDOWS, key="kw_kwic_window"
        )
        min_count = 2 if len(lines) >= 10 else 1
        near = cached(
            lambda term, window, pos, min_count: collocates(
                view.statements, view.tokens, term, window, pos=pos, min_count=min_count, top_n=20
            ),
            "collocates",
            view.key,
            (("term", term), ("window", int(window)), ("pos", tuple(pos) or None), ("min_count", min_count)),
        )
        st.markdown(
            f"**「{md_literal(term)}」の共起語**（前後{window}語以内に偶然より多く出る語・"
            f"{'・'.join(pos) or '全品詞'}・共起{min_count}回以上・対数尤度比の大きい順）"
        )
        if near.empty:
            st.caption("この範囲には、偶然より多く一緒に出る語がありません（範囲を広げてお試しください）。")
        else:
            st.dataframe(
                near.rename(
                    columns={
                        "term": "共起語",
                        "cooccurrences": "共起回数",
                        "count": "出現回数",
                        "expected": "期待値",
                        "mi": "MI",
                        "log_likelihood": "対数尤度比",
                    }
                ),
                hide_index=True,
                key="kw_collocates",
                column_config={
                    "期待値": st.column_config.NumberColumn(format="%.2f", help="偶然なら窓の中に出る回数"),
                    "MI": st.column_config.NumberColumn(
                        format="%.2f", help="相互情報量 log2(共起回数 / 期待値)。少ない回数でも大きくなります"
                    ),
                    "対数尤度比": st.column_config.ProgressColumn(
                        format="%.1f",
                        min_value=0.0,
                        max_value=float(near["log_likelihood"].max()),
                        help="Dunning の G2。3.84 以上で5%水準の有意差（回数の少なさも考慮）",
                    ),
                },
            )
url_state.publish_all(kwic_bindings)
