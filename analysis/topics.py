"""Topic coding: readable, editable rules (data/dictionary/topics.yaml) -> labels per statement.

Each topic has a boolean rule over words (see :mod:`analysis.rules_expr` and the YAML file's
header). A statement gets every topic whose rule matches, in rule-file order; a statement that
matches none gets :data:`UNCLASSIFIED`. Labels depend only on the statement's normalized text
and token terms, so they can be re-derived whenever :func:`rules_version` changes.

The rules file is ``data/dictionary/topics.yaml`` unless $GIJIROKU_TOPICS names another one
(tests and a second deployment use their own copy); :func:`rules_path` says which is in use.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.rules_expr import Context, Expr, RuleError, parse_rule

__all__ = [
    "DEFAULT_RULES_PATH",
    "RULES_ENV",
    "UNCLASSIFIED",
    "UNCLASSIFIED_COLOR",
    "RuleError",
    "TopicRule",
    "classify",
    "classify_many",
    "load_rules",
    "rule_hits",
    "rules_path",
    "rules_version",
    "topic_colors",
    "unused_color",
]

UNCLASSIFIED = "未分類"
UNCLASSIFIED_COLOR = "#9e9e9e"
#: Bump when matching semantics change, so stored labels are re-derived.
RULES_LOGIC_VERSION = "1"
DEFAULT_RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "dictionary" / "topics.yaml"
#: Environment variable naming the rules file to use instead of :data:`DEFAULT_RULES_PATH`.
RULES_ENV = "GIJIROKU_TOPICS"

#: Fallback colours (by topic position) for topics without a ``color``; no grey (未分類's).
_PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#e7ba52",
    "#637939",
    "#843c39",
)
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass
class TopicRule:
    """One topic: its name, what it counts, its chart colour, the rule source and its matcher."""

    name: str
    description: str
    color: str
    rule: str
    matcher: Expr = field(repr=False)

    def matches(self, norm_text: str, terms: Iterable[str]) -> bool:
        """Whether one statement (normalized text and token terms) carries this topic."""
        return self.matcher.evaluate(Context.of(norm_text, terms))


def rules_path() -> Path:
    """The rules file in use: $GIJIROKU_TOPICS when set, else :data:`DEFAULT_RULES_PATH`.

    Read on every call, so ingest, the dashboard and the rules editor always agree on the file.
    """
    configured = os.environ.get(RULES_ENV, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_RULES_PATH


def _resolve(path: str | Path | None) -> Path:
    return Path(path) if path is not None else rules_path()


def load_rules(path: str | Path | None = None) -> list[TopicRule]:
    """Read and parse the topic rules file; :class:`RuleError` names the topic and position."""
    source = _resolve(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleError(f"{source.name} を YAML として読めません: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise RuleError(f"{source.name} には topics: のリストが必要です")
    if data.get("version", 1) != 1:
        raise RuleError(f"{source.name} の version {data.get('version')!r} には対応していません(1 のみ)")
    rules: list[TopicRule] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["topics"]):
        if not isinstance(entry, dict):
            raise RuleError(f"topics の {index + 1} 番目が name/rule を持つ項目ではありません")
        name = str(entry.get("name") or "").strip()
        if not name:
            raise RuleError(f"topics の {index + 1} 番目に name がありません")
        if name == UNCLASSIFIED:
            raise RuleError(f"「{UNCLASSIFIED}」は予約されたトピック名です", topic=name)
        if name in seen:
            raise RuleError("トピック名が重複しています", topic=name)
        seen.add(name)
        rule = entry.get("rule")
        if not isinstance(rule, str) or not rule.strip():
            raise RuleError("rule がありません", topic=name)
        color = entry.get("color") or _PALETTE[index % len(_PALETTE)]
        if not isinstance(color, str) or not _COLOR.match(color):
            raise RuleError(f'color は "#1f77b4" の形で書いてください({color!r})', topic=name)
        rule = rule.strip()
        rules.append(
            TopicRule(
                name=name,
                description=str(entry.get("description") or "").strip(),
                color=color.lower(),
                rule=rule,
                matcher=parse_rule(rule, topic=name),
            )
        )
    return rules


def classify(norm_text: str, terms: Iterable[str], rules: Sequence[TopicRule]) -> tuple[str, ...]:
    """Topics of one statement in rule-file order; ``("未分類",)`` when no rule matches."""
    ctx = Context.of(norm_text, terms)
    topics = tuple(rule.name for rule in rules if rule.matcher.evaluate(ctx))
    return topics or (UNCLASSIFIED,)


def classify_many(
    norm_texts: Sequence[str], term_lists: Sequence[Iterable[str]], rules: Sequence[TopicRule]
) -> list[tuple[str, ...]]:
    """:func:`classify` for parallel lists of statements' normalized texts and term lists."""
    if len(norm_texts) != len(term_lists):
        raise ValueError(f"{len(norm_texts)} texts but {len(term_lists)} term lists")
    return [classify(text, terms, rules) for text, terms in zip(norm_texts, term_lists, strict=True)]


def rule_hits(
    norm_texts: Sequence[str], term_lists: Sequence[Iterable[str]], rules: Sequence[TopicRule]
) -> dict[str, int]:
    """Statements per topic (rule-file order, then 未分類), for the rules-with-hit-counts table."""
    hits = {rule.name: 0 for rule in rules}
    hits[UNCLASSIFIED] = 0
    for topics in classify_many(norm_texts, term_lists, rules):
        for topic in topics:
            hits[topic] += 1
    return hits


def rules_version(path: str | Path | None = None) -> str:
    """Short hash of the rules file and :data:`RULES_LOGIC_VERSION` (changes re-derive labels)."""
    digest = hashlib.sha256(f"topics:{RULES_LOGIC_VERSION}\0".encode())
    digest.update(_resolve(path).read_bytes())
    return digest.hexdigest()[:12]


def topic_colors(rules: Sequence[TopicRule]) -> dict[str, str]:
    """Topic -> colour, in rule order, with 未分類 in grey last."""
    colors = {rule.name: rule.color for rule in rules}
    colors[UNCLASSIFIED] = UNCLASSIFIED_COLOR
    return colors


def unused_color(rules: Sequence[TopicRule]) -> str:
    """A chart colour for a new topic: the first palette colour no rule uses (else by position)."""
    used = {rule.color.lower() for rule in rules}
    return next((c for c in _PALETTE if c not in used), _PALETTE[len(rules) % len(_PALETTE)])
