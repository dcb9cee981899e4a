"""Speaker identities: distinct speakers before/after merging, and what merging costs a load (not a test).

Builds a corpus in a temporary directory from the given minutes (default: data/minutes/, the
seed) and prints, per corpus: distinct speaker labels as written (before) and distinct people
(after, ``analysis.speaker_identity``), the people written in more than one way, and the time of
loading statements without identities (``loaders.load_statements``: the frame as loaded before
this change) and with them (``Corpus.load_statements``), best of N, plus the identity step alone.
The first load of a process also pays for janome's dictionary (names in labels).

    .venv/bin/python benchmarks/bench_speakers.py [PATH ...] [--db EXISTING.sqlite] [--repeat 7]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from analysis.speaker_identity import merged_people  # noqa: E402
from analysis.store import Corpus, identities, loaders  # noqa: E402


def best_of(n: int, fn: Callable[[], object]) -> float:
    """The fastest of ``n`` runs of ``fn``, in seconds."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def report(db: Path, repeat: int) -> None:
    """Print speaker counts and load times of the corpus at ``db``."""
    with Corpus.open(db) as corpus:
        start = time.perf_counter()
        statements = corpus.load_statements()
        first = time.perf_counter() - start
        raw = best_of(repeat, lambda: loaders.load_statements(corpus.conn))
        merged = best_of(repeat, corpus.load_statements)
        step = best_of(repeat, lambda: identities.load_speaker_identities(corpus.conn))
        people = merged_people(corpus.load_speaker_identities())
    before, after = statements["speaker_label"].nunique(), statements["speaker"].nunique()
    print(f"{db.name}: {corpus_size(statements)}")
    print(f"  distinct speakers: {before} labels as written -> {after} people")
    for person, group in people.groupby("person", sort=False):
        print(f"    {person} <- " + "、".join(f"{r.speaker_label}（{r.basis}）" for r in group.itertuples()))
    print(
        f"  load_statements: without identities {raw * 1000:.1f} ms, with {merged * 1000:.1f} ms"
        f" (identity step {step * 1000:.1f} ms; first load of the process {first * 1000:.1f} ms)"
    )


def corpus_size(statements: pd.DataFrame) -> str:
    """ "3 meetings, 47 statements"."""
    return f"{statements['meeting_id'].nunique()} meetings, {len(statements)} statements"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "data" / "minutes")])
    parser.add_argument("--db", help="an existing corpus to measure instead of building one")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    if args.db:
        report(Path(args.db), args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "corpus.sqlite"
        with Corpus.open(db) as corpus:
            failed = [r for r in corpus.ingest_paths(args.paths) if r.status == "error"]
        for result in failed:
            print(f"skipped: {result.message}", file=sys.stderr)
        report(db, args.repeat)


if __name__ == "__main__":
    main()
