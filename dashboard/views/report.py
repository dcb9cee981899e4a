"""レポート: the briefing pack (PPTX) and the tables (XLSX, CSV) of the current view, in one click."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analysis.metrics import keyword_frequency
from analysis.report.briefing import (
    CHART_CONTENTS,
    CONTENTS,
    PREVIEW_ROWS,
    TABLES,
    build_briefing,
    export_preview,
    export_tables,
)
from analysis.report.images import ExportUnavailable, browser_available
from analysis.report.pptx import build_briefing_pptx
from analysis.report.tables import to_csv_bytes, to_xlsx_bytes
from dashboard import data, ui, url_state
from dashboard.charts import NO_BROWSER
from dashboard.filters import current_view

PPTX_KEY = "rp_pptx"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

view = current_view()
ui.header(
    "レポート",
    "読み方: 現在の絞り込み（サイドバー）の内容を、説明資料（16:9のPowerPoint）と表（Excel・CSV）に書き出します。"
    "どのグラフにも出典の会議と条件が入り、引用した発言には会議・日付・発言者が付きます。",
    view,
)
ui.require_statements(view)

WITHHOLD_HELP = (
    "発言者名・議題の説明者の個人名を役職・組織名に置き換えます（例: 宮坂副知事 → 副知事）。"
    "サイドバーの「個人名を伏せる」がオンのときは常に伏せます。"
)
if view.withheld:
    withhold = st.checkbox(
        "個人名を伏せて出力する", value=True, disabled=True, key="rp_withhold_on", help=WITHHOLD_HELP
    )
else:
    withhold = st.checkbox("個人名を伏せて出力する", key="rp_withhold", help=WITHHOLD_HELP)
if not withhold:
    names = None
elif view.withheld:
    names = view.corpus.withheld_names
else:
    names = data.corpus_names(view.corpus.db, view.corpus.version)
suffix = view.chart.file_suffix

st.subheader("説明資料（PowerPoint・16:9）")
bound = [
    url_state.bind("rp_contents", "slides", list(CONTENTS), many=True, choices=list(CONTENTS)),
    url_state.bind("rp_topics", "quotes", 3, parse=int, choices=range(1, 6)),
]
c1, c2 = st.columns([3, 1])
# Pills wrap onto a second line; a multiselect cut the chosen slides off at 1280 px.
contents = (
    c1.pills(
        "入れる内容（表紙と出典のスライドは常に入ります）",
        options=list(CONTENTS),
        format_func=CONTENTS.get,
        selection_mode="multi",
        key="rp_contents",
    )
    or []
)
n_topics = c2.number_input("代表発言を載せるトピック数", min_value=1, max_value=5, key="rp_topics")
url_state.publish_all(bound)
request = (view.key, tuple(contents), int(n_topics), withhold)
if st.button("説明資料を作成", type="primary", key="rp_build", icon=":material/slideshow:"):
    if not browser_available() and any(c in CHART_CONTENTS for c in contents):
        st.error(NO_BROWSER + "グラフを含まない内容（主要指標・代表的な発言）だけなら作成できます。")
    else:
        bar = st.progress(0.0, text="準備しています…")
        try:
            content = build_briefing(
                view.meetings,
                view.statements,
                view.tokens,
                filters_text=view.description,
                withhold_names=withhold,
                generated=date.today(),
                names=names,
                contents=contents,
                topics=int(n_topics),
                progress=lambda fraction, text: bar.progress(fraction, text=text),
            )
            pptx = build_briefing_pptx(content)
        except ExportUnavailable as exc:
            bar.empty()
            st.error(f"グラフを画像にできませんでした: {exc}")
        else:
            bar.progress(1.0, text="できました")
            st.session_state[PPTX_KEY] = (request, pptx, len(content.charts) + len(content.topics))
built = st.session_state.get(PPTX_KEY)
if built and built[0] == request:
    st.download_button(
        "説明資料（PPTX）をダウンロード",
        data=built[1],
        file_name=f"briefing_{suffix}.pptx",
        mime=PPTX_MIME,
        key="rp_pptx_dl",
        icon=":material/download:",
        on_click="ignore",
    )
    st.caption(f"グラフ・トピックのスライド {built[2]} 枚ほか。条件: {view.description}")
elif built:
    st.caption("条件か内容が変わりました。「説明資料を作成」をもう一度押してください。")

st.subheader("表（Excel・CSV）")
keywords = data.cached(lambda: keyword_frequency(view.tokens, top_n=50), "report_keywords", view.key, ())
kwic_binding = url_state.bind("rp_kwic", "kwic_terms", keywords["term"].head(3).tolist(), many=True)
terms = st.multiselect(
    "KWIC（前後の文脈）に入れる語（一覧にない語も入力できます）",
    options=list(dict.fromkeys([*keywords["term"], *st.session_state["rp_kwic"]])),
    key="rp_kwic",
    accept_new_options=True,
)
url_state.publish(kwic_binding)
# The frames of a withheld view carry no names already: withhold only for the checkbox alone.
export_withhold = withhold and not view.withheld
params = (("terms", tuple(terms)), ("withhold", withhold))


def _tables(only: tuple[str, ...] = tuple(TABLES)) -> dict[str, pd.DataFrame]:
    """The export tables ``only`` of the view (built when a download is requested)."""
    return export_tables(
        view.statements,
        view.tokens,
        withhold_names=export_withhold,
        names=names,
        kwic_terms=list(terms),
        tables=only,
    )


def _xlsx() -> bytes:
    """The workbook of every table; run by Streamlit when the download button is clicked."""
    return data.export_file(lambda: to_xlsx_bytes(_tables()), "report_xlsx", view.key, params)


st.caption(
    "Excel は表ごとに1シート（"
    + "・".join(TABLES.values())
    + "）。CSV は UTF-8（BOM付き）で Excel でそのまま開けます。"
    "「=」「+」「-」「@」で始まるセルは数式にならないよう先頭に ' を付けています。"
    "ファイルはボタンを押したときに作ります（大きなコーパスでは数秒かかります）。"
)
left, right = st.columns(2)
left.download_button(
    "Excel（XLSX）をダウンロード",
    data=_xlsx,
    file_name=f"tables_{suffix}.xlsx",
    mime=XLSX_MIME,
    key="rp_xlsx_dl",
    icon=":material/table:",
    on_click="ignore",
)
csv_binding = url_state.bind("rp_csv_table", "csv", next(iter(TABLES)), choices=list(TABLES))
choice = right.selectbox("CSV にする表", options=list(TABLES), format_func=TABLES.get, key="rp_csv_table")
url_state.publish(csv_binding)


def _csv() -> bytes:
    """The CSV of the chosen table; run by Streamlit when the download button is clicked."""
    return data.export_file(
        lambda: to_csv_bytes(_tables((choice,))[TABLES[choice]]),
        "report_csv",
        view.key,
        (*params, ("table", choice)),
    )


right.download_button(
    f"CSV（{TABLES[choice]}）をダウンロード",
    data=_csv,
    file_name=f"{choice}_{suffix}.csv",
    mime="text/csv",
    key="rp_csv_dl",
    icon=":material/download:",
    on_click="ignore",
)
with st.expander(f"表の中身を確認（{TABLES[choice]}・先頭{PREVIEW_ROWS}行）"):
    preview = data.cached(
        lambda terms, withhold, table: export_preview(
            view.statements,
            view.tokens,
            table,
            withhold_names=withhold and not view.withheld,
            names=names,
            kwic_terms=list(terms),
        ),
        "report_preview",
        view.key,
        (*params, ("table", choice)),
    )
    st.dataframe(preview, hide_index=True, key="rp_preview")
    st.caption("ダウンロードするファイルには全行が入ります。")
