"""発言者の同一人物まとめ in a real browser: データ管理 shows the merged table (人物, まとめた表記,
会議, 根拠) with no server path, and 発言者・区市町村 lists the merged labels under the treemap.

The corpus is the seed plus two series fixtures, where 宮坂副知事, （東京都CIO 副知事 宮坂 学） and
東京都CIO are one person. Screenshots at 1440 and 1280 px go to
artifacts/screenshots/speaker_identity_*.png. Skipped without /usr/bin/chromium unless
REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analysis.store import Corpus
from tests.browser_support import (
    chromium_page,
    full_screenshot,
    require_chromium,
    streamlit_server,
    wait_idle,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
SERIES = ROOT / "tests" / "fixtures" / "minutes" / "series"
SOURCES = [SEED, SERIES / "cio-forum-02_web.txt", SERIES / "cio-conference-04_web.html"]
SHOTS = ROOT / "artifacts" / "screenshots"

pytestmark = pytest.mark.browser

require_chromium()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("identity-browser") / "corpus.sqlite"
    with Corpus.open(path) as corpus:
        assert [r.status for r in corpus.ingest_paths(SOURCES)] == ["added"] * len(SOURCES)
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    with streamlit_server(db, db.parent / "streamlit.log") as url:
        yield url


def _errors(page: Any) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


def _table_with(page: Any, header: str, timeout_s: float = 30.0) -> str:
    """The visible cells (accessible table) of the ``st.dataframe`` with the column ``header``
    (grids fill their table once scrolled into view, so this polls)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        grids = page.locator('[data-testid="stDataFrame"]')
        for i in range(grids.count()):
            grids.nth(i).scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            tables = grids.nth(i).locator("table")
            text = tables.first.inner_text() if tables.count() else ""
            if header in text:
                return text
        page.wait_for_timeout(500)
    raise AssertionError(f"no table with the column {header!r}")


@pytest.mark.parametrize("width", [1440, 1280])
def test_data_admin_shows_the_merged_people(server: str, width: int) -> None:
    with chromium_page(width=width) as page:
        page.goto(f"{server}/data")
        wait_idle(page)
        heading = page.get_by_role("heading", name="発言者の同一人物まとめ")
        assert heading.count() == 1
        merged = _table_with(page, "まとめた表記")
        for expected in ("人物", "まとめた表記", "会議", "根拠", "宮坂副知事", "参照表", "同じ所属・同じ姓"):
            assert expected in merged, expected
        assert "/" not in _table_with(page, "会議名")
        page.get_by_text("議事録を削除する").click()
        wait_idle(page)
        box = page.locator('[data-testid="stSelectbox"]').filter(has_text="削除する議事録").locator("input")
        box.click()
        options = page.get_by_role("option")
        options.first.wait_for(timeout=10_000)
        offered = options.all_inner_texts()
        page.keyboard.press("Escape")
        assert any(o.endswith("cio-forum-04_2023-02-14.txt") for o in offered), offered
        assert not any("/" in o for o in offered), offered
        page.get_by_text("同じ人物としてまとめる・まとめを取り消す").click()
        wait_idle(page)
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert "/work/" not in body and str(ROOT) not in body and "data/minutes/" not in body
        assert _errors(page) == []
        full_screenshot(page, SHOTS / f"speaker_identity_data_admin_{width}.png", width=width)


@pytest.mark.parametrize("width", [1440, 1280])
def test_speakers_page_lists_merged_labels_under_the_treemap(server: str, width: int) -> None:
    with chromium_page(width=width) as page:
        page.goto(f"{server}/speakers")
        wait_idle(page)
        expander = page.get_by_text("同じ人物としてまとめた発言者（1人）")
        expander.wait_for(timeout=60_000)
        expander.click()
        wait_idle(page)
        listed = page.locator('[data-testid="stExpander"]').filter(has_text="同じ人物としてまとめた発言者")
        text = listed.inner_text()
        assert "東京都CIO 副知事 宮坂 学 ←" in text and "宮坂副知事" in text and "東京都CIO" in text
        assert _errors(page) == []
        full_screenshot(page, SHOTS / f"speaker_identity_speakers_{width}.png", width=width)
