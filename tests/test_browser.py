"""Real `streamlit run` + headless Debian chromium: every page loads, charts render, drill-down works.

Full-page screenshots of every page are written to artifacts/screenshots/ for a person to look at.
Skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1 (CI), which makes it fail.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.report.briefing import PREVIEW_ROWS, TABLES
from analysis.store import Corpus
from tests.browser_support import (
    PLOT,
    chromium_page,
    first_plot_bar,
    full_screenshot,
    require_chromium,
    streamlit_server,
    wait_idle,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
SHOTS = ROOT / "artifacts" / "screenshots"
PAGES = {
    "": "overview",
    "statements": "statements",
    "topics": "topics",
    "speakers": "speakers",
    "keywords": "keywords",
    "network": "network",
}

pytestmark = pytest.mark.browser

require_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("browser")
    db = directory / "corpus.sqlite"
    with Corpus.open(db) as corpus:
        corpus.ingest_paths([SEED])
    with streamlit_server(db, directory / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    with chromium_page() as p:
        yield p


def _errors(page: Any) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


@pytest.mark.parametrize("slug", list(PAGES))
def test_page_loads_with_a_chart_and_screenshot(server: str, page: Any, slug: str) -> None:
    page.goto(f"{server}/{slug}")
    wait_idle(page)
    if slug != "statements":
        page.wait_for_selector(PLOT, timeout=30_000)
        assert page.locator(f"{PLOT} .main-svg").count() >= 1
    else:
        page.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
    assert _errors(page) == []
    assert page.get_by_text("Page not found").count() == 0
    full_screenshot(page, SHOTS / f"{PAGES[slug]}.png")
    assert (SHOTS / f"{PAGES[slug]}.png").stat().st_size > 10_000


def test_clicking_a_bar_shows_its_statements(server: str, page: Any) -> None:
    page.goto(f"{server}/")
    wait_idle(page)
    page.wait_for_selector(PLOT, timeout=30_000)
    first_plot_bar(page).click(force=True)
    page.wait_for_selector("text=件の発言", timeout=30_000)
    wait_idle(page)
    assert page.get_by_text("選択: トピック:").count() == 1
    assert page.locator('[data-testid="stDataFrame"]').count() >= 2
    assert _errors(page) == []


def test_filter_goes_to_the_url_and_reset_clears_it(server: str, page: Any) -> None:
    page.goto(f"{server}/?kind=%E5%B8%82")
    wait_idle(page)
    assert page.get_by_text("種別: 市").count() >= 1
    assert "kind=" in page.url
    page.get_by_role("button", name="フィルタをリセット").click()
    wait_idle(page)
    page.wait_for_function("() => !location.search.includes('kind=')", timeout=10_000)
    assert page.get_by_text("絞り込みなし").count() >= 1


def test_report_page_screenshot(server: str, page: Any) -> None:
    page.goto(f"{server}/report")
    wait_idle(page)
    page.wait_for_selector('[data-testid="stDownloadButton"]', timeout=30_000)
    assert _errors(page) == []
    assert page.get_by_role("button", name="説明資料を作成").count() == 1
    full_screenshot(page, SHOTS / "report.png")
    assert (SHOTS / "report.png").stat().st_size > 10_000


def test_report_tables_are_built_when_downloaded(server: str, page: Any) -> None:
    page.goto(f"{server}/report")
    wait_idle(page)
    with page.expect_download(timeout=60_000) as xlsx:
        page.get_by_role("button", name="Excel（XLSX）をダウンロード").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(xlsx.value.path()).read_bytes()))
    assert book.sheetnames == list(TABLES.values())
    with page.expect_download(timeout=60_000) as csv:
        page.get_by_role("button", name="CSV（発言一覧）をダウンロード").click()
    text = Path(csv.value.path()).read_bytes().decode("utf-8-sig")
    rows = pd.read_csv(io.StringIO(text))
    assert list(rows.columns)[:2] == ["会議", "開催日"]
    assert len(rows) == book["発言一覧"].max_row - 1 > PREVIEW_ROWS, "files carry every row, not the preview"
    assert _errors(page) == []


def test_toolbar_offers_no_deploy_button(server: str, page: Any) -> None:
    page.goto(f"{server}/")
    wait_idle(page)
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    assert page.get_by_role("button", name="Deploy").count() == 0


def test_presentation_mode_hides_the_sidebar_and_chrome(server: str, page: Any) -> None:
    page.goto(f"{server}/topics?mode=present")
    wait_idle(page)
    page.wait_for_selector(PLOT, timeout=30_000)
    assert _errors(page) == []
    for testid in ("stSidebar", "stHeader", "stToolbar", "stSidebarCollapsedControl"):
        assert not page.locator(f'[data-testid="{testid}"]').is_visible(), testid
    plot = page.locator(f"{PLOT} .main-svg").first.bounding_box()
    assert plot is not None and plot["x"] < 80, "the plot starts at the left edge (no sidebar)"
    assert plot["width"] / plot["height"] == pytest.approx(16 / 9, rel=0.25)
    full_screenshot(page, SHOTS / "present_topics.png")
    assert (SHOTS / "present_topics.png").stat().st_size > 10_000
