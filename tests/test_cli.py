"""The CLI contract of design.md: parse JSON keys, ingest lines and exit codes, stats JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import minutes
from analysis.cli import main
from analysis.store import Corpus

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m analysis`` in a C locale (stdout must still be UTF-8)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    env.update(LANG="C", LC_ALL="C")
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", *args], cwd=ROOT, env=env, capture_output=True, check=False
    )
    return subprocess.CompletedProcess(
        completed.args,
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )


@pytest.fixture
def bad_files(tmp_path: Path) -> list[Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    image = tmp_path / "scan.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    return [empty, image, tmp_path / "missing.txt"]


def test_parse_json_has_exactly_the_contract_keys():
    """design.md's keys plus the documented additions (agenda parent/private, section private,
    quality); the contract only grows."""
    completed = run_cli("parse", str(SEED))
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert set(data) == {"meeting", "agenda", "sections", "turns", "notes", "warnings", "quality"}
    assert set(data["quality"]) == {
        "styles", "statements", "attributed", "attributed_share", "unknown_speakers", "has_date", "has_number",
        "has_agenda", "has_speakers", "speakers_expected", "is_minutes", "flagged", "fix", "warnings",
    }  # fmt: skip
    assert set(data["meeting"]) == {
        "title",
        "series",
        "number",
        "document_kind",
        "date",
        "start_time",
        "end_time",
        "venue",
        "source",
    }
    assert set(data["meeting"]["source"]) == {"path", "sha256", "format", "encoding"}
    assert all(set(a) == {"title", "presenters", "parent", "private"} for a in data["agenda"])
    assert all(set(s) == {"id", "title", "parent_id", "private"} for s in data["sections"])
    assert all(set(n) == {"section_id", "text"} for n in data["notes"])
    assert data["turns"]
    for turn in data["turns"]:
        assert set(turn) == {
            "order",
            "section_id",
            "speaker",
            "organization",
            "role",
            "reply_to",
            "statements",
        }
        assert set(turn["organization"]) == {"name", "kind", "code", "region"}
        assert turn["role"] in ("question", "answer", "remark")
    assert data == minutes.parse_file(SEED).to_dict()
    assert "第4回" in completed.stdout  # UTF-8, not \u escapes, even in the C locale


def test_parse_unreadable_file_is_one_line_without_traceback(tmp_path):
    missing = tmp_path / "nothing.txt"
    completed = run_cli("parse", str(missing))
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.strip().splitlines() == [f"エラー: {missing}: ファイルが見つかりません"]


def test_ingest_good_and_bad_files(tmp_path, bad_files):
    db = tmp_path / "corpus.sqlite"
    completed = run_cli("ingest", str(bad_files[0]), str(SEED), *map(str, bad_files[1:]), "--db", str(db))
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    errors = completed.stderr.strip().splitlines()
    assert len(errors) == len(bad_files)
    for line, bad in zip(errors, bad_files, strict=True):
        assert line.startswith(f"エラー: {bad}: ")
    doc = minutes.parse_file(SEED)
    out = completed.stdout.splitlines()
    assert (
        out[0]
        == f"追加: {SEED} ({doc.meeting.title} {doc.meeting.date}, 22発言ターン, {doc.statement_count}発言)"
    )
    assert out[-1] == "完了: 追加 1件, 重複 0件, エラー 3件"
    with Corpus.open(db) as corpus:
        assert corpus.counts()["meetings"] == 1


def test_ingest_again_reports_duplicate_and_succeeds(tmp_path):
    db = tmp_path / "corpus.sqlite"
    assert main(["ingest", str(SEED), "--db", str(db)]) == 0
    completed = run_cli("ingest", str(SEED), "--db", str(db), "--workers", "2")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [
        f"重複: {SEED} は既に取り込み済みです",
        "完了: 追加 0件, 重複 1件, エラー 0件",
    ]
    assert completed.stderr == ""


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["ingest"],
        ["parse"],
        ["frobnicate"],
        ["ingest", str(SEED), "--workers", "0"],
        ["stats", "--bogus"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_stats_json(tmp_path, capsys):
    db = tmp_path / "corpus.sqlite"
    assert main(["ingest", str(SEED), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--terms", "クラウド, ガバメントクラウド"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert set(stats) == {
        "meetings",
        "turns",
        "statements",
        "tokens",
        "topics",
        "organizations",
        "keywords",
        "trends",
    }
    with Corpus.open(db) as corpus:
        counts = corpus.counts()
    assert (stats["meetings"], stats["turns"], stats["statements"], stats["tokens"]) == (
        1,
        22,
        counts["statements"],
        counts["tokens"],
    )
    assert {t["term"] for t in stats["trends"]} == {"クラウド", "ガバメントクラウド"}
    assert {o["kind"] for o in stats["organizations"]} >= {"特別区", "市", "東京都", "国"}


def test_stats_without_corpus_is_an_error(tmp_path, capsys):
    db = tmp_path / "none.sqlite"
    assert main(["stats", "--db", str(db)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(db) in err[0]
    assert not db.exists()


def test_rederive_command(tmp_path, capsys, monkeypatch):
    db = tmp_path / "corpus.sqlite"
    assert main(["ingest", str(SEED), "--db", str(db)]) == 0
    assert main(["rederive", "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "完了: 再解析 0件, エラー 0件"
    monkeypatch.setattr(minutes, "PARSER_VERSION", "cli-bump")
    assert main(["rederive", "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "完了: 再解析 1件, エラー 0件"
    with Corpus.open(db) as corpus:
        assert corpus.meta()["parser_version"] == "cli-bump"
        assert corpus.counts()["turns"] == 22


def test_text_that_is_not_minutes_is_refused_in_one_line_and_the_others_go_in(tmp_path):
    hello = tmp_path / "hello.txt"
    hello.write_text("hello", encoding="utf-8")
    completed = run_cli("parse", str(hello))
    assert completed.returncode == 1 and completed.stdout == ""
    assert completed.stderr.strip().splitlines() == [f"エラー: {hello}: 議事録として読み取れません（開催日・議事・見出し・発言者のいずれも見つかりません）"]
    assert json.loads(run_cli("parse", str(hello), "--accept-non-minutes").stdout)["quality"]["is_minutes"] is False

    undated = tmp_path / "undated.txt"
    undated.write_text("第9回 連絡会 議事要旨\n足立区\n○伺いたい。\n東京都\n○答える。\n", encoding="utf-8")
    db = tmp_path / "corpus.sqlite"
    completed = run_cli("ingest", str(hello), str(SEED), str(undated), "--db", str(db))
    assert completed.returncode == 1
    assert "hello.txt: 議事録として読み取れません" in completed.stderr
    assert f"要確認: {undated}: 開催日が見つかりません" in completed.stderr
    assert "完了: 追加 2件, 重複 0件, エラー 1件" in completed.stdout
    completed = run_cli("ingest", str(hello), "--db", str(db), "--accept-non-minutes")
    assert completed.returncode == 0 and "追加 1件" in completed.stdout
