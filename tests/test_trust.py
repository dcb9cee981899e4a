"""What a screen claims must hold for every corpus, not only the seed: undated meetings in their
place and named, charts that don't mislead (zeros plotted, whole-number ticks, a legend that
leaves the plot its room), heatmap cells that take a click, and chart selections as filters."""

from __future__ import annotations

import json

import pandas as pd

from analysis import figures
from analysis.meeting_order import MeetingKey, meeting_sequence
from analysis.metrics import matching_any, topic_share, topic_trend
from analysis.selection import (
    FilterSpec,
    describe,
    file_suffix,
    focus_from_criteria,
    period_text,
    select,
    source_text,
)
from analysis.store import Corpus
from analysis.store.loaders import meeting_label
from tests.frames_factory import combine, meeting_statements, meetings_for, tokens_frame

CTX = figures.ChartContext(footnote="出典: テスト", file_suffix="x", topic_colors={})


def _keys(*rows: tuple[int, str | None, str | None, int | None]) -> list[MeetingKey]:
    return [MeetingKey(*row) for row in rows]


def test_an_undated_meeting_sits_between_its_neighbours_in_the_series() -> None:
    order = meeting_sequence(
        _keys(
            (1, "2021-05-21", "フォーラム", 1),
            (2, None, "フォーラム", 2),
            (3, "2023-02-14", "フォーラム", 4),
            (4, "2022-06-01", "別の会", 1),
            (5, None, None, None),
        )
    )
    assert sorted(order, key=order.get) == [1, 2, 4, 3, 5]


def test_an_undated_first_meeting_goes_before_the_next_number() -> None:
    order = meeting_sequence(
        _keys((1, None, "協議会", 1), (2, "2024-06-25", "協議会", 3), (3, "2024-01-01", "他", 1))
    )
    assert sorted(order, key=order.get) == [3, 1, 2]


def test_labels_say_undated_instead_of_nothing() -> None:
    assert meeting_label(4, None, "第4回協議会") == "第4回 (日付なし)"
    assert meeting_label(None, None, "意見交換会") == "意見交換会 (日付なし)"
    assert meeting_label(4, "2024-10-08", "x") == "第4回 (2024-10-08)"


UNDATED = """第2回 テストフォーラム 議事要旨

【1．意見交換】
足立区
○クラウドの移行について伺いたい。
"""
DATED = """第{n}回 テストフォーラム 議事要旨
日時：令和{y}年5月1日（水）10時から11時まで

【1．意見交換】
町田市
○標準化の進め方を共有したい。
"""


def test_loaded_frames_keep_the_undated_meeting_in_series_order(tmp_path) -> None:
    with Corpus.open(tmp_path / "c.sqlite") as corpus:
        corpus.ingest_bytes(DATED.format(n=3, y=6).encode(), "third.txt")
        corpus.ingest_bytes(UNDATED.encode(), "second.txt", accept_non_minutes=True)
        corpus.ingest_bytes(DATED.format(n=1, y=4).encode(), "first.txt")
        meetings = corpus.load_meetings()
        statements = corpus.load_statements()
    assert meetings["label"].tolist() == ["第1回 (2022-05-01)", "第2回 (日付なし)", "第3回 (2024-05-01)"]
    assert list(dict.fromkeys(statements["meeting_label"])) == meetings["label"].tolist()
    trend = topic_trend(statements, by="meeting_label")
    assert list(dict.fromkeys(trend["meeting_label"])) == meetings["label"].tolist()


def _corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    first = meeting_statements(
        1,
        "第1回 (2023-02-14)",
        "2023-02-14",
        [("意見交換", "足立区", "足立区", "question", None, [("クラウド", ["クラウド"])])],
    )
    second = meeting_statements(
        2,
        "第2回 (日付なし)",
        None,
        [("意見交換", "町田市", "町田市", "question", None, [("人材", ["デジタル人材"])])],
        first_statement_id=10,
        first_turn_id=10,
    )
    third = meeting_statements(
        3,
        "第3回 (2024-10-08)",
        "2024-10-08",
        [
            (
                "意見交換",
                "足立区",
                "足立区",
                "question",
                None,
                [("クラウドと人材", ["クラウド", "デジタル人材"])],
            )
        ],
        first_statement_id=20,
        first_turn_id=20,
    )
    # meeting_seq as the store gives it (analysis.meeting_order): the undated 第2回 in second place.
    statements = combine(first, second, third).assign(meeting_seq=lambda f: f["meeting_id"] - 1)
    return meetings_for(statements), statements


def test_a_date_range_counts_and_names_the_undated_meetings_it_leaves_out() -> None:
    meetings, statements = _corpus()
    tokens = tokens_frame({1: ["クラウド"], 10: ["人材"], 20: ["クラウド"]})
    spec = FilterSpec(date_from="2023-01-01", date_to="2024-12-31")
    chosen = select(meetings, statements, tokens, spec)
    assert chosen.undated_excluded == 1
    assert set(chosen.meetings["meeting_id"]) == {1, 3}
    assert "日付のない会議 1 件は含まれていません" in describe(spec, {}, chosen.undated_excluded)
    assert select(meetings, statements, tokens, FilterSpec()).undated_excluded == 0
    only_adachi = select(meetings, statements, tokens, FilterSpec(date_from="2023-01-01", orgs=("足立区",)))
    assert only_adachi.undated_excluded == 0, "the undated meeting has no 足立区 statement to lose"


def test_period_footnote_and_file_name_name_the_undated_meetings() -> None:
    meetings, _ = _corpus()
    assert period_text(meetings) == "2023-02-14〜2024-10-08・日付なし1件"
    assert "日付なし1件" in source_text(meetings)
    assert file_suffix(meetings) == "2023-02-14_2024-10-08_and_undated"
    undated = meetings[meetings["date"].isna()]
    assert period_text(undated) == "日付なし"
    assert file_suffix(undated) == "undated"
    assert "（日付なし）" in source_text(undated)


def test_topic_trend_plots_zero_where_a_topic_was_not_raised() -> None:
    _, statements = _corpus()
    trend = topic_trend(statements, by="meeting_label")
    shares = topic_share(statements, by="meeting_label")
    assert len(trend) == statements["meeting_label"].nunique() * trend["topic"].nunique() > len(shares)
    cloud = trend[trend["topic"] == "クラウド"].set_index("meeting_label")["statements"]
    assert cloud.to_dict() == {"第1回 (2023-02-14)": 1, "第2回 (日付なし)": 0, "第3回 (2024-10-08)": 1}
    fig = figures.topic_trend_lines(trend, CTX, "meeting_label", "会議")
    line = next(t for t in fig.data if t.name == "クラウド")
    assert list(line.y) == [100.0, 0.0, 100.0], "the line drops to zero instead of bridging the gap"


def test_count_axes_tick_whole_numbers() -> None:
    share = pd.DataFrame({"topic": ["クラウド", "人材"], "statements": [2, 1], "share": [0.6, 0.3]})
    fig = figures.topic_share_bar(share, CTX, total=3)
    assert fig.layout.xaxis.dtick == 1 and fig.layout.xaxis.tickformat == ",d"
    many = pd.DataFrame({"topic": ["a", "b"], "statements": [40, 3], "share": [0.9, 0.1]})
    assert figures.topic_share_bar(many, CTX, total=43).layout.xaxis.dtick is None


def test_heatmap_cells_take_hover_so_that_a_click_reaches_them() -> None:
    table = pd.DataFrame([[2, 0], [1, 3]], index=["足立区", "町田市"], columns=["クラウド", "人材"])
    residuals = pd.DataFrame([[2.5, -0.1], [0.0, -2.4]], index=table.index, columns=table.columns)
    fig = figures.heatmap(
        table,
        CTX,
        title="t",
        row_key="org_name",
        row_label="組織",
        col_label="トピック",
        value_label="件",
        residuals=residuals,
    )
    heat, points = fig.data
    assert heat.hoverinfo == "skip"
    assert points.hoverinfo != "skip", "plotly fires no click on a trace that skips hover"
    assert "全体の傾向より多い" in points.hovertext[0] and "全体の傾向より少ない" in points.hovertext[3]
    assert json.loads(points.customdata[3]) == {"org_name": "町田市", "topic": "人材"}
    assert fig.data[0].colorbar.dtick == 1


def test_a_slide_trend_with_many_topics_keeps_its_legend_beside_the_plot() -> None:
    topics = [f"トピック{i}" for i in range(9)]
    share = pd.DataFrame(
        [{"meeting_label": m, "topic": t, "share": 0.1} for m in ("第1回", "第2回") for t in topics]
    )
    slide = figures.ChartContext(footnote="出典", file_suffix="x", topic_colors={}, style=figures.SLIDE)
    fig = figures.topic_trend_lines(share, slide, "meeting_label", "会議")
    assert fig.layout.legend.orientation == "v" and fig.layout.legend.x > 1
    few = figures.topic_trend_lines(share[share["topic"].isin(topics[:3])], slide, "meeting_label", "会議")
    assert few.layout.legend.orientation == "h"


def test_network_groups_are_named_by_their_terms_and_never_share_a_colour() -> None:
    nodes = pd.DataFrame(
        {
            "term": [f"語{i}" for i in range(30)],
            "freq": list(range(30, 0, -1)),
            "community": [i // 2 for i in range(30)],
            "degree": [1] * 30,
        }
    )
    layout = pd.DataFrame({"term": nodes["term"], "x": range(30), "y": [i % 5 for i in range(30)]})
    edges = pd.DataFrame({"source": ["語0"], "target": ["語1"], "cooccurrences": [1], "jaccard": [0.5]})
    fig = figures.network_figure(nodes, edges, layout, CTX)
    groups = [t for t in fig.data if t.mode == "markers"]
    names = [t.name for t in groups]
    assert names[0] == "語0・語1"
    assert names[-1] == "その他の小グループ"
    colours = [t.marker.color for t in groups]
    assert len(set(colours)) == len(colours)
    assert fig.layout.legend.orientation == "v", "a column on the right never runs into the title"


def test_a_chart_selection_becomes_a_filter_of_every_chart() -> None:
    meetings, statements = _corpus()
    focus = focus_from_criteria(
        [{"org_name": "足立区", "topic": "クラウド"}, {"org_name": "足立区", "topic": "クラウド"}]
    )
    assert focus == ((("org_name", "足立区"), ("topic", "クラウド")),)
    chosen = select(meetings, statements, tokens_frame({}), FilterSpec(focus=focus))
    assert sorted(chosen.statements["statement_id"]) == [1, 20]
    assert set(chosen.meetings["meeting_id"]) == {1, 3}
    assert "グラフで選択（組織: 足立区／トピック: クラウド）" in describe(FilterSpec(focus=focus), {})
    either = matching_any(statements, [{"topic": "デジタル人材"}, {"org_name": "足立区"}])
    assert sorted(either["statement_id"]) == [1, 10, 20]
