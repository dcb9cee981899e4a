"""The PPTX briefing pack, read back with python-pptx (no browser needed)."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches

from analysis.frames import STATEMENT_COLUMNS
from analysis.report.pptx import (
    FONT,
    BriefingContent,
    ChartSlide,
    Quote,
    TopicSlide,
    build_briefing_pptx,
    estimate_lines,
    fit_font_size,
    quote_origin,
    representative_quotes,
    truncate_text,
)

MEETING = "第4回 (2023-02-14)"


def tiny_png(width: int, height: int) -> bytes:
    """A valid grey RGB PNG of the given size, built with zlib and struct."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\xc0\xc0\xc0" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _content(**overrides) -> BriefingContent:
    quotes = [
        Quote(
            "クラウド化に関して国の方でガバメントクラウドを全国的に推進している。",
            MEETING,
            "2023-02-14",
            "荒川区",
        ),
        Quote(
            "都のクラウドについて、内部情報や文書管理を想定したクラウドシステムになるのか。",
            MEETING,
            "2023-02-14",
            "足立区",
        ),
    ]
    values = {
        "title": "第4回 東京都・区市町村CIOフォーラム 議事要旨の分析",
        "period": "第4回東京都・区市町村CIOフォーラム（2023-02-14）",
        "filters": "絞り込みなし",
        "generated": date(2025, 1, 20),
        "kpis": {"会議数": "1", "発言数": "52", "発言した組織": "9", "最多トピック": "クラウド"},
        "charts": [
            ChartSlide("トピック別の発言数", tiny_png(160, 90), "出典: 第4回 議事要旨／絞り込みなし"),
            ChartSlide("縦長の図", tiny_png(60, 120), "出典: 第4回 議事要旨"),
        ],
        "topics": [
            TopicSlide("クラウド", 13, 0.25, quotes),
            TopicSlide("標準化・共通化", 5, 0.1, quotes[:1]),
        ],
        "sources": ["第4回東京都・区市町村CIOフォーラム 議事要旨（2023-02-14） cio-forum-04_2023-02-14.txt"],
    }
    values.update(overrides)
    return BriefingContent(**values)


def _open(data: bytes):
    return Presentation(io.BytesIO(data))


def _slide_text(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def _titles(prs) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in prs.slides]


def test_slides_and_titles() -> None:
    prs = _open(build_briefing_pptx(_content()))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert _titles(prs) == [
        "第4回 東京都・区市町村CIOフォーラム 議事要旨の分析",
        "主要指標",
        "トピック別の発言数",
        "縦長の図",
        "トピック「クラウド」の代表的な発言",
        "トピック「標準化・共通化」の代表的な発言",
        "出典（会議資料）",
    ]
    first = _slide_text(prs.slides[0])
    assert "第4回東京都・区市町村CIOフォーラム（2023-02-14）" in first
    assert "絞り込みなし" in first
    assert "2025年1月20日" in first
    assert "7 / 7" in _slide_text(prs.slides[6])


def test_kpi_cards_show_every_value_and_label() -> None:
    prs = _open(build_briefing_pptx(_content()))
    values = [s.text_frame.text for s in prs.slides[1].shapes if s.name == "KPI value"]
    labels = [s.text_frame.text for s in prs.slides[1].shapes if s.name == "KPI label"]
    assert values == ["1", "52", "9", "クラウド"]
    assert labels == ["会議数", "発言数", "発言した組織", "最多トピック"]


def test_chart_slides_have_fitted_pictures_and_captions() -> None:
    prs = _open(build_briefing_pptx(_content()))
    for slide, (w, h), caption in (
        (prs.slides[2], (160, 90), "出典: 第4回 議事要旨／絞り込みなし"),
        (prs.slides[3], (60, 120), "出典: 第4回 議事要旨"),
    ):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        picture = pictures[0]
        assert picture.width / picture.height == pytest.approx(w / h, rel=0.01)
        assert picture.left >= Inches(0.5) and picture.top >= Inches(1.4)
        assert picture.left + picture.width <= Inches(12.84)
        assert picture.top + picture.height <= Inches(6.55)
        captions = [s.text_frame.text for s in slide.shapes if s.name == "Caption"]
        assert captions == [caption]


def test_topic_slides_quote_the_input() -> None:
    content = _content()
    prs = _open(build_briefing_pptx(content))
    for slide, topic in zip(list(prs.slides)[4:6], content.topics, strict=True):
        quotes = [s.text_frame.text for s in slide.shapes if s.name == "Quote"]
        origins = [s.text_frame.text for s in slide.shapes if s.name == "Quote source"]
        assert quotes == [f"「{q.text}」" for q in topic.quotes]
        assert origins == [f"— {q.speaker}／{q.meeting}" for q in topic.quotes]
    summary = [s.text_frame.text for s in prs.slides[4].shapes if s.name == "Topic summary"]
    assert summary == ["発言 13 件（全発言の 25.0%）"]


def test_long_quotes_are_truncated_with_ellipsis() -> None:
    long_text = "三層分離の見直しについて検討している。" * 20
    quotes = [Quote(long_text, MEETING, "2023-02-14", f"区{i}") for i in range(3)]
    prs = _open(build_briefing_pptx(_content(topics=[TopicSlide("長文", 3, 0.5, quotes)])))
    texts = [s.text_frame.text for s in prs.slides[4].shapes if s.name == "Quote"]
    assert len(texts) == 3
    for text in texts:
        assert text.endswith("…」")
        assert long_text.startswith(text[1:-2])
        assert len(text) <= 152


def test_sources_are_all_listed_over_several_slides() -> None:
    sources = [
        f"第{i}回東京都・区市町村CIOフォーラム 議事要旨（2023-02-14） minutes-{i:03d}.pdf"
        for i in range(1, 61)
    ]
    prs = _open(build_briefing_pptx(_content(sources=sources)))
    source_slides = [s for s in prs.slides if s.shapes.title.text_frame.text.startswith("出典")]
    assert len(source_slides) > 1
    titles = [s.shapes.title.text_frame.text for s in source_slides]
    assert titles[0] == f"出典（会議資料）1/{len(source_slides)}"
    listed = [
        p.text
        for slide in source_slides
        for shape in slide.shapes
        if shape.name == "Sources"
        for p in shape.text_frame.paragraphs
    ]
    assert listed == [f"・{s}" for s in sources]


def test_every_run_has_an_east_asian_font() -> None:
    prs = _open(build_briefing_pptx(_content()))
    runs = [
        run
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
    ]
    assert len(runs) > 20
    for run in runs:
        rpr = run._r.find(qn("a:rPr"))
        assert rpr is not None, run.text
        assert rpr.find(qn("a:ea")).get("typeface") == FONT, run.text
        assert rpr.find(qn("a:latin")).get("typeface") == FONT, run.text


def test_font_can_be_chosen() -> None:
    prs = _open(build_briefing_pptx(_content(), font="Meiryo"))
    run = prs.slides[0].shapes.title.text_frame.paragraphs[0].runs[0]
    assert run._r.find(qn("a:rPr")).find(qn("a:ea")).get("typeface") == "Meiryo"


def test_text_fits_its_boxes_with_extreme_content() -> None:
    content = _content(
        title="非常に長いタイトル" * 12,
        kpis={
            f"とても長い指標の名前その{i}（単位・注記つき）": "1,234,567件（前回比+12.5%）" for i in range(8)
        },
        charts=[ChartSlide("長い図のタイトル" * 10, tiny_png(32, 18), "出典: " + "第4回議事要旨、" * 40)],
        topics=[TopicSlide("クラウド", 1, 0.1, [Quote("発言" * 200, MEETING, "", "足立区")] * 3)],
        sources=[f"資料{i} " + "議事要旨" * 30 for i in range(30)],
    )
    prs = _open(build_briefing_pptx(content))
    checked = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text:
                continue
            frame = shape.text_frame
            assert frame.word_wrap is True
            assert frame._bodyPr.find(qn("a:normAutofit")) is not None
            size = frame.paragraphs[0].runs[0].font.size.pt
            width_in, height_in = Emu(shape.width).inches, Emu(shape.height).inches
            lines = estimate_lines(frame.text, size, width_in)
            assert lines * size * 1.25 <= (height_in - 0.16) * 72 + 1, (shape.name, frame.text[:20])
            checked += 1
    assert checked > 30


def test_truncate_text() -> None:
    assert truncate_text("短い発言。", 10) == "短い発言。"
    text = "最初の文ですよね。二番目の文はとても長くて途中で切れることになります。"
    assert truncate_text(text, 12) == "最初の文ですよね。…"
    assert truncate_text("はじめに、" + "あ" * 30, 12) == "はじめに、" + "あ" * 6 + "…"
    assert truncate_text("調査では、クラウド移行と標準化を進めている", 12) == "調査では、クラウド移行…"
    assert truncate_text("あ" * 30, 10) == "あ" * 9 + "…"
    assert truncate_text("改行\nを含む  発言", 20) == "改行 を含む 発言"


def test_fit_font_size_shrinks_for_longer_text() -> None:
    short = fit_font_size("短い", 4, 1, 28, 10)
    long = fit_font_size("長い文章" * 40, 4, 1, 28, 10)
    assert short == 28
    assert 10 <= long < short
    assert fit_font_size("長い文章" * 1000, 4, 1, 28, 10) == 10


def test_quote_origin_adds_date_only_when_missing() -> None:
    assert quote_origin(Quote("x", MEETING, "2023-02-14", "荒川区")) == f"荒川区／{MEETING}"
    assert quote_origin(Quote("x", "第4回", "2023-02-14", "荒川区")) == "荒川区／第4回（2023-02-14）"


def _statements(rows: list[tuple[str, str, tuple[str, ...]]]) -> pd.DataFrame:
    records = []
    for i, (org, text, topics) in enumerate(rows, start=1):
        record = dict.fromkeys(STATEMENT_COLUMNS)
        record.update(
            statement_id=i,
            meeting_id=1,
            meeting_label=MEETING,
            date="2023-02-14",
            turn_order=i,
            position=0,
            speaker=org,
            org_name=org,
            text=text,
            topics=topics,
        )
        records.append(record)
    return pd.DataFrame(records, columns=STATEMENT_COLUMNS)


MEDIUM = "ガバメントクラウドへの移行について、都としての支援の方向性を伺いたいと考えている。"


def test_representative_quotes_prefer_medium_length_and_different_orgs() -> None:
    df = _statements(
        [
            ("足立区", "短い。", ("クラウド",)),
            ("足立区", MEDIUM + "（足立1）", ("クラウド",)),
            ("足立区", MEDIUM + "（足立2）", ("クラウド",)),
            ("荒川区", MEDIUM * 6, ("クラウド",)),
            ("荒川区", MEDIUM + "（荒川）", ("クラウド", "標準化・共通化")),
            ("町田市", MEDIUM + "（町田）", ("人材",)),
            ("国分寺市", MEDIUM + "（国分寺）", ("クラウド",)),
        ]
    )
    quotes = representative_quotes(df, "クラウド", n=3)
    assert [q.speaker for q in quotes] == ["足立区", "国分寺市", "荒川区"]
    assert [q.text for q in quotes] == [MEDIUM + "（足立1）", MEDIUM + "（国分寺）", MEDIUM + "（荒川）"]
    assert all(q.meeting == MEETING and q.date == "2023-02-14" for q in quotes)
    assert representative_quotes(df, "クラウド", n=3) == quotes


def test_representative_quotes_fill_up_from_same_org_and_handle_missing() -> None:
    df = _statements(
        [
            ("足立区", MEDIUM + "1", ("クラウド",)),
            ("足立区", MEDIUM + "2", ("クラウド",)),
            ("足立区", "", ("クラウド",)),
        ]
    )
    quotes = representative_quotes(df, "クラウド", n=3)
    assert [q.text for q in quotes] == [MEDIUM + "1", MEDIUM + "2"]
    assert representative_quotes(df, "人材") == []
    assert representative_quotes(df.iloc[0:0], "クラウド") == []
