"""Static chart images through kaleido and Debian chromium (skipped without a browser)."""

from __future__ import annotations

import os
import struct

import plotly.graph_objects as go
import pytest

from analysis.report.images import (
    ExportUnavailable,
    browser_available,
    figure_to_png,
    figure_to_svg,
    figures_to_png,
    find_browser,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TITLE = "組織別の発言数"


def _require_browser() -> None:
    if browser_available():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail("REQUIRE_BROWSER=1 but no Chromium found for kaleido")
    pytest.skip("no Chromium for kaleido (install chromium or set BROWSER_PATH)")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def _figure(title: str = TITLE) -> go.Figure:
    fig = go.Figure(go.Bar(x=["足立区", "荒川区", "国分寺市"], y=[3, 2, 4]))
    fig.update_layout(
        title=title,
        xaxis_title="組織",
        yaxis_title="発言数（件）",
        font={"family": "Noto Sans CJK JP"},
    )
    return fig


def test_missing_browser_raises_japanese_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert find_browser() is None
    with pytest.raises(ExportUnavailable, match="画像の書き出しにはChromiumが必要です"):
        figure_to_png(_figure())


def test_empty_batch_needs_no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert figures_to_png([]) == []


def test_figure_to_png_size() -> None:
    _require_browser()
    data = figure_to_png(_figure(), width=400, height=300, scale=2)
    assert _png_size(data) == (800, 600)


def test_figures_to_png_batch_keeps_order_and_size() -> None:
    _require_browser()
    narrow = _figure("狭い図")
    images = figures_to_png([_figure(), narrow], width=320, height=200, scale=1)
    assert len(images) == 2
    assert [_png_size(img) for img in images] == [(320, 200), (320, 200)]
    assert images[0] != images[1]


def test_figure_to_svg_keeps_japanese_text() -> None:
    _require_browser()
    svg = figure_to_svg(_figure(), width=640, height=360).decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert TITLE in svg
    assert "国分寺市" in svg
