"""Render time of the reading view (会議を読む) on the seed meeting and on a 10x meeting (not a test).

The 10x meeting is the seed minutes with its proceedings repeated ten times in one document
(250 statements instead of 25), read from data/minutes at run time. Prints, per meeting: the
time to build the HTML of every section (dashboard.transcript, median of 5), the time of one
full script run of the page in Streamlit's AppTest (median of 3, warm), and — unless
--no-browser — in headless chromium the time from navigation until the last statement is drawn
and from entering a new highlight term until every section is redrawn with its marks (medians
of --repeat, warm).

    .venv/bin/python benchmarks/bench_reading.py [--repeat 3] [--no-browser]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.metrics.filters import term_pattern  # noqa: E402
from analysis.store import Corpus  # noqa: E402
from dashboard import transcript  # noqa: E402

SEED = ROOT / "data" / "minutes" / "cio-forum-04_2023-02-14.txt"
APP = ROOT / "dashboard" / "app.py"


def repeated_minutes(seed: str, times: int) -> str:
    """The seed minutes with the proceedings (from the first agenda item's heading on) repeated."""
    lines = seed.split("\n")
    first_item = next(line for line in lines if line.startswith("・")).lstrip("・").strip()
    start = next(i for i, line in enumerate(lines) if line.strip() == first_item)
    header, body = lines[:start], lines[start:]
    return "\n".join(header + body * times).replace("第4回", "第40回", 1)


def build_html(statements, term: str) -> float:
    """Seconds to build every section's HTML of one meeting (median of 5)."""
    pattern = term_pattern(term)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        ordered = transcript.reading_order(statements)
        numbers = transcript.statement_numbers(ordered)
        blocks = [
            transcript.section_html(title, part, numbers, pattern=pattern, topic="クラウド", term=term)
            for title, part in transcript.sections(ordered)
        ]
        runs.append(time.perf_counter() - start)
    assert blocks
    return statistics.median(runs)


def apptest_run(db: Path, meeting_id: int) -> float:
    """Seconds of one script run of the reading page (app shell included, caches warm; median of 3)."""
    from streamlit.testing.v1 import AppTest

    os.environ["GIJIROKU_DB"] = str(db)
    runs = []
    for _ in range(4):
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.run()
        at.query_params.update({"m": str(meeting_id), "q": "クラウド"})
        start = time.perf_counter()
        at.switch_page("views/reading.py").run()
        runs.append(time.perf_counter() - start)
        assert not at.exception, [e.value for e in at.exception]
    return statistics.median(runs[1:])


MARKS = "(n) => document.querySelectorAll('section.rd-section mark').length === n"


def browser_runs(
    db: Path, meetings: dict[str, tuple[int, int, int]], repeat: int, log: Path
) -> dict[str, tuple[float, float]]:
    """Per meeting, median seconds (warm) from navigation to its last statement being drawn, and
    from entering a new highlight term to every section redrawn with the new marks."""
    from tests.browser_support import chromium_page, streamlit_server, wait_idle

    out: dict[str, tuple[float, float]] = {}
    with streamlit_server(db, log) as url, chromium_page() as page:
        page.goto(f"{url}/reading")
        wait_idle(page)
        for name, (meeting_id, last, marks) in meetings.items():
            loads, reruns = [], []
            for _ in range(repeat + 1):
                start = time.perf_counter()
                page.goto(f"{url}/reading?m={meeting_id}&q=%E5%9B%BD")
                page.wait_for_selector(f"#s-{last}", state="attached", timeout=120_000)
                loads.append(time.perf_counter() - start)
                wait_idle(page)
                box = page.get_by_label("強調する語")
                box.fill("クラウド")
                start = time.perf_counter()
                box.press("Enter")
                page.wait_for_function(MARKS, arg=marks, timeout=120_000)
                reruns.append(time.perf_counter() - start)
                wait_idle(page)
            out[name] = (statistics.median(loads[1:]), statistics.median(reruns[1:]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        big = directory / "cio-forum-40_x10.txt"
        big.write_text(repeated_minutes(SEED.read_text(encoding="utf-8"), 10), encoding="utf-8")
        db = directory / "corpus.sqlite"
        with Corpus.open(db) as corpus:
            results = corpus.ingest_paths([SEED, big])
            statements = corpus.load_statements()
        ids = {"seed": results[0].meeting_id, "10x": results[1].meeting_id}
        meetings = {}
        for name, meeting_id in ids.items():
            rows = statements[statements["meeting_id"] == meeting_id]
            last = int(transcript.reading_order(rows)["statement_id"].iloc[-1])
            marks = int(rows["text"].str.count("クラウド").sum())
            meetings[name] = (int(meeting_id), last, marks)
            html_s = build_html(rows, "クラウド")
            sections = len(transcript.sections(rows))
            run_s = apptest_run(db, int(meeting_id))
            print(
                f"{name:>4}: {len(rows):4d} statements, {sections:2d} sections | HTML build {html_s * 1000:6.1f} ms"
                f" | page script run (AppTest) {run_s * 1000:6.0f} ms"
            )
        if not args.no_browser:
            timings = browser_runs(db, meetings, args.repeat, directory / "streamlit.log")
            for name, (load, rerun) in timings.items():
                print(
                    f"{name:>4}: chromium, navigation -> last statement drawn {load * 1000:6.0f} ms"
                    f" | new highlight term -> all marks redrawn {rerun * 1000:6.0f} ms (medians)"
                )


if __name__ == "__main__":
    main()
