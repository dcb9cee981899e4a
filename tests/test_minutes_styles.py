"""Parser tests on small hand-written minutes, one per style and trap real minutes use."""

from __future__ import annotations

from analysis.minutes import parse_text

BULLETS = """令和6年度第二回 東京都・区市町村CIO協議会 議事概要

日 時：2024年7月3日（水）10時00分～11時30分
会 場：都庁第一本庁舎42階

【1．挨拶】

（東京都CIO 副知事 宮坂 学）
・本日はお集まりいただきありがとうございます。
・生成AIの活用について議論したい。

【2．意見交換】

八王子市
• 生成AIの利用ガイドラインを共有してほしい。
• 研修の機会も求めたい。
（デジタルサービス局長 山田 忠輝）
- ガイドラインは来月公開する予定である。
"""

PLAIN = """第3回 CIOフォーラム 議事録
開催日 令和4年11月1日
議事
1 開会
2 意見交換

意見交換

墨田区
庁内のネットワーク分離について、現状を教えていただきたい。

総務省自治行政局
三層分離の見直しについては、
検討会で議論している。

今年度中に方針を示す予定である。
"""

UNATTRIBUTED = """第5回 CIOフォーラム 議事要旨
日時：令和5年6月1日
主な意見
○データ連携の基盤を共通化してほしい。
○人材育成の研修を拡充してほしい。
"""

STAMPED = """2024年12月1日作成
第7回東京都・区市町村CIOフォーラム
議事要旨
日時：令和6年11月20日(水) 15:00~16:00
場所：オンライン
檜原村
○光回線の整備を伺いたい。
よくわからない団体
○補足です。
"""


def test_bullets_parenthesized_speakers_and_bracket_headings():
    doc = parse_text(BULLETS)
    m = doc.meeting
    assert (m.number, m.document_kind, m.date, m.start_time, m.end_time) == (2, "議事概要", "2024-07-03", "10:00", "11:30")
    assert m.venue == "都庁第一本庁舎42階"
    assert [s.title for s in doc.sections] == ["挨拶", "意見交換"]
    assert [(t.speaker, t.organization.name, len(t.statements)) for t in doc.turns] == [
        ("東京都CIO 副知事 宮坂 学", "東京都", 2),
        ("八王子市", "八王子市", 2),
        ("デジタルサービス局長 山田 忠輝", "東京都", 1),
    ]
    hachioji, answer = doc.turns[1], doc.turns[2]
    assert hachioji.organization.code == "13201" and hachioji.role == "question"
    assert (answer.role, answer.reply_to) == ("answer", hachioji.order)


def test_plain_paragraphs_and_numbered_agenda():
    doc = parse_text(PLAIN)
    assert doc.meeting.date == "2022-11-01" and doc.meeting.number == 3
    assert [a.title for a in doc.agenda] == ["開会", "意見交換"]
    assert [(t.organization.name, t.organization.kind) for t in doc.turns] == [("墨田区", "特別区"), ("総務省", "国")]
    answer = doc.turns[1]
    # a line wrap inside a sentence is joined; a new paragraph after a finished sentence is a new statement
    assert answer.statements == ["三層分離の見直しについては、検討会で議論している。", "今年度中に方針を示す予定である。"]
    assert answer.reply_to == doc.turns[0].order


def test_opinions_without_speakers_are_kept_as_unknown():
    doc = parse_text(UNATTRIBUTED)
    assert len(doc.turns) == 1
    turn = doc.turns[0]
    assert turn.organization.kind == "不明" and turn.speaker == "不明"
    assert turn.statements == ["データ連携の基盤を共通化してほしい。", "人材育成の研修を拡充してほしい。"]


def test_print_stamp_is_not_the_meeting_date_and_unknown_labels_warn():
    doc = parse_text(STAMPED)
    assert doc.meeting.date == "2024-11-20"
    assert doc.meeting.title == "第7回東京都・区市町村CIOフォーラム"
    assert doc.turns[0].organization.name == "檜原村" and doc.turns[0].organization.region == "多摩"
    assert doc.turns[1].organization.kind == "不明"
    assert any("よくわからない団体" in w for w in doc.warnings)


def test_empty_text_gives_warnings_not_errors():
    doc = parse_text("")
    assert doc.turns == [] and "発言を検出できません" in doc.warnings

INLINE = """第6回 CIOフォーラム 議事要旨
日時：令和6年2月5日
【意見交換】
足立区：生成AIの利用状況を伺いたい。
東京都デジタルサービス局：
都では全局で利用を始めている。
○（町田市）ガイドラインの共有をお願いしたい。
備考：資料は後日送付する。
【世田谷区】
○クラウド移行の時期を確認したい。
※ 資料3を参照。
○移行費用の補助も伺いたい。
"""


def test_inline_and_bracketed_speakers():
    doc = parse_text(INLINE)
    assert [s.title for s in doc.sections] == ["意見交換"]
    assert [(t.speaker, t.organization.name, t.statements) for t in doc.turns] == [
        ("足立区", "足立区", ["生成AIの利用状況を伺いたい。"]),
        ("東京都デジタルサービス局", "東京都", ["都では全局で利用を始めている。"]),
        ("町田市", "町田市", ["ガイドラインの共有をお願いしたい。"]),
        ("世田谷区", "世田谷区", ["クラウド移行の時期を確認したい。", "移行費用の補助も伺いたい。"]),
    ]
    assert doc.turns[1].role == "answer" and doc.turns[1].reply_to == 1
    assert [n.text for n in doc.notes] == ["備考：資料は後日送付する。", "※ 資料3を参照。"]


MAPPED_PLAIN = """第8回 CIOフォーラム 議事録
開催日 令和6年5月10日

意見交換

特別区DX推進協議会
庁内のクラウド移行状況を共有したい。

総務省
移行の支援策を説明する。
"""


def test_mapped_label_is_a_speaker_even_without_statement_markers():
    from analysis.model import Organization
    from analysis.orgs import label_key

    unmapped = parse_text(MAPPED_PLAIN)  # an unknown label before plain text is read as text
    assert [(t.speaker, t.statements[0][:10]) for t in unmapped.turns] == [("不明", "特別区DX推進協議会"), ("総務省", "移行の支援策を説明す")]

    mapping = {label_key("特別区DX推進協議会"): Organization(name="その他", kind="その他")}
    doc = parse_text(MAPPED_PLAIN, org_overrides=mapping)
    assert [(t.speaker, t.organization.kind, t.statements) for t in doc.turns] == [
        ("特別区DX推進協議会", "その他", ["庁内のクラウド移行状況を共有したい。"]),
        ("総務省", "国", ["移行の支援策を説明する。"]),
    ]
