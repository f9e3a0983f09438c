"""The layout fixture maker (tests/fixtures/layouts/make_layouts.py): every layout of every seed is readable,
carries the plan's title and its tasks, keeps the seed's base name, and is made deterministically. The paginated PDF
(needs DejaVu Sans: Debian package fonts-dejavu-core) has its pages, running header and "Trang N/M" footer, its
furniture is found exactly, and its extraction reaches issue 15's bar (overall >= 0.95; tasks, lead, support and
time >= 0.93). Scores on all layouts are printed by `python -m bench.layouts`."""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from pathlib import Path

import pytest

from ttdn_graph.readers import read_document
from ttdn_graph.readers.blocks import FURNITURE

MAKER = Path(__file__).parent / "fixtures" / "layouts" / "make_layouts.py"
_spec = importlib.util.spec_from_file_location("make_layouts", MAKER)
ml = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ml)

SEEDS = ml.seeds()
pytestmark = pytest.mark.skipif(not SEEDS, reason="seed plans or gold records not present")
PDF = "paginated.pdf"
AVAILABLE = tuple(k for k in ml.LAYOUTS if not ml.missing(k))  # the PDF layout needs its font
needs_pdf = pytest.mark.skipif(PDF not in AVAILABLE, reason=ml.missing(PDF) or "")
HEADLINE = ("tasks", "tasks.lead", "tasks.support", "tasks.time")


def norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).replace("Uỷ", "Ủy")
    s = re.sub(r"[*#_`]+", " ", s)
    return re.sub(r"\s+", " ", s).strip().casefold()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("layouts")
    return out, ml.make_all(out, layouts=AVAILABLE)


def test_every_layout_of_every_seed_is_written(made):
    out, written = made
    assert PDF in ml.LAYOUTS and set(ml.LAYOUTS) == set(ml.MAKERS)
    assert set(written) == set(AVAILABLE)
    for layout, paths in written.items():
        assert [ml.source_to_seed(p.name) for p in paths] == [t.name for t, _ in SEEDS]
        assert all(p.name.endswith("." + layout) and p.stat().st_size > 0 for p in paths)


@pytest.mark.parametrize("layout", ml.LAYOUTS)
def test_layout_reads_and_holds_title_and_tasks(made, layout):
    if ml.missing(layout):
        pytest.skip(ml.missing(layout))
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
    second = ml.make_all(tmp_path, layouts=AVAILABLE)
    for layout in AVAILABLE:
        for a, b in zip(first[layout], second[layout], strict=True):
            assert a.name == b.name
            if layout.endswith(".docx"):
                assert read_document(a).text == read_document(b).text
            else:
                assert a.read_bytes() == b.read_bytes()


def test_source_to_seed():
    assert ml.source_to_seed("001_fc7beda4cce84e5d.annex-table.docx") == "001_fc7beda4cce84e5d.txt"
    assert ml.source_to_seed("/x/y/001_fc7beda4cce84e5d.txt") == "001_fc7beda4cce84e5d.txt"


# --- the paginated PDF -------------------------------------------------------------------------------------------

def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _pages(path: Path) -> list[list[str]]:
    from pypdf import PdfReader

    return [[x for x in (page.extract_text() or "").split("\n") if x.strip()] for page in PdfReader(path).pages]


@needs_pdf
def test_paginated_pdf_has_pages_with_running_header_and_page_numbers(made):
    _, written = made
    mid_paragraph = 0
    for path, (txt, gj) in zip(written[PDF], SEEDS, strict=True):
        gold = json.loads(gj.read_text(encoding="utf-8"))
        header = ml.running_header(gold)
        pages = _pages(path)
        assert len(pages) >= 3, path.name
        for k, page in enumerate(pages, 1):
            assert _squash(page[0]) == header, (path.name, k)
            assert page[-1].strip() == f"Trang {k}/{len(pages)}", (path.name, k)
        lines = [x for page in pages for x in page[1:-1]]
        paragraphs = ml.plain_lines(txt.read_text(encoding="utf-8"))
        assert max(map(len, lines)) < 120 < max(map(len, paragraphs))  # wrapped by the page width
        squashed = [_squash(x) for x in paragraphs]
        for this, nxt in zip(pages, pages[1:], strict=False):  # a paragraph running on across a page break
            mid_paragraph += any(_squash(this[-2] + " " + nxt[1]) in x for x in squashed)
    assert mid_paragraph >= 3


@needs_pdf
def test_paginated_pdf_furniture_is_exactly_the_headers_and_page_numbers(made):
    _, written = made
    for path, (_, gj) in zip(written[PDF], SEEDS, strict=True):
        header = ml.running_header(json.loads(gj.read_text(encoding="utf-8")))
        doc = read_document(path)
        lines = doc.text.split("\n")
        furniture = {n for b in doc.blocks if b.kind == FURNITURE for n in b.lines()}
        expected = {i for i, x in enumerate(lines, 1) if _squash(x) == header or re.fullmatch(r"Trang \d+/\d+", x)}
        assert len(expected) >= 6 and furniture == expected, path.name


@needs_pdf
def test_paginated_pdf_reaches_the_layout_bar(made, tmp_path):
    from bench import layouts as bench_layouts

    _, written = made
    records = bench_layouts.extract(written[PDF], tmp_path / "extract.json")
    report = bench_layouts.score(records, ml.GOLD, tmp_path, PDF, ml.source_to_seed)
    assert report["overall"] >= 0.95, report["overall"]
    for key in HEADLINE:
        assert report["total"][key]["f1"] >= 0.93, (key, report["total"][key])


def test_a_missing_pdf_font_is_reported(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TTDN_PDF_FONT", str(tmp_path / "no-such-font.ttf"))
    reason = ml.missing(PDF)
    assert reason and "no-such-font.ttf" in reason and "fonts-dejavu-core" in reason
    assert ml.missing("site.html") is None
    with pytest.raises(ml.FontMissing, match="fonts-dejavu-core"):
        ml.make_all(tmp_path / "out", layouts=(PDF,))
    with pytest.raises(SystemExit) as exc:
        ml.main([str(tmp_path / "out")])
    assert exc.value.code == 2 and "fonts-dejavu-core" in capsys.readouterr().err
