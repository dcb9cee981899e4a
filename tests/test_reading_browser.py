"""Real `streamlit run` + headless chromium: KWIC of a rare word, and the reading view opened from links.

Screenshots at 1440 and 1280 px wide go to artifacts/screenshots/ (kwic_*.png, reading_*.png).
Skipped when /usr/bin/chromium is missing, unless REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import re
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
SHOTS = ROOT / "artifacts" / "screenshots"
#: Occurs once in the seed minutes, far outside the frequent words.
RARE = "LGWAN"
KWIC_INPUT = "語（頻出語にない語も入力できます・Enterで表示）"
WIDTHS = (1440, 1280)
ENGLISH = ("Choose an option", "No results", "Add:", "Page not found", "None", "nan")

pytestmark = pytest.mark.browser

require_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("reading_browser")
    db = directory / "corpus.sqlite"
    with Corpus.open(db) as corpus:
        corpus.ingest_paths([SEED])
    with streamlit_server(db, directory / "streamlit.log") as url:
        yield url


def _main_text(page: Any) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def _no_errors_or_english(page: Any) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    text = _main_text(page)
    for phrase in ENGLISH:
        assert not re.search(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])", text), phrase


@pytest.mark.parametrize("width", WIDTHS)
def test_kwic_of_a_rare_word_typed_in(server: str, width: int) -> None:
    with chromium_page(width=width) as page:
        page.goto(f"{server}/keywords")
        wait_idle(page)
        suggestions = page.locator(".st-key-kw_kwic_pick").inner_text()
        assert RARE not in suggestions  # not one of the frequent words offered
        box = page.get_by_label(KWIC_INPUT)
        box.fill(RARE)
        box.press("Enter")
        page.wait_for_function(
            "(t) => document.body.innerText.includes(`「${t}」の出現 1 箇所`)", arg=RARE, timeout=30_000
        )
        wait_idle(page)
        assert f"kwic={RARE}" in page.url
        assert page.get_by_text(f"「{RARE}」の共起語").count() == 1
        # The grid keeps an accessible copy of its cells: the KWIC line and its reading-view link.
        cells = page.locator('[data-testid="stDataFrame"] td').all_inner_texts()
        assert RARE in cells
        assert any(c.startswith("reading?m=") and f"q={RARE}" in c for c in cells)
        _no_errors_or_english(page)
        shot = SHOTS / f"kwic_{RARE.lower()}_{width}.png"
        full_screenshot(page, shot, width=width)
        assert shot.stat().st_size > 10_000


@pytest.mark.parametrize("width", WIDTHS)
def test_reading_view_opened_from_a_statement_link(server: str, width: int) -> None:
    with chromium_page(width=width) as page:
        page.goto(f"{server}/statements?q={RARE}")
        wait_idle(page)
        page.wait_for_selector("text=に一致: 1件", timeout=30_000)
        grid = page.locator('[data-testid="stDataFrame"]').first
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection cell
        link = page.get_by_role("link", name="会議を読む（この発言の位置から会議の全文を表示）")
        link.wait_for(timeout=30_000)
        link.click()
        page.wait_for_url("**/reading?*", timeout=30_000)
        anchor = page.locator("p.rd-anchor")
        anchor.wait_for(timeout=30_000)
        wait_idle(page)
        assert anchor.locator("mark").inner_text() == RARE
        assert "リンク先の発言" in anchor.inner_text()
        assert "s=" in page.url and "m=" in page.url and f"q={RARE}" in page.url
        page.wait_for_function(
            """() => { const r = document.querySelector('p.rd-anchor').getBoundingClientRect();
                       return r.top >= 0 && r.bottom <= window.innerHeight; }""",
            timeout=10_000,
        )
        assert page.locator("section.rd-section").count() == 3
        assert page.get_by_text("2023-02-14（火）").count() == 1
        _no_errors_or_english(page)
        page.screenshot(path=str(SHOTS / f"reading_anchor_{width}.png"))
        shot = SHOTS / f"reading_{width}.png"
        full_screenshot(page, shot, width=width)
        assert shot.stat().st_size > 10_000
