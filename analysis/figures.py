"""Plotly figure builders with one registered template ("gijiroku") and a Japanese font stack.

Pure plotly + pandas (no Streamlit): the dashboard shows these figures and the briefing export
renders them to PNG/SVG. Every builder takes a metrics DataFrame (``analysis.metrics``) plus a
:class:`ChartContext` (footnote text, file-name stem, topic colours and a :class:`ChartStyle`)
and returns a figure whose title says what is counted, whose axes carry units, and whose
footnote names the source meetings and active filters. The style scales fonts and spacing:
``SCREEN`` for the dashboard, ``PRESENT`` for presentation mode, ``SLIDE`` for 16:9 slides.
Each clickable element carries a JSON object of drill-down criteria in ``customdata`` (or in
``ids`` for treemaps), read back by the dashboard's drill-down panel.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from wordcloud import WordCloud

from analysis.metrics import NO_SECTION
from analysis.topics import load_rules, rules_version, topic_colors

TEMPLATE = "gijiroku"
FONT_STACK = '"Noto Sans CJK JP", "Hiragino Kaku Gothic ProN", "Yu Gothic", "Meiryo", sans-serif'

#: Colours of organization kinds (stable across every chart).
KIND_COLORS: dict[str, str] = {
    "特別区": "#1f5fa8",
    "市": "#2a9d8f",
    "町": "#e9a23b",
    "村": "#8d6cab",
    "東京都": "#d1495b",
    "国": "#5c5c5c",
    "その他": "#9aa5b1",
    "不明": "#c8c8c8",
}

_COLORWAY = [
    "#1f5fa8",
    "#e07b39",
    "#2a9d8f",
    "#d1495b",
    "#8d6cab",
    "#6a994e",
    "#e9a23b",
    "#4d908e",
    "#b56576",
    "#577590",
    "#9c6644",
    "#43aa8b",
]
_COMMUNITY_COLORS = _COLORWAY
_FALLBACK_TOPIC_COLOR = "#9aa5b1"
#: Up to this many categories, trend x labels stay horizontal (wrapped) instead of rotated.
_FLAT_TICKS = 8
#: Wide characters that fit across a chart at the tick font size (1100 px at 20 px).
_WIDE_CHARS = 50


def register_template() -> None:
    """Register the shared template and make it the plotly default."""
    font = {"family": FONT_STACK, "size": 13, "color": "#1d2733"}
    axis = {
        "automargin": True,
        "gridcolor": "#e6e9ee",
        "linecolor": "#9aa5b1",
        "zerolinecolor": "#c8ced6",
        "title": {"font": {"size": 13}, "standoff": 10},
        "tickfont": {"size": 12},
    }
    pio.templates[TEMPLATE] = go.layout.Template(
        layout={
            "font": font,
            "title": {
                "font": {"size": 17},
                "x": 0.01,
                "xanchor": "left",
                "xref": "container",
                "yref": "container",
                "y": 1.0,
                "yanchor": "top",
                "pad": {"t": 12},
                "automargin": True,
            },
            "colorway": _COLORWAY,
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "xaxis": axis,
            "yaxis": axis,
            "legend": {"font": {"size": 12}, "title": {"font": {"size": 12}}},
            "hoverlabel": {"font": {"family": FONT_STACK, "size": 13}, "align": "left"},
            "margin": {"l": 20, "r": 30, "t": 70, "b": 40},
            "separators": ".,",
        }
    )
    pio.templates.default = TEMPLATE


register_template()


@dataclass(frozen=True)
class ChartStyle:
    """Font sizes (px) and spacing of a chart; ``width``/``height`` fix the size when set."""

    font: int = 13
    title: int = 17
    tick: int = 12
    axis_title: int = 13
    legend: int = 12
    footnote: int = 11
    footnote_width: int = 70
    title_width: int = 40
    width: int | None = None
    height: int | None = None
    show_title: bool = True
    legend_on_top: bool = False

    @property
    def scale(self) -> float:
        """Size relative to the screen style (spacing that depends on text grows with it)."""
        return self.font / 13

    @property
    def line_px(self) -> int:
        """Height of one footnote line."""
        return round(self.footnote * 1.45)

    @property
    def title_line_px(self) -> int:
        """Height of one title line."""
        return round(self.title * 1.3)


#: The dashboard.
SCREEN = ChartStyle()
#: Presentation mode (?mode=present): larger text, 16:9 height on a wide page.
PRESENT = ChartStyle(
    font=17, title=24, tick=16, axis_title=17, legend=16, footnote=14, footnote_width=110,
    title_width=48, height=720,
)  # fmt: skip
#: Slides: 1200 CSS px wide (rendered at scale 2) in the proportions of a chart slide's picture
#: area (analysis.report.pptx.CHART_BOX_ASPECT); every text at least 20 px. The title is the
#: slide's headline, so the image carries the plot, its legend on top and the source footnote.
SLIDE = ChartStyle(
    font=20, title=28, tick=20, axis_title=22, legend=20, footnote=20, footnote_width=64,
    title_width=38, width=1200, height=530, show_title=False, legend_on_top=True,
)  # fmt: skip


@dataclass(frozen=True)
class ChartContext:
    """What every chart of the current view shares: footnote, file-name suffix, colours, style."""

    footnote: str
    file_suffix: str
    topic_colors: Mapping[str, str]
    style: ChartStyle = field(default=SCREEN)


def drill(**criteria: Any) -> str:
    """Drill-down criteria as the JSON string stored in ``customdata``."""
    return json.dumps({k: _plain(v) for k, v in criteria.items()}, ensure_ascii=False, sort_keys=True)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for part in text.split("\n"):
        lines.extend(textwrap.wrap(part, width=width) or [""])
    return lines


def _apply_style(fig: go.Figure, style: ChartStyle) -> None:
    """Font sizes of the style on the layout, every axis and the legend."""
    fig.update_layout(
        font_size=style.font,
        title_font_size=style.title,
        legend_font_size=style.legend,
        legend_title_font_size=style.legend,
        hoverlabel_font_size=style.font,
    )
    fig.update_xaxes(tickfont_size=style.tick, title_font_size=style.axis_title)
    fig.update_yaxes(tickfont_size=style.tick, title_font_size=style.axis_title)
    if style.width and fig.layout.uniformtext.mode is None:
        fig.update_layout(uniformtext={"minsize": style.tick, "mode": "show"})


def _finish(
    fig: go.Figure,
    ctx: ChartContext,
    title: str,
    *,
    height: int,
    below_axis: int = 50,
    legend_on_top: bool = False,
    legend_right: bool = False,
) -> go.Figure:
    """Title, footnote below the plot (``below_axis`` px under the x axis line), height, margins.

    The legend runs horizontally above the plot with ``legend_on_top`` or when the style says so,
    unless ``legend_right`` keeps it in a column on the right (many series on a fixed-height
    slide would otherwise squash the plot under rows of legend).

    ``height`` is the plot height the content needs on screen; a style with a fixed size
    (slides, presentation mode) uses its own width and height instead.
    """
    style = ctx.style
    below = round(below_axis * style.scale)
    lines = _wrap(ctx.footnote, style.footnote_width)
    footnote_px = len(lines) * style.line_px + 8
    bottom = below + footnote_px + 10
    head, qualifier = _split_title(title, style.title_width) if style.show_title else ([], "")
    subtitle_px = round(style.title_line_px * 0.85) if qualifier else 0
    title_lines = head
    top = round(28 * style.scale) + style.title_line_px * len(title_lines) + subtitle_px
    if legend_right:
        fig.update_layout(legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"})
    elif legend_on_top or style.legend_on_top:
        top += _legend_rows(fig, style) * round(style.legend * 1.6)
        fig.update_layout(
            legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"}
        )
    fig.update_layout(
        template=TEMPLATE,
        title={
            "text": "<br>".join(_escape_plotly(t) for t in title_lines),
            "subtitle": {"text": _escape_plotly(qualifier), "font": {"size": round(style.title * 0.8)}},
        },
        height=style.height
        or height + bottom + style.title_line_px * max(len(title_lines) - 1, 0) + subtitle_px,
        margin={"b": bottom, "t": top},
        meta={"title": title},
    )
    if style.width:
        fig.update_layout(width=style.width)
    _apply_style(fig, style)
    fig.add_annotation(
        text="<br>".join(_escape_plotly(line) for line in lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-below,
        align="left",
        showarrow=False,
        font={"size": style.footnote, "color": "#5c6773"},
    )
    return fig


def figure_title(fig: go.Figure) -> str:
    """The plain title a builder gave the figure (also when the style hides it)."""
    meta = fig.layout.meta
    return str(meta.get("title", "")) if isinstance(meta, dict) else ""


def _legend_rows(fig: go.Figure, style: ChartStyle) -> int:
    """Estimated rows of a horizontal legend across the figure width (0 without legend)."""
    names = [str(t.name) for t in fig.data if t.name and t.showlegend is not False]
    if not names:
        return 0
    title = fig.layout.legend.title.text
    width = (style.width or 1200) - 40
    texts = [title, *names] if title else names
    entries = [(sum(1.0 if ord(c) > 0x2E7F else 0.6 for c in n) * style.legend) + 50 for n in texts]
    rows, used = 1, 0.0
    for entry in entries:
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    return rows


def _split_title(title: str, width: int) -> tuple[list[str], str]:
    """(title lines, subtitle): a long title's parenthesised qualifier becomes the subtitle.

    Titles of up to ``width`` characters stay whole on one line; a longer title without a
    qualifier wraps at ``width`` characters. (The subtitle is laid out by plotly itself; static
    exports misplace ``<br>`` lines of a top-anchored title, so one line is kept where possible.)
    """
    if len(title) <= width:
        return [title], ""
    head, sep, rest = title.partition("（")
    if sep and head:
        return _wrap(head, width), sep + rest
    return _wrap(title, width), ""


def _escape_plotly(text: str) -> str:
    """Plotly renders a small HTML subset in text; show labels literally."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _bar_height(n: int, per_bar: int = 28, minimum: int = 260) -> int:
    return max(minimum, per_bar * n + 90)


def _topic_color(ctx: ChartContext, topic: str) -> str:
    return ctx.topic_colors.get(topic, _FALLBACK_TOPIC_COLOR)


def _count_axis(fig: go.Figure, values: Any, axis: str = "x") -> None:
    """A count axis ticks whole numbers only: no 0.5 件 between 0 and 1."""
    top = max((float(v) for v in values if v == v), default=0.0)
    settings: dict[str, Any] = {"tickformat": ",d", "rangemode": "tozero"}
    if top <= 6:
        settings.update(tick0=0, dtick=1)
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**settings)


def topic_share_bar(share: pd.DataFrame, ctx: ChartContext, total: int) -> go.Figure:
    """Horizontal bars: statements per topic (multi-label), share of all statements as label."""
    data = share.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=data["statements"],
            y=data["topic"],
            orientation="h",
            marker_color=[_topic_color(ctx, t) for t in data["topic"]],
            text=[f"{n:,}件 ({s:.0%})" for n, s in zip(data["statements"], data["share"], strict=True)],
            textposition="auto",
            textangle=0,
            customdata=[drill(topic=t) for t in data["topic"]],
            hovertemplate="%{y}<br>発言数: %{x:,}件<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="発言数（件）")
    _count_axis(fig, data["statements"])
    fig.update_yaxes(title_text="トピック")
    title = f"トピック別の発言数（全{total:,}件・1発言が複数トピックに該当しうる）"
    return _finish(fig, ctx, title, height=_bar_height(len(data)))


def org_activity_bar(
    freq: pd.DataFrame,
    ctx: ChartContext,
    measure: str = "statements",
    top_n: int = 20,
    subject: str = "組織",
) -> go.Figure:
    """Horizontal bars per organization, sorted, coloured by kind; region in the label.

    ``subject`` names what the bars are in the title ("組織", "区市町村").
    """
    units = {"statements": ("発言数", "件"), "turns": ("発言ターン数", "回"), "chars": ("文字数", "文字")}
    label, unit = units[measure]
    data = freq.sort_values([measure, "org_name"], ascending=[False, True]).head(top_n).iloc[::-1]
    fig = go.Figure()
    for kind, color in KIND_COLORS.items():
        part = data[data["org_kind"] == kind]
        if part.empty:
            continue
        names = [_org_label(n, r) for n, r in zip(part["org_name"], part["region"], strict=True)]
        fig.add_trace(
            go.Bar(
                x=part[measure],
                y=names,
                name=kind,
                orientation="h",
                marker_color=color,
                text=[f"{v:,}" for v in part[measure]],
                textposition="auto",
                textangle=0,
                customdata=[drill(org_name=n) for n in part["org_name"]],
                hovertemplate=f"%{{y}}<br>{label}: %{{x:,}}{unit}<extra>{kind}</extra>",
            )
        )
    order = [_org_label(n, r) for n, r in zip(data["org_name"], data["region"], strict=True)]
    fig.update_yaxes(title_text=f"{subject}（地域）", categoryorder="array", categoryarray=order)
    fig.update_xaxes(title_text=f"{label}（{unit}）")
    _count_axis(fig, data[measure])
    fig.update_layout(legend_title_text="種別", barmode="overlay")
    title = f"{subject}別の{label}（上位{min(top_n, len(data))}{subject}・色は種別）"
    return _finish(fig, ctx, title, height=_bar_height(len(data)))


def _org_label(name: str, region: Any) -> str:
    return f"{name}（{region}）" if isinstance(region, str) and region else str(name)


def keyword_bar(keywords: pd.DataFrame, ctx: ChartContext, title: str | None = None) -> go.Figure:
    """Horizontal bars: occurrences of the top terms."""
    data = keywords.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=data["count"],
            y=data["term"],
            orientation="h",
            marker_color="#1f5fa8",
            text=[f"{c:,}" for c in data["count"]],
            textposition="auto",
            textangle=0,
            customdata=[drill(term=t) for t in data["term"]],
            hovertext=[
                f"{t}<br>出現回数: {c:,}回<br>出現発言数: {n:,}件"
                for t, c, n in zip(data["term"], data["count"], data["statements"], strict=True)
            ],
            hoverinfo="text",
        )
    )
    fig.update_xaxes(title_text="出現回数（回）")
    _count_axis(fig, data["count"])
    fig.update_yaxes(title_text="語")
    return _finish(
        fig, ctx, title or f"頻出語（上位{len(data)}語・出現回数）", height=_bar_height(len(data), per_bar=22)
    )


def topic_composition_bar(comp: pd.DataFrame, by: str, ctx: ChartContext, by_label: str) -> go.Figure:
    """100% stacked horizontal bars: topic mix per group (each statement split equally)."""
    groups = list(dict.fromkeys(comp[by]))
    topics = list(dict.fromkeys(comp["topic"]))
    fig = go.Figure()
    for topic in topics:
        part = comp[comp["topic"] == topic]
        fig.add_trace(
            go.Bar(
                x=part["share"] * 100,
                y=part[by],
                name=topic,
                orientation="h",
                marker_color=_topic_color(ctx, topic),
                customdata=[drill(**{by: g, "topic": topic}) for g in part[by]],
                hovertemplate=f"%{{y}}<br>{topic}: %{{x:.1f}}%<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend_title_text="トピック", legend_traceorder="normal")
    fig.update_yaxes(title_text=by_label, categoryorder="array", categoryarray=groups[::-1])
    fig.update_xaxes(title_text="構成比（%・1発言を該当トピック数で等分）", range=[0, 100], ticksuffix="%")
    title = f"{by_label}ごとのトピック構成（発言数に占める割合）"
    return _finish(fig, ctx, title, height=_bar_height(len(groups), per_bar=34, minimum=240))


def heatmap(
    table: pd.DataFrame,
    ctx: ChartContext,
    *,
    title: str,
    row_key: str,
    row_label: str,
    col_label: str,
    value_label: str,
    residuals: pd.DataFrame | None = None,
) -> go.Figure:
    """Cells = counts (text) coloured by count; rows/columns from a wide crosstab.

    An invisible scatter point sits on each cell so that clicking a cell selects it (plotly
    heatmaps have no selection); its customdata holds ``{row_key: row, "topic": column}``.
    """
    rows = [str(r) for r in table.index]
    cols = [str(c) for c in table.columns]
    z = table.to_numpy(dtype="float64")
    hover = [
        [f"{r} × {c}<br>{value_label}: {int(v):,}" for c, v in zip(cols, row, strict=True)]
        for r, row in zip(rows, z, strict=True)
    ]
    if residuals is not None:
        res = residuals.reindex(index=table.index, columns=table.columns).to_numpy(dtype="float64")
        hover = [
            [f"{h}<br>{_residual_text(x)}" for h, x in zip(hrow, rrow, strict=True)]
            for hrow, rrow in zip(hover, res, strict=True)
        ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=cols,
            y=rows,
            colorscale="Blues",
            text=[[f"{int(v):,}" if v else "" for v in row] for row in z],
            texttemplate="%{text}",
            hoverinfo="skip",
            colorbar={
                "title": {"text": value_label, "side": "right"},
                "thickness": 12,
                "tickformat": ",d",
                **({"tick0": 0, "dtick": 1} if np.nanmax(z, initial=0) <= 6 else {}),
            },
            xgap=1,
            ygap=1,
        )
    )
    # Plotly fires a click only on a point that takes hover, so the invisible points carry the
    # hover text (the heatmap itself skips hover) — with hoverinfo "skip" they were unclickable.
    xs = [c for _ in rows for c in cols]
    ys = [r for r in rows for _ in cols]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            marker={"size": 28, "opacity": 0, "symbol": "square", "color": "#1f5fa8"},
            selected={"marker": {"opacity": 0}},
            unselected={"marker": {"opacity": 0}},
            customdata=[drill(**{row_key: r, "topic": c}) for r in rows for c in cols],
            hovertext=[h for hrow in hover for h in hrow],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_layout(hovermode="closest")
    fig.update_xaxes(
        title_text=col_label, side="bottom", tickangle=-35, categoryorder="array", categoryarray=cols
    )
    fig.update_yaxes(title_text=row_label, autorange="reversed", categoryorder="array", categoryarray=rows)
    longest = max((len(c) for c in cols), default=2)
    below = 40 + int(longest * 13 * 0.6)
    return _finish(fig, ctx, title, height=_bar_height(len(rows), per_bar=30, minimum=280), below_axis=below)


#: More series than this keep their legend in a column on the right, not in rows above the plot.
_LEGEND_ON_TOP_MAX = 5


def _label_parts(label: str) -> list[str]:
    """A meeting label broken before its bracketed date: ["第4回", "(2024-10-08)"]."""
    head, sep, rest = label.partition(" (")
    return [head, "(" + rest] if sep and head else [label]


def _residual_text(value: float) -> str:
    """The adjusted residual of a cell in words a manager reads (the statistic in brackets)."""
    if value != value:  # NaN: no expected count
        return "全体との差: —"
    if value >= 2:
        word = "全体の傾向より多い"
    elif value <= -2:
        word = "全体の傾向より少ない"
    else:
        word = "全体の傾向と同程度"
    return f"{word}（調整済み残差 {value:+.1f}、±2を超えると偏りあり）"


def trend_lines(
    frame: pd.DataFrame,
    ctx: ChartContext,
    *,
    x: str,
    series: str,
    value: str,
    title: str,
    x_label: str,
    y_label: str,
    drill_key: str,
    series_key: str,
    colors: Mapping[str, str] | None = None,
    counts: bool = False,
) -> go.Figure:
    """Lines with markers per series across ordered x categories (meetings or sections);
    ``counts`` makes the y axis tick whole numbers only."""
    order = list(dict.fromkeys(frame[x]))
    fig = go.Figure()
    for name in dict.fromkeys(frame[series]):
        part = frame[frame[series] == name]
        fig.add_trace(
            go.Scatter(
                x=part[x],
                y=part[value],
                name=str(name),
                mode="lines+markers",
                line={"color": (colors or {}).get(name)} if colors and name in colors else None,
                marker={"size": 9},
                customdata=[drill(**{drill_key: v, series_key: name}) for v in part[x]],
                hovertemplate=f"%{{x}}<br>{name}: %{{y:,.4g}}<extra></extra>",
            )
        )
    fig.update_xaxes(title_text=x_label, categoryorder="array", categoryarray=order, type="category")
    fig.update_yaxes(title_text=y_label, rangemode="tozero")
    if counts:
        _count_axis(fig, frame[value], axis="y")
    if len(order) <= _FLAT_TICKS:
        width = max(6, _WIDE_CHARS // max(len(order), 1))
        wrapped = [
            [line for part in _label_parts(str(v)) for line in _wrap(part, max(width, 12))] for v in order
        ]
        fig.update_xaxes(
            tickangle=0,
            tickvals=order,
            ticktext=["<br>".join(_escape_plotly(line) for line in lines) for lines in wrapped],
        )
        below = 45 + 16 * max((len(lines) for lines in wrapped), default=1)
    else:
        fig.update_xaxes(tickangle=-30)
        longest = max((len(str(v)) for v in order), default=4)
        below = 45 + min(int(longest * 13 * 0.55), 160)
    many = frame[series].nunique() > _LEGEND_ON_TOP_MAX
    return _finish(fig, ctx, title, height=380, below_axis=below, legend_right=many)


def trend_unit(statements: pd.DataFrame) -> tuple[str, str, pd.DataFrame]:
    """(column, label, statements) of the unit a trend runs over: meetings, or the sections of a
    single meeting (statements outside any section labelled ``NO_SECTION``)."""
    if statements["meeting_id"].nunique() != 1:
        return "meeting_label", "会議", statements
    sections = statements["section_title"].astype(object).fillna("").replace("", NO_SECTION)
    return "section_title", "セクション", statements.assign(section_title=sections)


def topic_trend_lines(
    share: pd.DataFrame, ctx: ChartContext, unit_col: str, unit_label: str, top: int | None = None
) -> go.Figure:
    """Lines of each topic's share of the unit's statements (``topic_trend(..., by=unit_col)``: zeros included)."""
    trend = share.assign(percent=share["share"] * 100)
    return trend_lines(
        trend,
        ctx,
        x=unit_col,
        series="topic",
        value="percent",
        title=f"{unit_label}ごとのトピック別発言の割合（%・その{unit_label}の発言数に対する割合"
        + (f"・上位{top}トピック）" if top else "）"),
        x_label=unit_label,
        y_label="発言の割合（%）",
        drill_key=unit_col,
        series_key="topic",
        colors=ctx.topic_colors,
    )


_SEGMENT_END = re.compile(r"(?<=[局部庁省])(?!長)")
_SHORT_LABEL = 10


def short_label(label: str) -> str:
    """The last organizational segment of a long official title, for tight spaces.

    "東京都デジタルサービス局基盤整備部情報システム企画課長" -> "情報システム企画課長"; labels of up to
    10 characters, and labels without 局/部/庁/省 segments, are returned unchanged.
    """
    text = str(label).strip()
    if len(text) <= _SHORT_LABEL:
        return text
    segments = [seg for seg in _SEGMENT_END.split(text) if seg.strip()]
    return segments[-1].strip() if len(segments) > 1 else text


#: Characters per line of a treemap label: narrow boxes still show a wrapped label instead of none.
_TREEMAP_LINE = 7


def org_treemap(freq: pd.DataFrame, ctx: ChartContext, measure: str = "statements") -> go.Figure:
    """Treemap kind -> organization -> speaker sized by statements; ids carry drill criteria.

    Long official titles are shown by their last segment (:func:`short_label`); the hover shows
    the full label.
    """
    ids: list[str] = []
    labels: list[str] = []
    full: list[str] = []
    parents: list[str] = []
    values: list[float] = []
    colors: list[str] = []

    def add(node_id: str, label: str, parent: str, value: float, kind: str) -> None:
        ids.append(node_id)
        lines = _wrap(short_label(label), _TREEMAP_LINE)
        labels.append("<br>".join(_escape_plotly(line) for line in lines))
        full.append(_escape_plotly(label))
        parents.append(parent)
        values.append(value)
        colors.append(KIND_COLORS.get(kind, "#9aa5b1"))

    for kind, kind_rows in freq.groupby("org_kind", sort=False):
        kind_id = drill(org_kind=kind)
        add(kind_id, str(kind), "", float(kind_rows[measure].sum()), str(kind))
        for org, org_rows in kind_rows.groupby("org_name", sort=False):
            org_id = drill(org_kind=kind, org_name=org)
            add(org_id, str(org), kind_id, float(org_rows[measure].sum()), str(kind))
            for speaker, value in zip(org_rows["speaker"], org_rows[measure], strict=True):
                add(
                    drill(org_kind=kind, org_name=org, speaker=speaker),
                    str(speaker),
                    org_id,
                    float(value),
                    str(kind),
                )
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            hovertext=full,
            branchvalues="total",
            marker={"colors": colors},
            textinfo="label+value",
            hovertemplate="%{hovertext}<br>発言数: %{value:,}件<extra></extra>",
            tiling={"pad": 2},
            maxdepth=3,
        )
    )
    minsize = max(10, ctx.style.tick - 2)
    fig.update_layout(margin={"l": 10, "r": 10}, uniformtext={"minsize": minsize, "mode": "hide"})
    return _finish(fig, ctx, "種別 → 組織 → 発言者の発言数（面積＝発言数・件）", height=520, below_axis=12)


def qa_sankey(flow: pd.DataFrame, ctx: ChartContext) -> go.Figure:
    """Sankey: asking organization -> question topic -> answering organization (answer pairs)."""
    askers = list(dict.fromkeys(flow["asker"]))
    topics = list(dict.fromkeys(flow["topic"]))
    answerers = list(dict.fromkeys(flow["answerer"]))
    labels = [f"{a}（質問）" for a in askers] + topics + [f"{a}（回答）" for a in answerers]
    colors = ["#577590"] * len(askers) + [_topic_color(ctx, t) for t in topics] + ["#d1495b"] * len(answerers)
    index_topic = {t: len(askers) + i for i, t in enumerate(topics)}
    sources, targets, values, link_colors, hovers = [], [], [], [], []
    ask_topic = flow.groupby(["asker", "topic"], sort=False)["count"].sum().reset_index()
    for asker, topic, count in ask_topic.itertuples(index=False):
        sources.append(askers.index(asker))
        targets.append(index_topic[topic])
        values.append(int(count))
        link_colors.append("rgba(87,117,144,0.35)")
        hovers.append(f"{asker} → {topic}: {int(count)}組")
    topic_ans = flow.groupby(["topic", "answerer"], sort=False)["count"].sum().reset_index()
    for topic, answerer, count in topic_ans.itertuples(index=False):
        sources.append(index_topic[topic])
        targets.append(len(askers) + len(topics) + answerers.index(answerer))
        values.append(int(count))
        link_colors.append("rgba(209,73,91,0.30)")
        hovers.append(f"{topic} → {answerer}: {int(count)}組")
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={"label": [_escape_plotly(v) for v in labels], "color": colors, "pad": 14, "thickness": 16},
            link={
                "source": sources,
                "target": targets,
                "value": values,
                "color": link_colors,
                "customdata": hovers,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    height = max(360, 26 * max(len(askers), len(topics), len(answerers)) + 120)
    fig.update_layout(margin={"l": 10, "r": 10})
    return _finish(
        fig,
        ctx,
        "質問した組織 → 質問のトピック → 回答した組織（質問・回答の組数）",
        height=height,
        below_axis=30,
    )


def keyness_bar(
    table: pd.DataFrame, ctx: ChartContext, group_label: str, drill_criteria: Mapping[str, Any]
) -> go.Figure:
    """Horizontal bars of signed log-likelihood (G2) for the group's characteristic words."""
    data = table.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=data["log_likelihood"],
            y=data["term"],
            orientation="h",
            marker_color="#e07b39",
            text=[f"{c:,}回" for c in data["count_target"]],
            textposition="auto",
            textangle=0,
            customdata=[drill(term=t, **drill_criteria) for t in data["term"]],
            hovertemplate="%{y}<br>対数尤度比 G²: %{x:.1f}<br>グループ内出現: %{text}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text="対数尤度比 G²（大きいほど特徴的）")
    fig.update_yaxes(title_text="語")
    title = f"「{group_label}」に特徴的な語（他の発言との比較・対数尤度比）"
    return _finish(fig, ctx, title, height=_bar_height(len(data), per_bar=22))


def network_figure(
    nodes: pd.DataFrame, edges: pd.DataFrame, layout: pd.DataFrame, ctx: ChartContext
) -> go.Figure:
    """Co-occurrence network: edges as lines, nodes sized by frequency, labels on a light background.

    The axes keep the layout's aspect ratio (x and y in the same units). Communities are named
    by their leading terms; beyond the palette, small ones share one grey「その他」entry, so no
    two legend entries share a colour. The legend sits in a column on the right, clear of the title.
    """
    style = ctx.style
    pos = layout.set_index("term")[["x", "y"]]
    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for source, target in zip(edges["source"], edges["target"], strict=True):
        edge_x += [pos.at[source, "x"], pos.at[target, "x"], None]
        edge_y += [pos.at[source, "y"], pos.at[target, "y"], None]
    fig = go.Figure(
        go.Scatter(
            x=edge_x,
            y=edge_y,
            mode="lines",
            line={"color": "#c3cbd5", "width": 1},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    data = nodes.merge(layout, on="term", how="left")
    freq = data["freq"].astype("float64")
    sizes = (12 + 26 * np.sqrt((freq - freq.min()) / max(freq.max() - freq.min(), 1.0))) * style.scale
    named = len(_COMMUNITY_COLORS) - 1
    groups = data["community"].astype(int).where(data["community"].astype(int) < named, named)
    for community, part in data.groupby(groups, sort=True):
        idx = part.index
        small = int(community) >= named
        color = _FALLBACK_TOPIC_COLOR if small else _COMMUNITY_COLORS[int(community)]
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["y"],
                mode="markers",
                name="その他の小グループ" if small else _group_name(part),
                marker={
                    "size": sizes[idx],
                    "color": color,
                    "line": {"color": "white", "width": 1},
                    "opacity": 0.9,
                },
                customdata=[drill(term=t) for t in part["term"]],
                hovertext=[
                    f"{t}<br>出現発言数: {f:,}件" for t, f in zip(part["term"], part["freq"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    for term, x, y, size in zip(data["term"], data["x"], data["y"], sizes, strict=True):
        fig.add_annotation(
            x=x,
            y=y,
            text=_escape_plotly(str(term)),
            showarrow=False,
            yshift=size / 2 + style.font * 0.75,
            font={"size": style.font, "color": "#1d2733"},
            bgcolor="rgba(255,255,255,0.78)",
            borderpad=1,
        )
    x_pad, y_pad = _padding(data["x"]), _padding(data["y"])
    fig.update_xaxes(visible=False, range=[data["x"].min() - x_pad, data["x"].max() + x_pad])
    fig.update_yaxes(
        visible=False,
        range=[data["y"].min() - y_pad, data["y"].max() + y_pad * 1.6],
        scaleanchor="x",
        scaleratio=1,
        constrain="domain",
    )
    fig.update_layout(legend_title_text="共起グループ（代表語）", margin={"l": 10, "r": 10})
    title = f"共起ネットワーク（{len(nodes)}語・{len(edges)}本・円の大きさ＝出現発言数、線＝同じ発言に出現）"
    return _finish(fig, ctx, title, height=620, below_axis=10, legend_right=True)


def _group_name(part: pd.DataFrame) -> str:
    """A community named by its two most frequent terms (「クラウド・移行」), not by a number."""
    top = part.sort_values(["freq", "term"], ascending=[False, True])["term"].head(2)
    return "・".join(str(t) for t in top)


def _padding(values: pd.Series) -> float:
    span = float(values.max() - values.min()) if len(values) else 0.0
    return max(span * 0.06, 0.05)


def topic_palette() -> dict[str, str]:
    """Stable colour per topic, from the coding rules (the same in every chart).

    Cached per rules-file version: the dashboard asks on every rerun, and parsing the rule
    file each time is wasted work.
    """
    return dict(_palette(rules_version()))


@lru_cache(maxsize=4)
def _palette(version: str) -> tuple[tuple[str, str], ...]:
    return tuple(topic_colors(load_rules()).items())


FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)


def japanese_font_path() -> str | None:
    """A font file with Japanese glyphs for the word cloud (Noto Sans CJK, else fc-match), or None."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK JP:lang=ja"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return found if found and Path(found).is_file() and "CJK" in found.upper() else None


def word_cloud_png(
    frequencies: Mapping[str, int], font_path: str, width: int = 1400, height: int = 700
) -> bytes:
    """A word cloud (size = occurrences) as PNG bytes."""
    cloud = WordCloud(
        font_path=font_path,
        width=width,
        height=height,
        background_color="white",
        colormap="tab10",
        prefer_horizontal=0.95,
        max_words=len(frequencies),
        random_state=42,
        collocations=False,
    ).generate_from_frequencies(dict(frequencies))
    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG")
    return buffer.getvalue()
