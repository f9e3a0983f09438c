"""The plan header: number, place and date, issuer, jurisdiction, title, period, signer — in the layouts plans
really arrive in (one run, pipe tables, website panels, typos, two-line unit names, district and city plans)."""

from __future__ import annotations

import pytest

from ttdn_graph.extract import extract_text
from ttdn_graph.parse.header import parse_header, sentence_case_unit
from ttdn_graph.parse.normalize import normalize_lines
from ttdn_graph.record import Record

PREAMBLE = "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ về quản lý hoạt động thông tin đối ngoại;\n"
BODY = "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n- Nâng cao nhận thức về thông tin đối ngoại.\n"


def extract(text: str):
    return extract_text(text, "fixture.txt")


def codes(rec) -> list[str]:
    return [w.code for w in rec.warnings]


def plan(rec) -> dict:
    return rec.to_dict()["plan"]


LANG_SON = {
    "number": "12/KH-UBND",
    "date_issued": "2021-03-05",
    "place": "Lạng Sơn",
    "issuer": "Ủy ban nhân dân tỉnh Lạng Sơn",
    "jurisdiction": {"name": "Lạng Sơn", "level": "tỉnh", "parent": None},
    "title": "Thông tin đối ngoại tỉnh Lạng Sơn năm 2021",
    "period": {"start": "2021-01-01", "end": "2021-12-31"},
}


def _subset(got: dict, want: dict) -> dict:
    return {k: got[k] for k in want}


def test_whole_header_on_one_line():
    rec = extract(
        "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
        "Số: 12/KH-UBND Lạng Sơn, ngày 5 tháng 3 năm 2021 KẾ HOẠCH Thông tin đối ngoại tỉnh Lạng Sơn năm 2021 "
        "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ về quản lý hoạt động thông tin đối ngoại; "
        "I. MỤC ĐÍCH, YÊU CẦU"
    )
    assert _subset(plan(rec), LANG_SON) == LANG_SON
    # the preamble on the same run is still the preamble
    assert [(i.number, i.cited_as) for i in rec.instruments] == [("72/2015/NĐ-CP", ["basis"])]
    assert "no-title" not in codes(rec) and "jurisdiction-guess" not in codes(rec)


def test_header_as_pipe_table():
    rec = extract(
        "| ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "|---|---|\n"
        "| | Độc lập - Tự do - Hạnh phúc |\n"
        "| Số: 12/KH-UBND | Lạng Sơn, ngày 5 tháng 3 năm 2021 |\n\n"
        "KẾ HOẠCH\nThông tin đối ngoại tỉnh Lạng Sơn năm 2021\n\n" + PREAMBLE + BODY
    )
    assert _subset(plan(rec), LANG_SON) == LANG_SON
    assert [i.number for i in rec.instruments] == ["72/2015/NĐ-CP"]


WEBSITE = (
    "Trang chủ | Văn bản | Tin tức | Liên hệ\n"
    "Đăng nhập Đăng ký\n"
    "Số hiệu: 45/KH-UBND\n"
    "Loại văn bản: Kế hoạch\n"
    "Nơi ban hành: Tỉnh Bắc Giang\n"
    "Ngày ban hành: 10/03/2020\n"
    "Xem thêm:\n"
    "Kế hoạch 99/KH-UBND năm 2019 về thông tin đối ngoại tỉnh Lào Cai\n"
    "Kế hoạch 7/KH-UBND năm 2020 về công tác thông tin đối ngoại thành phố Cần Thơ\n"
    "ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG\n-------\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n"
    "Số: 45/KH-UBND\nBắc Giang, ngày 10 tháng 3 năm 2020\n\n"
    "KẾ HOẠCH\nTHÔNG TIN ĐỐI NGOẠI TỈNH BẮC GIANG NĂM 2020\n\n" + PREAMBLE + BODY
)


def test_website_text_before_the_header():
    rec = extract(WEBSITE)
    p = plan(rec)
    assert p["number"] == "45/KH-UBND"
    assert p["date_issued"] == "2020-03-10"
    assert p["issuer"] == "Ủy ban nhân dân tỉnh Bắc Giang"  # the unit printed over two lines, joined
    assert p["jurisdiction"] == {"name": "Bắc Giang", "level": "tỉnh", "parent": None}
    assert p["title"] == "Thông tin đối ngoại tỉnh Bắc Giang năm 2020"  # all caps → sentence case, place kept
    # the "Xem thêm" links name other plans: neither the title nor cited instruments
    assert [i.number for i in rec.instruments] == ["72/2015/NĐ-CP"]
    assert "jurisdiction-guess" not in codes(rec)


def test_website_panel_number_used_when_the_header_has_none():
    text = WEBSITE.replace("Số: 45/KH-UBND\n", "")
    assert plan(extract(text))["number"] == "45/KH-UBND"


@pytest.mark.parametrize(
    "number_line, date_line",
    [
        ("Sô: 12/KH-UBND", "Nam Định, ngay 5 tháng 3 năm 2021"),
        ("Số: 12 /KH-UBND", "Nam Định,  ngày 5  tháng 3  năm 2021"),
        ("SỐ: 12/KH-UBND", "Nam Định, ngày 05 tháng 03 năm 2021"),
        ("Số:12/ KH-UBND", "Nam Định , ngày 5 tháng 3 năm 2021"),
    ],
)
def test_typos_in_number_and_date_lines(number_line, date_line):
    rec = extract(f"UBND TỈNH NAM ĐỊNH\n{number_line}\n{date_line}\nKẾ HOẠCH\nThông tin đối ngoại năm 2021\n{PREAMBLE}")
    p = plan(rec)
    assert (p["number"], p["date_issued"], p["place"]) == ("12/KH-UBND", "2021-03-05", "Nam Định")
    assert p["issuer"] == "Ủy ban nhân dân tỉnh Nam Định"
    assert p["jurisdiction"]["name"] == "Nam Định"


def test_missing_day_gives_null_date_and_a_warning():
    rec = extract(
        "ỦY BAN NHÂN DÂN\nTỈNH NAM ĐỊNH\nSố: 3/KH-UBND\nNam Định, ngày  tháng 10 năm 2018\n"
        "KẾ HOẠCH\nThông tin đối ngoại tỉnh Nam Định năm 2019\n" + PREAMBLE
    )
    p = plan(rec)
    assert p["date_issued"] is None
    assert p["place"] == "Nam Định"
    assert p["period"] == {"start": "2019-01-01", "end": "2019-12-31"}  # from the title, not the (missing) date
    assert "no-day" in codes(rec)


def test_impossible_date_is_null_with_warning():
    rec = extract(
        "UBND TỈNH NAM ĐỊNH\nSố: 3/KH-UBND\nNam Định, ngày 31 tháng 02 năm 2019\nKẾ HOẠCH\nThông tin đối ngoại năm 2019\n"
    )
    assert plan(rec)["date_issued"] is None
    assert "bad-date" in codes(rec)


def test_old_tone_spellings_in_header():
    rec = extract(
        "UỶ BAN NHÂN DÂN\nTỈNH HOÀ BÌNH\nSố: 7/KH-UBND\nHoà Bình, ngày 2 tháng 2 năm 2020\n"
        "KẾ HOẠCH\nTHÔNG TIN ĐỐI NGOẠI TỈNH HOÀ BÌNH NĂM 2020\n" + PREAMBLE
    )
    p = plan(rec)
    assert p["issuer"] == "Ủy ban nhân dân tỉnh Hòa Bình"
    assert p["place"] == "Hòa Bình"
    assert p["jurisdiction"]["name"] == "Hòa Bình"
    assert p["title"] == "Thông tin đối ngoại tỉnh Hòa Bình năm 2020"


def test_markdown_header():
    rec = extract(
        "**ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN**\n\n**Số: 9/KH-UBND**\n\n*Hưng Yên, ngày 1 tháng 2 năm 2020*\n\n"
        "# **KẾ HOẠCH**\n**Thông tin đối ngoại tỉnh Hưng Yên năm 2020**\n\n" + PREAMBLE + "## **" + BODY
    )
    p = plan(rec)
    assert (p["number"], p["date_issued"], p["place"]) == ("9/KH-UBND", "2020-02-01", "Hưng Yên")
    assert p["title"] == "Thông tin đối ngoại tỉnh Hưng Yên năm 2020"


def test_department_plan_takes_jurisdiction_from_the_parent_line():
    rec = extract(
        "UBND TỈNH QUẢNG NAM\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\nSố: 7/KH-STTTT\nQuảng Nam, ngày 2 tháng 2 năm 2020\n"
        "KẾ HOẠCH\nHoạt động thông tin đối ngoại năm 2020\n" + PREAMBLE
    )
    p = plan(rec)
    # the department is named with its province, as "Ủy ban nhân dân tỉnh X" is
    assert p["issuer"] == "Sở Thông tin và Truyền thông tỉnh Quảng Nam"
    assert p["jurisdiction"] == {"name": "Quảng Nam", "level": "tỉnh", "parent": None}
    assert "jurisdiction-guess" not in codes(rec)


@pytest.mark.parametrize(
    "unit, place, level, province",
    [
        ("HUYỆN BẢO LÂM", "Bảo Lâm", "huyện", "Cao Bằng"),  # not in the gazetteer: the province the text names
        ("THỊ XÃ SA PA", "Sa Pa", "thị xã", "Lào Cai"),
        ("THÀNH PHỐ VIỆT TRÌ", "Việt Trì", "thành phố", "Phú Thọ"),  # a city inside a province is a district
        ("THÀNH PHỐ MÓNG CÁI", "Móng Cái", "thành phố", "Quảng Ninh"),  # in the gazetteer
    ],
)
def test_district_plans_name_their_province_as_parent(unit, place, level, province):
    rec = extract(
        f"ỦY BAN NHÂN DÂN\n{unit}\nSố: 7/KH-UBND\n{place}, ngày 2 tháng 2 năm 2020\nKẾ HOẠCH\n"
        f"Thông tin đối ngoại trên địa bàn năm 2020\n"
        f"Thực hiện Kế hoạch số 40/KH-UBND ngày 1/2/2020 của UBND tỉnh {province} về thông tin đối ngoại "
        f"tỉnh {province} năm 2020, UBND {level} ban hành Kế hoạch như sau:\n" + BODY
    )
    p = plan(rec)
    assert p["jurisdiction"] == {"name": place, "level": level, "parent": province}
    assert p["issuer"] == f"Ủy ban nhân dân {level} {place}"
    assert rec.instruments[0].issuer == f"Ủy ban nhân dân tỉnh {province}"


@pytest.mark.parametrize("city", ["Đà Nẵng", "Hải Phòng", "Cần Thơ"])
def test_centrally_run_city(city):
    rec = extract(
        f"ỦY BAN NHÂN DÂN\nTHÀNH PHỐ {city.upper()}\nSố: 7/KH-UBND\n{city}, ngày 2 tháng 2 năm 2020\n"
        f"KẾ HOẠCH\nThông tin đối ngoại thành phố {city} năm 2020\n" + PREAMBLE
    )
    p = plan(rec)
    assert p["jurisdiction"] == {"name": city, "level": "thành phố trực thuộc trung ương", "parent": None}
    assert p["issuer"] == f"Ủy ban nhân dân thành phố {city}"


def test_no_header_block_jurisdiction_from_title_and_issuer_from_preamble():
    rec = extract(
        "KẾ HOẠCH\nThông tin đối ngoại thành phố Đà Nẵng năm 2020\n"
        "Thực hiện Quyết định số 1486/QĐ-TTg ngày 06/11/2018 của Thủ tướng Chính phủ, Ủy ban nhân dân thành phố "
        "Đà Nẵng ban hành Kế hoạch như sau:\n" + BODY
    )
    p = plan(rec)
    assert p["number"] is None and p["date_issued"] is None
    assert p["jurisdiction"]["level"] == "thành phố trực thuộc trung ương"
    assert p["issuer"] == "Ủy ban nhân dân thành phố Đà Nẵng"


@pytest.mark.parametrize(
    "title, period",
    [
        ("Thông tin đối ngoại tỉnh Nam Định năm 2021", ("2021-01-01", "2021-12-31")),
        ("HOẠT ĐỘNG THÔNG TIN ĐỐI NGOẠI GIAI ĐOẠN 2019-2020", ("2019-01-01", "2020-12-31")),
        ("Thông tin đối ngoại giai đoạn 2021 – 2025", ("2021-01-01", "2025-12-31")),
        ("Thông tin đối ngoại", ("2020-01-01", "2020-12-31")),  # no year: the year of issue
    ],
)
def test_period_from_title(title, period):
    rec = extract(
        f"UBND TỈNH NAM ĐỊNH\nSố: 1/KH-UBND\nNam Định, ngày 2 tháng 1 năm 2020\nKẾ HOẠCH\n{title}\n{PREAMBLE}"
    )
    assert (rec.plan.period.start, rec.plan.period.end) == period


def test_title_over_two_lines_stops_at_preamble():
    rec = extract("KẾ HOẠCH\nTHÔNG TIN ĐỐI NGOẠI TỈNH NAM ĐỊNH\nNĂM 2021\n" + PREAMBLE)
    assert rec.plan.title == "Thông tin đối ngoại tỉnh Nam Định năm 2021"


def test_body_starts_after_the_title():
    lines = normalize_lines("UBND TỈNH NAM ĐỊNH\nSố: 1/KH-UBND\nKẾ HOẠCH\nThông tin đối ngoại năm 2021\n" + PREAMBLE)
    hdr, body_start = parse_header(lines, Record("x"))
    assert lines[body_start].text.startswith("Căn cứ")
    assert hdr.number == "1/KH-UBND"


def test_signer_from_the_signature_block():
    rec = extract(
        "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH\nSố: 12/KH-UBND\nNam Định, ngày 5 tháng 3 năm 2021\nKẾ HOẠCH\n"
        "Thông tin đối ngoại năm 2021\n" + PREAMBLE + BODY + "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nTrần Văn Bình\n"
    )
    assert plan(rec)["signer"] == {"name": "Trần Văn Bình", "position": "Phó Chủ tịch"}


def test_no_title_is_warned_not_raised():
    rec = extract("Căn cứ Luật Báo chí;\nMột văn bản không có tiêu đề.")
    assert "no-title" in codes(rec)
    assert rec.plan.title is None


@pytest.mark.parametrize(
    "printed, canonical",
    [
        ("UBND TỈNH HẢI DƯƠNG", "Ủy ban nhân dân tỉnh Hải Dương"),
        ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Sở Thông tin và Truyền thông"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"),
        ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
        ("BAN TUYÊN GIÁO TỈNH ỦY", "Ban Tuyên giáo Tỉnh ủy"),
        ("HUYỆN ỦY LỤC NGẠN", "Huyện ủy Lục Ngạn"),
        ("ĐÀI PHÁT THANH VÀ TRUYỀN HÌNH TỈNH QUẢNG NAM", "Đài Phát thanh và Truyền hình tỉnh Quảng Nam"),
        ("VĂN PHÒNG HĐND VÀ UBND HUYỆN", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện"),
        ("UBND TỈNH BÀ RỊA - VŨNG TÀU", "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"),
        ("Sở Ngoại vụ", "Sở Ngoại vụ"),
    ],
)
def test_unit_lines_to_running_text_names(printed, canonical):
    assert sentence_case_unit(printed) == canonical


def test_party_board_plan_is_named_with_its_committee():
    rec = extract(
        "TỈNH ỦY BẮC GIANG\nBAN TUYÊN GIÁO\n*\nSố 12-KH/BTGTU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
        "Bắc Giang, ngày 5 tháng 1 năm 2022\nKẾ HOẠCH\ncông tác thông tin đối ngoại năm 2022\n-----\n" + PREAMBLE
    )
    p = plan(rec)
    assert p["number"] == "12-KH/BTGTU"
    assert p["place"] == "Bắc Giang"  # not "VIỆT NAM Bắc Giang" from the line above
    assert p["issuer"] == "Ban Tuyên giáo Tỉnh ủy Bắc Giang"
    assert p["jurisdiction"] == {"name": "Bắc Giang", "level": "tỉnh", "parent": None}
    assert p["title"] == "công tác thông tin đối ngoại năm 2022"


def test_numeric_header_date_and_caps_title_without_place():
    rec = extract("UBND HUYỆN SA PA\nSố: 33/KH-UBND\nSa Pa, ngày 15/3/2020\nKẾ HOẠCH\nThông tin đối ngoại năm 2020\n" + PREAMBLE)
    p = plan(rec)
    assert (p["date_issued"], p["place"]) == ("2020-03-15", "Sa Pa")
    assert p["jurisdiction"]["name"] == "Sa Pa" and p["jurisdiction"]["level"] == "huyện"
    rec = extract(
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 1234/KH-UBND\nThành phố Hồ Chí Minh, ngày 22 tháng 4 năm 2022\n"
        "KẾ HOẠCH\nTHÔNG TIN ĐỐI NGOẠI TRÊN ĐỊA BÀN THÀNH PHỐ\nNĂM 2022\n" + PREAMBLE
    )
    p = plan(rec)
    assert p["jurisdiction"] == {"name": "Hồ Chí Minh", "level": "thành phố trực thuộc trung ương", "parent": None}
    assert p["title"] == "Thông tin đối ngoại trên địa bàn thành phố năm 2022"  # "NĂM" is not a place
    assert p["period"] == {"start": "2022-01-01", "end": "2022-12-31"}


def test_website_panel_date_and_programme_heading():
    rec = extract(
        "Trang chủ > Văn bản pháp luật\nSố hiệu: 55/KH-UBND Loại văn bản: Kế hoạch\nNgày ban hành: 14/03/2023\n"
        "KẾ HOẠCH\nThông tin đối ngoại tỉnh Cà Mau năm 2023\n" + PREAMBLE
    )
    p = plan(rec)
    assert (p["number"], p["date_issued"]) == ("55/KH-UBND", "2023-03-14")
    rec = extract(
        "ỦY BAN NHÂN DÂN TỈNH YÊN BÁI\nSố: 77/CTr-UBND\nYên Bái, ngày 3 tháng 2 năm 2021\nCHƯƠNG TRÌNH\n"
        "Thông tin đối ngoại tỉnh Yên Bái năm 2021\n" + PREAMBLE
    )
    assert plan(rec)["title"] == "Thông tin đối ngoại tỉnh Yên Bái năm 2021"
    assert "no-title" not in codes(rec)
