"""Unit tests of analysis.metrics on hand-made frames and on a frame mirroring the seed minutes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import metrics
from analysis.frames import MEETING_COLUMNS, STATEMENT_COLUMNS, TOKEN_COLUMNS, empty_frame
from tests.frames_factory import (
    CLOUD,
    GOVTECH,
    NATIONAL,
    OTHER,
    REPORT,
    SEED_TURNS,
    STANDARD,
    combine,
    meeting_statements,
    meetings_for,
    seed_statements,
    seed_tokens,
    tokens_frame,
)


@pytest.fixture(scope="module")
def seed() -> pd.DataFrame:
    return seed_statements()


@pytest.fixture(scope="module")
def seed_toks(seed: pd.DataFrame) -> pd.DataFrame:
    return seed_tokens(seed)


def three_meetings() -> pd.DataFrame:
    """Three one-turn meetings whose ids are not in date order (id 2 is the earliest)."""
    return combine(
        meeting_statements(
            1,
            "第2回",
            "2023-05-10",
            [(REPORT, "足立区", "足立区", "remark", None, [("b", [CLOUD])])],
            first_statement_id=1,
            first_turn_id=1,
        ),
        meeting_statements(
            2,
            "第1回",
            "2023-01-10",
            [(REPORT, "足立区", "足立区", "remark", None, [("a", [CLOUD])])],
            first_statement_id=2,
            first_turn_id=2,
        ),
        meeting_statements(
            3,
            "第3回",
            "2023-09-10",
            [(REPORT, "町田市", "町田市", "remark", None, [("c", [STANDARD])])],
            first_statement_id=3,
            first_turn_id=3,
        ),
    )


def three_meeting_tokens() -> pd.DataFrame:
    """第1回 (statement 2): 10 tokens, クラウド x2; 第2回 (1): 4 tokens, 標準化 x1; 第3回 (3): 5, クラウド x1."""
    return tokens_frame(
        {
            2: ["クラウド", "クラウド"] + ["東京都"] * 8,
            1: ["標準化", "東京都", "東京都", "東京都"],
            3: ["クラウド", "東京都", "東京都", "東京都", "東京都"],
        }
    )


# --- the seed fixture mirrors the minutes -------------------------------------------------


def test_seed_fixture_shape(seed: pd.DataFrame) -> None:
    assert list(seed.columns) == STATEMENT_COLUMNS
    assert len(seed) == 25
    assert seed["turn_id"].nunique() == 22
    assert seed["section_title"].drop_duplicates().tolist() == [REPORT, NATIONAL, OTHER]


# --- filters -------------------------------------------------------------------------------


def test_filter_statements_by_org_topic_and_section(seed: pd.DataFrame) -> None:
    adachi = metrics.filter_statements(seed, orgs=["足立区"])
    assert len(adachi) == 6
    govtech_or_divide = metrics.filter_statements(seed, topics=[GOVTECH, "デジタルデバイド"])
    assert sorted(govtech_or_divide["statement_id"]) == [12, 13, 19, 20]
    national = metrics.filter_statements(seed, sections=[NATIONAL], org_kinds=["国"])
    assert national["statement_id"].tolist() == [16, 17]


def test_filter_statements_empty_selection_means_all(seed: pd.DataFrame) -> None:
    assert len(metrics.filter_statements(seed, orgs=[], topics=None, sections=())) == 25


def test_filter_statements_dates_and_meetings() -> None:
    frame = three_meetings()
    between = metrics.filter_statements(frame, date_from="2023-02-01", date_to="2023-09-10")
    assert sorted(between["meeting_id"]) == [1, 3]
    from_date = metrics.filter_statements(frame, date_from=pd.Timestamp("2023-05-10").date())
    assert sorted(from_date["meeting_id"]) == [1, 3]
    assert metrics.filter_statements(frame, meeting_ids=[2])["meeting_label"].tolist() == ["第1回"]


def test_tokens_for_keeps_only_selected_statements() -> None:
    tokens = three_meeting_tokens()
    selected = metrics.filter_statements(three_meetings(), meeting_ids=[3])
    assert metrics.tokens_for(tokens, selected)["statement_id"].unique().tolist() == [3]
    assert len(metrics.tokens_for(tokens, selected)) == 5


def test_statements_for_selection(seed: pd.DataFrame) -> None:
    govtech = metrics.statements_for_selection(seed, topic=GOVTECH)
    assert list(govtech.columns) == metrics.SELECTION_COLUMNS
    assert govtech["org_name"].tolist() == ["東京都", "足立区"]
    adachi_cloud = metrics.statements_for_selection(seed, topic=CLOUD, org_name="足立区")
    assert adachi_cloud["section_title"].tolist() == [REPORT, NATIONAL, OTHER]
    azure = metrics.statements_for_selection(seed, term="azure")
    assert azure["org_name"].tolist() == ["町田市"]
    several = metrics.statements_for_selection(seed, org_name=["荒川区", "世田谷区"], meeting_label=None)
    assert several["org_name"].tolist() == ["荒川区", "世田谷区"]
    with pytest.raises(ValueError, match="no_such_column"):
        metrics.statements_for_selection(seed, no_such_column=1)


# --- topics --------------------------------------------------------------------------------


def test_topic_share_multilabel(seed: pd.DataFrame) -> None:
    share = metrics.topic_share(seed)
    assert list(share.columns) == metrics.TOPIC_SHARE_COLUMNS
    cloud = share.set_index("topic").loc[CLOUD]
    assert cloud["statements"] == 14
    assert cloud["share"] == pytest.approx(14 / 25)
    assert share["topic"].iloc[0] == CLOUD
    assert share["topic"].iloc[-1] == metrics.UNCLASSIFIED
    # 33 labels on 25 statements: multi-label shares sum to more than 1.
    assert share["statements"].sum() == 33
    assert share["share"].sum() == pytest.approx(33 / 25)
    assert cloud["char_share"] == pytest.approx(cloud["chars"] / seed["chars"].sum())


def test_topic_labels_missing_or_repeated_count_once() -> None:
    frame = meeting_statements(
        1,
        "第1回",
        "2023-01-10",
        [(REPORT, "足立区", "足立区", "remark", None, [("a", [CLOUD, CLOUD]), ("b", [])])],
    )
    frame.at[1, "topics"] = ()
    share = metrics.topic_share(frame).set_index("topic")["statements"]
    assert share.to_dict() == {CLOUD: 1, metrics.UNCLASSIFIED: 1}
    frame.at[1, "topics"] = None
    assert metrics.topic_composition(frame)["share"].tolist() == [0.5, 0.5]


def test_topic_share_by_section(seed: pd.DataFrame) -> None:
    share = metrics.topic_share(seed, by="section_title")
    assert share["section_title"].drop_duplicates().tolist() == [REPORT, NATIONAL, OTHER]
    national = share[share["section_title"] == NATIONAL].set_index("topic")
    assert national.loc[CLOUD, "statements"] == 2
    assert national.loc[CLOUD, "share"] == pytest.approx(0.5)


def test_topic_composition_sums_to_one(seed: pd.DataFrame) -> None:
    comp = metrics.topic_composition(seed, "org_kind")
    assert list(comp.columns) == ["org_kind", *metrics.TOPIC_COMPOSITION_COLUMNS]
    sums = comp.groupby("org_kind")["share"].sum()
    assert np.allclose(sums.to_numpy(), 1.0)
    # 町田市's statement has three topics: each gets a third of its weight.
    machida = metrics.topic_composition(seed[seed["org_name"] == "町田市"])
    assert machida["weight"].tolist() == pytest.approx([1 / 3] * 3)


def test_topic_crosstab_and_residuals(seed: pd.DataFrame) -> None:
    table = metrics.topic_crosstab(seed, "org_name")
    assert table.index.tolist()[:2] == ["東京都", "足立区"]
    assert table.columns[0] == CLOUD and table.columns[-1] == metrics.UNCLASSIFIED
    assert table.loc["東京都", CLOUD] == 6
    assert table.loc["足立区", CLOUD] == 3
    assert table.loc["荒川区", GOVTECH] == 0
    shares = metrics.topic_crosstab(seed, "org_name", value="share")
    assert shares.loc["足立区", CLOUD] == pytest.approx(3 / 6)
    chars = metrics.topic_crosstab(seed, "org_name", value="chars")
    assert chars.loc["荒川区", CLOUD] == len(SEED_TURNS[0][5][0][0])
    residuals = metrics.adjusted_residuals(table)
    assert residuals.shape == table.shape
    assert residuals.index.tolist() == table.index.tolist()


def test_adjusted_residuals_hand_computed() -> None:
    table = pd.DataFrame([[10, 0], [0, 10], [0, 0]], index=["x", "y", "z"], columns=["p", "q"])
    residuals = metrics.adjusted_residuals(table)
    # N=20, E=5, row/N=col/N=0.5 -> (10-5)/sqrt(5*0.5*0.5) = 4.4721
    assert residuals.loc["x", "p"] == pytest.approx(4.472136, rel=1e-6)
    assert residuals.loc["x", "q"] == pytest.approx(-4.472136, rel=1e-6)
    assert residuals.loc["z"].tolist() == [0.0, 0.0]


def test_topic_crosstab_rejects_unknown_value(seed: pd.DataFrame) -> None:
    with pytest.raises(ValueError):
        metrics.topic_crosstab(seed, "org_name", value="words")


def test_org_topics(seed: pd.DataFrame) -> None:
    long = metrics.org_topics(seed)
    assert list(long.columns) == metrics.ORG_TOPIC_COLUMNS
    indexed = long.set_index(["org_name", "topic"])["statements"]
    assert indexed.loc[("足立区", CLOUD)] == 3
    assert indexed.loc[("デジタル庁", STANDARD)] == 1
    assert long["org_name"].iloc[0] == "東京都"


# --- speakers ------------------------------------------------------------------------------


def test_speaker_frequency_by_org(seed: pd.DataFrame) -> None:
    freq = metrics.speaker_frequency(seed)
    assert list(freq.columns) == [
        "org_name",
        "org_kind",
        "region",
        "org_code",
        "turns",
        "statements",
        "chars",
    ]
    rows = freq.set_index("org_name")
    assert freq["org_name"].tolist()[:2] == ["東京都", "足立区"]
    assert (rows.loc["足立区", "turns"], rows.loc["足立区", "statements"]) == (4, 6)
    assert (rows.loc["国分寺市", "turns"], rows.loc["国分寺市", "statements"]) == (3, 3)
    assert (rows.loc["東京都", "turns"], rows.loc["東京都", "statements"]) == (11, 11)
    assert (rows.loc["デジタル庁", "org_kind"], rows.loc["デジタル庁", "statements"]) == ("国", 2)
    assert rows.loc["足立区", "org_code"] == "13121" and rows.loc["町田市", "region"] == "多摩"
    assert rows.loc["東京都", "region"] is None and rows.loc["東京都", "org_code"] is None
    # A one-statement turn: chars is the length of its text.
    arakawa_text = SEED_TURNS[0][5][0][0]
    assert rows.loc["荒川区", "chars"] == len(arakawa_text)
    setagaya_text = SEED_TURNS[9][5][0][0]
    assert rows.loc["世田谷区", "chars"] == len(setagaya_text)


def test_speaker_frequency_by_kind_and_speaker(seed: pd.DataFrame) -> None:
    kinds = metrics.speaker_frequency(seed, by="org_kind").set_index("org_kind")["statements"]
    assert kinds.to_dict() == {"東京都": 11, "特別区": 8, "市": 4, "国": 2}
    speakers = metrics.speaker_frequency(seed, by="speaker").set_index("speaker")
    assert speakers.loc["宮坂副知事", "turns"] == 3
    assert speakers.loc["宮坂副知事", "org_name"] == "東京都"
    with pytest.raises(ValueError):
        metrics.speaker_frequency(seed, by="region")


def test_summary_kpis(seed: pd.DataFrame) -> None:
    kpis = metrics.summary_kpis(meetings_for(seed), seed)
    assert kpis == {
        "会議数": 1,
        "期間": ("2023-02-14", "2023-02-14"),
        "発言数": 25,
        "発言ターン数": 22,
        "発言者数": 10,
        "区市町村数": 5,
    }


# --- words ---------------------------------------------------------------------------------


def test_keyword_frequency(seed_toks: pd.DataFrame) -> None:
    freq = metrics.keyword_frequency(seed_toks, top_n=None).set_index("term")
    assert (freq.loc["ガバメントクラウド", "count"], freq.loc["ガバメントクラウド", "statements"]) == (9, 8)
    assert freq.loc["議会", "count"] == 2
    top = metrics.keyword_frequency(seed_toks, top_n=3, stopwords={"クラウド"})
    assert len(top) == 3 and "クラウド" not in top["term"].tolist()


def test_keyword_frequency_pos_filter() -> None:
    tokens = tokens_frame({1: ["会議", ("考える", "動詞"), ("考える", "動詞")], 2: ["会議"]})
    assert metrics.keyword_frequency(tokens)["term"].tolist() == ["会議"]
    everything = metrics.keyword_frequency(tokens, pos=None)
    assert everything.to_dict("records") == [
        {"term": "会議", "count": 2, "statements": 2},
        {"term": "考える", "count": 2, "statements": 1},
    ]


def test_keyword_trends_across_meetings() -> None:
    trends = metrics.keyword_trends(three_meetings(), three_meeting_tokens(), ["クラウド", "標準化"])
    assert list(trends.columns) == metrics.TREND_COLUMNS
    assert trends["meeting"].drop_duplicates().tolist() == ["第1回", "第2回", "第3回"]
    assert trends["date"].drop_duplicates().tolist() == ["2023-01-10", "2023-05-10", "2023-09-10"]
    assert set(trends["unit"]) == {"meeting"}
    cloud = trends[trends["term"] == "クラウド"]
    assert cloud["count"].tolist() == [2, 0, 1]
    assert cloud["per_1000_tokens"].tolist() == pytest.approx([200.0, 0.0, 200.0])
    standard = trends[trends["term"] == "標準化"]
    assert standard["count"].tolist() == [0, 1, 0]
    assert standard["per_1000_tokens"].tolist() == pytest.approx([0.0, 250.0, 0.0])


def test_keyword_trends_single_meeting_uses_sections(seed: pd.DataFrame, seed_toks: pd.DataFrame) -> None:
    trends = metrics.keyword_trends(seed, seed_toks, ["ガバメントクラウド", "存在しない語"])
    assert set(trends["unit"]) == {"section"}
    assert set(trends["date"]) == {"2023-02-14"}
    gc = trends[trends["term"] == "ガバメントクラウド"]
    assert gc["meeting"].tolist() == [REPORT, NATIONAL, OTHER]
    assert gc["count"].tolist() == [5, 1, 3]
    assert trends[trends["term"] == "存在しない語"]["count"].tolist() == [0, 0, 0]
    per_section = seed_toks.merge(seed[["statement_id", "section_title"]]).groupby("section_title").size()
    assert gc["per_1000_tokens"].iloc[1] == pytest.approx(1 / per_section[NATIONAL] * 1000)
    forced = metrics.keyword_trends(seed, seed_toks, ["ガバメントクラウド"], unit="meeting")
    assert forced[["meeting", "count", "unit"]].values.tolist() == [["第4回 (2023-02-14)", 9, "meeting"]]


def test_keyness_signs_on_seed(seed: pd.DataFrame, seed_toks: pd.DataFrame) -> None:
    both = metrics.keyness(seed, seed_toks, "org_name", "東京都", top_n=None, over_only=False).set_index(
        "term"
    )
    assert list(both.reset_index().columns) == metrics.KEYNESS_COLUMNS
    # 三層分離 is said twice, both times by 東京都; 議会 twice, never by 東京都.
    assert (both.loc["三層分離", "count_target"], both.loc["三層分離", "count_rest"]) == (2, 0)
    assert both.loc["三層分離", "log_likelihood"] > 0
    assert (both.loc["議会", "count_target"], both.loc["議会", "count_rest"]) == (0, 2)
    assert both.loc["議会", "log_likelihood"] < 0
    assert both["tokens_target"].iloc[0] + both["tokens_rest"].iloc[0] == len(seed_toks)
    over = metrics.keyness(seed, seed_toks, "org_name", "東京都")
    assert (over["log_likelihood"] > 0).all() and "議会" not in over["term"].tolist()
    assert over["log_likelihood"].is_monotonic_decreasing


def test_keyness_hand_computed() -> None:
    statements = combine(
        meeting_statements(
            1,
            "第1回",
            "2023-01-10",
            [
                (REPORT, "足立区", "足立区", "remark", None, [("t", [CLOUD])]),
                (REPORT, "町田市", "町田市", "remark", None, [("r", [CLOUD])]),
            ],
        )
    )
    tokens = tokens_frame({1: ["A", "A", "A", "B"], 2: ["A", "B", "B", "B"]})
    result = metrics.keyness(statements, tokens, "org_name", "足立区", over_only=False).set_index("term")
    a = result.loc["A"]
    # a=3, b=1, 4 tokens each side: E=2, G2 = 2(3 ln 1.5 + ln 0.5), chi2 = 8*(9-1)^2/4^4 = 2
    assert a["expected"] == pytest.approx(2.0)
    assert a["log_likelihood"] == pytest.approx(1.0464963, rel=1e-6)
    assert a["chi2"] == pytest.approx(2.0)
    assert a["p_value"] == pytest.approx(0.3063154, rel=1e-6)
    assert result.loc["B", "log_likelihood"] == pytest.approx(-1.0464963, rel=1e-6)
    assert metrics.keyness(statements, tokens, "org_name", "足立区", min_count=5).empty


def test_keyness_by_topic_and_degenerate_groups(seed: pd.DataFrame, seed_toks: pd.DataFrame) -> None:
    govtech = metrics.keyness(seed, seed_toks, "topics", GOVTECH, min_count=1, top_n=None)
    assert govtech["tokens_target"].iloc[0] == len(seed_toks[seed_toks["statement_id"].isin([19, 20])])
    everyone = metrics.keyness(seed, seed_toks, "meeting_id", 1)
    assert everyone.empty and list(everyone.columns) == metrics.KEYNESS_COLUMNS
    assert metrics.keyness(seed, seed_toks, "org_name", "存在しない区").empty


def test_kwic_counts_every_occurrence(seed: pd.DataFrame) -> None:
    hits = metrics.kwic(seed, "ガバメントクラウド")
    assert list(hits.columns) == metrics.KWIC_COLUMNS
    # Counted by hand in the minutes: 9 occurrences, twice in 足立区's last statement.
    assert len(hits) == 9
    assert hits["statement_id"].tolist() == [1, 2, 3, 4, 5, 15, 21, 21, 22]
    assert set(hits["keyword"]) == {"ガバメントクラウド"}
    narrow = metrics.kwic(seed, "ガバメントクラウド", width=5).iloc[0]
    assert (narrow["left"], narrow["right"]) == ("て国の方で", "を全国的に")
    assert len(hits.iloc[2]["right"]) == len("と競合することになるのか。")


def test_kwic_latin_case_insensitive_and_nfkc(seed: pd.DataFrame) -> None:
    for query in ("azure", "AZURE", "ＡＺＵＲＥ"):
        hits = metrics.kwic(seed, query)
        assert hits["keyword"].tolist() == ["AZURE"]
        assert hits["org_name"].tolist() == ["町田市"]
    assert len(metrics.kwic(seed, "m365")) == 2
    assert metrics.kwic(seed, "  ").empty


# --- co-occurrence -------------------------------------------------------------------------


def hand_tokens() -> pd.DataFrame:
    """A in {1,2,3}, B in {1,2,4,5}, C in {2,3,5}; statement 1 repeats A."""
    return tokens_frame({1: ["A", "B", "A"], 2: ["A", "B", "C"], 3: ["A", "C"], 4: ["B"], 5: ["B", "C"]})


def test_cooccurrence_jaccard_by_hand() -> None:
    nodes, edges = metrics.cooccurrence(hand_tokens(), min_freq=2)
    assert list(edges.columns) == metrics.EDGE_COLUMNS
    assert list(nodes.columns) == metrics.NODE_COLUMNS
    pairs = {(r.source, r.target): (r.cooccurrences, r.jaccard) for r in edges.itertuples()}
    # |A∩C| = |{2,3}| = 2, |A∪C| = |{1,2,3,5}| = 4 ; |A∩B| = 2, |A∪B| = 5 ; |B∩C| = 2, |B∪C| = 5
    assert pairs == {("A", "C"): (2, 0.5), ("A", "B"): (2, 0.4), ("B", "C"): (2, 0.4)}
    assert edges.iloc[0][["source", "target"]].tolist() == ["A", "C"]
    assert nodes.set_index("term")["freq"].to_dict() == {"A": 3, "B": 4, "C": 3}
    assert nodes["degree"].tolist() == [2, 2, 2]


def test_cooccurrence_limits() -> None:
    nodes, edges = metrics.cooccurrence(hand_tokens(), min_freq=2, top_n_edges=1)
    assert edges[["source", "target"]].values.tolist() == [["A", "C"]]
    assert sorted(nodes["term"]) == ["A", "C"] and nodes["degree"].tolist() == [1, 1]
    nodes, edges = metrics.cooccurrence(hand_tokens(), min_freq=4)
    assert nodes.empty and edges.empty


def test_cooccurrence_communities_separate_components() -> None:
    tokens = tokens_frame(
        {1: ["A", "B"], 2: ["A", "B"], 3: ["X", "Y"], 4: ["X", "Y"], 5: ["X", "Y", "Z"], 6: ["Z", "Y"]}
    )
    nodes, _ = metrics.cooccurrence(tokens, min_freq=2)
    community = nodes.set_index("term")["community"]
    assert community["A"] == community["B"]
    assert community["X"] == community["Y"] == community["Z"]
    assert community["A"] != community["X"]
    assert community["X"] == 0  # the largest community is numbered 0


def test_cooccurrence_on_seed_is_deterministic(seed_toks: pd.DataFrame) -> None:
    first = metrics.cooccurrence(seed_toks, min_freq=2, top_n_edges=20)
    second = metrics.cooccurrence(seed_toks, min_freq=2, top_n_edges=20)
    pd.testing.assert_frame_equal(first[0], second[0])
    pd.testing.assert_frame_equal(first[1], second[1])
    assert len(first[1]) == 20
    assert (first[1]["source"] < first[1]["target"]).all()


def test_network_layout(seed_toks: pd.DataFrame) -> None:
    nodes, edges = metrics.cooccurrence(seed_toks)
    layout = metrics.network_layout(nodes, edges)
    assert list(layout.columns) == metrics.LAYOUT_COLUMNS
    assert layout["term"].tolist() == nodes["term"].tolist()
    assert np.isfinite(layout[["x", "y"]].to_numpy()).all()
    pd.testing.assert_frame_equal(layout, metrics.network_layout(nodes, edges))


# --- question -> answer ----------------------------------------------------------------------


def test_qa_pairs(seed: pd.DataFrame) -> None:
    pairs = metrics.qa_pairs(seed)
    assert list(pairs.columns) == metrics.QA_COLUMNS
    # 11 東京都 turns and デジタル庁's turn each answer a municipality's turn.
    assert len(pairs) == 12
    assert pairs["question_turn_id"].value_counts().to_dict()[18] == 3
    digital = pairs[pairs["answerer_org"] == "デジタル庁"].iloc[0]
    assert (digital["asker_org"], digital["asker_kind"], digital["answerer_kind"]) == (
        "足立区",
        "特別区",
        "国",
    )
    assert digital["question_text"].count("\n") == 1
    assert digital["topics"] == (STANDARD, CLOUD)
    assert digital["section_title"] == NATIONAL
    assert pairs.iloc[0][["asker_org", "answer_turn_id"]].tolist() == ["荒川区", 2]


def test_qa_flow(seed: pd.DataFrame) -> None:
    flow = metrics.qa_flow(seed)
    assert list(flow.columns) == metrics.FLOW_COLUMNS
    counts = flow.set_index(["asker", "topic", "answerer"])["count"]
    assert counts[("荒川区", CLOUD, "東京都")] == 1
    assert counts[("足立区", CLOUD, "東京都")] == 5
    assert counts[("足立区", GOVTECH, "東京都")] == 3
    assert counts[("足立区", STANDARD, "デジタル庁")] == 1
    assert counts[("町田市", "共同調達・コスト", "東京都")] == 1
    assert flow["count"].sum() == 19
    assert flow.iloc[0]["count"] == 5


def test_qa_pairs_need_both_turns(seed: pd.DataFrame) -> None:
    only_answers = seed[seed["org_name"] == "東京都"]
    assert metrics.qa_pairs(only_answers).empty
    assert metrics.qa_flow(only_answers).empty


# --- empty input ---------------------------------------------------------------------------


def test_every_metric_handles_empty_frames() -> None:
    statements = empty_frame(STATEMENT_COLUMNS)
    tokens = empty_frame(TOKEN_COLUMNS)
    meetings = empty_frame(MEETING_COLUMNS)
    expected = {
        "filter_statements": (
            metrics.filter_statements(statements, orgs=["足立区"], date_from="2023-01-01"),
            STATEMENT_COLUMNS,
        ),
        "tokens_for": (metrics.tokens_for(tokens, statements), TOKEN_COLUMNS),
        "topic_share": (
            metrics.topic_share(statements, by="org_name"),
            ["org_name", *metrics.TOPIC_SHARE_COLUMNS],
        ),
        "topic_composition": (metrics.topic_composition(statements), metrics.TOPIC_COMPOSITION_COLUMNS),
        "speaker_frequency": (
            metrics.speaker_frequency(statements, by="org_kind"),
            ["org_kind", "turns", "statements", "chars"],
        ),
        "org_topics": (metrics.org_topics(statements), metrics.ORG_TOPIC_COLUMNS),
        "keyword_frequency": (metrics.keyword_frequency(tokens), metrics.KEYWORD_COLUMNS),
        "keyword_trends": (metrics.keyword_trends(statements, tokens, ["クラウド"]), metrics.TREND_COLUMNS),
        "keyness": (metrics.keyness(statements, tokens, "org_name", "足立区"), metrics.KEYNESS_COLUMNS),
        "kwic": (metrics.kwic(statements, "クラウド"), metrics.KWIC_COLUMNS),
        "qa_pairs": (metrics.qa_pairs(statements), metrics.QA_COLUMNS),
        "qa_flow": (metrics.qa_flow(statements), metrics.FLOW_COLUMNS),
        "statements_for_selection": (
            metrics.statements_for_selection(statements, topic=CLOUD),
            metrics.SELECTION_COLUMNS,
        ),
        "network_layout": (metrics.network_layout(*metrics.cooccurrence(tokens)), metrics.LAYOUT_COLUMNS),
    }
    nodes, edges = metrics.cooccurrence(tokens)
    expected["cooccurrence nodes"] = (nodes, metrics.NODE_COLUMNS)
    expected["cooccurrence edges"] = (edges, metrics.EDGE_COLUMNS)
    for name, (frame, columns) in expected.items():
        assert frame.empty, name
        assert list(frame.columns) == columns, name
    table = metrics.topic_crosstab(statements, "org_name")
    assert table.empty and table.index.name == "org_name"
    assert metrics.adjusted_residuals(table).empty
    assert metrics.summary_kpis(meetings, statements) == {
        "会議数": 0,
        "期間": (None, None),
        "発言数": 0,
        "発言ターン数": 0,
        "発言者数": 0,
        "区市町村数": 0,
    }


def test_token_metrics_with_statements_but_no_tokens(seed: pd.DataFrame) -> None:
    tokens = empty_frame(TOKEN_COLUMNS)
    trends = metrics.keyword_trends(seed, tokens, ["クラウド"])
    assert trends["count"].tolist() == [0, 0, 0]
    assert trends["per_1000_tokens"].tolist() == [0.0, 0.0, 0.0]
    assert metrics.keyness(seed, tokens, "org_name", "足立区").empty
    assert metrics.keyword_trends(seed, seed_tokens(seed), []).empty


def test_network_nodes_are_pushed_apart_so_labels_stay_readable():
    from analysis.metrics.network import _separate

    rng = np.random.default_rng(1)
    crowded = rng.normal(scale=0.01, size=(12, 2))
    crowded[3] = crowded[4]  # two nodes on the very same spot
    spread = _separate(crowded, min_distance=0.2)
    dist = np.sqrt(((spread[:, None, :] - spread[None, :, :]) ** 2).sum(axis=-1))
    np.fill_diagonal(dist, np.inf)
    assert dist.min() > 0.15
    assert np.abs(spread).max() <= 0.5
