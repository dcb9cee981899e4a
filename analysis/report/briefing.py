"""The briefing pack and the exported tables, assembled from the (filtered) corpus frames.

:func:`build_briefing` turns meetings, statements and tokens into a
:class:`~analysis.report.pptx.BriefingContent`: KPIs, the charts (topic share, topic trend,
municipality frequency, Q&A flow) rendered to 16:9 PNGs with the slide style of
:mod:`analysis.figures` (one browser for all), the leading topics with quoted statements and
every source document. :func:`export_tables` gives the tables (statements, frequency tables,
KWIC) for CSV/XLSX. With ``withhold_names`` the personal names are withheld from statements and
tokens before anything is computed, so no chart, quote or cell can carry one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

import pandas as pd
import plotly.graph_objects as go

from analysis import figures
from analysis.frames import COLUMN_LABELS
from analysis.meeting_order import UNDATED
from analysis.metrics import (
    UNCLASSIFIED,
    keyword_frequency,
    kwic,
    qa_flow,
    speaker_frequency,
    summary_kpis,
    topic_share,
    topic_trend,
)
from analysis.model import MUNICIPAL_KINDS
from analysis.report.images import figures_to_png
from analysis.report.pptx import BriefingContent, ChartSlide, TopicSlide, representative_quotes
from analysis.selection import file_suffix, footnote, period_text, source_text
from analysis.withholding import corpus_names, withhold_statements, withhold_tokens

#: What a briefing pack can contain (key -> Japanese label); the sources slide is always there.
CONTENTS: dict[str, str] = {
    "kpis": "主要指標",
    "topic_share": "トピック別の発言数",
    "topic_trend": "トピックの推移",
    "municipalities": "区市町村別の発言数",
    "qa_flow": "質問 → 回答の流れ",
    "topics": "主なトピックの代表的な発言",
}
#: The CONTENTS keys that are charts (rendered with a browser).
#: Topics drawn on the trend slide: more lines than this cannot be told apart on a slide.
TREND_TOPICS = 6
CHART_CONTENTS: tuple[str, ...] = ("topic_share", "topic_trend", "municipalities", "qa_flow")
#: Slide images: the slide style's size (1200×530 CSS px, the chart area of a slide) at scale 2.
SLIDE_WIDTH = figures.SLIDE.width or 1200
SLIDE_HEIGHT = figures.SLIDE.height or 530
SLIDE_SCALE = 2
WITHHELD_NOTE = "個人名は役職・組織名に置き換えています"

#: Tables of :func:`export_tables` (key -> sheet name).
TABLES: dict[str, str] = {
    "statements": "発言一覧",
    "topics": "トピック別発言数",
    "organizations": "組織別発言数",
    "speakers": "発言者別発言数",
    "keywords": "頻出語",
    "kwic": "KWIC",
}

#: Rows of a table preview (:func:`export_preview`); the exported files carry every row.
PREVIEW_ROWS = 20

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class BriefingFigure:
    """A chart of the pack: what it shows (a :data:`CONTENTS` key) and the figure."""

    key: str
    figure: go.Figure

    @property
    def title(self) -> str:
        """The chart's title, shown as the slide headline."""
        return figures.figure_title(self.figure)


def prepare(
    statements: pd.DataFrame,
    tokens: pd.DataFrame,
    *,
    withhold_names: bool,
    names: Collection[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statements and tokens as exported: with ``withhold_names``, personal names withheld.

    ``names`` are the names of the whole corpus (``analysis.withholding.corpus_names``: speaker
    labels and agenda presenters); without them the speaker labels of ``statements`` are used.
    """
    if not withhold_names:
        return statements, tokens
    wanted = set(names) if names is not None else set(corpus_names(statements["speaker"], ()))
    return withhold_statements(statements, wanted), withhold_tokens(tokens, wanted)


def chart_context(
    meetings: pd.DataFrame, statements: pd.DataFrame, filters_text: str
) -> figures.ChartContext:
    """The slide-style chart context: footnote with sources and filters, topic colours."""
    return figures.ChartContext(
        footnote=footnote(meetings, filters_text, int(statements["statement_id"].nunique())),
        file_suffix=file_suffix(meetings),
        topic_colors=figures.topic_palette(),
        style=figures.SLIDE,
    )


def briefing_figures(
    statements: pd.DataFrame, ctx: figures.ChartContext, contents: Collection[str] = tuple(CONTENTS)
) -> list[BriefingFigure]:
    """The pack's charts for ``statements`` (skipping those with nothing to show)."""
    out: list[BriefingFigure] = []
    if statements.empty:
        return out
    total = int(statements["statement_id"].nunique())
    if "topic_share" in contents:
        fig = figures.topic_share_bar(topic_share(statements), ctx, total=total)
        out.append(BriefingFigure("topic_share", fig))
    if "topic_trend" in contents:
        unit_col, unit_label, units = figures.trend_unit(statements)
        share = topic_trend(units, by=unit_col, top=TREND_TOPICS)
        fig = figures.topic_trend_lines(share, ctx, unit_col, unit_label, top=TREND_TOPICS)
        out.append(BriefingFigure("topic_trend", fig))
    municipal = statements[statements["org_kind"].isin(MUNICIPAL_KINDS)]
    if "municipalities" in contents and not municipal.empty:
        freq = speaker_frequency(municipal, by="org_name")
        fig = figures.org_activity_bar(freq, ctx, top_n=15, subject="区市町村")
        out.append(BriefingFigure("municipalities", fig))
    flow = qa_flow(statements)
    if "qa_flow" in contents and not flow.empty:
        fig = figures.qa_sankey(flow, ctx)
        out.append(BriefingFigure("qa_flow", fig))
    return out


def kpi_texts(meetings: pd.DataFrame, statements: pd.DataFrame) -> dict[str, str]:
    """The KPI cards: summary_kpis as display strings, plus the leading topic."""
    kpis = summary_kpis(meetings, statements)
    period = period_text(meetings) if not meetings.empty else "—"
    shares = topic_share(statements) if not statements.empty else pd.DataFrame(columns=["topic"])
    leading = [t for t in shares["topic"] if t != UNCLASSIFIED]
    return {
        "会議数": f"{kpis['会議数']:,}",
        "期間": period,
        "発言数": f"{kpis['発言数']:,}",
        "発言ターン数": f"{kpis['発言ターン数']:,}",
        "発言者数": f"{kpis['発言者数']:,}",
        "区市町村数": f"{kpis['区市町村数']:,}",
        "最多トピック": leading[0] if leading else "—",
    }


def leading_topics(statements: pd.DataFrame, n: int = 3, quotes: int = 3) -> list[TopicSlide]:
    """The ``n`` most frequent topics (未分類 left out) with up to ``quotes`` statements each."""
    if statements.empty or n <= 0:
        return []
    total = int(statements["statement_id"].nunique())
    share = topic_share(statements)
    share = share[share["topic"] != UNCLASSIFIED].head(n)
    return [
        TopicSlide(
            topic=str(topic),
            statements=int(count),
            share=int(count) / total if total else 0.0,
            quotes=representative_quotes(statements, str(topic), quotes),
        )
        for topic, count in zip(share["topic"], share["statements"], strict=True)
    ]


def source_lines(meetings: pd.DataFrame) -> list[str]:
    """Every source document: title and kind, date, file name."""
    lines = []
    for row in meetings.itertuples(index=False):
        kind = f" {row.document_kind}" if isinstance(row.document_kind, str) and row.document_kind else ""
        when = row.date if isinstance(row.date, str) and row.date else UNDATED
        name = PurePath(str(row.source_path)).name
        lines.append(f"{row.title}{kind}（{when}）｜ファイル: {name}")
    return lines


def briefing_title(meetings: pd.DataFrame) -> str:
    """ "<meeting title or series> 議事録の分析"."""
    if len(meetings) == 1:
        return f"{meetings['title'].iloc[0]} 議事録の分析"
    series = meetings["series"].dropna().astype(str) if not meetings.empty else pd.Series(dtype=str)
    name = series.mode().iat[0] if len(series) else "会議"
    return f"{name} 議事録の分析"


def _period(meetings: pd.DataFrame) -> str:
    if len(meetings) <= 1:
        return source_text(meetings)
    labels = "、".join(str(v) for v in meetings["label"].head(8))
    more = f" ほか{len(meetings) - 8}回" if len(meetings) > 8 else ""
    return f"{len(meetings)}回の会議（{period_text(meetings)}）: {labels}{more}"


def build_briefing(
    meetings: pd.DataFrame,
    statements: pd.DataFrame,
    tokens: pd.DataFrame,
    *,
    filters_text: str,
    withhold_names: bool,
    generated: date,
    names: Collection[str] | None = None,
    contents: Collection[str] = tuple(CONTENTS),
    topics: int = 3,
    progress: Progress | None = None,
) -> BriefingContent:
    """The briefing content of the filtered frames; charts rendered to PNG (needs Chromium).

    Raises ``analysis.report.images.ExportUnavailable`` when charts are wanted and no browser
    is found. ``progress`` receives (fraction done, Japanese step description).
    """
    report = progress or (lambda _fraction, _text: None)
    report(0.05, "データを準備しています")
    statements, _ = prepare(statements, tokens, withhold_names=withhold_names, names=names)
    filters_line = f"{filters_text}／{WITHHELD_NOTE}" if withhold_names else filters_text
    ctx = chart_context(meetings, statements, filters_line)
    charts = briefing_figures(statements, ctx, contents)
    report(0.2, f"グラフを画像にしています（{len(charts)}枚）")
    pngs = figures_to_png(
        [c.figure for c in charts], width=SLIDE_WIDTH, height=SLIDE_HEIGHT, scale=SLIDE_SCALE
    )
    report(0.85, "スライドを組み立てています")
    return BriefingContent(
        title=briefing_title(meetings),
        period=_period(meetings),
        filters=filters_line,
        generated=generated,
        kpis=kpi_texts(meetings, statements) if "kpis" in contents else {},
        charts=[ChartSlide(c.title, png, "") for c, png in zip(charts, pngs, strict=True)],
        topics=leading_topics(statements, topics) if "topics" in contents else [],
        sources=source_lines(meetings),
    )


def _statement_table(statements: pd.DataFrame) -> pd.DataFrame:
    columns = [
        "meeting_label",
        "date",
        "section_title",
        "subsection_title",
        "speaker",
        "org_name",
        "org_kind",
    ]
    table = statements[[*columns, "topics", "text"]].copy()
    table["topics"] = table["topics"].map(lambda t: "、".join(t) if isinstance(t, tuple | list) else str(t))
    return table.rename(columns=COLUMN_LABELS).reset_index(drop=True)


def _kwic_table(statements: pd.DataFrame, terms: Sequence[str]) -> pd.DataFrame:
    frames = [kwic(statements, term, width=30).assign(term=term) for term in terms]
    lines = pd.concat(frames, ignore_index=True) if frames else kwic(statements, "")
    if "term" not in lines.columns:
        lines = lines.assign(term=pd.Series(dtype=object))
    columns = ["term", "meeting_label", "date", "speaker", "org_name", "left", "keyword", "right"]
    return lines[columns].rename(
        columns={
            **COLUMN_LABELS,
            "term": "検索語",
            "left": "前",
            "keyword": "語",
            "right": "後",
        }
    )


_FREQUENCY_LABELS = {
    "topic": "トピック",
    "statements": "発言数（件）",
    "chars": "文字数",
    "share": "発言の割合",
    "char_share": "文字数の割合",
    "region": "地域",
    "org_code": "団体コード",
    "turns": "発言ターン数（回）",
    "term": "語",
    "count": "出現回数（回）",
}


def export_tables(
    statements: pd.DataFrame,
    tokens: pd.DataFrame,
    *,
    withhold_names: bool,
    names: Collection[str] | None = None,
    kwic_terms: Iterable[str] | None = None,
    top_keywords: int = 50,
    tables: Collection[str] = tuple(TABLES),
) -> dict[str, pd.DataFrame]:
    """The tables of the filtered frames, keyed by sheet name (:data:`TABLES`), Japanese headers.

    KWIC lines are given for ``kwic_terms`` (default: the five most frequent keywords). Tokens
    are only withheld and counted when a requested table needs them.
    """
    need_tokens = "keywords" in tables or ("kwic" in tables and kwic_terms is None)
    statements, tokens = prepare(
        statements, tokens if need_tokens else tokens.iloc[:0], withhold_names=withhold_names, names=names
    )
    labels = {**COLUMN_LABELS, **_FREQUENCY_LABELS}
    keywords = keyword_frequency(tokens, top_n=top_keywords)
    out: dict[str, pd.DataFrame] = {}
    for key in TABLES:
        if key not in tables:
            continue
        if key == "statements":
            frame = _statement_table(statements)
        elif key == "topics":
            frame = topic_share(statements).rename(columns=labels)
        elif key == "organizations":
            frame = speaker_frequency(statements, by="org_name").rename(columns=labels)
        elif key == "speakers":
            frame = speaker_frequency(statements, by="speaker").rename(columns=labels)
        elif key == "keywords":
            frame = keywords.rename(columns={**labels, "statements": "出現発言数（件）"})
        else:
            terms = list(kwic_terms) if kwic_terms is not None else keywords["term"].head(5).tolist()
            frame = _kwic_table(statements, terms)
        out[TABLES[key]] = frame
    return out


def export_preview(
    statements: pd.DataFrame,
    tokens: pd.DataFrame,
    table: str,
    *,
    withhold_names: bool,
    names: Collection[str] | None = None,
    kwic_terms: Iterable[str] | None = None,
    rows: int = PREVIEW_ROWS,
) -> pd.DataFrame:
    """The first ``rows`` rows of the :func:`export_tables` table ``table`` (a :data:`TABLES` key).

    The statement list is built from the first statements only, so its preview costs the same
    whatever the size of the corpus.
    """
    if table == "statements":
        if withhold_names and names is None:
            names = corpus_names(statements["speaker"], ())
        statements = statements.head(rows)
    frame = export_tables(
        statements, tokens, withhold_names=withhold_names, names=names, kwic_terms=kwic_terms, tables=(table,)
    )[TABLES[table]]
    return frame.head(rows).reset_index(drop=True)
