"""コーディングルール in a real browser: pick a topic, edit its rule, read the gain/loss preview,
see a parse error with its position, log in as admin, save, and see the topic counts change.

The server uses a temporary copy of the rules file ($GIJIROKU_TOPICS) and a temporary corpus;
the repository's data/dictionary/topics.yaml is never written. Screenshots at 1440 and 1280 px
go to artifacts/screenshots/rules_editor_*.png. Skipped without /usr/bin/chromium unless
REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from analysis.admin import PASSWORD_ENV
from analysis.store import Corpus
from analysis.topics import DEFAULT_RULES_PATH, RULES_ENV, load_rules
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
PASSWORD = "rules-editor-test"
GOVTECH = "GovTech東京・協働"
#: The rule before it was narrowed: gains two generic remarks on the seed, loses one 共同調達 remark.
BROAD = (
    'GovTech東京 or 協働 or 共同運営 or "東京都と区市町村" or "自治体と連携"\n'
    'or "自治体とも連携" or "区市町村と連携" or "一緒に進"'
)
BROKEN = "GovTech東京 or (協働"

pytestmark = pytest.mark.browser

require_chromium()


@pytest.fixture(scope="module")
def rules_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A temporary copy of the rules file, made the one in use (and the admin password set)."""
    path = tmp_path_factory.mktemp("rules-editor") / "dictionary" / "topics.yaml"
    path.parent.mkdir()
    shutil.copyfile(DEFAULT_RULES_PATH, path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(RULES_ENV, str(path))
        patch.setenv(PASSWORD_ENV, PASSWORD)
        yield path


@pytest.fixture(scope="module")
def db(rules_file: Path) -> Path:
    path = rules_file.parent.parent / "corpus.sqlite"
    with Corpus.open(path) as corpus:
        corpus.ingest_paths([SEED])
    return path


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    with streamlit_server(db, db.parent / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[Any]:
    with chromium_page() as p:
        yield p


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _topic_counts(db: Path) -> dict[str, int]:
    with Corpus.open(db) as corpus:
        statements = corpus.load_statements()
    counts: dict[str, int] = {}
    for labels in statements["topics"]:
        for topic in labels:
            counts[topic] = counts.get(topic, 0) + 1
    return counts


def _count_cell(page: Any, topic: str) -> str:
    """The 発言数 of ``topic`` in the table of topics and counts."""
    row = page.locator(".rl-counts tbody tr").filter(has=page.locator("th", has_text=topic))
    return row.locator("td.num").inner_text().strip()


def _shots(page: Any, name: str) -> None:
    for width in (1440, 1280):
        full_screenshot(page, SHOTS / f"rules_editor_{name}_{width}.png", width=width)


def _choose(page: Any, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).locator("input")
    for _ in range(5):
        box.click()
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


def _type_rule(page: Any, rule: str) -> None:
    area = page.locator('[data-testid="stTextArea"]').filter(has_text="ルール式").locator("textarea")
    area.fill(rule)
    area.press("Control+Enter")
    wait_idle(page)


def _main_text(page: Any) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_edit_preview_save_and_relabel(server: str, page: Any, db: Path, rules_file: Path) -> None:
    repo = _sha(DEFAULT_RULES_PATH)
    before = _topic_counts(db)
    assert before[GOVTECH] == 5

    page.goto(f"{server}/rules")
    wait_idle(page)
    assert page.get_by_role("heading", name="コーディングルール").count() == 1
    assert _count_cell(page, GOVTECH) == "5"
    save = page.get_by_role("button", name="保存してトピックを付け直す")
    assert save.is_disabled()
    assert page.get_by_text("管理者パスワードが必要です", exact=False).count() == 1
    _shots(page, "start")

    _choose(page, "編集するトピック", GOVTECH)
    _type_rule(page, BROAD)
    kpis = page.locator('[data-testid="kpi-row"]').inner_text()
    assert "5件" in kpis and "6件" in kpis and "+2件" in kpis and "−1件" in kpis, kpis
    assert page.get_by_role("tab", name="新たに当たる発言（2件）").count() == 1
    assert page.get_by_role("tab", name="当たらなくなる発言（1件）").count() == 1
    gained = page.locator(".st-key-rl_gained_box .rl-row").all_inner_texts()
    assert [row.split("｜")[1] for row in gained] == ["足立区", "国分寺市"], gained
    assert "今のトピック: デジタルデバイド" in gained[0] and "今のトピック: 未分類" in gained[1]
    marks = page.locator(".st-key-rl_gained_box mark").all_inner_texts()
    assert "自治体とも連携" in marks and "東京都と区市町村" in marks, marks
    _shots(page, "preview")
    page.get_by_role("tab", name="当たらなくなる発言（1件）").click()
    wait_idle(page)
    lost = page.locator(".st-key-rl_lost_box .rl-row").all_inner_texts()
    assert len(lost) == 1 and "町田市" in lost[0], lost
    assert page.locator(".st-key-rl_lost_box mark").all_inner_texts() == ["共同調達"]

    _type_rule(page, BROKEN)
    assert (
        page.get_by_text("ルール式を読めません（14文字目）: 閉じ括弧 ) がありません", exact=False).count()
        == 1
    )
    assert page.locator(".rule-error mark").inner_text() == "("
    assert save.is_disabled()
    _shots(page, "error")

    _type_rule(page, BROAD)
    page.get_by_label("管理者パスワード").fill(PASSWORD)
    page.get_by_role("button", name="認証").click()
    page.wait_for_selector("text=管理者として認証済みです", timeout=60_000)
    wait_idle(page)
    assert save.is_enabled()
    save.click()
    page.wait_for_selector("text=保存しました", timeout=60_000)
    wait_idle(page)

    assert next(r for r in load_rules(rules_file) if r.name == GOVTECH).rule == " ".join(BROAD.split())
    assert [p.name.startswith("topics-") for p in (rules_file.parent / "backups").glob("*.yaml")] == [True]
    after = _topic_counts(db)
    assert after[GOVTECH] == 6
    assert {t: n for t, n in after.items() if t not in (GOVTECH, "未分類")} == {
        t: n for t, n in before.items() if t not in (GOVTECH, "未分類")
    }
    assert _count_cell(page, GOVTECH) == "6"
    assert page.get_by_text("今のルールが当たる発言: 6件", exact=False).count() == 1
    assert page.get_by_text("変更がないため保存するものはありません", exact=False).count() == 1
    text = _main_text(page)
    assert "None" not in text and "nan" not in text
    assert page.locator('[data-testid="stException"]').count() == 0
    _shots(page, "saved")
    assert _sha(DEFAULT_RULES_PATH) == repo
