"""データ管理 in a real browser: upload → preview → correct the date → map a speaker → save →
listed → delete; and hostile statement text rendered literally (no script, no img, no dialog).

Screenshots go to artifacts/screenshots/data_admin_*.png. Skipped without /usr/bin/chromium
unless REQUIRE_BROWSER=1.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

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
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
UPLOAD = """第9回 テスト会議 議事要旨

【1.意見交換】
謎の協議会
○クラウド移行の進め方について伺いたい。
東京都デジタルサービス局
○回答します。
"""
HOSTILE = f"""第7回 テスト会議 議事要旨
日時: 令和6年4月1日(月) 10:00~11:00

【1.意見交換】
足立区
○{SCRIPT} クラウドについて伺いたい。
○{IMG} **bold** [link](javascript:alert(1)) ガバメントクラウド
"""

pytestmark = pytest.mark.browser

require_chromium()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("admin-browser") / "corpus.sqlite"
    with Corpus.open(path) as corpus:
        corpus.ingest_paths([SEED])
        corpus.ingest_bytes(HOSTILE.encode(), "hostile.txt")
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    with streamlit_server(db, db.parent / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    with chromium_page() as p:
        dialogs: list[str] = []
        p.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        p.dialogs = dialogs
        yield p


def _errors(page: Any) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


def choose(page: Any, label: str, option: str, typed: str = "") -> None:
    """Pick ``option`` in the selectbox whose label contains ``label`` (the dropdown is retried:
    it does not open while its expander is still animating)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).locator("input")
    box.wait_for(state="visible")
    for _ in range(5):
        box.evaluate("e => e.scrollIntoView({block: 'center'})")
        box.click()
        if typed:
            box.fill(typed)
        found = page.get_by_role("option").filter(has_text=option)
        try:
            found.first.wait_for(state="visible", timeout=3_000)
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            continue
        found.first.click()
        wait_idle(page)
        return
    raise AssertionError(f"option {option!r} of {label!r} never appeared")


def _documents(db: Path) -> list[tuple[str, str | None, bool]]:
    with Corpus.open(db) as corpus:
        docs = corpus.load_documents()
    return list(zip(docs["name"], docs["date"], docs["corrected"], strict=True))


def test_upload_preview_correct_map_save_and_delete(server: str, page: Any, db: Path) -> None:
    page.goto(f"{server}/data")
    wait_idle(page)
    assert page.get_by_role("heading", name="データ管理").count() == 1
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        {"name": "../../第9回議事要旨.txt", "mimeType": "text/plain", "buffer": UPLOAD.encode()}
    )
    page.wait_for_selector("text=所属を特定できない発言者", timeout=60_000)
    wait_idle(page)
    assert page.get_by_text("開催日が見つかりません", exact=False).count() == 1
    assert page.get_by_text("要確認: このまま保存すると", exact=False).count() == 1
    assert page.get_by_text("第9回議事要旨.txt", exact=False).count() >= 1
    full_screenshot(page, SHOTS / "data_admin_preview.png")

    main = page.locator('[data-testid="stMain"]')
    main.locator('[data-testid="stDateInput"]').first.get_by_role("spinbutton").first.click()
    page.keyboard.type("20240402")
    page.keyboard.press("Tab")
    wait_idle(page)
    choose(page, "謎の協議会", "足立区（特別区・13121）", typed="足立区")
    assert page.get_by_text("開催日が見つかりません", exact=False).count() == 0
    assert page.get_by_text("読み取り良好", exact=False).count() == 1
    assert page.locator('[data-testid="stMetricValue"]').filter(has_text="2024-04-02").count() == 1
    full_screenshot(page, SHOTS / "data_admin_corrected.png")
    assert _documents(db)[0][0] == "hostile.txt"

    page.get_by_role("button", name="この内容で保存").click()
    page.wait_for_selector("text=保存しました", timeout=60_000)
    wait_idle(page)
    assert _documents(db)[0] == ("第9回議事要旨.txt", "2024-04-02", True)
    with Corpus.open(db) as corpus:
        assert corpus.speaker_mappings()["謎の協議会"].name == "足立区"
    assert page.get_by_text("既に取り込まれています", exact=False).count() == 1
    assert page.locator('[data-testid="stDataFrame"]').count() >= 2
    full_screenshot(page, SHOTS / "data_admin_saved.png")

    page.get_by_text("議事録を削除する").click()
    choose(page, "削除する議事録", "第9回議事要旨.txt")
    full_screenshot(page, SHOTS / "data_admin_delete_target.png")
    delete = page.get_by_role("button", name="削除する", exact=True)
    assert delete.is_disabled()
    page.locator('[data-testid="stCheckbox"]').filter(has_text="元に戻せません").locator("label").click()
    wait_idle(page)
    full_screenshot(page, SHOTS / "data_admin_delete_confirm.png")
    delete.click()
    page.wait_for_selector("text=削除しました", timeout=60_000)
    wait_idle(page)
    assert [Path(name).name for name, _, _ in _documents(db)] == ["hostile.txt", SEED.name]
    assert _errors(page) == []
    full_screenshot(page, SHOTS / "data_admin_deleted.png")


def test_hostile_statement_text_is_shown_literally(server: str, page: Any) -> None:
    page.goto(f"{server}/statements?q=alert(1)")
    wait_idle(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection cell
    page.wait_for_selector("text=選択した発言", timeout=60_000)
    wait_idle(page)
    panel = page.locator('[data-testid="stHtml"]').first
    assert SCRIPT in panel.inner_text()
    assert page.get_by_text("「alert(1)」に一致", exact=False).count() == 1
    assert page.evaluate("() => [...document.scripts].some(s => s.textContent.includes('alert(1)'))") is False
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    full_screenshot(page, SHOTS / "data_admin_hostile_statements.png")
    assert page.dialogs == []
    assert _errors(page) == []
