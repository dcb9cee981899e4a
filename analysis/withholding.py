"""Personal names withheld across a corpus (個人名を伏せる): which names, and the frames without them.

Names come from every speaker label and every agenda presenter of the corpus (not only of the
current filter: a statement of 足立区 may mention 宮坂副知事). :func:`withhold_statements`
replaces them by role or organization in the text columns (``analysis.names.withhold``) and
:func:`withhold_tokens` drops tokens that spell a name, so keyword counts, KWIC, charts and
exports built from the returned frames carry no personal name.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.names import collect_names, withhold
from analysis.store import Corpus

#: Statement columns that can carry a name (display text, matching text, labels, headings).
TEXT_COLUMNS: tuple[str, ...] = (
    "speaker",
    "speaker_label",
    "text",
    "norm_text",
    "section_title",
    "subsection_title",
)


def load_presenters(corpus: Corpus) -> list[str]:
    """Every agenda presenter of the corpus as written ("デジタル庁参事官 渡邊 繁樹 氏"), in order."""
    return [p for presenters in corpus.load_agenda()["presenters"] for p in presenters]


def corpus_names(speakers: Iterable[str], presenters: Iterable[str]) -> frozenset[str]:
    """The personal names in the speaker labels and presenters (``analysis.names.collect_names``)."""
    labels = {str(s) for s in speakers if isinstance(s, str) and s} | {str(p) for p in presenters if p}
    return frozenset(collect_names(sorted(labels)))


def withhold_statements(statements: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """A copy of ``statements`` with ``names`` withheld in :data:`TEXT_COLUMNS`."""
    wanted = set(names)
    if not wanted or statements.empty:
        return statements.copy()
    out = statements.copy()
    for column in TEXT_COLUMNS:
        if column not in out.columns:
            continue
        values = out[column].astype(object)
        unique = {v: withhold(v, wanted) for v in dict.fromkeys(values) if isinstance(v, str)}
        out[column] = pd.Series(
            [unique.get(v, v) if isinstance(v, str) else v for v in values], index=out.index, dtype=object
        )
    return out


def withhold_tokens(tokens: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """``tokens`` without the rows whose term or surface contains one of ``names``."""
    wanted = set(names)
    if not wanted or tokens.empty:
        return tokens.copy()
    spelled = {
        value
        for column in ("term", "surface")
        for value in tokens[column].dropna().unique()
        if isinstance(value, str) and withhold(value, wanted) != value
    }
    keep = ~(tokens["term"].isin(spelled) | tokens["surface"].isin(spelled))
    return tokens[keep].reset_index(drop=True)


def corpus_names_of(corpus: Corpus, statements: pd.DataFrame) -> frozenset[str]:
    """The names of a whole corpus: speakers of ``statements`` (its loaded statements, both the
    merged speaker and the label as written) and presenters."""
    if statements.empty:
        return corpus_names([], load_presenters(corpus))
    labels = statements["speaker_label"] if "speaker_label" in statements.columns else []
    return corpus_names(
        [*dict.fromkeys(statements["speaker"]), *dict.fromkeys(labels)], load_presenters(corpus)
    )
