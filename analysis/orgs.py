"""Speaker label -> Organization.

Reads ``data/reference/municipalities.csv`` (Tokyo's 62 municipalities with 団体コード and
region) and ``data/reference/bodies.csv`` (ordered regex rules for 東京都, ministries and other
bodies). A label is matched after normalization and variant folding, municipality names first
(longest name first, so 府中市 is never read as 中市), then the body rules in file order.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analysis.model import Organization
from analysis.normalize import fold_variants

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
TOKYO = Organization(name="東京都", kind="東京都", code="13000", region=None)
UNKNOWN_KIND = "不明"


@dataclass(frozen=True)
class _BodyRule:
    pattern: re.Pattern[str]
    name: str
    kind: str
    answers: bool = False


@lru_cache(maxsize=4)
def municipalities(reference_dir: Path = REFERENCE_DIR) -> tuple[Organization, ...]:
    """The 62 municipalities of Tokyo as Organizations, in 団体コード order."""
    with open(reference_dir / "municipalities.csv", encoding="utf-8") as f:
        return tuple(
            Organization(name=r["name"], kind=r["kind"], code=r["code"], region=r["region"])
            for r in csv.DictReader(f)
        )


@lru_cache(maxsize=4)
def _body_rules(reference_dir: Path = REFERENCE_DIR) -> tuple[_BodyRule, ...]:
    with open(reference_dir / "bodies.csv", encoding="utf-8") as f:
        return tuple(
            _BodyRule(
                pattern=re.compile(r["pattern"], re.IGNORECASE),
                name=r["name"],
                kind=r["kind"],
                answers=(r.get("answers") or "").strip() == "1",
            )
            for r in csv.DictReader(f)
        )


@lru_cache(maxsize=4)
def _municipality_pattern(reference_dir: Path = REFERENCE_DIR) -> tuple[re.Pattern[str], dict[str, Organization]]:
    by_name = {m.name: m for m in municipalities(reference_dir)}
    names = sorted(by_name, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names))), by_name


def label_key(label: str) -> str:
    """Identity key of a speaker label: normalized, variant-folded, without brackets and spaces."""
    key = fold_variants(label).strip()
    key = re.sub(r"^[(（〔\[](.*)[)）〕\]]$", r"\1", key)
    return re.sub(r"\s+", "", key)


def resolve(
    label: str, reference_dir: Path = REFERENCE_DIR, overrides: Mapping[str, Organization] | None = None
) -> Organization:
    """The organization a speaker label speaks for; kind 不明 when nothing matches.

    ``overrides`` maps ``label_key`` values to organizations chosen by a person (the store's
    speaker mappings); a mapped label resolves to its mapping before any rule is tried.
    """
    key = label_key(label)
    if not key:
        return Organization(name=UNKNOWN_KIND, kind=UNKNOWN_KIND)
    if overrides and key in overrides:
        return overrides[key]
    pattern, by_name = _municipality_pattern(reference_dir)
    found = pattern.search(key)
    if found:
        return by_name[found.group(0)]
    for rule in _body_rules(reference_dir):
        m = rule.pattern.search(key)
        if not m:
            continue
        if rule.kind == "東京都":
            return TOKYO
        name = rule.name or m.groupdict().get("name") or m.group(0)
        return Organization(name=name, kind=rule.kind)
    return Organization(name=UNKNOWN_KIND, kind=UNKNOWN_KIND)


def answers_questions(org: Organization, reference_dir: Path = REFERENCE_DIR) -> bool:
    """Whether ``bodies.csv`` marks the organization as one that answers in a Q&A (GovTech東京)."""
    return any(rule.answers and rule.name == org.name for rule in _body_rules(reference_dir))


def is_known(label: str, overrides: Mapping[str, Organization] | None = None) -> bool:
    """Whether the label resolves to an organization (anything but 不明), mappings included."""
    return resolve(label, overrides=overrides).kind != UNKNOWN_KIND


OTHER = Organization(name="その他", kind="その他")


@lru_cache(maxsize=4)
def mapping_choices(reference_dir: Path = REFERENCE_DIR) -> tuple[Organization, ...]:
    """Organizations a person may map a speaker label to: 東京都, the 62 municipalities, the
    named bodies of ``bodies.csv`` (国 first, then the others), 国 and その他."""
    named = [
        Organization(name=rule.name, kind=rule.kind)
        for rule in _body_rules(reference_dir)
        if rule.name and rule.kind != "東京都"
    ]
    bodies = sorted(dict.fromkeys(named), key=lambda o: o.kind != "国")
    national = Organization(name="国", kind="国")
    rest = [o for o in bodies if o != national]
    return (TOKYO, *municipalities(reference_dir), *rest, national, OTHER)
