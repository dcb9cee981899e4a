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
from analysis.metrics import NO_SECTION, statements_for_selection
from dashboard.charts import image_downloads, plotly_config
from dashboard.filters import View
from dashboard.safe_text import md_literal

_CRITERIA_LABELS: dict[str, str] = {
    "topic": "トピック",
    "term": "語",
    "org_name": "組織",
    "org_kind": "種別",
    "speaker": "発言者",
    "meeting_label": "会議",
    "section_title": "セクション",
}


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
    return "／".join(f"{_CRITERIA_LABELS.get(k, k)}: {v}" for k, v in criteria.items())


def selected_statements(statements: pd.DataFrame, selections: list[dict[str, Any]]) -> pd.DataFrame:
    """Statements behind the selected elements (union over several selected points)."""
    frames = [
        statements_for_selection(
            statements,
            **{k: ("" if k == "section_title" and v == NO_SECTION else v) for k, v in criteria.items()},
        )
        for criteria in selections
    ]
    if not frames:
        return statements_for_selection(statements.iloc[0:0])
    out = pd.concat(frames, ignore_index=True)
    return out.drop_duplicates(subset=[c for c in out.columns if c != "topics"]).reset_index(drop=True)


def display_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Statement rows with Japanese column names; topic tuples joined for reading."""
    out = frame.copy()
    if "topics" in out.columns:
        out["topics"] = out["topics"].map(
            lambda t: "、".join(t) if isinstance(t, tuple | list) else str(t or "")
        )
    return out.rename(columns=COLUMN_LABELS)


def statements_panel(view: View, selections: list[dict[str, Any]], key: str) -> None:
    """The statements behind the selection, or a hint when nothing is selected."""
    if not selections:
        st.caption("グラフの棒・セル・点をクリックすると、その数値の元になった発言をここに表示します。")
        return
    rows = selected_statements(view.statements, selections)
    label = "、".join(describe_criteria(c) for c in selections)
    st.markdown(f"**選択: {md_literal(label)}** — {len(rows):,}件の発言")
    if rows.empty:
        st.info("この要素に該当する発言は、現在の絞り込みの中にはありません。")
        return
    st.dataframe(
        display_table(rows),
        hide_index=True,
        key=f"{key}_rows",
        column_config={"発言": st.column_config.TextColumn(width="large")},
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


KWIC_LABELS = {"meeting_label": "会議", "speaker": "発言者", "org_name": "所属", "left": "前", "keyword": "語", "right": "後"}


def kwic_table(lines: pd.DataFrame, key: str) -> None:
    """A KWIC concordance (analysis.metrics.kwic output) as a table with Japanese headers."""
    st.dataframe(
        lines[list(KWIC_LABELS)].rename(columns=KWIC_LABELS),
        hide_index=True,
        key=key,
        column_config={
            "前": st.column_config.TextColumn(width="medium"),
            "後": st.column_config.TextColumn(width="medium"),
        },
    )
