"""Hostile plan files (issue 13, item 6): each is refused within seconds by a named reading limit, or stopped by the
per-file time limit, and the good plan beside it is still extracted and loaded; bad folder entries (symlink loops,
dangling links, FIFOs) are reported by name. The files are generated here (tests/hostile_files.py)."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import hostile_files as hf
import pytest
from typer.testing import CliRunner

from ttdn_graph.cli import app
from ttdn_graph.errors import ReadError
from ttdn_graph.readers import DEFAULT_LIMITS, ReadLimits, read_document
from ttdn_graph.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "plans" / "000_36404a470a50d076.txt"
GUARD = 10.0  # seconds: a generous bound per hostile file (they take well under a second)
runner = CliRunner()

# file -> the limit its refusal must name
REFUSED = {
    "long_nhau.html": "ReadLimits.max_depth",  # 200,000 nested divs
    "rat_lon.html": "ReadLimits.max_bytes['html']",  # 50 MB page
    "bom_zip.docx": "ReadLimits.max_docx_expanded_bytes",  # 0.5 MB -> 300 MiB of empty paragraphs
    "nhieu_trang.pdf": "ReadLimits.max_pdf_pages",
    "long_nhau.docx": "ReadLimits.max_depth",
}
BAD_ENTRIES = {"vong_a.txt": "symbolic link loop", "vong_b.txt": "symbolic link loop", "tu_tro.md": "symbolic link loop",
               "treo.docx": "dangling symbolic link", "ong.txt": "not a regular file (FIFO)"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """One good seed plan among every hostile file and bad entry (built in ~2 s)."""
    out = tmp_path_factory.mktemp("hostile")
    shutil.copy(SEED, out / SEED.name)
    hf.deep_html(out)
    hf.large_html(out)
    hf.docx_bomb(out)
    hf.many_pages_pdf(out, DEFAULT_LIMITS.max_pdf_pages + 1)
    hf.deep_docx(out, 150)
    hf.bad_links(out)
    return out


def _refusal(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> str:
    t0 = time.perf_counter()
    with pytest.raises(ReadError) as info:
        read_document(path, limits)
    assert time.perf_counter() - t0 < GUARD
    message = str(info.value)
    assert message.startswith(str(path))
    return message


@pytest.mark.parametrize("name", REFUSED)
def test_each_hostile_file_is_refused_quickly_naming_the_limit(folder, name):
    message = _refusal(folder / name)
    assert "exceeds the limit of" in message and REFUSED[name] in message


def test_the_refusal_gives_the_figure_and_the_limit(folder):
    assert "html file size 50.0 MiB exceeds the limit of 10.0 MiB" in _refusal(folder / "rat_lon.html")
    assert "page count 501 exceeds the limit of 500" in _refusal(folder / "nhieu_trang.pdf")
    assert "declared inflated size of the parts 301.0 MiB" in _refusal(folder / "bom_zip.docx")


def test_every_docx_bound_holds_when_the_one_before_it_is_lifted(folder):
    """The bomb is stopped by the compression ratio, then (inflating for real) by the element count, then by
    the inflated XML bytes: each bound holds on its own."""
    lifted = ReadLimits(max_docx_expanded_bytes=10**12)
    assert "ReadLimits.max_compression_ratio" in _refusal(folder / "bom_zip.docx", lifted)
    lifted = ReadLimits(max_docx_expanded_bytes=10**12, max_compression_ratio=1e9)
    assert "ReadLimits.max_xml_elements" in _refusal(folder / "bom_zip.docx", lifted)
    lifted = ReadLimits(max_docx_expanded_bytes=10**12, max_compression_ratio=1e9, max_xml_elements=10**9)
    assert "over 32.0 MiB (stopped there)" in _refusal(folder / "bom_zip.docx", lifted)


def test_a_zip_directory_that_lies_is_caught(tmp_path):
    """Sizes declared small (zipfile stops there and fails the CRC) or a compressed size overstated (so the ratio
    looks harmless): refused either way, never inflated past the bounds."""
    small = hf.docx_bomb(tmp_path, 40 * 1024 * 1024, "nho.docx", one_run=True)
    hf.lie_in_directory(small, "word/document.xml", inflated=20_000)
    assert "corrupt .docx" in _refusal(small)
    overstated = hf.docx_bomb(tmp_path, 40 * 1024 * 1024, "to.docx", one_run=True)
    hf.lie_in_directory(overstated, "word/document.xml", compressed=10 * 1024 * 1024)
    assert "corrupt .docx" in _refusal(overstated)
    lifted = ReadLimits(max_compression_ratio=1e9)  # honest sizes, ratio lifted: the inflated bytes are counted
    assert "ReadLimits.max_docx_xml_bytes" in _refusal(hf.docx_bomb(tmp_path, 40 * 1024 * 1024, one_run=True),
                                                       lifted)


def test_html_elements_and_text_size_are_bounded(tmp_path):
    page = tmp_path / "nhieu_the.html"
    page.write_text("<html><body>" + f"<p>{hf.PLAN_PARAGRAPH}</p>" * 50 + "</body></html>", encoding="utf-8")
    assert read_document(page).text.count("\n") == 49  # within the default bounds
    assert "ReadLimits.max_html_elements" in _refusal(page, ReadLimits(max_html_elements=40))
    assert "ReadLimits.max_text_chars" in _refusal(SEED, ReadLimits(max_text_chars=1000))
    assert "ReadLimits.max_bytes['text']" in _refusal(SEED, ReadLimits(max_bytes={"text": 1000}))


def test_a_shallow_docx_still_reads(tmp_path):
    assert read_document(hf.deep_docx(tmp_path, 100)).text.startswith("Căn cứ Quyết định số 1486/QĐ-TTg")


def test_extract_reports_every_bad_file_by_name_and_prints_the_good_one(folder):
    t0 = time.perf_counter()
    res = runner.invoke(app, ["extract", str(folder), "--format", "jsonl"])
    assert time.perf_counter() - t0 < GUARD
    assert res.exit_code == 1
    assert [r.split('"source": "')[1].split('"')[0] for r in res.stdout.strip().split("\n")] == [SEED.name]
    for name, reason in {**{n: r.removeprefix("ReadLimits.") for n, r in REFUSED.items()}, **BAD_ENTRIES}.items():
        line = next((x for x in res.stderr.splitlines() if f"{folder / name}:" in x), "")
        assert reason in line, (name, res.stderr)
    assert "Traceback" not in res.output
    assert f"{len(REFUSED) + len(BAD_ENTRIES)} document(s) failed, 1 extracted" in res.stderr


def test_load_reports_every_bad_file_and_writes_only_the_good_one(folder, tmp_path):
    store = tmp_path / "store"
    res = runner.invoke(app, ["load", str(folder), "--store", str(store), "--jobs", "2"])
    assert res.exit_code == 1
    failed = [x for x in res.stderr.splitlines() if x.startswith("FAILED ")]
    assert sorted(Path(x.split()[1].rstrip(":")).name for x in failed) == sorted([*REFUSED, *BAD_ENTRIES])
    assert "loaded 1 document(s)" in res.stderr and "Traceback" not in res.output
    with open_store(str(store)) as st:
        # the seed's graph, its entities, the inferences, the ontology, the description and the register: nothing
        # of the refused files
        graphs = st.graphs()
        assert len(graphs) == 6 and {g.rsplit("/", 1)[-1] for g in graphs} >= {"entities", "inferred", "ontology",
                                                                             "dataset", "register"}


def _spin_on_cham(real):
    """extract_text that never returns for cham.txt: it spins in C (regex backtracking), where no signal reaches."""

    def extract_text(text, source="<text>", blocks=None):
        if source == "cham.txt":
            re.match(r"(a+)+$", "a" * 64 + "b")
        return real(text, source, blocks)

    return extract_text


@pytest.mark.parametrize("command", ["extract", "load"])
def test_a_file_over_the_time_limit_is_stopped_and_the_batch_goes_on(tmp_path, monkeypatch, command):
    """The worker reading cham.txt is killed after --time-limit; the workers are forked, so they run the patch."""
    import ttdn_graph.extract as extract

    monkeypatch.setattr(extract, "extract_text", _spin_on_cham(extract.extract_text))
    plans = tmp_path / "plans"
    plans.mkdir()
    shutil.copy(SEED, plans / "cham.txt")
    shutil.copy(SEED, plans / SEED.name)
    args = ["--store", str(tmp_path / "store")] if command == "load" else []
    t0 = time.perf_counter()
    res = runner.invoke(app, [command, str(plans), "--time-limit", "1", *args])
    assert time.perf_counter() - t0 < GUARD
    assert res.exit_code == 1
    assert re.search(r"cham\.txt:? .*took longer than 1 s", res.stderr), res.stderr
    if command == "extract":
        assert '"source": "000_36404a470a50d076.txt"' in res.stdout and '"cham.txt"' not in res.stdout
    else:
        assert "loaded 1 document(s)" in res.stderr
