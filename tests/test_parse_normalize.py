"""Normalisation: NFC and spelling variants, markup, PDF debris, broken lines, headers printed as one run."""

from __future__ import annotations

import unicodedata

import pytest

from ttdn_graph.parse.normalize import deglue, fold_variants, normalize_lines, strip_markup


def texts(s: str) -> list[str]:
    return [ln.text for ln in normalize_lines(s)]


@pytest.mark.parametrize(
    "raw, want",
    [
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("UỶ BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
        ("Văn hoá, Thể thao", "Văn hóa, Thể thao"),
        ("hoà bình, khoẻ mạnh", "hòa bình, khỏe mạnh"),
        ("tuỳ theo", "tùy theo"),
    ],
)
def test_old_tone_placement_is_folded(raw, want):
    assert fold_variants(raw) == want


@pytest.mark.parametrize("word", ["Quý", "QUÝ", "quý II", "quả", "Thủy", "giá", "của", "Hoàng", "HOÀNG"])
def test_tone_folding_leaves_other_syllables_alone(word):
    assert fold_variants(word) == unicodedata.normalize("NFC", word)


def test_decomposed_input_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "Kế hoạch thông tin đối ngoại")
    assert fold_variants(nfd) == "Kế hoạch thông tin đối ngoại"
    assert unicodedata.is_normalized("NFC", texts(nfd)[0])


def test_invisible_spaces_are_dropped():
    assert fold_variants("Sở\u00a0Ngoại\u200b vụ\ufeff") == "Sở Ngoại vụ"


@pytest.mark.parametrize(
    "raw, want",
    [
        ("**KẾ HOẠCH**", "KẾ HOẠCH"),
        ("## **II. NHIỆM VỤ CỤ THỂ**", "II. NHIỆM VỤ CỤ THỂ"),
        ("- *Cơ quan chủ trì:* Sở Ngoại vụ", "- Cơ quan chủ trì: Sở Ngoại vụ"),
        ("_Thời gian:_ Quý I", "Thời gian: Quý I"),
        ("của Chính phủ<sup>3</sup> về", "của Chính phủ về"),
        ("Cổng [thông tin](http://a.vn/x) điện tử", "Cổng thông tin điện tử"),
        ("Sở Văn hóa &amp; Du lịch", "Sở Văn hóa & Du lịch"),
        ("Kế  hoạch \t số", "Kế hoạch số"),
    ],
)
def test_markup_is_removed_words_kept(raw, want):
    assert strip_markup(raw) == want


@pytest.mark.parametrize(
    "raw, want",
    [
        ("của Thủ tướngChính phủ về", "của Thủ tướng Chính phủ về"),
        ("ngày 10/9/2018của Ban Bí thư", "ngày 10/9/2018 của Ban Bí thư"),
        ("của Chính phủ1 về quản lý", "của Chính phủ về quản lý"),
        ("Bộ Ngoại giao12, Bộ Công an", "Bộ Ngoại giao, Bộ Công an"),
    ],
)
def test_pdf_glue_is_undone(raw, want):
    assert deglue(raw) == want


def test_symbols_and_numbers_are_not_degled():
    s = "Quyết định số 1486/QĐ-TTg năm 2018 và 72/2015/NĐ-CP"
    assert deglue(s) == s


def test_letters_split_by_pdf_extraction_are_joined():
    assert texts("ngày 06/11/2018 c ủa Thủ tướng Chính phủ") == ["ngày 06/11/2018 của Thủ tướng Chính phủ"]
    assert texts("thông tin đối ngoại tr ong tình hình mới") == ["thông tin đối ngoại trong tình hình mới"]


def test_word_broken_after_its_consonants_is_rejoined():
    assert texts("- Tăng cường thông tin đối ng\noại trên địa bàn tỉnh.") == [
        "- Tăng cường thông tin đối ngoại trên địa bàn tỉnh."
    ]


def test_lone_bullet_dash_is_not_a_hyphenated_word():
    assert texts("II. NỘI DUNG\n- \ntuyên truyền") == ["II. NỘI DUNG", "- tuyên truyền"]


def test_emphasis_spanning_a_line_break_is_removed():
    assert texts("- *Cơ quan chủ trì: Sở\nngoại vụ*") == ["- Cơ quan chủ trì: Sở ngoại vụ"]


def test_control_characters_are_blanked():
    assert texts("Số: 12/KH-UBND\x1f\r\nKẾ HOẠCH\x0c") == ["Số: 12/KH-UBND", "KẾ HOẠCH"]


def test_sentence_broken_across_lines_and_page_break_is_rejoined():
    raw = (
        "- Tăng cường quảng bá hình ảnh của tỉnh trên\n"
        "\n"
        "- 3 -\n"
        "\n"
        "các phương tiện thông tin đại chúng.\n"
        "- Tổ chức hội nghị tuyên truy-\n"
        "ền về biển, đảo.\n"
    )
    lines = normalize_lines(raw)
    assert [ln.text for ln in lines] == [
        "- Tăng cường quảng bá hình ảnh của tỉnh trên các phương tiện thông tin đại chúng.",
        "- Tổ chức hội nghị tuyên truyền về biển, đảo.",
    ]
    assert [ln.no for ln in lines] == [1, 6]  # each joined line keeps the source line it starts on


@pytest.mark.parametrize("debris", ["12", "- 3 -", "-4-", "Trang 2/10", "Page 3 of 9", "\f"])
def test_page_debris_lines_are_dropped(debris):
    assert texts(f"I. NỘI DUNG\n{debris}\n1. Tuyên truyền") == ["I. NỘI DUNG", "1. Tuyên truyền"]


def test_closed_line_is_not_joined_to_next():
    assert texts("Căn cứ Luật Báo chí;\nthực hiện Kế hoạch") == ["Căn cứ Luật Báo chí;", "thực hiện Kế hoạch"]


def test_marker_line_is_not_joined_even_when_lower_case():
    assert texts("1. Mục đích\na) nâng cao nhận thức\nb) tăng cường") == [
        "1. Mục đích",
        "a) nâng cao nhận thức",
        "b) tăng cường",
    ]


def test_header_printed_as_one_run_is_split_keeping_line_number():
    raw = (
        "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc "
        "Số: 12/KH-UBND Lạng Sơn, ngày 5 tháng 3 năm 2021 KẾ HOẠCH Thông tin đối ngoại tỉnh Lạng Sơn năm 2021 "
        "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ; I. MỤC ĐÍCH, YÊU CẦU"
    )
    lines = normalize_lines(raw)
    assert [ln.text for ln in lines] == [
        "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/KH-UBND",
        "Lạng Sơn, ngày 5 tháng 3 năm 2021",
        "KẾ HOẠCH Thông tin đối ngoại tỉnh Lạng Sơn năm 2021",
        "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ;",
        "I. MỤC ĐÍCH, YÊU CẦU",
    ]
    assert {ln.no for ln in lines} == {1}


def test_pipe_table_header_row_is_split_into_cells():
    assert texts("| Số: 12/KH-UBND | Lạng Sơn, ngày 5 tháng 3 năm 2021 |") == [
        "Số: 12/KH-UBND",
        "Lạng Sơn, ngày 5 tháng 3 năm 2021",
    ]


def test_body_lines_are_never_split_as_headers():
    body = "I. NỘI DUNG\n1. Phối hợp với Sở Ngoại vụ. Số: 5 đoàn; KẾ HOẠCH năm sau"
    assert texts(body) == ["I. NỘI DUNG", "1. Phối hợp với Sở Ngoại vụ. Số: 5 đoàn; KẾ HOẠCH năm sau"]


def test_nothing_after_the_title_is_split_as_a_header():
    raw = "KẾ HOẠCH\nTRIỂN KHAI KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI NĂM 2021\nTheo Số: 5 đoàn, Hà Nội, ngày 2 tháng 3 năm 2021"
    assert texts(raw) == raw.split("\n")


def test_normalisation_is_idempotent_on_its_output():
    raw = "**KẾ HOẠCH**\nThông tin đối ngoại tỉnh Hoà Bình năm 2021\nCăn cứ Quyết định\nsố 1486/QĐ-TTg c ủa Thủ tướngChính phủ1;"
    once = "\n".join(texts(raw))
    assert "\n".join(texts(once)) == once
