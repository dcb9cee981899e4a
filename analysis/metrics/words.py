"""Word metrics: frequency lists, trends across meetings or sections, keyness, KWIC, collocates."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from typing import Literal

import numpy as np
import pandas as pd

from analysis.metrics._common import chronological, empty, explode_topics
from analysis.metrics.filters import term_pattern

KEYWORD_COLUMNS: list[str] = ["term", "count", "statements"]
TREND_COLUMNS: list[str] = ["date", "meeting", "term", "count", "per_1000_tokens", "unit"]
KEYNESS_COLUMNS: list[str] = [
    "term",
    "count_target",
    "count_rest",
    "expected",
    "log_likelihood",
    "chi2",
    "p_value",
    "tokens_target",
    "tokens_rest",
]
KWIC_COLUMNS: list[str] = [
    "statement_id",
    "meeting_id",
    "meeting_label",
    "date",
    "section_title",
    "speaker",
    "org_name",
    "left",
    "keyword",
    "right",
]
#: How KWIC lines can be ordered: reading order, by the words just before or just after the term.
KWIC_SORTS: tuple[str, ...] = ("order", "left", "right")
COLLOCATE_COLUMNS: list[str] = ["term", "cooccurrences", "count", "expected", "mi", "log_likelihood"]

#: Label of the section unit for statements outside any section.
NO_SECTION = "（見出しなし）"


def keyword_frequency(
    tokens: pd.DataFrame,
    top_n: int | None = 50,
    pos: Iterable[str] | None = ("名詞",),
    stopwords: set[str] | None = None,
) -> pd.DataFrame:
    """Most frequent terms: ``count`` (occurrences) and ``statements`` (document frequency).

    ``pos`` keeps only those parts of speech (None: all); ``stopwords`` removes terms;
    ``top_n`` None returns every term. Ties are broken by document frequency, then term.
    """
    if tokens.empty:
        return empty(KEYWORD_COLUMNS)
    kept = tokens
    if pos is not None:
        kept = kept[kept["pos"].isin(list(pos))]
    if stopwords:
        kept = kept[~kept["term"].isin(stopwords)]
    if kept.empty:
        return empty(KEYWORD_COLUMNS)
    counts = (
        kept.groupby("term")
        .agg(count=("statement_id", "size"), statements=("statement_id", "nunique"))
        .reset_index()
        .sort_values(["count", "statements", "term"], ascending=[False, False, True], kind="stable")
    )
    if top_n is not None:
        counts = counts.head(top_n)
    return counts[KEYWORD_COLUMNS].reset_index(drop=True)


def _trend_units(statements: pd.DataFrame, unit: str) -> tuple[pd.Series, pd.DataFrame]:
    """The unit key of each statement, and the units in display order with their date/label."""
    ordered = chronological(statements)
    if unit == "meeting":
        key = ordered["meeting_id"]
        units = ordered.drop_duplicates("meeting_id")[["meeting_id", "date", "meeting_label"]]
        units = units.rename(columns={"meeting_id": "key", "meeting_label": "meeting"})
    else:
        key = ordered["section_title"].astype(object).fillna("").replace("", NO_SECTION)
        units = ordered.assign(key=key).drop_duplicates("key")[["key", "date"]]
        units["meeting"] = units["key"]
    return pd.Series(key.to_numpy(), index=ordered["statement_id"].to_numpy()), units.reset_index(drop=True)


def keyword_trends(
    statements: pd.DataFrame,
    tokens: pd.DataFrame,
    terms: list[str],
    *,
    unit: Literal["auto", "meeting", "section"] = "auto",
) -> pd.DataFrame:
    """Occurrences of ``terms`` per meeting (in date order) or, within one meeting, per section.

    With unit="auto", statements spanning several meetings give one row per (meeting, term):
    date = meeting date, meeting = meeting_label, unit = "meeting". Statements of a single
    meeting give one row per (section, term) in reading order: date = that meeting's date,
    meeting = section_title (（見出しなし） when empty), unit = "section". ``unit`` may force
    either. Terms absent from a unit appear with count 0. per_1000_tokens = count / all tokens
    of that unit's statements * 1000 (0 when the unit has no tokens).
    Columns: date, meeting, term, count, per_1000_tokens, unit.
    """
    wanted = list(dict.fromkeys(t for t in terms if t))
    if statements.empty or not wanted:
        return empty(TREND_COLUMNS)
    if unit == "auto":
        unit = "meeting" if statements["meeting_id"].nunique() > 1 else "section"
    if unit not in ("meeting", "section"):
        raise ValueError(f"unit must be auto, meeting or section, not {unit!r}")
    key_of, units = _trend_units(statements, unit)
    tok = tokens.reindex(columns=["statement_id", "term"])
    tok = tok[tok["statement_id"].isin(key_of.index)]
    tok = tok.assign(key=tok["statement_id"].map(key_of))
    totals = tok.groupby("key").size()
    counts = tok[tok["term"].isin(wanted)].groupby(["key", "term"]).size()
    grid = pd.MultiIndex.from_product([units["key"], wanted], names=["key", "term"])
    out = counts.reindex(grid, fill_value=0).astype("int64").reset_index(name="count")
    out = out.merge(units, on="key", how="left")
    total = out["key"].map(totals).fillna(0).astype("float64")
    out["per_1000_tokens"] = (out["count"] / total.replace(0, np.nan) * 1000).fillna(0.0)
    out["unit"] = unit
    return out[TREND_COLUMNS]


def _membership(statements: pd.DataFrame, group_col: str, group_value: Hashable | list) -> pd.Series:
    """statement_id of the statements in the target group (topics match by label)."""
    values = list(group_value) if isinstance(group_value, list | tuple | set) else [group_value]
    if group_col == "topics":
        exploded = explode_topics(statements)
        return exploded.loc[exploded["topic"].isin(values), "statement_id"]
    return statements.loc[statements[group_col].isin(values), "statement_id"]


def keyness(
    statements: pd.DataFrame,
    tokens: pd.DataFrame,
    group_col: str,
    group_value: Hashable | list,
    top_n: int | None = 30,
    min_count: int = 2,
    *,
    pos: Iterable[str] | None = None,
    over_only: bool = True,
) -> pd.DataFrame:
    """Words characterizing one group of statements against all the other statements.

    The target is the statements whose ``group_col`` equals ``group_value`` (a list means any
    of them; group_col="topics" matches a topic label). For each term with at least
    ``min_count`` occurrences overall: Dunning's log-likelihood G2 of the 2x2 table (term vs
    other tokens, target vs rest), signed positive when the term is over-used in the target
    (count_target > expected), Pearson chi2 of the same table, and the p-value of G2 with one
    degree of freedom. ``over_only`` keeps only over-used terms (the usual keyword list);
    pass False to also see under-used ones. Sorted by signed G2, descending. A group with no
    statements, or no rest (every statement in the group), gives an empty frame.
    """
    if statements.empty or tokens.empty:
        return empty(KEYNESS_COLUMNS)
    target_ids = _membership(statements, group_col, group_value)
    tok = tokens[tokens["statement_id"].isin(statements["statement_id"])]
    if pos is not None:
        tok = tok[tok["pos"].isin(list(pos))]
    in_target = tok["statement_id"].isin(target_ids)
    tokens_target = int(in_target.sum())
    tokens_rest = int(len(tok) - tokens_target)
    if tokens_target == 0 or tokens_rest == 0:
        return empty(KEYNESS_COLUMNS)
    table = pd.crosstab(tok["term"], in_target.rename("target")).reindex(columns=[True, False], fill_value=0)
    a = table[True].to_numpy(dtype="float64")
    b = table[False].to_numpy(dtype="float64")
    keep = (a + b) >= min_count
    a, b, terms = a[keep], b[keep], table.index[keep]
    n = float(tokens_target + tokens_rest)
    expected_target = tokens_target * (a + b) / n
    expected_rest = tokens_rest * (a + b) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * (
            np.where(a > 0, a * np.log(a / expected_target), 0.0)
            + np.where(b > 0, b * np.log(b / expected_rest), 0.0)
        )
        other_target, other_rest = tokens_target - a, tokens_rest - b
        denominator = (a + b) * (other_target + other_rest) * tokens_target * tokens_rest
        chi2 = np.where(denominator > 0, n * (a * other_rest - b * other_target) ** 2 / denominator, 0.0)
    g2 = np.clip(g2, 0.0, None)
    out = pd.DataFrame(
        {
            "term": terms,
            "count_target": a.astype("int64"),
            "count_rest": b.astype("int64"),
            "expected": expected_target,
            "log_likelihood": np.where(a >= expected_target, g2, -g2),
            "chi2": chi2,
            "tokens_target": tokens_target,
            "tokens_rest": tokens_rest,
        }
    )
    if over_only:
        out = out[out["log_likelihood"] > 0]
    out = out.sort_values(["log_likelihood", "term"], ascending=[False, True], kind="stable")
    if top_n is not None:
        out = out.head(top_n)
    out["p_value"] = [math.erfc(math.sqrt(abs(v) / 2)) for v in out["log_likelihood"]]
    return out[KEYNESS_COLUMNS].reset_index(drop=True)


def kwic(statements: pd.DataFrame, term: str, width: int = 20, *, ellipsis: str = "") -> pd.DataFrame:
    """Keyword in context: every occurrence of ``term`` in ``norm_text``, in reading order.

    The term is NFKC-normalized and matched literally, case-insensitively for Latin letters;
    ``keyword`` is the text as found, ``left``/``right`` up to ``width`` characters around it,
    always cut on the side away from the keyword. A non-empty ``ellipsis`` is put where a
    context was cut (start of ``left``, end of ``right``) so a reader sees the statement goes on.
    """
    pattern = term_pattern(term)
    if statements.empty or pattern is None:
        return empty(KWIC_COLUMNS)
    texts = statements["norm_text"].astype(object).fillna("")
    hits = chronological(statements[texts.str.contains(pattern, na=False)])
    if hits.empty:
        return empty(KWIC_COLUMNS)
    spans = [
        (i, m.start(), m.end()) for i, text in enumerate(hits["norm_text"]) for m in pattern.finditer(text)
    ]
    rows, starts, ends = (np.array(v, dtype="int64") for v in zip(*spans, strict=True))
    out = hits.iloc[rows][KWIC_COLUMNS[:7]].reset_index(drop=True)
    texts = hits["norm_text"].to_numpy()[rows]
    out["left"] = [
        (ellipsis if s > width else "") + t[max(0, s - width) : s] for t, s in zip(texts, starts, strict=True)
    ]
    out["keyword"] = [t[s:e] for t, s, e in zip(texts, starts, ends, strict=True)]
    out["right"] = [
        t[e : e + width] + (ellipsis if len(t) > e + width else "") for t, e in zip(texts, ends, strict=True)
    ]
    return out[KWIC_COLUMNS]


def sort_kwic(lines: pd.DataFrame, by: str = "order", *, ellipsis: str = "") -> pd.DataFrame:
    """KWIC lines (:func:`kwic` output) ordered for reading a concordance.

    ``by="order"`` keeps reading order; ``"left"`` sorts by the text just before the keyword,
    read backwards from it (so lines with the same preceding word come together); ``"right"``
    by the text just after it. Ties keep reading order. ``ellipsis`` is the cut marker used
    when the lines were made, ignored when sorting.
    """
    if by not in KWIC_SORTS:
        raise ValueError(f"by must be one of {', '.join(KWIC_SORTS)}, not {by!r}")
    if by == "order" or lines.empty:
        return lines.reset_index(drop=True)

    def strip(text: object) -> str:
        value = str(text) if isinstance(text, str) else ""
        if ellipsis:
            value = value.removeprefix(ellipsis).removesuffix(ellipsis)
        return value

    key = lines["left"].map(lambda v: strip(v)[::-1]) if by == "left" else lines["right"].map(strip)
    order = np.argsort(key.to_numpy(dtype=object).astype(str), kind="stable")
    return lines.iloc[order].reset_index(drop=True)


def _token_spans(text: str, surfaces: Iterable[str]) -> list[tuple[int, int]]:
    """Character span of each token in ``text`` (tokens are in order; (-1, -1) when not found)."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for surface in surfaces:
        found = text.find(surface, cursor) if surface else -1
        if found < 0:
            spans.append((-1, -1))
            continue
        spans.append((found, found + len(surface)))
        cursor = found + len(surface)
    return spans


def _window_tokens(spans: list[tuple[int, int]], matches: list[tuple[int, int]], window: int) -> set[int]:
    """Indices of the tokens within ``window`` tokens of any match, the matched tokens excluded."""
    placed = [i for i, (start, _) in enumerate(spans) if start >= 0]
    node = {i for i in placed for ms, me in matches if spans[i][0] < me and spans[i][1] > ms}
    picked: set[int] = set()
    for ms, me in matches:
        before = [i for i in placed if spans[i][1] <= ms and i not in node]
        after = [i for i in placed if spans[i][0] >= me and i not in node]
        picked.update(before[-window:])
        picked.update(after[:window])
    return picked - node


def collocates(
    statements: pd.DataFrame,
    tokens: pd.DataFrame,
    term: str,
    window: int = 5,
    *,
    min_count: int = 1,
    top_n: int | None = 30,
    pos: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Words that occur near ``term`` more often than chance, with MI and log-likelihood.

    ``term`` is found in ``norm_text`` as :func:`kwic` finds it (so a phrase or a part of a
    word works too); tokens of the tokens frame (janome, kept content words, optionally only
    ``pos``) are placed in the text, and those within ``window`` tokens left or right of an
    occurrence — not the tokens of the occurrence itself — are its collocates, each position
    counted once. For a collocate c: ``cooccurrences`` O = its tokens in the windows, ``count``
    f = its tokens in all the given statements, ``expected`` E = f * W / N (W window tokens,
    N tokens), ``mi`` = log2(O / E) and ``log_likelihood`` = Dunning's G2 of the 2x2 table
    (in a window or not, c or not). Only attracted words (O > E) with O >= ``min_count`` are
    kept, sorted by G2 then O. Columns: term, cooccurrences, count, expected, mi, log_likelihood.
    """
    pattern = term_pattern(term)
    if pattern is None or statements.empty or tokens.empty or window < 1:
        return empty(COLLOCATE_COLUMNS)
    tok = tokens[tokens["statement_id"].isin(statements["statement_id"])]
    if pos is not None:
        tok = tok[tok["pos"].isin(list(pos))]
    if tok.empty:
        return empty(COLLOCATE_COLUMNS)
    texts = statements["norm_text"].astype(object).fillna("")
    hits = statements.loc[texts.str.contains(pattern, na=False), ["statement_id", "norm_text"]]
    hit_tok = tok[tok["statement_id"].isin(hits["statement_id"])]
    surfaces = hit_tok["surface"].astype(object).fillna("").to_numpy()
    terms = hit_tok["term"].to_numpy()
    rows = hit_tok.groupby("statement_id", sort=False).indices
    near: list[str] = []
    for sid, text in zip(hits["statement_id"], hits["norm_text"], strict=True):
        positions = rows.get(sid)
        if positions is None:
            continue
        matches = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
        spans = _token_spans(text, surfaces[positions])
        near.extend(terms[positions[i]] for i in sorted(_window_tokens(spans, matches, window)))
    if not near:
        return empty(COLLOCATE_COLUMNS)
    observed = pd.Series(near).value_counts()
    frequency = tok["term"].value_counts().reindex(observed.index).to_numpy(dtype="float64")
    o = observed.to_numpy(dtype="float64")
    n, w = float(len(tok)), float(len(near))
    expected = frequency * w / n
    cells = np.stack([o, frequency - o, w - o, n - w - frequency + o])
    margins_row = np.stack([frequency, frequency, n - frequency, n - frequency])
    margins_col = np.stack([np.full_like(o, w), np.full_like(o, n - w)] * 2)
    expected_cells = margins_row * margins_col / n
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * np.where(cells > 0, cells * np.log(cells / expected_cells), 0.0).sum(axis=0)
        mi = np.log2(o / expected)
    out = pd.DataFrame(
        {
            "term": observed.index.astype(object),
            "cooccurrences": o.astype("int64"),
            "count": frequency.astype("int64"),
            "expected": expected,
            "mi": mi,
            "log_likelihood": np.clip(g2, 0.0, None),
        }
    )
    out = out[(out["cooccurrences"] > out["expected"]) & (out["cooccurrences"] >= min_count)]
    out = out.sort_values(
        ["log_likelihood", "cooccurrences", "term"], ascending=[False, False, True], kind="stable"
    )
    if top_n is not None:
        out = out.head(top_n)
    return out[COLLOCATE_COLUMNS].reset_index(drop=True)
