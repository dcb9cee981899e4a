"""The derive stage of the store: statements -> normalized text, tokens and topic labels.

Everything here runs before any write transaction. Tokenization, the expensive part, runs either
in the calling process (``workers=1``) or in a pool of ``spawn`` worker processes that receive
chunks of statements taken across all documents of one call; results come back in order, so
the caller can write each document as soon as its last statement is tokenized while the workers
go on with the next chunks. Workers never touch SQLite.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from typing import Generic, TypeVar

from analysis import minutes, tokens, topics
from analysis.normalize import normalize_text

#: (term, surface, pos) as produced by ``analysis.tokens.tokenize_texts``.
TokenTuple = tuple[str, str, str]
T = TypeVar("T")


@dataclass(frozen=True)
class Versions:
    """Versions of the code that derived a meeting's rows from its source bytes."""

    parser: str
    tokenizer: str
    rules: str


def current_versions() -> Versions:
    """The parser, tokenizer and topic-rules versions of the code running now."""
    return Versions(
        parser=minutes.PARSER_VERSION, tokenizer=tokens.tokenizer_version(), rules=topics.rules_version()
    )


def normalize_statements(texts: Iterable[str]) -> list[str]:
    """The normalized form (for matching and counting) of each statement text."""
    return [normalize_text(t) for t in texts]


@dataclass
class Job(Generic[T]):
    """One unit of writing (a document or a meeting to re-derive) and the statements it needs.

    ``norm_texts`` are tokenized unless ``tokens`` is given (topic-only re-derivation); then
    ``finish(tokens, topics)`` is called in the main process to write and returns a result, or
    ``fail(message)`` when tokenization failed.
    """

    norm_texts: list[str]
    finish: Callable[[list[list[TokenTuple]], list[tuple[str, ...]]], T]
    fail: Callable[[str], T]
    tokens: list[list[TokenTuple]] | None = None


def _failure(exc: Exception) -> str:
    return f"形態素解析に失敗しました ({type(exc).__name__}: {exc})"


def _tokenize_inline(texts: list[str]) -> list[list[TokenTuple]] | str:
    try:
        return tokens.tokenize_texts(texts)
    except Exception as exc:  # reported per document by the caller
        return _failure(exc)


#: Statements per worker task: about 0.1–0.5 s of janome work, so IPC is negligible and the
#: tasks of a 2-document call already spread over two workers.
CHUNK_SIZE = 32


def run_jobs(jobs: Iterable[Job[T]], workers: int, chunk_size: int = CHUNK_SIZE) -> Iterator[T]:
    """Tokenize and classify the jobs' statements, call each job's ``finish`` in order, yield results.

    ``jobs`` may be a lazy iterable (documents parsed on demand). With ``workers > 1`` a spawn
    process pool starts first (warming its tokenizers while jobs are produced); statements are
    sent in chunks of ``chunk_size`` taken across job boundaries, and each job is finished as
    soon as its tokens are back while the workers go on. A job whose tokenization fails yields
    ``job.fail(message)``.
    """
    rules = topics.load_rules()
    if workers <= 1:
        for job in jobs:
            toks = job.tokens
            if toks is None:
                result = _tokenize_inline(job.norm_texts)
                if isinstance(result, str):
                    yield job.fail(result)
                    continue
                toks = result
            yield job.finish(toks, _classify(job.norm_texts, toks, rules))
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes=workers, initializer=tokens.get_tokenizer) as pool:
        collector = _Collector(rules)
        buffer: list[str] = []
        for job in jobs:
            collector.waiting.append(job)
            if job.tokens is None:
                buffer.extend(job.norm_texts)
                while len(buffer) >= chunk_size:
                    collector.submit(pool, buffer[:chunk_size])
                    buffer = buffer[chunk_size:]
            yield from collector.drain(block=False)
        if buffer:
            collector.submit(pool, buffer)
        yield from collector.drain(block=True)


class _Collector(Generic[T]):
    """Pairs the in-order results of submitted chunks with the jobs waiting for them."""

    def __init__(self, rules: list[topics.TopicRule]):
        self.rules = rules
        self.waiting: deque[Job[T]] = deque()
        self.tasks: deque[tuple[AsyncResult, int]] = deque()
        self.received: list[list[TokenTuple] | None] = []
        self.failure = ""

    def submit(self, pool: Pool, texts: list[str]) -> None:
        self.tasks.append((pool.apply_async(tokens.tokenize_texts, (texts,)), len(texts)))

    def _receive(self, block: bool) -> bool:
        """Move the next chunk's tokens into ``received``; False if none is available (yet)."""
        if not self.tasks or (not block and not self.tasks[0][0].ready()):
            return False
        result, count = self.tasks.popleft()
        try:
            self.received.extend(result.get())
        except Exception as exc:  # the pool re-raises a worker's exception for its chunk only
            self.failure = _failure(exc)
            self.received.extend([None] * count)
        return True

    def drain(self, block: bool) -> Iterator[T]:
        """Finish waiting jobs in order while their tokens are available."""
        while self.waiting:
            job = self.waiting[0]
            if job.tokens is not None:
                self.waiting.popleft()
                yield job.finish(job.tokens, _classify(job.norm_texts, job.tokens, self.rules))
                continue
            n = len(job.norm_texts)
            while len(self.received) < n:
                if not self._receive(block):
                    return
            taken = self.received[:n]
            del self.received[:n]
            self.waiting.popleft()
            toks = [t for t in taken if t is not None]
            if len(toks) < n:
                yield job.fail(self.failure)
            else:
                yield job.finish(toks, _classify(job.norm_texts, toks, self.rules))


def _classify(
    norm_texts: list[str], toks: list[list[TokenTuple]], rules: list[topics.TopicRule]
) -> list[tuple[str, ...]]:
    return [
        topics.classify(text, [t[0] for t in ts], rules) for text, ts in zip(norm_texts, toks, strict=True)
    ]
