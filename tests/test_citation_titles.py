"""The title a citing text prints after a citation ("… của Thủ tướng Chính phủ phê duyệt Đề án …"), on made-up
sentences (other issuers, broken lines, bold, two citations in one sentence, quotes), and the rule that picks an
instrument's title when documents print it differently."""

from __future__ import annotations

import pytest
from pyoxigraph import Literal

from ttdn_graph.extract import extract_text
from ttdn_graph.graph.consolidate import Statement, consolidate
from ttdn_graph.graph.namespaces import TTDN
from ttdn_graph.parse.citations import find_citations, title_form
from ttdn_graph.parse.normalize import normalize_lines


def _titles(text: str) -> dict[str, tuple[str | None, int | None]]:
    return {c.number: (c.title, c.title_line) for c in find_citations(normalize_lines(text)) if c.number}


@pytest.mark.parametrize(("text", "number", "title"), [
    ("Căn cứ Nghị định số 15/2020/NĐ-CP ngày 03/02/2020 của Chính phủ quy định xử phạt vi phạm hành chính trong "
     "lĩnh vực bưu chính, viễn thông;", "15/2020/NĐ-CP",
     "quy định xử phạt vi phạm hành chính trong lĩnh vực bưu chính, viễn thông"),
    ("Căn cứ Quyết định số 2271/QĐ-BNG ngày 12/3/2021 của Bộ Ngoại giao về việc ban hành Quy chế phát ngôn;",
     "2271/QĐ-BNG", "về việc ban hành Quy chế phát ngôn"),
    ("Thực hiện Kết luận số 41-KL/TU ngày 08/8/2022 của Ban Thường vụ Tỉnh ủy Lạng Sơn về công tác đối ngoại "
     "nhân dân.", "41-KL/TU", "về công tác đối ngoại nhân dân"),
    ("Thông tư số 08/2019/TT-BNV ngày 10/6/2019 hướng dẫn công tác văn thư (đã sửa đổi).", "08/2019/TT-BNV",
     "hướng dẫn công tác văn thư"),
    ("Thực hiện Quyết định số 95/QĐ-TTg ngày 11/01/2019 của Thủ tướng Chính phủ về phát triển du lịch biên giới để "
     "thu hút khách.", "95/QĐ-TTg", "về phát triển du lịch biên giới"),
])
def test_the_title_after_a_citation(text, number, title):
    assert _titles(text)[number][0] == title


def test_a_sentence_broken_across_lines_keeps_its_title_whole_and_its_first_line():
    text = ("Căn cứ Quyết định số 450/QĐ-UBND ngày 12/3/2021 của Ủy ban nhân dân tỉnh Cao Bằng phê duyệt\n"
            "Đề án quảng bá hình ảnh tỉnh Cao Bằng ra nước ngoài giai đoạn 2021 - 2025;\n"
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;\n")
    got = _titles(text)
    assert got["450/QĐ-UBND"] == ("phê duyệt Đề án quảng bá hình ảnh tỉnh Cao Bằng ra nước ngoài giai đoạn 2021 - 2025",
                                  1)
    assert got["30/2020/NĐ-CP"] == ("về công tác văn thư", 3)


def test_a_line_that_ends_its_sentence_ends_the_title():
    text = ("- Triển khai Chỉ thị số 12/CT-UBND ngày 02/4/2020 của Chủ tịch Ủy ban nhân dân tỉnh về quản lý đoàn ra\n"
            "- Sở Ngoại vụ chủ trì.\n")
    assert _titles(text)["12/CT-UBND"][0] == "về quản lý đoàn ra"


def test_markdown_bold_around_the_citation():
    text = ("Thực hiện **Chỉ thị số 07-CT/TW** ngày 20/5/2021 của **Ban Bí thư** về tăng cường bảo vệ nền tảng tư "
            "tưởng của Đảng trong tình hình mới.")
    assert _titles(text)["07-CT/TW"][0] == "về tăng cường bảo vệ nền tảng tư tưởng của Đảng trong tình hình mới"


def test_two_citations_in_one_sentence_each_get_their_own_title():
    text = ("Căn cứ Thông tư số 01/2011/TT-BNV ngày 19/01/2011 của Bộ Nội vụ hướng dẫn thể thức văn bản, Quyết định "
            "số 120/QĐ-UBND ngày 05/01/2022 của Ủy ban nhân dân tỉnh Lạng Sơn ban hành quy chế làm việc;")
    got = _titles(text)
    assert got["01/2011/TT-BNV"][0] == "hướng dẫn thể thức văn bản"
    assert got["120/QĐ-UBND"][0] == "ban hành quy chế làm việc"


def test_a_citation_the_title_leads_to_is_part_of_it_and_one_it_does_not_is_not():
    text = ("Tiếp tục thực hiện Kế hoạch số 5/KH-UBND ngày 02/02/2020 của Ủy ban nhân dân tỉnh Sơn La về triển khai "
            "thực hiện Chỉ thị số 3/CT-TTg ngày 01/01/2020 của Thủ tướng Chính phủ về phòng chống thiên tai theo "
            "Thông tư số 9/2019/TT-BNNPTNT ngày 3/3/2019 của Bộ Nông nghiệp và Phát triển nông thôn;")
    got = _titles(text)
    assert got["5/KH-UBND"][0] == ("về triển khai thực hiện Chỉ thị số 3/CT-TTg ngày 01/01/2020 của Thủ tướng Chính "
                                   "phủ về phòng chống thiên tai")
    assert got["3/CT-TTg"][0] == "về phòng chống thiên tai"  # "theo" Thông tư … is not part of it


def test_a_quoted_name_ends_the_title_even_with_a_semicolon_inside():
    text = ("Thực hiện Kế hoạch số 88/KH-BTTTT ngày 02/4/2020 của Bộ Thông tin và Truyền thông về triển khai Đề án "
            "“Tăng cường thông tin về biển; chủ quyền quốc gia” trên cả nước, các sở chủ động.")
    assert _titles(text)["88/KH-BTTTT"][0] == ("về triển khai Đề án “Tăng cường thông tin về biển; chủ quyền quốc "
                                                "gia”")


def test_no_title_where_none_is_printed():
    text = ("Theo Quyết định số 12/QĐ-TTg ngày 01/02/2019 của Thủ tướng Chính phủ, các sở tổ chức thực hiện; "
            "Nghị định số 7/2018/NĐ-CP và Thông tư số 4/2019/TT-BTC cùng quy định.")
    got = _titles(text)
    assert got["12/QĐ-TTg"][0] is None and got["7/2018/NĐ-CP"][0] is None


def test_the_record_carries_the_title_its_printed_form_and_line():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC KẠN\nSố: 10/KH-UBND\nBắc Kạn, ngày 05 tháng 01 năm 2023\n\nKẾ HOẠCH\n"
            "Thông tin đối ngoại năm 2023\n\n"
            "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ về quản lý hoạt động TTĐN;\n"
            "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:\n\nI. MỤC ĐÍCH\n1. Tuyên truyền.\n")
    rec = extract_text(text, "bk.txt")
    inst = next(i for i in rec.instruments if i.number == "72/2015/NĐ-CP")
    assert inst.title == "Về quản lý hoạt động thông tin đối ngoại"  # the abbreviation written out
    assert inst.title_printed == "về quản lý hoạt động TTĐN"
    assert "về quản lý hoạt động TTĐN" in text.splitlines()[inst.title_line - 1]
    assert "title" in rec.to_dict()["instruments"][0]


def test_title_form_agrees_across_spellings():
    assert title_form("về việc Phê duyệt Chương trình của Chính Phủ (TTĐN) giai đoạn 2013-2020") == \
        title_form("Về việc Phê duyệt Chương trình của Chính phủ giai đoạn 2013 - 2020")


def _stmt(graph: str, title: str) -> Statement:
    return Statement(graph, False, ((TTDN + "statedTitle", Literal(title, language="vi")),))


def test_the_title_most_documents_print_wins_and_the_shortest_on_a_tie():
    e = "https://example.org/id/instrument/qd/2018/1-qd-ttg"
    long_, short = "Phê duyệt Đề án A, định kỳ báo cáo hằng năm", "Phê duyệt Đề án A"
    pick = lambda stmts: next(o.value for _s, p, o in consolidate(e, stmts) if p.value == TTDN + "title")  # noqa: E731
    assert pick([_stmt("g1", long_), _stmt("g2", short)]) == short
    assert pick([_stmt("g1", long_), _stmt("g2", long_), _stmt("g3", short)]) == long_


def test_a_comma_before_a_clause_carrying_out_another_citation_ends_the_title():
    text = ("Căn cứ Quyết định số 506/QĐ-TTg ngày 21/9/2018 của Thủ tướng Chính phủ phê duyệt Đề án tuyên truyền biển, "
            "đảo giai đoạn 2019 - 2025, triển khai thực hiện Nghị quyết số 33-NQ/TW ngày 11/6/2017 của Ban Chấp hành "
            "Trung ương về kinh tế biển;")
    got = _titles(text)
    assert got["506/QĐ-TTg"][0] == "phê duyệt Đề án tuyên truyền biển, đảo giai đoạn 2019 - 2025"
    assert got["33-NQ/TW"][0] == "về kinh tế biển"


def test_title_form_writes_dates_one_way():
    assert title_form("về thực hiện Quyết định số 5/QĐ-TTg ngày 09 tháng 04 năm 2020 của Thủ tướng Chính phủ") == \
        title_form("về thực hiện Quyết định số 5/QĐ-TTg ngày 9/4/2020 của Thủ tướng Chính phủ")


def test_a_comma_before_a_new_clause_of_the_sentence_ends_the_title():
    text = ("- Theo dõi việc thực hiện Chỉ thị số 15/CT-TTg ngày 02/5/2019 của Thủ tướng Chính phủ về phát triển "
            "thương mại biên giới, định kỳ hằng quý báo cáo Ủy ban nhân dân tỉnh.")
    assert _titles(text)["15/CT-TTg"][0] == "về phát triển thương mại biên giới"
