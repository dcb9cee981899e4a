"""Hostile and broken input: content sniffing, size limits, zip bombs, PDF page/depth/time limits,
HTML and Markdown in statements shown literally, traversal upload names, concurrent writers and
readers, and a process killed in the middle of a save."""

from __future__ import annotations

import io
import re
import sqlite3
import struct
import subprocess
import sys
import threading
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from analysis import sources
from analysis.sources import MAX_BYTES, SourceError, SourceText, read_bytes
from analysis.store import BUSY_MESSAGE, Corpus, CorpusBusyError
from dashboard.safe_text import md_literal
from dashboard.ui import highlight_html
from tests.formats import cjk_font, write_docx, write_html, write_pdf

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "app.py"
SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
MB = 1024 * 1024
TIMEOUT = 120

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[link](javascript:alert(1))"
BOLD = "**bold**"
#: Minutes whose statements carry HTML, script, Markdown links and emphasis.
HOSTILE = f"""第7回 テスト会議 議事要旨
日時: 令和6年4月1日(月) 10:00~11:00

【1.意見交換】
足立区
○{SCRIPT} クラウドについて伺いたい。
○{IMG} {BOLD} {LINK} &amp; :red[赤] $x^2$ ガバメントクラウド
東京都デジタルサービス局
○回答します。{SCRIPT}
"""
HOSTILE_STATEMENTS = [
    f"{SCRIPT} クラウドについて伺いたい。",
    f"{IMG} {BOLD} {LINK} &amp; :red[赤] $x^2$ ガバメントクラウド",
    f"回答します。{SCRIPT}",
]
UNESCAPED = re.compile(r"(?<!\\)<(?:script|img)|(?<!\\)\]\(javascript|(?<!\\)\*\*bold")


# --------------------------------------------------------------------------- content sniffing


@pytest.fixture(scope="module")
def formats(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    directory = tmp_path_factory.mktemp("formats")
    text = "第7回 テスト会議 議事要旨\n\n足立区\n○クラウドについて伺いたい。\n"
    out = {
        "docx": write_docx(text, directory / "a.docx").read_bytes(),
        "html": write_html(text, directory / "a.html").read_bytes(),
        "txt": text.encode("cp932"),
    }
    if cjk_font() is not None:
        out["pdf"] = write_pdf(text, directory / "a.pdf").read_bytes()
    return out


@pytest.mark.parametrize("misleading", ["minutes.txt", "minutes.pdf", "minutes.docx", "minutes.html", "noext"])
def test_format_comes_from_content_never_the_name(formats: dict[str, bytes], misleading: str) -> None:
    for fmt, data in formats.items():
        src = read_bytes(data, misleading)
        assert src.format == fmt, (fmt, misleading)
        assert "クラウドについて伺いたい" in src.text


def test_images_and_executables_with_a_minutes_name_are_refused() -> None:
    for data in (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, b"MZ\x90\x00" + b"\0" * 200, b"\x7fELF\x02\x01" + b"\0" * 200):
        with pytest.raises(SourceError):
            read_bytes(data, "議事要旨.txt")


# --------------------------------------------------------------------------- size limits


def test_size_limit_in_the_app_and_in_streamlit_agree() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * MB == MAX_BYTES
    with pytest.raises(SourceError, match="20MBを超えています"):
        read_bytes(b"a" * (MAX_BYTES + 1), "big.txt")


@pytest.fixture
def loopback_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As under `make run`: the server binds 127.0.0.1 and no admin password is set."""
    monkeypatch.delenv("GIJIROKU_ADMIN_PASSWORD", raising=False)
    previous = st_config.get_option("server.address")
    st_config.set_option("server.address", "127.0.0.1")
    yield
    st_config.set_option("server.address", previous)


@pytest.mark.usefixtures("loopback_server")
def test_page_refuses_an_oversized_upload_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIJIROKU_DB", str(tmp_path / "corpus.sqlite"))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("views/data_admin.py").run()
    at.file_uploader(key="adm_upload").upload("big.txt", b"a" * (MAX_BYTES + 1), "text/plain").run()
    assert not at.exception
    assert any("20MBを超えるファイルは取り込めません" in e.value for e in at.error)
    assert not any(b.label == "この内容で保存" for b in at.button)


# --------------------------------------------------------------------------- zip bombs


def _docx_with(base: bytes, extra: dict[str, int]) -> bytes:
    """``base`` DOCX plus members of ``n`` zero bytes each (compressing to almost nothing)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        for name, size in extra.items():
            with out.open(name, "w", force_zip64=True) as fh:
                for _ in range(size // MB):
                    fh.write(b"\0" * MB)
    return buf.getvalue()


def test_docx_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    base = write_docx("足立区\n○テスト。", tmp_path / "a.docx").read_bytes()
    bomb = _docx_with(base, {"word/media/zeros.bin": 300 * MB})
    assert len(bomb) < MB
    with pytest.raises(SourceError, match="展開後のサイズが大きすぎます"):
        read_bytes(bomb, "bomb.docx")


def test_docx_with_lying_sizes_is_refused(tmp_path: Path) -> None:
    base = write_docx("足立区\n○テスト。", tmp_path / "a.docx").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = body.replace(b"<w:body>", b"<w:body>" + b" " * (40 * MB), 1)
            out.writestr(info, body)
    data = bytearray(buf.getvalue())
    # Claim 1,000 bytes for document.xml in its local header and its central directory entry.
    offset = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml").header_offset
    struct.pack_into("<I", data, offset + 22, 1000)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + length] == b"word/document.xml":
            struct.pack_into("<I", data, central + 24, 1000)
        central = data.find(b"PK\x01\x02", central + 4)
    with pytest.raises(SourceError, match="DOCX"):
        read_bytes(bytes(data), "lying.docx")


# --------------------------------------------------------------------------- PDFs


def raw_pdf(objects: list[str]) -> bytes:
    """A PDF from object bodies (object i + 1 is ``objects[i]``; 1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


_STREAM = "BT /F1 12 Tf 72 720 Td (Hello minutes) Tj ET"
_CONTENT = f"<< /Length {len(_STREAM)} >>\nstream\n{_STREAM}\nendstream"
_FONT = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page(parent: int, contents: int, font: int, extra: str = "") -> str:
    return (
        f"<< /Type /Page /Parent {parent} 0 R /MediaBox [0 0 612 792] /Contents {contents} 0 R"
        f" /Resources << /Font << /F1 {font} 0 R >> >> {extra} >>"
    )


def _one_page(extra: str = "", kids: str = "3 0 R") -> bytes:
    return raw_pdf(
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            f"<< /Type /Pages /Kids [{kids}] /Count 1 >>",
            _page(2, 4, 5, extra),
            _CONTENT,
            _FONT,
        ]
    )


def _deep_page_tree(depth: int) -> bytes:
    objects = ["<< /Type /Catalog /Pages 2 0 R >>"]
    for i in range(depth):
        parent = f"/Parent {1 + i} 0 R" if i else ""
        objects.append(f"<< /Type /Pages /Kids [{3 + i} 0 R] /Count 1 {parent} >>")
    leaf = 2 + depth
    objects += [_page(leaf - 1, leaf + 1, leaf + 2), _CONTENT, _FONT]
    return raw_pdf(objects)


def _reads_or_refuses(data: bytes, name: str) -> SourceText | SourceError:
    try:
        return read_bytes(data, name)
    except SourceError as exc:
        return exc


def test_handmade_pdf_reads() -> None:
    src = read_bytes(_one_page(), "ok.pdf")
    assert (src.format, src.text, src.pages) == ("pdf", "Hello minutes", 1)


@pytest.mark.parametrize(
    "data",
    [
        _one_page(kids="3 0 R 2 0 R"),  # the page tree contains itself
        _one_page("/Deep " + "[" * 50_000 + "]" * 50_000),  # deeply nested arrays
        _one_page("/Deep " + "<< /A " * 20_000 + ">>" * 20_000),  # deeply nested dictionaries
        _deep_page_tree(3_000),  # page tree thousands of levels deep (RecursionError inside pdfminer)
        raw_pdf(["<< /Type /Catalog /Pages 1 0 R >>"]),  # the catalog is its own page tree
    ],
    ids=["cyclic-tree", "deep-arrays", "deep-dicts", "deep-page-tree", "self-reference"],
)
def test_pathological_pdf_structures_end_in_text_or_source_error(data: bytes) -> None:
    result = _reads_or_refuses(data, "evil.pdf")
    if isinstance(result, SourceError):
        assert result.message.startswith(("PDF", "テキストを抽出できないPDF"))
    else:
        assert result.text == "Hello minutes"


def test_pdf_with_thousands_of_pages_is_refused() -> None:
    count = sources.MAX_PDF_PAGES + 100
    kids = " ".join(f"{3 + i} 0 R" for i in range(count))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {count} >>"]
    objects += [_page(2, count + 3, count + 4) for _ in range(count)] + [_CONTENT, _FONT]
    with pytest.raises(SourceError, match=f"ページ数が多すぎます \\({count}ページ"):
        read_bytes(raw_pdf(objects), "many.pdf")


def test_pdf_extraction_stops_at_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    ticks = iter(range(0, 10_000, 10))  # a clock that advances 10 s per reading
    monkeypatch.setattr(sources, "_clock", lambda: float(next(ticks)))
    monkeypatch.setattr(sources, "PDF_TIME_LIMIT", 25.0)
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R 6 0 R] /Count 4 >>"]
    objects += [_page(2, 7, 8) for _ in range(4)] + [_CONTENT, _FONT]
    with pytest.raises(SourceError, match=r"25秒を超えたため中止しました（2/4ページまで）"):
        read_bytes(raw_pdf(objects), "slow.pdf")


# --------------------------------------------------------------------------- literal display


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "corpus.sqlite"
    with Corpus.open(db) as corpus:
        assert corpus.ingest_bytes(HOSTILE.encode(), "hostile.txt").status == "added"
        assert corpus.ingest_paths([SEED])[0].status == "added"
    return db


def test_statements_are_stored_as_written(hostile_db: Path) -> None:
    with Corpus.open(hostile_db) as corpus:
        statements = corpus.load_statements()
        hits = corpus.search("alert(1)")
    assert statements.loc[statements["meeting_label"].str.contains("第7回"), "text"].tolist() == HOSTILE_STATEMENTS
    assert len(hits) == 3 and all("【alert(1)】" in s for s in hits["snippet"])


def test_highlighted_statement_html_is_escaped() -> None:
    out = highlight_html(HOSTILE_STATEMENTS[1], re.compile("alert"))
    assert "<img" not in out and "<script" not in out
    assert out.count("<mark>alert</mark>") == 2
    assert "&lt;img src=x onerror=<mark>alert</mark>(1)&gt;" in out


@settings(max_examples=200, deadline=None)
@given(hst.text(alphabet=hst.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80))
def test_md_literal_escapes_every_markdown_character(text: str) -> None:
    out = md_literal(text)
    assert re.sub(r"\\(.)", r"\1", out) == " ".join(text.split())
    bare = re.sub(r"\\.", "\0", out)  # escaped characters out of the way
    assert not re.search(r"[`*_\[\]<>&$~]|:\S|^(?:[#+\-=>]|\d+[.)])", bare)


def _rendered_texts(at: AppTest) -> list[str]:
    """Every Markdown-rendered string of the page (titles, captions, markdown, alerts)."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("overview", {}),
        ("statements", {"q": "alert(1)"}),
        ("statements", {"q": SCRIPT}),
        ("topics", {}),
        ("speakers", {}),
        ("keywords", {}),
        ("network", {}),
        ("data_admin", {}),
    ],
)
def test_pages_show_hostile_text_literally(
    hostile_db: Path, monkeypatch: pytest.MonkeyPatch, page: str, params: dict[str, str]
) -> None:
    monkeypatch.setenv("GIJIROKU_DB", str(hostile_db))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    texts = _rendered_texts(at)
    assert texts
    assert not [t for t in texts if UNESCAPED.search(t)]
    html_bodies = [str(getattr(e, "body", "")) for e in at.get("html")]
    assert not [b for b in html_bodies if "<script" in b or "<img" in b]
    if page == "statements":
        assert any("件" in t and "alert" in t for t in texts)
        tables = [df.value for df in at.dataframe]
        shown = {cell for table in tables for col in table.columns for cell in table[col].astype(str)}
        assert set(HOSTILE_STATEMENTS) & shown


# --------------------------------------------------------------------------- upload names


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../x.txt", "x.txt"),
        ("/etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("a/../../b.txt", "b.txt"),
        ("..", "upload"),
        ("", "upload"),
        ("evil\x00.txt", "evil.txt"),
        ("名前\n偽のログ行.txt", "名前偽のログ行.txt"),
        ("C:\\Users\\x\\議事要旨.txt", "議事要旨.txt"),
    ],
)
def test_upload_names_are_never_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, stored: str
) -> None:
    workdir = tmp_path / "a" / "b"
    workdir.mkdir(parents=True)
    monkeypatch.chdir(workdir)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with Corpus.open(tmp_path / "db" / "corpus.sqlite") as corpus:
        result = corpus.ingest_bytes(HOSTILE.encode(), name)
        assert result.status == "added", result.message
        assert corpus.load_documents().loc[0, "name"] == stored
        assert result.path == stored
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if "db" not in p.parts)
    assert after == before


# --------------------------------------------------------------------------- concurrency


def _variant(number: int) -> bytes:
    return HOSTILE.replace("第7回", f"第{number}回").encode()


_WRITER = """
import sys
from analysis.store import Corpus
db, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
text = open(sys.argv[4], encoding="utf-8").read()
with Corpus.open(db) as corpus:
    for n in range(first, first + count):
        result = corpus.ingest_bytes(text.replace("第7回", f"第{n}回").encode(), f"m{n}.txt")
        print(result.status)
"""


def test_two_processes_saving_at_once_both_succeed(tmp_path: Path) -> None:
    db = tmp_path / "corpus.sqlite"
    Corpus.open(db).close()
    template = tmp_path / "template.txt"
    template.write_text(HOSTILE, encoding="utf-8")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(db), str(first), "6", str(template)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for first in (100, 200)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert all(out.split() == ["added"] * 6 for out, _ in outputs), outputs
    with Corpus.open(db) as corpus:
        assert corpus.counts()["documents"] == 12
        assert corpus.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_same_document_saved_by_two_sessions_is_stored_once(tmp_path: Path) -> None:
    db = tmp_path / "corpus.sqlite"
    results = []

    def save() -> None:
        with Corpus.open(db) as corpus:
            results.append(corpus.ingest_bytes(_variant(1), "same.txt").status)

    Corpus.open(db).close()
    threads = [threading.Thread(target=save) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["added", "duplicate"]


@pytest.fixture
def held_write_lock(tmp_path: Path) -> Iterator[tuple[Corpus, sqlite3.Connection]]:
    """A corpus with one meeting and another connection holding the write lock (not committed)."""
    db = tmp_path / "corpus.sqlite"
    corpus = Corpus.open(db)
    corpus.ingest_bytes(_variant(1), "one.txt")
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM documents")
    yield corpus, other
    other.close()
    corpus.close()


def test_a_writer_waiting_too_long_gets_a_retry_message(held_write_lock: tuple[Corpus, sqlite3.Connection]) -> None:
    corpus, other = held_write_lock
    corpus.conn.execute("PRAGMA busy_timeout = 50")
    result = corpus.ingest_bytes(_variant(2), "two.txt")
    assert result.status == "error" and result.message == f"two.txt: {BUSY_MESSAGE}"
    with pytest.raises(CorpusBusyError, match="しばらく待ってから"):
        corpus.delete_meeting(1)
    other.execute("ROLLBACK")
    assert corpus.ingest_bytes(_variant(2), "two.txt").status == "added"
    assert corpus.counts()["documents"] == 2


def test_readers_see_the_last_commit_while_another_session_writes(
    held_write_lock: tuple[Corpus, sqlite3.Connection],
) -> None:
    corpus, other = held_write_lock
    assert len(corpus.load_meetings()) == 1
    assert len(corpus.load_statements()) == 3
    assert len(corpus.search("alert(1)")) == 3
    other.execute("COMMIT")
    assert corpus.load_meetings().empty


# --------------------------------------------------------------------------- killed mid-save


_KILLED = """
import os, signal, sys
from analysis.store import Corpus, writer
original = writer.insert_meeting_content

def insert_then_die(*args, **kwargs):
    original(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)

writer.insert_meeting_content = insert_then_die
with Corpus.open(sys.argv[1]) as corpus:
    corpus.ingest_bytes(open(sys.argv[2], "rb").read(), "killed.txt")
"""


def test_process_killed_mid_save_leaves_the_corpus_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "corpus.sqlite"
    with Corpus.open(db) as corpus:
        corpus.ingest_paths([SEED])
        before = corpus.counts()
        version = corpus.corpus_version()
    upload = tmp_path / "upload.txt"
    upload.write_bytes(_variant(3))
    proc = subprocess.run([sys.executable, "-c", _KILLED, str(db), str(upload)], cwd=ROOT, timeout=300)
    assert proc.returncode == -9
    with Corpus.open(db) as corpus:
        assert corpus.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert corpus.counts() == before
        assert corpus.corpus_version() == version
        corpus.conn.execute("INSERT INTO statements_fts(statements_fts, rank) VALUES ('integrity-check', 1)")
        assert corpus.ingest_bytes(upload.read_bytes(), "again.txt").status == "added"
