"""CSV/XLSX exports: BOM, formula-injection neutralization, numbers kept, sheet names."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from analysis.report.tables import (
    display_width,
    neutralize,
    sheet_names,
    to_csv_bytes,
    to_xlsx_bytes,
)


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "組織": ["足立区", '=HYPERLINK("http://x")', "+81 3", "-1+2", "@SUM(A1)"],
            "発言": ["＝全角イコール", "＋全角", "\tタブ", "\r改行", "普通の発言"],
            "件数": [3, -5, 0, 12, 7],
            "比率": [0.25, -0.5, 0.0, 1.0, 0.125],
            "topics": [("クラウド",), ("標準化・共通化", "GovTech東京"), (), ("=x",), ("未分類",)],
        }
    )


def test_neutralize_prefixes_only_strings() -> None:
    assert neutralize("=1+1") == "'=1+1"
    assert neutralize("＠mention") == "'＠mention"
    assert neutralize("足立区") == "足立区"
    assert neutralize(-3) == -3
    assert neutralize(("a", "b")) == "a、b"


def test_csv_has_bom_and_neutralized_cells(frame: pd.DataFrame) -> None:
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["組織", "発言", "件数", "比率", "topics"]
    organizations = [r[0] for r in rows[1:]]
    assert organizations == ["足立区", '\'=HYPERLINK("http://x")', "'+81 3", "'-1+2", "'@SUM(A1)"]
    statements = [r[1] for r in rows[1:]]
    assert statements == ["'＝全角イコール", "'＋全角", "'\tタブ", "'\r改行", "普通の発言"]
    assert [r[2] for r in rows[1:]] == ["3", "-5", "0", "12", "7"]
    assert [r[3] for r in rows[1:]] == ["0.25", "-0.5", "0.0", "1.0", "0.125"]
    assert [r[4] for r in rows[1:]] == ["クラウド", "標準化・共通化、GovTech東京", "", "'=x", "未分類"]


def test_csv_does_not_modify_input(frame: pd.DataFrame) -> None:
    before = frame.copy()
    to_csv_bytes(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_xlsx_round_trip(frame: pd.DataFrame) -> None:
    summary = pd.DataFrame({"指標": ["会議数", "発言数"], "値": [1, 52]})
    data = to_xlsx_bytes({"発言一覧": frame, "集計: 概要/全体": summary})
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["発言一覧", "集計_ 概要_全体"]
    ws = wb["発言一覧"]
    assert [c.value for c in ws[1]] == ["組織", "発言", "件数", "比率", "topics"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws["A3"].value == '\'=HYPERLINK("http://x")'
    assert ws["A3"].data_type == "s"
    assert ws["B2"].value == "'＝全角イコール"
    assert [ws.cell(row=r, column=3).value for r in range(2, 7)] == [3, -5, 0, 12, 7]
    assert ws["C3"].data_type == "n"
    assert ws["D3"].value == -0.5
    assert ws["E3"].value == "標準化・共通化、GovTech東京"
    assert ws["E4"].value is None
    assert wb["集計_ 概要_全体"]["B3"].value == 52


def test_xlsx_column_widths_count_wide_characters() -> None:
    df = pd.DataFrame({"a": ["東京都デジタルサービス局"], "b": ["abc"]})
    ws = load_workbook(io.BytesIO(to_xlsx_bytes({"t": df})))["t"]
    assert ws.column_dimensions["A"].width == display_width("東京都デジタルサービス局") + 2 == 26
    assert ws.column_dimensions["B"].width == 6


def test_xlsx_drops_control_characters_and_keeps_missing_empty() -> None:
    df = pd.DataFrame({"text": ["改\x0cページ", None], "n": [1.5, float("nan")]})
    ws = load_workbook(io.BytesIO(to_xlsx_bytes({"t": df})))["t"]
    assert ws["A2"].value == "改ページ"
    assert ws["A3"].value is None
    assert ws["B3"].value is None


def test_sheet_names_are_valid_and_unique() -> None:
    names = sheet_names(["a" * 40, "a" * 40, "x[1]:*?/\\", "", "Sheet", "sheet"])
    assert names[0] == "a" * 31
    assert names[1] == "a" * 29 + "_2"
    assert names[2] == "x_1______"
    assert names[3] == "Sheet4"
    assert names[4] == "Sheet"
    assert names[5] == "sheet_2"
    assert all(len(n) <= 31 for n in names)
