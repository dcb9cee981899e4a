"""Topic coding rules: the rule-expression parser, rule loading, and golden labels on the seed."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from analysis.rules_expr import And, Context, Not, Or, Phrase, RuleError, Term, parse_rule
from analysis.tokens import get_tokenizer
from analysis.topics import (
    DEFAULT_RULES_PATH,
    UNCLASSIFIED,
    UNCLASSIFIED_COLOR,
    classify,
    classify_many,
    load_rules,
    rule_hits,
    rules_version,
    topic_colors,
)

SEED = Path(__file__).resolve().parent.parent / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"

#: Lines without ○ that continue the statement before them (page breaks, a new paragraph).
_CONTINUATIONS = ("で作っていただき提供することは可能。", "1つ種になるようなものを作り", "また、M365は")


def _normalize_for_test(text: str) -> str:
    """Stand-in for analysis.normalize (not a dependency here): NFKC and no spaces next to Japanese."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])", "", text)


def seed_statements() -> list[str]:
    """The seed's 25 statements: each ○ line, with its continuation lines, except ○質疑なし."""
    statements: list[str] = []
    for line in _normalize_for_test(SEED.read_text(encoding="utf-8")).splitlines():
        if line.startswith("○"):
            if line != "○質疑なし":
                statements.append(line[1:])
        elif line.startswith(_CONTINUATIONS):
            statements[-1] += line
    return statements


# Hand labels, by reading each statement (0-based index into seed_statements()). A statement
# carries a topic when it says so itself, not when only the surrounding discussion does.
#  0 荒川区: 都のクラウド化とガバメントクラウドの違い          -> クラウド
#  1 情報システム企画課長: ガバクラ=標準的な仕様、都のクラウドインフラ、共通の基盤部分
#                                                           -> クラウド, 標準化・共通化
#  2 足立区: 都のクラウドと国のガバメントクラウドは競合するか   -> クラウド
#  3 課長: 三層分離、マルチクラウド型、ガバクラと繋ぐ            -> クラウド, セキュリティ, ネットワーク
#  4 DX支援担当部長: 協働事業検討部会、多様なクラウド、回線を束ねる
#                                                           -> クラウド, 協働, ネットワーク
#  5 国分寺市: クラウドの活用・共同利用の検討状況               -> クラウド, 共同調達・コスト
#  6 課長: クラウドインフラ、ネットワーク等を共通化             -> クラウド, 標準化・共通化, ネットワーク
#  7 国分寺市: 個人情報の取扱い・安全性                         -> セキュリティ
#  8 課長: 高いレベルのセキュリティ                             -> セキュリティ
#  9 世田谷区: LGWAN上のクラウドインフラ、β'モデルのパブリッククラウド
#                                                           -> クラウド, セキュリティ, ネットワーク
# 10 課長: 三層分離など制度上の制約                             -> セキュリティ, ネットワーク
# 11 足立区: 高齢者、スマホサポーター、地元自治体とも連携して一緒に -> デジタルデバイド
#    (「連携して一緒に進め」は一般的な言い回しで GovTech東京・協働 の話ではない: 規則を絞って外した)
# 12 戦略課長: 一般募集、アンケート調査                         -> 未分類
# 13 足立区: 業務システムの統一・標準化                         -> 標準化・共通化
# 14 足立区: ガバメントクラウドのデータセンターは国内か         -> クラウド
# 15 デジタル庁: 標準化対象の範囲外、カスタマイズ禁止、標準機能 -> 標準化・共通化
# 16 デジタル庁: データセンターは国内に置く                     -> クラウド
# 17 町田市: クラウド化・標準ツール化、M365・Azureのライセンス料、共同調達、標準化ツール
#                                                           -> クラウド, 標準化・共通化, 協働, 共同調達, ツール
#    (都に共同調達の仕組みを求める発言: 共同調達は都と区市町村の協働として数える)
# 18 宮坂副知事: GovTech東京、RPA・ローコードの勉強会、コストメリット、クラウドの共同利用
#                                                           -> クラウド, 協働, 人材, 共同調達, ツール
# 19 足立区: GovTech東京への期待、東京都と区市町村、人材        -> 協働, デジタル人材
# 20 足立区: ガバクラに人的資源、基幹システムの共同化、ツール   -> クラウド, 人材, 共同調達, ツール
# 21 宮坂副知事: 共同調達、人材教育、自治体と連携、ガバクラ     -> クラウド, 協働, 人材, 共同調達
# 22 DX支援担当部長: LoGoチャット、標準化共通化、業務改善       -> 標準化・共通化, ツール
# 23 宮坂副知事: CIOとツールを使った意見交換                    -> ツール
# 24 国分寺市: 東京都と区市町村の温度感、CIOで同じ認識          -> 未分類
#    (都と区市町村の温度感の話で、協働の取組ではない: 規則を絞って外した)
SEED_LABELS: dict[str, set[int]] = {
    "クラウド": {0, 1, 2, 3, 4, 5, 6, 9, 14, 16, 17, 18, 20, 21},
    "標準化・共通化": {1, 6, 13, 15, 17, 22},
    # Narrowed rule (GovTech東京, 協働, 共同運営, 共同調達, 都と区市町村 + 連携/議論…): was {4, 11, 18, 19, 21, 24}.
    "GovTech東京・協働": {4, 17, 18, 19, 21},
    "セキュリティ・個人情報": {3, 7, 8, 9, 10},
    "デジタル人材": {18, 19, 20, 21},
    "デジタルデバイド": {11},
    "共同調達・コスト": {5, 17, 18, 20, 21},
    "ツール・業務効率化": {17, 18, 20, 22, 23},
    "データ利活用": set(),
    "手続のデジタル化": set(),
    "ネットワーク": {3, 4, 6, 9, 10},
    UNCLASSIFIED: {12, 24},
}

REQUIRED_TOPICS = (
    "クラウド",
    "標準化・共通化",
    "GovTech東京・協働",
    "セキュリティ・個人情報",
    "デジタル人材",
    "デジタルデバイド",
    "共同調達・コスト",
    "ツール・業務効率化",
    "データ利活用",
    "手続のデジタル化",
    "ネットワーク",
)


@pytest.fixture(scope="module")
def rules():
    return load_rules()


@pytest.fixture(scope="module")
def seed_labels(rules):
    statements = seed_statements()
    tokenizer = get_tokenizer()
    terms = [[t.term for t in tokenizer.tokenize(s)] for s in statements]
    return statements, terms, classify_many(statements, terms, rules)


def _ctx(text: str, terms: tuple[str, ...] = ()) -> Context:
    return Context.of(text, terms)


# --- rule expressions -------------------------------------------------------------------------


def test_and_binds_tighter_than_or():
    assert parse_rule("a or b and c") == Or((Term("a"), And((Term("b"), Term("c")))))
    assert parse_rule("a and b or c") == Or((And((Term("a"), Term("b"))), Term("c")))


def test_not_binds_tighter_than_and():
    assert parse_rule("not a and b") == And((Not(Term("a")), Term("b")))
    assert parse_rule("not not a") == Not(Not(Term("a")))


def test_parentheses_override_precedence():
    assert parse_rule("(a or b) and c") == And((Or((Term("a"), Term("b"))), Term("c")))
    assert parse_rule("not (a or b)") == Not(Or((Term("a"), Term("b"))))


def test_symbol_keyword_and_fullwidth_operators_are_equivalent():
    expected = parse_rule("(a or b) and not c")
    assert parse_rule("(a | b) & !c") == expected
    assert parse_rule("(a OR b) AND NOT c") == expected
    assert parse_rule("（a｜b）＆！c") == expected


def test_quoted_phrases():
    assert parse_rule('"フィット & ギャップ" or 「統一・標準化」') == Or(
        (Phrase("フィット & ギャップ"), Phrase("統一・標準化"))
    )
    assert parse_rule('"and"') == Phrase("and")


def test_term_matches_token_term_or_substring():
    rule = parse_rule("標準化")
    assert rule.evaluate(_ctx("業務システムの統一・標準化という言葉"))
    microsoft = parse_rule("Microsoft")
    assert microsoft.evaluate(_ctx("東京都とマイクロソフトの協定", ("東京都", "Microsoft", "協定")))
    assert not microsoft.evaluate(_ctx("東京都とマイクロソフトの協定", ("東京都", "協定")))


def test_phrase_matches_text_only():
    phrase = parse_rule('"Microsoft"')
    assert not phrase.evaluate(_ctx("東京都とマイクロソフトの協定", ("Microsoft",)))
    assert phrase.evaluate(_ctx("Microsoftと提携"))


def test_matching_ignores_latin_case_and_width():
    assert parse_rule("azure").evaluate(_ctx("M365やAZUREのライセンス料"))
    assert parse_rule("ＧｏｖＴｅｃｈ東京").evaluate(_ctx("Govtech東京に大きな期待"))


def test_not_and_combinations_evaluate():
    rule = parse_rule("クラウド and not (ガバメントクラウド or データセンター)")
    assert rule.evaluate(_ctx("都のクラウドインフラ"))
    assert not rule.evaluate(_ctx("国のガバメントクラウドと都のクラウド"))
    assert not rule.evaluate(_ctx("人材の育成"))


def test_words_lists_terms_and_phrases():
    assert parse_rule('a and not (b or "c d")').words() == ("a", "b", "c d")


@pytest.mark.parametrize(
    ("source", "position"),
    [
        ("", 0),
        ("   ", 3),
        ("クラウド or", 7),
        ("(クラウド or AWS", 0),
        ("クラウド AWS", 5),
        ("クラウド or AWS)", 11),
        ('"マルチクラウド or AWS', 0),
        ("クラウド and or AWS", 9),
        ("()", 1),
        ('""', 0),
        ("not", 3),
    ],
)
def test_malformed_rules_report_topic_and_position(source, position):
    with pytest.raises(RuleError) as info:
        parse_rule(source, topic="クラウド")
    assert info.value.topic == "クラウド"
    assert info.value.position == position
    assert "クラウド" in str(info.value)


# --- loading rules ----------------------------------------------------------------------------


def _write_rules(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "topics.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_default_rules_cover_the_remit(rules):
    names = [r.name for r in rules]
    assert set(REQUIRED_TOPICS) <= set(names)
    assert len(names) == len(set(names))
    assert all(r.description and r.rule for r in rules)


def test_colors_are_distinct_and_unclassified_is_grey(rules):
    colors = topic_colors(rules)
    assert list(colors) == [r.name for r in rules] + [UNCLASSIFIED]
    assert colors[UNCLASSIFIED] == UNCLASSIFIED_COLOR
    assert len(set(colors.values())) == len(colors)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colors.values())


def test_load_rules_reports_malformed_rule_with_topic(tmp_path):
    path = _write_rules(
        tmp_path,
        "version: 1\ntopics:\n  - name: 良い\n    rule: a or b\n  - name: 壊れた\n    rule: (a or b\n",
    )
    with pytest.raises(RuleError) as info:
        load_rules(path)
    assert info.value.topic == "壊れた"
    assert info.value.position == 0


@pytest.mark.parametrize(
    ("body", "topic"),
    [
        ("version: 1\ntopics:\n  - name: A\n    rule: a\n  - name: A\n    rule: b\n", "A"),
        ("version: 1\ntopics:\n  - name: 未分類\n    rule: a\n", "未分類"),
        ('version: 1\ntopics:\n  - name: A\n    color: "blue"\n    rule: a\n', "A"),
        ("version: 1\ntopics:\n  - name: A\n", "A"),
        ("version: 1\ntopics: {}\n", ""),
        ("version: 2\ntopics:\n  - name: A\n    rule: a\n", ""),
        ("version: 1\ntopics: [\n", ""),
    ],
)
def test_load_rules_rejects_invalid_files(tmp_path, body, topic):
    with pytest.raises(RuleError) as info:
        load_rules(_write_rules(tmp_path, body))
    assert info.value.topic == topic


def test_missing_color_gets_a_palette_color(tmp_path):
    rules = load_rules(_write_rules(tmp_path, "version: 1\ntopics:\n  - name: A\n    rule: a\n"))
    assert re.fullmatch(r"#[0-9a-f]{6}", rules[0].color)
    assert rules[0].color != UNCLASSIFIED_COLOR


def test_rules_version_follows_file_content(tmp_path):
    copy = tmp_path / "topics.yaml"
    shutil.copyfile(DEFAULT_RULES_PATH, copy)
    assert rules_version(copy) == rules_version()
    copy.write_text(copy.read_text(encoding="utf-8") + "\n# 追記\n", encoding="utf-8")
    assert rules_version(copy) != rules_version()


# --- classification ---------------------------------------------------------------------------


def test_classify_is_multi_label_in_rule_order(rules):
    text = "ガバメントクラウドのライセンス料を共同調達で"
    # 共同調達 is also a GovTech東京・協働 term since that rule was narrowed to joint undertakings.
    assert classify(text, ["ガバメントクラウド", "ライセンス料", "共同調達"], rules) == (
        "クラウド",
        "GovTech東京・協働",
        "共同調達・コスト",
    )


def test_classify_unmatched_is_unclassified(rules):
    assert classify("アンケート調査を実施する", ["アンケート調査", "実施"], rules) == (UNCLASSIFIED,)


def test_classify_uses_folded_terms(rules):
    text = "Microsoft 365の導入"
    assert "ツール・業務効率化" not in classify(text, [], rules)
    assert "ツール・業務効率化" in classify(text, ["M365", "導入"], rules)


def test_seed_has_25_statements():
    statements = seed_statements()
    assert len(statements) == 25
    assert statements[15].endswith("基本方針にも規定している。")
    assert statements[17].endswith("広く自治体が利用できると考えている。")
    assert statements[21].endswith("数やスケールを増やしていくことを考えている。")


def test_seed_labels_match_hand_labels(rules, seed_labels):
    _, _, labels = seed_labels
    for topic, expected in SEED_LABELS.items():
        got = {i for i, topics in enumerate(labels) if topic in topics}
        assert got == expected, topic


def test_seed_cloud_is_the_largest_topic(rules, seed_labels):
    statements, terms, _ = seed_labels
    hits = rule_hits(statements, terms, rules)
    assert list(hits) == [r.name for r in rules] + [UNCLASSIFIED]
    assert max(hits, key=hits.__getitem__) == "クラウド"
    assert hits["クラウド"] > max(n for t, n in hits.items() if t != "クラウド")
    for topic in ("クラウド", "標準化・共通化", "GovTech東京・協働"):
        assert hits[topic] >= 2
    assert hits == {topic: len(indices) for topic, indices in SEED_LABELS.items()}


def test_classify_many_rejects_mismatched_lengths(rules):
    with pytest.raises(ValueError):
        classify_many(["a", "b"], [["a"]], rules)


GOVTECH = "GovTech東京・協働"


@pytest.mark.parametrize(
    "text",
    [
        # A remark about smartphone support that only says "together with the municipalities".
        "決済アプリやポイント事業の普及で、スマホを使う高齢者が増えた。スマホ教室の拡大は地元の自治体とも連携して一緒に進めたい。",
        "この件は区市町村と連携して進めていきたい。",
        "東京都と区市町村では温度差があると感じている。",
    ],
)
def test_generic_cooperation_phrases_are_not_govtech(rules, text):
    terms = [t.term for t in get_tokenizer().tokenize(text)]
    assert GOVTECH not in classify(text, terms, rules)


@pytest.mark.parametrize(
    "text",
    [
        "GovTech東京の技術者に、区のシステム移行を支援してもらっている。",
        "都と区市町村の協働事業として、窓口の端末を共同調達する。",
        "共同運営の協議会を立ち上げたい。",
        "都と区市町村が対等に議論できる場を作りたい。",
    ],
)
def test_govtech_and_joint_undertakings_are_govtech(rules, text):
    terms = [t.term for t in get_tokenizer().tokenize(text)]
    assert GOVTECH in classify(text, terms, rules)
