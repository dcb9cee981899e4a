"""発言一覧・検索: every statement of the view, full-text search, and the exchange around a hit."""

from __future__ import annotations

import streamlit as st

from analysis.metrics import qa_pairs
from analysis.metrics.filters import term_pattern
from analysis.names import withhold
from dashboard import data, ui
from dashboard.filters import current_view
from dashboard.links import LINK_TEXT, LINK_WIDTH, READING_PAGE, reading_params, reading_urls
from dashboard.safe_text import md_literal

TABLE_COLUMNS = ["meeting_label", "date", "section_title", "speaker", "org_name", "org_kind", "text"]
SEARCH_LIMIT = 5000
QUERY_KEY = "stmt_query"

view = current_view()
ui.header(
    "発言一覧・検索",
    "読み方: サイドバーの絞り込みに一致する発言を会議順に並べています。検索語を入れると一致する発言だけになり、"
    "行を選ぶとその質問と回答（前後のやりとり）を表示します。",
    view,
)
ui.require_statements(view)

if QUERY_KEY not in st.session_state:
    st.session_state[QUERY_KEY] = st.query_params.get("q", "")
query = st.text_input(
    "全文検索（3文字以上は全文索引、1〜2文字は部分一致）",
    key=QUERY_KEY,
    placeholder="例: ガバメントクラウド、標準化、GovTech",
).strip()
if query:
    st.query_params["q"] = query
elif "q" in st.query_params:
    del st.query_params["q"]

rows = view.statements
if query:
    hits = data.search(view.corpus.db, view.corpus.version, query, SEARCH_LIMIT)
    snippets = dict(zip(hits["statement_id"], hits["snippet"], strict=True))
    if view.withheld:
        snippets = {sid: withhold(text, set(view.corpus.withheld_names)) for sid, text in snippets.items()}
    rows = rows[rows["statement_id"].isin(snippets)]
    rows = rows.assign(snippet=rows["statement_id"].map(snippets))
    st.markdown(f"**「{md_literal(query)}」に一致: {len(rows):,}件**（絞り込み条件内）")
    if len(hits) >= SEARCH_LIMIT:
        st.caption(f"検索結果は先頭 {SEARCH_LIMIT:,} 件までです。語を具体的にすると絞り込めます。")
    if rows.empty:
        st.info("一致する発言はありません。表記ゆれ（例: Govtech / GovTech）や短い語でもお試しください。")
        st.stop()

rows = rows.reset_index(drop=True)
columns = TABLE_COLUMNS[:-1] + (["snippet"] if query else []) + ["text"]
table = ui.statement_frame(rows, columns).rename(columns={"snippet": "一致箇所"})
if query:
    # Each search hit links to its place in the whole meeting; any row links there once selected.
    table.insert(0, LINK_TEXT, reading_urls(rows, term=query))
event = st.dataframe(
    table,
    hide_index=True,
    key="stmt_table",
    on_select="rerun",
    selection_mode="single-row",
    height=520,
    column_config={
        "会議": st.column_config.TextColumn(width="small"),
        "セクション": st.column_config.TextColumn(width="small"),
        "発言者": st.column_config.TextColumn(width="small"),
        "発言": st.column_config.TextColumn(width="large"),
        "一致箇所": st.column_config.TextColumn(width="medium", help="【】が一致した箇所"),
        LINK_TEXT: st.column_config.LinkColumn(
            display_text=LINK_TEXT, width=LINK_WIDTH, help="会議の全文を開き、この発言の位置に移動します"
        ),
    },
)
selected = event.selection.rows if event and event.selection else []
if not selected:
    st.caption("表の行を選ぶと、その発言の前後のやりとり（質問と回答）を表示します。")
    st.stop()

row = rows.iloc[selected[0]]
st.subheader("選択した発言")
st.caption(
    md_literal(
        f"{row['meeting_label']}｜{row['section_title'] or '（見出しなし）'}｜{row['speaker']}（{row['org_name']}）"
    )
)
st.html(
    '<div style="line-height:1.8;padding:0.6em 0.9em;border-left:4px solid #1f5fa8;background:#f5f8fc">'
    + ui.highlight_html(str(row["text"]), term_pattern(query) if query else None)
    + "</div>"
)
st.page_link(
    READING_PAGE,
    label="会議を読む（この発言の位置から会議の全文を表示）",
    icon=":material/menu_book:",
    query_params=reading_params(row["meeting_id"], row["statement_id"], term=query or None),
)

meeting = view.corpus.statements[view.corpus.statements["meeting_id"] == row["meeting_id"]]
pairs = qa_pairs(meeting)
turn = row["turn_id"]
linked = pairs[(pairs["question_turn_id"] == turn) | (pairs["answer_turn_id"] == turn)]
if not linked.empty:
    question = linked["question_turn_id"].iloc[0]
    turn_ids = {question, *pairs.loc[pairs["question_turn_id"] == question, "answer_turn_id"]}
    label = "質問と回答"
else:
    orders = meeting.loc[meeting["turn_id"] == turn, "turn_order"]
    order = int(orders.iloc[0])
    same_section = meeting[meeting["section_title"] == row["section_title"]]
    turn_ids = set(same_section.loc[same_section["turn_order"].between(order - 1, order + 1), "turn_id"])
    label = "前後の発言"
thread = meeting[meeting["turn_id"].isin(turn_ids)].sort_values(["turn_order", "position"])
thread = thread.assign(marker=["▶" if sid == row["statement_id"] else "" for sid in thread["statement_id"]])
st.subheader(f"前後のやりとり（{label}・絞り込みに関係なく同じ会議から）")
st.dataframe(
    ui.statement_frame(thread, ["marker", "section_title", "speaker", "org_name", "text"]).rename(
        columns={"marker": "選択"}
    ),
    hide_index=True,
    key="stmt_thread",
    column_config={"発言": st.column_config.TextColumn(width="large")},
)
