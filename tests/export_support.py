"""Shared helpers of the export tests: corpora with and without hostile content, a browser check,
and the text of exported files (PPTX/XLSX are zip archives of XML)."""

from __future__ import annotations

import html
import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from analysis.report.images import browser_available
from analysis.store import Corpus
from analysis.withholding import corpus_names_of

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"

#: Minutes whose statements start like spreadsheet formulas and mention people by name; the
#: presenter 久賀谷 郁夫 and the speaker (東京都CIO 副知事 宮坂 学) are personal names.
HOSTILE_MINUTES = """第9回東京都・区市町村 CIO フォーラム

議事要旨

日時:令和6年5月20日(月)10:00~11:00

場所:都庁

議事

・都からの事業報告

(東京都デジタルサービス局戦略部戦略課長 久賀谷 郁夫)

都からの事業報告

足立区

○=HYPERLINK("http://example.com","クリック")について伺いたい。

(東京都CIO 副知事 宮坂 学)

○+1 の件は宮坂副知事として検討する。

町田市

○@SUM(A1:A2) と -2 の扱いについて、久賀谷課長に伺いたい。
"""


def require_browser() -> None:
    """Skip without a Chromium for kaleido, unless REQUIRE_BROWSER=1 (then fail)."""
    if browser_available():
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail("REQUIRE_BROWSER=1 but no Chromium found for kaleido")
    pytest.skip("no Chromium for kaleido (install chromium or set BROWSER_PATH)")


def build_db(path: Path, sources: list[Path]) -> Path:
    """A corpus at ``path`` with ``sources`` ingested (all must succeed)."""
    with Corpus.open(path) as corpus:
        results = corpus.ingest_paths(sources)
    assert all(r.status == "added" for r in results), [r.message for r in results]
    return path


def mixed_db(directory: Path) -> Path:
    """A corpus of the seed minutes and the hostile minutes in ``directory``."""
    return build_db(directory / "corpus.sqlite", [SEED, hostile_source(directory)])


def names_of(db: Path) -> frozenset[str]:
    """Every personal name of the corpus at ``db`` (speakers and presenters)."""
    with Corpus.open(db) as corpus:
        return corpus_names_of(corpus, corpus.load_statements())


def hostile_source(directory: Path) -> Path:
    """The hostile minutes written to ``directory``."""
    path = directory / "cio-forum-09_2024-05-20.txt"
    path.write_text(HOSTILE_MINUTES, encoding="utf-8")
    return path


def archive_text(data: bytes) -> str:
    """All text of a PPTX/XLSX (every XML part, entities decoded, tags removed) for searching."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                raw = archive.read(name).decode("utf-8")
                parts.append(html.unescape(re.sub(r"<[^>]+>", " ", raw)))
                parts.append(html.unescape(raw))
    return "\n".join(parts)


def found_names(text: str, names: set[str] | frozenset[str]) -> list[str]:
    """The names (spaces ignored) that occur in ``text``."""
    squeezed = re.sub(r"[\s\u3000]+", "", text)
    return sorted(n for n in names if n.replace(" ", "") and n.replace(" ", "") in squeezed)
