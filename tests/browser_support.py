"""A real `streamlit run` server on a free local port, and Debian chromium driven by Playwright.

Shared by tests/test_browser.py and benchmarks/bench_dashboard.py.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Streamlit shows this element while a script run is in progress.
RUNNING = '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stStatusWidgetRunningManIcon"]'
PLOT = ".js-plotly-plot"
IDLE_APP = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SERVER_START_TIMEOUT = 90.0


def require_chromium() -> None:
    """Module guard of every browser test file: skip without /usr/bin/chromium, except in CI
    (REQUIRE_BROWSER=1), where a missing browser fails instead of silently skipping."""
    import pytest

    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing and REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(
        f"{CHROMIUM} is missing (install Debian's chromium to run browser tests)", allow_module_level=True
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def streamlit_server(db: Path, log: Path) -> Iterator[str]:
    """Run the dashboard on ``db``; yields its base URL; the process group is always terminated."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--", "--db", str(db),
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=os.environ.copy(),
        )
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while not _healthy(url):
                if process.poll() is not None:
                    raise RuntimeError(
                        f"streamlit exited with {process.returncode}: {log.read_text(errors='replace')}"
                    )
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"streamlit did not answer on {url}: {log.read_text(errors='replace')}"
                    )
                time.sleep(0.2)
            yield url
        finally:
            _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def chromium_page(width: int = 1440, height: int = 1000) -> Iterator[Any]:
    """A Playwright page in headless Debian chromium (closed afterwards)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
            yield context.new_page()
        finally:
            browser.close()


def wait_idle(page: Any, timeout_ms: int = 60_000, settle_ms: int = 300) -> None:
    """Wait until the script run has finished (app state "notRunning", seen twice ``settle_ms`` apart)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    deadline = time.monotonic() + timeout_ms / 1000
    quiet = 0
    while quiet < 2:
        if time.monotonic() > deadline:
            raise TimeoutError("Streamlit is still running")
        idle = page.locator(f"{IDLE_APP}").count() == 1 and page.locator(RUNNING).count() == 0
        quiet = quiet + 1 if idle else 0
        page.wait_for_timeout(settle_ms)


def first_plot_bar(page: Any) -> Any:
    """The first clickable bar of the first plotly chart."""
    return page.locator(f"{PLOT} .barlayer .point path").first


def full_screenshot(page: Any, path: Path, width: int = 1440) -> None:
    """Screenshot of the whole page: Streamlit scrolls inside its main block, so grow the viewport first."""
    height = page.evaluate(
        "() => Math.max(...['stMain', 'stMainBlockContainer', 'stSidebarContent']"
        '.map(id => document.querySelector(`[data-testid="${id}"]`)?.scrollHeight || 0))'
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16_000)})
    page.wait_for_timeout(600)
    wait_idle(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": width, "height": 1000})
