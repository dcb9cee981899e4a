"""Golden tests on every minutes fixture: each fact read off the edition or house style it models.

The fixtures and their facts live in tests/fixtures/minutes/ (series/: the published editions of
the CIO forum and council; styles/: bodies like it; holdout/ and holdout2/: written without
looking at the parser, then taught to it). unseen/ is measured by ``benchmarks/bench_parse.py``
but not asserted here: it is the next held-out set, kept honest by nobody tuning the parser to it.
"""

from __future__ import annotations

import pytest

from tests import fidelity

FILES = [p for p in fidelity.facts_files() if p.relative_to(fidelity.FIXTURES).parts[0] != "unseen"]


@pytest.mark.parametrize("facts_path", FILES, ids=[str(p.relative_to(fidelity.FIXTURES)) for p in FILES])
def test_every_fact_holds(facts_path):
    if fidelity.needs_pdf(facts_path):
        from tests.formats import cjk_font

        if cjk_font() is None:
            pytest.skip("no CJK font for building the PDF fixture")
    facts = fidelity.evaluate(facts_path)
    failing = [f"{f.name}: expected {f.expected!r}, parsed {f.actual!r}" for f in facts if not f.holds]
    assert facts, "a fixture without facts checks nothing"
    assert not failing, "\n".join(failing)


def test_fixtures_cover_the_series_and_the_traps():
    names = {p.name for p in FILES}
    for edition in (
        "cio-forum-01_web", "cio-forum-02_web", "cio-forum-04_web", "cio-forum-04_seed",
        "cio-forum-04_pdf-hyphenation-point", "cio-conference-03_web-list", "cio-conference-04_web-paragraphs",
        "cio-conference-04_web", "cio-conference-05_web-dots",
    ):  # fmt: skip
        assert f"{edition}.facts.json" in names
