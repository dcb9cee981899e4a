"""Text normalization for matching and counting (never for display or storage of the original).

Minutes extracted from PDFs carry artefacts that break exact matching: compatibility characters
(fullwidth Latin, Kangxi radicals), CJK radical-supplement look-alikes that NFKC leaves alone
(⻑ instead of 長), stray spaces between Japanese and Latin text ("CIO フォーラム") and variant
kanji in names (髙橋/高橋). ``normalize_text`` removes the first three; ``fold_variants`` also folds
variant kanji for identity matching of names and labels. Neither corrects words: typos such as
TOYKO or お願ひしたい stay as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: CJK Radicals Supplement (U+2E80–U+2EF3) -> the unified ideograph each one stands for.
#: NFKC maps the Kangxi Radicals block (U+2F00–U+2FD5) but of this block only U+2E9F and U+2EF3.
#: Targets follow the Unicode data file EquivalentUnifiedIdeograph.txt; each pair was checked by
#: code point name and by comparing glyphs in Noto Sans CJK JP. Radicals without a clear standalone
#: ideograph (e.g. U+2E8D SMALL TWO, U+2EBC MEAT) are left out on purpose.
CJK_RADICALS_SUPPLEMENT: dict[str, str] = {
    "\u2e81": "\u5382",  # ⺁ CLIFF -> 厂
    "\u2e85": "\u4ebb",  # ⺅ PERSON -> 亻
    "\u2e86": "\u5182",  # ⺆ BOX -> 冂
    "\u2e89": "\u5202",  # ⺉ KNIFE TWO -> 刂
    "\u2e8a": "\u535c",  # ⺊ DIVINATION -> 卜
    "\u2e8b": "\u353e",  # ⺋ SEAL -> 㔾
    "\u2e8c": "\u5c0f",  # ⺌ SMALL ONE -> 小
    "\u2e92": "\u5df3",  # ⺒ SNAKE -> 巳
    "\u2e93": "\u5e7a",  # ⺓ THREAD -> 幺
    "\u2e94": "\u5f51",  # ⺔ SNOUT ONE -> 彑
    "\u2e96": "\u5fc4",  # ⺖ HEART ONE -> 忄
    "\u2e97": "\u38fa",  # ⺗ HEART TWO -> 㣺
    "\u2e98": "\u624c",  # ⺘ HAND -> 扌
    "\u2e99": "\u6535",  # ⺙ RAP -> 攵
    "\u2e9b": "\u65e1",  # ⺛ CHOKE -> 旡
    "\u2e9c": "\u65e5",  # ⺜ SUN -> 日
    "\u2e9d": "\u6708",  # ⺝ MOON -> 月
    "\u2e9e": "\u6b7a",  # ⺞ DEATH -> 歺
    "\u2e9f": "\u6bcd",  # ⺟ MOTHER -> 母 (NFKC does this one too)
    "\u2ea0": "\u6c11",  # ⺠ CIVILIAN -> 民
    "\u2ea1": "\u6c35",  # ⺡ WATER ONE -> 氵
    "\u2ea2": "\u6c3a",  # ⺢ WATER TWO -> 氺
    "\u2ea3": "\u706c",  # ⺣ FIRE -> 灬
    "\u2ea4": "\u722b",  # ⺤ PAW ONE -> 爫
    "\u2ea6": "\u4e2c",  # ⺦ SIMPLIFIED HALF TREE TRUNK -> 丬
    "\u2ea8": "\u72ad",  # ⺨ DOG -> 犭
    "\u2ea9": "\u738b",  # ⺩ JADE -> 王
    "\u2eac": "\u793a",  # ⺬ SPIRIT ONE -> 示
    "\u2ead": "\u793b",  # ⺭ SPIRIT TWO -> 礻
    "\u2eaf": "\u7cf9",  # ⺯ SILK -> 糹
    "\u2eb0": "\u7e9f",  # ⺰ C-SIMPLIFIED SILK -> 纟
    "\u2eb2": "\u7f52",  # ⺲ NET TWO -> 罒
    "\u2eb3": "\u7f53",  # ⺳ NET THREE -> 罓
    "\u2eb9": "\u8002",  # ⺹ OLD -> 耂
    "\u2ebd": "\u81fc",  # ⺽ MORTAR -> 臼
    "\u2ebe": "\u8279",  # ⺾ GRASS ONE -> 艹
    "\u2ebf": "\u8279",  # ⺿ GRASS TWO -> 艹
    "\u2ec0": "\u8279",  # ⻀ GRASS THREE -> 艹
    "\u2ec1": "\u864e",  # ⻁ TIGER -> 虎
    "\u2ec2": "\u8864",  # ⻂ CLOTHES -> 衤
    "\u2ec3": "\u8980",  # ⻃ WEST ONE -> 襾
    "\u2ec4": "\u897f",  # ⻄ WEST TWO -> 西
    "\u2ec5": "\u89c1",  # ⻅ C-SIMPLIFIED SEE -> 见
    "\u2ec6": "\u89d2",  # ⻆ SIMPLIFIED HORN -> 角
    "\u2ec8": "\u8ba0",  # ⻈ C-SIMPLIFIED SPEECH -> 讠
    "\u2ec9": "\u8d1d",  # ⻉ C-SIMPLIFIED SHELL -> 贝
    "\u2eca": "\U00027fb7",  # ⻊ FOOT -> 𧾷
    "\u2ecb": "\u8f66",  # ⻋ C-SIMPLIFIED CART -> 车
    "\u2ecc": "\u8fb6",  # ⻌ SIMPLIFIED WALK -> 辶
    "\u2ecd": "\u8fb6",  # ⻍ WALK ONE -> 辶
    "\u2ece": "\u8fb6",  # ⻎ WALK TWO -> 辶
    "\u2ecf": "\u961d",  # ⻏ CITY -> 阝
    "\u2ed0": "\u9485",  # ⻐ C-SIMPLIFIED GOLD -> 钅
    "\u2ed1": "\u9577",  # ⻑ LONG ONE -> 長
    "\u2ed2": "\u9578",  # ⻒ LONG TWO -> 镸
    "\u2ed3": "\u957f",  # ⻓ C-SIMPLIFIED LONG -> 长
    "\u2ed4": "\u95e8",  # ⻔ C-SIMPLIFIED GATE -> 门
    "\u2ed6": "\u961d",  # ⻖ MOUND TWO -> 阝
    "\u2ed7": "\u96e8",  # ⻗ RAIN -> 雨
    "\u2ed8": "\u9752",  # ⻘ BLUE -> 青
    "\u2ed9": "\u97e6",  # ⻙ C-SIMPLIFIED TANNED LEATHER -> 韦
    "\u2eda": "\u9875",  # ⻚ C-SIMPLIFIED LEAF -> 页
    "\u2edb": "\u98ce",  # ⻛ C-SIMPLIFIED WIND -> 风
    "\u2edc": "\u98de",  # ⻜ C-SIMPLIFIED FLY -> 飞
    "\u2edd": "\u98df",  # ⻝ EAT ONE -> 食
    "\u2edf": "\u98e0",  # ⻟ EAT THREE -> 飠
    "\u2ee0": "\u9963",  # ⻠ C-SIMPLIFIED EAT -> 饣
    "\u2ee1": "\u9996",  # ⻡ HEAD -> 首
    "\u2ee2": "\u9a6c",  # ⻢ C-SIMPLIFIED HORSE -> 马
    "\u2ee3": "\u9aa8",  # ⻣ BONE -> 骨
    "\u2ee4": "\u9b3c",  # ⻤ GHOST -> 鬼
    "\u2ee5": "\u9c7c",  # ⻥ C-SIMPLIFIED FISH -> 鱼
    "\u2ee6": "\u9e1f",  # ⻦ C-SIMPLIFIED BIRD -> 鸟
    "\u2ee7": "\u5364",  # ⻧ C-SIMPLIFIED SALT -> 卤
    "\u2ee8": "\u9ea6",  # ⻨ SIMPLIFIED WHEAT -> 麦
    "\u2ee9": "\u9ec4",  # ⻩ SIMPLIFIED YELLOW -> 黄
    "\u2eea": "\u9efe",  # ⻪ C-SIMPLIFIED FROG -> 黾
    "\u2eeb": "\u6589",  # ⻫ J-SIMPLIFIED EVEN -> 斉
    "\u2eec": "\u9f50",  # ⻬ C-SIMPLIFIED EVEN -> 齐
    "\u2eed": "\u6b6f",  # ⻭ J-SIMPLIFIED TOOTH -> 歯
    "\u2eee": "\u9f7f",  # ⻮ C-SIMPLIFIED TOOTH -> 齿
    "\u2eef": "\u7adc",  # ⻯ J-SIMPLIFIED DRAGON -> 竜
    "\u2ef0": "\u9f99",  # ⻰ C-SIMPLIFIED DRAGON -> 龙
    "\u2ef1": "\u9f9c",  # ⻱ TURTLE -> 龜
    "\u2ef2": "\u4e80",  # ⻲ J-SIMPLIFIED TURTLE -> 亀
    "\u2ef3": "\u9f9f",  # ⻳ C-SIMPLIFIED TURTLE -> 龟 (NFKC does this one too)
}

#: Variant kanji folded for identity matching of names and labels (not for display).
#: Only pairs that denote the same character in Japanese names; 斎 and 斉 stay distinct.
VARIANT_KANJI: dict[str, str] = {
    # 高: 髙 (hashigo-daka) in 髙橋, 髙木
    "\u9ad9": "\u9ad8",  # 髙 -> 高
    # 崎: 﨑 (U+FA11, a unified ideograph in the compatibility block, kept by NFKC), 碕, 嵜
    "\ufa11": "\u5d0e",  # 﨑 -> 崎
    "\u7895": "\u5d0e",  # 碕 -> 崎
    "\u5d5c": "\u5d0e",  # 嵜 -> 崎
    # 辺: 邊, 邉 in 渡邊/渡邉
    "\u908a": "\u8fba",  # 邊 -> 辺
    "\u9089": "\u8fba",  # 邉 -> 辺
    # 浜: 濵, 濱
    "\u6ff5": "\u6d5c",  # 濵 -> 浜
    "\u6ff1": "\u6d5c",  # 濱 -> 浜
    # 沢: 澤
    "\u6fa4": "\u6ca2",  # 澤 -> 沢
    # 斎: 齋 (old form of 斎); 斉: 齊 (old form of 斉)
    "\u9f4b": "\u658e",  # 齋 -> 斎
    "\u9f4a": "\u6589",  # 齊 -> 斉
    # 桜: 櫻
    "\u6afb": "\u685c",  # 櫻 -> 桜
    # 広: 廣
    "\u5ee3": "\u5e83",  # 廣 -> 広
    # 徳: 德
    "\u5fb7": "\u5fb3",  # 德 -> 徳
    # 真: 眞
    "\u771e": "\u771f",  # 眞 -> 真
    # 吉: 𠮷 (tsuchi-yoshi)
    "\U00020bb7": "\u5409",  # 𠮷 -> 吉
    # 国: 國
    "\u570b": "\u56fd",  # 國 -> 国
}

_RADICALS_TABLE = str.maketrans(CJK_RADICALS_SUPPLEMENT)
_VARIANTS_TABLE = str.maketrans(VARIANT_KANJI)

#: Middle-dot look-alikes that PDF producers and fonts emit for ・ (東京都‧区市町村 from one PDF
#: producer, Symbol-font private-use bullets from Word): folded to the katakana middle dot.
MIDDLE_DOTS: dict[str, str] = {
    "\u2027": "\u30fb",  # ‧ HYPHENATION POINT
    "\u00b7": "\u30fb",  # · MIDDLE DOT
    "\u2219": "\u30fb",  # ∙ BULLET OPERATOR
    "\u22c5": "\u30fb",  # ⋅ DOT OPERATOR
    "\uf0a7": "\u30fb",  # Symbol/Wingdings bullets in the private use area
    "\uf0b7": "\u30fb",
    "\uf06c": "\u30fb",
    "\uf0d8": "\u30fb",
    "\uf0fc": "\u30fb",
}
_MIDDLE_DOTS_TABLE = str.maketrans(MIDDLE_DOTS)

#: Invisible characters that PDF and web text leave inside words.
_INVISIBLE = str.maketrans({"\u200b": None, "\u2060": None, "\ufeff": None, "\u00ad": None})

# Japanese: CJK symbols and punctuation (、。「」々〆), kana, CJK ideographs (BMP, extension A,
# compatibility block, supplementary planes) and fullwidth forms left after NFKC.
_JA = (
    "\u3001-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\uff01-\uff9f\U00020000-\U0003134f"
)
_LATIN = "0-9A-Za-z"
_SPACE_BETWEEN_JA_AND_LATIN = re.compile(
    rf"(?<=[{_JA}])[ \t]+(?=[{_LATIN}])|(?<=[{_LATIN}])[ \t]+(?=[{_JA}])"
)
_INLINE_WHITESPACE = re.compile(r"[^\S\n]+")


@lru_cache(maxsize=16384)
def normalize_text(text: str) -> str:
    """Return ``text`` normalized for matching and counting; newlines are kept.

    NFKC, radical look-alikes mapped to ideographs, middle-dot look-alikes folded to ・ (so
    東京都‧区市町村 reads 東京都・区市町村), invisible characters dropped, whitespace runs
    inside a line collapsed to one space, spaces between Japanese and Latin letters/digits
    removed ("CIO フォーラム" -> "CIOフォーラム"; "Microsoft Teams" keeps its space), and each
    line stripped. Idempotent; memoized (the parser asks about the same labels many times).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text).translate(_RADICALS_TABLE).translate(_INVISIBLE)
    text = text.translate(_MIDDLE_DOTS_TABLE)
    lines = []
    for line in text.split("\n"):
        line = _INLINE_WHITESPACE.sub(" ", line)
        line = _SPACE_BETWEEN_JA_AND_LATIN.sub("", line)
        lines.append(line.strip())
    return "\n".join(lines)


@lru_cache(maxsize=16384)
def fold_variants(text: str) -> str:
    """Return ``normalize_text(text)`` with variant kanji folded (髙橋 -> 高橋, 渡邊 -> 渡辺).

    For identity matching of names and labels only: the folded text is a key, not a spelling.
    """
    return normalize_text(text).translate(_VARIANTS_TABLE)
