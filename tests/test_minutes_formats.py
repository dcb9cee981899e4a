"""The seed minutes saved as PDF, DOCX, HTML and in legacy encodings parse to the same structure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from analysis.minutes import parse_file
from analysis.normalize import normalize_text
from tests import formats

SEED = Path(__file__).resolve().parent.parent / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"


def _shape(doc) -> list[tuple]:
    """What must not depend on the file format: who spoke where, and what they said.

    Statements are compared without white space: a PDF line wrap can drop the space of "フィット & ギャップ".
    """
    return [
        (t.order, t.section_id, normalize_text(t.speaker), t.organization.name, t.role, t.reply_to,
         tuple(re.sub(r"\s", "", normalize_text(s)) for s in t.statements))
        for t in doc.turns
    ]


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reference(seed_text):
    return parse_file(SEED)


def _assert_same(doc, reference):
    assert _shape(doc) == _shape(reference)
    assert [(s.title, s.parent_id) for s in doc.sections] == [(s.title, s.parent_id) for s in reference.sections]
    assert [a.title for a in doc.agenda] == [a.title for a in reference.agenda]
    m, r = doc.meeting, reference.meeting
    assert (m.title, m.number, m.date, m.start_time, m.end_time) == (r.title, r.number, r.date, r.start_time, r.end_time)
    assert len(doc.notes) == len(reference.notes) == 1


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp", "utf-8-sig", "utf-16"])
def test_encodings(tmp_path, seed_text, reference, encoding):
    path = formats.write_encoded_txt(seed_text, tmp_path / "minutes.txt", encoding)
    doc = parse_file(path)
    assert doc.meeting.source.encoding.replace("_", "-").lower().startswith(encoding.replace("_", "-")[:5])
    _assert_same(doc, reference)


def test_docx(tmp_path, seed_text, reference):
    doc = parse_file(formats.write_docx(seed_text, tmp_path / "minutes.docx"))
    assert doc.meeting.source.format == "docx"
    _assert_same(doc, reference)


def test_html(tmp_path, seed_text, reference):
    doc = parse_file(formats.write_html(seed_text, tmp_path / "minutes.html"))
    assert doc.meeting.source.format == "html"
    _assert_same(doc, reference)


def test_pdf_with_page_headers_numbers_and_wrapped_lines(tmp_path, seed_text, reference):
    if formats.cjk_font() is None:
        pytest.skip("no CJK font for building the PDF fixture")
    doc = parse_file(formats.write_pdf(seed_text, tmp_path / "minutes.pdf"))
    assert doc.meeting.source.format == "pdf"
    _assert_same(doc, reference)
    texts = " ".join(s for t in doc.turns for s in t.statements)
    assert formats.PDF_HEADER not in texts
