"""Small page building blocks: headers, empty states, statement tables, safe highlighting."""

from __future__ import annotations

import html
import re

import pandas as pd
import streamlit as st

from analysis.metrics import meetings_to_check
from dashboard.drilldown import display_table
from dashboard.filters import View
from dashboard.safe_text import md_literal

EMPTY_CORPUS_MESSAGE = (
    "コーパスに会議録がまだありません。議事要旨のファイル（txt / pdf / docx / html / md）を追加してください:\n\n"
    "- ファイルを指定して取り込む: `python -m analysis ingest FILE --db {db}`\n"
    "- または data/minutes/ にファイルを置いて `make run`（取り込んでからダッシュボードを起動します）"
)
NO_MATCH_MESSAGE = "現在の絞り込み条件（{description}）に一致する発言はありません。サイドバーの条件を変えるか「フィルタをリセット」を押してください。"


def header(title: str, guide: str, view: View) -> None:
    """Page title, a one-line reading guide and the active filters."""
    st.title(title)
    st.caption(guide)
    if not view.corpus.empty:
        st.caption(
            f"条件: {md_literal(view.description)}｜対象: {len(view.statements):,}発言・{len(view.meetings):,}会議"
        )


DATA_PAGE = "views/data_admin.py"
FIX_PARAM = "fix"


def parse_checks(meetings: pd.DataFrame, *, limit: int = 5) -> None:
    """Say which meetings the parser flagged — undated ones drop out of every trend — with a link
    to the データ管理 form that fixes each one (``?fix=<meeting id>``)."""
    checks = meetings_to_check(meetings)
    if checks.empty:
        return
    undated = checks[checks["undated"]]
    others = checks[~checks["undated"]]
    lines = []
    if not undated.empty:
        lines.append(f"**日付のない会議が {len(undated)} 件あり、推移グラフと期間の集計に含まれていません。**")
    if not others.empty:
        lines.append(
            f"**発言者・所属を特定できない発言が多い会議が {len(others)} 件あります**（組織別の集計では「不明」に入ります）。"
        )
    with st.container(border=True, key="parse_checks"):
        st.warning("\n\n".join(lines), icon=":material/warning:")
        for row in checks.sort_values("undated", ascending=False, kind="stable").head(limit).itertuples():
            action = "開催日を入力する" if row.undated else "発言者の所属を確認する"
            cols = st.columns([3, 2])
            cols[0].markdown(md_literal(f"{row.file}｜{row.reasons}"))
            with cols[1]:
                st.page_link(
                    DATA_PAGE,
                    label=f"データ管理で{action}",
                    icon=":material/edit_calendar:" if row.undated else ":material/person_search:",
                    query_params={FIX_PARAM: str(row.meeting_id)},
                )
        if len(checks) > limit:
            st.caption(f"ほか {len(checks) - limit} 件はデータ管理の一覧（確認＝要確認）で確認できます。")


def require_statements(view: View) -> None:
    """Stop the page with a clear message when the corpus is empty or nothing matches."""
    if view.corpus.empty:
        st.info(EMPTY_CORPUS_MESSAGE.format(db=view.corpus.db))
        st.stop()
    if view.statements.empty:
        st.warning(NO_MATCH_MESSAGE.format(description=view.description))
        st.stop()


def statement_frame(statements: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Chosen statement columns with Japanese names, for ``st.dataframe``."""
    return display_table(statements[columns].reset_index(drop=True))


def highlight_html(text: str, pattern: re.Pattern[str] | None) -> str:
    """The text HTML-escaped, then each match of ``pattern`` wrapped in <mark> (safe to render)."""
    if pattern is None:
        return html.escape(text)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() == match.end():
            continue
        out.append(html.escape(text[last : match.start()]))
        out.append(f"<mark>{html.escape(match.group(0))}</mark>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)
