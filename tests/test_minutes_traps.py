"""The traps the real series and similar bodies set, one small snippet each (written by us).

The fixtures under tests/fixtures/minutes/ model whole editions; these snippets pin one rule
each, so a change that breaks a rule says which.
"""

from __future__ import annotations

import pytest

from analysis.minutes import NOT_MINUTES_MESSAGE, NotMinutesError, parse_text
from analysis.model import Source
from analysis.normalize import normalize_text
from analysis.sources import read_bytes


def test_update_stamp_before_the_date_line_keeps_the_date():
    doc = parse_text("第5回 CIO協議会 議事要旨\n\n更新日\n\n日時:令和7年2月18日(火) 15時から16時30分まで\n")
    m = doc.meeting
    assert (m.date, m.start_time, m.end_time) == ("2025-02-18", "15:00", "16:30")
    doc = parse_text("第5回 CIO協議会 議事要旨\n更新日：2025年3月1日\n日時：令和7年2月18日\n")
    assert doc.meeting.date == "2025-02-18"  # the publication date is not the meeting date


def test_agenda_block_with_colon_indented_presenters_and_closed_items():
    doc = parse_text(
        "第5回 CIO協議会 議事要旨\n日時：令和7年2月18日\n議事:\n・挨拶\n デジタルサービス局長 山本 忠司\n"
        "・報告事項\n 予算について\n・協働事業について(非公開)\n\n【1.挨拶】\n(デジタルサービス局長 山本 忠司)\n・よろしくお願いしたい。\n"
    )
    assert [(a.title, a.presenters, a.parent, a.private) for a in doc.agenda] == [
        ("挨拶", ["デジタルサービス局長 山本 忠司"], None, False),
        ("報告事項", [], None, False),
        ("予算について", [], 1, False),
        ("協働事業について", [], None, True),
    ]
    assert [t.speaker for t in doc.turns] == ["デジタルサービス局長 山本 忠司"]
    assert doc.statement_count == 1  # the agenda lines are not statements


def test_a_heading_that_names_an_organization_is_not_a_speaker():
    doc = parse_text(
        "第2回 CIOフォーラム 議事概要\n日時：令和4年2月1日\n\nデジタル庁情報共有会\n\n東京都CIO\n\n• 伺いたい。\n\n"
        "国からの情報提供\n\nデジタル庁\n\n• 説明する。\n"
    )
    assert [s.title for s in doc.sections] == ["デジタル庁情報共有会", "国からの情報提供"]
    assert [(t.speaker, t.organization.name) for t in doc.turns] == [
        ("東京都CIO", "東京都"),
        ("デジタル庁", "デジタル庁"),
    ]


def test_closed_heading_is_a_section_never_a_statement():
    doc = parse_text("第4回 CIO協議会 議事要旨\n日時：令和6年10月8日\n\n事例紹介（非公開）\n")
    assert [(s.title, s.private) for s in doc.sections] == [("事例紹介", True)]
    assert doc.turns == []


@pytest.mark.parametrize("dot", ["‧", "·", "∙", "⋅", "\uf0b7"])
def test_every_middle_dot_look_alike_is_a_bullet_and_normalizes_the_title(dot):
    doc = parse_text(
        f"第4回東京都{dot}区市町村CIOフォーラム\n議事要旨\n日時:令和5年2月14日(火)13:00~14:45\n議事\n"
        f"{dot}都からの事業報告\n(東京都デジタルサービス局戦略部戦略課長 久保 郁也)\n\n都からの事業報告\n荒川区\n○伺いたい。\n"
    )
    assert doc.meeting.title == "第4回東京都・区市町村CIOフォーラム"
    assert doc.meeting.series == "東京都・区市町村CIOフォーラム"
    assert [a.title for a in doc.agenda] == ["都からの事業報告"]
    assert [t.organization.name for t in doc.turns] == ["荒川区"]
    assert normalize_text(f"A{dot}B") == "A・B"


def test_opinions_without_speakers_are_not_flagged_and_headers_are_not_opinions():
    doc = parse_text(
        "第1回 CIOフォーラム 議事概要\n日時：令和3年5月21日\n資料：資料1のとおり\n参加者：資料3のとおり\n議事\n"
        "- 意見交換\n意見交換概要\n- 期待している。\n- 日程を示してほしい。\n"
    )
    assert doc.statement_count == 2 and doc.turns[0].speaker == "不明"
    q = doc.quality
    assert (q.has_speakers, q.speakers_expected, q.flagged, q.attributed_share) == (False, False, False, 0.0)


def test_more_than_a_fifth_unattributed_with_speakers_is_flagged():
    doc = parse_text(
        "第6回 連絡会 議事要旨\n日時：令和6年12月3日\n【1．意見交換】\n八王子市\n・共有したい。\n"
        "主な意見\n・一つ目。\n・二つ目。\n"
    )
    q = doc.quality
    assert q.speakers_expected and q.flagged and "speakers" in q.fix
    assert any("67%" in w for w in q.warnings)


def test_undated_minutes_are_flagged_with_the_date_to_fix():
    q = parse_text("第9回 連絡会 議事要旨\n足立区\n○伺いたい。\n東京都\n○答える。\n").quality
    assert q.flagged and q.fix[0] == "date" and not q.has_date and q.is_minutes


@pytest.mark.parametrize("text", ["hello", "買い物\n牛乳\n卵\nパン\n", "   \n"])
def test_text_without_meeting_structure_is_not_minutes(text):
    doc = parse_text(text)
    assert not doc.quality.is_minutes and doc.quality.flagged
    with pytest.raises(NotMinutesError, match=NOT_MINUTES_MESSAGE):
        parse_text(text, Source(path="memo.txt", sha256="", format="txt"), refuse_non_minutes=True)


def test_answers_come_from_govtech_and_from_the_municipality_that_presented():
    doc = parse_text(
        "第3回 CIO協議会 議事要旨\n日時：令和6年6月25日\n【2.報告事項】\n(檜原村)\n・整えてもらえるのか伺いたい。\n"
        "(GovTech東京)\n・相談しながら決めたい。\n【3.事例紹介】\n(府中市)\n・どれくらい短くなったのか。\n(青梅市)\n・数分短くなった。\n"
    )
    pairs = [
        (doc.turns[t.reply_to - 1].organization.name, t.organization.name) for t in doc.turns if t.reply_to
    ]
    assert pairs == [("檜原村", "GovTech東京"), ("府中市", "青梅市")]


def test_attendees_resolve_members_and_never_speak():
    doc = parse_text(
        "第2回 DX人材育成検討会 議事録\n日時：令和6年8月20日\n出席者：\n　座長　中西 恵子（東西大学 教授）\n"
        "　委員　佐藤 一郎（八王子市 情報システム課長）\n　事務局　東京都デジタルサービス局\n\n"
        "【１　議事】\n座長：始めます。\n佐藤委員：報告する。\n事務局：説明する。\n"
    )
    assert [(t.speaker, t.organization.name) for t in doc.turns] == [
        ("座長", "東西大学"), ("佐藤委員", "八王子市"), ("事務局", "東京都"),
    ]  # fmt: skip


def test_council_record_inline_labels_belong_to_the_host():
    doc = parse_text(
        "三鷹市議会総務委員会記録（令和6年11月12日）\n\n◯委員長（高村俊介君）　開会いたします。\n"
        "◯委員（佐藤一郎君）　目標の根拠を伺います。\n◯企画部長（小松直樹君）　お答えいたします。\n"
        "                  午前11時42分 散会\n"
    )
    assert {t.organization.name for t in doc.turns} == {"三鷹市"}
    assert [t.role for t in doc.turns] == ["remark", "question", "answer"]
    assert doc.meeting.end_time == "11:42" and len(doc.notes) == 1


def test_qa_records_pair_each_answer_with_its_question():
    doc = parse_text(
        "説明会 質疑応答集\n開催日：令和6年7月9日\n作成：東京都デジタルサービス局\n\n質問１（八王子市）\n　どこで確認できるか。\n"
        "回答１\n　第3章に整理している。\nＱ２．【足立区】改定は必要か。\nＡ２．求めるものではない。\n"
    )
    assert [(t.speaker, t.organization.name, t.role) for t in doc.turns] == [
        ("八王子市", "八王子市", "question"), ("回答", "東京都", "answer"),
        ("足立区", "足立区", "question"), ("回答", "東京都", "answer"),
    ]  # fmt: skip


def test_consecutive_html_paragraphs_and_list_items_are_separate_statements():
    page = (
        "<html><body><main><h1>第7回 CIO協議会 議事要旨</h1><p>日時：令和7年6月17日</p>"
        "<h2>【1．意見交換】</h2><p>世田谷区</p><p>参加したい。</p><p>共有する仕組みも検討してほしい。</p>"
        "<h3>GovTech東京</h3><ul><li>準備を進めている。</li><li>来年度に試行する。</li></ul></main></body></html>"
    )
    src = read_bytes(page.encode("utf-8"), "page.html")
    from analysis.minutes import parse_source

    doc = parse_source(src)
    assert [(t.speaker, len(t.statements)) for t in doc.turns] == [("世田谷区", 2), ("GovTech東京", 2)]
    assert [s.title for s in doc.sections] == ["意見交換"]


def test_word_bullets_and_heading_styles_reach_the_parser(tmp_path):
    from analysis.minutes import parse_file
    from tests.formats import write_styled_docx

    path = write_styled_docx(
        "第5回 幹事会 議事録\n日時：令和6年10月3日\n# 報告事項\n情報政策課長\n- 始めた。\n- 短くなった。\n# 閉会\n次回は12月に開催する。\n",
        tmp_path / "minutes.docx",
    )
    doc = parse_file(path)
    assert [s.title for s in doc.sections] == ["報告事項", "閉会"]
    assert [(t.speaker, len(t.statements)) for t in doc.turns] == [("情報政策課長", 2), ("不明", 1)]
