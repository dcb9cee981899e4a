"""One person, one speaker: the speaker labels of a corpus resolved to people.

Minutes write one person in several ways: 「宮坂副知事」 in one meeting, 「東京都CIO 副知事 宮坂 学」
in the next and only the title 「東京都CIO」 in a third. Counted as labels they are three speakers.
:func:`resolve` maps every (meeting, label, organization) of the corpus to one person key and one
display name, with the reason (根拠) kept per label so the merge can be shown and undone. Rules 1–5
decide in this order (the first that applies wins); rule 6, the user's merges, comes last and wins
over them:

1. 別人として扱う (the user's table, store ``speaker_identities``): the label stands alone and no
   automatic rule merges it (a name in it still claims the title-only labels of its meeting, rule 4).
2. 参照表 (``data/reference/speaker_identities.csv``): a label written as a rule's alias, of the
   rule's organization and (when the rule has one) held within its date range, is the rule's person.
3. 氏名: labels carrying a personal name (``analysis.names.extract_person``) of the same
   organization and the same surname (variant kanji folded) are one person. When that organization
   has several people of the surname with different given names, a surname-only label goes to the
   one in the same meeting, if exactly one is there, else stands alone. Labels of an unknown
   organization (不明) are merged within one meeting only.
4. 同じ会議の氏名: a label with a title only (「副知事」「東京都CIO」) is the named person of the same
   meeting and organization whose title matches it, when exactly one person does.
5. Otherwise a label is its own speaker; labels equal after ``orgs.label_key`` (spaces, brackets,
   variant kanji: 表記ゆれ) and of the same organization are one speaker.
6. 手動 (the user's table): a label merged with another label is whoever that label is.

The display name of a person is its most informative label, without brackets around it: one with
the full name, then one with the surname, then one not merged in by hand, then the form with the
most statements; names shared by two people get the organization added. A person known only
through the reference table is shown as 「<alias> <person>」, so ``analysis.names`` still finds and
withholds the name.
Nothing here reads or writes the store; ``analysis.store.identities`` does that.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.names import TITLE_SUFFIXES, extract_person, split_name
from analysis.normalize import fold_variants
from analysis.orgs import REFERENCE_DIR, UNKNOWN_KIND
from analysis.orgs import label_key as _label_key

REFERENCE_FILE = REFERENCE_DIR / "speaker_identities.csv"
_ENCLOSED = re.compile(r"^[(（〔\[［【「]([^()（）〔〕\[\]［］【】「」]*)[)）〕\]］】」]$")


@lru_cache(maxsize=65536)
def label_key(label: str) -> str:
    """``orgs.label_key``, memoized: a corpus repeats the same few hundred labels in every meeting."""
    return _label_key(label)


BASIS_DISPLAY = "代表の表記"
BASIS_NAME = "同じ所属・同じ姓"
BASIS_MEETING = "同じ会議の氏名"
BASIS_REFERENCE = "参照表"
BASIS_MANUAL = "手動"
BASIS_SPELLING = "表記ゆれ"
BASIS_SEPARATE = "別人として扱う"

#: Input of :func:`resolve`: one row per (meeting, speaker label as written, organization).
LABEL_COLUMNS: list[str] = [
    "meeting_id",  # int
    "meeting_label",  # str, 第4回 (2023-02-14)
    "date",  # str YYYY-MM-DD | None
    "speaker_label",  # str, the label as written
    "org_name",  # str, 東京都 / 足立区 / 不明 …
    "statements",  # int, statements of the label in the meeting
]
#: Output of :func:`resolve`: LABEL_COLUMNS plus who the label is.
IDENTITY_COLUMNS: list[str] = [
    *LABEL_COLUMNS,
    "person_key",  # str, stable key of the person (人物:東京都:宮坂 学) or of the label (表記:足立区:足立区)
    "person",  # str, display name of the person: the ``speaker`` of every statement of the label
    "basis",  # str, why the label is that person (BASIS_*)
]
#: One row per label of a person written in more than one way (:func:`merged_people`).
MERGED_COLUMNS: list[str] = ["person", "speaker_label", "basis", "statements", "meetings"]
#: One row per speaker of a statements frame written in more than one way (:func:`merged_labels`).
MERGED_LABEL_COLUMNS: list[str] = ["speaker", "labels", "statements"]


@dataclass(frozen=True)
class ReferenceRule:
    """A cross-meeting fact of the reference table: ``alias`` (as written) is ``person``."""

    alias: str
    person: str
    org: str = ""
    date_from: str | None = None
    date_to: str | None = None
    note: str = ""

    def matches(self, label: str, org_name: str, date: str | None) -> bool:
        """Whether the rule applies to ``label`` of ``org_name`` in a meeting held on ``date``."""
        if label_key(label) != label_key(self.alias) or (self.org and org_name != self.org):
            return False
        if not (self.date_from or self.date_to):
            return True
        if not isinstance(date, str) or not date:
            return False
        return (not self.date_from or date >= self.date_from) and (not self.date_to or date <= self.date_to)


@dataclass(frozen=True)
class IdentityOverride:
    """The user's word on a label: the same person as ``target`` (a label), or alone (None)."""

    label: str
    target: str | None = None

    @property
    def separate(self) -> bool:
        """別人として扱う: the label stands alone, automatic rules do not merge it."""
        return self.target is None


def parse_reference(text: str) -> tuple[ReferenceRule, ...]:
    """The rules of a reference CSV (lines starting with # are comments)."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    rules = []
    for row in csv.DictReader(io.StringIO("\n".join(lines))):
        alias, person = (row.get("alias") or "").strip(), (row.get("person") or "").strip()
        if not alias or not person:
            continue
        rules.append(
            ReferenceRule(
                alias=alias,
                person=person,
                org=(row.get("org") or "").strip(),
                date_from=(row.get("from") or "").strip() or None,
                date_to=(row.get("to") or "").strip() or None,
                note=(row.get("note") or "").strip(),
            )
        )
    return tuple(rules)


@lru_cache(maxsize=4)
def reference_rules(path: Path = REFERENCE_FILE) -> tuple[ReferenceRule, ...]:
    """The rules of ``data/reference/speaker_identities.csv`` (none when the file is missing)."""
    if not path.is_file():
        return ()
    return parse_reference(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- resolution


#: (organization scope, folded surname, folded given name or None)
_Person = tuple[str, str, str | None]


def _person_key(person: _Person) -> str:
    scope, surname, given = person
    return f"人物:{scope}:{surname}" + (f" {given}" if given else "")


def _label_person_key(org: str, label: str) -> str:
    return f"表記:{org}:{label_key(label)}"


@lru_cache(maxsize=65536)
def _is_title_only(label: str) -> bool:
    text = fold_variants(label).strip().strip("()（）[]［］【】「」").strip().upper()
    return len(text) >= 2 and text.endswith(TITLE_SUFFIXES)


def _strip_org(key: str, org: str) -> str:
    org_key = label_key(org) if org and org != UNKNOWN_KIND else ""
    return key[len(org_key) :] if org_key and key.startswith(org_key) and len(key) > len(org_key) else key


def _title_matches(title: str, role: str, org: str) -> bool:
    """Whether a title-only label names the role of a named label ("副知事" in "東京都CIO 副知事")."""
    wanted = _strip_org(label_key(title), org)
    blocks = {_strip_org(label_key(b), org) for b in [*role.split(" "), role] if b.strip()}
    for block in blocks:
        if not block:
            continue
        if wanted == block or (len(wanted) >= 2 and block.endswith(wanted)):
            return True
        if len(block) >= 2 and wanted.endswith(block):
            return True
    return False


@dataclass
class _Row:
    meeting_id: int
    date: str | None
    label: str
    org: str
    statements: int
    key: str | None = None
    basis: str = ""
    person: _Person | None = None  # the named person this row stands for
    role: str = ""  # title part of the label (or the alias of a reference rule)
    named: bool = False  # the label itself carries a name
    full: bool = False  # … with the given name
    reference: ReferenceRule | None = None


def _scope(org: str, meeting_id: int) -> str:
    """Where a surname identifies a person: the organization, or the meeting when it is unknown."""
    return f"{org}@{meeting_id}" if org == UNKNOWN_KIND else org


@lru_cache(maxsize=8192)
def _parse_label(label: str) -> tuple[str, str, str | None] | None:
    """(role, folded surname, folded given name) of a label carrying a personal name, else None."""
    role, name = extract_person(label)
    if not name:
        return None
    surname, given = split_name(name)
    return role, fold_variants(surname), fold_variants(given) if given else None


def _named(row: _Row) -> tuple[str, str, str | None] | None:
    """:func:`_parse_label` of the row; a label that is its organization's name names no one."""
    if not row.label or label_key(row.label) == label_key(row.org):
        return None
    return _parse_label(row.label)


def _separate(row: _Row) -> None:
    """Rule 1: the label stands alone; a name in it still tells who holds its title in its meeting."""
    row.key, row.basis = _label_person_key(row.org, row.label), BASIS_SEPARATE
    parsed = _named(row)
    if parsed is not None:
        row.role, surname, given = parsed
        row.person = (_scope(row.org, row.meeting_id), surname, given)
        row.named, row.full = True, given is not None


def _apply_reference(rows: list[_Row], rules: Sequence[ReferenceRule]) -> None:
    """Rule 2: a label that a reference rule names is the rule's person."""
    for row in rows:
        if row.key is not None:
            continue
        rule = next((r for r in rules if r.matches(row.label, row.org, row.date)), None)
        if rule is None:
            continue
        surname, given = split_name(rule.person)
        scope = _scope(rule.org or row.org, row.meeting_id)
        row.person = (scope, fold_variants(surname), fold_variants(given) if given else None)
        row.key = _person_key(row.person)
        row.basis = BASIS_REFERENCE
        row.role = row.label
        row.reference = rule


def _apply_names(rows: list[_Row]) -> None:
    """Rule 3: same organization and surname; given names tell people of one surname apart."""
    groups: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    for row in rows:
        if row.key is None and (parsed := _named(row)) is not None:
            row.role, surname, given = parsed
            row.person = (_scope(row.org, row.meeting_id), surname, given)
            row.named, row.full = True, given is not None
            groups[(row.person[0], surname)].append(row)
        elif row.reference is not None and row.person is not None:
            groups[(row.person[0], row.person[1])].append(row)
    for (scope, surname), members in groups.items():
        givens = {m.person[2] for m in members if m.person and m.person[2]}
        for row in members:
            if not row.named:
                continue
            given = row.person[2] if row.person else None
            if given is None and len(givens) == 1:
                given = next(iter(givens))
            elif given is None and givens:
                here = {
                    m.person[2]
                    for m in members
                    if m.meeting_id == row.meeting_id and m.person and m.person[2]
                }
                given = next(iter(here)) if len(here) == 1 else None
            row.person = (scope, surname, given)
            row.key, row.basis = _person_key(row.person), BASIS_NAME


def _apply_meeting_titles(rows: list[_Row]) -> None:
    """Rule 4: a title-only label is the one named person of its meeting holding that title."""
    holders: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        if row.key is not None and row.person is not None:
            holders[row.meeting_id].append(row)
    for row in rows:
        if row.key is not None or not _is_title_only(row.label):
            continue
        keys = {
            h.key
            for h in holders.get(row.meeting_id, [])
            if h.org == row.org and _title_matches(row.label, h.role, row.org)
        }
        if len(keys) == 1:
            row.key, row.basis = next(iter(keys)), BASIS_MEETING


def _merge_target(source: str, merges: Mapping[str, str], present: Mapping[str, object]) -> str | None:
    """The label key whose person ``source`` joins: the last label of its chain of merges found
    in the corpus (in a cycle, the smallest key of the cycle); None when there is none."""
    path, current = [source], merges[source]
    while current in merges and current not in path:
        path.append(current)
        current = merges[current]
    if current in path:
        target = min(path[path.index(current) :])
        return target if target != source and target in present else None
    path.append(current)
    return next((key for key in reversed(path[1:]) if key in present), None)


def _apply_manual(rows: list[_Row], merges: Mapping[str, str]) -> None:
    """Rule 6: a label merged by the user is whoever its target label is (chains followed)."""
    if not merges:
        return
    weights: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        weights[label_key(row.label)][row.key or ""] += max(row.statements, 1)
    keys = {}
    for source in merges:
        target = _merge_target(source, merges, weights)
        if target is not None:
            keys[source] = weights[target].most_common(1)[0][0]
    for row in rows:
        key = keys.get(label_key(row.label))
        if key:
            row.key, row.basis = key, BASIS_MANUAL


def _display_names(rows: list[_Row]) -> dict[str, str]:
    """Person key -> display name: the most informative label (full name, then surname, then a
    label not merged in by hand, then most statements, then longest), unique across people."""
    by_key: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        by_key[row.key or ""].append(row)
    names: dict[str, str] = {}
    for key, members in by_key.items():
        counts: Counter[str] = Counter()
        rank: dict[str, tuple[int, int, int]] = {}
        for m in members:
            counts[m.label] += m.statements
            own = (int(m.full), int(m.named), int(m.basis != BASIS_MANUAL))
            rank[m.label] = max(rank.get(m.label, (0, 0, 0)), own)
        best = sorted(counts, key=lambda label: (*rank[label], counts[label], len(label)), reverse=True)
        rule = next((m.reference for m in members if m.reference is not None), None)
        if rank[best[0]][1] or rule is None:
            names[key] = _unbracketed(best[0])
        else:
            names[key] = f"{rule.alias} {rule.person}"
    return _unique(names, by_key)


def _unbracketed(label: str) -> str:
    """A label without the brackets around all of it: "(東京都CIO 副知事 宮坂 学)" -> "東京都CIO 副知事 宮坂 学"."""
    text = label.strip()
    inner = _ENCLOSED.match(text)
    return inner.group(1).strip() if inner and inner.group(1).strip() else text


def _unique(names: dict[str, str], by_key: Mapping[str, list[_Row]]) -> dict[str, str]:
    """Display names made unique: the person with most statements keeps the plain name, the
    others get their organization (and a number if that is not enough) in brackets."""
    keys_of: dict[str, list[str]] = defaultdict(list)
    for key, name in names.items():
        keys_of[name].append(key)
    out = dict(names)
    taken = set(names.values())
    for name, keys in keys_of.items():
        if len(keys) < 2:
            continue
        keys.sort(key=lambda k: (-sum(r.statements for r in by_key[k]), k))
        for i, key in enumerate(keys[1:], start=2):
            candidate = f"{name}（{by_key[key][0].org}）"
            if candidate in taken:
                candidate = f"{name}（{by_key[key][0].org}・{i}）"
            out[key] = candidate
            taken.add(candidate)
    return out


def _final_basis(row: _Row, display: str) -> str:
    """Why the row's label is shown as ``display`` (代表の表記 when it is that label)."""
    if row.basis == BASIS_SEPARATE:
        return BASIS_SEPARATE
    if row.label == display:
        return BASIS_DISPLAY
    return row.basis or BASIS_SPELLING


def resolve(
    labels: pd.DataFrame,
    overrides: Mapping[str, IdentityOverride] | None = None,
    rules: Sequence[ReferenceRule] | None = None,
) -> pd.DataFrame:
    """Who every (meeting, label, organization) of ``labels`` (LABEL_COLUMNS) is: IDENTITY_COLUMNS.

    ``overrides`` are the user's (keyed by label; ``orgs.label_key`` is applied), ``rules`` the
    reference table (default: ``data/reference/speaker_identities.csv``). Rows keep their order.
    """
    if labels.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in IDENTITY_COLUMNS})
    rules = reference_rules() if rules is None else rules
    wanted = {label_key(k): v for k, v in (overrides or {}).items()}
    columns = [labels[c].tolist() for c in ("meeting_id", "date", "speaker_label", "org_name", "statements")]
    rows = [
        _Row(int(mid), date if isinstance(date, str) else None, str(label), str(org), int(n))
        for mid, date, label, org, n in zip(*columns, strict=True)
    ]
    for row in rows:
        override = wanted.get(label_key(row.label))
        if override is not None and override.separate:
            _separate(row)
    _apply_reference(rows, rules)
    _apply_names(rows)
    _apply_meeting_titles(rows)
    for row in rows:
        if row.key is None:
            row.key = _label_person_key(row.org, row.label)
    merges = {k: label_key(o.target) for k, o in wanted.items() if o.target and label_key(o.target) != k}
    _apply_manual(rows, merges)
    names = _display_names(rows)
    out = labels[LABEL_COLUMNS].reset_index(drop=True).copy()
    out["person_key"] = [row.key for row in rows]
    out["person"] = [names[row.key or ""] for row in rows]
    out["basis"] = [_final_basis(row, names[row.key or ""]) for row in rows]
    return out


# --------------------------------------------------------------------------- frames


def canonical_speakers(statements: pd.DataFrame, identities: pd.DataFrame) -> pd.Series:
    """The ``speaker`` of each statement (with ``speaker_label``): its person's display name.

    Only the labels whose person is shown under another name are looked up, so a corpus where
    nothing is merged costs one comparison.
    """
    labels = statements["speaker_label"]
    renamed = identities[identities["person"] != identities["speaker_label"]]
    out = labels.astype(object).copy()
    if renamed.empty:
        return out
    names = dict(
        zip(
            zip(
                renamed["meeting_id"].tolist(),
                renamed["speaker_label"].tolist(),
                renamed["org_name"].tolist(),
                strict=True,
            ),
            renamed["person"].tolist(),
            strict=True,
        )
    )
    hit = labels.isin(set(renamed["speaker_label"].tolist()))
    keys = zip(
        statements.loc[hit, "meeting_id"].tolist(),
        labels[hit].tolist(),
        statements.loc[hit, "org_name"].tolist(),
        strict=True,
    )
    out[hit] = [names.get(key, key[1]) for key in keys]
    return out


def merged_people(identities: pd.DataFrame) -> pd.DataFrame:
    """People written in more than one way (MERGED_COLUMNS), the display form first in each person.

    ``meetings`` joins the meeting labels (、), ``basis`` the reasons (・) of that label.
    """
    if identities.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in MERGED_COLUMNS})
    forms = identities.groupby("person_key")["speaker_label"].nunique()
    merged = identities[identities["person_key"].isin(forms[forms > 1].index)]
    rows = []
    for (person, label), group in merged.groupby(["person", "speaker_label"], sort=False):
        bases = list(dict.fromkeys(group["basis"]))
        rows.append(
            {
                "person": person,
                "speaker_label": label,
                "basis": "・".join(bases),
                "statements": int(group["statements"].sum()),
                "meetings": "、".join(dict.fromkeys(group["meeting_label"])),
                "_order": BASIS_DISPLAY not in bases,
            }
        )
    table = pd.DataFrame(rows, columns=[*MERGED_COLUMNS, "_order"])
    table = table.sort_values(["person", "_order", "speaker_label"], kind="stable")
    return table[MERGED_COLUMNS].reset_index(drop=True)


def merged_labels(statements: pd.DataFrame) -> pd.DataFrame:
    """Speakers of ``statements`` written in more than one way (MERGED_LABEL_COLUMNS).

    ``labels`` is a tuple of the labels as written, the speaker's own form first, then by
    statements; sorted by statements (desc). Empty when the frame has no ``speaker_label``.
    """
    if statements.empty or "speaker_label" not in statements.columns:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in MERGED_LABEL_COLUMNS})
    frame = statements[["speaker", "speaker_label"]].dropna()
    rows = []
    for speaker, group in frame.groupby("speaker", sort=False):
        counts = group["speaker_label"].value_counts()
        if len(counts) < 2:
            continue
        labels = sorted(counts.index, key=lambda label: (label != speaker, -counts[label], label))
        rows.append((speaker, tuple(labels), int(counts.sum())))
    table = pd.DataFrame(rows, columns=MERGED_LABEL_COLUMNS)
    return table.sort_values(["statements", "speaker"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
