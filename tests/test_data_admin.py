"""Data management: preview without writing, corrections and speaker mappings kept through
re-derivation, schema upgrade from version 1, admin access rules, and the データ管理 page (AppTest)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from analysis import admin, minutes, orgs
from analysis.model import Organization
from analysis.store import Corpus
from analysis.store.corrections import CorrectionError, MeetingOverrides, overrides_from_edits
from analysis.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
TIMEOUT = 120

#: Minutes with a speaker no rule knows (謎の協議会) and no date.
UNKNOWN_SPEAKER = """第9回 テスト会議 議事要旨

【1.意見交換】
謎の協議会
○クラウド移行の進め方について伺いたい。
東京都デジタルサービス局
○回答します。
"""


def other_minutes(number: int) -> bytes:
    """Another document where 謎の協議会 speaks (different bytes)."""
    return UNKNOWN_SPEAKER.replace("第9回", f"第{number}回").encode()


def adachi() -> Organization:
    return next(o for o in admin.mapping_choices() if o.name == "足立区")


@pytest.fixture
def corpus(tmp_path: Path) -> Iterator[Corpus]:
    with Corpus.open(tmp_path / "corpus.sqlite") as c:
        yield c


# --------------------------------------------------------------------------- corrections


def test_overrides_validate_and_normalize() -> None:
    o = MeetingOverrides(title="  第5回　 会議 ", number=5, date="2024-04-02")
    assert (o.title, o.number, o.date) == ("第5回 会議", 5, "2024-04-02")
    assert MeetingOverrides.from_json(o.to_json()) == o
    assert MeetingOverrides().empty and not o.empty
    for bad in ({"date": "2024-13-01"}, {"date": "令和6年"}, {"number": -1}, {"number": 10_000},
                {"title": "   "}, {"series": "x" * 201}, {"number": True}, {"date": "1800-01-01"}):  # fmt: skip
        with pytest.raises(CorrectionError):
            MeetingOverrides(**bad)


def test_overrides_from_edits_keeps_only_changes() -> None:
    doc = minutes.parse_text(UNKNOWN_SPEAKER)
    assert overrides_from_edits(doc, title=doc.meeting.title, series="", number=9, date=None).empty
    o = overrides_from_edits(doc, title="新しい名前", number=9, date=dt.date(2024, 4, 2))
    assert o == MeetingOverrides(title="新しい名前", date="2024-04-02")
    assert minutes.NO_DATE_WARNING in doc.warnings
    o.apply(doc)
    assert doc.meeting.date == "2024-04-02" and minutes.NO_DATE_WARNING not in doc.warnings


# --------------------------------------------------------------------------- organizations


def test_mapping_choices_cover_tokyo_municipalities_national_bodies_and_other() -> None:
    choices = admin.mapping_choices()
    kinds = [o.kind for o in choices]
    assert choices[0] == orgs.TOKYO
    assert sum(k in ("特別区", "市", "町", "村") for k in kinds) == 62
    assert {"デジタル庁", "総務省", "国", "その他"} <= {o.name for o in choices}
    assert len(set(choices)) == len(choices)
    assert admin.org_choice_label(adachi()) == "足立区（特別区・13121）"


def test_resolve_consults_overrides_first() -> None:
    assert orgs.resolve("謎の協議会").kind == orgs.UNKNOWN_KIND
    overrides = {orgs.label_key("（謎の協議会）"): adachi()}
    assert orgs.resolve("謎の 協議会", overrides=overrides) == adachi()
    assert orgs.resolve("荒川区", overrides=overrides).name == "荒川区"


# --------------------------------------------------------------------------- store


def test_preview_never_writes(corpus: Corpus) -> None:
    version = corpus.corpus_version()
    source = admin.read_upload(UNKNOWN_SPEAKER.encode(), "a.txt")
    preview = admin.preview(corpus, source, MeetingOverrides(date="2024-04-02"), {"謎の協議会": adachi()})
    assert preview.duplicate_of is None
    assert preview.unresolved() == []
    speakers = preview.speakers().set_index("speaker")
    assert speakers.loc["謎の協議会", "org_name"] == "足立区"
    assert speakers.loc["謎の協議会", "statements"] == 1
    assert [t.role for t in preview.doc.turns] == ["question", "answer"]
    assert corpus.corpus_version() == version
    assert corpus.counts()["documents"] == 0 and corpus.speaker_mappings() == {}


def test_save_with_corrections_and_mapping_used_for_later_documents(corpus: Corpus) -> None:
    first = admin.read_upload(UNKNOWN_SPEAKER.encode(), "a.txt")
    assert admin.preview(corpus, first).unresolved() == ["謎の協議会"]
    result = admin.save_upload(
        corpus,
        UNKNOWN_SPEAKER.encode(),
        "a.txt",
        MeetingOverrides(date="2024-04-02"),
        {"謎の協議会": adachi()},
    )
    assert result.status == "added", result.message
    docs = corpus.load_documents()
    assert docs.loc[0, ["date", "corrected", "warnings", "turns", "statements"]].tolist() == [
        "2024-04-02", True, 0, 2, 2,
    ]  # fmt: skip
    assert corpus.speaker_mappings() == {"謎の協議会": adachi()}
    later = admin.preview(corpus, admin.read_upload(other_minutes(10), "b.txt"))
    assert later.unresolved() == []
    assert corpus.ingest_bytes(other_minutes(10), "b.txt").status == "added"
    statements = corpus.load_statements()
    assert set(statements.loc[statements["speaker"] == "謎の協議会", "org_name"]) == {"足立区"}
    duplicate = admin.preview(corpus, first)
    assert duplicate.duplicate_of == result.meeting_id


def test_new_mapping_marks_stored_meetings_and_rederive_applies_it(corpus: Corpus) -> None:
    assert corpus.ingest_bytes(other_minutes(3), "c.txt").status == "added"
    assert not corpus.needs_rederive()
    assert corpus.set_speaker_mappings({"謎の協議会": adachi()}) == 1
    assert corpus.needs_rederive() and corpus.pending_rederive() == 1
    results = corpus.rederive()
    assert [r.status for r in results] == ["rederived"]
    statements = corpus.load_statements()
    assert set(statements.loc[statements["speaker"] == "謎の協議会", "org_name"]) == {"足立区"}
    assert corpus.set_speaker_mappings({"謎の協議会": adachi()}) == 0
    assert corpus.delete_speaker_mapping("謎の協議会") == 1
    corpus.rederive()
    statements = corpus.load_statements()
    assert set(statements.loc[statements["speaker"] == "謎の協議会", "org_kind"]) == {"不明"}


def test_corrections_survive_a_parser_change(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    result = corpus.ingest_bytes(
        UNKNOWN_SPEAKER.encode(), "a.txt", overrides=MeetingOverrides(title="手で直した名前", number=12)
    )
    assert corpus.correct_meeting(result.meeting_id, MeetingOverrides(date="2024-05-01"))
    monkeypatch.setattr(minutes, "PARSER_VERSION", "test-bump")
    assert [r.status for r in corpus.rederive()] == ["rederived"]
    meeting = corpus.load_meetings().iloc[0]
    assert (meeting["title"], meeting["number"], meeting["date"]) == ("手で直した名前", 12, "2024-05-01")
    warnings = [w for (w,) in corpus.conn.execute("SELECT text FROM warnings")]
    assert len(warnings) == 1 and "謎の協議会" in warnings[0]
    assert not corpus.correct_meeting(999, MeetingOverrides(title="x"))


def test_invalidate_rederives_everything_with_progress(corpus: Corpus) -> None:
    corpus.ingest_paths([SEED])
    corpus.ingest_bytes(other_minutes(4), "d.txt")
    before = corpus.counts()
    assert corpus.invalidate() == 2
    seen: list[int] = []
    results = corpus.rederive(progress=lambda r: seen.append(r.meeting_id))
    assert len(seen) == len(results) == 2
    assert corpus.counts() == before and not corpus.needs_rederive()


def test_upgrade_from_schema_version_1_keeps_data(tmp_path: Path) -> None:
    db = tmp_path / "v1.sqlite"
    with Corpus.open(db) as c:
        c.ingest_paths([SEED])
        counts = c.counts()
    conn = sqlite3.connect(db)
    conn.executescript(
        "DROP TABLE speaker_identities; DROP TABLE speaker_mappings; ALTER TABLE documents DROP COLUMN overrides;"
        " ALTER TABLE meetings DROP COLUMN quality; ALTER TABLE agenda DROP COLUMN parent_position;"
        " ALTER TABLE agenda DROP COLUMN private; ALTER TABLE sections DROP COLUMN private;"
        " PRAGMA user_version = 1;"
    )
    conn.close()
    with Corpus.open(db) as c:
        assert c.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        assert c.counts() == counts
        assert c.load_documents().loc[0, "corrected"] == False  # noqa: E712
        assert (
            c.ingest_bytes(UNKNOWN_SPEAKER.encode(), "a.txt", mappings={"謎の協議会": adachi()}).status
            == "added"
        )
        assert c.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --------------------------------------------------------------------------- access


def test_password_and_address_rules() -> None:
    assert admin.password_matches("秘密のpass", "秘密のpass")
    assert not admin.password_matches("秘密のpas", "秘密のpass")
    assert not admin.password_matches("", "x")
    for address in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"):
        assert admin.is_loopback(address), address
    for address in ("", None, "0.0.0.0", "192.168.1.10", "::", "example.com"):
        assert not admin.is_loopback(address), address
    assert admin.write_access("pw", "0.0.0.0") == "password"
    assert admin.write_access("pw", "127.0.0.1") == "password"
    assert admin.write_access(None, "127.0.0.1") == "local"
    assert admin.write_access("", "0.0.0.0") == "locked"
    assert admin.write_access(None, "") == "locked"


def test_make_run_binds_loopback() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ADDRESS ?= 127.0.0.1" in makefile
    assert "--server.address $(ADDRESS)" in makefile


# --------------------------------------------------------------------------- the page


@pytest.fixture
def page_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A corpus with the seed, the page's database, loopback address and no password."""
    db = tmp_path / "corpus.sqlite"
    with Corpus.open(db) as c:
        c.ingest_paths([SEED])
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


def test_page_upload_preview_correct_map_save(page_env: Path) -> None:
    at = open_page()
    at.file_uploader(key="adm_upload").upload("../../x/謎.txt", UNKNOWN_SPEAKER.encode(), "text/plain").run()
    assert not at.exception
    assert any("要確認" in e.value and "開催日" in e.value for e in at.error)
    assert any("開催日が見つかりません" in m.value for m in at.markdown)
    box = next(s for s in at.selectbox if "謎の協議会" in s.label)
    box.select_index(box.options.index("足立区（特別区・13121）")).run()
    at.date_input[0].set_value(dt.date(2024, 4, 2)).run()
    assert [m.value for m in at.metric][:2] == ["2024-04-02", "第9回"]
    assert not any("要確認" in e.value for e in at.error)
    assert any("読み取り良好" in s.value for s in at.success)
    assert not any("開催日が見つかりません" in m.value for m in at.markdown)
    with Corpus.open(page_env) as c:
        assert c.counts()["documents"] == 1
    button(at, "この内容で保存").click().run()
    assert not at.exception
    assert any("保存しました" in s.value and "謎.txt" in s.value for s in at.success)
    with Corpus.open(page_env) as c:
        docs = c.load_documents()
        assert docs.loc[0, ["name", "date", "corrected"]].tolist() == ["謎.txt", "2024-04-02", True]
        assert c.speaker_mappings() == {"謎の協議会": adachi()}
    assert any("既に取り込まれています" in i.value for i in at.info)


def test_page_rejects_unreadable_upload(page_env: Path) -> None:
    at = open_page()
    at.file_uploader(key="adm_upload").upload(
        "minutes.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "application/pdf"
    )
    at.run()
    assert any("対応していない形式です" in e.value and "image/png" in e.value for e in at.error)
    assert not any(b.label == "この内容で保存" for b in at.button)


def test_page_delete_needs_confirmation(page_env: Path) -> None:
    at = open_page()
    with Corpus.open(page_env) as c:
        mid = int(c.load_documents().loc[0, "meeting_id"])
    at.selectbox(key="adm_delete_target").select(mid).run()
    assert button(at, "削除する").disabled
    at.checkbox(key=f"adm_delete_confirm_{mid}").check().run()
    button(at, "削除する").click().run()
    assert not at.exception
    assert any("削除しました" in s.value for s in at.success)
    with Corpus.open(page_env) as c:
        assert c.counts()["documents"] == 0 and c.counts()["statements"] == 0


def test_page_corrects_a_stored_meeting_and_rederives(page_env: Path) -> None:
    at = open_page()
    with Corpus.open(page_env) as c:
        mid = int(c.load_documents().loc[0, "meeting_id"])
    at.text_input(key=f"adm_correct_{mid}_title").input("第4回 修正した会議名").run()
    button(at, "修正を保存").click().run()
    assert any("修正しました" in s.value for s in at.success)
    button(at, "全会議を再解析する").click().run()
    assert not at.exception
    assert any("1 件の会議を再解析しました" in s.value for s in at.success)
    with Corpus.open(page_env) as c:
        assert c.load_meetings().loc[0, "title"] == "第4回 修正した会議名"
        assert not c.needs_rederive()


def test_page_adds_and_deletes_a_mapping(page_env: Path) -> None:
    at = open_page()
    at.text_input(key="adm_map_label").input("謎の協議会").run()
    box = at.selectbox(key="adm_map_org")
    box.select_index(box.options.index("デジタル庁（国）")).run()
    button(at, "対応を保存").click().run()
    assert any("保存しました" in s.value for s in at.success)
    with Corpus.open(page_env) as c:
        assert c.speaker_mappings()["謎の協議会"].name == "デジタル庁"
    at.selectbox(key="adm_map_del").select("謎の協議会").run()
    button(at, "対応を削除").click().run()
    with Corpus.open(page_env) as c:
        assert c.speaker_mappings() == {}


def test_page_without_password_on_a_public_address_is_read_only(page_env: Path) -> None:
    st_config.set_option("server.address", "0.0.0.0")
    at = open_page()
    assert any("管理者パスワードが設定されていない" in w.value for w in at.warning)
    assert at.file_uploader(key="adm_upload").disabled
    assert button(at, "全会議を再解析する").disabled
    assert len(at.dataframe) >= 1


def test_page_with_password_requires_it(page_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(admin.PASSWORD_ENV, "正しいパスワード")
    monkeypatch.setattr("dashboard.admin_auth.FAILURE_DELAY", 0.0)
    at = open_page()
    assert button(at, "全会議を再解析する").disabled
    at.text_input(key="admin_password_input").input("違う")
    button(at, "認証").click().run()
    assert any("パスワードが違います" in e.value for e in at.error)
    assert button(at, "全会議を再解析する").disabled
    at.text_input(key="admin_password_input").input("正しいパスワード")
    button(at, "認証").click().run()
    assert not at.exception
    assert not button(at, "全会議を再解析する").disabled
    assert any("認証済み" in c.value for c in at.caption)
