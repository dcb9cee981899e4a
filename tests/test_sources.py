"""Tests for analysis.sources: every encoding and format built from the seed, and every bad input."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import sources
from analysis.normalize import normalize_text
from analysis.sources import MAX_BYTES, SourceError, SourceText, read_bytes, read_source
from tests.formats import PDF_HEADER, cjk_font, write_docx, write_encoded_txt, write_html, write_pdf

SEED_PATH = Path(__file__).resolve().parents[1] / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
SEED = SEED_PATH.read_text(encoding="utf-8")
SEED_LINES = [normalize_text(line) for line in SEED.splitlines() if line.strip()]

#: Lines of the seed that every format must give back (normalized).
KEY_LINES = [
    "第4回東京都・区市町村CIOフォーラム",
    "足立区",
    "○質疑なし",
    "デジタル庁",
    "宮坂副知事",
    "*国内共同調査の現状報告",
    "○Govtech東京に大きな期待をしている。東京都と区市町村が十分な議論を行い、共同運営協議会の立ち上げ同様に"
    "上下関係なくフラットな信頼関係の下で議論していただけたらと考える。豊富な人材を持つ東京都と住民の要望を"
    "押さえている区市町村それぞれの良さを生かしながら一緒に進んでいきたいと考えている。",
]
#: Words of the デジタル庁 statement that is cut by a page break in the real minutes.
DIGITAL_AGENCY_WORDS = [
    "自治体の独自取組・施策・業務",
    "疎結合という形",
    "で作っていただき提供することは可能",
    "日本法",
]


def _lines(text: str) -> list[str]:
    return normalize_text(text).split("\n")


def _assert_seed_content(text: str) -> None:
    lines = _lines(text)
    normalized = normalize_text(text)
    for key in KEY_LINES:
        assert key in lines, key
    for word in DIGITAL_AGENCY_WORDS:
        assert word in normalized, word


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if cjk_font() is None:
        pytest.skip("no Japanese TrueType font installed (Debian package fonts-ipafont-gothic)")
    return write_pdf(SEED, tmp_path_factory.mktemp("pdf") / "seed.pdf")


# ----------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("cp932", "cp932"),
        ("shift_jis", "cp932"),
        ("euc_jp", "euc_jp"),
        ("iso2022_jp", "iso2022_jp"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_seed_in_each_encoding_reads_back_exactly(tmp_path: Path, encoding: str, expected: str) -> None:
    path = write_encoded_txt(SEED, tmp_path / "minutes.txt", encoding)
    result = read_source(path)
    assert result.text == SEED
    assert result.format == "txt"
    assert result.encoding == expected
    assert result.pages is None
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.path == str(path)


# A 100-character statement (about 200 bytes in CP932/EUC-JP) and a 5-character note.
SHORT_STATEMENT = "○ガバメントクラウドのデータセンターの事業者は海外事業者だと思うが、データセンターは国内に置くというルールで決まっているという認識で良いか。"


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp"])
@pytest.mark.parametrize("text", [SHORT_STATEMENT, "○質疑なし", "足立区\n○質疑なし\n"])
def test_short_japanese_texts_are_detected(encoding: str, text: str) -> None:
    data = text.encode(encoding)
    assert len(data) <= 220
    result = read_bytes(data, "short.txt")
    assert (result.text, result.encoding) == (text, encoding)


def test_crlf_becomes_lf() -> None:
    result = read_bytes("足立区\r\n○質疑なし\r\n".encode("cp932"), "crlf.txt")
    assert result.text == "足立区\n○質疑なし\n"


def test_text_keeps_characters_as_written() -> None:
    raw = "第4回 CIO フォーラム ⻑ 髙橋 TOYKO ＣＩＯ\n"
    assert read_bytes(raw.encode("utf-8"), "raw.txt").text == raw


def test_read_bytes_matches_read_source(tmp_path: Path) -> None:
    path = write_encoded_txt(SEED, tmp_path / "seed.txt", "cp932")
    from_file = read_source(path)
    from_upload = read_bytes(path.read_bytes(), "seed.txt")
    assert (from_upload.text, from_upload.encoding, from_upload.sha256) == (
        from_file.text,
        from_file.encoding,
        from_file.sha256,
    )
    assert from_upload.path == "seed.txt"


# ----------------------------------------------------------------------------- formats


def test_markdown_headings_and_emphasis_become_plain_lines(tmp_path: Path) -> None:
    md = "# 都からの事業報告\n\n## **足立区**\n\n○__クラウド__について伺いたい。\n"
    result = read_source(write_encoded_txt(md, tmp_path / "minutes.md", "utf-8"))
    assert result.format == "md"
    assert result.text == "都からの事業報告\n\n足立区\n\n○クラウドについて伺いたい。\n"


def test_txt_keeps_hash_lines(tmp_path: Path) -> None:
    result = read_source(write_encoded_txt("# 見出し\n", tmp_path / "minutes.txt", "utf-8"))
    assert (result.format, result.text) == ("txt", "# 見出し\n")


def test_pdf_from_seed(seed_pdf: Path) -> None:
    result = read_source(seed_pdf)
    assert result.format == "pdf"
    assert result.encoding is None
    assert result.pages is not None and result.pages >= 3
    _assert_seed_content(result.text)
    lines = _lines(result.text)
    assert normalize_text(PDF_HEADER) not in lines
    assert not [line for line in lines if re.fullmatch(r"-\s*\d+\s*-|\d+", line)]


def test_pdf_paragraphs_survive_line_wraps_and_page_breaks(seed_pdf: Path) -> None:
    lines = _lines(read_source(seed_pdf).text)
    split_by_page_break = 0
    for seed_line in SEED_LINES:
        if seed_line in lines:
            continue
        # a paragraph cut by a page break: its two halves around one blank line
        pairs = zip(lines, lines[1:], lines[2:], strict=False)
        assert any(a + c == seed_line and b == "" for a, b, c in pairs), seed_line
        split_by_page_break += 1
    assert split_by_page_break >= 1


def test_pdf_page_count_limit(seed_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_PDF_PAGES", 2)
    with pytest.raises(SourceError, match="ページ数が多すぎます"):
        read_source(seed_pdf)


def test_format_is_sniffed_from_content_not_extension(tmp_path: Path, seed_pdf: Path) -> None:
    misnamed = tmp_path / "minutes.txt"
    misnamed.write_bytes(seed_pdf.read_bytes())
    assert read_source(misnamed).format == "pdf"
    text_as_pdf = write_encoded_txt("足立区\n○質疑なし\n", tmp_path / "minutes.pdf", "utf-8")
    assert read_source(text_as_pdf).format == "txt"
    html_as_md = write_html("足立区\n○質疑なし", tmp_path / "minutes.md")
    assert read_source(html_as_md).format == "html"


def test_docx_from_seed(tmp_path: Path) -> None:
    result = read_source(write_docx(SEED, tmp_path / "seed.docx"))
    assert result.format == "docx"
    assert result.encoding is None
    # every Word paragraph is followed by a blank line, so paragraphs stay separate statements
    assert [ln for ln in result.text.splitlines() if ln.strip()] == [ln for ln in SEED.splitlines() if ln.strip()]
    _assert_seed_content(result.text)


def test_docx_tables_follow_document_order(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("出席者")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "足立区"
    table.cell(0, 1).text = "情報政策課長"
    table.cell(1, 0).text = "町田市"
    table.cell(1, 1).text = "デジタル推進課長"
    document.add_paragraph("○質疑なし")
    path = tmp_path / "table.docx"
    document.save(str(path))
    assert read_source(path).text == "出席者\n\n足立区\t情報政策課長\n町田市\tデジタル推進課長\n\n○質疑なし"


def test_html_from_seed(tmp_path: Path) -> None:
    result = read_source(write_html(SEED, tmp_path / "seed.html"))
    assert result.format == "html"
    assert result.encoding == "utf-8"
    assert [ln for ln in _lines(result.text) if ln] == SEED_LINES
    for noise in (
        "トップページ",
        "trackingId",
        "font-family",
        "Copyright",
        "関連リンク",
        "JavaScript",
        "ホームページ",
    ):
        assert noise not in result.text


def test_html_in_shift_jis_uses_declared_charset(tmp_path: Path) -> None:
    result = read_source(write_html(SEED, tmp_path / "seed.html", encoding="shift_jis"))
    assert result.encoding == "cp932"
    assert [ln for ln in _lines(result.text) if ln] == SEED_LINES


def test_html_whitespace_follows_css_rules() -> None:
    page = (
        "<html><body><div>東京都の\n    クラウド<br>Microsoft\nTeams の利用</div>"
        "<ul><li>足立区</li><li>町田市</li></ul><!-- コメント --></body></html>"
    )
    result = read_bytes(page.encode("utf-8"), "page.html")
    # list items get the bullet a browser draws; paragraphs are separated by a blank line
    assert result.text == "東京都のクラウド\nMicrosoft Teams の利用\n\n・足立区\n・町田市"


# ----------------------------------------------------------------------------- bad input


def _error(data: bytes, name: str = "bad.txt") -> SourceError:
    with pytest.raises(SourceError) as info:
        read_bytes(data, name)
    return info.value


def test_error_message_format(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(SourceError) as info:
        read_source(path)
    assert info.value.path == str(path)
    assert info.value.message == "空のファイルです"
    assert str(info.value) == f"{path}: 空のファイルです"


@pytest.mark.parametrize(
    "data", [b"   \n\t\r\n", "\u3000\n".encode(), b"\xef\xbb\xbf", b"\xff\xfe \x00\n\x00"]
)
def test_whitespace_only_is_rejected(data: bytes) -> None:
    assert "空のファイル" in _error(data).message


def test_binary_junk_is_rejected() -> None:
    assert _error(bytes(range(256)) * 8).message == "バイナリファイルのようです"
    assert _error(b"\x01\x02\x03\x04\x05\x06\x07\x08 abc" * 20).message == "バイナリファイルのようです"


def test_undecodable_bytes_are_rejected() -> None:
    assert _error(b"abc \x81\x20 \x8e\x20 def\n" * 3).message == "文字コードを判定できません"


def test_bad_utf8_after_bom_is_rejected() -> None:
    assert "文字コードを判定できません" in _error(b"\xef\xbb\xbf\xe3\x81").message


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "旧形式"),
    ],
)
def test_other_binary_formats_are_named(data: bytes, mime: str) -> None:
    message = _error(data).message
    assert message.startswith("対応していない形式です (")
    assert mime in message


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return buffer.getvalue()


def test_zip_that_is_not_docx_is_unsupported() -> None:
    assert (
        _error(_zip({"minutes.txt": "足立区".encode()}), "a.zip").message
        == "対応していない形式です (application/zip)"
    )
    assert "spreadsheetml" in _error(_zip({"xl/workbook.xml": b"<x/>"}), "a.xlsx").message


def test_corrupt_docx_is_rejected(tmp_path: Path) -> None:
    message = _error(_zip({"word/document.xml": b"not xml", "[Content_Types].xml": b"<<"}), "a.docx").message
    assert message.startswith("DOCXファイルを読み込めません")
    truncated = write_docx("足立区", tmp_path / "t.docx").read_bytes()[:200]
    assert "壊れています" in _error(truncated, "t.docx").message


def test_docx_zip_bomb_guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = write_docx(SEED, tmp_path / "seed.docx").read_bytes()
    monkeypatch.setattr(sources, "MAX_UNZIPPED_BYTES", 10_000)
    assert _error(data, "seed.docx").message.startswith("展開後のサイズが大きすぎます")


def test_scanned_pdf_without_text_layer_is_rejected(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(SourceError, match="テキストを抽出できないPDFです（スキャン画像のみの可能性）"):
        read_source(path)


def test_encrypted_and_truncated_pdfs_are_rejected(tmp_path: Path, seed_pdf: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=seed_pdf)
    writer.encrypt("secret")
    encrypted = tmp_path / "encrypted.pdf"
    writer.write(encrypted)
    with pytest.raises(SourceError, match="パスワード"):
        read_source(encrypted)
    assert "PDFを読み込めません" in _error(seed_pdf.read_bytes()[:2000], "cut.pdf").message


def test_oversized_file_is_rejected_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 2 * 1024 * 1024)  # sparse: costs no disk space

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr(Path, "open", no_open)
    with pytest.raises(SourceError) as info:
        read_source(path)
    assert info.value.message == "20MBを超えています (22.0MB)"


def test_oversized_upload_is_rejected() -> None:
    assert _error(b" " * (MAX_BYTES + 1)).message.startswith("20MBを超えています")


def test_missing_file_and_directory_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="見つかりません"):
        read_source(tmp_path / "nothing.txt")
    with pytest.raises(SourceError, match="通常のファイルではありません"):
        read_source(tmp_path)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("/etc/shadow", "shadow"),
        ("minutes\n偽のログ行.txt", "minutes偽のログ行.txt"),
        ("..", "upload"),
        ("", "upload"),
    ],
)
def test_upload_names_are_labels_never_paths(name: str, shown: str) -> None:
    result = read_bytes("足立区\n".encode(), name)
    assert (result.path, result.text) == (shown, "足立区\n")
    error = _error(b"", name)
    assert str(error) == f"{shown}: 空のファイルです"


def test_unexpected_failures_become_source_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(text: str, label: str) -> str:
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(sources, "_html_to_text", boom)
    message = _error(b"<html><body><p>x</p></body></html>", "x.html").message
    assert message == "読み込みに失敗しました (RuntimeError: parser exploded)"


@pytest.mark.parametrize(
    ("line", "is_number"),
    [
        ("1", True),
        ("- 2 -", True),
        ("－ ３ －", True),
        ("2/10", True),
        ("2 / 10", True),
        ("ページ 3", True),
        ("3ページ", True),
        ("Page 4 of 10", True),
        ("３", True),
        ("令和5年", False),
        ("第4回", False),
        ("○質疑なし", False),
        ("13:00~14:45", False),
    ],
)
def test_page_number_lines(line: str, is_number: bool) -> None:
    assert sources._is_page_number(line) is is_number


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    prefix=st.sampled_from([b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>"]),
    body=st.binary(max_size=400),
)
def test_any_bytes_give_text_or_source_error(prefix: bytes, body: bytes) -> None:
    try:
        result = read_bytes(prefix + body, "fuzz.bin")
    except SourceError as err:
        assert err.message
    else:
        assert isinstance(result, SourceText)
        assert result.text.strip()
