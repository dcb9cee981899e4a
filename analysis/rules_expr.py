"""Boolean rule expressions for topic coding (KH Coder style), parsed without eval.

Grammar (operators case-insensitive; full-width （）＆｜！ accepted)::

    expr    := and_expr (("or" | "|") and_expr)*
    and_expr:= not_expr (("and" | "&") not_expr)*
    not_expr:= ("not" | "!") not_expr | atom
    atom    := "(" expr ")" | phrase | term
    phrase  := '"…"' | '“…”' | '「…」'
    term    := a run of characters other than whitespace, parentheses, & | ! and quotes

``not`` binds tighter than ``and``, which binds tighter than ``or``. Two operands without an
operator between them are an error (no implicit ``and``).

Matching (against one statement):

- a bare term matches when it equals one of the statement's token terms (synonyms folded, so
  ``Microsoft`` finds マイクロソフト) or occurs as a substring of the normalized text (so
  ``標準化`` finds 統一・標準化 and ``フィット&ギャップ`` need not be one token);
- a quoted phrase matches only as a substring of the normalized text; use it for words with
  spaces, operators or quotes, and for reserved words (``"and"``).

Both compare case-insensitively (``casefold``) and NFKC-normalize the rule's words, so a rule
written with full-width letters matches normalized text.
"""

from __future__ import annotations

import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field

_OPEN = "(（"
_CLOSE = ")）"
_AND = "&＆"
_OR = "|｜"
_NOT = "!！"
_QUOTES = {'"': '"', "＂": "＂", "“": "”", "「": "」"}
_KEYWORDS = {"and": "AND", "or": "OR", "not": "NOT"}
_BREAK = set(_OPEN + _CLOSE + _AND + _OR + _NOT) | set(_QUOTES)


class RuleError(ValueError):
    """A malformed rule: names the topic and the 0-based character position in the rule."""

    def __init__(self, message: str, *, topic: str = "", position: int | None = None, source: str = ""):
        self.topic = topic
        self.position = position
        self.source = source
        self.reason = message
        where = f"トピック「{topic}」のルール" if topic else "ルール"
        if position is not None:
            where += f" {position + 1}文字目"
        text = f"{where}: {message}"
        if source and position is not None:
            text += f"\n  {source}\n  {' ' * _display_width(source[:position])}^"
        super().__init__(text)


def _display_width(text: str) -> int:
    """Columns taken by text in a monospace terminal (wide CJK characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@dataclass(frozen=True)
class Context:
    """What a statement offers to a rule: casefolded normalized text and token terms."""

    text: str
    terms: frozenset[str]

    @classmethod
    def of(cls, norm_text: str, terms: Iterable[str]) -> Context:
        """Build from normalized text and an iterable of token terms."""
        return cls(norm_text.casefold(), frozenset(t.casefold() for t in terms))


class Expr(ABC):
    """A parsed rule; call :meth:`evaluate` on a :class:`Context`."""

    @abstractmethod
    def evaluate(self, ctx: Context) -> bool:
        """Whether the statement described by ``ctx`` satisfies the rule."""

    @abstractmethod
    def words(self) -> tuple[str, ...]:
        """Every term and phrase in the rule (for highlighting and rule tables)."""


def _match_key(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()


@dataclass(frozen=True)
class Term(Expr):
    """A bare term: equals a token term, or is a substring of the normalized text."""

    word: str
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", _match_key(self.word))

    def evaluate(self, ctx: Context) -> bool:
        return self.key in ctx.terms or self.key in ctx.text

    def words(self) -> tuple[str, ...]:
        return (self.word,)

    def __str__(self) -> str:
        return self.word


@dataclass(frozen=True)
class Phrase(Expr):
    """A quoted phrase: a substring of the normalized text."""

    text: str
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", _match_key(self.text))

    def evaluate(self, ctx: Context) -> bool:
        return self.key in ctx.text

    def words(self) -> tuple[str, ...]:
        return (self.text,)

    def __str__(self) -> str:
        return f'"{self.text}"'


@dataclass(frozen=True)
class Not(Expr):
    """Negation."""

    operand: Expr

    def evaluate(self, ctx: Context) -> bool:
        return not self.operand.evaluate(ctx)

    def words(self) -> tuple[str, ...]:
        return self.operand.words()

    def __str__(self) -> str:
        return f"not {_wrap(self.operand)}"


@dataclass(frozen=True)
class And(Expr):
    """All operands match."""

    operands: tuple[Expr, ...]

    def evaluate(self, ctx: Context) -> bool:
        return all(o.evaluate(ctx) for o in self.operands)

    def words(self) -> tuple[str, ...]:
        return tuple(w for o in self.operands for w in o.words())

    def __str__(self) -> str:
        return " and ".join(_wrap(o) for o in self.operands)


@dataclass(frozen=True)
class Or(Expr):
    """Any operand matches."""

    operands: tuple[Expr, ...]

    def evaluate(self, ctx: Context) -> bool:
        return any(o.evaluate(ctx) for o in self.operands)

    def words(self) -> tuple[str, ...]:
        return tuple(w for o in self.operands for w in o.words())

    def __str__(self) -> str:
        return " or ".join(_wrap(o) for o in self.operands)


def _wrap(expr: Expr) -> str:
    return f"({expr})" if isinstance(expr, And | Or) else str(expr)


@dataclass(frozen=True)
class _Lexeme:
    kind: str  # TERM, PHRASE, AND, OR, NOT, OPEN, CLOSE, END
    text: str
    position: int


def _lex(source: str, topic: str) -> list[_Lexeme]:
    out: list[_Lexeme] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c.isspace():
            i += 1
        elif c in _OPEN:
            out.append(_Lexeme("OPEN", c, i))
            i += 1
        elif c in _CLOSE:
            out.append(_Lexeme("CLOSE", c, i))
            i += 1
        elif c in _AND:
            out.append(_Lexeme("AND", c, i))
            i += 1
        elif c in _OR:
            out.append(_Lexeme("OR", c, i))
            i += 1
        elif c in _NOT:
            out.append(_Lexeme("NOT", c, i))
            i += 1
        elif c in _QUOTES:
            end = source.find(_QUOTES[c], i + 1)
            if end < 0:
                raise RuleError(f"引用符 {c} が閉じていません", topic=topic, position=i, source=source)
            if end == i + 1:
                raise RuleError("空の引用句です", topic=topic, position=i, source=source)
            out.append(_Lexeme("PHRASE", source[i + 1 : end], i))
            i = end + 1
        else:
            start = i
            while i < n and not source[i].isspace() and source[i] not in _BREAK:
                i += 1
            word = source[start:i]
            out.append(_Lexeme(_KEYWORDS.get(word.lower(), "TERM"), word, start))
    out.append(_Lexeme("END", "", n))
    return out


class _Parser:
    """Recursive descent over the lexemes; raises :class:`RuleError` with a position."""

    def __init__(self, source: str, topic: str):
        self.source = source
        self.topic = topic
        self.lexemes = _lex(source, topic)
        self.index = 0

    def error(self, message: str, lexeme: _Lexeme) -> RuleError:
        return RuleError(message, topic=self.topic, position=lexeme.position, source=self.source)

    def peek(self) -> _Lexeme:
        return self.lexemes[self.index]

    def take(self) -> _Lexeme:
        lexeme = self.lexemes[self.index]
        self.index += 1
        return lexeme

    def parse(self) -> Expr:
        if self.peek().kind == "END":
            raise self.error("ルールが空です", self.peek())
        expr = self.parse_or()
        rest = self.peek()
        if rest.kind == "CLOSE":
            raise self.error("対応する開き括弧 ( がありません", rest)
        if rest.kind != "END":
            raise self.error(f"「{rest.text}」の前に and / or が必要です", rest)
        return expr

    def parse_or(self) -> Expr:
        operands = [self.parse_and()]
        while self.peek().kind == "OR":
            self.take()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self) -> Expr:
        operands = [self.parse_not()]
        while self.peek().kind == "AND":
            self.take()
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def parse_not(self) -> Expr:
        if self.peek().kind == "NOT":
            self.take()
            return Not(self.parse_not())
        return self.parse_atom()

    def parse_atom(self) -> Expr:
        lexeme = self.take()
        if lexeme.kind == "TERM":
            return Term(lexeme.text)
        if lexeme.kind == "PHRASE":
            return Phrase(lexeme.text)
        if lexeme.kind == "OPEN":
            if self.peek().kind == "CLOSE":
                raise self.error("括弧の中が空です", self.peek())
            expr = self.parse_or()
            if self.peek().kind != "CLOSE":
                raise self.error("閉じ括弧 ) がありません", lexeme)
            self.take()
            return expr
        if lexeme.kind == "END":
            raise self.error("ルールが途中で終わっています(語が必要です)", lexeme)
        raise self.error(f"ここには語か ( が必要です(「{lexeme.text}」)", lexeme)


def parse_rule(source: str, topic: str = "") -> Expr:
    """Parse a rule expression; ``topic`` only labels error messages."""
    return _Parser(source, topic).parse()
