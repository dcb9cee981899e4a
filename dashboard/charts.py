"""The Streamlit side of the charts: modebar PNG config and server-side PNG/SVG downloads.

The figures themselves are built by :mod:`analysis.figures` (shared with the briefing export);
this module only adds what the browser needs.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from analysis.figures import ChartContext
from analysis.report.images import DEFAULT_SCALE, browser_available, figure_to_png, figure_to_svg

#: Width (CSS px) of server-side images of charts that stretch to the page on screen.
IMAGE_WIDTH = 1280
NO_BROWSER = "この環境にはChromiumがないため、サーバー側でグラフの画像を作れません。"
NO_BROWSER_MESSAGE = NO_BROWSER + "グラフ右上のカメラのアイコン（PNG・2倍）から保存してください。"


def plotly_config(name: str, ctx: ChartContext) -> dict[str, Any]:
    """The modebar config: PNG export at scale 2 with a meaningful file name, no plotly logo."""
    return {
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": f"{name}_{ctx.file_suffix}"},
        "displaylogo": False,
    }


def image_size(fig: go.Figure) -> tuple[int, int]:
    """(width, height) in CSS px of the server-side image: the figure's own size, else page width."""
    width = fig.layout.width or IMAGE_WIDTH
    height = fig.layout.height or round(width * 9 / 16)
    return int(width), int(height)


def image_downloads(fig: go.Figure, name: str, ctx: ChartContext, key: str) -> None:
    """A small popover with PNG (2×) and SVG downloads rendered by kaleido when clicked."""
    with st.popover("画像を保存", icon=":material/download:"):
        if not browser_available():
            st.caption(NO_BROWSER_MESSAGE)
            return
        width, height = image_size(fig)
        st.caption("画面と同じタイトルと出典の注記が入ります（作成に数秒かかります）。")
        stem = f"{name}_{ctx.file_suffix}"
        left, right = st.columns(2)
        left.download_button(
            "PNG（2倍）",
            data=lambda: figure_to_png(fig, width=width, height=height, scale=DEFAULT_SCALE),
            file_name=f"{stem}.png",
            mime="image/png",
            key=f"{key}_png",
            on_click="ignore",
        )
        right.download_button(
            "SVG",
            data=lambda: figure_to_svg(fig, width=width, height=height),
            file_name=f"{stem}.svg",
            mime="image/svg+xml",
            key=f"{key}_svg",
            on_click="ignore",
        )
