"""The briefing pack and exported tables on the seed corpus (python-pptx / openpyxl read back),
and personal names withheld from every exported file."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from analysis import figures
from analysis.metrics import cooccurrence, network_layout, speaker_frequency
from analysis.names import PLACEHOLDER
from analysis.report import briefing
from analysis.report.briefing import (
    CONTENTS,
    TABLES,
    briefing_figures,
    build_briefing,
    chart_context,
    export_preview,
    export_tables,
    prepare,
)
from analysis.report.pptx import build_briefing_pptx
from analysis.report.tables import to_csv_bytes, to_xlsx_bytes
from analysis.store import Corpus
from analysis.withholding import corpus_names_of, load_presenters, withhold_statements, withhold_tokens
from tests.export_support import (
    SEED,
    archive_text,
    build_db,
    found_names,
    hostile_source,
    require_browser,
)

GENERATED = date(2025, 1, 20)
SEED_PRESENTERS = [
    "東京都デジタルサービス局区市町村DX支援担当部長 小澤 洋之",
    "東京都デジタルサービス局基盤整備部情報システム企画課長 高橋 直義",
    "東京都デジタルサービス局戦略部デジタル推進課長 星埜 航",
    "東京都デジタルサービス局戦略部戦略課長 久賀谷 郁夫",
    "デジタル庁参事官 渡邊 繁樹 氏",
]


class Frames:
    """A corpus loaded once: frames and the personal names of the whole corpus."""

    def __init__(self, db: Path) -> None:
        with Corpus.open(db) as corpus:
            self.meetings = corpus.load_meetings()
            self.statements = corpus.load_statements()
            self.tokens = corpus.load_tokens()
            self.presenters = load_presenters(corpus)
            self.names = corpus_names_of(corpus, self.statements)


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Frames:
    return Frames(build_db(tmp_path_factory.mktemp("briefing") / "corpus.sqlite", [SEED]))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Frames:
    directory = tmp_path_factory.mktemp("briefing_mixed")
    return Frames(build_db(directory / "corpus.sqlite", [SEED, hostile_source(directory)]))


@pytest.fixture(scope="module")
def seed_pack(seed: Frames) -> tuple[bytes, object]:
    require_browser()
    content = build_briefing(
        seed.meetings,
        seed.statements,
        seed.tokens,
        filters_text="絞り込みなし",
        withhold_names=False,
        generated=GENERATED,
    )
    return build_briefing_pptx(content), content


def _titles(prs) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in prs.slides]


def _squeeze(text: str) -> str:
    return " ".join(str(text).split())


# --- the pack on the seed ------------------------------------------------------------------------


def test_pack_has_every_slide_with_titles(seed_pack) -> None:
    data, content = seed_pack
    prs = Presentation(io.BytesIO(data))
    titles = _titles(prs)
    assert len(prs.slides) == 1 + 1 + 4 + 3 + 1
    assert titles[0] == "第4回東京都・区市町村CIOフォーラム 議事録の分析"
    assert titles[1] == "主要指標"
    assert titles[2].startswith("トピック別の発言数")
    assert titles[3].startswith("セクションごとのトピック別発言の割合")
    assert titles[4].startswith("区市町村別の発言数")
    assert titles[5].startswith("質問した組織 → 質問のトピック → 回答した組織")
    assert titles[6:9] == [f"トピック「{t.topic}」の代表的な発言" for t in content.topics]
    assert titles[6] == "トピック「クラウド」の代表的な発言"
    assert titles[9] == "出典（会議資料）"
    first = "\n".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert "2023-02-14" in first and "絞り込みなし" in first and "2025年1月20日" in first


def test_chart_slides_carry_pictures(seed_pack) -> None:
    data, _ = seed_pack
    prs = Presentation(io.BytesIO(data))
    for slide in list(prs.slides)[2:6]:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        image = pictures[0].image
        assert image.content_type == "image/png"
        assert image.size == (2400, 1060)
        assert len(image.blob) > 20_000


def test_kpis_and_quotes_match_the_corpus(seed_pack, seed: Frames) -> None:
    data, content = seed_pack
    assert content.kpis["発言数"] == str(len(seed.statements))
    assert content.kpis["区市町村数"] == "5"
    assert content.kpis["最多トピック"] == "クラウド"
    texts = [_squeeze(t) for t in seed.statements["text"]]
    prs = Presentation(io.BytesIO(data))
    quotes = [s.text_frame.text for slide in prs.slides for s in slide.shapes if s.name == "Quote"]
    assert 6 <= len(quotes) <= 9
    for quote in quotes:
        body = quote.strip("「」").rstrip("…")
        assert any(body in text for text in texts), body
    origins = [s.text_frame.text for slide in prs.slides for s in slide.shapes if s.name == "Quote source"]
    assert all("第4回 (2023-02-14)" in o for o in origins)
    speakers = set(seed.statements["speaker"])
    assert all(o.removeprefix("— ").split("／")[0] in speakers for o in origins)


def test_sources_slide_lists_every_document(seed_pack) -> None:
    data, _ = seed_pack
    prs = Presentation(io.BytesIO(data))
    sources = [s.text_frame.text for s in prs.slides[-1].shapes if s.name == "Sources"]
    assert sources == [
        "・第4回東京都・区市町村CIOフォーラム 議事要旨（2023-02-14）｜ファイル: cio-forum-04_2023-02-14.txt"
    ]


def test_pack_without_charts_needs_no_browser(seed: Frames) -> None:
    content = build_briefing(
        seed.meetings,
        seed.statements,
        seed.tokens,
        filters_text="組織: 足立区",
        withhold_names=False,
        generated=GENERATED,
        contents=("kpis", "topics"),
        topics=2,
    )
    prs = Presentation(io.BytesIO(build_briefing_pptx(content)))
    assert _titles(prs)[1:] == [
        "主要指標",
        "トピック「クラウド」の代表的な発言",
        f"トピック「{content.topics[1].topic}」の代表的な発言",
        "出典（会議資料）",
    ]
    assert content.charts == []


# --- slide charts ---------------------------------------------------------------------------------


def _font_sizes(layout: dict) -> list[float]:
    sizes: list[float] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "size" and key in ("font", "tickfont", "textfont") and isinstance(v, int | float):
                    sizes.append(float(v))
                walk(v, k)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)

    walk(layout)
    return sizes


def test_slide_charts_use_large_fonts_and_keep_title_and_source(seed: Frames) -> None:
    ctx = chart_context(seed.meetings, seed.statements, "絞り込みなし")
    charts = briefing_figures(seed.statements, ctx, CONTENTS)
    assert [c.key for c in charts] == ["topic_share", "topic_trend", "municipalities", "qa_flow"]
    for chart in charts:
        spec = json.loads(chart.figure.to_json())
        layout = spec["layout"]
        assert (layout["width"], layout["height"]) == (1200, 530)
        sizes = _font_sizes({k: v for k, v in layout.items() if k != "template"})
        assert sizes and min(sizes) >= 20, (chart.key, sizes)
        notes = [a["text"] for a in layout.get("annotations", [])]
        assert any(n.startswith("出典: 第4回東京都・区市町村CIOフォーラム") for n in notes)
        assert chart.title and figures.figure_title(chart.figure) == chart.title


def test_treemap_shortens_long_titles_and_keeps_them_on_hover(seed: Frames) -> None:
    ctx = figures.ChartContext("出典: テスト", "x", {})
    fig = figures.org_treemap(speaker_frequency(seed.statements, by="speaker"), ctx)
    trace = fig.data[0]
    full = "東京都デジタルサービス局基盤整備部情報システム企画課長"
    index = list(trace.hovertext).index(full)
    assert trace.labels[index].replace("<br>", "") == "情報システム企画課長"
    assert "<br>" in trace.labels[index], "wrapped, so a narrow box still shows its label"
    assert (
        figures.short_label("東京都デジタルサービス局区市町村 DX 支援担当部長") == "区市町村 DX 支援担当部長"
    )
    assert figures.short_label("宮坂副知事") == "宮坂副知事"
    assert json.loads(trace.ids[index])["speaker"] == full


def test_network_uses_the_width_and_labels_have_a_background(seed: Frames) -> None:
    nodes, edges = cooccurrence(seed.tokens)
    layout = network_layout(nodes, edges)
    width = layout["x"].max() - layout["x"].min()
    height = layout["y"].max() - layout["y"].min()
    assert width > 1.2 * height, "components are packed side by side into a wide area"
    fig = figures.network_figure(nodes, edges, layout, figures.ChartContext("出典: テスト", "x", {}))
    labels = [a for a in fig.layout.annotations if a.text != "出典: テスト"]
    assert sorted(a.text for a in labels) == sorted(nodes["term"])
    assert all(a.bgcolor for a in labels)
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.legend.orientation == "v", "a column on the right cannot run into the title"


# --- tables --------------------------------------------------------------------------------------


def test_export_tables_sheets_and_counts(seed: Frames) -> None:
    tables = export_tables(seed.statements, seed.tokens, withhold_names=False, kwic_terms=["クラウド"])
    assert list(tables) == list(TABLES.values())
    statements = tables["発言一覧"]
    assert list(statements.columns) == [
        "会議",
        "開催日",
        "セクション",
        "議題",
        "発言者",
        "所属",
        "種別",
        "トピック",
        "発言",
    ]
    assert len(statements) == len(seed.statements)
    assert statements["発言"].tolist() == seed.statements["text"].tolist()
    kwic = tables["KWIC"]
    assert set(kwic["検索語"]) == {"クラウド"} and (kwic["語"] == "クラウド").all()
    assert tables["トピック別発言数"]["トピック"].iloc[0] == "クラウド"
    book = load_workbook(io.BytesIO(to_xlsx_bytes(tables)))
    assert book.sheetnames == list(TABLES.values())
    assert book["発言一覧"].max_row == len(seed.statements) + 1


def test_preview_is_the_head_of_each_table(mixed: Frames) -> None:
    tables = export_tables(mixed.statements, mixed.tokens, withhold_names=False, kwic_terms=["クラウド"])
    for key, sheet in TABLES.items():
        preview = export_preview(
            mixed.statements, mixed.tokens, key, withhold_names=False, kwic_terms=["クラウド"], rows=5
        )
        pd.testing.assert_frame_equal(
            preview, tables[sheet].head(5).reset_index(drop=True), check_dtype=False
        )


def test_tables_without_words_leave_the_tokens_alone(seed: Frames, monkeypatch: pytest.MonkeyPatch) -> None:
    full = export_tables(seed.statements, seed.tokens, withhold_names=True)

    def refuse(tokens: pd.DataFrame, names: object) -> pd.DataFrame:
        assert tokens.empty, "tokens withheld for tables that do not use them"
        return tokens

    monkeypatch.setattr(briefing, "withhold_tokens", refuse)
    only = export_tables(seed.statements, seed.tokens, withhold_names=True, tables=("statements", "speakers"))
    assert list(only) == ["発言一覧", "発言者別発言数"]
    for sheet, frame in only.items():
        pd.testing.assert_frame_equal(frame, full[sheet])


# --- names withheld ------------------------------------------------------------------------------


def test_presenters_are_loaded_from_the_store(seed: Frames) -> None:
    assert seed.presenters == SEED_PRESENTERS
    assert {"宮坂", "小澤 洋之", "渡邊 繁樹", "星埜 航", "久賀谷 郁夫", "高橋 直義"} <= seed.names


def test_withholding_replaces_names_in_text_and_drops_name_tokens(mixed: Frames) -> None:
    statements = withhold_statements(mixed.statements, mixed.names)
    assert (
        found_names(
            "\n".join(statements[["speaker", "text", "norm_text"]].astype(str).sum(axis=1)), mixed.names
        )
        == []
    )
    assert "東京都CIO 副知事" in set(statements["speaker"])
    assert any("副知事として検討する" in t for t in statements["text"])
    assert any("課長に伺いたい" in t for t in statements["text"])
    assert not statements["text"].str.contains(PLACEHOLDER).all()
    tokens = withhold_tokens(mixed.tokens, mixed.names)
    assert found_names(" ".join(tokens["term"]) + " ".join(tokens["surface"]), mixed.names) == []
    assert len(tokens) < len(mixed.tokens)


def test_names_withheld_export_contains_no_personal_name(mixed: Frames) -> None:
    require_browser()
    assert {"宮坂 学", "宮坂", "久賀谷 郁夫", "小澤 洋之"} <= mixed.names
    content = build_briefing(
        mixed.meetings,
        mixed.statements,
        mixed.tokens,
        filters_text="絞り込みなし",
        withhold_names=True,
        generated=GENERATED,
        names=mixed.names,
    )
    pptx = build_briefing_pptx(content)
    tables = export_tables(mixed.statements, mixed.tokens, withhold_names=True, names=mixed.names)
    xlsx = to_xlsx_bytes(tables)
    csvs = [to_csv_bytes(frame).decode("utf-8-sig") for frame in tables.values()]
    assert found_names(archive_text(pptx), mixed.names) == []
    assert found_names(archive_text(xlsx), mixed.names) == []
    assert found_names("\n".join(csvs), mixed.names) == []
    ctx = chart_context(mixed.meetings, mixed.statements, "絞り込みなし")
    withheld, _ = prepare(mixed.statements, mixed.tokens, withhold_names=True, names=mixed.names)
    for chart in briefing_figures(withheld, ctx):
        assert (
            found_names(json.dumps(json.loads(chart.figure.to_json()), ensure_ascii=False), mixed.names) == []
        )
    assert "個人名は役職・組織名に置き換えています" in archive_text(pptx)


def test_withheld_preview_contains_no_personal_name(mixed: Frames) -> None:
    previews = [
        export_preview(mixed.statements, mixed.tokens, key, withhold_names=True, names=mixed.names, rows=100)
        for key in TABLES
    ]
    assert found_names("\n".join(p.to_csv() for p in previews), mixed.names) == []
    speakers = export_preview(mixed.statements, mixed.tokens, "statements", withhold_names=True)["発言者"]
    # 宮坂副知事 (seed) and (東京都CIO 副知事 宮坂 学) (hostile minutes) are one person since
    # analysis.speaker_identity, shown by the full form, withheld to its role.
    assert "東京都CIO 副知事" in set(speakers) and not any("宮坂" in s for s in speakers)


def test_without_withholding_the_names_are_there(mixed: Frames) -> None:
    tables = export_tables(mixed.statements, mixed.tokens, withhold_names=False)
    text = archive_text(to_xlsx_bytes(tables))
    assert {"宮坂", "宮坂 学"} <= set(found_names(text, mixed.names))


def test_default_names_come_from_the_statements(seed: Frames) -> None:
    statements, _ = prepare(seed.statements, seed.tokens, withhold_names=True)
    assert "宮坂副知事" not in set(statements["speaker"])
    assert "副知事" in set(statements["speaker"])
    assert isinstance(statements, pd.DataFrame)
