"""Tests for analysis.normalize: the PDF-artefact traps of the real minutes, and invariants."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.normalize import CJK_RADICALS_SUPPLEMENT, VARIANT_KANJI, fold_variants, normalize_text

SEED = Path(__file__).resolve().parents[1] / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("第4回東京都・区市町村 CIO フォーラム", "第4回東京都・区市町村CIOフォーラム"),
        ("Govtech 東京に大きな期待", "Govtech東京に大きな期待"),
        ("○Logo チャットのアカウント", "○Logoチャットのアカウント"),
        ("M365 や AZURE のライセンス料", "M365やAZUREのライセンス料"),
        ("200 近くのフィット & ギャップ", "200近くのフィット & ギャップ"),
        ("区市町村 DX 支援担当部長", "区市町村DX支援担当部長"),
        ("Microsoft Teams を使う", "Microsoft Teamsを使う"),
        ("PayPay やマイナポイント", "PayPayやマイナポイント"),
        ("「東京都の DX 推進", "「東京都のDX推進"),
        ("ＣＩＯ　フォーラム", "CIOフォーラム"),
        ("ｶﾞﾊﾞﾒﾝﾄｸﾗｳﾄﾞ", "ガバメントクラウド"),
        ("令和５年２月１４日（火）", "令和5年2月14日(火)"),
    ],
)
def test_normalize_text_fixes_pdf_artefacts(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_radicals_become_ideographs() -> None:
    # Kangxi radicals (NFKC) and CJK Radicals Supplement (our table) as seen in PDF text layers.
    assert normalize_text("⽇⽉⻑⽀⼩") == "日月長支小"
    assert normalize_text("⻄⻘⻝⻤⻩⻫⻭⻯⻲") == "西青食鬼黄斉歯竜亀"
    assert normalize_text("部⻑") == "部長"


def test_typos_are_kept() -> None:
    text = "TOYKO スマホサポーター制度の拡大。よろしくお願ひしたい。"
    assert normalize_text(text) == "TOYKOスマホサポーター制度の拡大。よろしくお願ひしたい。"


def test_whitespace_collapses_inside_lines_and_newlines_stay() -> None:
    assert normalize_text("  足立区 \t\u3000\n\n○質疑  なし \r\nend\r") == "足立区\n\n○質疑 なし\nend\n"


def test_invisible_characters_are_removed() -> None:
    assert normalize_text("ガバ\u200bメント\ufeff") == "ガバメント"


def test_normalize_text_does_not_fold_variants() -> None:
    assert normalize_text("髙橋 渡邊") == "髙橋 渡邊"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("髙橋", "高橋"),
        ("渡邊", "渡辺"),
        ("渡邉", "渡辺"),
        ("山﨑", "山崎"),
        ("宮碕", "宮崎"),
        ("長濵", "長浜"),
        ("長濱", "長浜"),
        ("澤田", "沢田"),
        ("齋藤", "斎藤"),
        ("齊藤", "斉藤"),
        ("櫻井", "桜井"),
        ("廣瀬", "広瀬"),
        ("德永", "徳永"),
        ("眞鍋", "真鍋"),
        ("デジタル庁参事官 渡邊 繁樹 氏", "デジタル庁参事官 渡辺 繁樹 氏"),
        ("東京都ＣＩＯ　髙橋", "東京都CIO高橋"),
    ],
)
def test_fold_variants(raw: str, expected: str) -> None:
    assert fold_variants(raw) == expected


def test_fold_variants_keeps_distinct_characters() -> None:
    # 斎 and 斉 are different characters (斎藤 vs 斉藤); TOYKO is not corrected either.
    assert fold_variants("斎藤 斉藤 TOYKO") == "斎藤 斉藤TOYKO"


def test_radical_table_targets_are_unified_ideographs() -> None:
    for radical, ideograph in CJK_RADICALS_SUPPLEMENT.items():
        assert 0x2E80 <= ord(radical) <= 0x2EF3
        assert unicodedata.name(radical).startswith("CJK RADICAL ")
        assert unicodedata.name(ideograph).startswith("CJK UNIFIED IDEOGRAPH-"), hex(ord(radical))


def test_every_kangxi_radical_normalizes_to_an_ideograph() -> None:
    for cp in range(0x2F00, 0x2FD6):
        out = normalize_text(chr(cp))
        assert len(out) == 1
        assert unicodedata.name(out).startswith("CJK UNIFIED IDEOGRAPH-"), hex(cp)


def test_variant_table_is_ideograph_to_other_ideograph() -> None:
    for variant, standard in VARIANT_KANJI.items():
        assert variant != standard
        assert "IDEOGRAPH" in unicodedata.name(variant)
        assert unicodedata.name(standard).startswith("CJK UNIFIED IDEOGRAPH-")
        # keys must survive normalize_text, otherwise the fold could never see them
        assert normalize_text(variant) == variant


def test_seed_minutes_normalize_without_changing_line_count() -> None:
    raw = SEED.read_text(encoding="utf-8")
    text = normalize_text(raw)
    assert text.count("\n") == raw.count("\n")
    for expected in (
        "CIOフォーラム",
        "Govtech東京",
        "Logoチャット",
        "200近く",
        "TOYKOスマホ",
        "お願ひしたい",
    ):
        assert expected in text
    assert "CIO フォーラム" not in text


_JA_AND_LATIN = st.text(
    alphabet=st.sampled_from(list("東京都あいうアイウー・、。「」CIOabc019 \t\u3000\n\r＃ＡＢ１⻑⽇髙邊")),
    max_size=60,
)


@given(_JA_AND_LATIN)
def test_normalize_text_is_idempotent_on_minutes_like_text(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert fold_variants(fold_variants(text)) == fold_variants(text)


@given(st.text(max_size=80))
def test_normalize_text_keeps_line_count_and_is_idempotent_on_any_text(text: str) -> None:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n")
    once = normalize_text(text)
    assert once.count("\n") == lines
    assert normalize_text(once) == once
