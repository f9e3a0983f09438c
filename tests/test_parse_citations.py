"""Citations of legal instruments: symbol grammar, dates, issuers, roles and relations, on messy text."""

from __future__ import annotations

import pytest

from ttdn_graph.extract import extract_text
from ttdn_graph.parse.citations import find_citations, norm_number, relations
from ttdn_graph.parse.normalize import normalize_lines


def cites(text: str):
    return find_citations(normalize_lines(text))


def one(text: str):
    found = [c for c in cites(text) if c.number]
    assert len(found) == 1, [c.printed for c in found]
    return found[0]


def note_codes(c) -> list[str]:
    return [code for code, _ in c.notes]


HEAD = "KẾ HOẠCH\nThông tin đối ngoại tỉnh Nam Định năm 2021\n"


def instruments(body: str, head: str = HEAD):
    rec = extract_text(head + body, "fixture.txt")
    return rec, {i.number or i.name: i for i in rec.instruments}


@pytest.mark.parametrize(
    "text",
    [
        "Căn cứ Quyết định số 1486/QĐ-TTg ngày 06/11/2018 của Thủ tướng Chính phủ;",
        "Căn cứ Quyết định\nsố 1486/QĐ-TTg ngày 06/11/2018 của Thủ tướng Chính phủ;",
        "Căn cứ Quyết định số\n1486/ QĐ-TTg ngày 06/11/2018 của Thủ tướng Chính phủ;",
        "Căn cứ Quyết định số 1486/\nQĐ-TTg ngày\n06/11/2018 của Thủ tướng Chính phủ;",
        "Căn cứ Quyết định số 1486 /QĐ- TTg ngày 06/11/2018 của Thủ tướngChính phủ;",
        "Căn cứ **Quyết định số 1486/QĐ-TTg** ngày 06 tháng 11 năm 2018 c ủa Thủ tướng Chính phủ1;",
        "Căn cứ Quyết định 1486/QĐ-TTg ngày 6/11/2018 của Thủ tướng Chính phủ;",
    ],
)
def test_one_citation_however_it_is_broken(text):
    c = one(text)
    assert (c.type, c.number, c.date, c.issuer) == ("Quyết định", "1486/QĐ-TTg", "2018-11-06", "Thủ tướng Chính phủ")
    assert c.line == 1


def test_citation_line_is_the_source_line():
    c = one("Căn cứ Luật Báo chí;\n\nCăn cứ Chỉ thị số 21/CT -TTg ngày 06/8/2012 của Thủ tướng Chính phủ;")
    assert (c.number, c.line) == ("21/CT-TTg", 3)


def test_lost_slash_before_the_year_is_restored_with_a_note():
    c = one("Căn cứ Thông tư số 222016/TT-BTTTT ngày 19/10/2016 của Bộ Thông tin và Truyền thông;")
    assert c.number == "22/2016/TT-BTTTT"
    assert "lost-slash" in note_codes(c)


def test_long_number_without_year_code_is_not_split():
    c = one("Thực hiện Công văn số 12019/UBND-VX ngày 3/3/2019 của UBND tỉnh;")
    assert c.number == "12019/UBND-VX" and not c.notes


def test_glued_year_and_preposition():
    c = one("Căn cứ Chỉ thị số 26-CT/TW ngày 10/9/2008của Ban Bí thư về công tác thông tin đối ngoại;")
    assert (c.date, c.issuer) == ("2008-09-10", "Ban Bí thư")


@pytest.mark.parametrize(
    "text, number, date",
    [
        ("Căn cứ Nghị định 72/NĐ-CP của Chính phủ;", "72/NĐ-CP", None),  # no "số", no year, no date
        ("Căn cứ Nghị định số 72/2015/NĐ-CP của Chính phủ;", "72/2015/NĐ-CP", None),
        ("Căn cứ Nghị định số 72/2015/NĐ- CP ngày\n07/9/2015 của Chính phủ;", "72/2015/NĐ-CP", "2015-09-07"),
    ],
)
def test_citation_without_so_or_year_or_date(text, number, date):
    c = one(text)
    assert (c.type, c.number, c.date, c.issuer) == ("Nghị định", number, date, "Chính phủ")


def test_date_contradicting_the_year_in_the_number_is_kept_and_noted():
    c = one("Căn cứ Quyết định số 18/2014/QĐ-UBND ngày 11/8/2019 của UBND tỉnh;")
    assert c.date == "2019-08-11"
    assert "date-contradicts-number" in note_codes(c)


def test_impossible_date_is_null_and_noted():
    c = one("Căn cứ Quyết định số 12/QĐ-UBND ngày 31/02/2019 của UBND tỉnh;")
    assert c.date is None and "bad-date" in note_codes(c)


def test_type_word_contradicting_the_symbol_stays_and_is_noted():
    c = one("Căn cứ Quyết định số 37/KH-UBND ngày 19/9/2017 của UBND tỉnh;")
    assert (c.type, c.number) == ("Quyết định", "37/KH-UBND")
    assert "type-contradiction" in note_codes(c)


@pytest.mark.parametrize(
    "text, type_, number, issuer",
    [
        ("Thực hiện Chỉ thị số 26-CT/TW ngày 10/9/2008 của Ban Bí thư;", "Chỉ thị", "26-CT/TW", "Ban Bí thư"),
        (
            "theo Quyết định số 1144-QĐ/TU ngày 31/8/2018 của Tỉnh ủy Quảng Ninh;",
            "Quyết định",
            "1144-QĐ/TU",
            "Tỉnh ủy Quảng Ninh",
        ),
        ("Kết luận số 16-KL/TW ngày 14/2/2012 của Bộ Chính trị;", "Kết luận", "16-KL/TW", "Bộ Chính trị"),
        (
            "Kế hoạch số 269/KH-STTTT-BCHBĐBP ngày 29/5/2018 của Sở Thông tin và Truyền thông và Bộ Chỉ huy Bộ đội "
            "Biên phòng tỉnh;",
            "Kế hoạch",
            "269/KH-STTTT-BCHBĐBP",
            "Sở Thông tin và Truyền thông và Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
        ),
        (
            "Hướng dẫn số 4110/BTTTT-TTĐN ngày 04/12/2018 của Bộ TT&TT;",
            "Hướng dẫn",
            "4110/BTTTT-TTĐN",
            "Bộ Thông tin và Truyền thông",
        ),
        (
            "Công văn số 123/STTTT-TTBCXB ngày 5/3/2021 của Sở TT&TT;",
            "Công văn",
            "123/STTTT-TTBCXB",
            "Sở Thông tin và Truyền thông",
        ),
        (
            "Thông tư liên tịch số 5/2019/TTLT-BTTTT-BNG ngày 1/2/2019 của Bộ Thông tin và Truyền thông và Bộ Ngoại giao;",
            "Thông tư liên tịch",
            "5/2019/TTLT-BTTTT-BNG",
            "Bộ Thông tin và Truyền thông và Bộ Ngoại giao",
        ),
        (
            "Quyết định số 02/QĐ-BCĐASEAN ngày 26/6/2019 của Ban Chỉ đạo Thông tin tuyên truyền ASEAN về Ban hành …;",
            "Quyết định",
            "02/QĐ-BCĐASEAN",
            "Ban Chỉ đạo Thông tin tuyên truyền ASEAN",
        ),
        (
            "Quyết định số 3019/2013/QĐ-UBND ngày 11/12/2013 của Uỷ ban nhân dân (UBND) tỉnh Bình Định về việc;",
            "Quyết định",
            "3019/2013/QĐ-UBND",
            "Ủy ban nhân dân tỉnh Bình Định",
        ),
    ],
)
def test_symbol_grammar_and_issuers(text, type_, number, issuer):
    c = one(text)
    assert (c.type, c.number, c.issuer) == (type_, number, issuer)


def test_bare_symbol_with_known_code_is_typed_from_the_code():
    c = one("nội dung theo 26-CT/TW và các văn bản liên quan")
    assert (c.type, c.number) == ("Chỉ thị", "26-CT/TW")


@pytest.mark.parametrize(
    "text",
    [
        "Trong năm 2019/2020 đã tổ chức 12/15 hội nghị.",
        "tỷ lệ 30/KH tăng so với năm trước",  # a type code with no issuer code is not a symbol
        "số 15/2020 ngày 3/3/2020",
        "đạt 4110/BTTTT lượt truy cập",  # no type word and no type code
    ],
)
def test_numbers_that_are_not_citations(text):
    assert [c.number for c in cites(text) if c.number] == []


def test_norm_number_ignores_spacing_dashes_and_case():
    assert norm_number("72/2015/nđ – CP") == norm_number("72/2015/NĐ-CP")


def test_implements_relation():
    cs = cites(
        "Căn cứ Kế hoạch số 5/KH-UBND ngày 2/1/2019 của UBND tỉnh về triển khai thực hiện Quyết định số 1/QĐ-TTg "
        "ngày 1/1/2018 của Thủ tướng Chính phủ;"
    )
    assert [(cs[i].number, rel, cs[j].number) for i, rel, j in relations(cs)] == [
        ("5/KH-UBND", "implements", "1/QĐ-TTg")
    ]


def test_amends_relation():
    cs = cites(
        "Căn cứ Nghị quyết số 9/2020/NQ-HĐND ngày 3/3/2020 của HĐND tỉnh sửa đổi, bổ sung một số điều của "
        "Nghị quyết số 4/2018/NQ-HĐND ngày 1/2/2018 của HĐND tỉnh;"
    )
    assert [(cs[i].number, rel, cs[j].number) for i, rel, j in relations(cs)] == [
        ("9/2020/NQ-HĐND", "amends", "4/2018/NQ-HĐND")
    ]


def test_no_relation_between_citations_in_a_list():
    cs = cites(
        "Căn cứ Quyết định số 368/QĐ-TTg ngày 28/2/2013 của Thủ tướng Chính phủ; Quyết định số 1486/QĐ-TTg ngày "
        "06/11/2018 của Thủ tướng Chính phủ;"
    )
    assert len(cs) == 2 and relations(cs) == []


@pytest.mark.parametrize(
    "text, want",
    [
        # after a comma, a capitalised subject opens the plan's own clause: what it carries out is not the first's
        ("Thực hiện Quyết định số 1191/QĐ-TTg ngày 15/10/2023 của Thủ tướng Chính phủ, Sở Ngoại vụ ban hành Kế hoạch "
         "triển khai thực hiện Nghị định số 72/2015/NĐ-CP như sau:", []),
        ("Thực hiện Kế hoạch số 30/KH-UBND ngày 20/1/2024 của UBND tỉnh, UBND huyện xây dựng Kế hoạch thực hiện "
         "Quyết định số 1191/QĐ-TTg như sau:", []),
        # a clause going on in lower case still describes the first
        ("Căn cứ Công văn số 1112/BTTTT-TTCS ngày 26/6/2020 của Bộ Thông tin và Truyền thông về tăng cường tuyên "
         "truyền, triển khai thực hiện Quyết định số 1671/QĐ-TTg ngày 16/11/2019 của Thủ tướng Chính phủ;",
         [("1112/BTTTT-TTCS", "implements", "1671/QĐ-TTg")]),
    ],
)
def test_implements_only_within_the_citations_clause(text, want):
    cs = cites(text)
    assert len(cs) == 2 and [(cs[i].number, rel, cs[j].number) for i, rel, j in relations(cs)] == want


def test_a_heading_ending_with_a_carried_out_type_word_names_no_instrument():
    _, by = instruments("Căn cứ Luật Báo chí;\nI. NỘI DUNG\n1. Tuyên truyền.\nIV. KINH PHÍ THỰC HIỆN KẾ HOẠCH\n"
                        "Kinh phí thực hiện từ ngân sách tỉnh.\n")
    assert [k for k in by if "ngân sách" in k] == []


def test_roles_dedupe_and_relations_in_a_record():
    rec, by = instruments(
        "Căn cứ Kế hoạch số 5/KH-UBND ngày 2/1/2019 của UBND tỉnh Nam Định về triển khai thực hiện Quyết định số "
        "1486/QĐ-TTg ngày 06/11/2018 của Thủ tướng Chính phủ;\n"
        "Xét đề nghị của Sở Thông tin và Truyền thông tại Tờ trình số 9/TTr-STTTT ngày 2/10/2020,\n"
        "I. NỘI DUNG\n"
        "1. Triển khai Quyết định số 1486/QĐ-TTg ngày 6/11/2018 của Thủ tướng Chính phủ.\n"
        "2. Thực hiện Nghị định 72/NĐ-CP.\n"
        "Nơi nhận:\n- Như Quyết định số 99/QĐ-UBND;\n"
    )
    assert list(by) == ["5/KH-UBND", "1486/QĐ-TTg", "9/TTr-STTTT", "72/NĐ-CP"]  # once each, none after "Nơi nhận"
    assert by["5/KH-UBND"].cited_as == ["basis"]
    assert by["5/KH-UBND"].implements == ["QĐ|1486/QĐ-TTg"]
    assert by["1486/QĐ-TTg"].cited_as == ["basis", "body"]
    assert by["1486/QĐ-TTg"].date == "2018-11-06"
    assert by["9/TTr-STTTT"].cited_as == ["proposal"] and by["9/TTr-STTTT"].type == "Tờ trình"
    assert by["72/NĐ-CP"].cited_as == ["body"]
    assert "date-mismatch" not in [w.code for w in rec.warnings]  # 06/11 and 6/11 are one date


def test_same_number_with_two_dates_is_one_instrument_and_a_warning():
    rec, by = instruments(
        "Căn cứ Quyết định số 12/QĐ-UBND ngày 3/2/2015 của UBND tỉnh;\nI. NỘI DUNG\n"
        "1. Thực hiện Quyết định số 12/QĐ-UBND ngày 4/2/2015.\n"
    )
    assert list(by) == ["12/QĐ-UBND"] and by["12/QĐ-UBND"].date == "2015-02-03"
    assert "date-mismatch" in [w.code for w in rec.warnings]


def test_plan_does_not_cite_its_own_number():
    head = "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH\nSố: 12/KH-UBND\nNam Định, ngày 5 tháng 3 năm 2021\n" + HEAD
    _, by = instruments("Căn cứ Luật Báo chí;\nI. NỘI DUNG\n1. Triển khai Kế hoạch số 12/KH-UBND này.\n", head)
    assert "12/KH-UBND" not in by


def test_local_issuer_is_completed_with_the_plan_province():
    _, by = instruments("Căn cứ Quyết định số 18/2014/QĐ-UBND ngày 11/8/2014 của UBND tỉnh;\nI. NỘI DUNG\n")
    assert by["18/2014/QĐ-UBND"].issuer == "Ủy ban nhân dân tỉnh Nam Định"


def test_warnings_from_citations_reach_the_record():
    rec, _ = instruments(
        "Căn cứ Thông tư số 222016/TT-BTTTT ngày 19/10/2016 của Bộ Thông tin và Truyền thông;\n"
        "Căn cứ Quyết định số 37/KH-UBND ngày 19/9/2017 của UBND tỉnh;\nI. NỘI DUNG\n"
    )
    assert {"lost-slash", "type-contradiction"} <= {w.code for w in rec.warnings}
    assert all(w.line in (3, 4) for w in rec.warnings if w.code in ("lost-slash", "type-contradiction"))


def test_named_instruments_carried_out_or_quoted():
    _, by = instruments(
        "Thực hiện Chiến lược bảo vệ biên giới quốc gia; Căn cứ Luật Báo chí ngày 05/4/2016;\n"
        "Căn cứ Quyết định số 368/QĐ-TTg ngày 28/2/2013 của Thủ tướng Chính phủ phê duyệt “Chương trình hành động "
        "của Chính phủ về thông tin đối ngoại”;\nI. NỘI DUNG\n"
    )
    assert by["Chiến lược bảo vệ biên giới quốc gia"].number is None
    assert by["Luật Báo chí"].cited_as == ["basis"]
    # what a numbered decision approves is not listed on its own
    assert not any((i.name or "").startswith("Chương trình hành động") for i in by.values())


def test_preamble_variants_of_other_provinces():
    body = (
        "Căn cứ Kế hoạch số 199a/KH-UBND của UBND tỉnh ngày 12/3/2021 về hội nhập quốc tế;\n"
        "Thực hiện Công văn số 1017/BTTTT-TTĐN ngày 25/3/2021 của Bộ Thông tin và Truyền thông về việc hướng dẫn; "
        "Thông tư liên tịch số 08/2017/TTLT-BTTTT-BNG ngày 10/5/2017 của Bộ Thông tin và Truyền thông và Bộ Ngoại "
        "giao; Nghị quyết số 59/NQ-CP, ngày 24/7/2017 của Chính phủ; QUYẾT ĐỊNH SỐ 4155/QĐ-UBND, ngày 05/12/2019 "
        "của UBND tỉnh; Thông tư số 22/2016/TT-BTTTT ngày 19/10/2016 của Bộ trưởng Bộ Thông tin và Truyền thông;\n"
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:\nI. MỤC ĐÍCH\n"
    )
    rec, by = instruments(body)
    assert set(by) == {
        "199a/KH-UBND", "1017/BTTTT-TTĐN", "08/2017/TTLT-BTTTT-BNG", "59/NQ-CP", "4155/QĐ-UBND", "22/2016/TT-BTTTT"
    }
    assert by["199a/KH-UBND"].date == "2021-03-12"  # the date after the issuer
    assert by["1017/BTTTT-TTĐN"].type == "Công văn"
    assert by["08/2017/TTLT-BTTTT-BNG"].type == "Thông tư liên tịch"
    assert by["59/NQ-CP"].date == "2017-07-24"
    assert by["4155/QĐ-UBND"].type == "Quyết định"
    assert by["22/2016/TT-BTTTT"].issuer == "Bộ Thông tin và Truyền thông"
    assert all(i.cited_as == ["basis"] for i in rec.instruments)


def test_party_term_is_not_part_of_the_issuer_and_dispatches_are_typed():
    body = (
        "Căn cứ Nghị quyết số 35-NQ/TW ngày 22/10/2018 của Bộ Chính trị khóa XII về tăng cường; Công điện số "
        "12/CĐ-TTg ngày 3/1/2021 của Thủ tướng Chính phủ;\nI. MỤC ĐÍCH\n"
    )
    _rec, by = instruments(body)
    assert by["35-NQ/TW"].issuer == "Bộ Chính trị"
    assert by["12/CĐ-TTg"].type == "Công điện"
