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


# --- lines wrapped by the page width (a PDF's text layer) ------------------------------------------------------

WRAPPED_PARAGRAPHS = [
    "Căn cứ Nghị định số 72/2015/NĐ-CP ngày 07/9/2015 của Chính phủ về quản lý hoạt động thông tin đối ngoại;",
    "Căn cứ Quyết định số 1486/QĐ-TTg ngày 06/11/2018 của Thủ tướng Chính phủ ban hành Kế hoạch thông tin đối "
    "ngoại của Chính phủ giai đoạn 2018 - 2020;",
    "1. Tăng cường thông tin, quảng bá hoạt động xúc tiến đầu tư, thương mại, du lịch của tỉnh với các địa phương "
    "nước ngoài thông qua các hoạt động đối ngoại Nhân dân và hợp tác quốc tế trong tình hình mới",
    "- Cơ quan chủ trì: Sở Kế hoạch và Đầu tư, Sở Công Thương, Sở Văn hóa, Thể thao và Du lịch, Sở Ngoại vụ, Bộ "
    "Chỉ huy Bộ đội Biên phòng tỉnh, Ban Quản lý Khu kinh tế tỉnh, Đài Phát thanh và Truyền hình tỉnh, Báo Bắc "
    "Trung, Cổng Thông tin điện tử tỉnh.",
    "- Cơ quan phối hợp: Văn phòng Ủy ban nhân dân tỉnh; Ban Tuyên giáo Tỉnh ủy; Ủy ban nhân dân các huyện, thị "
    "xã, thành phố; Công an tỉnh; Bộ Chỉ huy Quân sự tỉnh; Liên hiệp các tổ chức hữu nghị tỉnh; Hội Nhà báo tỉnh.",
    "- Thời gian thực hiện: Năm 2024 và các năm tiếp theo, tập trung vào các sự kiện chính trị, kinh tế - xã hội "
    "quan trọng của tỉnh và của đất nước, các ngày lễ lớn.",
    "2. Tổ chức tập huấn, bồi dưỡng nghiệp vụ thông tin đối ngoại cho cán bộ, công chức các cơ quan, đơn vị và địa "
    "phương trên địa bàn tỉnh, nhất là các huyện biên giới và khu vực có đông người nước ngoài sinh sống.",
]


def wrapped(paragraphs: list[str], width: int = 72) -> list[str]:
    import textwrap

    return [x for p in paragraphs for x in textwrap.wrap(p, width)]


def test_lines_wrapped_by_the_page_width_are_rejoined_whatever_the_next_line_opens_with():
    lines = wrapped(WRAPPED_PARAGRAPHS)
    assert sum(x[0].isupper() or x[0].isdigit() for x in lines if not x.startswith(("Căn cứ", "- ", "1.", "2."))) >= 4
    lines += ["3. Phối hợp tuyên truyền kết quả thực hiện Nghị quyết của Đảng bộ tỉnh nhiệm kỳ",
              "2020 - 2025 về phát triển kinh tế.",  # a year, not an item's number
              "- Cơ quan chủ trì (theo chức năng, nhiệm vụ của từng cơ quan, đơn vị liên quan):",
              "Sở Kế hoạch và Đầu tư, Sở Công Thương.",  # wrapped after a field's label
              "- Cơ quan phối hợp: Sở Thông tin và Truyền thông; Ban Tuyên giáo Tỉnh ủy;",
              "Ủy ban nhân dân các huyện; các cơ quan liên quan."]  # wrapped after a unit's semicolon
    assert texts("\n".join(lines)) == [
        *WRAPPED_PARAGRAPHS,
        "3. Phối hợp tuyên truyền kết quả thực hiện Nghị quyết của Đảng bộ tỉnh nhiệm kỳ 2020 - 2025 về phát triển "
        "kinh tế.",
        "- Cơ quan chủ trì (theo chức năng, nhiệm vụ của từng cơ quan, đơn vị liên quan): Sở Kế hoạch và Đầu tư, "
        "Sở Công Thương.",
        "- Cơ quan phối hợp: Sở Thông tin và Truyền thông; Ban Tuyên giáo Tỉnh ủy; Ủy ban nhân dân các huyện; các cơ "
        "quan liên quan.",
    ]


def test_a_wrapped_text_keeps_its_own_line_breaks():
    own = [
        "3. Thông tin về biên giới đất liền và biển đảo của Tổ quốc trên địa bàn tỉnh",  # its last line is short
        "Tổ chức các hoạt động tuyên truyền về chủ quyền biển, đảo Việt Nam cho cán bộ, đảng viên và Nhân dân.",
        "Căn cứ Luật Báo chí năm 2016 và các văn bản hướng dẫn thi hành Luật Báo chí;",  # full, then a sentence
        "Căn cứ Quyết định số 1486/QĐ-TTg của Thủ tướng Chính phủ;",
        "4. Thông tin về biên giới đất liền và biển đảo của Tổ quốc cho đồng bào ở tỉnh",  # full, then capitals
        "TỔ CHỨC THỰC HIỆN",
        "II. KINH PHÍ",
    ]
    lines = wrapped(WRAPPED_PARAGRAPHS) + wrapped(own[:2]) + own[2:]
    assert texts("\n".join(lines)) == [*WRAPPED_PARAGRAPHS, *own]


def test_a_dash_wrapped_to_the_line_start_before_a_lower_case_word_is_a_compound_not_a_bullet():
    lines = wrapped(WRAPPED_PARAGRAPHS)
    lines += ["- Thời gian thực hiện: Năm 2024 và các năm tiếp theo, nhất là dịp Tết, kinh tế",
              "- xã hội, văn hóa của tỉnh.",
              "2. Tổ chức tập huấn, bồi dưỡng nghiệp vụ thông tin đối ngoại cho các cán bộ",
              "- Cơ quan chủ trì: Sở Ngoại vụ."]  # after a full line ending in a word: a bullet all the same
    assert texts("\n".join(lines))[-3:] == [
        "- Thời gian thực hiện: Năm 2024 và các năm tiếp theo, nhất là dịp Tết, kinh tế - xã hội, văn hóa của tỉnh.",
        "2. Tổ chức tập huấn, bồi dưỡng nghiệp vụ thông tin đối ngoại cho các cán bộ",
        "- Cơ quan chủ trì: Sở Ngoại vụ.",
    ]


def test_a_text_with_a_line_per_paragraph_is_not_rejoined():
    paragraphs = [
        *WRAPPED_PARAGRAPHS * 3,
        "1. Tăng cường thông tin, quảng bá hoạt động xúc tiến đầu tư, thương mại, du lịch của tỉnh với các "
        "địa phương nước ngoài thông qua các hoạt động đối ngoại Nhân dân",
        "Sở Ngoại vụ chủ trì, phối hợp với các cơ quan, đơn vị, địa phương liên quan tổ chức thực hiện.",
    ]
    assert texts("\n".join(paragraphs)) == paragraphs


def test_short_paragraphs_of_one_length_are_not_taken_for_wrapped_lines():
    units = ["Sở Ngoại vụ", "Sở Tư pháp", "Công an tỉnh", "Sở Nội vụ", "Sở Tài chính", "Sở Y tế"]
    paragraphs = [f"- Cơ quan chủ trì nhiệm vụ số {k}: {units[k % 6]} và các cơ quan, đơn vị liên quan."
                  for k in range(24)]  # a .txt whose paragraphs happen to be of a length, each with its full stop
    paragraphs[10:10] = ["5. Tổ chức hội nghị tuyên truyền về thông tin đối ngoại cho cán bộ, đảng viên",
                         "Sở Ngoại vụ chủ trì, phối hợp với các cơ quan, đơn vị, địa phương liên quan."]
    assert texts("\n".join(paragraphs)) == paragraphs


def test_wrap_width_tells_a_wrapped_text_from_one_with_a_line_per_paragraph():
    from ttdn_graph.parse.normalize import wrap_width

    assert wrap_width(wrapped(WRAPPED_PARAGRAPHS * 2)) is not None
    assert wrap_width(WRAPPED_PARAGRAPHS * 4) is None
    assert wrap_width(wrapped(WRAPPED_PARAGRAPHS)[:10]) is None  # too few lines to tell
