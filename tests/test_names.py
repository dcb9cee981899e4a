"""Names withheld: extraction from labels, collection, and withholding on the seed minutes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.minutes import parse_file
from analysis.names import PLACEHOLDER, collect_names, extract_person, withhold, withhold_frame

SEED = Path(__file__).resolve().parent.parent / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("東京都CIO 副知事 宮坂 学", ("東京都CIO 副知事", "宮坂 学")),
        ("(東京都CIO 副知事 宮坂 学)", ("東京都CIO 副知事", "宮坂 学")),
        ("宮坂副知事", ("副知事", "宮坂")),
        ("デジタル庁参事官 渡邊 繁樹 氏", ("デジタル庁参事官", "渡邊 繁樹")),
        ("デジタル庁参事官渡邊繁樹", ("デジタル庁参事官", "渡邊繁樹")),
        ("デジタルサービス局長 山田 忠輝", ("デジタルサービス局長", "山田 忠輝")),
        (
            "東京都デジタルサービス局区市町村 DX 支援担当部長 小澤 洋之",
            ("東京都デジタルサービス局区市町村 DX 支援担当部長", "小澤 洋之"),
        ),
        (
            "東京都デジタルサービス局戦略部デジタル推進課長 星埜 航",
            ("東京都デジタルサービス局戦略部デジタル推進課長", "星埜 航"),
        ),
        ("久賀谷局長", ("局長", "久賀谷")),
        ("足立区", ("足立区", None)),
        ("デジタル庁", ("デジタル庁", None)),
        (
            "東京都デジタルサービス局基盤整備部情報システム企画課長",
            ("東京都デジタルサービス局基盤整備部情報システム企画課長", None),
        ),
        ("中野区長", ("中野区長", None)),
        ("東京都知事", ("東京都知事", None)),
        ("足立区 情報政策課長", ("足立区 情報政策課長", None)),
        ("長谷部 健", ("", "長谷部 健")),
    ],
)
def test_extract_person(label: str, expected: tuple[str, str | None]) -> None:
    assert extract_person(label) == expected


def test_collect_names_adds_parts_variants_and_unspaced_forms() -> None:
    names = collect_names(["デジタル庁参事官 渡邊 繁樹 氏", "宮坂副知事", "足立区", ""])
    assert names == {
        "渡邊 繁樹",
        "渡邊繁樹",
        "渡邊",
        "繁樹",
        "渡辺 繁樹",
        "渡辺繁樹",
        "渡辺",
        "宮坂",
    }


def test_collect_names_skips_one_character_parts() -> None:
    names = collect_names(["東京都CIO 副知事 宮坂 学"])
    assert "学" not in names
    assert {"宮坂 学", "宮坂学", "宮坂"} <= names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("宮坂副知事", "副知事"),
        ("東京都CIO 副知事 宮坂 学", "東京都CIO 副知事"),
        ("(東京都CIO 副知事 宮坂 学)", "(東京都CIO 副知事)"),
        ("デジタル庁参事官 渡邊 繁樹 氏", "デジタル庁参事官"),
        ("先ほど渡辺氏から説明があった", f"先ほど{PLACEHOLDER}から説明があった"),
        ("渡邉 繁樹さんの資料", f"{PLACEHOLDER}の資料"),
        ("宮坂学が述べた", f"{PLACEHOLDER}が述べた"),
        ("宮坂 学 副知事より", "副知事より"),
        ("\u2f29澤部長", "部長"),
        ("足立区からの質問", "足立区からの質問"),
    ],
)
def test_withhold(text: str, expected: str) -> None:
    names = collect_names(["東京都CIO 副知事 宮坂 学", "デジタル庁参事官 渡邊 繁樹 氏", "担当部長 小澤 洋之"])
    assert withhold(text, names) == expected


def test_withhold_keeps_places_named_like_people() -> None:
    names = collect_names(["担当部長 足立 太郎"])
    assert "足立" in names
    assert withhold("足立区からの質問に担当 足立区が回答", names) == "足立区からの質問に担当 足立区が回答"
    assert withhold("足立部長と足立さん", names) == f"部長と{PLACEHOLDER}"
    assert withhold("足立 太郎区長", names) == "区長"


def test_withhold_without_names_is_identity() -> None:
    assert withhold("宮坂副知事", set()) == "宮坂副知事"


@pytest.fixture(scope="module")
def seed_frame() -> tuple[pd.DataFrame, set[str]]:
    doc = parse_file(SEED)
    labels = [p for item in doc.agenda for p in item.presenters]
    labels += [t.speaker for t in doc.turns]
    names = collect_names(labels)
    rows = [{"speaker": t.speaker, "text": s, "order": t.order} for t in doc.turns for s in t.statements]
    presenters = [{"speaker": p, "text": "", "order": 0} for p in labels]
    return pd.DataFrame(rows + presenters), names


def test_seed_names_found(seed_frame: tuple[pd.DataFrame, set[str]]) -> None:
    _, names = seed_frame
    expected_full = {"小澤 洋之", "高橋 直義", "星埜 航", "久賀谷 郁夫", "渡邊 繁樹"}
    assert expected_full <= names
    assert {"小澤", "高橋", "星埜", "久賀谷", "渡邊", "渡辺", "宮坂"} <= names
    assert not names & {"足立区", "東京都", "デジタル庁", "副知事", "課長"}


def test_seed_withheld_everywhere(seed_frame: tuple[pd.DataFrame, set[str]]) -> None:
    frame, names = seed_frame
    out = withhold_frame(frame, names, ["speaker", "text"])
    assert len(out) == len(frame)
    assert out["order"].tolist() == frame["order"].tolist()
    surnames = ["小澤", "高橋", "星埜", "久賀谷", "渡邊", "渡辺", "宮坂", "洋之", "直義", "繁樹", "郁夫"]
    for column in ("speaker", "text"):
        joined = "\n".join(out[column])
        for name in surnames:
            assert name not in joined, (column, name)
    speakers = set(out["speaker"])
    assert {"足立区", "デジタル庁", "副知事", "デジタル庁参事官"} <= speakers
    assert "東京都デジタルサービス局基盤整備部情報システム企画課長" in speakers
    assert "東京都デジタルサービス局戦略部デジタル推進課長" in speakers
    text = "\n".join(out["text"])
    assert "東京都" in text and "デジタル庁" in text
    assert text == "\n".join(frame["text"])


def test_withhold_frame_leaves_other_columns_and_missing() -> None:
    df = pd.DataFrame({"speaker": ["宮坂副知事", None], "note": ["宮坂副知事", "x"]})
    out = withhold_frame(df, {"宮坂"}, ["speaker", "absent"])
    assert out["speaker"].tolist()[0] == "副知事"
    assert pd.isna(out["speaker"].tolist()[1])
    assert out["note"].tolist() == ["宮坂副知事", "x"]
    assert df["speaker"].tolist()[0] == "宮坂副知事"
