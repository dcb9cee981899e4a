"""SQLite corpus store: schema and migrations, transactional ingest, re-derivation, loaders."""

from analysis.store.corpus import (
    BUSY_MESSAGE,
    DEFAULT_DB,
    DUPLICATE_MESSAGE,
    Corpus,
    CorpusBusyError,
    IngestResult,
    RederiveResult,
    expand_paths,
)
from analysis.store.loaders import AGENDA_COLUMNS, SEARCH_COLUMNS

__all__ = [
    "AGENDA_COLUMNS",
    "BUSY_MESSAGE",
    "DEFAULT_DB",
    "DUPLICATE_MESSAGE",
    "SEARCH_COLUMNS",
    "Corpus",
    "CorpusBusyError",
    "IngestResult",
    "RederiveResult",
    "expand_paths",
]
