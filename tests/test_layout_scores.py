"""Issue 15's bar, held on our own layout fixtures: every layout of the seed plans (annex-table .docx, saved site
page, PDF-to-Markdown conversions with and without annex tables) scores overall >= 0.95 with tasks, lead, support and
time >= 0.93 each, and the seed text itself stays >= 0.98 overall (every headline metric >= 0.95). Scored by the
repository's copy of the scorer (tests/score_gold.py), through `python -m bench.layouts`' own code path."""

from __future__ import annotations

import pytest

from bench import layouts as bench_layouts

HEADLINE = ("tasks", "tasks.lead", "tasks.support", "tasks.time")


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    maker = bench_layouts.load_maker()
    if not maker.seeds():
        pytest.skip("seed plans or gold records not present")
    return bench_layouts.run(tmp_path_factory.mktemp("layout-scores"), maker.GOLD)


def test_the_seed_text_keeps_its_score(results):
    rep = results["seed.txt"]
    assert rep["overall"] >= 0.98
    for key in (*HEADLINE, "instruments"):
        assert rep["total"][key]["f1"] >= 0.95, key


def test_every_layout_fixture_reaches_the_bar(results):
    assert set(results) == {"seed.txt", *bench_layouts.load_maker().LAYOUTS}
    scored = {layout: rep for layout, rep in results.items() if "skipped" not in rep}
    low = {layout: rep["overall"] for layout, rep in scored.items() if rep["overall"] < 0.95}
    assert not low
    for layout, rep in scored.items():
        for key in HEADLINE:
            assert rep["total"][key]["f1"] >= 0.93, (layout, key, rep["total"][key])
    skipped = {layout: rep["skipped"] for layout, rep in results.items() if "skipped" in rep}
    if skipped:  # only a layout this machine cannot make (the PDF's font): said, not passed over in silence
        pytest.skip(f"not scored here: {skipped}")
