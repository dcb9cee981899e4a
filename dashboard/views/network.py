"""共起ネットワーク: terms used in the same statements, coloured by community; a node opens its KWIC."""

from __future__ import annotations

import streamlit as st

from analysis import figures
from analysis.metrics import cooccurrence, kwic, network_layout
from dashboard import drilldown, ui, url_state
from dashboard.data import cached
from dashboard.filters import current_view
from dashboard.safe_text import md_literal

view = current_view()
ui.header(
    "共起ネットワーク",
    "読み方: 同じ発言によく一緒に出る語を線で結んでいます（Jaccard係数の強い順）。円が大きいほど多くの発言に出る語、"
    "色は結びつきの強いグループです。語をクリックすると、その語の前後の文脈と発言が出ます。",
    view,
)
ui.require_statements(view)

all_pos = sorted(view.corpus.tokens["pos"].dropna().unique().tolist()) if not view.corpus.tokens.empty else []
bound = [
    url_state.bind("nw_min_freq", "nw_min", 2, parse=int, choices=range(1, 21)),
    url_state.bind("nw_edges", "nw_edges", 60, parse=int, choices=range(10, 151, 10)),
    url_state.bind("nw_pos", "nw_pos", [p for p in ("名詞",) if p in all_pos], many=True, choices=all_pos),
]
c1, c2, c3 = st.columns(3)
min_freq = c1.slider("最小出現発言数", min_value=1, max_value=20, key="nw_min_freq")
top_edges = c2.slider("線の数（上位）", min_value=10, max_value=150, step=10, key="nw_edges")
pos = c3.multiselect("品詞", options=all_pos, key="nw_pos")
url_state.publish_all(bound)


def _network(min_freq: int, top_edges: int, pos: tuple[str, ...] | None):
    nodes, edges = cooccurrence(view.tokens, min_freq=min_freq, top_n_edges=top_edges, pos=pos)
    return nodes, edges, network_layout(nodes, edges)


nodes, edges, layout = cached(
    _network,
    "network",
    view.key,
    (("min_freq", min_freq), ("top_edges", top_edges), ("pos", tuple(pos) or None)),
)
if edges.empty:
    st.info("この条件では共起する語の組がありません。最小出現発言数を下げるか、絞り込みを広げてください。")
    st.stop()
fig = figures.network_figure(nodes, edges, layout, view.chart)
selections = drilldown.chart(view, fig, "cooccurrence_network", key="nw_graph")
term = next((c["term"] for c in selections if "term" in c), None)
if term:
    st.subheader(f"「{md_literal(term)}」のKWIC")
    lines = cached(lambda term: kwic(view.statements, term, width=30), "kwic", view.key, (("term", term),))
    drilldown.kwic_table(lines, key="nw_kwic")
with st.expander("語と線の一覧"):
    st.dataframe(
        edges.rename(
            columns={
                "source": "語1",
                "target": "語2",
                "cooccurrences": "共起発言数",
                "jaccard": "Jaccard係数",
            }
        ),
        hide_index=True,
        key="nw_edges_table",
    )
