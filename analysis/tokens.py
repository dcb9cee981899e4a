"""Tokenization of normalized statement text into counting terms (janome Analyzer).

Pipeline (one janome ``Analyzer``):

1. ``UnicodeNormalizeCharFilter`` (NFKC; idempotent on already-normalized text).
2. janome ``Tokenizer`` with the field user dictionary ``data/dictionary/user_dict.csv``
   (janome's simpledic format ``surface,名詞,reading``), so ガバメントクラウド, GovTech東京,
   三層分離, M365 … come out as one token (see :func:`user_dictionary_lines` for how it is loaded).
3. :class:`GuardedCompoundNounFilter`: joins runs of content nouns (基幹 業務 システム →
   基幹業務システム) but never joins user-dictionary terms, numbers or adverbial nouns.
4. janome ``POSKeepFilter``: content nouns, compounds, user terms, independent verbs and adjectives.
5. :class:`TermFilter`: base form for verbs/adjectives, synonym folding, stopwords on the term.

The input is expected to be already normalized (``analysis.normalize``); ``surface`` is the
text as it appears there, ``term`` the counting form.
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from janome.analyzer import Analyzer
from janome.charfilter import UnicodeNormalizeCharFilter
from janome.lattice import NodeType
from janome.tokenfilter import POSKeepFilter, TokenFilter
from janome.tokenizer import Tokenizer as JanomeTokenizer
from janome.version import JANOME_VERSION

#: Bump when the filtering logic changes, so stored tokens are re-derived.
TOKENIZER_VERSION = "1"

DEFAULT_DICTIONARY_DIR = Path(__file__).resolve().parent.parent / "data" / "dictionary"
USER_DICT_FILE = "user_dict.csv"
SYNONYMS_FILE = "synonyms.csv"
STOPWORDS_FILE = "stopwords.txt"
DICTIONARY_FILES: tuple[str, ...] = (USER_DICT_FILE, SYNONYMS_FILE, STOPWORDS_FILE)

#: Noun subclasses that may start or continue a compound noun.
_COMPOUND_NOUNS = frozenset({"一般", "サ変接続", "固有名詞"})
#: Noun subclasses that may start a compound but not continue one (独自機能, not 立ち上げ同様).
_COMPOUND_START_NOUNS = frozenset({"形容動詞語幹", "ナイ形容詞語幹"})
#: Suffixes that are never joined (役割分担 等, not 役割分担等).
_UNJOINED_SUFFIXES = frozenset({"等", "など", "ら", "たち", "達"})
#: Parts of speech kept as terms (prefixes of janome's part_of_speech string). User-dictionary
#: entries are loaded as 名詞,一般; ``名詞,複合`` is a compound joined by the filter below.
KEEP_POS: tuple[str, ...] = (
    "名詞,一般",
    "名詞,サ変接続",
    "名詞,固有名詞",
    "名詞,形容動詞語幹",
    "名詞,ナイ形容詞語幹",
    "名詞,複合",
    "動詞,自立",
    "形容詞,自立",
)
_COMPOUND_POS = "名詞,複合,*,*"
#: IPADIC context id of 名詞,一般 (left and right), given to user-dictionary entries.
_NOUN_CONTEXT_ID = 1285


@dataclass(frozen=True)
class Token:
    """One kept token: ``term`` counts (base form, synonyms folded), ``surface`` displays."""

    term: str
    surface: str
    pos: str


class GuardedCompoundNounFilter(TokenFilter):
    """Join contiguous content nouns into one compound, more conservatively than janome's.

    Hand-written because janome's ``CompoundNounFilter`` joins every run of nouns, which on the
    minutes glues user-dictionary terms to their neighbours (TOYKOスマホサポーター制度,
    協働事業検討部会), numbers to eras (令和7年度), adverbial nouns to objects (今後検討) and
    enumerating 等 to lists (役割分担等). Rules: a compound starts at a general/サ変/proper noun or
    a 形容動詞語幹 (独自機能), continues over general/サ変/proper nouns, and may end with suffixes
    (化, 性, 者, 会); after a suffix it ends, so 効率的効果的 becomes 効率的 / 効果的.
    User-dictionary terms, numbers, pronouns, 非自立 and 副詞可能 nouns always stand alone.
    """

    def apply(self, tokens: Iterator[Any]) -> Iterator[Any]:
        run: list[Any] = []
        closed = False
        for token in tokens:
            pos = token.part_of_speech
            if pos.startswith("名詞,") and token.node_type != NodeType.USER_DICT:
                sub = pos[3 : pos.find(",", 3)]
                if sub in _COMPOUND_NOUNS and run and not closed:
                    run.append(token)
                    continue
                if sub in _COMPOUND_NOUNS or sub in _COMPOUND_START_NOUNS:
                    yield from self._flush(run)
                    run = [token]
                    closed = False
                    continue
                if sub == "接尾" and run and token.surface not in _UNJOINED_SUFFIXES:
                    run.append(token)
                    closed = True
                    continue
            if run:
                yield from self._flush(run)
                run = []
            yield token
        yield from self._flush(run)

    @staticmethod
    def _flush(run: list[Any]) -> Iterator[Any]:
        if not run:
            return
        head = run[0]
        if len(run) > 1:
            surface = "".join(t.surface for t in run)
            head.surface = surface
            head.base_form = surface
            head.part_of_speech = _COMPOUND_POS
        yield head


class TermFilter(TokenFilter):
    """Map janome tokens to :class:`Token`: base form, synonym folding, stopwords on the term.

    Hand-written because janome's ``WordStopFilter`` compares the surface (し, not する) and
    janome has no synonym filter; doing the three steps in one pass keeps the overhead small.
    Synonyms are looked up case-insensitively; other Latin terms keep their case for display.
    """

    def __init__(self, synonyms: dict[str, str], stopwords: frozenset[str]):
        self.synonyms = synonyms
        self.stopwords = stopwords

    def apply(self, tokens: Iterator[Any]) -> Iterator[Token]:
        synonyms = self.synonyms
        stopwords = self.stopwords
        for token in tokens:
            surface = token.surface
            pos = token.part_of_speech
            top = pos[: pos.find(",")]
            term = surface if top == "名詞" else token.base_form
            term = synonyms.get(term.casefold(), term)
            if term in stopwords:
                continue
            yield Token(term, surface, top)


def load_synonyms(path: str | Path) -> dict[str, str]:
    """Read ``variant,canonical`` rows into a casefolded-variant -> canonical map.

    Each canonical form also maps to itself, so any case variant of it folds to it.
    """
    synonyms: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if not row or row[0].lstrip().startswith("#") or row == ["variant", "canonical"]:
                continue
            if len(row) != 2:
                raise ValueError(f"{path}: expected 'variant,canonical', got {row!r}")
            variant, canonical = (c.strip() for c in row)
            synonyms[variant.casefold()] = canonical
            synonyms.setdefault(canonical.casefold(), canonical)
    return synonyms


def load_stopwords(path: str | Path) -> frozenset[str]:
    """Read one word per line; ``#`` starts a comment, blank lines are ignored."""
    words: set[str] = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            word = line.split("#", 1)[0].strip()
            if word:
                words.add(word)
    return frozenset(words)


def user_dictionary_lines(path: str | Path) -> list[str]:
    """Convert the simpledic user dictionary (``surface,名詞,reading``) to janome ipadic rows.

    Hand-written because janome's simpledic loader gives every entry the context id 0 (the
    sentence-boundary context) and a flat cost of -100000. Context 0 followed by a particle is
    expensive, so the lattice prefers a shorter user term plus a system noun over the longer
    user term (クラウドインフラ came out as クラウド / インフラ once クラウド was an entry). Here each
    entry gets the 名詞,一般 context and a cost of ``5000 - 10000 * len(surface)``: user terms
    still beat the system dictionary, and the longest user term beats a split into several.
    """
    rows: list[str] = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            cols = line.split(",")
            if len(cols) != 3 or cols[1] != "名詞" or not cols[0]:
                raise ValueError(f"{path}:{number}: expected 'surface,名詞,reading', got {line!r}")
            surface, _, reading = cols
            cost = 5000 - 10000 * len(surface)
            rows.append(
                f"{surface},{_NOUN_CONTEXT_ID},{_NOUN_CONTEXT_ID},{cost},"
                f"名詞,一般,*,*,*,*,{surface},{reading},{reading}"
            )
    return rows


class _FirstCharGuard:
    """Wraps janome's user dictionary: skip the FST walk where no entry can start.

    Hand-written for speed: janome walks the user dictionary's FST at every character of the
    text, which costs about a quarter of the tokenizing time with this dictionary; a C-level
    ``bytes.startswith`` on the entries' first characters skips almost all of those walks.
    """

    def __init__(self, user_dic: Any, surfaces: Iterable[str]):
        self._user_dic = user_dic
        self._firsts = tuple(sorted({s[0].encode("utf-8") for s in surfaces}))
        self.lookup_extra = user_dic.lookup_extra

    def lookup(self, encoded: bytes) -> list[Any]:
        if encoded.startswith(self._firsts):
            return self._user_dic.lookup(encoded)
        return []


def _janome_tokenizer(user_dict: Path) -> JanomeTokenizer:
    """A janome Tokenizer with the converted user dictionary (janome reads it from a file)."""
    rows = user_dictionary_lines(user_dict)
    with tempfile.TemporaryDirectory(prefix="gijiroku-udic-") as tmp:
        converted = Path(tmp) / "user_dict_ipadic.csv"
        converted.write_text("\n".join(rows) + "\n", encoding="utf-8")
        tokenizer = JanomeTokenizer(str(converted), udic_type="ipadic", udic_enc="utf8")
    tokenizer.user_dic = _FirstCharGuard(tokenizer.user_dic, (row.split(",", 1)[0] for row in rows))
    return tokenizer


def tokenizer_version(dictionary_dir: str | Path | None = None) -> str:
    """Short hash of the dictionary files, janome's version and :data:`TOKENIZER_VERSION`.

    Cheap (no janome load), so the store can decide whether tokens must be re-derived.
    """
    directory = Path(dictionary_dir) if dictionary_dir is not None else DEFAULT_DICTIONARY_DIR
    digest = hashlib.sha256(f"tokens:{TOKENIZER_VERSION}:janome:{JANOME_VERSION}".encode())
    for name in DICTIONARY_FILES:
        digest.update(b"\0" + name.encode() + b"\0")
        digest.update((directory / name).read_bytes())
    return digest.hexdigest()[:12]


class Tokenizer:
    """The project's janome Analyzer, built once per dictionary directory (loading is slow).

    Use :func:`get_tokenizer` for the shared default instance. Instances pickle by dictionary
    directory and are rebuilt on unpickling (for worker processes).
    """

    def __init__(self, dictionary_dir: str | Path | None = None):
        directory = Path(dictionary_dir) if dictionary_dir is not None else DEFAULT_DICTIONARY_DIR
        self.dictionary_dir = directory
        self.version: str = tokenizer_version(directory)
        self.synonyms = load_synonyms(directory / SYNONYMS_FILE)
        self.stopwords = load_stopwords(directory / STOPWORDS_FILE)
        janome = _janome_tokenizer(directory / USER_DICT_FILE)
        self._analyzer = Analyzer(
            char_filters=[UnicodeNormalizeCharFilter()],
            tokenizer=janome,
            token_filters=[
                GuardedCompoundNounFilter(),
                POSKeepFilter(list(KEEP_POS)),
                TermFilter(self.synonyms, self.stopwords),
            ],
        )

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (Tokenizer, (str(self.dictionary_dir),))

    def tokenize(self, text: str) -> list[Token]:
        """Kept tokens of one normalized text, in order."""
        if not text or text.isspace():
            return []
        return list(self._analyzer.analyze(text))

    def tokenize_many(self, texts: Iterable[str]) -> list[list[Token]]:
        """:meth:`tokenize` for each text."""
        return [self.tokenize(text) for text in texts]


@lru_cache(maxsize=4)
def _cached_tokenizer(dictionary_dir: str | None) -> Tokenizer:
    return Tokenizer(dictionary_dir)


def get_tokenizer(dictionary_dir: str | Path | None = None) -> Tokenizer:
    """The process-wide cached :class:`Tokenizer` for a dictionary directory (default: data/dictionary)."""
    return _cached_tokenizer(str(dictionary_dir) if dictionary_dir is not None else None)


def tokenize_texts(texts: list[str], dictionary_dir: str | None = None) -> list[list[tuple[str, str, str]]]:
    """Tokenize texts with the per-process cached tokenizer; plain ``(term, surface, pos)`` tuples.

    Module-level and returning tuples so it can be handed to a multiprocessing pool and its
    results pickle cheaply.
    """
    tokenizer = get_tokenizer(dictionary_dir)
    return [[(t.term, t.surface, t.pos) for t in tokenizer.tokenize(text)] for text in texts]
