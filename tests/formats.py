"""Build format fixtures at test time from a text: PDF, DOCX, HTML and encoded plain text.

Tests (and the lead's golden checks) save the seed minutes in each format and check that the
reader gives back the same minutes. The PDF is made like a real one: a page header and a page
number on every page, and text that flows across pages so a statement is cut by a page break.
"""

from __future__ import annotations

import html
from pathlib import Path

#: Japanese TrueType fonts fpdf2 can embed with a usable text layer (Debian: fonts-ipafont-gothic).
#: fpdf2 2.8 writes CFF-based fonts such as Noto Sans CJK (.ttc) without extractable text, so
#: those are not candidates.
CJK_FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/takao-gothic/TakaoGothic.ttf",
)

PDF_HEADER = "第4回東京都・区市町村CIOフォーラム議事要旨"
#: A Latin font with the punctuation Japanese fonts lack (Debian: fonts-dejavu-core).
FALLBACK_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def cjk_font() -> Path | None:
    """The first installed Japanese TTF from ``CJK_FONT_CANDIDATES``, or None."""
    for candidate in CJK_FONT_CANDIDATES:
        path = Path(candidate)
        if path.is_file():
            return path
    return None


def write_pdf(text: str, path: str | Path, *, header: str = PDF_HEADER, font_size: float = 10.5) -> Path:
    """Write ``text`` as an A4 PDF with a header line and "- n -" page numbers on every page.

    Each input line is a paragraph wrapped at any character, as Japanese word processors do;
    empty lines are vertical space. Raises FileNotFoundError if no Japanese font is installed (tests skip on that).
    """
    from fpdf import FPDF
    from fpdf.enums import WrapMode

    font = cjk_font()
    if font is None:
        raise FileNotFoundError("no Japanese TrueType font (install Debian package fonts-ipafont-gothic)")

    class _MinutesPDF(FPDF):
        def header(self) -> None:
            self.set_font("jp", size=9)
            self.cell(0, 6, header, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("jp", size=9)
            self.cell(0, 6, f"- {self.page_no()} -", align="C")

    pdf = _MinutesPDF(format="A4")
    pdf.add_font("jp", "", str(font))
    if Path(FALLBACK_FONT).is_file():  # bullets such as ‧ (U+2027) that IPA Gothic lacks
        pdf.add_font("fallback", "", FALLBACK_FONT)
        pdf.set_fallback_fonts(["fallback"])
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("jp", size=font_size)
    line_height = font_size * 0.55
    for line in text.splitlines():
        if line.strip():
            pdf.multi_cell(
                0, line_height, line.strip(), align="L", new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR
            )
        else:
            pdf.ln(line_height)
    out = Path(path)
    pdf.output(str(out))
    return out


def write_docx(text: str, path: str | Path) -> Path:
    """Write ``text`` as a DOCX, one paragraph per line (empty lines are empty paragraphs)."""
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = Path(path)
    document.save(str(out))
    return out


def write_styled_docx(spec: str, path: str | Path) -> Path:
    """Write a DOCX the way Word users do: heading styles, Word bullet/number lists, tables.

    ``spec`` is one paragraph per line: ``# `` / ``## `` / ``### `` give Heading 1–3, ``- `` a
    "List Bullet" paragraph and ``1. `` a "List Number" paragraph (Word draws the bullet or number;
    the text has none; two leading spaces per nesting level give the list level), ``| a | b |``
    a table row (consecutive rows form one table), an empty line an empty paragraph, and anything
    else a Normal paragraph.
    """
    import docx

    document = docx.Document()
    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if not table_rows:
            return
        width = max(len(r) for r in table_rows)
        table = document.add_table(rows=len(table_rows), cols=width)
        for i, row in enumerate(table_rows):
            for j, cell in enumerate(row):
                table.cell(i, j).text = cell
        table_rows.clear()

    for line in spec.splitlines():
        stripped = line.strip()
        if stripped.startswith("|"):
            table_rows.append([c.strip() for c in stripped.strip("|").split("|")])
            continue
        flush_table()
        level = (len(line) - len(line.lstrip(" "))) // 2
        if stripped.startswith("#"):
            marks = len(stripped) - len(stripped.lstrip("#"))
            document.add_heading(stripped[marks:].strip(), level=min(marks, 3))
        elif stripped.startswith("- "):
            document.add_paragraph(stripped[2:], style="List Bullet" if level == 0 else f"List Bullet {min(level + 1, 3)}")
        elif len(stripped) > 2 and stripped.split(" ", 1)[0].rstrip(".").isdigit() and stripped.split(" ", 1)[0].endswith("."):
            document.add_paragraph(stripped.split(" ", 1)[1], style="List Number" if level == 0 else f"List Number {min(level + 1, 3)}")
        else:
            document.add_paragraph(stripped)
    flush_table()
    out = Path(path)
    document.save(str(out))
    return out


def write_html(text: str, path: str | Path, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` as a web page: the minutes in <main> (<h2> for short lines without ○),
    surrounded by <nav>, <script>, <style>, <header> and <footer> noise that must not be read."""
    blocks = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        tag = "p" if stripped.startswith("○") or len(stripped) > 40 else "h2"
        blocks.append(f"    <{tag}>{html.escape(stripped)}</{tag}>")
    page = "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="ja">',
            "<head>",
            f'  <meta charset="{encoding}">',
            "  <title>会議録 | 東京都</title>",
            "  <style>body { font-family: sans-serif; } .nav-item::after { content: 'ナビ'; }</style>",
            "  <script>var trackingId = 'ナビゲーション用スクリプト';</script>",
            "</head>",
            "<body>",
            "  <header><p>東京都デジタルサービス局 ホームページ</p></header>",
            '  <nav><ul><li><a href="/">トップページ</a></li><li><a href="/dx">DX推進</a></li></ul></nav>',
            "  <main>",
            *blocks,
            "  </main>",
            "  <aside><p>関連リンク: 広報東京都</p></aside>",
            "  <footer><p>Copyright (C) Tokyo Metropolitan Government</p></footer>",
            "  <noscript>JavaScriptを有効にしてください</noscript>",
            "</body>",
            "</html>",
            "",
        ]
    )
    out = Path(path)
    out.write_bytes(page.encode(encoding))
    return out


def write_encoded_txt(text: str, path: str | Path, encoding: str) -> Path:
    """Write ``text`` in ``encoding`` (a BOM only where the codec writes one: utf-8-sig, utf-16)."""
    out = Path(path)
    out.write_bytes(text.encode(encoding))
    return out
