"""Streamlit AppTest of every dashboard page: seed corpus, multi-meeting corpus, empty corpus, filters."""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from analysis import figures
from analysis.store import DEFAULT_DB, Corpus
from dashboard import drilldown, ui
from dashboard.data import resolve_db_path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
PAGES = ["overview", "statements", "topics", "speakers", "keywords", "network"]
SEED_MUNICIPALITIES = {"荒川区", "足立区", "国分寺市", "世田谷区", "町田市"}
TIMEOUT = 120


def _build(path: Path, sources: list[Path]) -> Path:
    with Corpus.open(path) as corpus:
        results = corpus.ingest_paths(sources)
    assert all(r.status != "error" for r in results), [r.message for r in results]
    return path


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("seed") / "corpus.sqlite", [SEED])


@pytest.fixture(scope="session")
def multi_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_ingest import build_corpus

    directory = tmp_path_factory.mktemp("multi")
    return _build(directory / "corpus.sqlite", build_corpus(directory, 3))


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "corpus.sqlite"
    Corpus.open(path).close()
    return path


@pytest.fixture(scope="session")
def seed_frames(seed_db: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    with Corpus.open(seed_db) as corpus:
        return corpus.load_meetings(), corpus.load_statements()


@pytest.fixture
def use_db(monkeypatch: pytest.MonkeyPatch) -> Iterator:
    def use(path: Path) -> None:
        monkeypatch.setenv("GIJIROKU_DB", str(path))

    yield use


def run_page(page: str, query_params: dict | None = None, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(query_params or {})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if state:
        for key, value in state.items():
            at.session_state[key] = value
    if page != "overview" or state:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


_KPI = re.compile(r'<div class="kpi-label">(.*?)</div><div class="kpi-value">(.*?)</div>')


def _metrics(at: AppTest) -> dict[str, str]:
    """The KPI cards (ui.kpi_row, one HTML block) and any st.metric, label -> value text."""
    found = {m.label: m.value for m in at.metric}
    for element in at.get("html"):
        for label, value in _KPI.findall(element.proto.body):
            found[html.unescape(label)] = html.unescape(re.sub(r"<[^>]+>", "", value))
    return found


def _texts(at: AppTest) -> str:
    parts = [e.value for e in [*at.markdown, *at.caption, *at.info, *at.warning, *at.title, *at.subheader]]
    return "\n".join(str(p) for p in parts)


def _shown(at: AppTest) -> int:
    """Statements in the filtered view, from the page header caption (対象: N発言)."""
    caption = next(c.value for c in at.caption if "対象:" in c.value)
    return int(caption.split("対象:")[1].split("発言")[0].replace(",", ""))


def _param(at: AppTest, name: str) -> list[str]:
    value = at.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def _plotly_count(at: AppTest) -> int:
    return len(at.get("plotly_chart"))


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


# --- seed corpus -------------------------------------------------------------------------------


def test_overview_kpis_match_the_seed(use_db, seed_db, seed_frames) -> None:
    use_db(seed_db)
    at = run_page("overview")
    _, statements = seed_frames
    metrics = _metrics(at)
    assert metrics["会議数"] == "1"
    assert metrics["期間"] == "2023-02-14"
    assert metrics["発言数"] == f"{statements['statement_id'].nunique():,}"
    assert metrics["発言者数"] == str(statements["speaker"].nunique())
    assert metrics["区市町村数"] == "5"
    municipal = set(statements.loc[statements["org_kind"].isin(["特別区", "市"]), "org_name"])
    assert municipal == SEED_MUNICIPALITIES
    assert _plotly_count(at) == 3
    meetings = at.dataframe[-1].value
    assert list(meetings.columns) == ["会議", "開催日", "時間", "場所", "発言ターン数", "発言数", "ファイル"]
    assert meetings["開催日"].tolist() == ["2023-02-14"]
    assert meetings["時間"].tolist() == ["13:00〜14:45"]
    assert meetings["ファイル"].iloc[0].endswith("cio-forum-04_2023-02-14.txt")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_charts_on_the_seed(use_db, seed_db, page: str) -> None:
    use_db(seed_db)
    at = run_page(page)
    if page != "statements":
        assert _plotly_count(at) >= 1
    for figure in _figures(at):
        layout = figure["layout"]
        assert layout["title"]["text"], "every chart has a title"
        notes = [a["text"] for a in layout.get("annotations", [])]
        assert any("出典:" in n and "2023-02-14" in n for n in notes), "footnote with the source meeting"
        assert layout["template"]["layout"]["font"]["family"].startswith('"Noto Sans CJK JP"')


def test_chart_config_exports_png_at_scale_2(use_db, seed_db) -> None:
    use_db(seed_db)
    at = run_page("overview")
    configs = [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]
    names = {c["toImageButtonOptions"]["filename"] for c in configs}
    assert "topic_share_2023-02-14" in names
    assert all(c["toImageButtonOptions"]["scale"] == 2 and c["displaylogo"] is False for c in configs)


def test_statement_table_lists_the_seed_statements(use_db, seed_db, seed_frames) -> None:
    use_db(seed_db)
    at = run_page("statements")
    _, statements = seed_frames
    table = at.dataframe[0].value
    assert list(table.columns) == ["会議", "開催日", "セクション", "発言者", "所属", "種別", "発言"]
    assert len(table) == len(statements)
    assert set(table["所属"]) >= SEED_MUNICIPALITIES
    assert any("TOYKO スマホサポーター" in t for t in table["発言"])


def test_search_keeps_matching_statements_with_snippets(use_db, seed_db) -> None:
    use_db(seed_db)
    at = run_page("statements")
    at.text_input(key="stmt_query").input("ガバメントクラウド").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert 0 < len(table) < 25
    assert all("ガバメントクラウド" in t for t in table["発言"])
    assert all("【" in s for s in table["一致箇所"])
    assert _param(at, "q") == ["ガバメントクラウド"]


def test_search_is_intersected_with_the_filters(use_db, seed_db) -> None:
    use_db(seed_db)
    at = run_page("statements", query_params={"org": "足立区", "q": "クラウド"})
    table = at.dataframe[0].value
    assert len(table) >= 1
    assert set(table["所属"]) == {"足立区"}


def test_search_without_match_says_so(use_db, seed_db) -> None:
    use_db(seed_db)
    at = run_page("statements", query_params={"q": "存在しない語句です"})
    assert "一致する発言はありません" in _texts(at)


def test_highlight_escapes_statement_text() -> None:
    pattern = charts_pattern("<b>")
    out = ui.highlight_html('注意<script>alert("x")</script><b>太字</b>', pattern)
    assert "<script>" not in out
    assert "&lt;script&gt;" in out
    assert out.count("<mark>") == 1 and "<mark>&lt;b&gt;</mark>" in out


def charts_pattern(term: str):
    from analysis.metrics.filters import term_pattern

    return term_pattern(term)


# --- filters -----------------------------------------------------------------------------------


FILTER_CASES = {
    "meeting": {"meeting": "1"},
    "dates": {"from": "2023-02-14", "to": "2023-02-14"},
    "section": {"section": "国からの情報共有"},
    "kind": {"kind": "市"},
    "org": {"org": "足立区"},
    "topic": {"topic": "__first_topic__"},
}


@pytest.mark.parametrize("case", list(FILTER_CASES))
@pytest.mark.parametrize("page", PAGES)
def test_pages_render_with_each_filter(use_db, seed_db, seed_frames, page: str, case: str) -> None:
    use_db(seed_db)
    meetings, statements = seed_frames
    params = dict(FILTER_CASES[case])
    if case == "meeting":
        params["meeting"] = str(int(meetings["meeting_id"].iloc[0]))
    if case == "topic":
        params["topic"] = statements["topics"].iloc[0][0]
    at = run_page(page, query_params=params)
    assert not at.exception
    shown = _shown(at)
    if case in ("meeting", "dates"):
        assert shown == len(statements)
    else:
        assert 0 < shown < len(statements)


def test_filters_are_restored_from_and_written_to_the_url(use_db, seed_db) -> None:
    use_db(seed_db)
    at = run_page("overview", query_params={"org": ["足立区", "存在しない区"], "kind": "特別区"})
    assert at.session_state["flt_orgs"] == ["足立区"]
    assert at.session_state["flt_kinds"] == ["特別区"]
    assert _param(at, "org") == ["足立区"]
    assert _metrics(at)["区市町村数"] == "1"
    assert "組織: 足立区" in _texts(at)


def test_widget_change_updates_url_and_reset_clears(use_db, seed_db) -> None:
    use_db(seed_db)
    at = run_page("overview")
    at.multiselect(key="flt_kinds").select("市").run()
    assert not at.exception
    assert _param(at, "kind") == ["市"]
    assert _metrics(at)["区市町村数"] == "2"
    at.switch_page("views/topics.py").run()
    assert at.session_state["flt_kinds"] == ["市"], "filters are shared across pages"
    assert "種別: 市" in _texts(at)
    at.button(key="flt_reset").click().run()
    assert not at.exception
    assert at.session_state["flt_kinds"] == []
    assert _param(at, "kind") == []
    assert "絞り込みなし" in _texts(at)


@pytest.mark.parametrize("page", PAGES)
def test_filter_matching_nothing_shows_a_message(use_db, seed_db, page: str) -> None:
    use_db(seed_db)
    at = run_page(page, query_params={"org": "足立区", "section": "国からの情報共有", "kind": "市"})
    assert "一致する発言はありません" in _texts(at)
    assert _plotly_count(at) == 0


# --- empty and multi-meeting corpora -----------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_empty_corpus_explains_how_to_add_minutes(use_db, empty_db, page: str) -> None:
    use_db(empty_db)
    at = run_page(page)
    text = _texts(at)
    assert "python -m analysis ingest FILE" in text
    assert "data/minutes" in text
    assert _plotly_count(at) == 0


def test_single_meeting_trends_switch_to_sections(use_db, seed_db) -> None:
    use_db(seed_db)
    at = run_page("topics")
    assert "セクションごと" in _texts(at)
    trend = _figures(at)[-1]
    xs = {x for trace in trend["data"] for x in trace.get("x", [])}
    assert {"都からの事業報告", "国からの情報共有"} <= xs


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_on_a_multi_meeting_corpus(use_db, multi_db, page: str) -> None:
    use_db(multi_db)
    at = run_page(page)
    if page == "overview":
        assert _metrics(at)["会議数"] == "3"
    if page == "topics":
        trend = _figures(at)[-1]
        xs = {x for trace in trend["data"] for x in trace.get("x", [])}
        assert len(xs) == 3 and all(x.startswith("第") for x in xs)


# --- pieces -----------------------------------------------------------------------------------


def test_db_path_precedence() -> None:
    assert resolve_db_path(["--db", "/x/a.sqlite"], {"GIJIROKU_DB": "/y/b.sqlite"}) == "/x/a.sqlite"
    assert resolve_db_path([], {"GIJIROKU_DB": "/y/b.sqlite"}) == "/y/b.sqlite"
    assert resolve_db_path(["-q", "--durations=5"], {}) == str(DEFAULT_DB)


def test_drilldown_reads_customdata_and_treemap_ids(seed_frames) -> None:
    _, statements = seed_frames
    event = {
        "selection": {
            "points": [
                {"customdata": figures.drill(org_name="足立区")},
                {"id": figures.drill(org_kind="市", org_name="町田市")},
                {"customdata": [figures.drill(org_name="足立区")]},
                {"x": 1},
            ]
        }
    }
    selections = drilldown.criteria_from_event(event)
    assert selections == [{"org_name": "足立区"}, {"org_kind": "市", "org_name": "町田市"}]
    rows = drilldown.selected_statements(statements, selections)
    expected = statements["org_name"].isin(["足立区", "町田市"]).sum()
    assert len(rows) == expected
    assert set(rows["org_name"]) == {"足立区", "町田市"}


def test_heatmap_cells_are_selectable_points() -> None:
    table = pd.DataFrame(
        [[2, 0], [1, 3]], index=pd.Index(["足立区", "町田市"], name="org_name"), columns=["クラウド", "人材"]
    )
    ctx = figures.ChartContext(footnote="出典: テスト", file_suffix="x", topic_colors={})
    fig = figures.heatmap(
        table, ctx, title="t", row_key="org_name", row_label="組織", col_label="トピック", value_label="件"
    )
    overlay = fig.data[1]
    assert isinstance(overlay, go.Scatter)
    assert json.loads(overlay.customdata[3]) == {"org_name": "町田市", "topic": "人材"}
