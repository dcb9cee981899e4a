"""Small page building blocks: headers, empty states, statement tables, safe highlighting."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

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
        lines.append(
            f"**日付のない会議が {len(undated)} 件あります。** 一覧と推移では回の番号の位置に「日付なし」として"
            "並べていますが、開催日の範囲で絞り込むと含まれません。"
        )
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


@dataclass(frozen=True)
class Kpi:
    """One headline number: label, value text, optional help; ``wide`` for long values (期間)."""

    label: str
    value: str
    help: str | None = None
    wide: bool = False
    note: str | None = None


#: KPI cards in one wrapping row; long values (期間) wrap inside their card instead of being cut.
_KPI_STYLE = (
    "<style>.kpi-row{display:flex;flex-wrap:wrap;gap:0.6rem 1.4rem;margin:0.2rem 0 0.8rem}"
    ".kpi{flex:1 1 7.5rem;min-width:7.5rem}.kpi.wide{flex:2.6 1 15rem}"
    ".kpi-label{font-size:0.875rem;color:#31333f}"
    ".kpi-value{font-size:1.9rem;line-height:1.2;font-weight:400;color:#31333f;word-break:keep-all}"
    ".kpi.wide .kpi-value{font-size:1.45rem;line-height:1.35}"
    ".kpi-help{font-size:0.75rem;color:#6b7280}</style>"
)


def _unbroken(value: str) -> str:
    """The value escaped, each part of a "…〜…" span kept on one line (no break inside a date)."""
    parts = value.split("〜")
    return "〜".join(f'<span style="white-space:nowrap">{html.escape(p)}</span>' for p in parts)


def kpi_row(kpis: list[Kpi]) -> None:
    """Headline numbers in one row of cards; no value is clipped at 1280 px (all text escaped)."""
    cards = "".join(
        f'<div class="kpi{" wide" if k.wide else ""}" title="{html.escape(k.help or "", quote=True)}">'
        f'<div class="kpi-label">{html.escape(k.label)}</div>'
        f'<div class="kpi-value">{_unbroken(k.value)}</div>'
        + (f'<div class="kpi-help">{html.escape(k.note or k.help or "")}</div>' if k.note or k.help else "")
        + "</div>"
        for k in kpis
    )
    st.html(f'{_KPI_STYLE}<div class="kpi-row" data-testid="kpi-row">{cards}</div>')


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
