"""The document model (readers/blocks.py): every reader gives the same kinds of blocks, each pointing at its lines
of the document's text."""

from __future__ import annotations

import io

import docx
import pytest

from ttdn_graph.readers import read_document
from ttdn_graph.readers.blocks import FURNITURE, HEADING, ITEM, PARAGRAPH, TABLE, blocks_from_text, numbering


def kinds(blocks, kind):
    return [b for b in blocks if b.kind == kind]


def check_lines(doc):
    """Every block's text is on the lines it names."""
    lines = doc.text.split("\n")
    for b in doc.blocks:
        span = "\n".join(lines[b.line - 1 : b.end])
        if b.kind == TABLE:
            for row in b.rows:
                assert b.line <= row.line <= b.end
                first = next((c.lines[0] for c in row.cells if c.lines), "")
                assert first.replace("**", "")[:10] in lines[row.line - 1].replace("**", "") or not first
        else:
            assert b.text.split()[0].strip("#*") in span, (b, span)


def test_markdown_headings_tables_items_and_page_numbers():
    text = "\n".join([
        "# KẾ HOẠCH",
        "Căn cứ Luật Báo chí;",
        "",
        "## I. MỤC ĐÍCH",
        "- Nâng cao nhận thức",
        "  + cho cán bộ",
        "",
        "NỘI DUNG",
        "========",
        "",
        "| STT | Nội dung | Đơn vị chủ trì |",
        "|---|---|---|",
        "| 1 | Tuyên truyền | Sở Thông tin và Truyền thông<br>Báo tỉnh |",
        "",
        "12",
        "",
        '<table><tr><th>TT</th><th colspan="2">Nhiệm vụ</th></tr>',
        "<tr><td>1</td><td>Tập huấn</td><td>Sở Nội vụ</td></tr></table>",
    ])
    blocks = blocks_from_text(text)
    heads = kinds(blocks, HEADING)
    assert [(h.line, h.level, h.label) for h in heads] == [(1, 1, ""), (4, 2, "I"), (8, 1, "")]
    items = kinds(blocks, ITEM)
    assert [(i.line, i.level, i.label) for i in items] == [(5, 1, "-"), (6, 2, "+")]
    pipe, html = kinds(blocks, TABLE)
    assert (pipe.line, pipe.end) == (11, 13) and pipe.rows[0].header and not pipe.rows[1].header
    assert pipe.rows[1].cells[2].lines == ("Sở Thông tin và Truyền thông", "Báo tỉnh")
    assert [r.line for r in pipe.rows] == [11, 13]
    assert html.line == 17 and [r.line for r in html.rows] == [17, 18]
    assert html.rows[0].header and html.rows[0].cells[1].span == 2
    assert [f.line for f in kinds(blocks, FURNITURE)] == [15]
    assert kinds(blocks, PARAGRAPH)[0].text == "Căn cứ Luật Báo chí;"


def test_a_flattened_table_without_its_rule_is_still_a_table():
    text = "STT | Nội dung | Chủ trì\n1 | Tuyên truyền | Sở Nội vụ\n2 | Tập huấn | Sở Tư pháp\nHết."
    (table,) = kinds(blocks_from_text(text), TABLE)
    assert len(table.rows) == 3 and table.end == 3


def test_heading_numbering():
    assert numbering("II. NỘI DUNG") == ("II", "NỘI DUNG")
    assert numbering("**2.1. Tuyên truyền**") == ("2.1", "Tuyên truyền")
    assert numbering("Phần I. MỤC ĐÍCH") == ("I", "MỤC ĐÍCH")
    assert numbering("b) Tập huấn") == ("b", "Tập huấn")
    assert numbering("MỤC ĐÍCH, YÊU CẦU") == ("", "MỤC ĐÍCH, YÊU CẦU")
    assert numbering("2019") == ("", "2019")


def _docx_bytes() -> bytes:
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH", style="Title")
    d.add_paragraph("MỤC ĐÍCH, YÊU CẦU", style="Heading 1")
    d.add_paragraph("Tuyên truyền về biển, đảo", style="Heading 2")
    d.add_paragraph("Nâng cao nhận thức", style="List Number")
    d.add_paragraph("Một đoạn văn.")
    t = d.add_table(rows=3, cols=3)
    for c, name in enumerate(("STT", "Nội dung", "Đơn vị chủ trì")):
        t.cell(0, c).text = name
    merged = t.cell(1, 0).merge(t.cell(1, 2))
    merged.text = "I. NHÓM NHIỆM VỤ"
    t.cell(2, 0).text = "1"
    t.cell(2, 1).text = "Tập huấn"
    t.cell(2, 2).text = "Sở Nội vụ"
    t.cell(2, 2).add_paragraph("Sở Tư pháp")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_blocks_from_styles_numbering_and_tables(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx_bytes())
    doc = read_document(path)
    heads = kinds(doc.blocks, HEADING)
    assert [(h.text, h.level) for h in heads] == [("KẾ HOẠCH", 1), ("MỤC ĐÍCH, YÊU CẦU", 1),
                                                   ("Tuyên truyền về biển, đảo", 2)]
    (item,) = kinds(doc.blocks, ITEM)
    assert item.text.endswith("Nâng cao nhận thức")
    (table,) = kinds(doc.blocks, TABLE)
    assert [c.span for c in table.rows[1].cells] == [3]
    assert table.rows[2].cells[2].lines == ("Sở Nội vụ", "Sở Tư pháp")
    check_lines(doc)


def test_html_blocks_headings_lists_tables_and_no_chrome(tmp_path):
    page = """<html><body><nav><a href="/">Trang chủ</a></nav>
    <div id="content"><h2>KẾ HOẠCH</h2><p>Số: 12/KH-UBND</p><p>Căn cứ Luật Báo chí;</p>
    <h3>I. MỤC ĐÍCH</h3><ul><li>Nâng cao nhận thức</li><li>Tuyên truyền<ul><li>trên báo</li></ul></li></ul>
    <table><thead><tr><th>STT</th><th>Nội dung</th><th>Chủ trì</th></tr></thead>
    <tbody><tr><td colspan="3">I. NHÓM</td></tr><tr><td>1</td><td>Tập huấn</td><td>Sở Nội vụ<br>Sở Tư pháp</td></tr>
    </tbody></table><p>Nơi nhận:</p></div><footer>Bản quyền</footer></body></html>"""
    path = tmp_path / "plan.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert [(h.text, h.level, h.label) for h in kinds(doc.blocks, HEADING)] == [("KẾ HOẠCH", 2, ""),
                                                                                ("I. MỤC ĐÍCH", 3, "I")]
    items = kinds(doc.blocks, ITEM)
    assert [(i.text, i.level) for i in items][:1] == [("- Nâng cao nhận thức", 1)]
    assert ("- trên báo", 2) in [(i.text, i.level) for i in items]
    (table,) = kinds(doc.blocks, TABLE)
    assert table.rows[0].header and not table.rows[2].header
    assert table.rows[1].cells[0].span == 3
    assert table.rows[2].cells[2].lines == ("Sở Nội vụ", "Sở Tư pháp")
    assert "Trang chủ" not in doc.text and "Bản quyền" not in doc.text
    check_lines(doc)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_text_files_get_blocks_too(tmp_path, suffix):
    path = tmp_path / f"plan{suffix}"
    path.write_text("KẾ HOẠCH\n## I. MỤC ĐÍCH\n- Nâng cao\n", encoding="utf-8")
    doc = read_document(path)
    assert [b.kind for b in doc.blocks] == [PARAGRAPH, HEADING, ITEM]
    check_lines(doc)


def test_the_pdf_reader_gives_blocks_with_page_furniture():
    from pathlib import Path

    pdf = Path(__file__).parent / "fixtures" / "readers" / "plan_two_pages.pdf"
    doc = read_document(pdf)
    assert doc.blocks and {b.kind for b in doc.blocks} <= {HEADING, PARAGRAPH, ITEM, TABLE, FURNITURE}
    assert not kinds(doc.blocks, HEADING)  # a PDF's text has no Markdown: "#" is not a heading there


def test_an_annex_printed_beside_the_document_container_is_kept(tmp_path):
    page = """<html><body><nav><a href="/">Trang chủ</a></nav><div class="main">
    <div class="toanvan"><p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Độc lập - Tự do - Hạnh phúc</p>
    <p>Số: 12/KH-UBND</p><p>KẾ HOẠCH</p><p>Căn cứ Luật Báo chí;</p><p>I. MỤC ĐÍCH</p><p>II. NỘI DUNG</p>
    <p>Nhiệm vụ cụ thể tại Phụ lục kèm theo.</p><p>Nơi nhận:</p></div>
    <div class="phuluc"><p>PHỤ LỤC</p><table><tr><th>STT</th><th>Nội dung</th><th>Chủ trì</th></tr>
    <tr><td>1</td><td>Tập huấn</td><td>Sở Nội vụ</td></tr><tr><td>2</td><td>Họp báo</td><td>Sở Tư pháp</td></tr>
    </table></div></div><div class="related"><p>Văn bản liên quan</p></div></body></html>"""
    path = tmp_path / "site.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert "PHỤ LỤC" in doc.text and "Trang chủ" not in doc.text
    (table,) = kinds(doc.blocks, TABLE)
    assert table.rows[2].texts == ["2", "Họp báo", "Sở Tư pháp"]
    check_lines(doc)


def test_cells_merged_down_are_repeated_in_the_rows_they_cover(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=4, cols=3)
    for c, name in enumerate(("STT", "Nội dung", "Đơn vị chủ trì")):
        t.cell(0, c).text = name
    for r in (1, 2, 3):
        t.cell(r, 0).text = str(r)
        t.cell(r, 1).text = f"Nhiệm vụ {r}"
    merged = t.cell(1, 2).merge(t.cell(3, 2))
    merged.text = "Sở Nội vụ"
    path = tmp_path / "merged.docx"
    d.save(str(path))
    (table,) = kinds(read_document(path).blocks, TABLE)
    assert [r.cells[2].lines for r in table.rows[1:]] == [("Sở Nội vụ",)] * 3
    page = ('<html><body><p>KẾ HOẠCH</p><table><tr><th>STT</th><th>Nội dung</th><th>Chủ trì</th><th>Thời gian</th>'
            '</tr><tr><td>1</td><td>A</td><td rowspan="2">Sở Nội vụ</td><td>Quý I</td></tr>'
            '<tr><td>2</td><td>B</td><td>Quý II</td></tr></table></body></html>')
    path = tmp_path / "merged.html"
    path.write_text(page, encoding="utf-8")
    (table,) = kinds(read_document(path).blocks, TABLE)
    assert [r.texts for r in table.rows[1:]] == [["1", "A", "Sở Nội vụ", "Quý I"], ["2", "B", "Sở Nội vụ", "Quý II"]]
