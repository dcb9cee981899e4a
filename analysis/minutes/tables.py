"""Header tables drawn with box characters (┌─┬─┐ │会議名│…│ └─┴─┘), read as field lines.

Council offices print a 会議結果 table at the top of their records: one row per field, a label
cell on the left (sometimes split over two lines, 会議に付した / 事件) and a value cell on the
right (sometimes several lines: 開会 …, the date, 閉会 …). ``unbox`` rewrites each such row as the
field lines the header rules read: ``label　value`` for a one-line value (the lines of a 日時
value joined), the label alone followed by its value lines for attendee lists and the agenda.
Lines outside box tables are returned unchanged.
"""

from __future__ import annotations

import re

from analysis.minutes.header import ATTENDEE_LABELS, agenda_label

_BORDER = re.compile(r"^[\s┌┬┐├┼┤└┴┘─━┏┓┗┛┣┫┳┻╋+\-−=|│┃]*$")
_ROW = re.compile(r"^\s*[│┃|](?P<cells>.*)[│┃|]\s*$")
_SPLIT = re.compile(r"[│┃|]")


def unbox(text: str) -> str:
    """The text with every box-drawn table rewritten as field lines (see the module docstring)."""
    if not re.search(r"[┌├└│┃]", text):
        return text
    out: list[str] = []
    group: list[list[str]] = []

    def flush() -> None:
        if group:
            out.extend(_row_lines(group))
            group.clear()

    for line in text.splitlines():
        row = _ROW.match(line)
        if row and not _BORDER.match(line):
            group.append([c.strip().replace("\u3000", " ").strip() for c in _SPLIT.split(row.group("cells"))])
            continue
        flush()
        out.append("" if line.strip() and _BORDER.match(line) else line)
    flush()
    return "\n".join(out)


def _row_lines(rows: list[list[str]]) -> list[str]:
    """One table row (its physical lines) as field lines."""
    label = re.sub(r"\s+", "", "".join(r[0] for r in rows if r and r[0]))
    values = [re.sub(r"\s+", " ", " ".join(c for c in r[1:] if c)).strip() for r in rows]
    values = [v for v in values if v]
    if not label:
        return values
    if label in ATTENDEE_LABELS or agenda_label(label):
        return [label, *(f"  {v}" for v in values)]
    return [f"{label}\u3000{' '.join(values)}"]
