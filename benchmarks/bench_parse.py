"""Parse fidelity: facts held / facts total over every minutes fixture (``make parse-report``).

Each fixture under ``tests/fixtures/minutes/`` comes with the facts a person read off the
edition or house style it models (``tests/fidelity.py`` explains the format). This parses every
fixture with the current parser and prints, per fixture, how many facts hold, then a line per
folder (series, styles, holdout, holdout2, and unseen: the held-out set nobody has tuned the
parser to, the honest generalization figure), then the total.
``--verbose`` lists the facts that fail with the expected and the parsed value. The last line
is the figure quoted in notes: ``facts held: H / T (P%) over N fixtures``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests import fidelity  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list the facts that do not hold")
    parser.add_argument("paths", nargs="*", type=Path, help="facts files (default: all fixtures)")
    args = parser.parse_args(argv)
    files = [p.resolve() for p in args.paths] or fidelity.facts_files()
    held = total = 0
    groups: dict[str, tuple[int, int]] = {}
    started = time.perf_counter()
    for path in files:
        facts = fidelity.evaluate(path)
        ok = sum(f.holds for f in facts)
        held, total = held + ok, total + len(facts)
        group = path.relative_to(fidelity.FIXTURES).parts[0]
        g_held, g_total = groups.get(group, (0, 0))
        groups[group] = (g_held + ok, g_total + len(facts))
        print(f"{ok:4d} / {len(facts):4d}  {path.relative_to(fidelity.FIXTURES)}")
        if args.verbose:
            for fact in facts:
                if not fact.holds:
                    print(f"          ✗ {fact.name}: expected {fact.expected!r}, parsed {fact.actual!r}")
    elapsed = time.perf_counter() - started
    share = 100.0 * held / total if total else 0.0
    for group, (g_held, g_total) in sorted(groups.items()):
        print(f"{group:>10}: {g_held} / {g_total} ({100.0 * g_held / g_total:.1f}%)")
    print(f"({elapsed:.1f} s)")
    print(f"facts held: {held} / {total} ({share:.1f}%) over {len(files)} fixtures")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
