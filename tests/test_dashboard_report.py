"""AppTest of the レポート page, the 個人名を伏せる toggle and presentation mode's chart style."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.report import tables as report_tables
from analysis.report.briefing import PREVIEW_ROWS
from analysis.store import Corpus
from tests.export_support import ROOT, found_names, mixed_db, names_of, require_browser

APP = ROOT / "dashboard" / "app.py"
TIMEOUT = 180


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mixed_db(tmp_path_factory.mktemp("report_page"))


@pytest.fixture(scope="module")
def names(db: Path) -> frozenset[str]:
    return names_of(db)


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report_empty") / "corpus.sqlite"
    Corpus.open(path).close()
    return path


def run(db: Path, page: str, monkeypatch: pytest.MonkeyPatch, params: dict | None = None) -> AppTest:
    monkeypatch.setenv("GIJIROKU_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(params or {})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _downloads(at: AppTest) -> dict[str, str]:
    return {d.key: d.label for d in at.get("download_button")}


def _figure_text(at: AppTest) -> str:
    return "\n".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart"))


def _refuse(*_args: object, **_kwargs: object) -> bytes:
    raise AssertionError("a file was built while the page rendered")


def test_report_page_offers_tables_and_a_build_button(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_tables, "to_xlsx_bytes", _refuse)
    monkeypatch.setattr(report_tables, "to_csv_bytes", _refuse)
    at = run(db, "report", monkeypatch)
    assert [t.value for t in at.title] == ["レポート"]
    assert at.button(key="rp_build").label == "説明資料を作成"
    downloads = _downloads(at)
    assert "rp_xlsx_dl" in downloads and downloads["rp_csv_dl"] == "CSV（発言一覧）をダウンロード"
    assert "rp_pptx_dl" not in downloads
    preview = at.dataframe[-1].value
    assert len(preview) == PREVIEW_ROWS < 28, "the preview is the head of the 28 statements"
    at.selectbox(key="rp_csv_table").select("kwic").run()
    assert not at.exception, [e.value for e in at.exception]
    assert _downloads(at)["rp_csv_dl"] == "CSV（KWIC）をダウンロード"
    assert list(at.dataframe[-1].value.columns)[:2] == ["検索語", "会議"]


def test_report_page_builds_the_pptx(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_browser()
    at = run(db, "report", monkeypatch, {"org": "足立区"})
    at.button(key="rp_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    assert _downloads(at)["rp_pptx_dl"] == "説明資料（PPTX）をダウンロード"
    request, pptx, _ = at.session_state["rp_pptx"]
    assert pptx[:2] == b"PK"
    at.multiselect(key="flt_orgs").select("町田市").run()
    assert "rp_pptx_dl" not in _downloads(at), "a pack built for other filters is not offered"


def test_report_page_on_an_empty_corpus(empty_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(empty_db, "report", monkeypatch)
    assert any("python -m analysis ingest FILE" in i.value for i in at.info)
    assert not _downloads(at)


def test_withhold_toggle_goes_to_the_url_and_hides_names(
    db: Path, names: frozenset[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run(db, "speakers", monkeypatch)
    assert {"宮坂"} <= set(found_names(_figure_text(at), names))
    at.toggle(key="flt_withhold").set_value(True).run()
    assert not at.exception
    assert at.query_params.get("withhold") in ("1", ["1"])
    assert found_names(_figure_text(at), names) == []
    at.switch_page("views/statements.py").run()
    table = at.dataframe[0].value
    assert found_names("\n".join(table["発言者"]) + "\n".join(table["発言"]), names) == []
    # 宮坂副知事 and 「東京都CIO 副知事 宮坂 学」 are one speaker (analysis.speaker_identity),
    # shown by its fullest label, withheld to its title.
    assert "東京都CIO 副知事" in set(table["発言者"])
    at.switch_page("views/report.py").run()
    assert at.checkbox(key="rp_withhold_on").value is True
    preview = at.dataframe[-1].value
    assert found_names(preview.to_csv(), names) == []


@pytest.mark.parametrize(
    "page", ["overview", "statements", "topics", "speakers", "keywords", "network", "report"]
)
def test_every_page_without_names_from_the_url(
    db: Path, names: frozenset[str], monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    at = run(db, page, monkeypatch, {"withhold": "1"})
    shown = [_figure_text(at)]
    shown += [d.value.to_csv() for d in at.dataframe]
    shown += [str(e.value) for e in [*at.markdown, *at.caption, *at.subheader]]
    assert found_names("\n".join(shown), names) == []


def test_presentation_mode_uses_the_16_9_style(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run(db, "topics", monkeypatch, {"mode": "present"})
    layouts = [json.loads(c.proto.spec)["layout"] for c in at.get("plotly_chart")]
    assert layouts and all(layout["height"] == 720 for layout in layouts)
    assert all(layout["font"]["size"] == 17 for layout in layouts)
    assert any("stSidebar" in str(h.proto.body) for h in at.get("html"))
