"""Golden tests on the real seed minutes (第4回 CIOフォーラム, 2023-02-14).

Every expected value below was read off the minutes by hand, not printed from the parser.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from analysis.minutes import parse_file

SEED = Path(__file__).resolve().parent.parent / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"


@pytest.fixture(scope="module")
def doc():
    return parse_file(SEED)


def _section_title(doc, section_id):
    return next(s.title for s in doc.sections if s.id == section_id)


def _top_title(doc, section_id):
    by_id = {s.id: s for s in doc.sections}
    section = by_id[section_id]
    while section.parent_id is not None:
        section = by_id[section.parent_id]
    return section.title


def test_meeting_metadata(doc):
    m = doc.meeting
    assert m.title == "第4回東京都・区市町村CIOフォーラム"
    assert m.series == "東京都・区市町村CIOフォーラム"
    assert m.number == 4
    assert m.document_kind == "議事要旨"
    assert m.date == "2023-02-14"
    assert (m.start_time, m.end_time) == ("13:00", "14:45")
    assert m.venue == "リモート開催(webex)"
    assert m.source.format == "txt"
    assert m.source.encoding in ("utf-8", "utf_8")
    assert len(m.source.sha256) == 64


def test_agenda_lists_presenters_not_speakers(doc):
    assert [a.title for a in doc.agenda] == ["都からの事業報告", "国からの情報共有"]
    assert len(doc.agenda[0].presenters) == 4
    assert doc.agenda[0].presenters[1].startswith("東京都デジタルサービス局基盤整備部情報システム企画課長")
    assert doc.agenda[1].presenters == ["デジタル庁参事官 渡邊 繁樹 氏"]
    speakers = {t.speaker for t in doc.turns}
    assert not any("小澤" in s or "渡邊" in s for s in speakers)


def test_sections_and_subitems(doc):
    tops = [s.title for s in doc.sections if s.parent_id is None]
    assert tops == ["都からの事業報告", "国からの情報共有", "その他質疑応答・意見交換"]
    subs = [(s.title, _section_title(doc, s.parent_id)) for s in doc.sections if s.parent_id is not None]
    assert subs == [
        ("東京都のDX推進強化に向けた新たな展開の具体化", "都からの事業報告"),  # the unclosed 「 is dropped
        ("国内共同調査の現状報告", "都からの事業報告"),
        ("都来年度予算について", "都からの事業報告"),
        ("地方公共団体の基幹業務システムの統一・標準化について", "国からの情報共有"),
    ]


def test_turn_and_statement_counts(doc):
    assert len(doc.turns) == 22
    assert doc.statement_count == 25
    turns = Counter(t.organization.name for t in doc.turns)
    assert turns == {"足立区": 4, "国分寺市": 3, "荒川区": 1, "世田谷区": 1, "町田市": 1, "東京都": 11, "デジタル庁": 1}
    statements = Counter()
    for t in doc.turns:
        statements[t.organization.name] += len(t.statements)
    assert statements["足立区"] == 6
    assert statements["デジタル庁"] == 2
    assert statements["町田市"] == 1  # "また、M365 は…" is a paragraph of the same statement


def test_organizations_resolved(doc):
    orgs = {t.organization.name: t.organization for t in doc.turns}
    assert (orgs["足立区"].kind, orgs["足立区"].code, orgs["足立区"].region) == ("特別区", "13121", "区部")
    assert (orgs["国分寺市"].kind, orgs["国分寺市"].code, orgs["国分寺市"].region) == ("市", "13214", "多摩")
    assert (orgs["町田市"].code, orgs["荒川区"].code, orgs["世田谷区"].code) == ("13209", "13118", "13112")
    assert orgs["東京都"].kind == "東京都"
    assert orgs["デジタル庁"].kind == "国"
    miyasaka = [t for t in doc.turns if t.speaker == "宮坂副知事"]
    assert len(miyasaka) == 3 and all(t.organization.name == "東京都" for t in miyasaka)
    assert doc.warnings == []


def test_statements_broken_across_page_breaks_are_joined(doc):
    digital = next(t for t in doc.turns if t.organization.name == "デジタル庁")
    assert "疎結合という形で作っていただき提供することは可能" in digital.statements[0]
    assert digital.statements[1].startswith("データセンターは必ず国内に置くこと")
    miyasaka = [t for t in doc.turns if t.speaker == "宮坂副知事"][1]
    assert len(miyasaka.statements) == 1
    assert "まずは1つ種になるようなものを作り" in miyasaka.statements[0]


def test_text_kept_as_written(doc):
    texts = [s for t in doc.turns for s in t.statements]
    assert any("TOYKO スマホサポーター" in s for s in texts)
    assert any("お願ひしたい" in s for s in texts)
    assert all(not s.startswith("○") for s in texts)


def test_no_discussion_is_a_note(doc):
    assert [(n.text, _section_title(doc, n.section_id)) for n in doc.notes] == [("質疑なし", "国内共同調査の現状報告")]
    assert not any("質疑なし" in s for t in doc.turns for s in t.statements)


def test_questions_and_answers(doc):
    by_order = {t.order: t for t in doc.turns}
    arakawa = next(t for t in doc.turns if t.organization.name == "荒川区")
    assert arakawa.role == "question"
    assert _top_title(doc, arakawa.section_id) == "都からの事業報告"
    answer = by_order[arakawa.order + 1]
    assert answer.speaker == "東京都デジタルサービス局基盤整備部情報システム企画課長"
    assert (answer.role, answer.reply_to) == ("answer", arakawa.order)

    adachi_std = [t for t in doc.turns if t.organization.name == "足立区" and _top_title(doc, t.section_id) == "国からの情報共有"]
    assert len(adachi_std) == 1 and len(adachi_std[0].statements) == 2
    digital = next(t for t in doc.turns if t.organization.name == "デジタル庁")
    assert (digital.role, digital.reply_to) == ("answer", adachi_std[0].order)

    municipal_roles = {t.role for t in doc.turns if t.organization.kind in ("特別区", "市")}
    assert municipal_roles <= {"question", "remark"}
    assert all(t.role == "answer" for t in doc.turns if t.organization.kind in ("東京都", "国"))
    # the closing remark of 国分寺市 gets no answer
    assert doc.turns[-1].organization.name == "国分寺市" and doc.turns[-1].role == "remark"
    # every answer points to an earlier question of the same section
    for t in doc.turns:
        if t.reply_to is not None:
            asked = by_order[t.reply_to]
            assert asked.role == "question" and asked.section_id == t.section_id and asked.order < t.order


def test_json_contract_keys(doc):
    """The contract only grows (design.md: add fields, never rename): every contract key is there."""
    d = doc.to_dict()
    assert {"meeting", "agenda", "sections", "turns", "notes", "warnings"} <= set(d)
    assert {
        "title", "series", "number", "document_kind", "date", "start_time", "end_time", "venue", "source",
    } <= set(d["meeting"])
    assert {"path", "sha256", "format", "encoding"} <= set(d["meeting"]["source"])
    assert {"title", "presenters"} <= set(d["agenda"][0])
    assert {"id", "title", "parent_id"} <= set(d["sections"][0])
    assert {"order", "section_id", "speaker", "organization", "role", "reply_to", "statements"} <= set(d["turns"][0])
    assert {"name", "kind", "code", "region"} <= set(d["turns"][0]["organization"])
    assert {"section_id", "text"} <= set(d["notes"][0])
