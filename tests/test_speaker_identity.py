"""One person, one speaker: the identity rules on small hand-written label tables, the shipped
reference table, the user's table in the store (round trip, migration, reversible), and the
loaded statements (``speaker`` merged, ``speaker_label`` as written, names still withheld).

All people and minutes here are made up for the tests.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from analysis import speaker_identity as si
from analysis.frames import STATEMENT_COLUMNS
from analysis.metrics import speaker_frequency, summary_kpis
from analysis.names import collect_names, withhold
from analysis.speaker_identity import IdentityOverride, ReferenceRule
from analysis.store import Corpus
from analysis.store.schema import SCHEMA_VERSION
from analysis.withholding import corpus_names_of, withhold_statements

Row = tuple[int, str | None, str, str, int]


def labels(*rows: Row) -> pd.DataFrame:
    """A LABEL_COLUMNS frame from (meeting_id, date, label, org, statements)."""
    return pd.DataFrame(
        [(mid, f"第{mid}回", date, label, org, n) for mid, date, label, org, n in rows],
        columns=si.LABEL_COLUMNS,
    )


def people(frame: pd.DataFrame, **kwargs: object) -> dict[tuple[int, str], str]:
    """(meeting_id, label) -> display name, resolved without the shipped reference table."""
    kwargs.setdefault("rules", ())
    out = si.resolve(frame, **kwargs)
    return dict(zip(zip(out["meeting_id"], out["speaker_label"], strict=True), out["person"], strict=True))


def bases(frame: pd.DataFrame, **kwargs: object) -> dict[tuple[int, str], str]:
    kwargs.setdefault("rules", ())
    out = si.resolve(frame, **kwargs)
    return dict(zip(zip(out["meeting_id"], out["speaker_label"], strict=True), out["basis"], strict=True))


# --------------------------------------------------------------------------- rule 3: names


def test_labels_with_one_org_and_surname_are_one_person_shown_with_the_full_name() -> None:
    frame = labels(
        (1, "2023-01-10", "山田副知事", "東京都", 3),
        (2, "2024-06-01", "東京都CIO 副知事 山田 太郎", "東京都", 5),
        (3, "2024-09-01", "（東京都CIO 副知事 山田 太郎）", "東京都", 2),
        (3, "2024-09-01", "足立区", "足立区", 4),
    )
    got = people(frame)
    assert set(got.values()) == {"東京都CIO 副知事 山田 太郎", "足立区"}
    assert (
        got[(1, "山田副知事")] == got[(3, "（東京都CIO 副知事 山田 太郎）")] == "東京都CIO 副知事 山田 太郎"
    )
    assert bases(frame)[(1, "山田副知事")] == si.BASIS_NAME
    assert bases(frame)[(2, "東京都CIO 副知事 山田 太郎")] == si.BASIS_DISPLAY


def test_surname_alone_prefers_the_form_with_most_statements() -> None:
    frame = labels((1, None, "山田副知事", "東京都", 5), (2, None, "山田局長", "東京都", 1))
    assert set(people(frame).values()) == {"山田副知事"}


def test_different_given_names_are_different_people() -> None:
    frame = labels(
        (1, None, "デジタル推進部長 山田 太郎", "東京都", 2),
        (1, None, "山田部長", "東京都", 1),
        (2, None, "情報政策課長 山田 花子", "東京都", 2),
        (3, None, "山田部長", "東京都", 1),
    )
    got = people(frame)
    assert got[(1, "デジタル推進部長 山田 太郎")] != got[(2, "情報政策課長 山田 花子")]
    assert got[(1, "山田部長")] == "デジタル推進部長 山田 太郎"  # the only 山田 of meeting 1
    assert got[(3, "山田部長")] == "山田部長"  # meeting 3 cannot tell which 山田


def test_same_surname_in_another_org_is_another_person() -> None:
    frame = labels((1, None, "山田副知事", "東京都", 1), (1, None, "山田参事官", "デジタル庁", 1))
    assert len(set(people(frame).values())) == 2


def test_unknown_org_merges_only_within_one_meeting() -> None:
    frame = labels(
        (1, None, "佐藤氏", "不明", 1),
        (1, None, "佐藤 一郎 氏", "不明", 1),
        (2, None, "佐藤氏", "不明", 1),
    )
    got = people(frame)
    assert got[(1, "佐藤氏")] == got[(1, "佐藤 一郎 氏")] == "佐藤 一郎 氏"
    assert got[(2, "佐藤氏")] == "佐藤氏"


def test_variant_kanji_of_a_surname_are_one_person() -> None:
    frame = labels(
        (1, None, "参事官 渡邊 繁樹", "デジタル庁", 1), (2, None, "参事官 渡辺 繁樹", "デジタル庁", 3)
    )
    assert len(set(people(frame).values())) == 1


# --------------------------------------------------------------------------- rule 4: titles


def test_title_only_label_is_the_one_named_holder_of_that_title_in_the_meeting() -> None:
    frame = labels(
        (1, None, "東京都CIO 副知事 山田 太郎", "東京都", 2),
        (1, None, "副知事", "東京都", 1),
        (1, None, "東京都CIO", "東京都", 1),
        (2, None, "副知事", "東京都", 1),
    )
    got = people(frame)
    assert got[(1, "副知事")] == got[(1, "東京都CIO")] == "東京都CIO 副知事 山田 太郎"
    assert bases(frame)[(1, "副知事")] == si.BASIS_MEETING
    assert got[(2, "副知事")] == "副知事"  # nobody named holds it in meeting 2


def test_title_only_label_with_two_possible_holders_stays_alone() -> None:
    frame = labels(
        (1, None, "情報政策課長 山田 太郎", "東京都", 1),
        (1, None, "企画課長 鈴木 花子", "東京都", 1),
        (1, None, "課長", "東京都", 1),
    )
    assert people(frame)[(1, "課長")] == "課長"


def test_organization_labels_never_become_people() -> None:
    frame = labels(
        (1, None, "デジタル推進局長 山田 太郎", "東京都", 1),
        (1, None, "デジタル推進局", "東京都", 1),
        (1, None, "足立区", "足立区", 1),
    )
    got = people(frame)
    assert got[(1, "デジタル推進局")] == "デジタル推進局"
    assert got[(1, "足立区")] == "足立区"


# --------------------------------------------------------------------------- rule 5: spelling


def test_spelling_variants_of_one_label_are_one_speaker() -> None:
    frame = labels(
        (1, None, "東京都デジタル推進局区市町村 DX 支援担当部長", "東京都", 1),
        (2, None, "東京都デジタル推進局区市町村DX支援担当部長", "東京都", 3),
    )
    got = people(frame)
    assert set(got.values()) == {"東京都デジタル推進局区市町村DX支援担当部長"}
    assert bases(frame)[(1, "東京都デジタル推進局区市町村 DX 支援担当部長")] == si.BASIS_SPELLING


# --------------------------------------------------------------------------- rule 2: reference

CIO_RULE = ReferenceRule(
    alias="東京都CIO", person="山田 太郎", org="東京都", date_from="2020-04-01", date_to="2024-03-31"
)


def test_reference_rule_applies_within_its_dates_and_organization() -> None:
    frame = labels(
        (1, "2021-05-01", "東京都CIO", "東京都", 1),
        (2, "2023-06-01", "山田副知事", "東京都", 1),
        (3, "2025-01-01", "東京都CIO", "東京都", 1),
        (4, None, "東京都CIO", "東京都", 1),
        (5, "2021-05-01", "東京都CIO", "不明", 1),
    )
    got = people(frame, rules=[CIO_RULE])
    assert got[(1, "東京都CIO")] == got[(2, "山田副知事")] == "山田副知事"
    assert bases(frame, rules=[CIO_RULE])[(1, "東京都CIO")] == si.BASIS_REFERENCE
    assert got[(3, "東京都CIO")] == got[(4, "東京都CIO")] == "東京都CIO"  # after the term, undated
    assert got[(5, "東京都CIO")] != got[(1, "東京都CIO")]  # another organization


def test_reference_only_person_is_shown_with_the_name_and_withheld_to_the_title() -> None:
    frame = labels((1, "2021-05-01", "(東京都CIO)", "東京都", 1), (2, "2022-05-01", "東京都CIO", "東京都", 1))
    got = people(frame, rules=[CIO_RULE])
    assert set(got.values()) == {"東京都CIO 山田 太郎"}
    names = collect_names(got.values())
    assert withhold("東京都CIO 山田 太郎", names) == "東京都CIO"


def test_reference_given_name_joins_surname_labels_but_not_another_given_name() -> None:
    frame = labels(
        (1, "2021-05-01", "東京都CIO", "東京都", 1),
        (2, "2021-06-01", "山田副知事", "東京都", 1),
        (3, "2021-07-01", "副知事 山田 次郎", "東京都", 1),
    )
    got = people(frame, rules=[CIO_RULE])
    assert got[(1, "東京都CIO")] != got[(3, "副知事 山田 次郎")]
    assert got[(2, "山田副知事")] == "山田副知事"  # two 山田 known: meeting 2 cannot tell


def test_reference_csv_comments_and_the_shipped_table() -> None:
    text = "# comment\nalias,person,org,from,to,note\n# another\n東京都CIO,山田 太郎,東京都,2020-04-01,,x\n,空,,,,\n"
    assert si.parse_reference(text) == (
        ReferenceRule("東京都CIO", "山田 太郎", "東京都", "2020-04-01", None, "x"),
    )
    shipped = si.reference_rules()
    assert shipped and all(r.alias and r.person for r in shipped)
    assert any(r.alias == "東京都CIO" and r.org == "東京都" for r in shipped)


# --------------------------------------------------------------------------- the user's table


def test_manual_merge_follows_the_target_and_chains() -> None:
    frame = labels(
        (1, None, "謎の協議会", "不明", 1),
        (1, None, "協議会事務局", "不明", 2),
        (2, None, "連絡会代表", "不明", 5),
    )
    overrides = {
        "謎の協議会": IdentityOverride("謎の協議会", "協議会事務局"),
        "協議会事務局": IdentityOverride("協議会事務局", "連絡会代表"),
    }
    got = people(frame, overrides=overrides)
    assert set(got.values()) == {"連絡会代表"}
    assert bases(frame, overrides=overrides)[(1, "謎の協議会")] == si.BASIS_MANUAL


def test_manual_merge_cycle_and_missing_target_are_harmless() -> None:
    frame = labels((1, None, "甲", "不明", 1), (1, None, "乙", "不明", 1))
    cycle = {"甲": IdentityOverride("甲", "乙"), "乙": IdentityOverride("乙", "甲")}
    assert len(set(people(frame, overrides=cycle).values())) == 1
    missing = {"甲": IdentityOverride("甲", "どこにもない表記")}
    assert people(frame, overrides=missing)[(1, "甲")] == "甲"


def test_separate_override_undoes_an_automatic_merge() -> None:
    frame = labels(
        (1, None, "山田副知事", "東京都", 1),
        (2, None, "東京都CIO 副知事 山田 太郎", "東京都", 1),
    )
    assert len(set(people(frame).values())) == 1
    apart = {"山田副知事": IdentityOverride("山田副知事")}
    got = people(frame, overrides=apart)
    assert got[(1, "山田副知事")] == "山田副知事"
    assert bases(frame, overrides=apart)[(1, "山田副知事")] == si.BASIS_SEPARATE


def test_display_names_are_unique_per_person() -> None:
    frame = labels(
        (1, None, "甲", "不明", 3),
        (1, None, "乙", "不明", 1),
        (2, None, "甲", "足立区", 1),
    )
    got = people(frame, overrides={"乙": IdentityOverride("乙", "甲")})
    assert got[(1, "乙")] == got[(1, "甲")] == "甲"
    assert got[(2, "甲")] == "甲（足立区）"


# --------------------------------------------------------------------------- tables


def test_merged_people_and_merged_labels() -> None:
    frame = labels(
        (1, None, "山田副知事", "東京都", 3),
        (2, None, "東京都CIO 副知事 山田 太郎", "東京都", 5),
        (2, None, "足立区", "足立区", 1),
    )
    table = si.merged_people(si.resolve(frame, rules=()))
    assert list(table.columns) == si.MERGED_COLUMNS
    assert table["speaker_label"].tolist() == ["東京都CIO 副知事 山田 太郎", "山田副知事"]
    assert table["basis"].tolist() == [si.BASIS_DISPLAY, si.BASIS_NAME]
    assert table["meetings"].tolist() == ["第2回", "第1回"]
    statements = pd.DataFrame(
        {
            "speaker": ["山田 太郎", "山田 太郎", "山田 太郎", "足立区"],
            "speaker_label": ["山田副知事", "山田 太郎", "山田副知事", "足立区"],
        }
    )
    merged = si.merged_labels(statements)
    assert merged.to_dict("records") == [
        {"speaker": "山田 太郎", "labels": ("山田 太郎", "山田副知事"), "statements": 3}
    ]
    assert si.merged_labels(statements.drop(columns="speaker_label")).empty
    assert si.resolve(labels()).empty and si.merged_people(si.resolve(labels())).empty


# --------------------------------------------------------------------------- the store

MINUTES = """第{n}回 テスト連絡会 議事要旨
日時: 令和6年{month}月1日(月) 10:00~11:00

【1.意見交換】
足立区
○クラウド移行について伺いたい。
{official}
○回答します。
副知事
○補足します。
"""


def minutes_bytes(n: int, month: int, official: str) -> bytes:
    return MINUTES.format(n=n, month=month, official=official).encode()


@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[Corpus]:
    with Corpus.open(tmp_path / "corpus.sqlite") as c:
        assert c.ingest_bytes(minutes_bytes(1, 4, "山田副知事"), "a.txt").status == "added"
        assert c.ingest_bytes(minutes_bytes(2, 5, "副知事 山田 太郎"), "b.txt").status == "added"
        yield c


def test_loaded_statements_merge_speakers_and_keep_the_label(corpus: Corpus) -> None:
    statements = corpus.load_statements()
    assert list(statements.columns) == STATEMENT_COLUMNS
    assert statements["speaker_label"].nunique() == 4
    assert statements["speaker"].nunique() == 2
    assert summary_kpis(corpus.load_meetings(), statements)["発言者数"] == 2
    tokyo = statements[statements["org_name"] == "東京都"]
    assert set(tokyo["speaker"]) == {"副知事 山田 太郎"}
    assert set(tokyo["speaker_label"]) == {"山田副知事", "副知事", "副知事 山田 太郎"}
    freq = speaker_frequency(statements, by="speaker").set_index("speaker")
    assert freq.loc["副知事 山田 太郎", "statements"] == 4


def test_override_round_trip_is_reversible_and_needs_no_rederive(corpus: Corpus) -> None:
    version = corpus.corpus_version()
    assert corpus.set_speaker_identity("山田副知事", None)
    assert not corpus.set_speaker_identity("（山田副知事）", None)  # same label key, already stored
    assert corpus.corpus_version() != version
    assert corpus.speaker_identity_overrides() == {"山田副知事": IdentityOverride("山田副知事", None)}
    table = corpus.load_identity_overrides()
    assert table[["label_key", "label", "target_key", "target_label"]].values.tolist() == [
        ["山田副知事", "山田副知事", None, None]
    ]
    assert not corpus.needs_rederive()
    statements = corpus.load_statements()
    assert statements["speaker"].nunique() == 3
    assert corpus.set_speaker_identity("足立区", "副知事")
    identities = corpus.load_speaker_identities()
    assert set(identities.loc[identities["speaker_label"] == "足立区", "basis"]) == {si.BASIS_MANUAL}
    assert corpus.delete_speaker_identity("山田副知事") and corpus.delete_speaker_identity("足立区")
    assert not corpus.delete_speaker_identity("足立区")
    assert corpus.load_statements()["speaker"].nunique() == 2
    for bad in (("", None), ("足立区", "足立区"), ("足立区", " ")):
        with pytest.raises(ValueError):
            corpus.set_speaker_identity(*bad)


def test_overrides_survive_reopening_and_upgrade_from_version_3(tmp_path: Path) -> None:
    db = tmp_path / "v3.sqlite"
    with Corpus.open(db) as c:
        c.ingest_bytes(minutes_bytes(1, 4, "山田副知事"), "a.txt")
    conn = sqlite3.connect(db)
    conn.executescript("DROP TABLE speaker_identities; PRAGMA user_version = 3;")
    conn.close()
    with Corpus.open(db) as c:
        assert c.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        assert c.counts()["statements"] == 3
        assert c.set_speaker_identity("副知事", None)
    with Corpus.open(db) as c:
        assert c.speaker_identity_overrides() == {"副知事": IdentityOverride("副知事", None)}
        assert c.load_statements()["speaker"].nunique() == 3


def test_names_are_withheld_in_merged_speakers_and_labels(corpus: Corpus) -> None:
    statements = corpus.load_statements()
    names = corpus_names_of(corpus, statements)
    assert {"山田", "山田 太郎"} <= names
    hidden = withhold_statements(statements, names)
    for column in ("speaker", "speaker_label"):
        assert not hidden[column].str.contains("山田").any(), column
    assert set(hidden.loc[hidden["org_name"] == "東京都", "speaker"]) == {"副知事"}


def test_shipped_reference_names_the_title_only_cio(tmp_path: Path) -> None:
    with Corpus.open(tmp_path / "c.sqlite") as c:
        c.ingest_bytes(minutes_bytes(3, 6, "東京都CIO"), "c.txt")
        statements = c.load_statements()
    cio = statements[statements["speaker_label"] == "東京都CIO"]
    rule = next(r for r in si.reference_rules() if r.alias == "東京都CIO")
    assert set(cio["speaker"]) == {f"東京都CIO {rule.person}"}
