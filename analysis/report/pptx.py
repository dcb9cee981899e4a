"""The briefing pack: a 16:9 PPTX (python-pptx) with charts, KPIs, topics and their sources.

Slides, in order: title (title, period, filters, generation date), KPI cards, one slide per
chart (picture fitted to the content area keeping its aspect ratio, source caption as a
footnote), one slide per leading topic (2–3 representative statements quoted with meeting,
date and speaker) and the sources (every document; split over several slides when long).

Text fitting: each box's font size is picked from an estimate of the wrapped text height
(wide characters 1 em, narrow 0.55 em, 1.25 line height), word wrap is on, and the box is also
marked "shrink text on overflow" (``MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE``) for PowerPoint and
LibreOffice. Every run carries a Latin, East Asian (``a:ea``) and complex-script font, so
Japanese never falls back to a theme font; the ``a:ea`` element also carries the Japanese
charset and a sans-serif pitch family so that a viewer without the font substitutes a Japanese
gothic face (e.g. Meiryo on Windows). Personal names should be withheld (``analysis.names``)
before the content reaches this module.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Run
from pptx.util import Emu, Inches, Pt

#: Font of every run (Latin and East Asian). Pass ``font="Meiryo"`` for Windows-only audiences.
FONT = "Noto Sans CJK JP"
#: The Japanese gothic face viewers on Windows are steered to when ``FONT`` is missing.
FALLBACK_FONT = "Meiryo"

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)

_MARGIN = 0.55
_CONTENT_WIDTH = 13.333 - 2 * _MARGIN
_CONTENT_TOP = 1.45
_CONTENT_BOTTOM = 6.85
_PAD = 0.08

NAVY = RGBColor(0x1F, 0x3A, 0x5F)
ACCENT = RGBColor(0x0B, 0x7A, 0x75)
TEXT = RGBColor(0x26, 0x2B, 0x33)
MUTED = RGBColor(0x5F, 0x67, 0x73)
CARD = RGBColor(0xF1, 0xF4, 0xF8)

#: Height (inches) of the picture area of a chart slide without caption; width is _CONTENT_WIDTH.
CHART_BOX_HEIGHT = 5.4
#: Width : height of that area, the proportion chart images for slides are rendered at.
CHART_BOX_ASPECT = _CONTENT_WIDTH / CHART_BOX_HEIGHT

_TITLE_ONLY_LAYOUT = 5
_LINE_HEIGHT = 1.25
_ELLIPSIS = "…"


@dataclass(frozen=True)
class Quote:
    """One quoted statement with where it comes from."""

    text: str
    meeting: str
    date: str
    speaker: str


@dataclass
class TopicSlide:
    """A leading topic: its statement count, share of all statements (0–1) and quotes."""

    topic: str
    statements: int
    share: float
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class ChartSlide:
    """A chart image (PNG bytes) with its title and source caption.

    An empty caption (the source is inside the image) gives the picture the caption's room.
    """

    title: str
    png: bytes
    caption: str


@dataclass
class BriefingContent:
    """Everything a briefing pack shows; strings are displayed as given."""

    title: str
    period: str
    filters: str
    generated: date
    kpis: dict[str, str] = field(default_factory=dict)
    charts: list[ChartSlide] = field(default_factory=list)
    topics: list[TopicSlide] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _char_em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    return 0.55


def text_width_em(text: str) -> float:
    """Estimated width of ``text`` in em (wide characters 1, others 0.55)."""
    return sum(_char_em(ch) for ch in text)


def estimate_lines(text: str, size_pt: float, width_in: float) -> int:
    """Estimated number of wrapped lines of ``text`` at ``size_pt`` in a box ``width_in`` wide."""
    usable_pt = max((width_in - 2 * _PAD) * 72 * 0.94, size_pt)
    lines = 0
    for paragraph in text.split("\n"):
        lines += max(1, math.ceil(text_width_em(paragraph) * size_pt / usable_pt))
    return lines


def fit_font_size(text: str, width_in: float, height_in: float, max_pt: float, min_pt: float) -> float:
    """The largest size (whole points, ``min_pt``..``max_pt``) at which ``text`` fits the box."""
    usable_height = (height_in - 2 * _PAD) * 72
    size = float(max_pt)
    while size > min_pt:
        if estimate_lines(text, size, width_in) * size * _LINE_HEIGHT <= usable_height:
            return size
        size -= 1
    return float(min_pt)


def fit_one_line(text: str, width_in: float, max_pt: float, min_pt: float) -> float | None:
    """The largest size (whole points, ``min_pt``..``max_pt``) at which ``text`` stays on one
    line in a box ``width_in`` wide, or None when it needs more than one line even at ``min_pt``."""
    size = float(max_pt)
    while size >= min_pt:
        if estimate_lines(text, size, width_in) == 1:
            return size
        size -= 1
    return None


def truncate_text(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a sentence or clause end when one is
    near the limit, with … marking the cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    for marks in ("。！？", "、，"):
        cut = max(head.rfind(m) for m in marks)
        if cut >= limit * 0.6:
            return head[: cut + 1] + _ELLIPSIS
    return head.rstrip() + _ELLIPSIS


def set_run_font(
    run: _Run, size: float, *, bold: bool = False, color: RGBColor = TEXT, font: str = FONT
) -> None:
    """Size, weight, colour and the Latin/East Asian/complex-script typeface of one run."""
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    run.font.name = font
    rpr = run._r.get_or_add_rPr()
    previous = rpr.find(qn("a:latin"))
    for tag in ("a:ea", "a:cs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = rpr.makeelement(qn(tag), {})
            previous.addnext(element)
        element.set("typeface", font)
        previous = element
    east_asian = rpr.find(qn("a:ea"))
    east_asian.set("pitchFamily", "34")
    east_asian.set("charset", "-128")


def _frame_setup(text_frame: TextFrame, *, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP) -> None:
    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    text_frame.vertical_anchor = anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(text_frame, side, Inches(_PAD))


def _fill_frame(
    text_frame: TextFrame,
    lines: Sequence[str],
    size: float,
    *,
    bold: bool = False,
    color: RGBColor = TEXT,
    align: PP_ALIGN = PP_ALIGN.LEFT,
    font: str = FONT,
    space_after: float = 0,
) -> None:
    text_frame.clear()
    for i, line in enumerate(lines):
        paragraph = text_frame.paragraphs[0] if i == 0 else text_frame.add_paragraph()
        paragraph.alignment = align
        paragraph.line_spacing = _LINE_HEIGHT - 0.1
        if space_after:
            paragraph.space_after = Pt(space_after)
        run = paragraph.add_run()
        run.text = line
        set_run_font(run, size, bold=bold, color=color, font=font)


def _textbox(
    slide: Slide,
    box: tuple[float, float, float, float],
    text: str,
    *,
    max_pt: float,
    min_pt: float,
    bold: bool = False,
    color: RGBColor = TEXT,
    align: PP_ALIGN = PP_ALIGN.LEFT,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
    font: str = FONT,
    name: str | None = None,
    one_line_min: float | None = None,
) -> Shape:
    """A word-wrapped text box (inches) whose font size is fitted to ``text``.

    With ``one_line_min``, a size down to that value that keeps the text on one line is
    preferred to a larger size that would wrap it (titles, numbers).
    """
    left, top, width, height = box
    shape = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    if name:
        shape.name = name
    _frame_setup(shape.text_frame, anchor=anchor)
    single = fit_one_line(text, width, max_pt, one_line_min) if one_line_min else None
    size = single or fit_font_size(text, width, height, max_pt, min_pt)
    _fill_frame(shape.text_frame, text.split("\n"), size, bold=bold, color=color, align=align, font=font)
    return shape


def _rectangle(
    slide: Slide,
    box: tuple[float, float, float, float],
    color: RGBColor,
    shape_type: MSO_SHAPE = MSO_SHAPE.RECTANGLE,
) -> Shape:
    """A filled shape without outline or shadow (cards, accent bars)."""
    left, top, width, height = box
    shape = slide.shapes.add_shape(shape_type, Inches(left), Inches(top), Inches(width), Inches(height))
    shape.fill.solid()
    shape.fill.fore_color.rgb = color
    shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


class _Deck:
    """Slides under construction with the shared title, footer and font conventions."""

    def __init__(self, content: BriefingContent, font: str) -> None:
        self.content = content
        self.font = font
        self.prs = Presentation()
        self.prs.slide_width = SLIDE_WIDTH
        self.prs.slide_height = SLIDE_HEIGHT
        self.layout = self.prs.slide_layouts[_TITLE_ONLY_LAYOUT]

    def new_slide(
        self,
        title: str,
        *,
        title_box: tuple[float, float, float, float] | None = None,
        title_pt: float = 28,
        align: PP_ALIGN = PP_ALIGN.LEFT,
    ) -> Slide:
        slide = self.prs.slides.add_slide(self.layout)
        left, top, width, height = title_box or (_MARGIN, 0.35, _CONTENT_WIDTH, 0.9)
        shape = slide.shapes.title
        shape.left, shape.top = Inches(left), Inches(top)
        shape.width, shape.height = Inches(width), Inches(height)
        text = truncate_text(title, 90)
        _frame_setup(shape.text_frame, anchor=MSO_ANCHOR.MIDDLE)
        size = fit_one_line(text, width, title_pt, title_pt * 0.7) or fit_font_size(
            text, width, height, title_pt, 16
        )
        _fill_frame(shape.text_frame, [text], size, bold=True, color=NAVY, align=align, font=self.font)
        if title_box is None:
            _rectangle(slide, (_MARGIN, 1.25, _CONTENT_WIDTH, 0.04), ACCENT)
        return slide

    def text(self, slide: Slide, box: tuple[float, float, float, float], text: str, **kw: Any) -> Shape:
        return _textbox(slide, box, text, font=self.font, **kw)

    def add_footers(self) -> None:
        total = len(self.prs.slides)
        left_text = f"{self.content.title}｜{self.content.generated:%Y-%m-%d} 作成"
        for number, slide in enumerate(self.prs.slides, start=1):
            self.text(
                slide,
                (_MARGIN, 7.0, 10.5, 0.36),
                truncate_text(left_text, 80),
                max_pt=10,
                min_pt=8,
                color=MUTED,
                name="Footer",
            )
            self.text(
                slide,
                (13.333 - _MARGIN - 1.5, 7.0, 1.5, 0.36),
                f"{number} / {total}",
                max_pt=10,
                min_pt=8,
                color=MUTED,
                align=PP_ALIGN.RIGHT,
                name="Page",
            )

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()


def _title_slide(deck: _Deck) -> None:
    content = deck.content
    slide = deck.new_slide(
        content.title, title_box=(1.0, 1.9, 11.333, 1.6), title_pt=40, align=PP_ALIGN.CENTER
    )
    _rectangle(slide, (4.667, 3.65, 4.0, 0.05), ACCENT)
    lines = [
        f"対象: {content.period}" if content.period else "対象: （指定なし）",
        f"条件: {content.filters}" if content.filters else "条件: 絞り込みなし",
        f"作成日: {content.generated.year}年{content.generated.month}月{content.generated.day}日",
    ]
    deck.text(
        slide,
        (1.5, 3.95, 10.333, 2.2),
        "\n".join(lines),
        max_pt=20,
        min_pt=11,
        color=TEXT,
        align=PP_ALIGN.CENTER,
        name="Subtitle",
    )


def _kpi_slides(deck: _Deck) -> None:
    items = list(deck.content.kpis.items())
    per_slide = 8
    chunks = [items[i : i + per_slide] for i in range(0, len(items), per_slide)] or [[]]
    for index, chunk in enumerate(chunks, start=1):
        title = "主要指標" if len(chunks) == 1 else f"主要指標（{index}/{len(chunks)}）"
        slide = deck.new_slide(title)
        if not chunk:
            deck.text(
                slide,
                (_MARGIN, _CONTENT_TOP + 0.3, _CONTENT_WIDTH, 1.0),
                "（指標なし）",
                max_pt=18,
                min_pt=12,
                color=MUTED,
            )
            continue
        cols = min(4, len(chunk))
        rows = math.ceil(len(chunk) / cols)
        gap = 0.3
        card_w = (_CONTENT_WIDTH - gap * (cols - 1)) / cols
        card_h = min(2.4, (_CONTENT_BOTTOM - _CONTENT_TOP - 0.2 - gap * (rows - 1)) / rows)
        top0 = _CONTENT_TOP + 0.3
        for i, (label, value) in enumerate(chunk):
            left = _MARGIN + (i % cols) * (card_w + gap)
            top = top0 + (i // cols) * (card_h + gap)
            _rectangle(slide, (left, top, card_w, card_h), CARD, MSO_SHAPE.ROUNDED_RECTANGLE)
            _rectangle(slide, (left, top, 0.08, card_h), ACCENT)
            inner = (left + 0.2, top + 0.12, card_w - 0.3, card_h * 0.58)
            deck.text(
                slide,
                inner,
                truncate_text(str(value), 24),
                max_pt=40,
                min_pt=16,
                bold=True,
                color=NAVY,
                anchor=MSO_ANCHOR.MIDDLE,
                name="KPI value",
                one_line_min=20,
            )
            label_box = (left + 0.2, top + 0.12 + card_h * 0.58, card_w - 0.3, card_h * 0.36)
            deck.text(
                slide,
                label_box,
                truncate_text(str(label), 40),
                max_pt=16,
                min_pt=10,
                color=MUTED,
                name="KPI label",
            )


def _png_fit(native: tuple[int, int], box: tuple[float, float, float, float]) -> tuple[Emu, Emu, Emu, Emu]:
    """(left, top, width, height) in EMU of an image of ``native`` size centred in ``box``."""
    left, top, width, height = (Inches(v) for v in box)
    w, h = native
    scale = min(width / w, height / h)
    fitted_w, fitted_h = int(w * scale), int(h * scale)
    return (
        Emu(left + (width - fitted_w) // 2),
        Emu(top + (height - fitted_h) // 2),
        Emu(fitted_w),
        Emu(fitted_h),
    )


def _chart_slide(deck: _Deck, chart: ChartSlide) -> None:
    slide = deck.new_slide(chart.title)
    height = 5.0 if chart.caption else CHART_BOX_HEIGHT
    box = (_MARGIN, _CONTENT_TOP + 0.05, _CONTENT_WIDTH, height)
    picture = slide.shapes.add_picture(io.BytesIO(chart.png), Inches(box[0]), Inches(box[1]))
    picture.left, picture.top, picture.width, picture.height = _png_fit((picture.width, picture.height), box)
    picture.name = "Chart"
    picture._element.nvPicPr.cNvPr.set("descr", f"{chart.title}（{chart.caption}）" if chart.caption else chart.title)
    if not chart.caption:
        return
    caption = truncate_text(chart.caption, 200)
    deck.text(
        slide, (_MARGIN, 6.5, _CONTENT_WIDTH, 0.48), caption, max_pt=11, min_pt=8, color=MUTED, name="Caption"
    )


def _quote_limit(count: int) -> int:
    return {1: 320, 2: 220}.get(count, 150)


def _topic_slide(deck: _Deck, topic: TopicSlide) -> None:
    slide = deck.new_slide(f"トピック「{topic.topic}」の代表的な発言")
    summary = f"発言 {topic.statements:,} 件（全発言の {topic.share:.1%}）"
    deck.text(
        slide,
        (_MARGIN, _CONTENT_TOP, _CONTENT_WIDTH, 0.5),
        summary,
        max_pt=16,
        min_pt=12,
        bold=True,
        color=ACCENT,
        name="Topic summary",
    )
    quotes = topic.quotes[:3]
    if not quotes:
        deck.text(
            slide,
            (_MARGIN, _CONTENT_TOP + 0.7, _CONTENT_WIDTH, 0.8),
            "（引用できる発言がありません）",
            max_pt=16,
            min_pt=12,
            color=MUTED,
        )
        return
    limit = _quote_limit(len(quotes))
    bodies = [f"「{truncate_text(q.text, limit)}」" for q in quotes]
    width = _CONTENT_WIDTH - 0.2
    top = _CONTENT_TOP + 0.7
    source_h, gap = 0.38, 0.28
    available = _CONTENT_BOTTOM - top - len(quotes) * source_h - gap * (len(quotes) - 1)
    size = 18.0
    while size > 11 and sum(_text_height(b, size, width) for b in bodies) > available:
        size -= 1
    for quote, body in zip(quotes, bodies, strict=True):
        text_h = _text_height(body, size, width)
        _rectangle(slide, (_MARGIN, top + 0.04, 0.07, text_h + source_h - 0.08), ACCENT)
        deck.text(
            slide,
            (_MARGIN + 0.2, top, width, text_h),
            body,
            max_pt=size,
            min_pt=size,
            color=TEXT,
            name="Quote",
        )
        deck.text(
            slide,
            (_MARGIN + 0.2, top + text_h, width, source_h),
            truncate_text(f"— {quote_origin(quote)}", 120),
            max_pt=12,
            min_pt=9,
            color=MUTED,
            name="Quote source",
        )
        top += text_h + source_h + gap


def quote_origin(quote: Quote) -> str:
    """Who said it where: "荒川区／第4回 (2023-02-14)", the date added when the label lacks it."""
    origin = "／".join(p for p in (quote.speaker, quote.meeting) if p)
    if quote.date and quote.date not in quote.meeting:
        origin += f"（{quote.date}）"
    return origin


def _text_height(text: str, size: float, width_in: float) -> float:
    """Estimated height in inches of ``text`` wrapped at ``size`` in a box ``width_in`` wide."""
    return estimate_lines(text, size, width_in) * size * _LINE_HEIGHT / 72 + 2 * _PAD + 0.06


def _source_chunks(sources: Sequence[str], size: float, width: float, height: float) -> list[list[str]]:
    """``sources`` split into slide-sized groups by estimated wrapped height."""
    capacity = (height - 2 * _PAD) * 72 / (size * _LINE_HEIGHT)
    chunks: list[list[str]] = [[]]
    used = 0.0
    for source in sources:
        lines = estimate_lines(f"・{source}", size, width) + 0.3
        if chunks[-1] and used + lines > capacity:
            chunks.append([])
            used = 0.0
        chunks[-1].append(source)
        used += lines
    return chunks


def _source_slides(deck: _Deck) -> None:
    size = 14.0
    box = (_MARGIN, _CONTENT_TOP + 0.1, _CONTENT_WIDTH, _CONTENT_BOTTOM - _CONTENT_TOP - 0.1)
    sources = [truncate_text(s, 300) for s in deck.content.sources]
    chunks = _source_chunks(sources, size, box[2], box[3]) if sources else [[]]
    for index, chunk in enumerate(chunks, start=1):
        title = "出典（会議資料）" if len(chunks) == 1 else f"出典（会議資料）{index}/{len(chunks)}"
        slide = deck.new_slide(title)
        shape = slide.shapes.add_textbox(*(Inches(v) for v in box))
        shape.name = "Sources"
        _frame_setup(shape.text_frame)
        lines = [f"・{s}" for s in chunk] or ["（出典なし）"]
        fitted = fit_font_size("\n".join(lines), box[2], box[3], size, 10)
        _fill_frame(shape.text_frame, lines, fitted, color=TEXT, font=deck.font, space_after=fitted * 0.3)


def build_briefing_pptx(content: BriefingContent, *, font: str = FONT) -> bytes:
    """The briefing pack as PPTX bytes (16:9): title, KPIs, charts, topics, sources."""
    deck = _Deck(content, font)
    _title_slide(deck)
    _kpi_slides(deck)
    for chart in content.charts:
        _chart_slide(deck, chart)
    for topic in content.topics:
        _topic_slide(deck, topic)
    _source_slides(deck)
    deck.add_footers()
    return deck.save()


def _text(value: object) -> str:
    """``value`` as display text; missing values (None, NaN) become ""."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    return str(value)


def _has_topic(value: object, topic: str) -> bool:
    if isinstance(value, str):
        return topic in (value, *value.split("、"))
    if isinstance(value, Iterable):
        return topic in value
    return False


def representative_quotes(
    statements: pd.DataFrame,
    topic: str,
    n: int = 3,
    *,
    min_chars: int = 40,
    max_chars: int = 160,
) -> list[Quote]:
    """Up to ``n`` statements of ``topic`` to quote, deterministic.

    Preference: length within ``min_chars``..``max_chars`` (else the closer to that band),
    then statements coded with fewer topics (more on-topic), then earlier meetings and turns;
    the picks come from different organizations first, then fill up from any organization.
    ``statements`` has the STATEMENT_COLUMNS (speaker, org_name, meeting_label, date, text,
    topics, …).
    """
    if statements.empty or n <= 0:
        return []
    rows = statements[statements["topics"].map(lambda v: _has_topic(v, topic))]
    candidates = []
    for row in rows.itertuples(index=False):
        text = " ".join(str(row.text).split())
        length = len(text)
        if not length:
            continue
        distance = max(min_chars - length, length - max_chars, 0)
        topics = row.topics if isinstance(row.topics, (tuple, list)) else (row.topics,)
        key = (
            distance,
            len(topics),
            _text(row.date),
            str(row.meeting_label),
            int(row.turn_order),
            int(row.position),
            int(row.statement_id),
        )
        candidates.append((key, row, text))
    candidates.sort(key=lambda c: c[0])
    picked: list = []
    orgs: set[str] = set()
    for candidate in candidates:
        org = str(candidate[1].org_name)
        if org not in orgs and len(picked) < n:
            picked.append(candidate)
            orgs.add(org)
    chosen = {c[0] for c in picked}
    picked += [c for c in candidates if c[0] not in chosen][: n - len(picked)]
    picked.sort(key=lambda c: c[0])
    return [
        Quote(text=text, meeting=str(row.meeting_label), date=_text(row.date), speaker=str(row.speaker))
        for _, row, text in picked
    ]
