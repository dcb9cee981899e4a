"""Personal names withheld (個人名を伏せる) before charts, tables and slides leave the machine.

Names come from two places in minutes: agenda presenters ("デジタル庁参事官 渡邊 繁樹 氏") and
speaker labels ("宮坂副知事", "(東京都CIO 副知事 宮坂 学)"). :func:`extract_person` splits a
label into its role/organization text and the person's name; :func:`collect_names` gathers
every name (and its parts and spelling variants) from a set of labels; :func:`withhold` removes
those names from any text, keeping the role ("宮坂副知事" -> "副知事").

Heuristic of :func:`extract_person`, in order:

1. Brackets are stripped, whitespace collapsed, and a trailing honorific (氏, さん, 様, 殿) noted.
2. Structure: the label is split at spaces. If a block ends with a title word (…長, …官, 知事,
   CIO, 理事, 委員, 参事, 参与, 監, 補佐, 顧問, 担当, 主査, 主任 …) and is followed by one or two
   short kanji/kana blocks (≤ 6 characters each), those blocks are the name
   ("…課長 星埜 航"). After an organization block (…区, …庁, …局) instead of a title, the first
   name block must also start with a janome surname (名詞,固有名詞,人名,姓).
3. janome inside the last block: a title word directly followed by tokens tagged
   名詞,固有名詞,人名 ("参事官渡邊繁樹") splits off the name.
4. janome at the start: tokens before a title such as 副知事, 知事, 局長, 部長, 課長, CIO whose
   first token is tagged 名詞,固有名詞,人名,姓 form a leading surname ("宮坂副知事").

Limits: a surname janome does not know (星埜, split into 星 / 埜) is found only in the spaced
form of rule 2, not before a title ("星埜課長"); 区長/市長/町長/村長 are not used for rule 4
because "中野区長" is a ward's mayor, not Mr. 中野; a name written without any title or
honorific ("宮坂 学" alone) is only found if janome tags its first part as a surname; given
names of two characters are withheld everywhere they occur as a string, which may also hide
an ordinary word with the same spelling. :func:`withhold` only knows the names it is given.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import pandas as pd
from janome.tokenizer import Tokenizer

from analysis.normalize import CJK_RADICALS_SUPPLEMENT, VARIANT_KANJI, fold_variants

#: Replacement for a name that no role precedes or follows.
PLACEHOLDER = "（氏名略）"

#: A block ending with one of these is a title ("…担当部長", "参事官", "東京都CIO").
TITLE_SUFFIXES: tuple[str, ...] = (
    "長",
    "官",
    "知事",
    "CIO",
    "CDO",
    "CISO",
    "理事",
    "委員",
    "参事",
    "参与",
    "監",
    "補佐",
    "顧問",
    "担当",
    "主査",
    "主任",
    "主事",
    "議員",
    "大臣",
    "代表",
    "幹事",
    "係",
)

#: Titles that may follow a surname directly ("宮坂副知事", "山田局長"). 区長/市長/町長/村長 are
#: left out on purpose: "中野区長" is the mayor of 中野区.
FOLLOWING_TITLES: tuple[str, ...] = (
    "副知事",
    "都知事",
    "知事",
    "副CIO",
    "CIO",
    "CDO",
    "CISO",
    "本部長",
    "局長",
    "部長",
    "課長",
    "室長",
    "所長",
    "次長",
    "係長",
    "担当部長",
    "担当課長",
    "担当",
    "参事官",
    "参事",
    "参与",
    "審議官",
    "統括官",
    "理事",
    "委員長",
    "委員",
    "議長",
    "会長",
    "座長",
    "大臣",
    "主査",
    "主任",
    "顧問",
    "先生",
)

#: Honorifics after a name ("渡邊 繁樹 氏", "渡邊さん").
HONORIFICS: tuple[str, ...] = ("氏", "さん", "様", "殿")

#: Titles that make a name before them removable in :func:`withhold` (rule 4 plus mayors).
_WITHHOLD_FOLLOWING: tuple[str, ...] = FOLLOWING_TITLES + ("区長", "市長", "町長", "村長")

#: Last characters of organization blocks ("足立区", "デジタル庁", "デジタルサービス局").
_ORG_SUFFIXES = ("区", "市", "町", "村", "都", "道", "府", "県", "庁", "省", "局", "部", "課", "室")
#: A name directly followed by one of these is a place, not a person ("足立区" with 足立 a name).
_PLACE_SUFFIXES = ("区", "市", "町", "村", "郡", "都", "道", "府", "県", "庁", "省")
#: Of these, the ones that rule out a 3+ character block as a name (長谷部 is a surname).
_NOT_NAME_SUFFIXES = ("区", "市", "町", "村", "都", "道", "府", "県", "庁", "省", "局", "課", "室")

_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f々〆ヶ"
_NAME_BLOCK = re.compile(rf"^[{_KANJI}\u3041-\u309f\u30a1-\u30fa\u30fc]{{1,6}}$")
_BRACKETS = "()（）[]［］【】「」"
_SPACE = re.compile(r"[\s\u3000]+")


@lru_cache(maxsize=1)
def _tokenizer() -> Tokenizer:
    return Tokenizer()


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[tuple[str, str], ...]:
    """(surface, part_of_speech) of each janome token of ``text``."""
    return tuple((t.surface, t.part_of_speech) for t in _tokenizer().tokenize(text))


_SURNAME = "名詞,固有名詞,人名,姓"


def _is_person(pos: str) -> bool:
    return pos.startswith("名詞,固有名詞,人名")


def _is_title(block: str) -> bool:
    return block.upper().endswith(TITLE_SUFFIXES)


def _clean_label(label: str) -> str:
    text = unicodedata.normalize("NFKC", label).translate(str.maketrans(CJK_RADICALS_SUPPLEMENT))
    text = text.strip().strip(_BRACKETS).strip()
    return _SPACE.sub(" ", text)


def _strip_honorific(text: str) -> tuple[str, bool]:
    for honorific in HONORIFICS:
        if text.endswith(honorific) and len(text) > len(honorific):
            return text[: -len(honorific)].rstrip(), True
    return text, False


def _trailing_name_blocks(blocks: list[str]) -> int:
    """How many trailing blocks form a name after a title/organization block (0 if none)."""
    for count in (2, 1):
        if len(blocks) <= count:
            continue
        head, tail = blocks[-count - 1], blocks[-count:]
        if not all(_NAME_BLOCK.match(b) and not _is_title(b) for b in tail):
            continue
        if any(b.endswith(_NOT_NAME_SUFFIXES) and len(b) > 2 for b in tail):
            continue
        if _is_title(head):
            return count
        first = _tokens(tail[0])[:1]
        if head.endswith(_ORG_SUFFIXES) and first and first[0][1].startswith(_SURNAME):
            return count
    return 0


def _name_after_title(block: str) -> tuple[str, str] | None:
    """(title part, name part) when janome finds person tokens right after a title in ``block``."""
    tokens = _tokens(block)
    for i in range(len(tokens) - 1, 0, -1):
        prefix = "".join(s for s, _ in tokens[:i])
        rest = tokens[i:]
        if _is_title(prefix) and _is_person(rest[0][1]):
            name = "".join(s for s, _ in rest)
            if _NAME_BLOCK.match(name):
                return prefix, name
    return None


def _leading_surname(text: str) -> tuple[str, str] | None:
    """(surname, title rest) for "宮坂副知事": a janome surname directly before a title."""
    tokens = _tokens(text)
    if not tokens or not tokens[0][1].startswith(_SURNAME):
        return None
    surname = ""
    for i, (surface, pos) in enumerate(tokens):
        rest = "".join(s for s, _ in tokens[i:])
        if i > 0 and rest.upper().startswith(FOLLOWING_TITLES):
            return surname, rest
        if not pos.startswith("名詞") or len(surname) + len(surface) > 4:
            return None
        surname += surface
    return None


def extract_person(label: str) -> tuple[str, str | None]:
    """Split a speaker label or presenter into (role/organization text, person name or None).

    "東京都CIO 副知事 宮坂 学" -> ("東京都CIO 副知事", "宮坂 学"); "宮坂副知事" -> ("副知事", "宮坂");
    "デジタル庁参事官 渡邊 繁樹 氏" -> ("デジタル庁参事官", "渡邊 繁樹"); "足立区" -> ("足立区", None).
    The role keeps the label's own spelling (brackets dropped, spaces collapsed).
    """
    text = _clean_label(label)
    body, honorific = _strip_honorific(text)
    blocks = body.split(" ")
    count = _trailing_name_blocks(blocks)
    if count:
        return " ".join(blocks[:-count]), " ".join(blocks[-count:])
    split = _name_after_title(blocks[-1])
    if split is not None:
        role = " ".join([*blocks[:-1], split[0]])
        return role, split[1]
    if len(blocks) == 1:
        leading = _leading_surname(body)
        if leading is not None:
            return leading[1], leading[0]
    if honorific and len(blocks) <= 2 and all(_NAME_BLOCK.match(b) for b in blocks):
        return "", body
    if len(blocks) == 2 and all(_NAME_BLOCK.match(b) for b in blocks):
        tokens = _tokens(blocks[0])
        if len(tokens) == 1 and tokens[0][1].startswith(_SURNAME):
            return "", body
    return text, None


def _name_parts(name: str) -> list[str]:
    """Surname and given name of ``name``: split at the space, or by janome when unspaced."""
    if " " in name:
        return name.split(" ")
    tokens = _tokens(name)
    if len(tokens) >= 2 and _is_person(tokens[0][1]):
        return [tokens[0][0], "".join(s for s, _ in tokens[1:])]
    return [name]


def split_name(name: str) -> tuple[str, str | None]:
    """(surname, given name or None) of a name found by :func:`extract_person`.

    "宮坂 学" -> ("宮坂", "学"), "渡邊繁樹" -> ("渡邊", "繁樹") by janome, "宮坂" -> ("宮坂", None).
    Used to tell whether two labels name the same person (``analysis.speaker_identity``).
    """
    parts = _name_parts(name.strip())
    return parts[0], " ".join(parts[1:]) or None


def collect_names(labels: Iterable[str]) -> set[str]:
    """Every personal name in ``labels``: full names with and without the inner space, their
    parts of two or more characters, and the variant-folded form of each (渡邊 -> 渡辺)."""
    names: set[str] = set()
    for label in labels:
        if not label:
            continue
        _, name = extract_person(label)
        if not name:
            continue
        forms = {name, name.replace(" ", "")}
        forms.update(p for p in _name_parts(name) if len(p) >= 2)
        names.update(forms)
        names.update(fold_variants(f) for f in forms)
    return {n for n in names if n.strip()}


def _equivalents() -> dict[str, set[str]]:
    """For each ideograph, the characters that stand for it (variants, radical look-alikes)."""
    groups: dict[str, set[str]] = {}
    pairs = list(VARIANT_KANJI.items()) + list(CJK_RADICALS_SUPPLEMENT.items())
    pairs += [(chr(c), unicodedata.normalize("NFKC", chr(c))) for c in range(0x2F00, 0x2FD6)]
    for source, target in pairs:
        groups.setdefault(target, {target}).add(source)
    return groups


_EQUIVALENTS = _equivalents()
_GAP = r"[ \t\u3000]?"


def _char_pattern(ch: str) -> str:
    key = fold_variants(ch) or ch
    chars = _EQUIVALENTS.get(key, {key}) | {ch}
    if len(chars) == 1:
        return re.escape(ch)
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    keys = {fold_variants(n).replace(" ", "") for n in names}
    keys = sorted((k for k in keys if k), key=lambda k: (-len(k), k))
    if not keys:
        return None
    alternatives = [_GAP.join(_char_pattern(c) for c in key) for key in keys]
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


def _starts_with_any(text: str, prefixes: tuple[str, ...]) -> str | None:
    upper = text.upper()
    for prefix in sorted(prefixes, key=len, reverse=True):
        if upper.startswith(prefix):
            return prefix
    return None


def withhold(text: str, names: set[str]) -> str:
    """``text`` with every occurrence of ``names`` withheld (longest name first).

    A name after a title is dropped with its honorific ("参事官 渡邊 繁樹 氏" -> "参事官"), a
    name before a title is dropped ("宮坂副知事" -> "副知事"), a name before an honorific
    becomes （氏名略） with the honorific ("渡邊氏" -> "（氏名略）"), any other occurrence becomes
    （氏名略）. A name directly followed by 区/市/町/村/都/県/庁/省 … is a place and stays
    ("足立区"), unless a title follows ("足立区長" -> "区長": withheld, as it may be a person).
    Spaces inside the name, variant kanji (渡邊/渡辺/渡邉) and radical look-alikes in the text
    are matched too.
    """
    pattern = _names_pattern(names)
    if pattern is None or not text:
        return text
    done = ""
    pos = 0
    for match in pattern.finditer(text):
        before = (done + text[pos : match.start()]).rstrip(" \u3000")
        after = text[match.end() :]
        after_stripped = after.lstrip(" \u3000")
        honorific = _starts_with_any(after_stripped, HONORIFICS)
        skip = len(after) - len(after_stripped) + len(honorific) if honorific else 0
        titled = honorific is None and _starts_with_any(after_stripped, _WITHHOLD_FOLLOWING)
        if not titled and after.startswith(_PLACE_SUFFIXES):
            done = done + text[pos : match.end()]
            skip = 0
        elif before and _is_title(before):
            done = before
        elif titled:
            done = done + text[pos : match.start()]
            skip = len(after) - len(after_stripped)
        else:
            done = done + text[pos : match.start()] + PLACEHOLDER
        pos = match.end() + skip
    return done + text[pos:]


def withhold_frame(df: pd.DataFrame, names: set[str], columns: Iterable[str]) -> pd.DataFrame:
    """A copy of ``df`` with :func:`withhold` applied to the string cells of ``columns``."""
    out = df.copy()
    for column in columns:
        if column in out.columns:
            out[column] = out[column].map(lambda v: withhold(v, names) if isinstance(v, str) else v)
    return out
