"""Static chart images (PNG/SVG) of plotly figures through kaleido 1.x and a local Chromium.

kaleido 1.x drives a Chromium-based browser through choreographer. choreographer looks for one
in the ``BROWSER_PATH`` environment variable, then on ``PATH`` (chrome, chromium, …) and in
typical install locations. :func:`find_browser` does the same search but prefers Debian's
``/usr/bin/chromium`` when it exists, and the path found is passed to kaleido explicitly, so the
result does not depend on the environment of the calling process. MathJax is disabled (it would
be fetched from a CDN and charts here carry no LaTeX).

Every call of :func:`figure_to_png` / :func:`figure_to_svg` starts and stops one browser (a few
seconds); :func:`figures_to_png` renders a whole list with one browser.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import kaleido
from choreographer.browsers.chromium import Chromium
from kaleido.errors import BrowserFailedError, ChromeNotFoundError

#: Debian's Chromium, preferred when present.
DEBIAN_CHROMIUM = "/usr/bin/chromium"

#: Default raster size: 1600×900 CSS px at scale 2 -> 3200×1800 px, sharp on a 16:9 slide.
DEFAULT_WIDTH = 1600
DEFAULT_HEIGHT = 900
DEFAULT_SCALE = 2

_UNAVAILABLE = (
    "画像の書き出しにはChromiumが必要です。Chromium（Debian: apt-get install chromium）を"
    "インストールするか、環境変数 BROWSER_PATH にブラウザの実行ファイルを指定してください。"
)


class ExportUnavailable(RuntimeError):
    """Raised when no browser is available to render static images."""


def _is_executable(path: str | os.PathLike[str]) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)


def find_browser() -> str | None:
    """Path of the browser kaleido will use: ``BROWSER_PATH``, Debian chromium, or a search."""
    override = os.environ.get("BROWSER_PATH")
    if override:
        return override if _is_executable(override) else None
    if _is_executable(DEBIAN_CHROMIUM):
        return DEBIAN_CHROMIUM
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return Chromium.find_browser(skip_local=False)


def browser_available() -> bool:
    """True when a browser for :mod:`kaleido` can be found."""
    return find_browser() is not None


def _run(coroutine_factory: Any) -> Any:
    """Run an async kaleido job on its own event loop in a worker thread.

    A separate thread keeps this callable from code that already runs an event loop
    (Jupyter, some web servers); exceptions are re-raised in the caller.
    """
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coroutine_factory())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            result["error"] = exc

    thread = threading.Thread(target=target, name="kaleido-export")
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def _render(figs: Sequence[Any], opts: dict[str, Any]) -> list[bytes]:
    browser = find_browser()
    if browser is None:
        raise ExportUnavailable(_UNAVAILABLE)

    async def job() -> list[bytes]:
        async with kaleido.Kaleido(path=browser, mathjax=False) as k:
            return [await k.calc_fig(fig, opts=dict(opts)) for fig in figs]

    try:
        return _run(job)
    except (ChromeNotFoundError, BrowserFailedError) as exc:
        raise ExportUnavailable(f"{_UNAVAILABLE}（{exc}）") from exc


def figure_to_png(
    fig: Any, width: int = DEFAULT_WIDTH, height: int = DEFAULT_HEIGHT, scale: float = DEFAULT_SCALE
) -> bytes:
    """PNG bytes of a plotly figure (``width``×``height`` CSS px, multiplied by ``scale``)."""
    return _render([fig], {"format": "png", "width": width, "height": height, "scale": scale})[0]


def figure_to_svg(fig: Any, width: int = DEFAULT_WIDTH, height: int = DEFAULT_HEIGHT) -> bytes:
    """SVG bytes of a plotly figure; text stays text (searchable, editable)."""
    return _render([fig], {"format": "svg", "width": width, "height": height, "scale": 1})[0]


def figures_to_png(
    figs: Sequence[Any],
    width: int = DEFAULT_WIDTH,
    height: int = DEFAULT_HEIGHT,
    scale: float = DEFAULT_SCALE,
) -> list[bytes]:
    """PNG bytes of each figure, in order, rendered with one browser for the whole list."""
    if not figs:
        return []
    return _render(figs, {"format": "png", "width": width, "height": height, "scale": scale})
