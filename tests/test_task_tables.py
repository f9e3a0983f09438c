"""Task tables (parse/tables.py) and outlines of any kind (parse/outline.py), read from the blocks of invented
plans: a table is recognised by what its header cells mean, group rows become groups, row numbers become ids."""

from __future__ import annotations

import pytest

from ttdn_graph.extract import extract_text
from ttdn_graph.lexicon.table_columns import column_role
from ttdn_graph.parse.tables import recognise
from ttdn_graph.readers.blocks import Block, Cell, Row, blocks_from_text

HEAD = """ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH
Số: 12/KH-UBND
Nam Định, ngày 5 tháng 1 năm 2024
KẾ HOẠCH
Thông tin đối ngoại tỉnh Nam Định năm 2024
Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ về quản lý hoạt động thông tin đối ngoại;
"""


@pytest.mark.parametrize(("header", "role"), [
    ("STT", "number"), ("TT", "number"), ("Nội dung", "content"), ("Nhiệm vụ", "content"),
    ("Nội dung công việc", "content"), ("Đơn vị chủ trì", "lead"), ("Cơ quan chủ trì", "lead"),
    ("Đơn vị thực hiện", "lead"), ("Đơn vị phối hợp", "support"), ("Cơ quan/đơn vị phối hợp", "support"),
    ("Thời gian", "time"), ("Thời gian (thực hiện/hoàn thành)", "time"), ("Thời gian thực hiện", "time"),
    ("Tiến độ", "time"), ("Sản phẩm", "product"), ("Kinh phí", "budget"), ("Kinh phí thực hiện", "budget"),
    ("Ghi chú", "note"), ("Họ và tên", None), ("Ngày ban hành", None),
])
def test_header_cells_by_meaning(header, role):
    assert column_role(header) == role


def table(*rows, spans=None):
    out = []
    for k, cells in enumerate(rows):
        sp = (spans or {}).get(k) or [1] * len(cells)
        out.append(Row(tuple(Cell(tuple(c.split("\n")) if c else (), s) for c, s in zip(cells, sp, strict=True)),
                       10 + k))
    return Block("table", 10, 10 + len(rows) - 1, rows=tuple(out))


def test_a_table_needs_content_and_who_or_when():
    assert recognise(table(("STT", "Nội dung", "Đơn vị chủ trì"), ("1", "Tập huấn", "Sở Nội vụ")))
    assert recognise(table(("Nhiệm vụ", "Thời gian"), ("Tập huấn", "Quý I")))
    assert recognise(table(("Số hiệu", "Ngày ban hành"), ("12/KH-UBND", "05/01/2024"))) is None
    assert recognise(table(("Họ và tên", "Chức vụ", "Đơn vị"), ("A", "B", "C"))) is None
    assert recognise(table(("STT", "Nội dung", "Kinh phí"), ("1", "In ấn", "10 triệu"))) is None
    assert recognise(table(("STT", "Nội dung", "Thời gian", "Kinh phí"), ("1", "In ấn", "Quý I", "10"))) is None
    assert recognise(table(("STT", "Nội dung", "Đơn vị chủ trì", "Kinh phí"), ("1", "In ấn", "Sở Nội vụ", "10")))


def test_two_row_header_refines_the_spanned_columns():
    t = recognise(table(("TT", "Nhiệm vụ", "Đơn vị thực hiện", "Thời gian"), ("Chủ trì", "Phối hợp"),
                        ("1", "Tập huấn", "Sở Nội vụ", "Sở Tư pháp", "Quý II"),
                        spans={0: [1, 1, 2, 1]}))
    assert t.roles == {0: "number", 1: "content", 2: "lead", 3: "support", 4: "time"}
    assert t.first_row == 2


PIPE_PLAN = HEAD + """I. MỤC ĐÍCH, YÊU CẦU
Nâng cao hiệu quả công tác thông tin đối ngoại.
II. NHIỆM VỤ VÀ GIẢI PHÁP
| TT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm |
|---|---|---|---|---|---|
| I | **TUYÊN TRUYỀN** | | | | |
| 1 | Tuyên truyền chủ quyền biển, đảo | Báo Nam Định | Sở Thông tin và Truyền thông<br>Đài Phát thanh và Truyền hình tỉnh | Quý II năm 2024 | Tin, bài |
| 2 | Quảng bá hình ảnh tỉnh | Sở Văn hóa, Thể thao<br>và Du lịch | các cơ quan, đơn vị liên quan | Cả năm 2024 | |
| II | **ĐÀO TẠO** | | | | |
| 1 | Tập huấn nghiệp vụ thông tin đối ngoại theo Quyết định số 1486/QĐ-TTg | Sở Thông tin và Truyền thông | | Tháng 6/2024 | |
III. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông: theo dõi, đôn đốc.
"""


def test_a_body_table_gives_tasks_groups_ids_agencies_and_time():
    rec = extract_text(PIPE_PLAN, "pipe.md")
    by_id = {t.id: t for t in rec.tasks}
    assert list(by_id) == ["II.I", "II.I.1", "II.I.2", "II.II", "II.II.1"]
    assert by_id["II.I"].parent == "II" and by_id["II.I.1"].parent == "II.I" and by_id["II.II.1"].parent == "II.II"
    t = by_id["II.I.1"]
    assert t.heading == "Tuyên truyền chủ quyền biển, đảo"
    assert t.lead == ["Báo Nam Định"]
    assert t.support == ["Sở Thông tin và Truyền thông", "Đài Phát thanh và Truyền hình tỉnh"]
    assert (t.time.start, t.time.end) == ("2024-04-01", "2024-06-30")
    assert t.fields == {"Sản phẩm": "Tin, bài"} and t.found_by == "table"
    assert by_id["II.I.2"].lead == ["Sở Văn hóa, Thể thao và Du lịch"]  # a name wrapped inside its cell
    assert by_id["II.I"].heading == "TUYÊN TRUYỀN" and not by_id["II.I"].lead
    assert "1486/QĐ-TTg" in {i.number for i in rec.instruments}  # a citation inside a table row counts
    assert {r.agency for r in rec.responsibilities} == {"Sở Thông tin và Truyền thông"}


ANNEX_PLAN = HEAD + """I. MỤC ĐÍCH
Nâng cao hiệu quả.
II. NỘI DUNG THỰC HIỆN
Nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.
III. TỔ CHỨC THỰC HIỆN
Các sở, ngành triển khai thực hiện.
Nơi nhận:
- Như trên;
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn A
PHỤ LỤC
<table>
<tr><th>STT</th><th>Nhiệm vụ</th><th>Đơn vị chủ trì</th><th>Đơn vị phối hợp</th><th>Thời gian</th></tr>
<tr><td colspan="5"><b>1. Thông tin về tỉnh</b></td></tr>
<tr><td>1.1</td><td>Xây dựng chuyên mục đối ngoại trên Cổng thông tin điện tử tỉnh</td><td>Văn phòng UBND tỉnh</td><td>Sở Ngoại vụ</td><td>Thường xuyên</td></tr>
<tr><td>1.2</td><td>Xuất bản ấn phẩm</td><td>Sở Ngoại vụ</td><td></td><td>Quý III</td></tr>
<tr><td>2</td><td>Sơ kết, tổng kết</td><td>Sở Thông tin và Truyền thông</td><td></td><td>Tháng 12</td></tr>
</table>
STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian
1. Thông tin về tỉnh
1.1 | Xây dựng chuyên mục đối ngoại trên Cổng thông tin điện tử tỉnh | Văn phòng UBND tỉnh | Sở Ngoại vụ | Thường xuyên
"""


def test_an_annex_table_after_the_signature_hangs_under_the_section_that_points_to_it():
    rec = extract_text(ANNEX_PLAN, "annex.md")
    ids = [t.id for t in rec.tasks]
    assert ids == ["II.1", "II.1.1", "II.1.2", "II.2"]
    assert rec.tasks[1].parent == "II.1" and rec.tasks[3].parent == "II"
    assert rec.tasks[1].lead == ["Văn phòng Ủy ban nhân dân tỉnh"] and rec.tasks[1].support == ["Sở Ngoại vụ"]
    assert rec.tasks[1].time.recurrence == "continuous"
    assert not [w for w in rec.warnings if w.code in ("no-sections", "annex-missing")]


def test_the_same_table_printed_twice_is_read_once():
    flat = "\n".join([
        "STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian",
        "1. Thông tin về tỉnh |  |  |  | ",
        "1.1 | Xây dựng chuyên mục đối ngoại trên Cổng thông tin điện tử tỉnh | Văn phòng UBND tỉnh | Sở Ngoại vụ | "
        "Thường xuyên",
        "1.2 | Xuất bản ấn phẩm | Sở Ngoại vụ |  | Quý III",
        "2 | Sơ kết, tổng kết | Sở Thông tin và Truyền thông |  | Tháng 12",
    ])
    html = ANNEX_PLAN[ANNEX_PLAN.index("<table>"):ANNEX_PLAN.index("</table>") + 8]
    body = ANNEX_PLAN[:ANNEX_PLAN.index("Nhiệm vụ cụ thể")]
    rest = ANNEX_PLAN[ANNEX_PLAN.index("III. TỔ CHỨC"):ANNEX_PLAN.index("PHỤ LỤC")]
    for copy in (html + "\n" + flat, flat + "\n" + html):
        rec = extract_text(body + copy + "\n" + rest, "twice.md")
        assert [t.id for t in rec.tasks] == ["II.1", "II.1.1", "II.1.2", "II.2"]


def test_tables_are_found_in_docx_blocks_as_in_text():
    body = ANNEX_PLAN.split("PHỤ LỤC")[0]
    rows = [("STT", "Nội dung", "Đơn vị chủ trì", "Thời gian"), ("1", "Tập huấn", "Sở Nội vụ", "Quý I")]
    text = body + "\n".join(" | ".join(r) for r in rows)
    n = text.count("\n") + 1
    blocks = (*blocks_from_text(body), Block("table", n - 1, n, rows=tuple(
        Row(tuple(Cell((c,)) for c in r), n - 1 + k) for k, r in enumerate(rows))))
    rec = extract_text(text, "plan.docx", blocks)
    assert [(t.id, t.lead) for t in rec.tasks] == [("II.1", ["Sở Nội vụ"])]


def test_no_task_says_why():
    rec = extract_text(ANNEX_PLAN.split("PHỤ LỤC")[0], "no-annex.txt")
    assert not rec.tasks
    assert [w.code for w in rec.warnings if w.code == "annex-missing"] == ["annex-missing"]
    odd = ANNEX_PLAN.split("PHỤ LỤC")[0] + "| Mã | Tên gọi | Địa chỉ |\n|---|---|---|\n| 1 | A | B |\n| 2 | C | D |\n"
    rec = extract_text(odd, "odd.md")
    msgs = [w.message for w in rec.warnings if w.code == "table-not-recognised"]
    assert msgs and "Mã | Tên gọi | Địa chỉ" in msgs[0]


HEADINGS_MD = HEAD + """
# MỤC ĐÍCH, YÊU CẦU
Nâng cao hiệu quả.

# NHIỆM VỤ VÀ GIẢI PHÁP

## 1. Tuyên truyền về biển, đảo
- Đơn vị chủ trì: Sở Thông tin và Truyền thông
- Thời gian thực hiện: Quý I năm 2024

## Quảng bá hình ảnh tỉnh
- Đơn vị chủ trì: Sở Văn hóa, Thể thao và Du lịch

3

## 3. Tập huấn nghiệp vụ
- Đơn vị chủ trì: Sở Nội vụ

# TỔ CHỨC THỰC HIỆN
1. Sở Tài chính: bố trí kinh phí.
"""


def test_headings_without_numerals_take_their_place_from_the_level():
    rec = extract_text(HEADINGS_MD, "converted.md")
    assert [(t.id, t.heading, t.lead) for t in rec.tasks] == [
        ("II.1", "Tuyên truyền về biển, đảo", ["Sở Thông tin và Truyền thông"]),
        ("II.2", "Quảng bá hình ảnh tỉnh", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("II.3", "Tập huấn nghiệp vụ", ["Sở Nội vụ"]),
    ]
    assert rec.tasks[0].found_by == "fields"
    assert [(r.agency, r.section) for r in rec.responsibilities] == [("Sở Tài chính", "III.1")]
    assert {i.number for i in rec.instruments} == {"72/2015/NĐ-CP"}


PARTS = HEAD + """PHẦN I. MỤC ĐÍCH
Nâng cao hiệu quả.
PHẦN II. NỘI DUNG HOẠT ĐỘNG
1. Tuyên truyền về biển, đảo
- Đơn vị chủ trì: Sở Thông tin và Truyền thông
GIẢI PHÁP THỰC HIỆN
1. Tăng cường kiểm tra
- Đơn vị chủ trì: Sở Nội vụ
"""


def test_parts_and_unnumbered_upper_case_sections():
    rec = extract_text(PARTS, "parts.txt")
    assert [(t.id, t.lead) for t in rec.tasks] == [("II.1", ["Sở Thông tin và Truyền thông"]),
                                                   ("III.1", ["Sở Nội vụ"])]


DEPARTMENT_MD = """Căn cứ Quyết định số 1486/QĐ-TTg ngày 03/10/2023 của Thủ tướng Chính phủ phê duyệt Đề án đổi mới công tác thông tin đối ngoại;

Căn cứ Kế hoạch số 45/KH-UBND ngày 10/01/2024 của Ủy ban nhân dân tỉnh Bình Định về hoạt động thông tin đối ngoại năm 2024;

Sở Thông tin và Truyền thông ban hành Kế hoạch thông tin đối ngoại năm 2024 như sau:

## **MỤC ĐÍCH, YÊU CẦU**

Nâng cao chất lượng thông tin đối ngoại.

## **NHIỆM VỤ CỤ THỂ**

Nhiệm vụ cụ thể tại Phụ lục kèm theo.

## **TỔ CHỨC THỰC HIỆN**

Các phòng, đơn vị thuộc Sở triển khai thực hiện.

<table><tr><th>STT</th><th>Nội dung</th><th>Đơn vị chủ trì</th><th>Đơn vị phối hợp</th><th>Thời gian thực hiện</th></tr>
<tr><td>I</td><td><strong>Thông tin, tuyên truyền</strong></td><td></td><td></td><td></td></tr>
<tr><td>1</td><td>Cập nhật tin, bài đối ngoại trên Cổng thông tin điện tử</td><td>Phòng Thông tin - Báo chí - Xuất bản</td><td>Văn phòng Sở<br>Trung tâm Công nghệ thông tin và Truyền thông</td><td>Thường xuyên</td></tr>
<tr><td>2</td><td>Tổ chức họp báo định kỳ</td><td>Văn phòng Sở</td><td>Phòng Thông tin - Báo chí - Xuất bản</td><td>Hằng quý</td></tr>
</table>

2

<table><tr><th>STT</th><th>Nội dung</th><th>Đơn vị chủ trì</th><th>Đơn vị phối hợp</th><th>Thời gian thực hiện</th></tr>
<tr><td>II</td><td><strong>Đào tạo, bồi dưỡng</strong></td><td></td><td></td><td></td></tr>
<tr><td>1</td><td>Tập huấn kỹ năng thông tin đối ngoại cho cán bộ</td><td>Văn phòng Sở</td><td></td><td>Quý III năm 2024</td></tr>
</table>
"""


def test_a_department_plan_converted_to_markdown_gives_its_tasks_with_leads():
    rec = extract_text(DEPARTMENT_MD, "so-tttt-2024.md")
    rows = [(t.id, t.heading, t.lead) for t in rec.tasks]
    assert rows == [
        ("II.I", "Thông tin, tuyên truyền", []),
        ("II.I.1", "Cập nhật tin, bài đối ngoại trên Cổng thông tin điện tử", ["Phòng Thông tin - Báo chí - Xuất bản"]),
        ("II.I.2", "Tổ chức họp báo định kỳ", ["Văn phòng Sở"]),
        ("II.II", "Đào tạo, bồi dưỡng", []),
        ("II.II.1", "Tập huấn kỹ năng thông tin đối ngoại cho cán bộ", ["Văn phòng Sở"]),
    ]
    assert rec.tasks[1].support == ["Văn phòng Sở", "Trung tâm Công nghệ thông tin và Truyền thông"]
    assert rec.tasks[2].time.recurrence == "quarterly"
    assert {i.number for i in rec.instruments} >= {"1486/QĐ-TTg", "45/KH-UBND"}
    # no header: the issuer, title and period come from the issuing sentence
    assert rec.plan.issuer == "Sở Thông tin và Truyền thông tỉnh Bình Định"
    assert rec.plan.title == "Thông tin đối ngoại năm 2024"
    assert (rec.plan.period.start, rec.plan.period.end) == ("2024-01-01", "2024-12-31")
    assert "no-title" not in {w.code for w in rec.warnings}


BOLD_MD = HEAD + """
**Mục đích, yêu cầu**

Nâng cao hiệu quả.

**Nhiệm vụ cụ thể**

1. Tuyên truyền về biển, đảo
- Đơn vị chủ trì: Sở Thông tin và Truyền thông

2. Tập huấn nghiệp vụ
- Đơn vị chủ trì: Sở Nội vụ

**Tổ chức thực hiện**

1. Sở Tài chính: bố trí kinh phí.
"""


def test_bold_lines_are_headings_in_markdown():
    rec = extract_text(BOLD_MD, "bold.md")
    assert [(t.id, t.lead) for t in rec.tasks] == [("II.1", ["Sở Thông tin và Truyền thông"]), ("II.2", ["Sở Nội vụ"])]
    assert [(r.agency, r.section) for r in rec.responsibilities] == [("Sở Tài chính", "III.1")]


def test_one_cell_naming_both_roles():
    text = HEAD + """II. NỘI DUNG
| STT | Nội dung | Đơn vị thực hiện | Thời gian |
|---|---|---|---|
| 1 | Tuyên truyền | Sở Thông tin và Truyền thông chủ trì, phối hợp với Báo Nam Định | Quý I |
| 2 | Tập huấn | Chủ trì: Sở Nội vụ<br>Phối hợp: Sở Tư pháp, Sở Ngoại vụ | Quý II |
"""
    rec = extract_text(text, "roles.md")
    assert [(t.lead, t.support) for t in rec.tasks] == [
        (["Sở Thông tin và Truyền thông"], ["Báo Nam Định"]),
        (["Sở Nội vụ"], ["Sở Tư pháp", "Sở Ngoại vụ"]),
    ]


FIELD_TABLES_MD = HEAD + """
# MỤC ĐÍCH

Nâng cao hiệu quả.

# NỘI DUNG HOẠT ĐỘNG

## 1. Tuyên truyền về biển, đảo

| Đơn vị chủ trì | Sở Thông tin và Truyền thông |
|---|---|
| Đơn vị phối hợp | Báo Nam Định; Đài Phát thanh và Truyền hình tỉnh |
| Thời gian thực hiện | Quý I năm 2024 |

## 2. Tập huấn nghiệp vụ

| Cơ quan chủ trì: | Sở Nội vụ |
|---|---|
"""


def test_a_table_of_one_tasks_fields_reads_as_its_field_lines():
    rec = extract_text(FIELD_TABLES_MD, "fields.md")
    assert [(t.id, t.lead, t.support) for t in rec.tasks] == [
        ("II.1", ["Sở Thông tin và Truyền thông"], ["Báo Nam Định", "Đài Phát thanh và Truyền hình tỉnh"]),
        ("II.2", ["Sở Nội vụ"], []),
    ]
    assert (rec.tasks[0].time.start, rec.tasks[0].time.end) == ("2024-01-01", "2024-03-31")
    assert rec.tasks[0].found_by == "fields"
