"""Corpus store: ingest of the seed minutes, dedupe, search, transactions, re-derivation, deletion."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis import minutes, tokens, topics
from analysis.frames import MEETING_COLUMNS, STATEMENT_COLUMNS, TOKEN_COLUMNS
from analysis.store import (
    AGENDA_COLUMNS,
    DEFAULT_DB,
    DUPLICATE_MESSAGE,
    SEARCH_COLUMNS,
    Corpus,
    expand_paths,
    writer,
)
from analysis.store.schema import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
SEED_DATE = "令和5年2月14日(火)"


def variant(directory: Path, index: int) -> Path:
    """A copy of the seed with another date (so other bytes, same structure)."""
    day = 1 + index % 28
    month = 1 + (index // 28) % 12
    text = SEED.read_text(encoding="utf-8").replace(SEED_DATE, f"令和{6 + index // 336}年{month}月{day}日", 1)
    path = directory / f"variant-{index:03d}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def fts_in_sync(corpus: Corpus) -> bool:
    try:
        corpus.conn.execute("INSERT INTO statements_fts(statements_fts, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    return True


@pytest.fixture
def corpus(tmp_path: Path):
    with Corpus.open(tmp_path / "corpus.sqlite") as c:
        yield c


@pytest.fixture(scope="module")
def seed_doc():
    return minutes.parse_file(SEED)


def test_default_db_is_under_the_project_not_the_cwd():
    assert Path(analysis.__file__).resolve().parents[1] / "data" / "corpus.sqlite" == DEFAULT_DB


def test_schema_pragmas(corpus):
    conn = corpus.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_reopening_keeps_data_and_schema(tmp_path):
    db = tmp_path / "c.sqlite"
    with Corpus.open(db) as c:
        c.ingest_paths([SEED])
        version = c.corpus_version()
    with Corpus.open(db) as c:
        assert c.counts()["meetings"] == 1
        assert c.corpus_version() == version


def test_empty_corpus_loads_empty_frames(corpus):
    assert list(corpus.load_meetings().columns) == MEETING_COLUMNS
    assert list(corpus.load_statements().columns) == STATEMENT_COLUMNS
    assert list(corpus.load_tokens().columns) == TOKEN_COLUMNS
    assert list(corpus.load_agenda().columns) == AGENDA_COLUMNS
    assert corpus.load_statements().empty
    assert list(corpus.search("クラウド").columns) == SEARCH_COLUMNS
    assert not corpus.needs_rederive()


def test_ingest_seed_matches_the_parse(corpus, seed_doc):
    (result,) = corpus.ingest_paths([SEED])
    assert result.status == "added"
    assert result.turns == len(seed_doc.turns) == 22
    assert result.statements == seed_doc.statement_count
    counts = corpus.counts()
    assert counts["documents"] == counts["meetings"] == 1
    assert counts["turns"] == 22
    assert counts["statements"] == seed_doc.statement_count
    assert counts["sections"] == len(seed_doc.sections)
    assert counts["notes"] == len(seed_doc.notes)

    meetings = corpus.load_meetings()
    assert list(meetings.columns) == MEETING_COLUMNS
    row = meetings.iloc[0]
    assert row["meeting_id"] == result.meeting_id
    assert row["date"] == seed_doc.meeting.date == "2023-02-14"
    assert row["number"] == seed_doc.meeting.number
    assert row["label"] == f"第{seed_doc.meeting.number}回 (2023-02-14)"
    assert (row["turns"], row["statements"]) == (22, seed_doc.statement_count)
    assert row["sha256"] == seed_doc.meeting.source.sha256

    statements = corpus.load_statements()
    assert list(statements.columns) == STATEMENT_COLUMNS
    expected = [
        (t.order, t.speaker, t.organization.name, t.role, pos, text)
        for t in seed_doc.turns
        for pos, text in enumerate(t.statements)
    ]
    got = list(
        statements[["turn_order", "speaker", "org_name", "role", "position", "text"]].itertuples(index=False)
    )
    assert [tuple(g) for g in got] == expected
    assert all(isinstance(t, tuple) and t for t in statements["topics"])
    assert (statements["chars"] == statements["norm_text"].str.len()).all()


def test_turn_links_and_sections_use_store_keys(corpus, seed_doc):
    corpus.ingest_paths([SEED])
    statements = corpus.load_statements()
    turns = statements.drop_duplicates("turn_id").set_index("turn_order")
    for turn in seed_doc.turns:
        store_reply = turns.loc[turn.order, "reply_to_turn_id"]
        if turn.reply_to is None:
            assert pd.isna(store_reply)
        else:
            assert store_reply == turns.loc[turn.reply_to, "turn_id"]
    titles = {s.id: s for s in seed_doc.sections}
    for turn in seed_doc.turns:
        row = turns.loc[turn.order]
        section = titles[turn.section_id]
        if section.parent_id is None:
            assert (row["section_title"], row["subsection_title"]) == (section.title, "")
        else:
            assert (row["section_title"], row["subsection_title"]) == (
                titles[section.parent_id].title,
                section.title,
            )


def test_agenda_items_with_presenters_in_meeting_order(corpus, seed_doc, tmp_path):
    (later,) = corpus.ingest_paths([variant(tmp_path, 0)])
    (seed,) = corpus.ingest_paths([SEED])
    agenda = corpus.load_agenda()
    assert list(agenda.columns) == AGENDA_COLUMNS
    expected = [(a.title, tuple(a.presenters)) for a in seed_doc.agenda]
    assert len(expected) == 2 and expected[1] == ("国からの情報共有", ("デジタル庁参事官 渡邊 繁樹 氏",))
    rows = list(agenda[["meeting_id", "position", "title", "presenters"]].itertuples(index=False, name=None))
    assert rows == [
        (mid, pos, title, presenters)
        for mid in (seed.meeting_id, later.meeting_id)
        for pos, (title, presenters) in enumerate(expected)
    ]
    corpus.conn.execute("UPDATE agenda SET presenters = 'not json' WHERE meeting_id = ?", (later.meeting_id,))
    assert set(corpus.load_agenda().query("meeting_id == @later.meeting_id")["presenters"]) == {()}
    corpus.delete_meeting(seed.meeting_id)
    assert set(corpus.load_agenda()["meeting_id"]) == {later.meeting_id}


def test_tokens_belong_to_statements(corpus):
    corpus.ingest_paths([SEED])
    tokens_frame = corpus.load_tokens()
    assert list(tokens_frame.columns) == TOKEN_COLUMNS
    assert len(tokens_frame) == corpus.counts()["tokens"] > 0
    assert set(tokens_frame["statement_id"]) <= set(corpus.load_statements()["statement_id"])
    assert "ガバメントクラウド" in set(tokens_frame["term"])


def test_reingest_same_bytes_is_a_duplicate(corpus, tmp_path):
    corpus.ingest_paths([SEED])
    version = corpus.corpus_version()
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(SEED.read_bytes())
    results = corpus.ingest_paths([SEED, copy])
    assert [r.status for r in results] == ["duplicate", "duplicate"]
    assert all(r.message == DUPLICATE_MESSAGE == "既に取り込み済みです" for r in results)
    assert results[0].meeting_id == 1
    assert corpus.counts()["meetings"] == 1
    assert corpus.corpus_version() == version


def test_same_bytes_twice_in_one_call(corpus, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED.read_bytes())
    assert [r.status for r in corpus.ingest_paths([SEED, copy])] == ["added", "duplicate"]


def test_ingest_bytes_for_uploads(corpus):
    first = corpus.ingest_bytes(SEED.read_bytes(), "../../uploaded minutes.txt")
    assert first.status == "added"
    assert corpus.load_meetings()["source_path"].tolist() == ["uploaded minutes.txt"]
    assert corpus.ingest_bytes(SEED.read_bytes(), "again.txt").status == "duplicate"


def test_bad_files_do_not_stop_good_ones(corpus, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    png = tmp_path / "scan.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    results = corpus.ingest_paths([empty, SEED, tmp_path / "missing.txt", png])
    assert [r.status for r in results] == ["error", "added", "error", "error"]
    for r in results:
        if r.status == "error":
            assert r.message.startswith(r.path + ": ")
    assert corpus.counts()["meetings"] == 1


def test_directories_are_expanded(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b.txt", "a.pdf", "sub/c.docx", ".hidden/d.txt", "notes.csv", ".e.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])] == [
        "a.pdf",
        "b.txt",
        "sub/c.docx",
    ]


def test_search_with_trigram_index(corpus):
    corpus.ingest_paths([SEED])
    hits = corpus.search("疎結合")
    assert len(hits) == 1
    text = hits.iloc[0]["text"]
    ((start, end),) = hits.iloc[0]["spans"]
    assert text[start:end] == "疎結合"
    assert "【疎結合】" in hits.iloc[0]["snippet"]
    assert hits.iloc[0]["speaker"] == "デジタル庁"


def test_search_short_query_falls_back(corpus):
    corpus.ingest_paths([SEED])
    hits = corpus.search("標準")
    statements = corpus.load_statements()
    assert set(hits["statement_id"]) == set(
        statements.loc[statements["text"].str.contains("標準"), "statement_id"]
    )
    assert len(hits) >= 3


def test_search_matches_normalized_text_and_escapes_syntax(corpus):
    corpus.ingest_paths([SEED])
    assert len(corpus.search("Govtech東京")) == 2
    assert len(corpus.search("ＣＩＯ")) >= 1
    for hostile in ('"クラウド', "クラウド OR", "NEAR(a b)", "*", "col:x", "'; DROP TABLE statements; --"):
        assert list(corpus.search(hostile).columns) == SEARCH_COLUMNS
    assert corpus.counts()["statements"] > 0
    assert corpus.search("   ").empty
    assert len(corpus.search("クラウド", limit=3)) == 3


def test_failure_mid_write_rolls_back_the_whole_document(corpus, monkeypatch):
    calls = []

    def broken(conn, *args, **kwargs):
        calls.append(conn.execute("SELECT COUNT(*) FROM turns").fetchone()[0])
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(writer, "insert_statements", broken)
    (result,) = corpus.ingest_paths([SEED])
    assert calls == [22]  # the turns were written inside the transaction …
    assert result.status == "error"
    assert "disk I/O error" in result.message
    assert set(corpus.counts().values()) == {0}  # … and rolled back with everything else
    assert corpus.corpus_version().endswith("-0")
    monkeypatch.undo()
    assert corpus.ingest_paths([SEED])[0].status == "added"


def test_unexpected_exception_mid_write_also_rolls_back(corpus, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(writer, "insert_topics", broken)
    with pytest.raises(RuntimeError):
        corpus.ingest_paths([SEED])
    assert set(corpus.counts().values()) == {0}
    assert not corpus.conn.in_transaction


def test_tokenizer_failure_fails_only_that_document(corpus, tmp_path, monkeypatch):
    real = tokens.tokenize_texts
    calls = []

    def flaky(texts, dictionary_dir=None):
        calls.append(len(texts))
        if len(calls) == 1:
            raise MemoryError("janome")
        return real(texts, dictionary_dir)

    monkeypatch.setattr(tokens, "tokenize_texts", flaky)
    first, second = corpus.ingest_paths([SEED, variant(tmp_path, 4)])
    assert (first.status, second.status) == ("error", "added")
    assert first.message.startswith(f"{SEED}: 形態素解析に失敗しました")
    assert corpus.counts()["meetings"] == 1


def test_killed_ingest_leaves_only_complete_meetings(tmp_path):
    sources = tmp_path / "minutes"
    sources.mkdir()
    paths = [variant(sources, i) for i in range(40)]
    db = tmp_path / "killed.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "ingest", str(sources), "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        meetings = 0
        while proc.poll() is None and meetings < 3:
            time.sleep(0.02)
            if db.exists():
                with sqlite3.connect(db, timeout=30) as probe:
                    try:
                        meetings = probe.execute("SELECT COUNT(*) FROM meetings").fetchone()[0]
                    except sqlite3.OperationalError:
                        meetings = 0
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    with Corpus.open(db) as c:
        assert c.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = c.counts()
        assert 3 <= counts["meetings"] == counts["documents"]
        per_meeting = c.load_meetings()[["turns", "statements"]].drop_duplicates()
        assert per_meeting.values.tolist() == [[22, counts["statements"] // counts["meetings"]]]
        assert counts["statements"] % counts["meetings"] == 0
        assert fts_in_sync(c)
        assert counts["meetings"] < len(paths)
        assert c.ingest_paths([paths[-1]])[0].status == "added"


def test_rederive_after_parser_bump_keeps_documents_and_ids(corpus, tmp_path, monkeypatch):
    corpus.ingest_paths([SEED, variant(tmp_path, 1)])
    before = corpus.load_meetings()
    raw_before = corpus.conn.execute("SELECT id, sha256, raw FROM documents ORDER BY id").fetchall()
    statements_before = corpus.load_statements()
    version = corpus.corpus_version()
    assert not corpus.needs_rederive()

    monkeypatch.setattr(minutes, "PARSER_VERSION", "test-bump")
    assert corpus.needs_rederive()
    results = corpus.rederive()
    assert [(r.scope, r.status) for r in results] == [("parse", "rederived")] * 2
    assert not corpus.needs_rederive()
    assert corpus.meta()["parser_version"] == "test-bump"
    assert corpus.corpus_version() != version
    assert corpus.conn.execute("SELECT id, sha256, raw FROM documents ORDER BY id").fetchall() == raw_before
    after = corpus.load_meetings()
    assert after["meeting_id"].tolist() == before["meeting_id"].tolist()
    assert after[["turns", "statements"]].equals(before[["turns", "statements"]])
    assert corpus.load_statements()["text"].tolist() == statements_before["text"].tolist()
    assert fts_in_sync(corpus)
    assert len(corpus.search("疎結合")) == 2


def test_rederive_tokens_and_topics_keep_statement_ids(corpus, monkeypatch):
    corpus.ingest_paths([SEED])
    ids = corpus.load_statements()["statement_id"].tolist()
    tokens_before = corpus.load_tokens()

    monkeypatch.setattr(tokens, "tokenizer_version", lambda dictionary_dir=None: "test-tokens")
    assert [r.scope for r in corpus.rederive()] == ["tokens"]
    assert corpus.load_statements()["statement_id"].tolist() == ids
    assert corpus.load_tokens().equals(tokens_before)

    monkeypatch.setattr(topics, "rules_version", lambda path=None: "test-rules")
    monkeypatch.setattr(topics, "classify", lambda norm_text, terms, rules: ("テスト",))
    assert [r.scope for r in corpus.rederive()] == ["topics"]
    statements = corpus.load_statements()
    assert statements["statement_id"].tolist() == ids
    assert set(statements["topics"]) == {("テスト",)}
    assert corpus.meta()["rules_version"] == "test-rules"
    assert corpus.rederive() == []


def test_delete_meeting_cascades(corpus, tmp_path):
    first, second = corpus.ingest_paths([SEED, variant(tmp_path, 2)])
    version = corpus.corpus_version()
    assert corpus.delete_meeting(first.meeting_id)
    assert corpus.corpus_version() != version
    conn = corpus.conn
    assert conn.execute("SELECT COUNT(*) FROM documents WHERE id = ?", (first.meeting_id,)).fetchone()[0] == 0
    for table in ("agenda", "sections", "turns", "notes", "warnings"):
        n = conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE meeting_id = ?", (first.meeting_id,)
        ).fetchone()[0]
        assert n == 0, table
    counts = corpus.counts()
    assert counts["meetings"] == 1
    assert counts["statements"] == second.statements
    orphans = (
        conn.execute(
            "SELECT COUNT(*) FROM statement_tokens WHERE statement_id NOT IN (SELECT id FROM statements)"
        ).fetchone()[0]
        + conn.execute(
            "SELECT COUNT(*) FROM statement_topics WHERE statement_id NOT IN (SELECT id FROM statements)"
        ).fetchone()[0]
    )
    assert orphans == 0
    assert fts_in_sync(corpus)
    assert set(corpus.search("疎結合")["meeting_id"]) == {second.meeting_id}
    assert set(corpus.search("標準")["meeting_id"]) == {second.meeting_id}
    assert not corpus.delete_meeting(first.meeting_id)


def test_workers_give_the_same_corpus(tmp_path):
    paths = [variant(tmp_path, i) for i in range(3)]
    frames = []
    for workers in (1, 2):
        with Corpus.open(tmp_path / f"w{workers}.sqlite") as c:
            assert {r.status for r in c.ingest_paths(paths, workers=workers)} == {"added"}
            frames.append((c.load_statements(), c.load_tokens()))
    (s1, t1), (s2, t2) = frames
    assert s1.equals(s2)
    assert t1.equals(t2)


def test_corpus_version_changes_on_every_write(corpus, tmp_path):
    versions = {corpus.corpus_version()}
    corpus.ingest_paths([SEED])
    versions.add(corpus.corpus_version())
    corpus.ingest_paths([variant(tmp_path, 3)])
    versions.add(corpus.corpus_version())
    corpus.delete_meeting(1)
    versions.add(corpus.corpus_version())
    assert len(versions) == 4


def test_quality_is_stored_badged_and_reassessed_after_a_correction(corpus):
    from analysis.store.corrections import MeetingOverrides

    undated = "第9回 連絡会 議事要旨\n足立区\n○伺いたい。\n東京都\n○答える。\n"
    result = corpus.ingest_bytes(undated.encode("utf-8"), "undated.txt")
    assert result.status == "added" and result.quality.flagged
    meetings = corpus.load_meetings().set_index("meeting_id")
    assert bool(meetings.loc[result.meeting_id, "flagged"])
    assert any("開催日" in w for w in meetings.loc[result.meeting_id, "quality_warnings"])
    docs = corpus.load_documents().set_index("meeting_id")
    assert docs.loc[result.meeting_id, "check"] == "要確認" and "開催日" in docs.loc[result.meeting_id, "issues"]

    assert corpus.correct_meeting(result.meeting_id, MeetingOverrides(date="2024-12-03"))
    meetings = corpus.load_meetings().set_index("meeting_id")
    assert not bool(meetings.loc[result.meeting_id, "flagged"])
    assert corpus.load_documents().set_index("meeting_id").loc[result.meeting_id, "check"] == "良好"


def test_not_minutes_are_refused_unless_accepted(corpus):
    refused = corpus.ingest_bytes(b"hello", "hello.txt")
    assert refused.status == "error" and "議事録として読み取れません" in refused.message
    assert corpus.ingest_bytes(b"hello", "hello.txt", accept_non_minutes=True).status == "added"
