"""The layout fixture maker (tests/fixtures/layouts/make_layouts.py): every layout of every seed is readable,
carries the plan's title and its tasks, keeps the seed's base name, and is made deterministically.
Extraction scores on these layouts are measured by `python -m bench.layouts`, not asserted here."""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from pathlib import Path

import pytest

from ttdn_graph.readers import read_document

MAKER = Path(__file__).parent / "fixtures" / "layouts" / "make_layouts.py"
_spec = importlib.util.spec_from_file_location("make_layouts", MAKER)
ml = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ml)

SEEDS = ml.seeds()
pytestmark = pytest.mark.skipif(not SEEDS, reason="seed plans or gold records not present")


def norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).replace("Uỷ", "Ủy")
    s = re.sub(r"[*#_`]+", " ", s)
    return re.sub(r"\s+", " ", s).strip().casefold()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("layouts")
    return out, ml.make_all(out)


def test_every_layout_of_every_seed_is_written(made):
    out, written = made
    assert set(written) == set(ml.LAYOUTS)
    for layout, paths in written.items():
        assert [ml.source_to_seed(p.name) for p in paths] == [t.name for t, _ in SEEDS]
        assert all(p.name.endswith("." + layout) and p.stat().st_size > 0 for p in paths)


@pytest.mark.parametrize("layout", ml.LAYOUTS)
def test_layout_reads_and_holds_title_and_tasks(made, layout):
    _, written = made
    for path in written[layout]:
        gold = json.loads((ml.GOLD / (path.name.split(".", 1)[0] + ".json")).read_text(encoding="utf-8"))
        doc = read_document(path)
        text = norm(doc.text)
        assert norm(gold["plan"]["title"]) in text, path.name
        headings = [norm(t["heading"]) for t in gold["tasks"]]
        assert any(h and h in text for h in headings), path.name


def test_annex_table_has_the_columns_and_title(made):
    _, written = made
    text = read_document(written["annex-table.docx"][0]).text
    assert ml.ANNEX_TITLE in text
    assert all(c in text for c in ml.COLUMNS)


def test_site_page_has_metadata_panel(made):
    _, written = made
    raw = written["site.html"][0].read_text(encoding="utf-8")
    for label in ("Số hiệu", "Loại văn bản", "Nơi ban hành", "Ngày ban hành", "<nav", "<footer", "<table"):
        assert label in raw


def test_converted_markdown_has_headings_and_page_numbers(made):
    _, written = made
    lines = written["converted.md"][0].read_text(encoding="utf-8").split("\n")
    assert any(x.startswith("# ") for x in lines) and any(x.startswith("## ") for x in lines)
    assert "1" in lines and "2" in lines  # page numbers on their own lines


def test_maker_is_deterministic(made, tmp_path):
    out1, first = made
    second = ml.make_all(tmp_path)
    for layout in ml.LAYOUTS:
        for a, b in zip(first[layout], second[layout], strict=True):
            assert a.name == b.name
            if layout.endswith(".docx"):
                assert read_document(a).text == read_document(b).text
            else:
                assert a.read_bytes() == b.read_bytes()


def test_source_to_seed():
    assert ml.source_to_seed("001_fc7beda4cce84e5d.annex-table.docx") == "001_fc7beda4cce84e5d.txt"
    assert ml.source_to_seed("/x/y/001_fc7beda4cce84e5d.txt") == "001_fc7beda4cce84e5d.txt"
