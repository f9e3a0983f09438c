"""The outline → tasks (ids, parents, headings), field lines → lead / support / time, and responsibilities."""

from __future__ import annotations

import pytest

from ttdn_graph.extract import extract_text
from ttdn_graph.parse.fields import agency_colon, field_kind, split_field

HEAD = (
    "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH\nSố: 12/KH-UBND\nNam Định, ngày 5 tháng 3 năm 2021\nKẾ HOẠCH\n"
    "Thông tin đối ngoại tỉnh Nam Định năm 2021\n"
    "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Nâng cao nhận thức về thông tin đối ngoại.\n2. Yêu cầu\n- Bám sát thực tiễn.\n"
)

PLAN = (
    HEAD
    + """II. NHIỆM VỤ CỤ THỂ
1. Tuyên truyền về biển, đảo
1.1. Tổ chức hội nghị báo chí quốc tế. Mời phóng viên nước ngoài dự.
*Cơ quan chủ trì:* Sở TT&TT.
*Cơ quan phối hợp:* Đài PT-TH tỉnh, Báo Nam Định.
*Thời gian thực hiện:* Quý IV hằng năm.
1.1.1. Hội nghị cấp tỉnh
- Đơn vị chủ trì thực hiện: Sở Ngoại vụ.
- Thời gian: Trước ngày 10/5/2021.
1.2. Xuất bản ấn phẩm quảng bá
- Nội dung: Giới thiệu tiềm năng du lịch.
- Hình thức: Sách ảnh song ngữ.
- Đơn vị tham mưu: Sở Văn hóa, Thể thao và Du lịch.
- Chỉ số đánh giá: 02 ấn phẩm.
2. Thông tin cho người nước ngoài
a) Cập nhật trang tin tiếng Anh
- Đơn vị chủ trì: Văn phòng UBND tỉnh.
- Đơn vị phối hợp: các sở, ban, ngành, đoàn thể tỉnh; UBND các huyện, thành phố và các cơ quan, đơn vị liên quan (theo chức năng nhiệm vụ).
b) Quảng bá ẩm thực địa phương
c) Giới thiệu làng nghề
d) Tổ chức lễ hội
đ) Tổ chức đoàn công tác
3. Hoạt động của các cơ quan báo chí
- Báo Nam Định: Mở chuyên mục đối ngoại trên báo in.
- Đài Phát thanh và Truyền hình tỉnh: Sản xuất phóng sự về hợp tác quốc tế.
- Tổ chức tọa đàm với kiều bào.
+ Mời kiều bào tiêu biểu.
III. KINH PHÍ
1. Kinh phí từ ngân sách tỉnh.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông
- Chủ trì hướng dẫn, đôn đốc.
- Tổng hợp báo cáo.
2. Sở Ngoại vụ phối hợp với Sở Thông tin và Truyền thông tổ chức các hoạt động.
3. Đề nghị Ủy ban MTTQ tỉnh và các tổ chức chính trị - xã hội tỉnh phối hợp tuyên truyền.
4. UBND các huyện, thành phố: Xây dựng kế hoạch.
- Báo cáo kết quả về Sở Thông tin và Truyền thông.
Trên đây là Kế hoạch thông tin đối ngoại tỉnh Nam Định năm 2021.
"""
)


@pytest.fixture(scope="module")
def rec():
    return extract_text(PLAN, "fixture.txt")


@pytest.fixture(scope="module")
def tasks(rec):
    return {t.id: t for t in rec.tasks}


def test_task_ids_and_parents(tasks):
    assert list(tasks) == [
        "II.1", "II.1.1", "II.1.1.1", "II.1.2",
        "II.2", "II.2.a", "II.2.b", "II.2.c", "II.2.d", "II.2.đ",
        "II.3", "II.3-1", "II.3-2", "II.3-3",
    ]  # fmt: skip
    parents = {k: t.parent for k, t in tasks.items()}
    assert parents["II.1"] == "II" and parents["II.1.1"] == "II.1" and parents["II.1.1.1"] == "II.1.1"
    assert parents["II.2.đ"] == "II.2" and parents["II.3-2"] == "II.3"


def test_purpose_and_budget_sections_have_no_tasks(tasks):
    assert not any(k.startswith(("I.", "III.")) for k in tasks)


def test_heading_is_first_sentence(tasks):
    assert tasks["II.1.1"].heading == "Tổ chức hội nghị báo chí quốc tế"
    assert "Mời phóng viên" in tasks["II.1.1"].text


def test_italic_field_lines(tasks):
    t = tasks["II.1.1"]
    assert t.lead == ["Sở Thông tin và Truyền thông"]
    assert t.support == ["Đài Phát thanh và Truyền hình tỉnh", "Báo Nam Định"]
    assert (t.time.text, t.time.start, t.time.end, t.time.recurrence) == (
        "Quý IV hằng năm",
        "2021-10-01",
        "2021-12-31",
        "annual",
    )


def test_field_lines_of_a_nested_item(tasks):
    t = tasks["II.1.1.1"]
    assert t.lead == ["Sở Ngoại vụ"] and t.support == []
    assert (t.time.end, t.time.deadline) == ("2021-05-10", "2021-05-10")


def test_content_and_form_fields_and_unknown_field(rec, tasks):
    t = tasks["II.1.2"]
    assert t.lead == ["Sở Văn hóa, Thể thao và Du lịch"]  # "Đơn vị tham mưu"
    assert t.fields == {
        "Nội dung": "Giới thiệu tiềm năng du lịch.",
        "Hình thức": "Sách ảnh song ngữ.",
        "Chỉ số đánh giá": "02 ấn phẩm.",
    }
    assert not any(k.startswith("II.1.2-") for k in tasks)  # field lines are not tasks
    unknown = [w for w in rec.warnings if w.code == "unknown-field"]
    assert [w.line for w in unknown] == [PLAN.split("\n").index("- Chỉ số đánh giá: 02 ấn phẩm.") + 1]


def test_grouped_support_list(tasks):
    assert tasks["II.2.a"].lead == ["Văn phòng Ủy ban nhân dân tỉnh"]
    assert tasks["II.2.a"].support == [
        "các sở, ban, ngành, đoàn thể tỉnh",
        "Ủy ban nhân dân các huyện, thành phố",
        "các cơ quan, đơn vị liên quan",
    ]


def test_items_without_fields_have_no_inferred_agencies(tasks):
    for k in ("II.1", "II.2", "II.2.b", "II.3", "II.3-3"):
        assert (tasks[k].lead, tasks[k].support, tasks[k].time) == ([], [], None), k


def test_agency_colon_bullets_lead(tasks):
    assert tasks["II.3-1"].lead == ["Báo Nam Định"]
    assert tasks["II.3-2"].lead == ["Đài Phát thanh và Truyền hình tỉnh"]
    assert tasks["II.3-1"].heading.startswith("Báo Nam Định: Mở chuyên mục")


def test_deeper_bullet_is_text_of_its_parent(tasks):
    assert "Mời kiều bào tiêu biểu" in tasks["II.3-3"].text


def test_line_spans(tasks):
    lines = PLAN.split("\n")
    t = tasks["II.1.1"]
    assert lines[t.line_start - 1].startswith("1.1. Tổ chức hội nghị")
    assert lines[t.line_end - 1].startswith("*Thời gian thực hiện:*")


def test_responsibilities(rec):
    got = [(r.agency, r.section, r.duties) for r in rec.responsibilities]
    assert got == [
        ("Sở Thông tin và Truyền thông", "IV.1", 2),
        ("Sở Ngoại vụ", "IV.2", 1),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "IV.3", 1),
        ("các tổ chức chính trị - xã hội tỉnh", "IV.3", 1),
        ("Ủy ban nhân dân các huyện, thành phố", "IV.4", 2),
    ]
    assert not any(w.code == "no-agency" for w in rec.warnings)


def test_phan_cong_nhiem_vu_section_and_duty_counts():
    rec = extract_text(
        HEAD
        + "II. TRIỂN KHAI CÁC HOẠT ĐỘNG\n1. Tuyên truyền\n- Thông tin về biên giới.\n"
        + "III. PHÂN CÔNG NHIỆM VỤ\n1. Đề nghị Ban Tuyên giáo Huyện ủy\n- Định hướng thông tin.\n- Cung cấp tài liệu.\n"
        + "- Theo dõi dư luận.\n2. Phòng Văn hóa và Thông tin\n- Tham mưu UBND huyện.\n"
        + "3. Các cơ quan, đơn vị liên quan căn cứ chức năng, nhiệm vụ triển khai thực hiện.\n",
        "fixture.txt",
    )
    got = [(r.agency, r.section, r.duties) for r in rec.responsibilities]
    assert got == [
        ("Ban Tuyên giáo Huyện ủy", "III.1", 3),
        ("Phòng Văn hóa và Thông tin", "III.2", 1),
        ("các cơ quan, đơn vị liên quan", "III.3", 1),
    ]
    assert [t.id for t in rec.tasks] == ["II.1", "II.1-1"]


def test_markdown_outline_and_lettered_sections():
    rec = extract_text(
        HEAD + "## **II. CÁC NHIỆM VỤ TRỌNG TÂM**\n### **1. Ban hành văn bản**\n"
        "a) Tổ chức thực hiện Quy chế.\nb) Ban hành văn bản chỉ đạo.\n"
        "- Đơn vị chủ trì: Sở Ngoại vụ.\n- Thời gian thực hiện: Năm 2021 và các năm tiếp theo.\n",
        "fixture.txt",
    )
    tasks = {t.id: t for t in rec.tasks}
    assert list(tasks) == ["II.1", "II.1.a", "II.1.b"]
    assert tasks["II.1.b"].lead == ["Sở Ngoại vụ"]
    assert (tasks["II.1.b"].time.start, tasks["II.1.b"].time.end) == ("2021-01-01", None)


def test_plan_without_sections_warns():
    rec = extract_text("KẾ HOẠCH\nThông tin đối ngoại năm 2021\nCăn cứ Luật Báo chí;\n", "x.txt")
    assert rec.tasks == [] and "no-sections" in [w.code for w in rec.warnings]


@pytest.mark.parametrize(
    "label, kind",
    [
        ("Cơ quan chủ trì", "lead"),
        ("*Cơ quan chủ trì*", "lead"),
        ("Đơn vị chủ trì thực hiện", "lead"),
        ("Đơn vị tham mưu", "lead"),
        ("Cơ quan thực hiện", "lead"),
        ("Đơn vị phối hợp", "support"),
        ("Cơ quan phối hợp cung cấp thông tin", "support"),
        ("Thời gian thực hiện", "time"),
        ("Thời gian tổ chức", "time"),
        ("Tiến độ", "time"),
        ("Nội dung", "other"),
        ("Hình thức", "other"),
        ("Kinh phí", "other"),
        ("Tăng cường tuyên truyền về các thành tựu kinh tế xã hội của tỉnh trong năm qua", None),
        ("2021", None),
    ],
)
def test_field_kind(label, kind):
    assert field_kind(label) == kind


def test_split_field():
    assert split_field("Đơn vị chủ trì: Sở Ngoại vụ.") == ("lead", "Đơn vị chủ trì", "Sở Ngoại vụ.")
    assert split_field("Tăng cường tuyên truyền, quảng bá") is None


@pytest.mark.parametrize(
    "text, names",
    [
        ("Ban Tuyên giáo Tỉnh ủy: Định hướng thông tin.", ["Ban Tuyên giáo Tỉnh ủy"]),
        ("UBND các huyện, thành phố: Xây dựng kế hoạch.", ["Ủy ban nhân dân các huyện, thành phố"]),
        ("Sở Ngoại vụ, Sở Du lịch: phối hợp tổ chức.", ["Sở Ngoại vụ", "Sở Du lịch"]),
        ("Nội dung: Giới thiệu tiềm năng.", None),
        ("Các hoạt động chính: hội nghị, hội thảo.", None),
        ("tuyên truyền: về biển đảo", None),
    ],
)
def test_agency_colon(text, names):
    got = agency_colon(text)
    assert (got[0] if got else None) == names


def test_whole_document_without_line_breaks_keeps_its_outline():
    text = (
        "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH Số: 12/KH-UBND Nam Định, ngày 5 tháng 3 năm 2021 KẾ HOẠCH Thông tin đối "
        "ngoại tỉnh Nam Định năm 2021 Căn cứ Luật Báo chí; I. MỤC ĐÍCH, YÊU CẦU 1. Mục đích - Nâng cao nhận thức. "
        "II. NHIỆM VỤ CỤ THỂ 1. Tuyên truyền về biển đảo. - Đơn vị chủ trì: Sở Ngoại vụ. - Thời gian: Quý II/2021. "
        "2. Quảng bá hình ảnh địa phương a) Xuất bản sách ảnh. b) Sản xuất phim tài liệu. III. TỔ CHỨC THỰC HIỆN "
        "1. Sở Thông tin và Truyền thông chủ trì hướng dẫn. 2. Sở Tài chính bố trí kinh phí. "
        + "Tăng cường thông tin đối ngoại trên mọi lĩnh vực của đời sống xã hội. "
        * 20
    )
    rec = extract_text(text, "fixture.txt")
    assert rec.plan.number == "12/KH-UBND"
    tasks = {t.id: t for t in rec.tasks}
    assert list(tasks) == ["II.1", "II.2", "II.2.a", "II.2.b"]  # field lines fill II.1, they are not tasks
    assert tasks["II.1"].lead == ["Sở Ngoại vụ"] and tasks["II.1"].time.start == "2021-04-01"
    assert [(r.agency, r.section) for r in rec.responsibilities] == [
        ("Sở Thông tin và Truyền thông", "III.1"),
        ("Sở Tài chính", "III.2"),
    ]
