"""Fuzzing the readers and the parser (hypothesis): random text, minutes-shaped text, random bytes
and mutated real minutes in every format give a parsed document or a ``SourceError``, never any
other exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import minutes
from analysis.model import ParsedDocument
from analysis.sources import SourceError, read_bytes
from tests.formats import cjk_font, write_docx, write_encoded_txt, write_html, write_pdf

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Lines that steer the parser into each of its states.
PIECES = [
    "第4回 東京都・区市町村CIOフォーラム 議事要旨", "議事要旨", "日時: 令和5年2月14日(火) 13:00~14:45",
    "日時：令和元年13月40日", "場所: 都庁", "議事", "・都からの事業報告（デジタルサービス局）",
    "(東京都CIO 副知事 宮坂 学)", "【1.挨拶】", "都からの事業報告", "＊「標準化について", "* 意見交換",
    "(1) クラウド", "1. 開会", "荒川区", "足立区", "デジタル庁", "宮坂副知事", "謎の協議会",
    "○質疑なし", "○", "○○", "・", "-", "- 3 -", "○クラウドについて伺いたい。", "また、M365 は",
    "○回答します", "（説明省略）", "(", "（）", "】", "【", "", " ", "\u3000", "\t", "\f",
    "<script>alert(1)</script>", "**bold**", "⽇⽉⻑", "髙橋", "TOYKO",
]  # fmt: skip


def _check(doc: ParsedDocument) -> None:
    assert isinstance(doc, ParsedDocument)
    assert [t.order for t in doc.turns] == list(range(1, len(doc.turns) + 1))
    section_ids = {s.id for s in doc.sections}
    assert all(t.section_id is None or t.section_id in section_ids for t in doc.turns)
    assert all(t.reply_to is None or t.reply_to < t.order for t in doc.turns)
    assert doc.to_dict()["meeting"]["title"] is not None


@FAST
@given(st.text(max_size=2000))
def test_parse_text_never_raises_on_random_text(text: str) -> None:
    _check(minutes.parse_text(text))


@FAST
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=30), max_size=60))
def test_parse_text_never_raises_on_minutes_shaped_text(lines: list[str]) -> None:
    _check(minutes.parse_text("\n".join(lines)))


def _read_and_parse(data: bytes, name: str) -> None:
    try:
        src = read_bytes(data, name)
    except SourceError as err:
        assert err.message
        return
    assert src.text.strip()
    _check(minutes.parse_source(src))


@FAST
@given(
    st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"<html>", b"\x1b$B"]),
    st.binary(max_size=600),
    st.sampled_from(["a.txt", "a.pdf", "a.docx", "a.html", "a.md", "../../a", ""]),
)
def test_random_bytes_give_a_document_or_source_error(prefix: bytes, body: bytes, name: str) -> None:
    _read_and_parse(prefix + body, name)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The seed minutes as txt (UTF-8, CP932, UTF-16), HTML, Markdown-named text, DOCX and PDF."""
    directory = tmp_path_factory.mktemp("seeds")
    out = {
        "utf8.txt": SEED.read_bytes(),
        "cp932.txt": write_encoded_txt(SEED_TEXT, directory / "cp932.txt", "cp932").read_bytes(),
        "utf16.txt": write_encoded_txt(SEED_TEXT, directory / "utf16.txt", "utf-16").read_bytes(),
        "seed.html": write_html(SEED_TEXT, directory / "seed.html").read_bytes(),
        "seed.md": ("# 議事要旨\n\n" + SEED_TEXT).encode(),
        "seed.docx": write_docx(SEED_TEXT, directory / "seed.docx").read_bytes(),
    }
    if cjk_font() is not None:
        out["seed.pdf"] = write_pdf(SEED_TEXT, directory / "seed.pdf").read_bytes()
    return out


def _mutate(data: bytes, kind: str, position: float, length: int, noise: bytes) -> bytes:
    at = int(position * len(data))
    if kind == "flip":
        buf = bytearray(data)
        for i, byte in enumerate(noise or b"\x01"):
            buf[(at + i * 97) % len(buf)] ^= byte or 1
        return bytes(buf)
    if kind == "truncate":
        return data[:at]
    if kind == "splice":
        return data[:at] + noise + data[at + length :]
    if kind == "duplicate":
        return data[:at] + data[at : at + length] * 3 + data[at:]
    return data[at:]  # "drop-head"


MUTATIONS = st.tuples(
    st.sampled_from(["flip", "truncate", "splice", "duplicate", "drop-head"]),
    st.floats(min_value=0.0, max_value=1.0),
    st.integers(min_value=0, max_value=4096),
    st.binary(max_size=64),
)


@SLOW
@given(st.data())
def test_mutated_seed_gives_a_document_or_source_error(seeds: dict[str, bytes], data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(seeds)))
    kind, position, length, noise = data.draw(MUTATIONS)
    _read_and_parse(_mutate(seeds[name], kind, position, length, noise), name)


@SLOW
@given(st.data())
def test_spliced_formats_give_a_document_or_source_error(seeds: dict[str, bytes], data: st.DataObject) -> None:
    first, second = data.draw(st.lists(st.sampled_from(sorted(seeds)), min_size=2, max_size=2))
    cut = data.draw(st.floats(min_value=0.0, max_value=1.0))
    head = seeds[first][: int(cut * len(seeds[first]))]
    _read_and_parse(head + seeds[second][len(head) :], first)
