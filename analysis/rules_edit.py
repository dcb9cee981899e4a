"""Editing the topic coding rules: check a draft, preview what it changes, write it back safely.

The rules file (:func:`analysis.topics.rules_path`) stays the source of truth. The dashboard's
コーディングルール page and, later, the CLI only call these functions:

- :func:`check_rule` parses a rule expression and returns the :class:`RuleError` (Japanese,
  with the character position) instead of raising, so an editor can show it while typing;
  :func:`draft_problems` checks the other fields (name, colour) against the current rules;
- :func:`match_diff` evaluates the current and the proposed rule on every statement of the
  corpus and returns the statements the proposal gains and loses (DataFrames in and out);
- :func:`save_topic` rewrites the file with one topic replaced or appended — the header comment
  block, the other topics' text (comments, line breaks) and the order of topics are kept —
  after copying the previous file to ``backups/<name>-YYYYmmdd-HHMMSS.yaml`` next to it. The
  store re-labels statements when :func:`analysis.topics.rules_version` changes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from analysis.rules_expr import Context, Expr, RuleError, parse_rule
from analysis.topics import UNCLASSIFIED, TopicRule, load_rules, rules_path, rules_version

__all__ = [
    "BACKUP_DIR",
    "DIFF_COLUMNS",
    "MatchDiff",
    "RuleEditError",
    "SavedRules",
    "TopicDraft",
    "check_rule",
    "draft_from_rule",
    "draft_problems",
    "error_parts",
    "header_comment",
    "match_diff",
    "normalize_rule",
    "render_topic",
    "replace_topic",
    "save_topic",
]

#: Folder (next to the rules file) that keeps a copy of every replaced rules file.
BACKUP_DIR = "backups"
#: Statement columns of the gained / lost tables, in display order.
DIFF_COLUMNS: list[str] = ["statement_id", "meeting_label", "date", "speaker", "org_name", "text", "topics"]
#: Longest line (display columns, CJK counts 2) written for a rule; longer rules are folded.
LINE_WIDTH = 100
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_QUOTES = {'"': '"', "＂": "＂", "“": "”", "「": "」"}


class RuleEditError(ValueError):
    """A draft or a save that cannot go ahead; the message is Japanese and meant for the user."""


@dataclass(frozen=True)
class TopicDraft:
    """One topic as edited: name, description, chart colour (#rrggbb) and rule expression."""

    name: str
    description: str
    color: str
    rule: str


@dataclass(frozen=True)
class MatchDiff:
    """How a proposed rule changes one topic's statements on a corpus.

    ``before`` / ``after`` count the statements the current / proposed rule matches; ``gained``
    and ``lost`` hold the statements that only the proposal / only the current rule matches
    (:data:`DIFF_COLUMNS`, in corpus order).
    """

    before: int
    after: int
    gained: pd.DataFrame
    lost: pd.DataFrame


@dataclass(frozen=True)
class SavedRules:
    """Result of :func:`save_topic`: the file written, its backup and the new rules version."""

    path: Path
    backup: Path
    version: str


def draft_from_rule(rule: TopicRule) -> TopicDraft:
    """The editable fields of a loaded rule."""
    return TopicDraft(rule.name, rule.description, rule.color, rule.rule)


def normalize_rule(text: str) -> str:
    """The rule on one line: runs of whitespace (line breaks from the editor) become one space."""
    return " ".join(text.split())


def check_rule(text: str, topic: str = "") -> RuleError | None:
    """The parse error of a rule expression (position relative to ``text``), or None when it parses."""
    try:
        parse_rule(text, topic=topic)
    except RuleError as exc:
        return exc
    return None


def error_parts(error: RuleError) -> tuple[str, str, str]:
    """The rule split around the error position: text before, the character at it ("" at the end), after."""
    source = error.source
    position = len(source) if error.position is None else min(error.position, len(source))
    return source[:position], source[position : position + 1], source[position + 1 :]


def draft_problems(draft: TopicDraft, rules: Sequence[TopicRule], original: str | None = None) -> list[str]:
    """What keeps a draft from being saved, besides its rule expression (empty list = fine).

    ``original`` is the name of the topic being edited (None for a new topic), so keeping its
    own name is not a duplicate.
    """
    problems: list[str] = []
    name = " ".join(draft.name.split())
    if not name:
        problems.append("トピック名を入力してください。")
    elif name == UNCLASSIFIED:
        problems.append(f"「{UNCLASSIFIED}」は予約されたトピック名のため使えません。")
    elif name != original and name in {r.name for r in rules}:
        problems.append(f"トピック「{name}」は既にあります。別の名前にしてください。")
    if not _COLOR.match(draft.color.strip()):
        problems.append(f"色は #1f77b4 の形で指定してください（{draft.color or '未指定'}）。")
    if not normalize_rule(draft.rule):
        problems.append("ルール式を入力してください。")
    return problems


# --- preview ----------------------------------------------------------------------------------


def _terms_by_statement(tokens: pd.DataFrame) -> dict[int, list[str]]:
    """statement_id -> its token terms (a plain loop: several times faster than a groupby)."""
    terms: dict[int, list[str]] = {}
    for sid, term in zip(tokens["statement_id"].tolist(), tokens["term"].tolist(), strict=True):
        terms.setdefault(int(sid), []).append(str(term))
    return terms


def _matches(contexts: list[Context], rule: Expr | None) -> pd.Series:
    if rule is None:
        return pd.Series([False] * len(contexts), dtype=bool)
    return pd.Series([rule.evaluate(ctx) for ctx in contexts], dtype=bool)


def match_diff(
    statements: pd.DataFrame, tokens: pd.DataFrame, current: str | None, proposed: str, topic: str = ""
) -> MatchDiff:
    """Statements the ``proposed`` rule gains and loses versus ``current`` (None for a new topic).

    Matching is exactly the store's: each statement's normalized text and stored token terms
    (:class:`analysis.rules_expr.Context`). Raises :class:`RuleError` for a malformed rule.
    """
    new_rule = parse_rule(proposed, topic=topic)
    old_rule = parse_rule(current, topic=topic) if current is not None else None
    columns = [c for c in DIFF_COLUMNS if c in statements.columns]
    if statements.empty:
        empty = statements.reindex(columns=columns)
        return MatchDiff(0, 0, empty, empty.copy())
    terms = _terms_by_statement(tokens)
    contexts = [
        Context.of(str(text or ""), terms.get(int(sid), ()))
        for sid, text in zip(statements["statement_id"], statements["norm_text"], strict=True)
    ]
    before = _matches(contexts, old_rule).to_numpy()
    after = _matches(contexts, new_rule).to_numpy()
    frame = statements.reset_index(drop=True)[columns]
    return MatchDiff(
        before=int(before.sum()),
        after=int(after.sum()),
        gained=frame[after & ~before].reset_index(drop=True),
        lost=frame[before & ~after].reset_index(drop=True),
    )


# --- writing the file -------------------------------------------------------------------------


def header_comment(text: str) -> str:
    """The comment block at the top of a rules file (comment and blank lines before the first key)."""
    lines = text.splitlines(keepends=True)
    header: list[str] = []
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            break
        header.append(line)
    return "".join(header)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _plain_ok(key: str, value: str) -> bool:
    """Whether ``key: value`` reads back as exactly ``value`` (no quoting or comment trouble)."""
    try:
        return yaml.safe_load(f"{key}: {value}") == {key: value}
    except yaml.YAMLError:
        return False


def _quoted(value: str) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, default_style='"', width=10**6)
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _chunks(rule: str) -> list[str]:
    """The rule split at spaces outside quoted phrases (where a folded line may break)."""
    chunks: list[str] = []
    current: list[str] = []
    closing: str | None = None
    for char in rule:
        if closing is not None:
            current.append(char)
            if char == closing:
                closing = None
        elif char == " ":
            if current:
                chunks.append("".join(current))
                current = []
        else:
            current.append(char)
            closing = _QUOTES.get(char)
    if current:
        chunks.append("".join(current))
    return chunks


def _fold(rule: str, indent: int) -> list[str]:
    """Lines of a folded rule: fill up to :data:`LINE_WIDTH`, preferring to break before ``or``."""
    limit = max(LINE_WIDTH - indent, 20)
    lines: list[list[str]] = [[]]
    for chunk in _chunks(rule):
        line = lines[-1]
        if line and _width(" ".join([*line, chunk])) > limit:
            cut = max((i for i, c in enumerate(line) if c.lower() == "or" and i >= len(line) // 2), default=0)
            if cut:
                lines[-1], carried = line[:cut], line[cut:]
                lines.append([*carried, chunk])
            else:
                lines.append([chunk])
        else:
            line.append(chunk)
    return [" ".join(line) for line in lines if line]


def _clean(draft: TopicDraft) -> TopicDraft:
    return TopicDraft(
        name=" ".join(draft.name.split()),
        description=" ".join(draft.description.split()),
        color=draft.color.strip().lower(),
        rule=normalize_rule(draft.rule),
    )


def render_topic(draft: TopicDraft, indent: int = 2) -> str:
    """One topic as a YAML list item in the rules file's style (no trailing newline)."""
    draft = _clean(draft)
    pad = " " * indent
    key = " " * (indent + 2)
    name = draft.name if _plain_ok("name", draft.name) else _quoted(draft.name)
    lines = [f"{pad}- name: {name}"]
    if draft.description:
        description = (
            draft.description if _plain_ok("description", draft.description) else _quoted(draft.description)
        )
        lines.append(f"{key}description: {description}")
    lines.append(f'{key}color: "{draft.color}"')
    one_line = f"{key}rule: {draft.rule}"
    if _width(one_line) <= LINE_WIDTH and _plain_ok("rule", draft.rule):
        lines.append(one_line)
    else:
        lines.append(f"{key}rule: >-")
        lines.extend(f"{key}  {line}" for line in _fold(draft.rule, indent + 4))
    return "\n".join(lines)


def _signature(draft: TopicDraft) -> tuple[str, str, str, str]:
    """What a topic means, whitespace-insensitive (to check that a rewritten file reads back)."""
    clean = _clean(draft)
    return clean.name, clean.description, clean.color, clean.rule


def _topic_items(text: str) -> tuple[list[yaml.MappingNode], yaml.SequenceNode] | None:
    """The block-style list items under ``topics:`` with their node positions, if the file has them."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if key.value == "topics" and isinstance(value, yaml.SequenceNode) and not value.flow_style:
            items = value.value
            if items and all(isinstance(i, yaml.MappingNode) and not i.flow_style for i in items):
                return items, value
    return None


def _item_start(text: str, item: yaml.MappingNode) -> int:
    """Index of the start of the line holding the item's ``-``."""
    dash = text.rfind("-", 0, item.start_mark.index)
    return text.rfind("\n", 0, dash) + 1


def _split_item(text: str, start: int, end: int, item: yaml.MappingNode) -> tuple[str, str, str]:
    """An item's segment as (its own text, a comment on its last line, what follows up to the next
    item: blank lines and comment lines, starting with a line break)."""
    content_end = max(v.end_mark.index for _, v in item.value)
    content = text[start:content_end].rstrip()
    tail = text[start + len(content) : end]
    same_line, newline, rest = tail.partition("\n")
    return content, same_line, newline + rest


def _rewrite_all(text: str, drafts: list[TopicDraft]) -> str:
    """The whole file in the canonical style (header comments kept), for files of another shape."""
    body = "\n\n".join(render_topic(d) for d in drafts)
    return f"{header_comment(text)}version: 1\ntopics:\n{body}\n"


def _expected(rules: Sequence[TopicRule], draft: TopicDraft, original: str | None) -> list[TopicDraft]:
    drafts = [draft_from_rule(r) for r in rules]
    if original is None:
        return [*drafts, draft]
    names = [r.name for r in rules]
    if original not in names:
        raise RuleEditError(
            f"トピック「{original}」はルールファイルにありません（ほかで変更された可能性があります）。"
        )
    drafts[names.index(original)] = draft
    return drafts


def _reads_back(text: str, expected: list[TopicDraft]) -> bool:
    """Whether ``text`` loads (:func:`load_rules`) to exactly the ``expected`` topics."""
    try:
        loaded = _load_text(text)
    except RuleError:
        return False
    return [_signature(draft_from_rule(r)) for r in loaded] == [_signature(d) for d in expected]


def replace_topic(text: str, draft: TopicDraft, original: str | None = None) -> str:
    """The rules file text with topic ``original`` replaced by ``draft`` (or ``draft`` appended).

    Everything else — the header comments, the other topics as written, their order — stays.
    Raises :class:`RuleEditError` when the draft is invalid or the result would not read back.
    """
    rules = _load_text(text)
    problems = draft_problems(draft, rules, original)
    error = check_rule(normalize_rule(draft.rule), topic=draft.name)
    if error is not None:
        problems.append(str(error))
    if problems:
        raise RuleEditError("\n".join(problems))
    expected = _expected(rules, draft, original)
    names = [r.name for r in rules]
    if original is not None and _signature(draft) == _signature(
        draft_from_rule(rules[names.index(original)])
    ):
        return text
    found = _topic_items(text)
    if found is None or len(found[0]) != len(rules):
        result = _rewrite_all(text, expected)
    else:
        items, sequence = found
        starts = [_item_start(text, item) for item in items]
        ends = [*starts[1:], sequence.end_mark.index]
        index = len(items) - 1 if original is None else names.index(original)
        content, same_line, rest = _split_item(text, starts[index], ends[index], items[index])
        block = render_topic(draft, indent=len(text[starts[index] :].split("-", 1)[0]))
        # A replaced topic's own line comment described the old text, so it goes with it.
        segment = f"{content}{same_line}\n\n{block}" if original is None else block
        segment += rest or "\n"
        result = text[: starts[index]] + segment + text[ends[index] :]
        if not _reads_back(result, expected):
            result = _rewrite_all(text, expected)
    if not _reads_back(result, expected):
        raise RuleEditError(
            "ルールファイルを書式を保ったまま書き換えられませんでした。ファイルを直接確認してください。"
        )
    return result


def _load_text(text: str) -> list[TopicRule]:
    """:func:`load_rules` on a text (through a temporary file)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "topics.yaml"
        path.write_text(text, encoding="utf-8")
        return load_rules(path)


def _backup_path(path: Path, now: dt.datetime) -> Path:
    folder = path.parent / BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text(
            "# 置き換えたルールファイルのバックアップ（コーディングルールの画面が作る）\n*\n",
            encoding="utf-8",
        )
    stamp = now.strftime("%Y%m%d-%H%M%S")
    candidate = folder / f"{path.stem}-{stamp}{path.suffix}"
    counter = 2
    while candidate.exists():
        candidate = folder / f"{path.stem}-{stamp}-{counter}{path.suffix}"
        counter += 1
    return candidate


def save_topic(
    draft: TopicDraft,
    original: str | None = None,
    *,
    path: str | Path | None = None,
    expected_version: str | None = None,
    now: dt.datetime | None = None,
) -> SavedRules:
    """Write ``draft`` into the rules file (replacing topic ``original``, or appending a new topic).

    ``expected_version`` is the :func:`rules_version` the edit was based on: if the file changed
    since (another editor, a hand edit), nothing is written. The previous file is copied to
    ``backups/`` first; the new file replaces it atomically. Raises :class:`RuleEditError`.
    """
    target = Path(path) if path is not None else rules_path()
    if expected_version is not None and rules_version(target) != expected_version:
        raise RuleEditError(
            "ルールファイルが、編集を始めたあとに変更されています。画面を読み込み直してから編集してください。"
        )
    text = target.read_text(encoding="utf-8")
    try:
        updated = replace_topic(text, draft, original)
    except RuleError as exc:  # the current file itself is broken
        raise RuleEditError(f"今のルールファイルを読めません: {exc}") from exc
    backup = _backup_path(target, now or dt.datetime.now())
    shutil.copy2(target, backup)
    handle, temp = tempfile.mkstemp(prefix=".topics-", suffix=".yaml", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(updated)
        shutil.copymode(target, temp)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return SavedRules(path=target, backup=backup, version=rules_version(target))
