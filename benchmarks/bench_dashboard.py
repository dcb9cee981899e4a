"""Dashboard latency in a real browser (not a test): navigation -> first chart, filter -> updated chart.

Runs `streamlit run` on the seed corpus and on a synthetic N-meeting corpus (the generator of
benchmarks/bench_ingest.py), drives headless Debian chromium, and prints, per corpus: the cold
first load (includes loading the corpus), warm navigations to the first chart, and the time from
choosing 組織の種別 = 市 in the sidebar to the first chart showing the new filter in its footnote.

    .venv/bin/python benchmarks/bench_dashboard.py [--meetings 300] [--repeat 3]

Targets: seed <= 2 s / <= 0.5 s; 300 meetings <= 4 s / <= 1.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ingest import build_corpus  # noqa: E402

from analysis.store import Corpus  # noqa: E402
from tests.browser_support import PLOT, chromium_page, streamlit_server, wait_idle  # noqa: E402

SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
FOOTNOTE_HAS = """(text) => [...document.querySelectorAll('.js-plotly-plot .annotation-text')]
    .some(e => e.textContent.includes(text))"""


def to_first_chart(page: Any, url: str) -> float:
    """Seconds from navigation to the first plotly chart being drawn."""
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(f"{PLOT} .main-svg", timeout=120_000)
    elapsed = time.perf_counter() - start
    wait_idle(page)
    return elapsed


def filter_change(page: Any, url: str, kind: str) -> float:
    """Seconds from picking 組織の種別 = ``kind`` to the first chart's footnote showing it."""
    page.goto(url)
    page.wait_for_selector(f"{PLOT} .main-svg", timeout=120_000)
    wait_idle(page)
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="組織の種別")
    box.locator("input").click()
    option = page.get_by_role("option", name=kind, exact=True)
    option.wait_for(timeout=10_000)
    start = time.perf_counter()
    option.click()
    page.wait_for_function(FOOTNOTE_HAS, arg=f"種別: {kind}", timeout=120_000)
    elapsed = time.perf_counter() - start
    page.keyboard.press("Escape")
    wait_idle(page)
    return elapsed


def measure(label: str, db: Path, repeat: int, log: Path) -> None:
    """Print the figures for one corpus."""
    with streamlit_server(db, log) as url, chromium_page() as page:
        cold = to_first_chart(page, f"{url}/")
        warm = [to_first_chart(page, f"{url}/") for _ in range(repeat)]
        changes = [filter_change(page, f"{url}/", "市") for _ in range(repeat)]
    print(f"{label}:")
    print(f"  first chart, cold server (corpus load included): {cold:.2f} s")
    print(
        f"  navigation -> first chart (median of {repeat}):   {statistics.median(warm):.2f} s  (min {min(warm):.2f})"
    )
    print(
        f"  filter change -> updated chart (median of {repeat}): {statistics.median(changes):.2f} s  (min {min(changes):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        seed_db = directory / "seed.sqlite"
        with Corpus.open(seed_db) as corpus:
            corpus.ingest_paths([SEED])
        measure("seed corpus (1 meeting)", seed_db, args.repeat, directory / "seed.log")
        sources = directory / "minutes"
        sources.mkdir()
        big_db = directory / "big.sqlite"
        start = time.perf_counter()
        with Corpus.open(big_db) as corpus:
            corpus.ingest_paths(build_corpus(sources, args.meetings), workers=args.workers)
            counts = corpus.counts()
        print(
            f"(built {args.meetings} meetings: {counts['statements']:,} statements, {counts['tokens']:,} tokens "
            f"in {time.perf_counter() - start:.0f} s)"
        )
        measure(f"{args.meetings}-meeting corpus", big_db, args.repeat, directory / "big.log")


if __name__ == "__main__":
    main()
