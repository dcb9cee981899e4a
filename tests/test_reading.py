"""会議を読む (the reading view), its links from tables, and the KWIC section, on minutes written here.

Unit tests of dashboard.links and dashboard.transcript, then Streamlit AppTest runs of the
reading, keywords and statements pages on a two-meeting corpus (one meeting without a date).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.metrics.filters import term_pattern
from analysis.store import Corpus
from dashboard import drilldown, transcript
from dashboard.links import reading_params, reading_url, reading_urls

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
TIMEOUT = 120

SCRIPT = "<script>alert(1)</script>"
#: A dated meeting with an agenda, two sections, a sub-item and a statement carrying HTML.
DATED = f"""第12回テスト区市町村フォーラム

議事要旨

日時:令和6年5月20日(月)10:00~11:30

場所:都庁第一会議室

議事

・都からの報告

(東京都デジタルサービス局テスト担当課長 試験 太郎)

・意見交換

都からの報告

* 「共通基盤の整備について

足立区

○閉域網への接続について、手順と時期を伺いたい。

東京都デジタルサービス局テスト担当課長

○閉域網には来年度から順次接続する予定である。クラウドの利用も同時に進める。

意見交換

町田市

○{SCRIPT} と **強調** を含む発言。クラウドの費用を教えてほしい。

東京都デジタルサービス局テスト担当課長

○クラウドの費用は共同調達で下げていきたい。
"""
UNDATED = """第13回テスト区市町村フォーラム 議事要旨
足立区
○日付のない会議での質問である。
東京都
○日付のない会議での回答である。
"""


# --- links ------------------------------------------------------------------------------------


def test_reading_url_spells_the_meeting_statement_term_and_topic() -> None:
    url = reading_url(3, 41, term=" LGWAN ", topic="クラウド")
    path, query = url.split("?")
    assert path == "reading"
    assert parse_qs(query) == {"m": ["3"], "s": ["41"], "q": ["LGWAN"], "hl_topic": ["クラウド"]}
    assert reading_url(np.int64(3), float("nan")) == "reading?m=3"
    assert reading_url() == "reading"
    assert reading_params(None, 5, term="") == {"s": "5"}
    frame = pd.DataFrame({"statement_id": [1, 2]})
    assert reading_urls(frame) == ["reading?s=1", "reading?s=2"]


# --- transcript -------------------------------------------------------------------------------


def test_meeting_facts_say_what_is_missing_never_none_or_nan() -> None:
    undated = {"title": "t", "number": float("nan"), "date": None, "start_time": np.nan, "venue": None}
    facts = dict(transcript.meeting_facts(undated))
    assert facts["開催日"] == "日付なし"
    assert facts["回"] == "回の記載なし"
    text = " ".join(facts.values())
    assert "None" not in text and "nan" not in text
    dated = dict(
        transcript.meeting_facts(
            {"number": 4, "date": "2023-02-14", "start_time": "13:00", "end_time": "14:45", "statements": 25}
        )
    )
    assert (dated["回"], dated["開催日"], dated["時間"]) == ("第4回", "2023-02-14（火）", "13:00〜14:45")


def _frame(texts: list[str], **columns: list) -> pd.DataFrame:
    n = len(texts)
    base = {
        "statement_id": list(range(1, n + 1)),
        "meeting_id": [9] * n,
        "section_title": ["報告"] * n,
        "subsection_title": [""] * n,
        "turn_id": list(range(1, n + 1)),
        "turn_order": list(range(1, n + 1)),
        "position": [0] * n,
        "speaker": ["足立区"] * n,
        "org_name": ["足立区"] * n,
        "role": ["question"] * n,
        "text": texts,
        "topics": [("クラウド",)] * n,
    }
    base.update(columns)
    return pd.DataFrame(base)


def test_section_html_escapes_document_text_and_marks_anchor_topic_and_term() -> None:
    rows = _frame(
        [f"{SCRIPT} クラウドを使う", "<b>太字</b> の発言", "回答です"],
        speaker=["足立区", "<i>区</i>", "<i>区</i>"],
        org_name=["足立区", "足立区", "足立区"],
        turn_id=[1, 2, 2],
        position=[0, 0, 1],
        turn_order=[1, 2, 2],
        topics=[("クラウド",), ("人材",), ("クラウド", "人材")],
        subsection_title=["", "一つ目の議題", "一つ目の議題"],
    )
    (title, part), *rest = transcript.sections(rows)
    assert title == "報告" and not rest and len(part) == 3
    numbers = {1: 1, 2: 2, 3: 3}
    out = transcript.section_html(
        "報告 <x>", part, numbers, pattern=term_pattern("クラウド"), topic="人材", anchor=2, term="クラウド"
    )
    assert "<script" not in out and "<b>" not in out and "<i>" not in out and "<x>" not in out
    assert "&lt;script&gt;" in out and "&lt;b&gt;太字&lt;/b&gt;" in out
    assert "<mark>クラウド</mark>" in out
    assert re.search(r'<p id="s-2" class="rd-st rd-anchor rd-topic">', out)
    assert re.search(r'<p id="s-3" class="rd-st rd-topic">', out)
    assert out.count('<div class="rd-turn">') == 2  # statements 2 and 3 are one turn
    assert out.count("<h4>一つ目の議題</h4>") == 1
    # The organization is shown when it differs from the speaker label.
    assert '<div class="rd-who">足立区<span class="rd-role">質問</span>' in out
    assert '&lt;i&gt;区&lt;/i&gt;<span class="rd-org">（足立区）</span>' in out
    assert 'href="reading?m=9&amp;s=3&amp;q=' in out


def test_sections_split_where_the_section_changes_and_name_empty_ones() -> None:
    rows = _frame(["a", "b", "c"], section_title=["", "報告", "報告"])
    assert [(t, [r["statement_id"] for r in part]) for t, part in transcript.sections(rows)] == [
        ("（見出しなし）", [1]),
        ("報告", [2, 3]),
    ]
    assert transcript.sections(rows.iloc[0:0]) == []


def test_jump_links_agenda_and_scroll_script() -> None:
    rows = _frame(["a", "b"])
    links = transcript.jump_links_html(rows, {1: 4, 2: 7}, "「<a>」を含む発言 2件:", "なし")
    assert '<a href="#s-1">#4</a>' in links and "&lt;a&gt;" in links
    assert "なし" in transcript.jump_links_html(rows.iloc[0:0], {}, "x", "なし")
    agenda = pd.DataFrame({"title": ["報告<b>", "意見交換"], "presenters": [("課長 山田 太郎",), ()]})
    html = transcript.agenda_html(agenda, withhold=lambda text: text.replace("山田 太郎", ""))
    assert html.count("<li>") == 2 and "&lt;b&gt;" in html and "山田" not in html
    assert transcript.agenda_html(agenda.iloc[0:0]) == ""
    script = transcript.scroll_script(12)
    body = script.removeprefix("<script>").removesuffix("</script>")
    assert "'s-12'" in body and "<" not in body  # a "<" would make the sanitizer drop the script


def test_drilldown_rows_carry_the_ids_of_their_statements() -> None:
    rows = _frame(["閉域網の話", "別の話", "閉域網とクラウド"], org_name=["足立区", "町田市", "町田市"])
    rows["norm_text"] = rows["text"]
    rows["meeting_label"] = "第1回"
    rows["date"] = "2024-05-20"
    picked = drilldown.selected_statements(rows, [{"term": "閉域網"}, {"org_name": "町田市"}])
    assert picked["statement_id"].tolist() == [1, 3, 2]
    assert (
        picked["text"] == rows.set_index("statement_id").loc[picked["statement_id"], "text"].to_numpy()
    ).all()
    assert set(picked["meeting_id"]) == {9}
    assert drilldown._highlights([{"org_name": "町田市"}, {"term": "閉域網", "topic": "クラウド"}]) == {
        "term": "閉域網",
        "topic": "クラウド",
    }


def test_statement_tables_say_hizuke_nashi_for_undated_rows() -> None:
    table = drilldown.display_table(pd.DataFrame({"date": [None, "2024-05-20", np.nan]}))
    assert table["開催日"].tolist() == ["日付なし", "2024-05-20", "日付なし"]


# --- pages (AppTest) --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reading") / "corpus.sqlite"
    with Corpus.open(path) as corpus:
        for name, text in (("dated.txt", DATED), ("undated.txt", UNDATED)):
            assert corpus.ingest_bytes(text.encode("utf-8"), name).status == "added"
    return path


@pytest.fixture(scope="module")
def frames(db: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    with Corpus.open(db) as corpus:
        return corpus.load_meetings(), corpus.load_statements()


@pytest.fixture
def use_db(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("GIJIROKU_DB", str(db))
    yield db


def _page(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(params)  # the sidebar reads its own (withhold=1) on the first run
    at.run()
    at.query_params.update(params)
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _meeting(frames: tuple[pd.DataFrame, pd.DataFrame], dated: bool) -> int:
    meetings, _ = frames
    return int(meetings.loc[meetings["date"].notna() == dated, "meeting_id"].iloc[0])


def test_reading_page_shows_the_whole_meeting_with_anchor_and_term(use_db, frames) -> None:
    meeting = _meeting(frames, dated=True)
    _, statements = frames
    rows = statements[statements["meeting_id"] == meeting]
    anchor = int(rows.loc[rows["text"].str.contains("共同調達"), "statement_id"].iloc[0])
    at = _page("reading", {"m": str(meeting), "s": str(anchor), "q": "クラウド"})
    body = _html(at)
    assert at.session_state["rd_meeting"] == meeting and at.session_state["rd_q"] == "クラウド"
    assert "第12回" in body and "2024-05-20（月）" in body and "都庁第一会議室" in body
    assert '<ol class="rd-agenda"><li>都からの報告' in body
    assert "<h3>都からの報告</h3>" in body and "<h3>意見交換</h3>" in body
    assert "<h4>共通基盤の整備について</h4>" in body
    assert all(f'id="s-{sid}"' in body for sid in rows["statement_id"])
    assert f'<p id="s-{anchor}" class="rd-st rd-anchor">' in body
    assert body.count("<mark>クラウド</mark>") == 3
    assert SCRIPT not in body and "&lt;script&gt;" in body
    assert "scrollIntoView" in body
    assert at.query_params["m"] == [str(meeting)] or at.query_params["m"] == str(meeting)


def test_reading_page_from_a_statement_id_alone_and_a_topic(use_db, frames) -> None:
    _, statements = frames
    meeting = _meeting(frames, dated=True)
    first = int(statements.loc[statements["meeting_id"] == meeting, "statement_id"].iloc[0])
    at = _page("reading", {"s": str(first), "hl_topic": "クラウド"})
    assert at.session_state["rd_meeting"] == meeting
    assert at.session_state["rd_topic"] == "クラウド"
    assert "トピック「クラウド」の発言" in _html(at)
    assert "rd-topic" in _html(at)


def test_undated_meeting_says_hizuke_nashi(use_db, frames) -> None:
    meeting = _meeting(frames, dated=False)
    at = _page("reading", {"m": str(meeting)})
    body = _html(at)
    assert "<dd>日付なし</dd>" in body
    assert "None" not in body and "nan" not in body
    assert "日付のない会議での質問である。" in body


def test_a_hostile_term_is_shown_literally(use_db, frames) -> None:
    at = _page("reading", {"m": str(_meeting(frames, dated=True)), "q": SCRIPT})
    body = _html(at)
    assert "<script" not in body
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in body
    assert "「&lt;script&gt;alert(1)&lt;/script&gt;」を含む発言 1件:" in body


def test_withheld_names_stay_withheld_in_the_reading_view(use_db, frames) -> None:
    meeting = _meeting(frames, dated=True)
    shown = _html(_page("reading", {"m": str(meeting)}))
    assert "試験 太郎" in shown
    withheld = _html(_page("reading", {"m": str(meeting), "withhold": "1"}))
    assert "試験" not in withheld and "太郎" not in withheld
    assert "東京都デジタルサービス局テスト担当課長" in withheld


def test_reading_buttons_set_the_meeting_filter_and_open_the_chart_page(use_db, frames) -> None:
    meeting = _meeting(frames, dated=True)
    at = _page("reading", {"m": str(meeting)})
    at.button(key="rd_to_topics").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["flt_meetings"] == [meeting]
    assert any(t.value == "トピック" for t in at.title)


def test_kwic_takes_any_term_and_links_each_line(use_db, frames) -> None:
    at = _page("keywords", {"kwic": "閉域網への接続", "kwic_sort": "right", "kwic_width": "10"})
    assert at.text_input(key="kw_kwic_term").value == "閉域網への接続"
    assert at.session_state["kw_kwic_sort"] == "right" and at.session_state["kw_kwic_width"] == 10
    table = next(d.value for d in at.dataframe if "前" in d.value.columns)
    assert table["語"].tolist() == ["閉域網への接続"]
    link = table["会議を読む"].iloc[0]
    query = parse_qs(urlsplit(link).query)
    assert urlsplit(link).path == "reading" and query["q"] == ["閉域網への接続"]
    _, statements = frames
    sid = int(query["s"][0])
    assert statements.set_index("statement_id").loc[sid, "text"].startswith("閉域網への接続")
    assert any("共起語" in m.value for m in at.markdown)
    at.text_input(key="kw_kwic_term").input("存在しない語").run()
    assert any("見つかりません" in i.value for i in at.info)
    assert at.query_params["kwic"] in ("存在しない語", ["存在しない語"])


def test_statement_table_and_selection_link_to_the_reading_view(use_db, frames) -> None:
    at = _page("statements", {"q": "閉域網"})
    table = at.dataframe[0].value
    assert len(table) == 2
    assert all(
        urlsplit(u).path == "reading" and "q=%E9%96%89%E5%9F%9F%E7%B6%B2" in u for u in table["会議を読む"]
    )
