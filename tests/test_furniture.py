"""Page furniture (ttdn_graph/readers/furniture.py): page numbers and running headers / footers found by their form
and their place next to the page breaks, never by their wording; a line the plan itself repeats stays. Also the PDF
reader's page starts, which let a running header be found in a PDF without page numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttdn_graph.extract import extract_text
from ttdn_graph.readers import read_document
from ttdn_graph.readers.blocks import FURNITURE, blocks_from_text
from ttdn_graph.readers.furniture import furniture_lines, is_page_number

HEADER = "UBND TỈNH BẮC TRUNG - Kế hoạch số 45/KH-UBND"
REPEATED = "- Thời gian thực hiện: Cả năm 2024"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def body(n: int) -> list[list[str]]:
    """n pages of an invented plan; the plan's own repeated line (REPEATED) under every task, twice at a page's
    top or bottom edge."""
    pages = [["ỦY BAN NHÂN DÂN TỈNH BẮC TRUNG", "Số: 45/KH-UBND", "KẾ HOẠCH",
              "Thông tin đối ngoại tỉnh Bắc Trung năm 2024", "II. NHIỆM VỤ"]]
    task = 0
    for p in range(n):
        if p:
            pages.append([])
        page = pages[p]
        if p in (2, 3):  # the plan's own line at the very top of pages 3 and 4, where a header would stand
            page.append(REPEATED)
        while len(page) < 12:
            task += 1
            page += [f"{task}. Tuyên truyền nội dung số {task} về hội nhập quốc tế của tỉnh và của đất nước",
                     "- Cơ quan chủ trì: Sở Ngoại vụ.", REPEATED]
    return pages


def paginated(pages: list[list[str]], header: str | None = HEADER, footer: str | None = "Trang {page}/{pages}",
              first_header: bool = True) -> list[str]:
    lines: list[str] = []
    for k, page in enumerate(pages, 1):
        if header and (first_header or k > 1):
            lines.append(header)
        lines += page
        if footer:
            lines.append(footer.format(page=k, pages=len(pages)))
    return lines


def marked(lines: list[str], **kw) -> list[str]:
    return [lines[n - 1] for n in sorted(furniture_lines(lines, **kw))]


def test_running_header_and_page_numbers_are_marked_and_the_plans_own_repeated_line_is_not():
    lines = paginated(body(5))
    found = furniture_lines(lines)
    header_lines = {i + 1 for i, x in enumerate(lines) if x == HEADER}
    assert len(header_lines) == 5
    assert header_lines <= found  # page 1's header too: the document's start is a page break
    assert lines.index("Trang 2/5") + 1 in found
    assert {lines[n - 1] for n in found} == {HEADER, *(f"Trang {k}/5" for k in range(1, 6))}
    repeated = [i + 1 for i, x in enumerate(lines) if x == REPEATED]
    assert len(repeated) >= 10 and not found & set(repeated)


def test_a_line_the_plan_repeats_at_page_edges_is_not_furniture_even_when_it_is_there_three_times():
    pages = body(6)
    for p in (1, 3, 4):  # the plan's own line right under the running header of three pages...
        pages[p].insert(0, REPEATED)
    lines = paginated(pages)
    assert REPEATED not in marked(lines)  # ...but it stands anywhere on most of its occurrences


def test_a_line_the_plan_repeats_next_to_page_breaks_at_different_places_is_not_furniture():
    unit = "- Đơn vị phối hợp: Các sở, ban, ngành, địa phương."
    pages = body(5)
    pages[1].insert(0, unit)  # right under the running header
    pages[2].append(unit)  # right above the page number
    pages[3].insert(1, unit)  # second line under the running header (the plan's REPEATED line above it)
    pages[4].insert(6, unit)  # mid-page
    lines = paginated(pages)
    assert unit not in marked(lines)  # three of its four times at a page edge, but never twice at the same place


def test_a_line_the_plan_has_twice_under_the_running_header_is_not_furniture_in_a_longer_document():
    unit = "- Cơ quan chủ trì: Sở Tư pháp."
    pages = body(5)
    pages[1].insert(0, unit)
    pages[3].insert(0, unit)
    lines = paginated(pages)
    assert unit not in marked(lines)  # two pages of five: no running header


def test_the_documents_own_header_line_after_a_running_header_of_the_same_words_stays():
    issuer = "ỦY BAN NHÂN DÂN TỈNH BẮC TRUNG"
    lines = paginated(body(4), header=issuer)
    found = marked(lines)
    assert found.count(issuer) == 4
    assert lines[0] == lines[1] == issuer and 2 not in furniture_lines(lines)


@pytest.mark.parametrize("footer", ["- {page} -", "Page {page} of {pages}", "{page}", "Trang {page} trên {pages}"])
def test_other_page_number_forms(footer):
    lines = paginated(body(4), footer=footer, first_header=False)
    found = marked(lines)
    assert found.count(HEADER) == 3
    assert sum(is_page_number(x) for x in found) == 4
    assert REPEATED not in found


def test_page_number_on_the_running_headers_own_line():
    lines = [x for k, page in enumerate(body(4), 1) for x in (f"Kế hoạch số 45/KH-UBND    Trang {k}/4", *page)]
    assert marked(lines) == [f"Kế hoạch số 45/KH-UBND    Trang {k}/4" for k in range(1, 5)]


@pytest.mark.parametrize("line, page", [("12", True), ("- 3 -", True), ("Trang 2/5", True), ("Page 3 of 9", True),
                                        ("2020", False), ("2019 - 2020", False), ("Trang thông tin điện tử", False),
                                        ("1. Tuyên truyền", False)])
def test_is_page_number(line, page):
    assert is_page_number(line) is page


def test_without_page_breaks_nothing_repeated_is_furniture():
    lines = [x for page in body(5) for x in page]  # a .txt: no page numbers, no page starts
    lines = [HEADER, *lines[:20], HEADER, *lines[20:], HEADER]  # even a line at the document's very ends
    assert furniture_lines(lines) == set()


def test_page_starts_let_a_running_header_be_found_without_page_numbers():
    lines = paginated(body(5), footer=None)
    starts = [i + 1 for i, x in enumerate(lines) if x == HEADER]
    assert furniture_lines(lines) == set()  # nothing tells where the pages break
    assert marked(lines, page_starts=starts) == [HEADER] * 5


def test_two_page_document_needs_its_pagination_known():
    lines = paginated(body(2))
    assert marked(lines) == [HEADER, "Trang 1/2", HEADER, "Trang 2/2"]


def test_blocks_and_the_parser_skip_the_furniture_and_rejoin_the_sentence_around_it():
    pages = body(3)
    pages[0][-1] = "- Cơ quan phối hợp: Sở Thông tin và Truyền thông, các cơ quan báo chí"
    pages[1].insert(0, "của tỉnh và các địa phương.")
    lines = paginated(pages)
    text = "\n".join(lines)
    furniture = {n for b in blocks_from_text(text, markdown=False) if b.kind == FURNITURE for n in b.lines()}
    assert furniture == furniture_lines(lines)
    rec = extract_text(text)
    supports = [u for t in rec.tasks for u in (t.support or [])]
    assert any("các địa phương" in u for u in supports), supports
    assert not any("UBND TỈNH BẮC TRUNG" in u or "Trang" in u for t in rec.tasks for u in (t.support or []))


@pytest.mark.skipif(not FONT.is_file(), reason=f"{FONT} missing (Debian package fonts-dejavu-core)")
def test_pdf_reader_finds_a_running_header_by_its_page_starts(tmp_path):
    from fpdf import FPDF

    class Paged(FPDF):
        def header(self):
            self.set_font("Viet", size=8)
            self.cell(0, 5, "Kế hoạch thông tin đối ngoại năm 2024", new_x="LMARGIN", new_y="NEXT")
            self.set_font("Viet", size=11)

    pdf = Paged()
    pdf.add_font("Viet", fname=str(FONT))
    pdf.set_font("Viet", size=11)
    for page in body(4):  # no page numbers at all
        pdf.add_page()
        for line in page:
            pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "header_only.pdf"
    path.write_bytes(bytes(pdf.output()))
    doc = read_document(path)
    lines = doc.text.split("\n")
    furniture = [lines[n - 1] for b in doc.blocks if b.kind == FURNITURE for n in b.lines()]
    assert furniture == ["Kế hoạch thông tin đối ngoại năm 2024"] * 4
    assert furniture_lines(lines) == set()  # from the text alone it could not be told
