"""Facts about a minutes fixture, checked one by one against what the parser read.

Each fixture under ``tests/fixtures/minutes/`` is a document (``.txt``, ``.html``, or a
``.docx.txt`` / ``.pdf.txt`` spec that ``build`` turns into a DOCX or PDF) plus
``<name>.facts.json``: what a person read off the edition it models. The golden tests
(``tests/test_minutes_fixtures.py``) assert every fact; ``benchmarks/bench_parse.py`` prints
facts held / facts total, the parser's fidelity figure.

Keys of a facts file (all optional except ``file``; each listed item is one fact):

- ``file``: the fixture document, relative to the facts file.
- ``build`` (optional): ``{"format": "pdf", "replace": {old: new}, "header": ...}`` builds the
  document from ``file``'s text (characters replaced first) as a PDF with that running header.
  A ``.pdf.txt`` file is built as a PDF too (options in ``pdf``), a ``.docx.txt`` one as a styled DOCX.
- ``models``: which edition or house style the fixture keeps the structure of (not checked).
- ``meeting``: ``{field: value}`` for title, series, number, document_kind, date, start_time,
  end_time, venue; one fact per field.
- ``agenda``: the agenda items in order, each ``{"title", "presenters", "parent", "private"}``
  (presenters, parent and private optional); one fact for the titles in order, one per item for
  its presenters and one per item for its parent/private marks when given.
- ``sections``: top-level section titles in order (one fact); ``subsections``: ``[title,
  parent title]`` pairs in order (one fact); ``private_sections``: titles marked (非公開) (one fact).
- ``turns``: number of turns; ``statements``: number of statements (one fact each).
- ``turns_by_org`` / ``statements_by_org``: ``{organization name: count}``; one fact per name, and
  one more that no other organization has any.
- ``kinds``: ``{organization name: kind}``; one fact per name.
- ``unattributed``: number of statements whose organization is 不明 (one fact).
- ``speakers``: speaker labels that must appear (one fact each); ``not_speakers``: substrings no
  speaker label may contain (agenda presenters, attendees, headings; one fact each).
- ``qa``: ``[asker organization, answerer organization]`` for each answer in order (one fact).
- ``roles``: ``{speaker label: role}`` of the first turn of that speaker (one fact each).
- ``notes``: number of notes (one fact).
- ``statement_texts``: ``{index: substring}`` — the statement at that index (0-based, in document
  order) contains the substring (one fact each).
- ``quality``: ``{field: value}`` of the parse's quality object (one fact per field).
- ``refused``: true when the document is not minutes and must be refused (one fact).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.model import ParsedDocument

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "minutes"
UNKNOWN = "不明"


@dataclass(frozen=True)
class Fact:
    name: str
    expected: Any
    actual: Any

    @property
    def holds(self) -> bool:
        return self.expected == self.actual


def facts_files(root: Path = FIXTURES) -> list[Path]:
    """Every ``*.facts.json`` below ``root``, sorted by path."""
    return sorted(root.rglob("*.facts.json"))


def load(facts_path: Path) -> dict[str, Any]:
    return json.loads(facts_path.read_text(encoding="utf-8"))


def build(facts_path: Path, workdir: Path) -> Path:
    """The document a facts file describes, built into ``workdir`` when it is a DOCX/PDF spec."""
    from tests import formats

    spec = load(facts_path)
    source = facts_path.parent / spec["file"]
    options = dict(spec.get("build", {}))
    if source.name.endswith(".pdf.txt"):
        options = {"format": "pdf", **spec.get("pdf", {})}
    if source.name.endswith(".docx.txt"):
        options = {"format": "docx"}
    if not options:
        return source
    text = source.read_text(encoding="utf-8")
    for old, new in options.pop("replace", {}).items():
        text = text.replace(old, new)
    stem = facts_path.name[: -len(".facts.json")]
    if options.pop("format") == "docx":
        return formats.write_styled_docx(text, workdir / f"{stem}.docx")
    return formats.write_pdf(text, workdir / f"{stem}.pdf", **options)


def needs_pdf(facts_path: Path) -> bool:
    """Whether the fixture is built as a PDF (which needs a Japanese font installed)."""
    spec = load(facts_path)
    return spec["file"].endswith(".pdf.txt") or spec.get("build", {}).get("format") == "pdf"


def parse_fixture(facts_path: Path) -> tuple[ParsedDocument | None, str | None]:
    """Parse the fixture (building it first if needed); returns (document, refusal message)."""
    from analysis.minutes import NotMinutesError, parse_file

    with tempfile.TemporaryDirectory() as tmp:
        path = build(facts_path, Path(tmp))
        try:
            return parse_file(path, refuse_non_minutes=True), None
        except NotMinutesError as exc:
            return None, str(exc)


def _org(turn) -> str:
    return turn.organization.name


def check(spec: dict[str, Any], doc: ParsedDocument | None, refusal: str | None = None) -> Iterator[Fact]:
    """Yield every fact of ``spec`` with the parser's value next to the expected one."""
    if "refused" in spec:
        yield Fact("refused", spec["refused"], refusal is not None)
    if doc is None:
        for name in spec:
            if name not in ("file", "models", "refused", "pdf", "build"):
                yield Fact(f"{name} (not parsed: {refusal})", spec[name], None)
        return
    meeting = doc.meeting
    for field, value in spec.get("meeting", {}).items():
        yield Fact(f"meeting.{field}", value, getattr(meeting, field))
    if "agenda" in spec:
        expected = spec["agenda"]
        yield Fact("agenda titles", [a["title"] for a in expected], [a.title for a in doc.agenda])
        by_title = {a.title: a for a in doc.agenda}
        for item in expected:
            got = by_title.get(item["title"])
            if "presenters" in item:
                yield Fact(
                    f"agenda presenters of {item['title']}",
                    item["presenters"],
                    got.presenters if got else None,
                )
            for mark in ("parent", "private"):
                if mark in item:
                    value = getattr(got, mark) if got else None
                    yield Fact(f"agenda {mark} of {item['title']}", item[mark], value)
    by_id = {s.id: s for s in doc.sections}
    if "sections" in spec:
        yield Fact("sections", spec["sections"], [s.title for s in doc.sections if s.parent_id is None])
    if "subsections" in spec:
        subs = [[s.title, by_id[s.parent_id].title] for s in doc.sections if s.parent_id in by_id]
        yield Fact("subsections", spec["subsections"], subs)
    if "private_sections" in spec:
        yield Fact("private sections", spec["private_sections"], [s.title for s in doc.sections if s.private])
    if "turns" in spec:
        yield Fact("turns", spec["turns"], len(doc.turns))
    if "statements" in spec:
        yield Fact("statements", spec["statements"], doc.statement_count)
    statements_by_org: Counter[str] = Counter()
    for t in doc.turns:
        statements_by_org[_org(t)] += len(t.statements)
    for key, counter in (
        ("turns_by_org", Counter(_org(t) for t in doc.turns)),
        ("statements_by_org", statements_by_org),
    ):
        if key not in spec:
            continue
        expected = spec[key]
        for name, count in expected.items():
            yield Fact(f"{key}[{name}]", count, counter.get(name, 0))
        others = sorted(name for name, count in counter.items() if name not in expected and count)
        yield Fact(f"{key}: no other organization", [], others)
    for name, kind in spec.get("kinds", {}).items():
        kinds = sorted({t.organization.kind for t in doc.turns if _org(t) == name})
        yield Fact(f"kind of {name}", [kind], kinds)
    if "unattributed" in spec:
        count = sum(len(t.statements) for t in doc.turns if t.organization.kind == UNKNOWN)
        yield Fact("unattributed statements", spec["unattributed"], count)
    labels = [t.speaker for t in doc.turns]
    for label in spec.get("speakers", []):
        yield Fact(f"speaker {label}", True, label in labels)
    for fragment in spec.get("not_speakers", []):
        yield Fact(f"not a speaker: {fragment}", [], [s for s in labels if fragment in s])
    if "qa" in spec:
        by_order = {t.order: t for t in doc.turns}
        pairs = [
            [_org(by_order[t.reply_to]), _org(t)]
            for t in doc.turns
            if t.reply_to is not None and t.reply_to in by_order
        ]
        yield Fact("question → answer pairs", spec["qa"], pairs)
    for label, role in spec.get("roles", {}).items():
        turn = next((t for t in doc.turns if t.speaker == label), None)
        yield Fact(f"role of {label}", role, turn.role if turn else None)
    if "notes" in spec:
        yield Fact("notes", spec["notes"], len(doc.notes))
    texts = [s for t in doc.turns for s in t.statements]
    for index, fragment in spec.get("statement_texts", {}).items():
        i = int(index)
        actual = (
            fragment
            if i < len(texts) and fragment in texts[i]
            else (texts[i][:40] if i < len(texts) else None)
        )
        yield Fact(f"statement {i}", fragment, actual)
    for field, value in spec.get("quality", {}).items():
        yield Fact(f"quality.{field}", value, getattr(doc.quality, field))


def evaluate(facts_path: Path) -> list[Fact]:
    """Parse one fixture and check all of its facts."""
    doc, refusal = parse_fixture(facts_path)
    return list(check(load(facts_path), doc, refusal))
