"""Responsibilities keep their duties: each duty's text as printed, its line span and the bodies it names as partners
("phối hợp với …") — on a small plan written here, on the Hương Trà seed, and through the record's JSON form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from ttdn_graph.extract import extract_file, extract_text
from ttdn_graph.parse.duties import predicate, supporting
from ttdn_graph.parse.normalize import fold_variants
from ttdn_graph.record import Duty, Responsibility, record_from_dict

ROOT = Path(__file__).resolve().parents[1]
HUONG_TRA = ROOT / "data" / "plans" / "002_7a2d3a9fe5686233.txt"

PLAN = """ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH
Số: 12/KH-UBND
Nam Định, ngày 5 tháng 3 năm 2021
KẾ HOẠCH
Thông tin đối ngoại tỉnh Nam Định năm 2021
Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;
I. NHIỆM VỤ CỤ THỂ
1. Tuyên truyền về biển, đảo
- Đơn vị chủ trì: Sở Thông tin và Truyền thông.
II. TỔ CHỨC THỰC HIỆN
1. Sở Thông tin và Truyền thông: Chủ trì tổ chức thực hiện Kế hoạch.
- Hướng dẫn các huyện xây dựng kế hoạch <b>năm</b>.
- Tổng hợp báo cáo UBND tỉnh.
2. Phòng Văn hóa và Thông tin
- Phối hợp với Ban Tuyên giáo Tỉnh ủy và các cơ quan liên quan chuẩn bị tài liệu tuyên truyền.
+ Tài liệu về biên giới.
- Tham mưu UBND tỉnh quản lý hoạt động báo chí.
3. Sở Kế hoạch và Đầu tư phối hợp với Sở Thông tin và Truyền thông và các cơ quan, đơn vị có liên quan cập nhật, cung cấp thông tin về đầu tư.
4. Ủy ban nhân dân các huyện

Xây dựng kế hoạch thông tin đối ngoại của huyện.

Báo cáo kết quả về Sở Thông tin và Truyền thông trước ngày 15/12.
5. Công an tỉnh
a) Theo dõi dư luận trong và ngoài nước.
b) Phối hợp với sở Thông tin và Truyền thông, Báo Nam Định đấu tranh phản bác thông tin sai lệch.
Trên đây là Kế hoạch thông tin đối ngoại tỉnh Nam Định năm 2021.
"""
LINES = PLAN.split("\n")


def line_of(prefix: str) -> int:
    return next(i for i, ln in enumerate(LINES, 1) if ln.startswith(prefix))


@pytest.fixture(scope="module")
def by_agency() -> dict[str, Responsibility]:
    rec = extract_text(PLAN, "duties.txt")
    return {r.agency: r for r in rec.responsibilities}


def spans(r: Responsibility) -> list[tuple[str, int | None, int | None]]:
    return [(d.text, d.line_start, d.line_end) for d in r.duty_items]


def test_agency_colon_item_with_bullet_children(by_agency):
    r = by_agency["Sở Thông tin và Truyền thông"]
    assert r.section == "II.1" and r.duties == 3
    assert spans(r) == [
        ("Chủ trì tổ chức thực hiện Kế hoạch.", line_of("1. Sở Thông tin"), line_of("1. Sở Thông tin")),
        ("Hướng dẫn các huyện xây dựng kế hoạch năm.", line_of("- Hướng dẫn"), line_of("- Hướng dẫn")),
        ("Tổng hợp báo cáo UBND tỉnh.", line_of("- Tổng hợp"), line_of("- Tổng hợp")),
    ]
    assert all(d.support == [] for d in r.duty_items)


def test_heading_item_duties_take_their_sub_bullets_and_partners(by_agency):
    r = by_agency["Phòng Văn hóa và Thông tin"]
    assert r.duties == len(r.duty_items) == 2
    first, second = r.duty_items
    assert first.text == ("Phối hợp với Ban Tuyên giáo Tỉnh ủy và các cơ quan liên quan chuẩn bị tài liệu tuyên "
                          "truyền. Tài liệu về biên giới.")
    assert (first.line_start, first.line_end) == (line_of("- Phối hợp"), line_of("+ Tài liệu"))
    assert first.support == ["Ban Tuyên giáo Tỉnh ủy", "các cơ quan liên quan"]
    assert second.text == "Tham mưu UBND tỉnh quản lý hoạt động báo chí." and second.support == []


def test_sentence_item_keeps_its_predicate_and_partners(by_agency):
    r = by_agency["Sở Kế hoạch và Đầu tư"]
    assert r.duties == 1
    [d] = r.duty_items
    assert d.text.startswith("phối hợp với Sở Thông tin và Truyền thông và các cơ quan")
    assert d.text.endswith("cung cấp thông tin về đầu tư.")
    assert d.line_start == d.line_end == line_of("3. Sở Kế hoạch")
    assert d.support == ["Sở Thông tin và Truyền thông", "các cơ quan, đơn vị có liên quan"]


def test_paragraph_duties_find_their_own_lines(by_agency):
    r = by_agency["Ủy ban nhân dân các huyện"]
    assert spans(r) == [
        ("Xây dựng kế hoạch thông tin đối ngoại của huyện.", line_of("Xây dựng"), line_of("Xây dựng")),
        ("Báo cáo kết quả về Sở Thông tin và Truyền thông trước ngày 15/12.", line_of("Báo cáo"), line_of("Báo cáo")),
    ]
    assert r.duty_items[1].support == []  # "về Sở …" is where the report goes, not a partner


def test_lettered_duties_and_a_lower_case_head_word(by_agency):
    r = by_agency["Công an tỉnh"]
    assert [d.line_start for d in r.duty_items] == [line_of("a) Theo dõi"), line_of("b) Phối hợp")]
    assert r.duty_items[1].support == ["Sở Thông tin và Truyền thông", "Báo Nam Định"]


@pytest.mark.parametrize(("text", "expected"), [
    ("Phối hợp với Sở A và các cơ quan liên quan triển khai tốt kế hoạch.", ["Sở A", "các cơ quan liên quan"]),
    ("Chủ trì, phối hợp với các cơ quan, đơn vị liên quan chuẩn bị nội dung họp báo.",
     ["các cơ quan, đơn vị liên quan"]),
    ("phối hợp chặt chẽ với Ban Tuyên giáo Thị ủy và các cơ quan, đơn vị liên quan trong việc sản xuất tin bài",
     ["Ban Tuyên giáo Thị ủy", "các cơ quan, đơn vị liên quan"]),
    ("Đẩy mạnh tuyên truyền; phối hợp với UBND các xã, phường tổ chức hội nghị; phối hợp với Công an tỉnh theo dõi.",
     ["Ủy ban nhân dân các xã, phường", "Công an tỉnh"]),
    ("Tổng hợp, phối hợp phản bác các thông tin sai lệch.", []),
    ("Tham mưu UBND tỉnh ban hành kế hoạch.", []),
])
def test_supporting_bodies(text, expected):
    assert supporting(text) == expected


def test_predicate_drops_the_subject_only():
    assert predicate("Sở Tài chính bố trí kinh phí; phối hợp với Sở A.") == "bố trí kinh phí; phối hợp với Sở A."
    assert predicate("Đề nghị Ủy ban MTTQ tỉnh chỉ đạo thực hiện.") == "chỉ đạo thực hiện."
    assert predicate("Căn cứ tình hình thực tế, các đơn vị triển khai.") == (
        "Căn cứ tình hình thực tế, các đơn vị triển khai.")


def test_huong_tra_every_responsibility_lists_its_duties():
    rec = extract_file(HUONG_TRA)
    gold = json.loads((ROOT / "tests" / "gold" / "002_7a2d3a9fe5686233.json").read_text(encoding="utf-8"))
    assert [(r.agency, r.section, r.duties) for r in rec.responsibilities] == [
        (g["agency"], g["section"], g["duties"]) for g in gold["responsibilities"]]
    for r in rec.responsibilities:
        assert len(r.duty_items) == r.duties >= 1, r.agency
        assert all(d.text and d.line_start and d.line_start >= r.line for d in r.duty_items), r.agency
    lines = HUONG_TRA.read_text(encoding="utf-8").split("\n")
    vhtt = next(r for r in rec.responsibilities if r.agency == "Phòng Văn hóa và Thông tin")
    assert [d.line_start for d in vhtt.duty_items] == [92, 94, 96, 98, 100]
    for d in vhtt.duty_items:  # each duty is the text of its line (the spelling "hoá" folded to "hóa")
        assert fold_variants(lines[d.line_start - 1]).removeprefix("- ") == d.text
    assert vhtt.duty_items[0].support == ["Ban Tuyên giáo Thị ủy", "các cơ quan, ban, ngành, đoàn thể thị xã",
                                          "Ủy ban nhân dân các xã, phường"]
    assert vhtt.duty_items[4].support == ["Sở Thông tin và Truyền thông tỉnh"]
    police = next(r for r in rec.responsibilities if r.agency == "Công an thị xã")
    assert police.duty_items[0].support == ["Phòng Văn hóa và Thông tin"]


def test_duties_round_trip_and_validate():
    schema = json.loads((ROOT / "ttdn_graph" / "schema" / "record.schema.json").read_text(encoding="utf-8"))
    d = extract_text(PLAN, "duties.txt").to_dict()
    assert all(r["duty_items"] for r in d["responsibilities"])
    assert list(Draft202012Validator(schema).iter_errors(d)) == []
    back = record_from_dict(json.loads(json.dumps(d)))
    assert isinstance(back.responsibilities[0].duty_items[0], Duty)
    assert back.to_dict() == d
    old = {**d, "responsibilities": [{"agency": "Sở A", "section": "IV.1", "duties": 2}]}  # gold files: no texts
    assert record_from_dict(old).responsibilities[0].duty_items == []
    bad = {**d, "responsibilities": [{**d["responsibilities"][0], "duty_items": [{"text": ""}]}]}
    assert list(Draft202012Validator(schema).iter_errors(bad))
