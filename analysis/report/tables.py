"""Excel-safe tables: CSV (UTF-8 with BOM) and XLSX (one sheet per table).

Both neutralize formula injection: a text cell whose first character would make a spreadsheet
evaluate it (= + - @, tab, CR, and their full-width forms ＝ ＋ － ＠) gets a leading single
quote, so ``=HYPERLINK(...)`` pasted into minutes shows as text. Only string cells are touched;
numbers (including negative ones) stay numbers.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

#: First characters that make Excel, LibreOffice or Sheets treat a cell as a formula.
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

#: Characters Excel forbids in sheet names.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
_MAX_COLUMN_WIDTH = 80
_MIN_COLUMN_WIDTH = 6


def neutralize(value: Any) -> Any:
    """``value`` with a leading ``'`` if it is a string that a spreadsheet would evaluate.

    List and tuple cells (e.g. ``topics``) are first joined with 、; anything else is returned
    unchanged.
    """
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell (and column name) neutralized; numbers untouched."""
    out = df.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            out[column] = out[column].astype(object).map(neutralize)
    out.columns = [neutralize(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """``df`` as CSV bytes: UTF-8 with BOM (Excel opens Japanese correctly), no index."""
    return safe_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def display_width(text: str) -> int:
    """Width of ``text`` in Excel character units: wide (East Asian) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def sheet_names(names: list[str]) -> list[str]:
    """Valid, unique Excel sheet names for ``names`` (≤ 31 chars, no ``[]:*?/\\``, not blank)."""
    result: list[str] = []
    used: set[str] = set()
    for i, raw in enumerate(names, start=1):
        base = _SHEET_FORBIDDEN.sub("_", str(raw)).strip().strip("'")[:SHEET_NAME_MAX]
        base = base or f"Sheet{i}"
        name = base
        n = 2
        while name.casefold() in used:
            suffix = f"_{n}"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
            n += 1
        used.add(name.casefold())
        result.append(name)
    return result


def _cell_value(value: Any) -> Any:
    """A value openpyxl can store: missing -> None, numpy scalars -> Python, text cleaned."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return neutralize(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, bool | int | float | datetime.date | datetime.time):
        return value
    if isinstance(value, np.generic):
        return value.item()
    return neutralize(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _bold(ws: Any, value: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    return cell


def to_xlsx_bytes(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook with one sheet per table.

    Sheet names are sanitized and made unique; the header row is bold and frozen; column widths
    are fitted to the content counting wide characters as 2 (capped at 80). Tuple/list cells
    (e.g. ``topics``) are joined with 、; control characters Excel rejects are dropped. The
    workbook is streamed (openpyxl write-only mode), so large tables stay fast.
    """
    wb = Workbook(write_only=True)
    names = sheet_names(list(tables))
    bold = Font(bold=True)
    for name, df in zip(names, tables.values(), strict=True):
        ws = wb.create_sheet(title=name)
        safe = safe_frame(df)
        header = [str(c) for c in safe.columns]
        rows = [[_cell_value(v) for v in row] for row in safe.itertuples(index=False, name=None)]
        for idx, column in enumerate(zip(header, *rows, strict=True), start=1):
            # Every character is at least 1 wide, so the first _MAX_COLUMN_WIDTH decide the capped width.
            width = max(
                (display_width(str(v)[:_MAX_COLUMN_WIDTH]) for v in column if v is not None), default=0
            )
            ws.column_dimensions[get_column_letter(idx)].width = min(
                max(width + 2, _MIN_COLUMN_WIDTH), _MAX_COLUMN_WIDTH
            )
        ws.freeze_panes = "A2"
        ws.append([_bold(ws, h, bold) for h in header])
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
