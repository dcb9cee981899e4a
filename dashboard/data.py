"""Where the corpus comes from, and cached access to it.

The loaded frames are cached per (database path, corpus version) with ``st.cache_resource``:
one shared, read-only copy (no pickling of a few hundred thousand token rows on every rerun);
every analysis function returns new frames, so nothing mutates them. Derived results (metrics
of a filtered view, searches) use ``st.cache_data`` keyed by the same version plus the filter
key, so moving a filter recomputes metrics and never re-reads or re-tokenizes the corpus.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analysis.store import DEFAULT_DB, Corpus, RederiveResult
from analysis.withholding import corpus_names_of, withhold_statements, withhold_tokens

ENV_DB = "GIJIROKU_DB"


@dataclass(frozen=True)
class CorpusFrames:
    """The whole corpus as loaded from one database at one version.

    ``withheld_names`` is non-empty in the copy made by :func:`withheld_corpus`: those names
    are withheld in its statements and tokens.
    """

    db: str
    version: str
    meetings: pd.DataFrame
    statements: pd.DataFrame
    tokens: pd.DataFrame
    withheld_names: frozenset[str] = field(default=frozenset())
    withheld: bool = False

    @property
    def empty(self) -> bool:
        return self.meetings.empty


def resolve_db_path(argv: Sequence[str] | None = None, environ: dict[str, str] | None = None) -> str:
    """``--db PATH`` from the script arguments, else $GIJIROKU_DB, else data/corpus.sqlite."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--db")
    args, _ = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    env = os.environ if environ is None else environ
    return str(Path(args.db or env.get(ENV_DB) or DEFAULT_DB))


def corpus_version(db: str) -> str:
    """The store's version string; changes on every write (the cache key)."""
    with Corpus.open(db) as corpus:
        return corpus.corpus_version()


@st.cache_data(show_spinner=False, max_entries=8)
def needs_rederive(db: str, version: str) -> bool:
    """Whether the corpus was derived by an older parser, dictionary or rule set."""
    with Corpus.open(db) as corpus:
        return corpus.needs_rederive()


def rederive(db: str, progress: Callable[[RederiveResult], None]) -> list[RederiveResult]:
    """Bring stale meetings up to date, reporting each finished meeting to ``progress``."""
    with Corpus.open(db) as corpus:
        return corpus.rederive(progress=progress)


@st.cache_resource(show_spinner="コーパスを読み込んでいます…", max_entries=4)
def load_corpus(db: str, version: str) -> CorpusFrames:
    """Meetings, statements and tokens of the corpus at ``version`` (shared, read-only)."""
    with Corpus.open(db) as corpus:
        return CorpusFrames(
            db=db,
            version=version,
            meetings=corpus.load_meetings(),
            statements=corpus.load_statements(),
            tokens=corpus.load_tokens(),
        )


@st.cache_data(show_spinner=False, max_entries=64)
def search(db: str, version: str, query: str, limit: int) -> pd.DataFrame:
    """Full-text search (FTS5 trigram) over the whole corpus."""
    with Corpus.open(db) as corpus:
        return corpus.search(query, limit)


@st.cache_data(show_spinner=False, max_entries=256)
def cached(_compute: Callable[..., Any], name: str, key: tuple, params: tuple) -> Any:
    """``_compute(**params)`` cached under (name, view key, params).

    ``key`` identifies the filtered view (database, corpus version, filters); ``name`` the
    computation. The callable itself is not hashed, so callers must use one ``name`` per
    computation.
    """
    return _compute(**dict(params))


@st.cache_data(show_spinner=False, max_entries=8)
def export_file(_build: Callable[[], bytes], name: str, key: tuple, params: tuple) -> bytes:
    """The bytes of a downloadable file, built by ``_build`` once per (name, view key, params).

    Meant for ``st.download_button`` data callables, which Streamlit runs only when the user
    clicks (outside the script run); a repeated download of the same view is served from here.
    Few entries: files of a large corpus are megabytes each.
    """
    return _build()


@st.cache_data(show_spinner=False, max_entries=8)
def corpus_names(db: str, version: str) -> frozenset[str]:
    """Every personal name of the corpus (speaker labels and agenda presenters)."""
    with Corpus.open(db) as corpus:
        return corpus_names_of(corpus, corpus.load_statements())


@st.cache_resource(show_spinner="個人名を伏せています…", max_entries=4)
def _withheld(db: str, version: str, _corpus: CorpusFrames) -> CorpusFrames:
    names = corpus_names(db, version)
    return replace(
        _corpus,
        statements=withhold_statements(_corpus.statements, names),
        tokens=withhold_tokens(_corpus.tokens, names),
        withheld_names=names,
        withheld=True,
    )


def withheld_corpus(corpus: CorpusFrames) -> CorpusFrames:
    """The corpus with personal names withheld in statements and tokens (shared, cached)."""
    if corpus.withheld:
        return corpus
    return _withheld(corpus.db, corpus.version, corpus)
