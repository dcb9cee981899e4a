"""Every page, clicked as a user would, on a corpus with undated, unattributed and empty meetings.

In a real `streamlit run` + headless Debian chromium at 1440 and 1280 wide:
- every page opens by its own URL (also /overview) with no exception, no "Page not found", no
  ``None``/``nan`` text and none of Streamlit's English strings; full-page screenshots go to
  artifacts/screenshots/walk_<page>_<width>.png for a person to look at;
- a heatmap cell click opens the statements behind it (plotly heatmaps have no selection of
  their own; the invisible points over the cells must take the click);
- 「この条件で絞り込む」 turns a chart selection into a filter every page follows, shown in the
  sidebar and the URL, and removable;
- page choices come back from the URL;
- saving an upload that widens the date range does not make a date filter appear by itself.
Skipped without /usr/bin/chromium unless REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    PLOT,
    chromium_page,
    full_screenshot,
    require_chromium,
    streamlit_server,
    wait_idle,
)
from tests.walk_corpus import build

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
#: Every page by its URL path ("" is the default page, also reachable as /overview).
PAGES = [
    "",
    "overview",
    "statements",
    "reading",
    "topics",
    "speakers",
    "keywords",
    "network",
    "report",
    "rules",
    "data",
]
MISSING = re.compile(r"(?<![A-Za-z])(None|nan|NaN|NaT)(?![A-Za-z])")
ENGLISH = ("Select all", "No results", "Drag and drop", "per file", "Page not found", "Browse files")
#: Written for this test: minutes dated after every meeting of the corpus.
LATER = """第8回 区市町村DX連絡会 議事要旨
日時：令和8年5月12日（火）10時から11時まで

【1．意見交換】
武蔵野市
○窓口で使う申請様式をそろえたい。
東京都デジタルサービス局
○様式の案を示します。
"""

pytestmark = pytest.mark.browser

require_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build(tmp_path_factory.mktemp("walk") / "corpus.sqlite")
    with streamlit_server(db, db.parent / "streamlit.log") as url:
        yield url


def _errors(page: Any) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


def _visible_text(page: Any) -> str:
    parts = [page.locator(f'[data-testid="{tid}"]').first for tid in ("stMain", "stSidebar")]
    return "\n".join(p.inner_text() for p in parts if p.count())


#: Text that must never be cut: KPI values, chosen-slide pills, metric values, buttons.
_CLIP_CHECK = """() => [...document.querySelectorAll(
    '.kpi-value, [data-testid="stMetricValue"], [data-testid="stMetricValue"] *, [data-testid="stPills"] button, [data-testid="stButton"] button')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.innerText.slice(0, 40))"""


def _clipped(page: Any) -> list[str]:
    """Texts wider than their box on screen (cut off or spilling over a neighbour)."""
    return page.evaluate(_CLIP_CHECK)


def _settle(page: Any) -> None:
    wait_idle(page)
    page.wait_for_timeout(800)
    wait_idle(page)


@pytest.mark.parametrize("width", [1440, 1280])
def test_every_page_opens_by_its_url_without_errors_missing_values_or_english(
    server: str, width: int
) -> None:
    with chromium_page(width=width) as page:
        for slug in PAGES:
            page.goto(f"{server}/{slug}")
            _settle(page)
            page.locator("h1").first.wait_for(timeout=60_000)
            name = slug or "home"
            assert _errors(page) == [], name
            text = _visible_text(page)
            assert MISSING.findall(text) == [], (name, MISSING.findall(text)[:5])
            for english in ENGLISH:
                assert english not in text, (name, english)
            assert _clipped(page) == [], (name, _clipped(page))
            full_screenshot(page, SHOTS / f"walk_{name}_{width}.png", width=width)
        page.goto(f"{server}/")
        _settle(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="区市町村・組織").click()
        listbox = page.get_by_role("listbox")
        listbox.first.wait_for(timeout=10_000)
        assert "すべて選択" in listbox.first.inner_text()
        assert "Select all" not in listbox.first.inner_text()


def test_undated_meeting_is_named_in_order_and_counted_when_a_date_range_leaves_it_out(server: str) -> None:
    with chromium_page() as page:
        page.goto(f"{server}/")
        _settle(page)
        text = _visible_text(page)
        assert "ほかに日付なし 1件" in text
        assert "日付なし" in _table_text(page)
        page.goto(f"{server}/?from=2021-05-21&to=2024-12-31")
        _settle(page)
        assert "日付のない会議 1 件は含まれていません" in _visible_text(page)
        table = _table_text(page)
        assert "第4回都・区市町村CIO協議会" not in table, "the undated edition is left out"
        assert "第3回都・区市町村CIO協議会" in table


def _table_text(page: Any) -> str:
    """The visible cells of the page's last ``st.dataframe`` (its accessible table)."""
    grid = page.locator('[data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    table = grid.locator("table").first
    table.wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(300)
    return table.inner_text()


def _click_first_heatmap_cell(page: Any, key: str) -> None:
    chart = page.locator(f".st-key-{key} {PLOT}")
    chart.wait_for(timeout=60_000)
    chart.scroll_into_view_if_needed()
    point = chart.locator(".scatterlayer .point").first
    box = point.bounding_box()
    assert box is not None, "the heatmap has its clickable points"
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_heatmap_cell_click_opens_its_statements_and_becomes_a_filter_every_page_follows(server: str) -> None:
    with chromium_page() as page:
        page.goto(f"{server}/topics")
        _settle(page)
        _click_first_heatmap_cell(page, "tp_org")
        page.get_by_text("選択: 組織:", exact=False).first.wait_for(timeout=30_000)
        wait_idle(page)
        caption = (
            page.locator('[data-testid="stMarkdownContainer"]')
            .filter(has_text="選択: 組織:")
            .first.inner_text()
        )
        assert "トピック:" in caption and "件の発言" in caption
        full_screenshot(page, SHOTS / "walk_heatmap_click.png")

        page.get_by_role("button", name="この条件で絞り込む").first.click()
        _settle(page)
        box = page.locator('[class*="st-key-flt_focus_box"]')
        box.wait_for(timeout=30_000)
        assert "グラフで選んだ条件" in box.inner_text()
        assert "focus=" in page.url
        focus = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)["focus"][0]
        assert '"org_name"' in focus and '"topic"' in focus

        page.locator('[data-testid="stSidebarNav"]').get_by_text("発言者・区市町村").click()
        _settle(page)
        assert "グラフで選択" in page.locator('[data-testid="stMain"]').inner_text()
        assert "focus=" in page.url
        full_screenshot(page, SHOTS / "walk_cross_filter.png")

        page.get_by_role("button", name="この条件を外す").click()
        _settle(page)
        assert page.locator('[class*="st-key-flt_focus_box"]').count() == 0
        assert "focus=" not in page.url
        assert _errors(page) == []


def test_page_choices_come_back_from_the_url(server: str) -> None:
    with chromium_page() as page:
        page.goto(f"{server}/keywords?terms=LGWAN&terms=クラウド&top=20&group=org_kind")
        _settle(page)
        main = page.locator('[data-testid="stMain"]')
        terms = main.locator('[data-testid="stMultiSelect"]').filter(has_text="推移を見る語")
        assert "LGWAN" in terms.inner_text() and "クラウド" in terms.inner_text()
        assert main.locator('[data-testid="stNumberInput"] input').first.input_value() == "20"
        group = main.locator('[data-testid="stSelectbox"]').filter(has_text="グループの種類").locator("input")
        assert group.input_value() == "組織の種別"
        assert "上位20語" in main.inner_text()

        page.goto(f"{server}/speakers?measure=chars")
        _settle(page)
        assert "文字数" in page.locator(".st-key-sp_orgs").inner_text()

        page.goto(f"{server}/network")
        _settle(page)
        page.locator('[data-testid="stMultiSelect"]').filter(has_text="品詞").locator("input").click()
        option = page.get_by_role("option").filter(has_text="動詞")
        if option.count():
            option.first.click()
            _settle(page)
            assert "nw_pos=" in page.url
        assert _errors(page) == []


def test_saving_an_upload_that_widens_the_dates_adds_no_filter(server: str) -> None:
    with chromium_page() as page:
        page.goto(f"{server}/")
        _settle(page)
        shown = re.search(r"表示中: ([\d,]+) / ([\d,]+) 発言", _visible_text(page))
        assert shown and shown.group(1) == shown.group(2)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("データ管理").click()
        _settle(page)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            {"name": "dx-renrakukai-08.txt", "mimeType": "text/plain", "buffer": LATER.encode()}
        )
        page.get_by_role("button", name="この内容で保存").wait_for(timeout=60_000)
        wait_idle(page)
        page.get_by_role("button", name="この内容で保存").click()
        page.wait_for_selector("text=保存しました", timeout=60_000)
        _settle(page)
        page.locator('[data-testid="stSidebarNav"]').get_by_text("概要").click()
        _settle(page)
        assert "from=" not in page.url and "to=" not in page.url
        shown = re.search(r"表示中: ([\d,]+) / ([\d,]+) 発言", _visible_text(page))
        assert shown and shown.group(1) == shown.group(2), shown
        assert "2026-05-12" in page.locator('[data-testid="kpi-row"]').inner_text()
        assert _errors(page) == []
