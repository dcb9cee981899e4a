"""Tokenizer: user dictionary, compounds, POS filter, base forms, synonyms, stopwords, versions."""

from __future__ import annotations

import dataclasses
import multiprocessing
import pickle
import shutil
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from analysis.tokens import (
    DEFAULT_DICTIONARY_DIR,
    DICTIONARY_FILES,
    Token,
    Tokenizer,
    get_tokenizer,
    load_stopwords,
    tokenize_texts,
    tokenizer_version,
    user_dictionary_lines,
)
from tests.test_topics import seed_statements

USER_TERMS = [
    line.split(",", 1)[0]
    for line in (DEFAULT_DICTIONARY_DIR / "user_dict.csv").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return get_tokenizer()


def terms(tokenizer: Tokenizer, text: str) -> list[str]:
    return [t.term for t in tokenizer.tokenize(text)]


def surfaces(tokenizer: Tokenizer, text: str) -> list[str]:
    return [t.surface for t in tokenizer.tokenize(text)]


@pytest.fixture
def dictionary_copy(tmp_path: Path) -> Path:
    for name in DICTIONARY_FILES:
        shutil.copyfile(DEFAULT_DICTIONARY_DIR / name, tmp_path / name)
    return tmp_path


# --- user dictionary --------------------------------------------------------------------------


def test_brief_field_terms_are_in_the_user_dictionary():
    required = {
        "ガバメントクラウド", "GovTech東京", "Govtech東京", "LGWAN", "三層分離", "マイナポイント",
        "LoGoチャット", "Logoチャット", "M365", "Microsoft365", "ローコード", "ノーコード", "RPA",
        "クラウドシフト", "クラウドリフト", "基幹業務システム", "標準化", "共通化", "共同調達",
        "共同利用", "マルチクラウド", "パブリッククラウド", "データセンター", "デジタル庁",
        "デジタルサービス局", "区市町村", "オープンデータ", "EBPM", "デジタルデバイド",
        "スマホサポーター", "生成AI", "ChatGPT", "DX", "CIO", "β'モデル", "フィット&ギャップ",
        "協働事業",
    }  # fmt: skip
    assert required <= set(USER_TERMS)


@pytest.mark.parametrize("term", USER_TERMS)
@pytest.mark.parametrize("template", ["{}", "{}について伺いたい", "都の{}を検討", "新しい{}化"])
def test_each_user_term_is_one_token(tok, term, template):
    assert term in surfaces(tok, template.format(term))


def test_longer_user_term_wins_over_shorter_one(tok):
    assert surfaces(tok, "クラウドインフラについては") == ["クラウドインフラ"]
    assert surfaces(tok, "クラウドシフト・クラウドリフトを行う") == [
        "クラウドシフト",
        "クラウドリフト",
        "行う",
    ]
    assert surfaces(tok, "協働事業検討部会の中で") == ["協働事業", "検討部会"]


def test_user_terms_stand_alone_in_compounds(tok):
    assert surfaces(tok, "TOYKOスマホサポーター制度の拡大") == ["TOYKO", "スマホサポーター", "制度", "拡大"]


def test_malformed_user_dictionary_row_is_rejected(tmp_path):
    path = tmp_path / "user_dict.csv"
    path.write_text("クラウド,名詞,クラウド\nこわれた行\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        user_dictionary_lines(path)


# --- compounds and parts of speech ------------------------------------------------------------


def test_compound_nouns(tok):
    assert terms(tok, "地方公共団体の基幹業務システムの統一") == ["地方公共団体", "基幹業務システム", "統一"]
    assert terms(tok, "各局の業務システムと同様に") == ["各局", "業務システム"]
    assert terms(tok, "共同運営協議会の立ち上げ同様に") == ["共同運営協議会", "立ち上げ"]


def test_compounds_end_after_a_suffix_and_skip_enumerating_nado(tok):
    assert terms(tok, "効率的効果的に活用する") == ["効率的", "効果的", "活用"]
    assert terms(tok, "役割分担等を整理されているか") == ["役割分担", "整理"]


def test_numbers_and_adverbial_nouns_are_dropped(tok):
    assert terms(tok, "令和7年度以降において") == ["令和"]
    assert terms(tok, "200近くの要望") == ["要望"]


def test_verbs_and_adjectives_in_base_form(tok):
    tokens = tok.tokenize("地元自治体と一緒に進めていければ、高いレベルを使っていく")
    by_surface = {t.surface: t for t in tokens}
    assert by_surface["進め"] == Token("進める", "進め", "動詞")
    assert by_surface["使っ"] == Token("使う", "使っ", "動詞")
    assert by_surface["高い"] == Token("高い", "高い", "形容詞")


def test_only_content_words_are_kept(tok):
    pos = {t.pos for t in tok.tokenize("ガバメントクラウドのデータセンターは必ず国内に置くこと")}
    assert pos == {"名詞", "動詞"}
    assert terms(tok, "ガバメントクラウドのデータセンターは必ず国内に置くこと") == [
        "ガバメントクラウド",
        "データセンター",
        "国内",
        "置く",
    ]


# --- synonyms and stopwords -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "term"),
    [
        ("M365やAZUREのライセンス料", "AZURE", "Azure"),
        ("azureの利用", "azure", "Azure"),
        ("Govtech東京に大きな期待", "Govtech東京", "GovTech東京"),
        ("GOVTECH東京の設立", "GOVTECH東京", "GovTech東京"),
        ("Logoチャットのアカウント", "Logoチャット", "LoGoチャット"),
        ("LOGOチャットの利用", "LOGOチャット", "LoGoチャット"),
        ("東京都とマイクロソフトの協定", "マイクロソフト", "Microsoft"),
        ("Microsoft365の導入", "Microsoft365", "M365"),
        ("ガバクラへの移行", "ガバクラ", "ガバメントクラウド"),
    ],
)
def test_synonyms_fold_term_and_keep_surface(tok, text, surface, term):
    tokens = {t.surface: t for t in tok.tokenize(text)}
    assert tokens[surface].term == term


def test_canonical_terms_keep_their_case(tok):
    assert terms(tok, "GovTech東京とPayPay") == ["GovTech東京", "PayPay"]


def test_stopwords_are_removed(tok):
    text = "今後も自治体からのご意見を伺う場を設けながら進めていきたいと考えている。"
    assert terms(tok, text) == ["自治体", "設ける", "進める"]
    stop = load_stopwords(DEFAULT_DICTIONARY_DIR / "stopwords.txt")
    assert {"する", "いる", "ある", "なる", "考える", "いただく", "こと", "ため", "よう"} <= stop


def test_stopwords_file_ignores_comments(tmp_path):
    path = tmp_path / "stopwords.txt"
    path.write_text("# 見出し\nする  # 動詞\n\nこと\n", encoding="utf-8")
    assert load_stopwords(path) == frozenset({"する", "こと"})


def test_empty_text(tok):
    assert tok.tokenize("") == []
    assert tok.tokenize(" \n") == []


# --- the seed minutes -------------------------------------------------------------------------


def test_seed_term_counts(tok):
    counts = Counter(t.term for tokens in tok.tokenize_many(seed_statements()) for t in tokens)
    # Counted by reading the 25 statements.
    assert counts["ガバメントクラウド"] == 9
    assert counts["クラウドインフラ"] == 4
    assert counts["データセンター"] == 3
    assert counts["三層分離"] == 2
    assert counts["GovTech東京"] == 2
    assert counts["Microsoft"] == 2
    assert counts["共同調達"] == 2
    assert counts["標準化"] == 4
    assert counts["LoGoチャット"] == 1
    stop = load_stopwords(DEFAULT_DICTIONARY_DIR / "stopwords.txt")
    assert not stop & set(counts)


# --- API, caching, processes, versions --------------------------------------------------------


def test_token_is_frozen():
    token = Token("Azure", "AZURE", "名詞")
    with pytest.raises(dataclasses.FrozenInstanceError):
        token.term = "x"  # type: ignore[misc]


def test_get_tokenizer_is_cached(tok):
    assert get_tokenizer() is tok


def test_tokenize_many_and_tokenize_texts_agree(tok):
    texts = ["Govtech東京に大きな期待", "", "三層分離など制度上の制約"]
    many = tok.tokenize_many(texts)
    assert many == [tok.tokenize(t) for t in texts]
    assert tokenize_texts(texts) == [[(t.term, t.surface, t.pos) for t in tokens] for tokens in many]


def test_tokenizer_pickles_by_dictionary(tok):
    clone = pickle.loads(pickle.dumps(tok))
    assert clone.version == tok.version
    assert clone.tokenize("Logoチャットの利用") == tok.tokenize("Logoチャットの利用")


def test_tokenize_texts_in_a_worker_process(tok):
    texts = ["M365やAZUREのライセンス料", "クラウドインフラの構築"]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        result = pool.submit(tokenize_texts, texts).result()
    assert result == tokenize_texts(texts)


def test_version_follows_dictionary_files(tok, dictionary_copy):
    assert Tokenizer(dictionary_copy).version == tok.version == tokenizer_version()
    with open(dictionary_copy / "stopwords.txt", "a", encoding="utf-8") as f:
        f.write("自治体\n")
    changed = Tokenizer(dictionary_copy)
    assert changed.version != tok.version
    assert changed.version == tokenizer_version(dictionary_copy)
    assert "自治体" not in terms(changed, "各自治体において")


@pytest.mark.parametrize(("name", "line"), [("user_dict.csv", "書かない窓口,名詞,カカナイマドグチ\n"),
                                            ("synonyms.csv", "窓口,相談窓口\n")])  # fmt: skip
def test_each_dictionary_file_changes_the_version(dictionary_copy, name, line):
    before = tokenizer_version(dictionary_copy)
    with open(dictionary_copy / name, "a", encoding="utf-8") as f:
        f.write(line)
    assert tokenizer_version(dictionary_copy) != before


def test_added_user_term_becomes_one_token(tok, dictionary_copy):
    assert "書かない窓口" not in surfaces(tok, "書かない窓口の導入")
    with open(dictionary_copy / "user_dict.csv", "a", encoding="utf-8") as f:
        f.write("書かない窓口,名詞,カカナイマドグチ\n")
    assert surfaces(Tokenizer(dictionary_copy), "書かない窓口の導入") == ["書かない窓口", "導入"]
