"""Ingest throughput of the corpus store on a scaled synthetic corpus (not a test).

Builds N minutes from the seed (different dates and meeting numbers, municipality speakers swapped
among Tokyo's 62, statements shuffled), writes them as .txt into a temporary directory, then
prints: raw janome tokenization time of all statements (baseline), ingest time with 1 worker and
its ratio to the baseline, ingest with --workers and its speed-up, load times, peak memory and the
corpus size.

    .venv/bin/python benchmarks/bench_ingest.py [--meetings 300] [--workers 2]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import re
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from janome.tokenizer import Tokenizer as JanomeTokenizer  # noqa: E402

from analysis import minutes, tokens  # noqa: E402
from analysis.normalize import normalize_text  # noqa: E402
from analysis.store import Corpus  # noqa: E402
from analysis.store.writer import SEP  # noqa: E402

SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
MUNICIPALITIES = ROOT / "data" / "reference" / "municipalities.csv"
SEED_DATE = re.compile(r"令和5年2月14日\(火\)")
SEED_NUMBER = "第4回"
WEEKDAYS = "月火水木金土日"


def municipality_names() -> list[str]:
    """Names of Tokyo's 62 municipalities from the reference table."""
    with MUNICIPALITIES.open(encoding="utf-8", newline="") as fh:
        return [row["name"] for row in csv.DictReader(fh)]


def make_minutes(seed: str, number: int, date: dt.date, names: list[str], rng: random.Random) -> str:
    """One synthetic minutes text: new date and number, swapped speakers, shuffled statements."""
    era = f"令和{date.year - 2018}年{date.month}月{date.day}日({WEEKDAYS[date.weekday()]})"
    text = SEED_DATE.sub(era, seed, count=1).replace(SEED_NUMBER, f"第{number}回", 1)
    lines = text.split("\n")
    known = set(names)
    statements = [line for line in lines if line.startswith("○") and line != "○質疑なし"]
    rng.shuffle(statements)
    replacement = iter(statements)
    out = []
    for line in lines:
        if line in known:
            out.append(rng.choice(names))
        elif line.startswith("○") and line != "○質疑なし":
            out.append(next(replacement))
        else:
            out.append(line)
    return "\n".join(out)


def build_corpus(directory: Path, meetings: int) -> list[Path]:
    """Write ``meetings`` synthetic minutes into ``directory``; returns their paths."""
    seed = SEED.read_text(encoding="utf-8")
    names = municipality_names()
    rng = random.Random(20230214)
    start = dt.date(2019, 5, 1)
    paths = []
    for i in range(meetings):
        date = start + dt.timedelta(days=7 * i)
        path = directory / f"cio-forum-{i + 1:03d}_{date.isoformat()}.txt"
        path.write_text(make_minutes(seed, i + 1, date, names, rng), encoding="utf-8")
        paths.append(path)
    return paths


def statement_texts(paths: list[Path]) -> list[str]:
    """The normalized statements the store will tokenize."""
    return [normalize_text(s) for p in paths for t in minutes.parse_file(p).turns for s in t.statements]


def janome_baseline(texts: list[str]) -> float:
    """Seconds for plain janome (same user dictionary, one process) over all texts."""
    user_dict = tokens.DEFAULT_DICTIONARY_DIR / tokens.USER_DICT_FILE
    tokenizer = JanomeTokenizer(str(user_dict), udic_type="simpledic", udic_enc="utf8")
    start = time.perf_counter()
    for text in texts:
        for _ in tokenizer.tokenize(text):
            pass
    return time.perf_counter() - start


def cpu_seconds() -> float:
    """User + system CPU time of this process and its reaped children so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_ingest(paths: list[Path], db: Path, workers: int) -> tuple[float, float]:
    """Wall and CPU seconds to ingest ``paths`` into a fresh corpus at ``db``."""
    cpu = cpu_seconds()
    start = time.perf_counter()
    with Corpus.open(db) as corpus:
        results = corpus.ingest_paths(paths, workers=workers)
    elapsed = time.perf_counter() - start
    bad = [r for r in results if r.status != "added"]
    if bad:
        raise SystemExit(f"ingest failed: {bad[0]}")
    return elapsed, cpu_seconds() - cpu


def row_layout_load(db: Path, corpus: Corpus) -> float:
    """Seconds to load the same tokens from a one-row-per-token table (layout comparison)."""
    frame = corpus.load_tokens()
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE t(statement_id INTEGER, position INTEGER, term TEXT, surface TEXT, pos TEXT,"
        " PRIMARY KEY (statement_id, position)) WITHOUT ROWID"
    )
    position = frame.groupby("statement_id").cumcount()
    conn.executemany(
        "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
        zip(
            frame["statement_id"].tolist(),
            position.tolist(),
            frame["term"],
            frame["surface"],
            frame["pos"],
            strict=True,
        ),
    )
    conn.commit()
    start = time.perf_counter()
    rows = conn.execute(
        "SELECT statement_id, term, surface, pos FROM t ORDER BY statement_id, position"
    ).fetchall()
    pd.DataFrame.from_records(rows, columns=["statement_id", "term", "surface", "pos"])
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def best_of(n: int, fn: Callable[[], object]) -> float:
    """Best wall time of ``n`` calls."""
    best = float("inf")
    for _ in range(n):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        tmpdir = Path(tmp)
        source_dir = tmpdir / "minutes"
        source_dir.mkdir()
        paths = build_corpus(source_dir, args.meetings)
        texts = statement_texts(paths)
        print(f"corpus: {len(paths)} meetings, {len(texts)} statements, {sum(map(len, texts)):,} chars")

        print(
            f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other load skews wall times)"
        )
        cpu = cpu_seconds()
        baseline = janome_baseline(texts)
        print(
            f"janome baseline (1 process, user dictionary): {baseline:.2f} s (cpu {cpu_seconds() - cpu:.2f} s)"
        )

        db1 = tmpdir / "w1.sqlite"
        t1, c1 = timed_ingest(paths, db1, 1)
        print(f"ingest workers=1: {t1:.2f} s (cpu {c1:.2f} s)  {t1 / baseline:.2f}x baseline; target <= 1.3x")

        dbn = tmpdir / f"w{args.workers}.sqlite"
        tn, cn = timed_ingest(paths, dbn, args.workers)
        print(
            f"ingest workers={args.workers}: {tn:.2f} s (cpu {cn:.2f} s)  speed-up {t1 / tn:.2f}x vs workers=1;"
            " target >= 1.5x"
        )

        with Corpus.open(db1) as corpus:
            n_tokens = len(corpus.load_tokens())
            t_meet = best_of(3, corpus.load_meetings)
            t_stat = best_of(3, corpus.load_statements)
            t_tok = best_of(3, corpus.load_tokens)
            t_search = best_of(3, lambda: corpus.search("ガバメントクラウド"))
            t_short = best_of(3, lambda: corpus.search("標準"))
            print(
                f"load_meetings {t_meet * 1000:.0f} ms, load_statements {t_stat * 1000:.0f} ms, "
                f"load_tokens {t_tok * 1000:.0f} ms ({n_tokens:,} tokens); total {(t_meet + t_stat + t_tok) * 1000:.0f} ms"
            )
            print(
                f"search 'ガバメントクラウド' (FTS5 trigram) {t_search * 1000:.1f} ms, '標準' (instr) {t_short * 1000:.1f} ms"
            )
            corpus.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = db1.stat().st_size
            layout_db = tmpdir / "layout.sqlite"
            t_rows = row_layout_load(layout_db, corpus)
        print(
            f"token layout: packed per statement {t_tok * 1000:.0f} ms vs one row per token {t_rows * 1000:.0f} ms"
        )
        print(
            f"corpus file: {size / 1024 / 1024:.1f} MiB ({size / len(paths) / 1024:.0f} KiB per meeting); separator {SEP!r}"
        )
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
        print(
            f"peak RSS: main {own:.0f} MiB, largest worker {children:.0f} MiB, sum {own + children:.0f} MiB"
        )


if __name__ == "__main__":
    main()
