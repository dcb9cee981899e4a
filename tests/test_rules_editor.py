"""コーディングルール page (Streamlit AppTest): who may save, a new topic end to end, parse errors.

Each test uses its own corpus and a temporary copy of the rules file ($GIJIROKU_TOPICS); the
repository's data/dictionary/topics.yaml is never written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.admin import PASSWORD_ENV
from analysis.store import Corpus
from analysis.topics import DEFAULT_RULES_PATH, RULES_ENV, load_rules

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
TIMEOUT = 120
NEW_RULE = "スマホ or 高齢者"


@pytest.fixture
def rules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "dictionary" / "topics.yaml"
    path.parent.mkdir()
    shutil.copyfile(DEFAULT_RULES_PATH, path)
    monkeypatch.setenv(RULES_ENV, str(path))
    return path


@pytest.fixture
def db(tmp_path: Path, rules_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "corpus.sqlite"
    with Corpus.open(path) as corpus:
        corpus.ingest_paths([SEED])
    monkeypatch.setenv("GIJIROKU_DB", str(path))
    return path


def open_editor(admin: bool) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    if admin:
        at.session_state["admin_authenticated"] = True
    at.switch_page("views/rules_editor.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rule_area(at: AppTest):
    return next(t for t in at.text_area if t.label == "ルール式")


def kpis(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html") if "kpi-row" in h.proto.body)


def test_without_password_on_a_shared_address_saving_is_locked(db: Path, monkeypatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    at = open_editor(admin=False)
    rule_area(at).set_value("クラウド or ガバクラ").run()
    assert any("管理者パスワードが設定されていないため" in w.value for w in at.warning)
    assert at.button(key="rl_save").disabled
    assert "編集後のルール" in kpis(at)  # everyone may still preview


def test_new_topic_is_previewed_saved_and_labelled(db: Path, rules_file: Path, monkeypatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "pw")
    at = open_editor(admin=True)
    at.selectbox(key="rl_topic").set_value("__new__").run()
    assert any("新しいトピックの名前とルール式" in i.value for i in at.info)
    assert at.button(key="rl_save").disabled
    next(t for t in at.text_input if t.label == "トピック名").set_value("スマホ支援").run()
    rule_area(at).set_value(NEW_RULE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "+1件" in kpis(at) and "—" in kpis(at)
    at.button(key="rl_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("保存しました" in s.value for s in at.success)
    rules = load_rules(rules_file)
    assert (rules[-1].name, rules[-1].rule) == ("スマホ支援", NEW_RULE)
    assert at.selectbox(key="rl_topic").value == "スマホ支援"
    with Corpus.open(db) as corpus:
        labelled = corpus.load_statements()["topics"].map(lambda t: "スマホ支援" in t).sum()
    assert labelled == 1


def test_duplicate_name_and_parse_error_block_saving(db: Path, monkeypatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "pw")
    at = open_editor(admin=True)
    at.selectbox(key="rl_topic").set_value("__new__").run()
    next(t for t in at.text_input if t.label == "トピック名").set_value("クラウド").run()
    rule_area(at).set_value("クラウド and").run()
    assert any("末尾" in e.value and "ルールが途中で終わっています" in e.value for e in at.error)
    assert any("既にあります" in w.value for w in at.warning)
    assert at.button(key="rl_save").disabled
    rule_area(at).set_value("クラウド and not ガバメントクラウド").run()
    assert not at.error and at.button(key="rl_save").disabled


def test_unsaved_edits_of_another_topic_are_pointed_out(db: Path, monkeypatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    at = open_editor(admin=False)
    at.selectbox(key="rl_topic").set_value("GovTech東京・協働").run()
    rule_area(at).set_value("GovTech東京").run()
    at.selectbox(key="rl_topic").set_value("クラウド").run()
    assert any(
        "保存していない編集がほかのトピックにもあります: GovTech東京・協働" in c.value for c in at.caption
    )
    at.selectbox(key="rl_topic").set_value("GovTech東京・協働").run()
    assert rule_area(at).value == "GovTech東京"
    assert not any("保存していない編集" in c.value for c in at.caption)


def test_empty_corpus_still_shows_the_rules(tmp_path: Path, rules_file: Path, monkeypatch) -> None:
    path = tmp_path / "empty.sqlite"
    Corpus.open(path).close()
    monkeypatch.setenv("GIJIROKU_DB", str(path))
    at = open_editor(admin=False)
    assert any("コーパスに会議録がまだない" in i.value for i in at.info)
    assert any("rl-counts" in h.proto.body and "クラウド" in h.proto.body for h in at.get("html"))
