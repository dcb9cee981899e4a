"""A corpus that holds every kind of meeting a screen must cope with, for page walks.

The seed, the series editions of tests/fixtures/minutes/series/, one edition with its 日時 line
lost (undated), minutes whose statements mostly have no speaker (unattributed), and minutes
with a header and agenda but not one statement (empty). Shared by the browser walk and by the
manual ``python -m tests.walk_corpus DB`` used to look at the pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.store import Corpus

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
SERIES = ROOT / "tests" / "fixtures" / "minutes" / "series"
SERIES_FILES = [
    "cio-forum-01_web.txt",
    "cio-forum-02_web.txt",
    "cio-conference-03_web-list.txt",
    "cio-conference-05_web-dots.txt",
]
UNDATED_NAME = "cio-conference-04_undated.txt"
UNATTRIBUTED_NAME = "dx-renrakukai-06.txt"
EMPTY_NAME = "dx-renrakukai-07_agenda-only.txt"

#: Written for these tests: a liaison meeting whose remarks are listed without speakers.
MOSTLY_UNATTRIBUTED = """第6回 区市町村DX連絡会 議事要旨
日時：令和6年12月3日（火）10時から11時まで

【1．意見交換】
八王子市
・窓口のオンライン化の進め方を共有したい。
主な意見
・電子申請の様式を共通にしてほしい。
・研修の機会を増やしてほしい。
・小規模な団体への支援を手厚くしてほしい。
"""

#: Written for these tests: a notice with its header and agenda, and no proceedings at all.
AGENDA_ONLY = """第7回 区市町村DX連絡会 議事要旨
日時：令和7年3月4日（火）14時から15時まで
場所：オンライン開催

議事
1．開会
2．閉会
"""


def undated_text() -> str:
    """The 協議会 第4回 edition with its 日時 line lost, as when a page is copied without its header."""
    text = (SERIES / "cio-conference-04_web-paragraphs.txt").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith("日時"))


def build(db: Path) -> Path:
    """Ingest the walk corpus into ``db`` (idempotent) and return it."""
    with Corpus.open(db) as corpus:
        corpus.ingest_paths([SEED, *(SERIES / name for name in SERIES_FILES)])
        corpus.ingest_bytes(undated_text().encode("utf-8"), UNDATED_NAME)
        corpus.ingest_bytes(MOSTLY_UNATTRIBUTED.encode("utf-8"), UNATTRIBUTED_NAME)
        corpus.ingest_bytes(AGENDA_ONLY.encode("utf-8"), EMPTY_NAME, accept_non_minutes=True)
    return db


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
