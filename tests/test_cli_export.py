"""`python -m analysis export`: PPTX/XLSX/CSV files, the sidebar's filters, Excel safety, errors."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from analysis.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main
from tests.export_support import ROOT, archive_text, found_names, mixed_db, names_of, require_browser

BOM = b"\xef\xbb\xbf"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mixed_db(tmp_path_factory.mktemp("cli_export"))


@pytest.fixture(scope="module")
def names(db: Path) -> frozenset[str]:
    return names_of(db)


def _export(db: Path, out: Path, fmt: str, *extra: str) -> int:
    return main(["export", "--format", fmt, "--out", str(out), "--db", str(db), *extra])


def _csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_csv_starts_with_a_bom_and_neutralizes_formulas(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "statements.csv"
    assert _export(db, out, "csv", "--meetings", "第9回") == EXIT_OK
    assert out.read_bytes().startswith(BOM)
    rows = _csv_rows(out)
    texts = [r["発言"] for r in rows]
    assert texts == [
        '\'=HYPERLINK("http://example.com","クリック")について伺いたい。',
        "'+1 の件は宮坂副知事として検討する。",
        "'@SUM(A1:A2) と -2 の扱いについて、久賀谷課長に伺いたい。",
    ]
    assert all(not t.startswith(("=", "+", "-", "@")) for r in rows for t in r.values())
    assert "書き出し:" in capsys.readouterr().out


def test_csv_follows_the_sidebar_filters(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "adachi.csv"
    assert (
        _export(
            db,
            out,
            "csv",
            "--org",
            "足立区",
            "--topic",
            "クラウド",
            "--from",
            "2023-01-01",
            "--to",
            "2023-12-31",
        )
        == EXIT_OK
    )
    rows = _csv_rows(out)
    assert rows and {r["所属"] for r in rows} == {"足立区"}
    assert all("クラウド" in r["トピック"] for r in rows)
    assert {r["開催日"] for r in rows} == {"2023-02-14"}
    topics = tmp_path / "topics.csv"
    assert _export(db, topics, "csv", "--table", "topics", "--org-kind", "市") == EXIT_OK
    assert list(_csv_rows(topics)[0]) == ["トピック", "発言数（件）", "文字数", "発言の割合", "文字数の割合"]


def test_xlsx_has_one_sheet_per_table_and_safe_cells(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "tables.xlsx"
    assert _export(db, out, "xlsx", "--kwic", "クラウド", "CIO") == EXIT_OK
    book = load_workbook(out)
    assert book.sheetnames == [
        "発言一覧",
        "トピック別発言数",
        "組織別発言数",
        "発言者別発言数",
        "頻出語",
        "KWIC",
    ]
    sheet = book["発言一覧"]
    header = [c.value for c in sheet[1]]
    texts = [row[header.index("発言")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(texts) == 25 + 3
    assert '\'=HYPERLINK("http://example.com","クリック")について伺いたい。' in texts
    formulas = [c for row in book["発言一覧"].iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    kwic = book["KWIC"]
    assert {row[0] for row in kwic.iter_rows(min_row=2, values_only=True)} == {"クラウド", "CIO"}


def test_withheld_exports_contain_no_personal_name(db: Path, names: frozenset[str], tmp_path: Path) -> None:
    assert {"宮坂", "宮坂 学", "久賀谷 郁夫", "渡邊 繁樹"} <= names
    xlsx, csv_file = tmp_path / "w.xlsx", tmp_path / "w.csv"
    assert _export(db, xlsx, "xlsx", "--withhold-names") == EXIT_OK
    assert _export(db, csv_file, "csv", "--withhold-names", "--table", "speakers") == EXIT_OK
    assert found_names(archive_text(xlsx.read_bytes()), names) == []
    assert found_names(csv_file.read_bytes().decode("utf-8-sig"), names) == []
    speakers = {r["発言者"] for r in _csv_rows(csv_file)}
    # 宮坂副知事 (seed) and (東京都CIO 副知事 宮坂 学) (hostile minutes) are one person since
    # analysis.speaker_identity: one speaker, withheld to its role, instead of 副知事 and 東京都CIO 副知事.
    assert "東京都CIO 副知事" in speakers and "副知事" not in speakers


def test_pptx_export_with_filters_and_names_withheld(db: Path, names: frozenset[str], tmp_path: Path) -> None:
    require_browser()
    out = tmp_path / "briefing.pptx"
    assert _export(db, out, "pptx", "--meetings", "第4回", "--withhold-names") == EXIT_OK
    prs = Presentation(out)
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert len(titles) == 10 and titles[0] == "第4回東京都・区市町村CIOフォーラム 議事録の分析"
    pictures = [s for slide in prs.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 4
    text = archive_text(out.read_bytes())
    assert "会議: 第4回 (2023-02-14)" in text
    assert "cio-forum-04_2023-02-14.txt" in text and "cio-forum-09" not in text
    assert found_names(text, names) == []


@pytest.mark.parametrize(
    ("extra", "code", "message"),
    [
        (["--org", "足立"], EXIT_USAGE, "組織が見つかりません: 足立"),
        (["--meetings", "第5回"], EXIT_USAGE, "会議が見つかりません: 第5回"),
        (["--topic", "宇宙"], EXIT_USAGE, "トピックが見つかりません: 宇宙"),
        (["--org", "足立区", "--org-kind", "市"], EXIT_FAILED, "に一致する発言がありません"),
    ],
)
def test_bad_filters_fail_with_one_line(db: Path, tmp_path: Path, capsys, extra, code, message) -> None:
    out = tmp_path / "x.csv"
    assert _export(db, out, "csv", *extra) == code
    err = capsys.readouterr().err.strip()
    assert err.startswith("エラー:") and message in err and "\n" not in err
    assert not out.exists()


def test_missing_corpus_fails(tmp_path: Path, capsys) -> None:
    assert _export(tmp_path / "none.sqlite", tmp_path / "x.csv", "csv") == EXIT_FAILED
    assert "コーパスがありません" in capsys.readouterr().err


def test_pptx_without_browser_fails_cleanly(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pptx"
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "export", "--format", "pptx", "--out", str(out), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/nonexistent", "BROWSER_PATH": "/nonexistent/chromium", "HOME": str(tmp_path)},
        timeout=300,
    )
    assert result.returncode == EXIT_FAILED
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("エラー:") and "Chromium" in lines[0]
    assert not out.exists()
