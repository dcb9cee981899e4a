from __future__ import annotations

from collections import Counter

import pytest

from analysis.orgs import municipalities, resolve


def test_reference_has_62_municipalities_with_codes_and_regions():
    ms = municipalities()
    assert len(ms) == 62
    assert Counter(m.kind for m in ms) == {"特別区": 23, "市": 26, "町": 5, "村": 8}
    assert Counter(m.region for m in ms) == {"区部": 23, "多摩": 30, "島しょ": 9}
    assert len({m.code for m in ms}) == 62 and all(len(m.code) == 5 and m.code.startswith("13") for m in ms)


@pytest.mark.parametrize(
    ("label", "name", "kind", "code"),
    [
        ("足立区", "足立区", "特別区", "13121"),
        ("千代田区", "千代田区", "特別区", "13101"),
        ("江戸川区", "江戸川区", "特別区", "13123"),
        ("府中市", "府中市", "市", "13206"),
        ("西東京市", "西東京市", "市", "13229"),
        ("国分寺市", "国分寺市", "市", "13214"),
        ("国立市情報政策課長", "国立市", "市", "13215"),
        ("小笠原村", "小笠原村", "村", "13421"),
        ("青ヶ島村", "青ヶ島村", "村", "13402"),
        ("東京都デジタルサービス局基盤整備部情報システム企画課長", "東京都", "東京都", "13000"),
        ("宮坂副知事", "東京都", "東京都", "13000"),
        ("(東京都CIO 副知事 宮坂 学)", "東京都", "東京都", "13000"),
        ("デジタルサービス局長 山田 忠輝", "東京都", "東京都", "13000"),
        ("デジタル庁", "デジタル庁", "国", None),
        ("デジタル庁参事官 渡邊 繁樹 氏", "デジタル庁", "国", None),
        ("総務省自治行政局", "総務省", "国", None),
        ("消防庁", "消防庁", "国", None),
        ("GovTech東京", "GovTech東京", "その他", None),
        ("Govtech 東京", "GovTech東京", "その他", None),
        ("謎の委員", "不明", "不明", None),
    ],
)
def test_resolve(label, name, kind, code):
    org = resolve(label)
    assert (org.name, org.kind, org.code) == (name, kind, code)


def test_pdf_artefacts_in_labels_are_normalized():
    assert resolve("東京都デジタルサービス局⻑").name == "東京都"
    assert resolve("⾜⽴区").name == "足立区"
