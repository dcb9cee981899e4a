"""The corpus store: ingest (transactional, deduplicated by sha256), re-derivation, deletion, loads.

Design choices:

* One document = one ``BEGIN IMMEDIATE … COMMIT`` transaction. Reading, parsing, normalizing,
  tokenizing and classifying all happen before it, so the write lock is held only for inserts and
  a failure (or a killed process) never leaves half a meeting.
* Meetings record the parser, tokenizer and topic-rules versions that derived them. When the code
  moves on, :meth:`Corpus.needs_rederive` says so; :meth:`Corpus.rederive` re-parses from the
  stored source bytes (parser change), re-tokenizes (tokenizer/dictionary change) or only
  re-classifies (rules change), keeping document and meeting ids. Opening and loading never
  re-derive implicitly (loads stay fast and read-only); the CLI and the dashboard call
  ``rederive`` when ``needs_rederive`` is true. ``meta`` holds the versions of the last
  completely current corpus and a generation counter behind :meth:`Corpus.corpus_version`.
* Tokens are stored packed, one row per statement (see ``schema.py``): loading 260k tokens takes
  about a third of the time of one-row-per-token.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import pandas as pd

from analysis import minutes
from analysis.model import Organization, ParsedDocument, Quality
from analysis.orgs import label_key
from analysis.sources import SourceError, SourceText, display_name, read_bytes, read_source
from analysis.store import identities, loaders, writer
from analysis.store.corrections import MeetingOverrides
from analysis.store.pipeline import (
    Job,
    TokenTuple,
    Versions,
    current_versions,
    normalize_statements,
    run_jobs,
)
from analysis.store.schema import connect

PROJECT_ROOT = Path(__file__).resolve().parents[2]
#: The default corpus file (git-ignored), independent of the working directory.
DEFAULT_DB = PROJECT_ROOT / "data" / "corpus.sqlite"
#: File suffixes picked up when a directory is given to ``ingest_paths``.
SOURCE_SUFFIXES: frozenset[str] = frozenset({".txt", ".pdf", ".docx", ".html", ".htm", ".md", ".markdown"})
DUPLICATE_MESSAGE = "既に取り込み済みです"
BUSY_MESSAGE = "コーパスは他の処理が書き込み中です。しばらく待ってからもう一度お試しください"


class CorpusBusyError(sqlite3.OperationalError):
    """Another process held the corpus's write lock for longer than the busy timeout."""

    def __str__(self) -> str:
        return BUSY_MESSAGE


def _write_failure(label: str, exc: sqlite3.Error) -> str:
    if isinstance(exc, CorpusBusyError):
        return f"{label}: {BUSY_MESSAGE}"
    return f"{label}: コーパスへの書き込みに失敗しました ({exc})"


@dataclass
class IngestResult:
    """Outcome of ingesting one file: ``status`` is "added", "duplicate" or "error"."""

    path: str
    status: str
    message: str
    meeting_id: int | None = None
    title: str | None = None
    date: str | None = None
    turns: int = 0
    statements: int = 0
    quality: Quality | None = None


@dataclass
class RederiveResult:
    """Outcome of re-deriving one meeting; ``scope`` is "parse", "tokens" or "topics"."""

    meeting_id: int
    scope: str
    status: str
    message: str


def expand_paths(paths: Sequence[Path | str]) -> list[Path]:
    """Files to ingest: files as given, directories expanded (recursively, sorted, no hidden files)."""
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SOURCE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return files


def _summary(doc: ParsedDocument) -> str:
    m = doc.meeting
    head = " ".join(x for x in (m.title, m.date) if x)
    return f"{head}, {len(doc.turns)}発言ターン, {doc.statement_count}発言"


def _statement_texts(doc: ParsedDocument) -> list[str]:
    return [text for turn in doc.turns for text in turn.statements]


class Corpus:
    """One SQLite corpus file. Use :meth:`open`; usable as a context manager."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, db_path: Path | str = DEFAULT_DB) -> Corpus:
        """Open (creating and migrating if needed) the corpus at ``db_path``."""
        path = Path(db_path)
        return cls(connect(path), path)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            writer.begin(self.conn)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise CorpusBusyError(str(exc)) from exc
            raise
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # ingest ---------------------------------------------------------------------------------

    def ingest_paths(
        self,
        paths: Sequence[Path | str],
        workers: int = 1,
        progress: Callable[[IngestResult], None] | None = None,
        accept_non_minutes: bool = False,
    ) -> list[IngestResult]:
        """Ingest files and directories; one result per file, in the order of the files.

        Unreadable files, and texts with no meeting structure at all (unless
        ``accept_non_minutes``), become "error" results without stopping the others;
        ``progress`` is called with each result as soon as it is known.
        """
        files = expand_paths(paths)
        return self._ingest(
            [(str(p), lambda p=p: self._read_file(p)) for p in files],
            workers,
            progress,
            accept_non_minutes=accept_non_minutes,
        )

    def ingest_bytes(
        self,
        data: bytes,
        name: str,
        overrides: MeetingOverrides | None = None,
        mappings: Mapping[str, Organization] | None = None,
        accept_non_minutes: bool = False,
    ) -> IngestResult:
        """Ingest an uploaded document given as bytes (``name`` is a label, never opened).

        ``overrides`` correct the parsed metadata and are kept with the document; ``mappings``
        (speaker label -> organization) are saved in the same transaction and used for this and
        every later document. Other stored meetings with a newly mapped label are marked for
        re-derivation. A text with no meeting structure is refused unless ``accept_non_minutes``
        (the person confirmed it).
        """
        label = display_name(name)
        return self._ingest(
            [(label, lambda: (read_bytes(data, name), data))],
            1,
            None,
            overrides,
            dict(mappings or {}),
            accept_non_minutes=accept_non_minutes,
        )[0]

    @staticmethod
    def _read_file(path: Path) -> tuple[SourceText, bytes]:
        src = read_source(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SourceError(
                str(path), f"ファイルを読めません ({exc.strerror or type(exc).__name__})"
            ) from exc
        if hashlib.sha256(raw).hexdigest() != src.sha256:
            raise SourceError(str(path), "読み込み中にファイルが変更されました")
        return src, raw

    def _ingest(
        self,
        items: list[tuple[str, Callable[[], tuple[SourceText, bytes]]]],
        workers: int,
        progress: Callable[[IngestResult], None] | None,
        overrides: MeetingOverrides | None = None,
        new_mappings: dict[str, Organization] | None = None,
        accept_non_minutes: bool = False,
    ) -> list[IngestResult]:
        versions = current_versions()
        new_mappings = new_mappings or {}
        org_overrides = self.speaker_mappings() | {label_key(k): v for k, v in new_mappings.items()}
        overrides = overrides or MeetingOverrides()
        results: list[IngestResult | None] = [None] * len(items)

        def report(index: int, result: IngestResult) -> IngestResult:
            results[index] = result
            if progress is not None:
                progress(result)
            return result

        def jobs() -> Iterator[Job[IngestResult]]:
            seen: set[str] = set()
            for index, (label, load) in enumerate(items):
                try:
                    src, raw = load()
                    sha = hashlib.sha256(raw).hexdigest()
                    existing = writer.document_id_for(self.conn, sha)
                    if existing is not None or sha in seen:
                        report(index, IngestResult(label, "duplicate", DUPLICATE_MESSAGE, existing))
                        continue
                    seen.add(sha)
                    doc = overrides.apply(minutes.parse_source(src, org_overrides))
                    if not doc.quality.is_minutes and not accept_non_minutes:
                        raise minutes.NotMinutesError(doc)
                except minutes.NotMinutesError:
                    report(index, IngestResult(label, "error", f"{label}: {minutes.NOT_MINUTES_MESSAGE}"))
                    continue
                except SourceError as exc:
                    report(index, IngestResult(label, "error", str(exc)))
                    continue
                except Exception as exc:  # a parser bug must not stop the other files
                    message = f"{label}: 解析に失敗しました ({type(exc).__name__}: {exc})"
                    report(index, IngestResult(label, "error", message))
                    continue
                norm = normalize_statements(_statement_texts(doc))
                yield Job(
                    norm,
                    finish=lambda toks, labels, i=index, lb=label, s=src, r=raw, sh=sha, d=doc, n=norm: (
                        report(
                            i,
                            self._write_new(
                                lb, s, r, sh, d, n, toks, labels, versions, overrides, new_mappings
                            ),
                        )
                    ),
                    fail=lambda message, i=index, lb=label: report(
                        i, IngestResult(lb, "error", f"{lb}: {message}")
                    ),
                )

        for _ in run_jobs(jobs(), workers if len(items) > 1 else 1):
            pass
        return [r for r in results if r is not None]

    def _write_new(
        self,
        label: str,
        src: SourceText,
        raw: bytes,
        sha: str,
        doc: ParsedDocument,
        norm: list[str],
        toks: list[list[TokenTuple]],
        labels: list[tuple[str, ...]],
        versions: Versions,
        overrides: MeetingOverrides,
        new_mappings: dict[str, Organization],
    ) -> IngestResult:
        try:
            with self._transaction():
                existing = writer.document_id_for(self.conn, sha)
                if existing is not None:
                    return IngestResult(label, "duplicate", DUPLICATE_MESSAGE, existing)
                meeting_id = writer.insert_document(
                    self.conn,
                    sha256=sha,
                    name=src.path,
                    fmt=src.format,
                    encoding=src.encoding,
                    raw=raw,
                    text=src.text,
                    overrides=overrides.to_json(),
                )
                writer.upsert_meeting(self.conn, meeting_id, doc, versions)
                writer.insert_meeting_content(self.conn, meeting_id, doc, norm, toks, labels)
                changed = writer.upsert_mappings(self.conn, new_mappings)
                writer.mark_speakers_stale(self.conn, changed, except_meeting=meeting_id)
                writer.bump_generation(self.conn, versions)
        except sqlite3.Error as exc:
            return IngestResult(label, "error", _write_failure(label, exc))
        m = doc.meeting
        return IngestResult(
            label,
            "added",
            _summary(doc),
            meeting_id,
            m.title,
            m.date,
            len(doc.turns),
            doc.statement_count,
            doc.quality,
        )

    # re-derivation --------------------------------------------------------------------------

    def _stale(self, versions: Versions) -> list[tuple[int, str]]:
        rows = self.conn.execute(
            "SELECT id, parser_version, tokenizer_version, rules_version FROM meetings ORDER BY id"
        ).fetchall()
        stale = []
        for mid, parser, tokenizer, rules in rows:
            if parser != versions.parser:
                stale.append((mid, "parse"))
            elif tokenizer != versions.tokenizer:
                stale.append((mid, "tokens"))
            elif rules != versions.rules:
                stale.append((mid, "topics"))
        return stale

    def needs_rederive(self) -> bool:
        """True when some meeting was derived by another parser, tokenizer or rules version."""
        return bool(self._stale(current_versions()))

    def pending_rederive(self) -> int:
        """How many meetings the next :meth:`rederive` will process."""
        return len(self._stale(current_versions()))

    def invalidate(self) -> int:
        """Mark every meeting for a full re-derivation (re-parse, re-tokenize, re-classify).

        For a person who changed a dictionary or rule file and wants to be sure; returns the
        number of meetings marked.
        """
        with self._transaction():
            marked = self.conn.execute(
                "UPDATE meetings SET parser_version = ?", (writer.MAPPING_STALE,)
            ).rowcount
            writer.bump_generation(self.conn, current_versions())
        return marked

    def rederive(
        self, progress: Callable[[RederiveResult], None] | None = None, workers: int = 1
    ) -> list[RederiveResult]:
        """Bring every stale meeting up to the current versions, one transaction per meeting.

        Parser changes re-parse the stored source bytes (statement ids change, document and
        meeting ids stay); tokenizer changes re-tokenize (and re-normalize) the statements;
        rules changes re-classify only. A meeting that fails keeps its old rows.
        """
        versions = current_versions()
        results: list[RederiveResult] = []
        org_overrides = self.speaker_mappings()

        def report(result: RederiveResult) -> RederiveResult:
            results.append(result)
            if progress is not None:
                progress(result)
            return result

        jobs: list[Job[RederiveResult]] = []
        for mid, scope in self._stale(versions):
            try:
                jobs.append(self._rederive_job(mid, scope, versions, report, org_overrides))
            except SourceError as exc:
                report(RederiveResult(mid, scope, "error", str(exc)))
            except Exception as exc:  # a parser bug must not stop the other meetings
                report(RederiveResult(mid, scope, "error", f"{type(exc).__name__}: {exc}"))
        for _ in run_jobs(jobs, workers if len(jobs) > 1 else 1):
            pass
        return results

    def _rederive_job(
        self,
        mid: int,
        scope: str,
        versions: Versions,
        report: Callable[[RederiveResult], RederiveResult],
        org_overrides: dict[str, Organization],
    ) -> Job[RederiveResult]:
        def fail(message: str) -> RederiveResult:
            return report(RederiveResult(mid, scope, "error", message))

        if scope == "parse":
            name, raw, stored = self.conn.execute(
                "SELECT name, raw, overrides FROM documents WHERE id = ?", (mid,)
            ).fetchone()
            src = read_bytes(raw, name)
            doc = MeetingOverrides.from_json(stored).apply(minutes.parse_source(src, org_overrides))
            norm = normalize_statements(_statement_texts(doc))

            def write_parse(toks: list[list[TokenTuple]], labels: list[tuple[str, ...]]) -> RederiveResult:
                writer.delete_meeting_content(self.conn, mid)
                self.conn.execute(
                    "UPDATE documents SET format = ?, encoding = ?, text = ? WHERE id = ?",
                    (src.format, src.encoding, src.text, mid),
                )
                writer.upsert_meeting(self.conn, mid, doc, versions)
                writer.insert_meeting_content(self.conn, mid, doc, norm, toks, labels)
                return RederiveResult(mid, scope, "rederived", _summary(doc))

            return Job(
                norm, finish=self._rederive_finish(mid, versions, write_parse, report, fail), fail=fail
            )

        rows = self.conn.execute(
            "SELECT s.id, s.text, s.norm_text, st.terms, st.surfaces, st.pos, st.n FROM statements s"
            " JOIN turns t ON t.id = s.turn_id LEFT JOIN statement_tokens st ON st.statement_id = s.id"
            ' WHERE t.meeting_id = ? ORDER BY t."order", s.position',
            (mid,),
        ).fetchall()
        ids = [r[0] for r in rows]
        if scope == "tokens":
            norm = normalize_statements(r[1] for r in rows)
            old_norm = [r[2] for r in rows]

            def write_tokens(toks: list[list[TokenTuple]], labels: list[tuple[str, ...]]) -> RederiveResult:
                changed = [
                    (n, len(n), sid) for sid, n, old in zip(ids, norm, old_norm, strict=True) if n != old
                ]
                self.conn.executemany("UPDATE statements SET norm_text = ?, chars = ? WHERE id = ?", changed)
                self._clear_derived(mid)
                writer.insert_tokens(self.conn, ids, toks)
                writer.insert_topics(self.conn, ids, labels)
                return RederiveResult(mid, scope, "rederived", f"{len(ids)}発言を再解析しました")

            return Job(
                norm, finish=self._rederive_finish(mid, versions, write_tokens, report, fail), fail=fail
            )

        norm = [r[2] for r in rows]
        toks = [
            list(zip(terms.split(writer.SEP), surfaces.split(writer.SEP), pos.split(writer.SEP), strict=True))
            if n
            else []
            for _, _, _, terms, surfaces, pos, n in rows
        ]

        def write_topics(toks: list[list[TokenTuple]], labels: list[tuple[str, ...]]) -> RederiveResult:
            self.conn.execute(
                "DELETE FROM statement_topics WHERE statement_id IN"
                " (SELECT s.id FROM statements s JOIN turns t ON t.id = s.turn_id WHERE t.meeting_id = ?)",
                (mid,),
            )
            writer.insert_topics(self.conn, ids, labels)
            return RederiveResult(mid, scope, "rederived", f"{len(ids)}発言の話題を再分類しました")

        return Job(
            norm,
            finish=self._rederive_finish(mid, versions, write_topics, report, fail),
            fail=fail,
            tokens=toks,
        )

    def _clear_derived(self, mid: int) -> None:
        for table in ("statement_tokens", "statement_topics"):
            self.conn.execute(
                f"DELETE FROM {table} WHERE statement_id IN"
                " (SELECT s.id FROM statements s JOIN turns t ON t.id = s.turn_id WHERE t.meeting_id = ?)",
                (mid,),
            )

    def _rederive_finish(
        self,
        mid: int,
        versions: Versions,
        write: Callable[[list[list[TokenTuple]], list[tuple[str, ...]]], RederiveResult],
        report: Callable[[RederiveResult], RederiveResult],
        fail: Callable[[str], RederiveResult],
    ) -> Callable[[list[list[TokenTuple]], list[tuple[str, ...]]], RederiveResult]:
        """Wrap a re-derivation write in its transaction, skipping meetings changed meanwhile."""

        def finish(toks: list[list[TokenTuple]], labels: list[tuple[str, ...]]) -> RederiveResult:
            try:
                with self._transaction():
                    row = self.conn.execute(
                        "SELECT parser_version, tokenizer_version, rules_version FROM meetings WHERE id = ?",
                        (mid,),
                    ).fetchone()
                    if row is None or Versions(*row) == versions:
                        return report(RederiveResult(mid, "none", "skipped", "既に最新か削除済みです"))
                    result = write(toks, labels)
                    writer.set_meeting_versions(self.conn, mid, versions)
                    writer.bump_generation(self.conn, versions)
            except CorpusBusyError:
                return fail(BUSY_MESSAGE)
            except sqlite3.Error as exc:
                return fail(f"コーパスへの書き込みに失敗しました ({exc})")
            return report(result)

        return finish

    # deletion and versions ------------------------------------------------------------------

    def delete_meeting(self, meeting_id: int) -> bool:
        """Delete a meeting, its source document and everything derived from it; False if absent."""
        with self._transaction():
            deleted = self.conn.execute("DELETE FROM documents WHERE id = ?", (meeting_id,)).rowcount
            if deleted:
                writer.bump_generation(self.conn, current_versions())
        return bool(deleted)

    def correct_meeting(self, meeting_id: int, overrides: MeetingOverrides) -> bool:
        """Correct a stored meeting's title, series, number or date; False if it does not exist.

        The corrections are merged into those kept with the document, so a later re-parse
        keeps them; the meeting's quality is assessed again with them (a date entered clears the
        「開催日なし」 flag).
        """
        if overrides.empty:
            return (
                self.conn.execute("SELECT 1 FROM meetings WHERE id = ?", (meeting_id,)).fetchone() is not None
            )
        stored = self.conn.execute(
            "SELECT name, raw, overrides FROM documents WHERE id = ?", (meeting_id,)
        ).fetchone()
        if stored is None:
            return False
        quality_doc = self._corrected_parse(
            stored[0], stored[1], MeetingOverrides.from_json(stored[2]).merged(overrides)
        )
        with self._transaction():
            row = self.conn.execute("SELECT overrides FROM documents WHERE id = ?", (meeting_id,)).fetchone()
            if row is None:
                return False
            merged = MeetingOverrides.from_json(row[0]).merged(overrides)
            self.conn.execute(
                "UPDATE documents SET overrides = ? WHERE id = ?", (merged.to_json(), meeting_id)
            )
            for column in ("title", "series", "number", "date"):
                value = getattr(overrides, column)
                if value is not None:
                    self.conn.execute(f"UPDATE meetings SET {column} = ? WHERE id = ?", (value, meeting_id))
            if overrides.date is not None:
                self.conn.execute(
                    "DELETE FROM warnings WHERE meeting_id = ? AND text = ?",
                    (meeting_id, minutes.NO_DATE_WARNING),
                )
            if quality_doc is not None:
                writer.set_meeting_quality(self.conn, meeting_id, quality_doc)
            writer.bump_generation(self.conn, current_versions())
        return True

    def _corrected_parse(self, name: str, raw: bytes, overrides: MeetingOverrides) -> ParsedDocument | None:
        """The stored document parsed again with ``overrides`` (None if it cannot be read now)."""
        try:
            return overrides.apply(minutes.parse_source(read_bytes(raw, name), self.speaker_mappings()))
        except Exception:  # the correction itself must not fail because the source no longer parses
            return None

    def document_id_for(self, sha256: str) -> int | None:
        """The id of the stored document with these bytes (sha256), if any."""
        return writer.document_id_for(self.conn, sha256)

    def speaker_mappings(self) -> dict[str, Organization]:
        """Speaker mappings chosen by people: ``orgs.label_key`` -> Organization."""
        return writer.speaker_mappings(self.conn)

    def set_speaker_mappings(self, mappings: Mapping[str, Organization]) -> int:
        """Save speaker label -> organization mappings; returns how many stored meetings they affect.

        Those meetings are marked for re-derivation (``needs_rederive`` becomes true).
        """
        with self._transaction():
            changed = writer.upsert_mappings(self.conn, mappings)
            affected = writer.mark_speakers_stale(self.conn, changed)
            if changed:
                writer.bump_generation(self.conn, current_versions())
        return affected

    def delete_speaker_mapping(self, key: str) -> int:
        """Remove the mapping of a label key; returns how many stored meetings it affects."""
        with self._transaction():
            deleted = self.conn.execute("DELETE FROM speaker_mappings WHERE label_key = ?", (key,)).rowcount
            affected = writer.mark_speakers_stale(self.conn, {key}) if deleted else 0
            if deleted:
                writer.bump_generation(self.conn, current_versions())
        return affected

    def set_speaker_identity(self, label: str, target: str | None) -> bool:
        """Treat ``label`` as the person ``target`` (a label) is, or as nobody else (None:
        別人として扱う); False if that was already stored. Applied on the next load, no re-derivation.

        Raises ValueError for a blank label or a label merged with itself.
        """
        with self._transaction():
            changed = identities.set_identity(self.conn, label, target)
            if changed:
                writer.bump_generation(self.conn, current_versions())
        return changed

    def delete_speaker_identity(self, label: str) -> bool:
        """Forget the user's word on ``label`` (automatic rules apply again); False if there was none."""
        with self._transaction():
            deleted = identities.delete_identity(self.conn, label)
            if deleted:
                writer.bump_generation(self.conn, current_versions())
        return deleted

    def speaker_identity_overrides(self) -> dict[str, identities.IdentityOverride]:
        """The user's merges and 別人として扱う marks: ``orgs.label_key`` -> IdentityOverride."""
        return identities.identity_overrides(self.conn)

    def load_identity_overrides(self) -> pd.DataFrame:
        """The user's merges and 別人として扱う marks as a table (``identities.OVERRIDE_COLUMNS``)."""
        return identities.load_identity_overrides(self.conn)

    def load_speaker_identities(self) -> pd.DataFrame:
        """Who every (meeting, speaker label, organization) is (``speaker_identity.IDENTITY_COLUMNS``)."""
        return identities.load_speaker_identities(self.conn)

    def load_documents(self) -> pd.DataFrame:
        """Stored documents with metadata, counts, corrections and ingest date (newest first)."""
        return loaders.load_documents(self.conn)

    def load_speaker_mappings(self) -> pd.DataFrame:
        """Speaker mappings as a table (label, organization, kind, code, region, updated_at)."""
        return loaders.load_speaker_mappings(self.conn)

    def corpus_version(self) -> str:
        """Changes whenever anything is ingested, deleted or re-derived (a cache key)."""
        meta = dict(
            self.conn.execute("SELECT key, value FROM meta WHERE key IN ('corpus_uuid', 'generation')")
        )
        return f"{meta['corpus_uuid'][:12]}-{meta['generation']}"

    def meta(self) -> dict[str, str]:
        """The meta table as a dict (versions of the last fully current corpus, generation …)."""
        return dict(self.conn.execute("SELECT key, value FROM meta"))

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables (documents, meetings, turns, statements, tokens …)."""
        queries = {
            "documents": "SELECT COUNT(*) FROM documents",
            "meetings": "SELECT COUNT(*) FROM meetings",
            "sections": "SELECT COUNT(*) FROM sections",
            "turns": "SELECT COUNT(*) FROM turns",
            "statements": "SELECT COUNT(*) FROM statements",
            "tokens": "SELECT COALESCE(SUM(n), 0) FROM statement_tokens",
            "statement_topics": "SELECT COUNT(*) FROM statement_topics",
            "notes": "SELECT COUNT(*) FROM notes",
            "fts": "SELECT COUNT(*) FROM statements_fts",
        }
        return {k: int(self.conn.execute(q).fetchone()[0]) for k, q in queries.items()}

    # loaders --------------------------------------------------------------------------------

    def load_meetings(self) -> pd.DataFrame:
        """Meetings with ``frames.MEETING_COLUMNS``, chronological."""
        return loaders.load_meetings(self.conn)

    def load_statements(self) -> pd.DataFrame:
        """Statements with ``frames.STATEMENT_COLUMNS`` (topics as tuples), chronological.

        ``speaker`` is the speaker as one person (``analysis.speaker_identity``), the label as
        written is kept in ``speaker_label``.
        """
        statements = loaders.load_statements(self.conn)
        if statements.empty:
            return statements
        return identities.apply_identities(statements, identities.load_speaker_identities(self.conn))

    def load_tokens(self) -> pd.DataFrame:
        """Kept tokens with ``frames.TOKEN_COLUMNS``."""
        return loaders.load_tokens(self.conn)

    def load_agenda(self) -> pd.DataFrame:
        """Agenda items with ``loaders.AGENDA_COLUMNS`` (presenters as tuples), chronological."""
        return loaders.load_agenda(self.conn)

    def search(self, query: str, limit: int = 200) -> pd.DataFrame:
        """Statements containing ``query`` (FTS5 trigram; ``instr`` for 1–2 characters)."""
        return loaders.search(self.conn, query, limit)
