"""Read a minutes document (txt in any Japanese encoding, md, html, pdf, docx) into plain text.

The format is sniffed from the content, not the file name; the text keeps the document's line
structure and its characters as written (normalization is ``analysis.normalize``'s job). Every
failure is a ``SourceError`` with a Japanese message naming the file, so the CLI and the
dashboard can report a bad upload in one line and go on with the other files.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import math
import re
import statistics
import time
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pdfplumber.page import Page

MAX_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 2000
#: Seconds one PDF may take to extract (checked between pages; a page is bounded by MAX_BYTES).
PDF_TIME_LIMIT = 60.0
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024

#: Candidate encodings for text without BOM that is not UTF-8 (cp932 is a superset of shift_jis).
JAPANESE_ENCODINGS: tuple[str, ...] = ("cp932", "euc_jp", "iso2022_jp")


class SourceError(Exception):
    """A document that cannot be read; ``str(err)`` is ``"{path}: {message}"``."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(path, message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class SourceText:
    """The text of one document plus where it came from.

    ``text`` keeps lines ("\\n") and the original characters; PDF page headers, footers and page
    numbers are removed and a page break is a blank line. ``encoding`` is a Python codec name for
    txt/md/html and None for pdf/docx; ``pages`` is set for PDFs. ``headings`` maps line indices
    to the heading level (1–6) the document itself marks (Word heading styles, HTML <h1>–<h6>,
    Markdown #), a hint the parser weighs against what the line says.
    """

    text: str
    format: str
    encoding: str | None
    sha256: str
    path: str
    pages: int | None = None
    headings: dict[int, int] = field(default_factory=dict)


def read_source(path: str | Path) -> SourceText:
    """Read the document at ``path``; the size is checked before anything is read."""
    p = Path(path)
    label = str(path)
    try:
        if not p.exists():
            raise SourceError(label, "ファイルが見つかりません")
        if not p.is_file():
            raise SourceError(label, "通常のファイルではありません")
        size = p.stat().st_size
        _check_size(label, size)
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except SourceError:
        raise
    except OSError as exc:
        raise SourceError(label, f"ファイルを読めません ({exc.strerror or type(exc).__name__})") from exc
    _check_size(label, len(data))
    return _parse(data, label, p.suffix.lower())


def read_bytes(data: bytes, name: str) -> SourceText:
    """Read an uploaded document; ``name`` is used only for messages and never opened.

    Only the last component of ``name`` is kept (``../../etc/passwd`` -> ``passwd``), without
    control characters, so a crafted upload name cannot point elsewhere or forge a log line.
    """
    label = display_name(name)
    _check_size(label, len(data))
    return _parse(bytes(data), label, PurePosixPath(label).suffix.lower())


def display_name(name: str) -> str:
    """The harmless label of an upload name: last path component, no control characters."""
    cleaned = "".join(ch for ch in str(name) if unicodedata.category(ch) not in ("Cc", "Cf"))
    base = PureWindowsPath(PurePosixPath(cleaned).name).name.strip()
    return base if base not in ("", ".", "..") else "upload"


def _check_size(label: str, size: int) -> None:
    if size > MAX_BYTES:
        raise SourceError(
            label, f"{MAX_BYTES // (1024 * 1024)}MBを超えています ({size / (1024 * 1024):.1f}MB)"
        )


# Magic numbers of formats that are not minutes, for a precise "unsupported" message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage 旧形式のWord/Excel"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"{\\rtf", "application/rtf"),
)

# Main parts of zip-based formats other than docx.
_ZIP_KINDS: tuple[tuple[str, str], ...] = (
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("content.xml", "application/vnd.oasis.opendocument"),
)


def _parse(data: bytes, label: str, suffix: str) -> SourceText:
    """Sniff the format of ``data`` and dispatch; wraps unexpected errors into SourceError."""
    if not data:
        raise SourceError(label, "空のファイルです")
    sha = hashlib.sha256(data).hexdigest()
    try:
        head = data.lstrip(b" \t\r\n")
        if head.startswith(codecs.BOM_UTF8):
            head = head[len(codecs.BOM_UTF8) :]
        if head.startswith(b"%PDF-"):
            text, pages = _read_pdf(data, label)
            return SourceText(text, "pdf", None, sha, label, pages)
        if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            body, headings = _read_zip(data, label)
            return SourceText(body, "docx", None, sha, label, headings=headings)
        for magic, mime in _MAGIC:
            if data.startswith(magic):
                raise SourceError(label, f"対応していない形式です ({mime})")
        text, encoding = _decode(data, label)
        if _looks_like_html(text):
            text, encoding = _redecode_by_meta(data, text, encoding)
            body, headings = _html_to_text(text, label)
            return SourceText(body, "html", encoding, sha, label, headings=headings)
        if not text.strip():
            raise SourceError(label, "空のファイルです（空白のみ）")
        if suffix in (".md", ".markdown"):
            body, headings = _markdown_to_text(text)
            return SourceText(body, "md", encoding, sha, label, headings=headings)
        return SourceText(text, "txt", encoding, sha, label)
    except SourceError:
        raise
    except Exception as exc:  # any library failure must surface as a SourceError
        raise SourceError(label, f"読み込みに失敗しました ({type(exc).__name__}: {exc})") from exc


# --------------------------------------------------------------------------- text and encodings


def _decode(data: bytes, label: str) -> tuple[str, str]:
    """Decode text bytes; returns (text with "\\n" newlines, canonical codec name).

    Order: BOM, UTF-16 without BOM (NUL pattern), ISO-2022-JP (escape sequences, which would
    otherwise pass as UTF-8), strict UTF-8, then charset-normalizer restricted to the Japanese
    encodings that decode the bytes strictly and, for texts too short for it, our own plausibility
    score between them. UTF-16 is recognised only by its BOM or NUL pattern: accepting it from a
    statistical guess would turn any even-length byte string into plausible-looking kanji.
    """
    text: str | None = None
    encoding = ""
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(data, "utf-8-sig", label), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _strict(data, "utf-16", label), "utf-16"
    elif b"\x00" in data:
        guess = _utf16_without_bom(data)
        if guess is None:
            raise SourceError(label, "バイナリファイルのようです")
        text, encoding = guess
    else:
        if _control_ratio(data) > 0.02:
            raise SourceError(label, "バイナリファイルのようです")
        if data.isascii() and re.search(rb"\x1b[$(][@BJ]", data):
            text = _try(data, "iso2022_jp")
            encoding = "iso2022_jp"
        if text is None:
            text = _try(data, "utf-8")
            encoding = "utf-8"
        if text is None:
            text, encoding = _guess_japanese(data, label)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text or _unprintable_ratio(text) > 0.05:
        raise SourceError(label, "バイナリファイルのようです")
    return text, codecs.lookup(encoding).name


def _strict(data: bytes, encoding: str, label: str) -> str:
    text = _try(data, encoding)
    if text is None:
        raise SourceError(label, f"文字コードを判定できません ({encoding}として不正なバイト列)")
    return text


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _control_ratio(data: bytes) -> float:
    """Share of C0 control bytes other than tab, newlines, form feed and ESC (ISO-2022-JP)."""
    allowed = {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
    sample = data[:65536]
    bad = sum(1 for b in sample if (b < 0x20 and b not in allowed) or b == 0x7F)
    return bad / len(sample)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without BOM: ASCII characters (newlines, digits) put their NUL byte on one side of
    each byte pair; kanji such as 一 (U+4E00) put a few on the other side."""
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    if odd > 4 * even:
        enc = "utf-16-le"
    elif even > 4 * odd:
        enc = "utf-16-be"
    else:
        return None
    text = _try(data, enc)
    if text is not None and "\x00" not in text and _unprintable_ratio(text) < 0.01:
        return text, enc
    return None


def _unprintable_ratio(text: str) -> float:
    """Share of characters that no text file contains: controls, unassigned, surrogates."""
    if not text:
        return 0.0
    sample = text[:65536]
    bad = sum(1 for ch in sample if ch not in "\t\n\f\x1b" and unicodedata.category(ch) in ("Cc", "Cn", "Cs"))
    return bad / len(sample)


def _guess_japanese(data: bytes, label: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    decoded = {enc: t for enc in JAPANESE_ENCODINGS if (t := _try(data, enc)) is not None}
    if not decoded:
        raise SourceError(label, "文字コードを判定できません")
    best = from_bytes(data, cp_isolation=list(JAPANESE_ENCODINGS)).best()
    if best is not None:
        enc = codecs.lookup(best.encoding).name
        enc = "cp932" if enc == "shift_jis" else enc
        if enc in decoded:
            return decoded[enc], enc
    scores = {enc: _plausibility(t) for enc, t in decoded.items()}
    enc = max(JAPANESE_ENCODINGS, key=lambda e: (scores.get(e, -math.inf), e == "cp932"))
    return decoded[enc], enc


def _plausibility(text: str) -> float:
    """Score how much ``text`` looks like Japanese prose (higher is better).

    charset-normalizer gives up on very short inputs (a 10-byte "○質疑なし"); between the encodings
    that decode strictly, the wrong one produces halfwidth katakana, private-use and rare
    characters, while the right one produces kana, common kanji, ASCII and CJK punctuation.
    """
    good = bad = 0
    for ch in text:
        cp = ord(ch)
        if 0x3040 <= cp <= 0x30FF or 0x3000 <= cp <= 0x303F or 0x4E00 <= cp <= 0x9FFF:
            good += 2 if 0x3040 <= cp <= 0x30FF else 1
        elif ch.isascii():
            good += 1 if (ch.isprintable() or ch in "\t\r\n") else 0
        elif 0xFF61 <= cp <= 0xFF9F or 0xE000 <= cp <= 0xF8FF or unicodedata.category(ch) in ("Cc", "Co"):
            bad += 3
        elif 0xFF01 <= cp <= 0xFF5E or 0x2460 <= cp <= 0x25FF:
            good += 1
        else:
            bad += 1
    return (good - bad) / max(len(text), 1)


# --------------------------------------------------------------------------- markdown and html

_MD_HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_MD_EMPHASIS = re.compile(r"\*\*|__")


def _markdown_to_text(text: str) -> tuple[str, dict[int, int]]:
    """Markdown as plain text and its heading lines: '## 見出し' becomes '見出し' (a level-2 heading
    hint) and ** / __ markers are dropped."""
    lines = []
    headings: dict[int, int] = {}
    for i, line in enumerate(text.split("\n")):
        m = _MD_HEADING.match(line)
        if m:
            headings[i] = len(line.strip().split(" ", 1)[0])
        lines.append(_MD_EMPHASIS.sub("", m.group(1) if m else line))
    return "\n".join(lines), headings


_HTML_DOC = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_HTML_BLOCK = re.compile(r"<(?:p|div|h[1-6]|br|li|table|main|article)\b[^>]*>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)

_DROP_TAGS = ("script", "style", "nav", "header", "footer", "noscript", "template", "aside")
_BLOCK_TAGS = (
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "ul", "ol", "dl", "dt",
    "dd", "section", "article", "main", "blockquote", "pre", "figure", "figcaption", "address",
)  # fmt: skip
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_SEGMENT_BREAK_BETWEEN_WIDE = re.compile(rf"(?<=[{_WIDE}])[ \t\r\f]*\n\s*(?=[{_WIDE}])")


def _looks_like_html(text: str) -> bool:
    """A document (doctype/html/body near the top) or a fragment that starts with block tags."""
    start = text.lstrip("\ufeff \t\r\n")
    if _HTML_DOC.search(start[:2048]):
        return True
    return start.startswith("<") and len(_HTML_BLOCK.findall(text[:65536])) >= 2


def _redecode_by_meta(data: bytes, text: str, encoding: str) -> tuple[str, str]:
    """Prefer the charset an HTML page declares, if the bytes decode strictly with it."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return text, encoding
    declared = m.group(1).decode("ascii").lower()
    declared = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
                "windows-31j": "cp932"}.get(declared, declared)  # fmt: skip
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return text, encoding
    if name == encoding or (name == "utf-8" and encoding == "utf-8-sig"):
        return text, encoding
    redecoded = _try(data, name)
    if redecoded is None:
        return text, encoding
    return redecoded.replace("\r\n", "\n").replace("\r", "\n"), name


#: Sentinels used while flattening HTML (private-use code points no page contains).
_NBSP, _HEADING = "\ue000", "\ue001"
_LIST_MARKS = tuple("・•‧○◯●◆◇■□-‐－*＊※①②③④⑤⑥⑦⑧⑨⑩") + tuple("0123456789０１２３４５６７８９")


_FURNITURE_CLASS = re.compile(r"breadcrumb|topicpath|pankuzu|pan-list|skip|sns|share|pagetop", re.IGNORECASE)


def _is_page_furniture(tag) -> bool:  # noqa: ANN001 - a bs4 Tag
    """A breadcrumb trail, skip link or share bar inside the page (by its class or id)."""
    names = " ".join([*(tag.get("class") or []), tag.get("id") or ""]) if tag.attrs else ""
    return bool(names) and bool(_FURNITURE_CLASS.search(names))


def _html_to_text(html: str, label: str) -> tuple[str, dict[int, int]]:
    """Visible text of the page's main content and the lines that are headings (<h1>–<h6>).

    One block element per line, with a blank line between paragraphs so that consecutive <p>
    items stay separate statements; list items get the bullet (or number) a browser draws, two
    spaces per nesting level; a no-break space kept at a line start is indentation (the web
    editions indent sub-items with &nbsp;). Other whitespace follows CSS rules: runs collapse to
    one space, and a line break between two wide (CJK) characters disappears, so Japanese
    wrapped in the HTML source is not split by spaces. Navigation, scripts, headers and footers
    are dropped.
    """
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_page_furniture):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    for node in list(root.find_all(string=True)):
        if type(node) is not NavigableString:  # comments, doctype, CDATA
            node.extract()
            continue
        if node.find_parent("pre") is not None:
            continue
        collapsed = _SEGMENT_BREAK_BETWEEN_WIDE.sub("", str(node)).replace("\u00a0", _NBSP)
        node.replace_with(re.sub(r"\s+", " ", collapsed))
    for strong in root.find_all(("strong", "b")):
        # <p><strong>文京区</strong>　本文…</p>: the bold lead names the speaker, as "文京区：本文"
        parent = strong.parent
        label = strong.get_text().strip()
        after = strong.next_sibling
        if (
            parent is not None and parent.name in ("p", "li", "dd", "div") and 0 < len(label) <= 30
            and parent.get_text().strip().startswith(label) and after is not None and str(after).strip()
            and not label.endswith((":", "：")) and not str(after).strip().startswith((":", "："))
        ):  # fmt: skip
            strong.insert_after("：")
    for br in root.find_all("br"):
        br.replace_with("\n")
    for cell in root.find_all(("td", "th")):
        cell.insert_after("\t")
    for item in root.find_all("li"):
        depth = len(item.find_parents(("ul", "ol"))) - 1
        text = item.get_text().strip().lstrip(_NBSP)
        if text and not text.startswith(_LIST_MARKS):
            parent = item.find_parent(("ul", "ol"))
            if parent is not None and parent.name == "ol":
                number = len(item.find_previous_siblings("li")) + 1
                mark = f"{number}. "
            else:
                mark = "・"
            item.insert(0, _NBSP * 2 * max(depth, 0) + mark)
    for level in range(1, 7):
        for heading in root.find_all(f"h{level}"):
            heading.insert(0, f"{_HEADING}{level}")
    for block in root.find_all(_BLOCK_TAGS):
        if block.name in ("li", "tr", "dt"):
            block.insert_before("\n")
        else:
            block.insert_before("\n\n")
            block.insert_after("\n\n")
    lines: list[str] = []
    headings: dict[int, int] = {}
    for raw in root.get_text().split("\n"):
        line = raw.strip(" \t\r\f\v").rstrip(_NBSP)
        if not line.replace(_NBSP, "").strip():
            if lines and lines[-1] != "":
                lines.append("")
            continue
        if _HEADING in line:
            level = line[line.index(_HEADING) + 1]
            line = line.replace(_HEADING + level, "").strip()
            headings[len(lines)] = int(level)
        lines.append(line.replace(_NBSP, "\u00a0"))
    while lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise SourceError(label, "HTMLに本文のテキストがありません")
    return "\n".join(lines), headings


# --------------------------------------------------------------------------- docx


def _read_zip(data: bytes, label: str) -> tuple[str, dict[int, int]]:
    """A zip is read only if it is a DOCX; the uncompressed size is bounded (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SourceError(label, "ZIP/DOCXファイルが壊れています") from exc
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        mime = next((m for part, m in _ZIP_KINDS if part in names), "application/zip")
        raise SourceError(label, f"対応していない形式です ({mime})")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise SourceError(
            label,
            f"展開後のサイズが大きすぎます ({total / (1024 * 1024):.0f}MB、上限 {MAX_UNZIPPED_BYTES // (1024 * 1024)}MB)",
        )
    return _read_docx(data, label)


def _read_docx(data: bytes, label: str) -> tuple[str, dict[int, int]]:
    """Body paragraphs and tables in document order, and the lines that are headings.

    A paragraph is a line with a blank line after it (a Word paragraph is a deliberate one, so
    consecutive paragraphs stay separate statements); a list paragraph gets the bullet or number
    Word draws for it (two spaces per list level); a paragraph in a Heading/見出し/Title style is
    a heading hint. A table row is one line, its cells separated by a tab (merged cells once).
    Headers, footers, comments and text boxes are not part of the minutes and are not read.
    """
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        numbering = _DocxNumbering(document)
        lines: list[str] = []
        headings: dict[int, int] = {}
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells: list[str] = []
                    seen: set[int] = set()
                    for cell in row.cells:
                        if id(cell._tc) in seen:
                            continue
                        seen.add(id(cell._tc))
                        cells.append(" ".join(cell.text.split("\n")).strip())
                    lines.append("\t".join(cells))
                lines.append("")
                continue
            level = _docx_heading_level(block)
            mark = numbering.mark(block)
            for k, text in enumerate(block.text.split("\n")):
                if level and text.strip():
                    headings[len(lines)] = level
                lines.append((mark + text) if k == 0 and mark and text.strip() else text)
            if block.text.strip():
                lines.append("")
    except Exception as exc:
        raise SourceError(
            label, f"DOCXファイルを読み込めません（破損している可能性） ({type(exc).__name__})"
        ) from exc
    while lines and not lines[-1].strip():
        lines.pop()
    text = "\n".join(line.rstrip() for line in lines)
    if not text.strip():
        raise SourceError(label, "DOCXに本文のテキストがありません")
    return text, headings


_DOCX_HEADING = re.compile(r"^(?:heading|見出し)\s*(\d)$", re.IGNORECASE)


def _docx_heading_level(paragraph) -> int:  # noqa: ANN001 - python-docx Paragraph
    """1–6 for a paragraph in a Heading N / 見出し N style (Title counts as 1), else 0."""
    style = paragraph.style
    while style is not None:
        name = (style.name or "").strip()
        if m := _DOCX_HEADING.match(name):
            return min(int(m.group(1)), 6)
        if name.lower() == "title" or name == "表題":
            return 1
        style = style.base_style
    return 0


def _style_list_level(paragraph) -> int:  # noqa: ANN001 - python-docx Paragraph
    """List level of a "List Bullet 2" / "List Number 3" style that carries no ilvl (level - 1)."""
    m = re.search(r"(\d)$", (paragraph.style.name or "") if paragraph.style is not None else "")
    return int(m.group(1)) - 1 if m else 0


class _DocxNumbering:
    """The bullet or number Word draws before a list paragraph (from its numPr or its style's)."""

    _W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def __init__(self, document) -> None:  # noqa: ANN001 - python-docx Document
        self.formats: dict[tuple[str, int], str] = {}
        self.counters: dict[tuple[str, int], int] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        w = self._W
        abstract = {}
        for node in root.findall(f"{w}abstractNum"):
            levels = {}
            for lvl in node.findall(f"{w}lvl"):
                fmt = lvl.find(f"{w}numFmt")
                levels[int(lvl.get(f"{w}ilvl", "0"))] = fmt.get(f"{w}val") if fmt is not None else "bullet"
            abstract[node.get(f"{w}abstractNumId")] = levels
        for num in root.findall(f"{w}num"):
            ref = num.find(f"{w}abstractNumId")
            levels = abstract.get(ref.get(f"{w}val") if ref is not None else "", {})
            for ilvl, fmt in levels.items():
                self.formats[(num.get(f"{w}numId"), ilvl)] = fmt

    def _num_pr(self, paragraph):  # noqa: ANN001, ANN202
        w = self._W
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.find(f"{w}numPr") is not None:
            return ppr.find(f"{w}numPr")
        style = paragraph.style
        while style is not None:
            spr = style.element.find(f"{w}pPr")
            if spr is not None and spr.find(f"{w}numPr") is not None:
                return spr.find(f"{w}numPr")
            style = style.base_style
        return None

    def mark(self, paragraph) -> str:  # noqa: ANN001 - python-docx Paragraph
        w = self._W
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id = num_pr.find(f"{w}numId")
        ilvl = num_pr.find(f"{w}ilvl")
        nid = num_id.get(f"{w}val") if num_id is not None else ""
        level = int(ilvl.get(f"{w}val")) if ilvl is not None else _style_list_level(paragraph)
        if nid == "0":
            return ""
        fmt = self.formats.get((nid, level), "bullet")
        indent = "  " * level
        if fmt in ("bullet", "none"):
            return f"{indent}・"
        for (other, other_level) in list(self.counters):
            if other == nid and other_level > level:
                del self.counters[(other, other_level)]
        count = self.counters.get((nid, level), 0) + 1
        self.counters[(nid, level)] = count
        return f"{indent}({count}) " if level else f"{indent}{count}. "


# --------------------------------------------------------------------------- pdf

_PAGE_NUMBER = re.compile(
    r"^(?:[-‐−–—―~〜]?\s*\d{1,4}\s*[-‐−–—―~〜]?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.?|ページ|頁)\s*\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?"
    r"|第?\s*\d{1,4}\s*(?:ページ|頁)(?:\s*/\s*\d{1,4})?"
    r"|\d{1,4}\s*ページ目)$",
    re.IGNORECASE,
)
_EDGE_LINES = 3
_SENTENCE_END = tuple("。．.！？!?」』）)】")
#: Characters that start a new paragraph; Japanese line breaking never puts 。、・ at a line start.
_BULLETS = tuple("○〇●◯•・･*＊※◆◇■□【")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    lead_word: float  # width of a leading ASCII word (0 if the line starts otherwise)


def _read_pdf(data: bytes, label: str) -> tuple[str, int]:
    """Text layer of a PDF via pdfplumber, with page furniture removed and wrapped lines joined.

    Hand-written because pdfplumber returns positioned lines only: repeated headers/footers are
    found by comparing the top and bottom lines of all pages (digits ignored), page numbers by
    pattern, and a line that reaches the right margin and does not end a sentence is joined with
    the next one (a soft wrap), so a paragraph is one line as in the text minutes. A visibly
    larger gap between lines becomes a blank line; a page break is always a blank line.
    """
    import pdfplumber

    deadline = _clock() + PDF_TIME_LIMIT
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            n_pages = len(pdf.pages)
            if n_pages > MAX_PDF_PAGES:
                raise SourceError(label, f"ページ数が多すぎます ({n_pages}ページ、上限 {MAX_PDF_PAGES})")
            pages = []
            for number, page in enumerate(pdf.pages, start=1):
                if _clock() >= deadline:
                    raise SourceError(
                        label,
                        f"PDFの読み込みが{PDF_TIME_LIMIT:.0f}秒を超えたため中止しました"
                        f"（{number - 1}/{n_pages}ページまで）",
                    )
                pages.append(_page_lines(page))
                page.close()
    except SourceError:
        raise
    except Exception as exc:
        names = _exception_names(exc)
        if any("Password" in n or "Encrypt" in n for n in names):
            raise SourceError(label, "パスワードで保護されたPDFは読み込めません") from exc
        raise SourceError(label, f"PDFを読み込めません（破損している可能性） ({names[-1]})") from exc
    if not any(pages):
        raise SourceError(label, "テキストを抽出できないPDFです（スキャン画像のみの可能性）")
    pages = _strip_page_furniture(pages)
    blocks = ["\n".join(_join_wrapped(lines)) for lines in pages if lines]
    text = "\n\n".join(blocks)
    if not text.strip():
        raise SourceError(label, "テキストを抽出できないPDFです（スキャン画像のみの可能性）")
    return text, n_pages


def _clock() -> float:
    """Monotonic seconds (a function so tests can replace the clock)."""
    return time.monotonic()


def _exception_names(exc: BaseException) -> list[str]:
    """Class names of ``exc`` and the exceptions it wraps (pdfplumber wraps pdfminer's in args)."""
    names: list[str] = []
    todo: list[BaseException] = [exc]
    while todo and len(names) < 10:
        current = todo.pop(0)
        names.append(type(current).__name__)
        todo.extend(a for a in current.args if isinstance(a, BaseException))
        if current.__cause__ is not None:
            todo.append(current.__cause__)
    return names


def _page_lines(page: Page) -> list[_Line]:
    lines = []
    for raw in page.extract_text_lines(return_chars=True):
        text = raw["text"].strip()
        if not text:
            continue
        chars = [c for c in raw.get("chars", []) if c["text"].strip()]
        sizes = [c.get("size", 0.0) for c in chars] or [raw["bottom"] - raw["top"]]
        word = []
        for c in chars:
            if not (c["text"].isascii() and c["text"].isalnum()):
                break
            word.append(c)
        lead_word = word[-1]["x1"] - word[0]["x0"] if word else 0.0
        lines.append(
            _Line(text, raw["x0"], raw["x1"], raw["top"], raw["bottom"], statistics.median(sizes), lead_word)
        )
    return lines


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))


def _is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(unicodedata.normalize("NFKC", text).strip()))


def _strip_page_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Drop lines repeated at the top/bottom of most pages and page-number lines at the edges."""
    populated = [lines for lines in pages if lines]
    threshold = max(2, math.ceil(len(populated) / 2))
    top_counts: Counter[str] = Counter()
    bottom_counts: Counter[str] = Counter()
    for lines in populated:
        top_counts.update({_furniture_key(ln.text) for ln in lines[:_EDGE_LINES]})
        bottom_counts.update({_furniture_key(ln.text) for ln in lines[-_EDGE_LINES:]})
    result = []
    for lines in pages:
        lines = list(lines)
        # Each furniture line goes once per page edge: a title that the running header repeats
        # (page 1 shows both) keeps its own line.
        seen: set[str] = set()
        for _ in range(_EDGE_LINES):
            key = _furniture_key(lines[0].text) if lines else ""
            if lines and key not in seen and (top_counts[key] >= threshold or _is_page_number(lines[0].text)):
                seen.add(key)
                lines.pop(0)
        seen = set()
        for _ in range(_EDGE_LINES):
            key = _furniture_key(lines[-1].text) if lines else ""
            if lines and key not in seen and (bottom_counts[key] >= threshold or _is_page_number(lines[-1].text)):
                seen.add(key)
                lines.pop()
        result.append(lines)
    return result


def _join_wrapped(lines: list[_Line]) -> list[str]:
    """Join soft-wrapped lines of one page; insert a blank line at paragraph-sized gaps."""
    if not lines:
        return []
    right = max(ln.x1 for ln in lines)
    size = statistics.median(ln.size for ln in lines) or 10.0
    pitches = sorted(b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if b.top > a.top)
    # Single line spacing: the smallest common pitch, capped because a page may have no wrapped line.
    pitch = min(pitches[len(pitches) // 10], 1.8 * size) if pitches else 0.0
    out: list[str] = [lines[0].text]
    for prev, cur in zip(lines, lines[1:], strict=False):
        gap = cur.top - prev.top
        wide_gap = pitch > 0 and gap > pitch * 1.5
        tolerance = 1.5 * max(prev.size, 1.0)
        # A line that ends short of the margin was still wrapped if the next line's first Latin
        # word (Govtech, M365) would not have fitted after it.
        reaches_margin = (
            prev.x1 + (prev.size * 0.3 + cur.lead_word if cur.lead_word else 0.0) >= right - tolerance
        )
        if (
            reaches_margin
            and not wide_gap
            and not prev.text.endswith(_SENTENCE_END)
            and not cur.text.startswith(_BULLETS)
        ):
            sep = " " if prev.text[-1].isascii() and cur.text[0].isascii() else ""
            out[-1] = out[-1] + sep + cur.text
            continue
        if wide_gap:
            out.append("")
        out.append(cur.text)
    return out
