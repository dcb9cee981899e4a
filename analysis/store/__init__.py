"""SQLite corpus store: schema and migrations, transactional ingest, re-derivation, loaders."""

from analysis.store.corpus import (
    DEFAULT_DB,
    DUPLICATE_MESSAGE,
    Corpus,
    IngestResult,
    RederiveResult,
    expand_paths,
)
from analysis.store.loaders import SEARCH_COLUMNS

__all__ = [
    "DEFAULT_DB",
    "DUPLICATE_MESSAGE",
    "SEARCH_COLUMNS",
    "Corpus",
    "IngestResult",
    "RederiveResult",
    "expand_paths",
]
