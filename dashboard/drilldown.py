"""The shared "which statements?" panel behind every chart.

Charts carry JSON drill-down criteria in ``customdata`` (bars, lines, markers) or ``ids``
(treemaps); a selection event from ``st.plotly_chart(on_select="rerun")`` is turned back into
criteria and into the statements they select (``analysis.metrics.statements_for_selection``).
Statement text is only ever shown through ``st.dataframe`` (rendered literally).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.frames import COLUMN_LABELS
from analysis.meeting_order import UNDATED
from analysis.metrics import CRITERIA_LABELS, NO_SECTION, statements_for_selection
from dashboard.charts import image_downloads, plotly_config
from dashboard.filters import View, set_focus
from dashboard.links import LINK_TEXT, LINK_WIDTH, reading_urls
from dashboard.safe_text import md_literal


def criteria_from_point(point: Mapping[str, Any]) -> dict[str, Any] | None:
    """The drill-down criteria of one selected point (``customdata`` JSON, or a treemap ``id``)."""
    for field in ("customdata", "id"):
        raw = point.get(field)
        if isinstance(raw, list) and raw:
            raw = raw[0]
        if isinstance(raw, str) and raw.startswith("{"):
            try:
                value = json.loads(raw)
            except json.JSONDecodeError:
                continue
            if isinstance(value, dict):
                return value
    return None


def criteria_from_event(event: Any) -> list[dict[str, Any]]:
    """Criteria of every selected point of a plotly selection event (duplicates removed)."""
    if not event:
        return []
    selection = event.get("selection") if isinstance(event, Mapping) else getattr(event, "selection", None)
    points = (selection or {}).get("points", []) if isinstance(selection, Mapping) else []
    found: list[dict[str, Any]] = []
    for point in points:
        criteria = criteria_from_point(point)
        if criteria is not None and criteria not in found:
            found.append(criteria)
    return found


def describe_criteria(criteria: Mapping[str, Any]) -> str:
    """``トピック: クラウド／組織: 足立区`` for a caption."""
    return "／".join(f"{CRITERIA_LABELS.get(k, k)}: {v}" for k, v in criteria.items())


def _selection(statements: pd.DataFrame, criteria: Mapping[str, Any]) -> pd.DataFrame:
    """One element's statements (display columns) with their ``statement_id`` and ``meeting_id``.

    ``statements_for_selection`` returns display columns only; the ids ride along in the
    ``text`` column of a copy (text is shown, never matched: ``term`` looks at ``norm_text``),
    so both calls select and order the same rows.
    """
    wanted = {k: ("" if k == "section_title" and v == NO_SECTION else v) for k, v in criteria.items()}
    rows = statements_for_selection(statements, **wanted)
    carrier = statements.assign(text=statements["statement_id"])
    ids = statements_for_selection(carrier, **wanted)["text"].to_numpy()
    meeting_of = pd.Series(statements["meeting_id"].to_numpy(), index=statements["statement_id"].to_numpy())
    return rows.assign(statement_id=ids, meeting_id=meeting_of.reindex(ids).to_numpy())


def selected_statements(statements: pd.DataFrame, selections: list[dict[str, Any]]) -> pd.DataFrame:
    """Statements behind the selected elements (union over several selected points).

    Display columns (``SELECTION_COLUMNS``) plus ``statement_id`` and ``meeting_id``, for links
    to the reading view; a statement selected by several points is listed once.
    """
    frames = [_selection(statements, criteria) for criteria in selections]
    if not frames:
        return _selection(statements.iloc[0:0], {})
    out = pd.concat(frames, ignore_index=True)
    return out.drop_duplicates(subset="statement_id").reset_index(drop=True)


def _highlights(selections: list[dict[str, Any]]) -> dict[str, str | None]:
    """The term and topic the reading view should highlight for these selections."""
    term = next((str(c["term"]) for c in selections if c.get("term")), None)
    topic = next((str(c["topic"]) for c in selections if c.get("topic")), None)
    return {"term": term, "topic": topic}


def display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Statement rows with Japanese column names; topic tuples joined, 日付なし for undated rows."""
    out = frame.copy()
    if "topics" in out.columns:
        out["topics"] = out["topics"].map(
            lambda t: "、".join(t) if isinstance(t, tuple | list) else str(t or "")
        )
    if "date" in out.columns:
        out["date"] = out["date"].astype(object).where(out["date"].notna(), UNDATED)
    return out.rename(columns=COLUMN_LABELS)


def statements_panel(view: View, selections: list[dict[str, Any]], key: str) -> None:
    """The statements behind the selection, or a hint when nothing is selected."""
    if not selections:
        st.caption("グラフの棒・セル・点をクリックすると、その数値の元になった発言をここに表示します。")
        return
    rows = selected_statements(view.statements, selections)
    label = "、".join(describe_criteria(c) for c in selections)
    head, action = st.columns([4, 1.3], vertical_alignment="center")
    head.markdown(f"**選択: {md_literal(label)}** — {len(rows):,}件の発言")
    action.button(
        "この条件で絞り込む",
        key=f"{key}_focus",
        icon=":material/filter_alt:",
        on_click=set_focus,
        args=(selections,),
        help="選んだ要素を全ページの絞り込みにします（ほかのグラフもこの条件に従います）。サイドバーで外せます。",
        width="stretch",
    )
    if rows.empty:
        st.info("この要素に該当する発言は、現在の絞り込みの中にはありません。")
        return
    table = display_table(rows.drop(columns=["statement_id", "meeting_id"]))
    table.insert(0, LINK_TEXT, reading_urls(rows, **_highlights(selections)))  # first: always on screen
    st.dataframe(
        table,
        hide_index=True,
        key=f"{key}_rows",
        column_config={
            "発言": st.column_config.TextColumn(width="large"),
            LINK_TEXT: st.column_config.LinkColumn(
                display_text=LINK_TEXT, width=LINK_WIDTH, help="会議の全文を開き、この発言の位置に移動します"
            ),
        },
    )


def chart(view: View, fig: go.Figure, name: str, key: str, *, drilldown: bool = True) -> list[dict[str, Any]]:
    """Show a figure with PNG export config and image downloads; with ``drilldown`` its selection
    opens the statements."""
    config = plotly_config(name, view.chart)
    if not drilldown:
        st.plotly_chart(fig, theme=None, config=config, key=key)
        image_downloads(fig, name, view.chart, key)
        return []
    event = st.plotly_chart(
        fig, theme=None, config=config, key=key, on_select="rerun", selection_mode=("points",)
    )
    image_downloads(fig, name, view.chart, key)
    selections = criteria_from_event(event)
    statements_panel(view, selections, key)
    return selections


KWIC_LABELS = {
    "left": "前",
    "keyword": "語",
    "right": "後",
    "meeting_label": "会議",
    "speaker": "発言者",
    "org_name": "所属",
}
#: Pixels per character of a context column (the table's font, CJK full width).
_CONTEXT_CHAR_PX = 14


def kwic_table(lines: pd.DataFrame, key: str, *, width: int | None = None, term: str | None = None) -> None:
    """A KWIC concordance (analysis.metrics.kwic output) as a table with Japanese headers.

    The 前 column is right-aligned, so every keyword starts at the same place and a long left
    context is cut on its far side; each line links to the reading view at its statement (the
    link comes first, so it stays on screen when the table is wider than the page).
    ``width`` (characters of context) sizes the context columns; ``term`` is passed on to the
    reading view to be highlighted.
    """
    table = lines[list(KWIC_LABELS)].rename(columns=KWIC_LABELS)
    table.insert(0, LINK_TEXT, reading_urls(lines, term=term))
    context = "medium" if width is None else _CONTEXT_CHAR_PX * (width + 1) + 20
    longest = int(table["語"].astype(str).str.len().max()) if not table.empty else 2
    keyword = _CONTEXT_CHAR_PX * max(longest, 3) + 24
    st.dataframe(
        table.style.set_properties(subset=["語"], **{"color": "#8a1c12", "background-color": "#fff3c4"}),
        hide_index=True,
        key=key,
        column_config={
            "前": st.column_config.TextColumn(width=context, alignment="right"),
            "語": st.column_config.TextColumn(width=keyword, alignment="center"),
            "後": st.column_config.TextColumn(width=context),
            LINK_TEXT: st.column_config.LinkColumn(
                display_text=LINK_TEXT, width=LINK_WIDTH, help="会議の全文を開き、この行の発言に移動します"
            ),
        },
    )
