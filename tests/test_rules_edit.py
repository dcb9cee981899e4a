"""Editing coding rules (analysis.rules_edit): checks, the gained/lost preview, writing with backup.

Every write goes to a temporary copy of the rules file, never to data/dictionary/topics.yaml.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import rules_edit
from analysis.rules_edit import RuleEditError, TopicDraft
from analysis.topics import DEFAULT_RULES_PATH, RULES_ENV, load_rules, rules_path, rules_version

GOVTECH = "GovTech東京・協働"
NOW = dt.datetime(2024, 5, 6, 7, 8, 9)
SMALL = """# 小さなルールファイル(テスト用)
#   rule: ルール式
version: 1
topics:
  - name: 甲
    description: 甲の話
    color: "#111111"
    rule: 甲 or こう

  # 乙には行末のコメントがある
  - name: 乙
    color: "#222222"
    rule: 乙 or おつ   # 表記ゆれ

  - name: 丙
    description: 丙の話
    color: "#333333"
    rule: >-
      丙 or へい
      or ヘイ
# おわり
"""


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A copy of the repository's rules file in a temporary folder."""
    path = tmp_path / "dictionary" / "topics.yaml"
    path.parent.mkdir()
    shutil.copyfile(DEFAULT_RULES_PATH, path)
    return path


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "topics.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _draft(path: Path, name: str) -> TopicDraft:
    return rules_edit.draft_from_rule(next(r for r in load_rules(path) if r.name == name))


# --- round trip -------------------------------------------------------------------------------


def test_edit_write_load_gives_the_new_rule_and_keeps_the_rest(rules_copy: Path) -> None:
    before_text = rules_copy.read_text(encoding="utf-8")
    before = load_rules(rules_copy)
    version = rules_version(rules_copy)
    draft = _draft(rules_copy, GOVTECH)
    edited = TopicDraft(
        draft.name, "GovTech東京と協働事業", "#2CA02C", "GovTech東京 or 協働事業\n or 共同運営"
    )

    saved = rules_edit.save_topic(edited, GOVTECH, path=rules_copy, expected_version=version, now=NOW)

    after = load_rules(rules_copy)
    assert [r.name for r in after] == [r.name for r in before]
    govtech = next(r for r in after if r.name == GOVTECH)
    assert (govtech.rule, govtech.description, govtech.color) == (
        "GovTech東京 or 協働事業 or 共同運営",
        "GovTech東京と協働事業",
        "#2ca02c",
    )
    others = [(r.name, r.rule, r.description, r.color) for r in after if r.name != GOVTECH]
    assert others == [(r.name, r.rule, r.description, r.color) for r in before if r.name != GOVTECH]
    after_text = rules_copy.read_text(encoding="utf-8")
    assert rules_edit.header_comment(after_text) == rules_edit.header_comment(before_text)
    assert rules_edit.header_comment(before_text).count("\n") > 20
    start, following = f"  - name: {GOVTECH}\n", "  - name: セキュリティ・個人情報\n"
    assert after_text.split(start)[0] == before_text.split(start)[0]
    assert after_text.split(following)[1] == before_text.split(following)[1]
    block = after_text.split(start)[1].split(following)[0]
    assert (
        block
        == '    description: GovTech東京と協働事業\n    color: "#2ca02c"\n    rule: GovTech東京 or 協働事業 or 共同運営\n\n'
    )
    assert saved.path == rules_copy
    assert saved.backup == rules_copy.parent / "backups" / "topics-20240506-070809.yaml"
    assert saved.backup.read_text(encoding="utf-8") == before_text
    assert (saved.backup.parent / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert saved.version == rules_version(rules_copy) != version


def test_unchanged_draft_rewrites_nothing(rules_copy: Path) -> None:
    text = rules_copy.read_text(encoding="utf-8")
    for rule in load_rules(rules_copy):
        draft = rules_edit.draft_from_rule(rule)
        spaced = TopicDraft(draft.name, draft.description, draft.color, draft.rule.replace(" or ", "\n  or "))
        assert rules_edit.replace_topic(text, spaced, rule.name) == text


def test_second_backup_in_the_same_second_gets_its_own_name(small: Path) -> None:
    first = rules_edit.save_topic(TopicDraft("甲", "", "#111111", "甲"), "甲", path=small, now=NOW)
    second = rules_edit.save_topic(TopicDraft("甲", "", "#111111", "こう"), "甲", path=small, now=NOW)
    assert first.backup.name == "topics-20240506-070809.yaml"
    assert second.backup.name == "topics-20240506-070809-2.yaml"
    assert first.backup.read_text(encoding="utf-8") == SMALL


def test_comments_between_topics_and_footer_are_kept(small: Path) -> None:
    rules_edit.save_topic(TopicDraft("乙", "乙の話", "#222222", "乙 or おつ"), "乙", path=small, now=NOW)
    text = small.read_text(encoding="utf-8")
    assert text.startswith("# 小さなルールファイル(テスト用)\n#   rule: ルール式\nversion: 1\n")
    assert "  # 乙には行末のコメントがある\n  - name: 乙\n    description: 乙の話\n" in text
    assert "表記ゆれ" not in text  # the old rule's own line comment went with it
    assert text.endswith("      丙 or へい\n      or ヘイ\n# おわり\n")
    assert [(r.name, r.rule) for r in load_rules(small)] == [
        ("甲", "甲 or こう"),
        ("乙", "乙 or おつ"),
        ("丙", "丙 or へい or ヘイ"),
    ]


def test_new_topic_is_appended_last(small: Path) -> None:
    draft = TopicDraft("新しい話題", "説明: #記号を含む", "#abcdef", '"A & B" or 「ご意見」 or not(x)')
    rules_edit.save_topic(draft, None, path=small, now=NOW)
    rules = load_rules(small)
    assert [r.name for r in rules] == ["甲", "乙", "丙", "新しい話題"]
    assert (rules[-1].description, rules[-1].rule) == ("説明: #記号を含む", '"A & B" or 「ご意見」 or not(x)')
    text = small.read_text(encoding="utf-8")
    assert "      or ヘイ\n\n  - name: 新しい話題\n" in text
    assert text.endswith("# おわり\n")


@pytest.mark.parametrize(
    "rule",
    [
        '"引用で始まる" or 語',
        "! 否定で始まる and 語",
        "語 or #コメントに見える",
        "語: or コロン",
        " or ".join(f"とても長い語{i}" for i in range(30)),
        " or ".join(f'"空白 を含む 語句{i}"' for i in range(12)),
    ],
)
def test_rules_that_need_yaml_care_read_back(small: Path, rule: str) -> None:
    rules_edit.save_topic(TopicDraft("丙", "丙の話", "#333333", rule), "丙", path=small, now=NOW)
    assert load_rules(small)[2].rule == rule
    assert all(len(line) <= rules_edit.LINE_WIDTH for line in small.read_text(encoding="utf-8").splitlines())


def test_flow_style_file_is_rewritten_with_its_header(tmp_path: Path) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(
        '# 見出し\nversion: 1\ntopics: [{name: 甲, color: "#111111", rule: 甲}]\n', encoding="utf-8"
    )
    rules_edit.save_topic(TopicDraft("乙", "", "#222222", "乙"), None, path=path, now=NOW)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 見出し\nversion: 1\ntopics:\n  - name: 甲\n")
    assert [r.name for r in load_rules(path)] == ["甲", "乙"]


# --- refusing to write ------------------------------------------------------------------------


def test_malformed_rule_is_not_written(small: Path) -> None:
    with pytest.raises(RuleEditError, match="閉じ括弧"):
        rules_edit.save_topic(TopicDraft("甲", "", "#111111", "甲 or (こう"), "甲", path=small, now=NOW)
    assert small.read_text(encoding="utf-8") == SMALL
    assert not (small.parent / "backups").exists()


def test_file_changed_since_the_edit_began_is_not_overwritten(small: Path) -> None:
    version = rules_version(small)
    small.write_text(SMALL + "\n# 手で追記\n", encoding="utf-8")
    with pytest.raises(RuleEditError, match="変更されています"):
        rules_edit.save_topic(
            TopicDraft("甲", "", "#111111", "甲"), "甲", path=small, expected_version=version
        )
    assert small.read_text(encoding="utf-8").endswith("# 手で追記\n")


def test_unknown_original_topic_is_refused(small: Path) -> None:
    with pytest.raises(RuleEditError, match="ありません"):
        rules_edit.save_topic(TopicDraft("丁", "", "#444444", "丁"), "丁", path=small)


def test_draft_problems_are_in_japanese() -> None:
    rules = load_rules(DEFAULT_RULES_PATH)
    assert rules_edit.draft_problems(TopicDraft("クラウド", "", "#1f77b4", "a"), rules, "クラウド") == []
    assert "既にあります" in rules_edit.draft_problems(TopicDraft("クラウド", "", "#1f77b4", "a"), rules)[0]
    assert "予約" in rules_edit.draft_problems(TopicDraft("未分類", "", "#1f77b4", "a"), rules)[0]
    assert "色は" in rules_edit.draft_problems(TopicDraft("新", "", "blue", "a"), rules)[0]
    assert rules_edit.draft_problems(TopicDraft(" ", "", "#1f77b4", " \n"), rules) == [
        "トピック名を入力してください。",
        "ルール式を入力してください。",
    ]


def test_check_rule_reports_the_position() -> None:
    assert rules_edit.check_rule("クラウド or AWS") is None
    error = rules_edit.check_rule("クラウド or (AWS", topic="クラウド")
    assert error is not None and error.position == 8
    assert "9文字目" in str(error) and "閉じ括弧" in error.reason
    assert rules_edit.error_parts(error) == ("クラウド or ", "(", "AWS")
    end = rules_edit.check_rule("クラウド or")
    assert end is not None and rules_edit.error_parts(end) == ("クラウド or", "", "")


# --- where the file is --------------------------------------------------------------------------


def test_env_var_chooses_the_rules_file(monkeypatch: pytest.MonkeyPatch, small: Path) -> None:
    repo = _sha(DEFAULT_RULES_PATH)
    monkeypatch.setenv(RULES_ENV, str(small))
    assert rules_path() == small
    assert [r.name for r in load_rules()] == ["甲", "乙", "丙"]
    assert rules_version() == rules_version(small)
    saved = rules_edit.save_topic(TopicDraft("甲", "", "#111111", "甲 or 甲乙"), "甲", now=NOW)
    assert saved.path == small and load_rules()[0].rule == "甲 or 甲乙"
    assert _sha(DEFAULT_RULES_PATH) == repo
    monkeypatch.delenv(RULES_ENV)
    assert rules_path() == DEFAULT_RULES_PATH


# --- gained / lost preview ----------------------------------------------------------------------


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    texts = [
        "クラウドの活用",  # 1: a, stays matched
        "回線の共同調達",  # 2: only the old rule
        "マイクロソフトとの協定",  # 3: only the new rule, through its token term
        "人材の育成",  # 4: neither
        "クラウドと回線",  # 5: both
    ]
    statements = pd.DataFrame(
        {
            "statement_id": [1, 2, 3, 4, 5],
            "meeting_label": ["第1回"] * 5,
            "date": ["2024-01-01", "2024-01-01", None, None, "2024-01-01"],
            "speaker": ["足立区", "町田市", "宮坂副知事", "足立区", "国分寺市"],
            "org_name": ["足立区", "町田市", "東京都", "足立区", "国分寺市"],
            "text": texts,
            "norm_text": texts,
            "topics": [("クラウド",)] * 5,
            "chars": [len(t) for t in texts],
        }
    )
    tokens = pd.DataFrame(
        {
            "statement_id": [1, 2, 3, 3, 5],
            "term": ["クラウド", "共同調達", "Microsoft", "協定", "回線"],
            "surface": ["クラウド", "共同調達", "マイクロソフト", "協定", "回線"],
            "pos": ["名詞"] * 5,
        }
    )
    return statements, tokens


def test_match_diff_gains_and_losses() -> None:
    statements, tokens = _frames()
    diff = rules_edit.match_diff(statements, tokens, "クラウド or 回線", "クラウド or Microsoft")
    assert (diff.before, diff.after) == (3, 3)
    assert diff.gained["statement_id"].tolist() == [3]
    assert diff.lost["statement_id"].tolist() == [2]
    assert list(diff.gained.columns) == rules_edit.DIFF_COLUMNS
    assert diff.gained["speaker"].tolist() == ["宮坂副知事"]


def test_match_diff_of_a_new_topic_only_gains() -> None:
    statements, tokens = _frames()
    diff = rules_edit.match_diff(statements, tokens, None, "人材 or 回線")
    assert (diff.before, diff.after) == (0, 3)
    assert diff.gained["statement_id"].tolist() == [2, 4, 5]
    assert diff.lost.empty and list(diff.lost.columns) == rules_edit.DIFF_COLUMNS


def test_match_diff_on_an_empty_corpus() -> None:
    statements, tokens = _frames()
    diff = rules_edit.match_diff(statements.iloc[0:0], tokens.iloc[0:0], "a", "b")
    assert (diff.before, diff.after, len(diff.gained), len(diff.lost)) == (0, 0, 0, 0)


def test_match_diff_raises_on_a_malformed_rule() -> None:
    statements, tokens = _frames()
    with pytest.raises(ValueError, match="閉じ括弧"):
        rules_edit.match_diff(statements, tokens, "a", "(b", topic="甲")
