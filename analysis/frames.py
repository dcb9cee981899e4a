"""The DataFrame shapes that flow from the store to metrics and the dashboard.

The store's loaders return these frames; every function in ``analysis.metrics`` takes one or
more of them (already filtered by the caller) and returns a new DataFrame. Keeping the column
lists here lets tests build small frames by hand and lets each layer be read alone.
"""

from __future__ import annotations

import pandas as pd

#: One row per meeting (document).
MEETING_COLUMNS: list[str] = [
    "meeting_id",  # int, store primary key
    "title",  # str, e.g. 第4回東京都・区市町村CIOフォーラム
    "label",  # str, short display label, e.g. 第4回 (2023-02-14)
    "series",  # str | None
    "number",  # int | None
    "document_kind",  # str | None, 議事要旨 / 議事概要
    "date",  # str YYYY-MM-DD | None
    "start_time",  # str HH:MM | None
    "end_time",  # str HH:MM | None
    "venue",  # str | None
    "source_path",  # str, file name as ingested
    "sha256",  # str
    "format",  # str, txt/pdf/docx/html/md
    "encoding",  # str | None
    "ingested_at",  # str ISO timestamp
    "turns",  # int
    "statements",  # int
    "flagged",  # bool, the parse needs a person's check (no date, too many unattributed statements)
    "quality_warnings",  # tuple[str, ...], plain-Japanese findings of the parse (model.Quality)
    "attributed_share",  # float | None, share of statements with a known organization
    "meeting_seq",  # int, 0-based reading order (undated meetings placed by number; meeting_order)
]

#: One row per statement (the unit every metric counts).
STATEMENT_COLUMNS: list[str] = [
    "statement_id",  # int, store primary key
    "meeting_id",  # int
    "meeting_label",  # str, MEETING_COLUMNS.label
    "date",  # str YYYY-MM-DD | None
    "section_id",  # int | None, store key of the top-level section (都からの事業報告 …)
    "section_title",  # str, top-level section title, "" when none
    "subsection_title",  # str, sub-item title (* …), "" when none
    "turn_id",  # int, store key of the turn
    "turn_order",  # int, order of the turn within its meeting (1-based)
    "speaker",  # str, the speaker as one person (analysis.speaker_identity), e.g. 東京都CIO 副知事 宮坂 学
    "org_name",  # str, 足立区 / 東京都 / 国 / 不明 …
    "org_kind",  # str, one of model.ORG_KINDS
    "org_code",  # str | None, 5-digit 団体コード for municipalities
    "region",  # str | None, 区部 / 多摩 / 島しょ for municipalities
    "role",  # str, question / answer / remark
    "reply_to_turn_id",  # int | None, store key of the turn this turn answers
    "position",  # int, index of the statement within its turn (0-based)
    "text",  # str, original text as written (display)
    "norm_text",  # str, normalized text (matching / counting)
    "chars",  # int, len(norm_text)
    "topics",  # tuple[str, ...], topic labels; ("未分類",) when none match
    "meeting_seq",  # int, MEETING_COLUMNS.meeting_seq (sort key of reading order)
    "speaker_label",  # str, the speaker label as written in the minutes (宮坂副知事)
]

#: Japanese display names of statement columns (dashboard tables and exported tables).
COLUMN_LABELS: dict[str, str] = {
    "meeting_label": "会議",
    "date": "開催日",
    "section_title": "セクション",
    "subsection_title": "議題",
    "speaker": "発言者",
    "speaker_label": "発言者（表記どおり）",
    "org_name": "所属",
    "org_kind": "種別",
    "text": "発言",
    "topics": "トピック",
}

#: One row per kept token of a statement (content words after filters).
TOKEN_COLUMNS: list[str] = [
    "statement_id",  # int
    "term",  # str, counting form: base form, synonyms folded (GovTech東京, Azure …)
    "surface",  # str, as it appears in the normalized text
    "pos",  # str, top-level part of speech (名詞, 動詞, 形容詞 …)
]


def empty_frame(columns: list[str]) -> pd.DataFrame:
    """An empty DataFrame with the given columns (for empty corpora and tests)."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
