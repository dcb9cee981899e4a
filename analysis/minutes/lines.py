"""Lines of a minutes text as the parser's rules see them, and the character classes they share.

A ``Line`` keeps the text as written (``raw``, for display), its normalized form (``norm``, for
matching: NFKC, radicals, bullets folded to ``・``), its indentation and the structure hint a
reader gave it (a Word heading style or an HTML ``<h2>``). Every bullet-like code point a PDF,
Word or web page can produce counts as a bullet: ``‧`` (U+2027) from one PDF producer, Symbol-font
private-use bullets from Word, ``•`` from browsers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from analysis.normalize import fold_variants, normalize_text

#: Characters that start a statement (a bullet or ○). ``-`` lines that are page numbers are not.
STATEMENT_MARKERS = "○◯〇●◎◉•・‧∙⋅·◦▪▫■□◆◇▶▷►➢✓‐‑‒–—―－-\uf0a7\uf0b7\uf06c\uf0d8\uf0fc"
#: Katakana enumerators of sub-items (ア　…, イ　…): a statement each when followed by a space.
KANA_ITEM = re.compile(r"^[アイウエオカキクケコサシスセソ][\s　]+(?=\S)")
#: Characters that start a sub-item heading (* 「…, ＊国内共同調査…).
SUBITEM_MARKERS = "*＊"
#: Characters that end a sentence; a line ending with one finishes a statement's sentence.
SENTENCE_END = tuple("。．.!！?？」』)）")
#: Characters that end a sentence and never a label or heading (which may end with a bracket).
STOPS = tuple("。．.!！?？")
#: Visual width of leading white space characters (ideographic space is two columns).
_INDENT_WIDTH = {" ": 1, "\u00a0": 1, "\t": 4, "\u3000": 2, "\u2002": 1, "\u2003": 2}
#: Marks of a closed (非公開) part, written after an agenda item or heading.
PRIVATE_MARK = re.compile(r"\s*[(（〔]\s*(?:非公開|非公表)\s*[)）〕]\s*$")
#: Proceedings lines of a council record: 午前9時30分 開議, 午後二時三十五分休憩, （午後1時00分）.
PROCEEDINGS = re.compile(
    r"^(午前|午後)\s*\S{1,8}\s*(休憩|再開|開議|散会|閉会|開会|延会|休会|閉議)$|^[(（]\s*(午前|午後)\s*\S{1,8}\s*[)）]$"
)
_PAGE_NUMBER_DASH = re.compile(r"^[-‐－―–—]\s*\d+\s*[-‐－―–—]?$")


@dataclass(frozen=True)
class Line:
    """One line of the document. ``hint`` is a heading level (1–6) a reader marked, or 0."""

    raw: str
    norm: str
    indent: int = 0
    hint: int = 0

    @property
    def blank(self) -> bool:
        return not self.norm

    @cached_property
    def plain(self) -> str:
        """NFKC text with single spaces kept: numbering such as "1 開会" needs the space to be seen."""
        return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", self.raw)).strip()

    @cached_property
    def wide(self) -> str:
        """NFKC text with its runs of spaces kept: "会議の名称　　第２回…" keeps its column gap."""
        return unicodedata.normalize("NFKC", self.raw).strip()

    @property
    def marker(self) -> str | None:
        """The statement marker this line starts with, if it is one (not a "- 3 -" page number)."""
        return statement_marker(self.norm)

    @property
    def body(self) -> str:
        """The line as written without its leading marker (what a statement keeps)."""
        return strip_marker(self.raw)

    @property
    def short(self) -> bool:
        """Short enough to be a label or heading and not ending a sentence."""
        return 0 < len(self.norm) <= 40 and not self.norm.endswith(STOPS)


def make_lines(text: str, hints: dict[int, int] | None = None) -> list[Line]:
    """Split ``text`` into Lines (``hints``: line index -> heading level from the reader)."""
    hints = hints or {}
    lines = []
    for i, raw in enumerate(text.splitlines()):
        raw = raw.rstrip()
        lines.append(
            Line(raw=raw, norm=normalize_text(raw).strip(), indent=indent_of(raw), hint=hints.get(i, 0))
        )
    return lines


def indent_of(raw: str) -> int:
    """Columns of leading white space (no-break and ideographic spaces included)."""
    width = 0
    for ch in raw:
        if ch not in _INDENT_WIDTH:
            break
        width += _INDENT_WIDTH[ch]
    return width


def statement_marker(norm: str) -> str | None:
    if len(norm) >= 3 and KANA_ITEM.match(norm):
        return norm[0]
    if len(norm) < 2 or norm[0] not in STATEMENT_MARKERS:
        return None
    if _PAGE_NUMBER_DASH.match(norm):
        return None
    return norm[0]


def strip_marker(text: str) -> str:
    """Text without its leading statement markers (or ア／イ enumerator) and surrounding white space."""
    text = text.strip()
    if KANA_ITEM.match(text):
        return KANA_ITEM.sub("", text, count=1).strip()
    return text.lstrip(STATEMENT_MARKERS).strip()


def is_parenthesized(norm: str) -> bool:
    """The whole line is in one pair of round brackets: "(東京都CIO 副知事 宮坂 学)"."""
    if len(norm) <= 2 or norm[0] not in "(（〔" or norm[-1] not in ")）〕":
        return False
    depth = 0
    for i, ch in enumerate(norm):
        depth += ch in "(（〔"
        depth -= ch in ")）〕"
        if depth == 0 and i < len(norm) - 1:
            return False
    return True


def unparenthesize(text: str) -> str:
    text = text.strip()
    return text[1:-1].strip() if is_parenthesized(text) else text


def split_private(text: str) -> tuple[str, bool]:
    """("事例紹介", True) for "事例紹介（非公開）"."""
    stripped = PRIVATE_MARK.sub("", text)
    return stripped.strip(), stripped != text


def collapse_spaces(raw: str) -> str:
    """A label as written: ideographic and repeated spaces collapsed to one ASCII space."""
    return re.sub(r"\s+", " ", raw.replace("\u3000", " ")).strip()


def key(text: str) -> str:
    """Identity key of a heading or agenda title: normalized, folded, without marks and spaces."""
    return re.sub(
        r"[\s・•\-－*＊「」【】()（）:：、,.．。]", "", fold_variants(unicodedata.normalize("NFKC", text))
    )


def next_index(lines: list[Line], i: int) -> int | None:
    """Index of the first non-blank line after index ``i``."""
    for j in range(i + 1, len(lines)):
        if not lines[j].blank:
            return j
    return None


def next_nonblank(lines: list[Line], i: int) -> Line | None:
    """The first non-blank line after index ``i``."""
    j = next_index(lines, i)
    return None if j is None else lines[j]
