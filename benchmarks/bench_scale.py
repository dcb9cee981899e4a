"""Scale benchmark (not a test): 1,000 generated meetings through ingest and the dashboard.

Generates N minutes with benchmarks/bench_ingest.py's generator, then prints: raw janome time for
the same statements (baseline), ingest time with ``--workers`` and its ratio to the baseline
(target <= 1.3x), corpus file size, peak memory of the ingest (main process + largest worker) and
of the dashboard server, and for every page of the navigation the time from navigation to its
first chart (plotly figure; pages without one: their first table) in headless chromium against a
real `streamlit run` server, cold (first visit, corpus load included) and warm (target <= 5 s).

    .venv/bin/python benchmarks/bench_scale.py [--meetings 1000] [--workers 2] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ingest import build_corpus, janome_baseline, statement_texts, timed_ingest  # noqa: E402

from analysis.store import Corpus  # noqa: E402
from tests.browser_support import (  # noqa: E402
    IDLE_APP,
    PLOT,
    RUNNING,
    chromium_page,
    streamlit_server,
    wait_idle,
)

FIRST_CHART = f"{PLOT} .main-svg, [data-testid='stDataFrame'], [data-testid='stImage'] img"
#: Any element matching the selector is laid out and visible (collapsed expanders hide tables).
VISIBLE = "sel => [...document.querySelectorAll(sel)].some(e => e.getClientRects().length && e.checkVisibility())"
TARGET_RATIO = 1.3
TARGET_MEMORY_MIB = 2048
TARGET_CHART_S = 5.0


def page_paths(page: Any, url: str) -> list[str]:
    """URL paths of every page in the sidebar navigation (whatever pages the app has now)."""
    page.goto(f"{url}/")
    page.wait_for_selector('[data-testid="stSidebarNav"] a', timeout=180_000)
    wait_idle(page, timeout_ms=180_000)
    hrefs = page.eval_on_selector_all('[data-testid="stSidebarNav"] a', "els => els.map(e => e.href)")
    return list(dict.fromkeys(h.removeprefix(url).rstrip("/") or "/" for h in hrefs))


def to_first_chart(page: Any, url: str) -> tuple[float, bool]:
    """Seconds from navigation to the page's first chart (or table) being drawn.

    A page that draws none until the user acts (the report page) is timed to the end of its
    script run instead; the flag says whether a chart was seen.
    """
    start = time.perf_counter()
    page.goto(url)
    idle_seen = 0
    while time.perf_counter() - start < 180:
        if page.evaluate(VISIBLE, FIRST_CHART):
            elapsed = time.perf_counter() - start
            wait_idle(page, timeout_ms=180_000)
            return elapsed, True
        idle = page.locator(IDLE_APP).count() == 1 and page.locator(RUNNING).count() == 0
        idle_seen = idle_seen + 1 if idle else 0
        if idle_seen >= 10:  # idle for 0.5 s with nothing drawn
            return time.perf_counter() - start - 0.45, False
        page.wait_for_timeout(50)
    raise TimeoutError(f"{url}: nothing drawn in 180 s")


def server_peak_mib(db: Path) -> float:
    """Peak RSS (VmHWM) of the running streamlit process serving ``db``, from /proc."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if "streamlit" not in cmdline or str(db) not in cmdline:
                continue
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            continue
    return float("nan")


def dashboard(db: Path, log: Path, repeat: int) -> tuple[dict[str, tuple[float, float, bool]], float]:
    """Cold and median warm time to first chart per page (and whether it has one), server peak memory."""
    times: dict[str, tuple[float, float, bool]] = {}
    with streamlit_server(db, log) as url, chromium_page() as page:
        cold_start = time.perf_counter()
        paths = page_paths(page, url)
        print(f"  first load of the app (corpus read into memory): {time.perf_counter() - cold_start:.2f} s")
        for path in paths:
            target = f"{url}{'' if path == '/' else path}"
            cold, charted = to_first_chart(page, target)
            warm = [to_first_chart(page, target)[0] for _ in range(repeat)]
            times[path] = (cold, statistics.median(warm), charted)
        peak = server_peak_mib(db)
    return times, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        directory = Path(tmp)
        sources = directory / "minutes"
        sources.mkdir()
        paths = build_corpus(sources, args.meetings)
        texts = statement_texts(paths)
        raw = sum(p.stat().st_size for p in paths)
        print(
            f"corpus: {len(paths)} meetings, {len(texts):,} statements, {sum(map(len, texts)):,} chars,"
            f" {raw / 1024 / 1024:.1f} MiB of text"
        )
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other load skews wall times)")
        baseline = janome_baseline(texts)
        print(f"janome baseline (1 process, same statements, user dictionary): {baseline:.1f} s")

        db = directory / "corpus.sqlite"
        wall, cpu = timed_ingest(paths, db, args.workers)
        ratio = wall / baseline
        verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
        print(
            f"ingest workers={args.workers}: {wall:.1f} s (cpu {cpu:.1f} s) = {ratio:.2f}x baseline;"
            f" target <= {TARGET_RATIO}x: {verdict}"
        )
        with Corpus.open(db) as corpus:
            counts = corpus.counts()
            corpus.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = db.stat().st_size
        print(
            f"corpus file: {size / 1024 / 1024:.1f} MiB ({size / len(paths) / 1024:.0f} KiB per meeting;"
            f" {counts['statements']:,} statements, {counts['tokens']:,} tokens; original bytes included)"
        )
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"peak RSS of the ingest: main {own:.0f} MiB, largest worker {children:.0f} MiB,"
            f" sum {own + children:.0f} MiB; target <= {TARGET_MEMORY_MIB} MiB:"
            f" {'ok' if own + children <= TARGET_MEMORY_MIB else 'MISSED'}"
        )

        print(f"dashboard on {len(paths)} meetings (cold = first visit of the page; warm = median of {args.repeat}):")
        times, server = dashboard(db, directory / "streamlit.log", args.repeat)
        for path, (cold, warm, charted) in times.items():
            verdict = "ok" if max(cold, warm) <= TARGET_CHART_S else "MISSED"
            what = "first chart" if charted else "rendered (no chart until the user acts)"
            print(
                f"  {path:<12} {what}: cold {cold:5.2f} s, warm {warm:5.2f} s;"
                f" target <= {TARGET_CHART_S} s: {verdict}"
            )
        print(
            f"peak RSS of the dashboard server: {server:.0f} MiB; target <= {TARGET_MEMORY_MIB} MiB:"
            f" {'ok' if server <= TARGET_MEMORY_MIB else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
