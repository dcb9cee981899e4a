"""What the parser understood, seen where the user decides — in a real browser.

A corpus with the seed, an undated edition and minutes whose statements mostly have no speaker:
概要 says which meetings are missing from the trends and links to the form that fixes them; the
link opens データ管理 with that meeting chosen; entering the date clears the flag everywhere;
the document list badges each document; an upload preview flags what to fix, and a text that is
not minutes is saved only after the user confirms it. Screenshots at 1440 and 1280 wide go to
artifacts/screenshots/quality_*.png. Skipped without /usr/bin/chromium unless REQUIRE_BROWSER=1.
"""

from __future__ import annotations

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
from tests.walk_corpus import MOSTLY_UNATTRIBUTED, SEED, UNATTRIBUTED_NAME, UNDATED_NAME, undated_text

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"

pytestmark = pytest.mark.browser

require_chromium()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("quality-browser") / "corpus.sqlite"
    with Corpus.open(path) as corpus:
        corpus.ingest_paths([SEED])
        corpus.ingest_bytes(undated_text().encode("utf-8"), UNDATED_NAME)
        corpus.ingest_bytes(MOSTLY_UNATTRIBUTED.encode("utf-8"), UNATTRIBUTED_NAME)
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    with streamlit_server(db, db.parent / "streamlit.log") as url:
        yield url


def _errors(page: Any) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


def _undated_id(db: Path) -> int:
    with Corpus.open(db) as corpus:
        meetings = corpus.load_meetings()
    return int(meetings.loc[meetings["date"].isna(), "meeting_id"].iloc[0])


@pytest.mark.parametrize("width", [1440, 1280])
def test_overview_names_the_meetings_left_out_and_documents_carry_badges(server: str, width: int) -> None:
    with chromium_page(width=width) as page:
        page.goto(server)
        wait_idle(page)
        notice = page.locator('[class*="st-key-parse_checks"]')
        notice.wait_for(timeout=60_000)
        notice.get_by_role("link", name="データ管理で開催日を入力する").wait_for(timeout=30_000)
        assert "日付のない会議が 1 件あります" in notice.inner_text()
        assert "発言者・所属を特定できない発言が多い会議が 1 件あります" in notice.inner_text()
        assert UNDATED_NAME in notice.inner_text()
        assert notice.get_by_role("link", name="データ管理で開催日を入力する").count() == 1
        assert _errors(page) == []
        full_screenshot(page, SHOTS / f"quality_overview_{width}.png", width=width)

        page.goto(f"{server}/data")
        wait_idle(page)
        assert page.get_by_text("要確認の議事録が 2 件あります", exact=False).count() == 1
        grid = page.locator('[data-testid="stDataFrame"]').first
        grid.wait_for(timeout=30_000)
        assert _errors(page) == []
        full_screenshot(page, SHOTS / f"quality_documents_{width}.png", width=width)


def test_fix_link_opens_the_form_and_a_date_clears_the_flag(server: str, db: Path) -> None:
    undated = _undated_id(db)
    with chromium_page() as page:
        page.goto(server)
        wait_idle(page)
        page.get_by_role("link", name="データ管理で開催日を入力する").click()
        page.wait_for_selector("text=登録済みの会議の情報を修正する", timeout=60_000)
        wait_idle(page)
        assert f"fix={undated}" in page.url
        form = page.locator('[data-testid="stExpander"]').filter(has_text="修正する議事録")
        chosen = form.locator('[data-testid="stSelectbox"] input').input_value()
        assert chosen.startswith("【要確認】") and UNDATED_NAME in chosen
        assert "開催日が見つかりません" in form.inner_text()
        full_screenshot(page, SHOTS / "quality_fix_form.png")
        date_box = form.locator('[data-testid="stDateInput"]').get_by_role("spinbutton").first
        date_box.click()
        page.keyboard.type("20241008")
        page.keyboard.press("Tab")
        wait_idle(page)
        form.get_by_role("button", name="修正を保存").click()
        page.wait_for_selector("text=修正しました", timeout=60_000)
        wait_idle(page)
        with Corpus.open(db) as corpus:
            meetings = corpus.load_meetings()
        row = meetings[meetings["meeting_id"] == undated].iloc[0]
        assert row["date"] == "2024-10-08" and not row["flagged"]
        page.goto(server)
        wait_idle(page)
        notice = page.locator('[class*="st-key-parse_checks"]')
        assert "日付のない会議" not in notice.inner_text()
        assert "発言者・所属を特定できない発言が多い会議が 1 件あります" in notice.inner_text()
        assert _errors(page) == []


def test_preview_flags_what_to_fix_and_non_minutes_need_confirmation(server: str) -> None:
    with chromium_page() as page:
        page.goto(f"{server}/data")
        wait_idle(page)
        uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
        uploader.set_input_files({"name": "memo.txt", "mimeType": "text/plain", "buffer": b"hello"})
        page.wait_for_selector("text=議事録として読み取れない文書であることを確認", timeout=60_000)
        wait_idle(page)
        assert page.get_by_text("議事録として読み取れない文書です", exact=False).count() == 1
        save = page.get_by_role("button", name="この内容で保存")
        assert save.is_disabled()
        full_screenshot(page, SHOTS / "quality_preview_not_minutes.png")
        page.locator('[data-testid="stCheckbox"]').filter(has_text="議事録として読み取れない").locator(
            "label"
        ).click()
        wait_idle(page)
        assert not save.is_disabled()
        assert _errors(page) == []
