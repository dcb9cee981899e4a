"""データ管理 (AppTest): stored documents listed by file name only, and 発言者の同一人物まとめ —
the merged table, merging two labels, undoing a merge (別人として扱う) and forgetting the choice.

The minutes are made up for the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from analysis import admin
from analysis.speaker_identity import IdentityOverride
from analysis.store import Corpus

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
TIMEOUT = 120
MINUTES = """第{n}回 テスト連絡会 議事要旨
日時: 令和6年{month}月1日(月) 10:00~11:00

【1.意見交換】
{ward}
○クラウド移行について伺いたい。
{official}
○回答します。
副知事
○補足します。
"""


def minutes(n: int, month: int, official: str, ward: str = "足立区") -> bytes:
    return MINUTES.format(n=n, month=month, official=official, ward=ward).encode()


@pytest.fixture
def page_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Two meetings of one official written two ways, one stored from a deep server path."""
    db = tmp_path / "corpus.sqlite"
    deep = tmp_path / "srv" / "gijiroku" / "uploads" / "第2回議事要旨.txt"
    deep.parent.mkdir(parents=True)
    deep.write_bytes(minutes(2, 5, "副知事 山田 太郎", ward="足立区長"))
    with Corpus.open(db) as c:
        assert c.ingest_bytes(minutes(1, 4, "山田副知事"), "第1回議事要旨.txt").status == "added"
        assert c.ingest_paths([deep])[0].status == "added"
    monkeypatch.setenv("GIJIROKU_DB", str(db))
    monkeypatch.delenv(admin.PASSWORD_ENV, raising=False)
    previous = st_config.get_option("server.address")
    st_config.set_option("server.address", "127.0.0.1")
    yield db
    st_config.set_option("server.address", previous)


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("views/data_admin.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def table_with(at: AppTest, column: str):
    """The first dataframe of the page with ``column`` (AppTest dataframes carry no key)."""
    return next(frame for frame in (d.value for d in at.dataframe) if column in frame.columns)


def test_documents_are_listed_by_file_name_never_by_server_path(page_env: Path) -> None:
    with Corpus.open(page_env) as c:
        stored = set(c.load_documents()["name"])
    assert any("/srv/gijiroku/" in name for name in stored)  # what the store keeps
    at = open_page()
    for key in ("adm_delete_target", "adm_correct_target"):
        options = at.selectbox(key=key).options
        assert any(o.endswith("第2回議事要旨.txt") for o in options), options
        assert not any("/" in o or "\\" in o or "srv" in o for o in options), options
    table = table_with(at, "ファイル名")
    assert set(table["ファイル名"]) == {"第1回議事要旨.txt", "第2回議事要旨.txt"}
    page_text = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.warning])
    assert "/srv/" not in page_text


def test_merged_people_table_shows_labels_meetings_and_basis(page_env: Path) -> None:
    at = open_page()
    assert any(h.value == "発言者の同一人物まとめ" for h in at.subheader)
    table = table_with(at, "まとめた表記")
    assert list(table.columns) == ["人物", "まとめた表記", "根拠", "発言数", "会議"]
    assert set(table["人物"]) == {"副知事 山田 太郎"}
    assert set(table["まとめた表記"]) == {"副知事 山田 太郎", "山田副知事", "副知事"}
    rows = dict(zip(table["まとめた表記"], table["根拠"], strict=True))
    assert rows["山田副知事"] == "同じ所属・同じ姓" and rows["副知事"] == "同じ会議の氏名"


def test_merge_two_labels_then_undo_and_forget(page_env: Path) -> None:
    at = open_page()
    at.selectbox(key="adm_id_label").select("足立区長").run()
    at.selectbox(key="adm_id_target").select("足立区").run()
    button(at, "同じ人物としてまとめる").click().run()
    assert not at.exception
    assert any("まとめました" in s.value and "足立区長" in s.value for s in at.success)
    with Corpus.open(page_env) as c:
        assert c.speaker_identity_overrides()["足立区長"] == IdentityOverride("足立区長", "足立区")
        statements = c.load_statements()
    assert set(statements.loc[statements["speaker_label"] == "足立区長", "speaker"]) == {"足立区"}
    overrides = table_with(at, "指定")
    assert overrides["指定"].tolist() == ["「足立区」と同じ人物"]

    at.selectbox(key="adm_id_undo").select("足立区長").run()
    button(at, "まとめを取り消す（別人として扱う）").click().run()
    assert any("手動のまとめを取り消しました" in s.value for s in at.success)
    at.selectbox(key="adm_id_undo").select("山田副知事").run()
    button(at, "まとめを取り消す（別人として扱う）").click().run()
    assert any("別人として" in s.value for s in at.success)
    with Corpus.open(page_env) as c:
        assert c.speaker_identity_overrides() == {"山田副知事": IdentityOverride("山田副知事", None)}
        # 足立区, 足立区長, 山田副知事 (with the 副知事 of its meeting), 副知事 山田 太郎
        assert c.load_statements()["speaker"].nunique() == 4

    at.selectbox(key="adm_id_del").select("山田副知事").run()
    button(at, "指定を削除").click().run()
    assert not at.exception
    with Corpus.open(page_env) as c:
        assert c.speaker_identity_overrides() == {}
        assert c.load_statements()["speaker"].nunique() == 3


def test_identity_changes_need_write_access(page_env: Path) -> None:
    st_config.set_option("server.address", "0.0.0.0")
    at = open_page()
    assert table_with(at, "まとめた表記") is not None
    for label in ("同じ人物としてまとめる", "まとめを取り消す（別人として扱う）"):
        assert button(at, label).disabled
