"""KWIC lines, their sorting and collocates (analysis.metrics.words) on small hand-made frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.metrics.words import COLLOCATE_COLUMNS, KWIC_COLUMNS, collocates, kwic, sort_kwic
from tests.frames_factory import combine, meeting_statements, tokens_frame

#: Three short statements written for these tests (one meeting, two speakers).
TEXTS = [
    "今年は閉域網の見直しと閉域網の更新を進める。",
    "回線の更新は来年度とする。",
    "閉域網とクラウドの接続を検討する。",
]


@pytest.fixture
def statements() -> pd.DataFrame:
    return meeting_statements(
        7,
        "第1回",
        "2024-05-20",
        [
            ("報告", "足立区", "足立区", "question", None, [(TEXTS[0], ["ネットワーク"])]),
            (
                "報告",
                "東京都",
                "東京都",
                "answer",
                1,
                [(TEXTS[1], ["ネットワーク"]), (TEXTS[2], ["クラウド"])],
            ),
        ],
        first_statement_id=11,
    )


@pytest.fixture
def tokens() -> pd.DataFrame:
    # Content words of each statement in text order, as janome would keep them.
    return tokens_frame(
        {
            11: ["今年", "閉域網", "見直し", "閉域網", "更新", ("進める", "動詞")],
            12: ["回線", "更新", "来年度", ("する", "動詞")],
            13: ["閉域網", "クラウド", "接続", "検討", ("する", "動詞")],
        }
    )


# --- kwic -------------------------------------------------------------------------------------


def test_kwic_keeps_the_context_next_to_the_keyword_and_marks_cuts(statements: pd.DataFrame) -> None:
    lines = kwic(statements, "閉域網", width=4, ellipsis="…")
    assert list(lines.columns) == KWIC_COLUMNS
    assert lines["statement_id"].tolist() == [11, 11, 13]
    assert set(lines["meeting_id"]) == {7}
    # Cut on the far side: the characters just before the keyword are kept.
    assert lines["left"].tolist() == ["今年は", "…見直しと", ""]
    assert lines["right"].tolist() == ["の見直し…", "の更新を…", "とクラウ…"]


def test_kwic_without_ellipsis_is_unchanged(statements: pd.DataFrame) -> None:
    lines = kwic(statements, "閉域網", width=4)
    assert lines["left"].tolist() == ["今年は", "見直しと", ""]
    assert lines["right"].tolist() == ["の見直し", "の更新を", "とクラウ"]
    wide = kwic(statements, "回線", width=50, ellipsis="…")
    assert (wide["left"].iloc[0], wide["right"].iloc[0]) == ("", "の更新は来年度とする。")


def test_kwic_finds_a_term_that_is_part_of_a_word(statements: pd.DataFrame) -> None:
    assert kwic(statements, "域").shape[0] == 3
    assert kwic(statements, "存在しない語").empty
    assert list(kwic(statements.iloc[0:0], "閉域網").columns) == KWIC_COLUMNS


# --- sort_kwic --------------------------------------------------------------------------------


def _lines(left: list[str], right: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {"statement_id": range(1, len(left) + 1), "left": left, "keyword": "X", "right": right}
    )


def test_sort_by_the_word_before_reads_backwards_from_the_keyword() -> None:
    lines = _lines(["…東京都の", "区の", "…国の", "都が"], ["b", "a", "c", "a"])
    by_left = sort_kwic(lines, "left", ellipsis="…")
    # Reversed left contexts: "の都京東", "の区", "の国", "が都" -> が < の; then 区 < 国 < 都.
    assert by_left["left"].tolist() == ["都が", "区の", "…国の", "…東京都の"]
    by_right = sort_kwic(lines, "right")
    assert by_right["statement_id"].tolist() == [2, 4, 1, 3]  # ties keep reading order
    assert sort_kwic(lines, "order")["statement_id"].tolist() == [1, 2, 3, 4]


def test_sort_kwic_rejects_unknown_orders_and_accepts_empty_input() -> None:
    with pytest.raises(ValueError):
        sort_kwic(_lines(["a"], ["b"]), "middle")
    assert sort_kwic(_lines([], []), "left").empty


# --- collocates -------------------------------------------------------------------------------


def _g2(o: float, f: float, w: float, n: float) -> float:
    cells = [o, f - o, w - o, n - w - f + o]
    expected = [f * w / n, f * (n - w) / n, (n - f) * w / n, (n - f) * (n - w) / n]
    return 2 * sum(c * math.log(c / e) for c, e in zip(cells, expected, strict=True) if c > 0)


def test_collocates_counts_window_tokens_once_and_scores_them(
    statements: pd.DataFrame, tokens: pd.DataFrame
) -> None:
    table = collocates(statements, tokens, "閉域網", window=1, top_n=None)
    assert list(table.columns) == COLLOCATE_COLUMNS
    # Windows of one token: 今年|見直し (1st), 見直し|更新 (2nd, 見直し counted once), クラウド (3rd).
    n, w = 15.0, 4.0
    row = table.set_index("term")
    assert set(row.index) == {"今年", "見直し", "更新", "クラウド"}
    assert row.loc["見直し", "cooccurrences"] == 1
    assert row.loc["更新", "count"] == 2
    assert row.loc["今年", "expected"] == pytest.approx(1 * w / n)
    assert row.loc["今年", "mi"] == pytest.approx(math.log2(1 / (w / n)))
    assert row.loc["更新", "log_likelihood"] == pytest.approx(_g2(1, 2, w, n))
    assert "閉域網" not in row.index  # the node itself is never its own collocate
    assert (table["cooccurrences"] > table["expected"]).all()
    ordered = table["log_likelihood"].tolist()
    assert ordered == sorted(ordered, reverse=True)


def test_collocates_window_pos_min_count_and_empty_cases(
    statements: pd.DataFrame, tokens: pd.DataFrame
) -> None:
    wide = collocates(statements, tokens, "閉域網", window=5, top_n=None)
    assert {"進める", "接続", "検討"} <= set(wide["term"])
    # する and 更新 occur twice in 15 tokens: less often in the 8 window tokens than chance.
    assert not {"する", "更新"} & set(wide["term"])
    nouns = collocates(statements, tokens, "閉域網", window=5, pos=["名詞"], top_n=None)
    assert not {"進める", "する"} & set(nouns["term"])
    assert collocates(statements, tokens, "閉域網", window=1, min_count=2).empty
    assert collocates(statements, tokens, "閉域網", window=5, top_n=2).shape[0] == 2
    for empty in (
        collocates(statements, tokens, "  "),
        collocates(statements, tokens, "存在しない語"),
        collocates(statements.iloc[0:0], tokens, "閉域網"),
        collocates(statements, tokens.iloc[0:0], "閉域網"),
        collocates(statements, tokens, "閉域網", window=0),
    ):
        assert empty.empty and list(empty.columns) == COLLOCATE_COLUMNS


def test_collocates_of_a_phrase_spanning_tokens(statements: pd.DataFrame, tokens: pd.DataFrame) -> None:
    # "網とクラウド" covers parts of two tokens: both are the node, neighbours are collocates.
    table = collocates(statements, tokens, "網とクラウド", window=1, top_n=None)
    assert table["term"].tolist() == ["接続"]


def test_collocates_follow_the_statements_given(statements: pd.DataFrame, tokens: pd.DataFrame) -> None:
    other = meeting_statements(
        8,
        "第2回",
        "2024-06-01",
        [("報告", "町田市", "町田市", "question", None, [("閉域網の費用を伺う。", ["ネットワーク"])])],
        first_statement_id=21,
        first_turn_id=21,
    )
    both = combine(statements, other)
    more = pd.concat([tokens, tokens_frame({21: ["閉域網", "費用", ("伺う", "動詞")]})], ignore_index=True)
    assert "費用" in set(collocates(both, more, "閉域網", window=1)["term"])
    assert "費用" not in set(collocates(statements, more, "閉域網", window=1)["term"])
