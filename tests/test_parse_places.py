"""The parser's place vocabulary (ttdn_graph/parse/places.py): the province of a sub-provincial unit."""

from __future__ import annotations

import pytest

from ttdn_graph.parse.places import UNIT_RX, enclosing_province, trim_name, unit_in_caps


@pytest.mark.parametrize(
    ("name", "level", "text", "province"),
    [
        ("Hương Trà", "thị xã", "", "Thừa Thiên Huế"),  # one province has a district of that name
        ("Bà Rịa", "thành phố", "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        # a ward of Hồ Chí Minh since 1 July 2025, not the city of Bà Rịa - Vũng Tàu it replaced
        ("Bà Rịa", "phường", "Ủy ban nhân dân Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("Vân Đồn", "đặc khu", "", "Quảng Ninh"),
        # several provinces have one: the one the text names most, even when another is named too
        ("Bảo Lâm", "huyện", "tỉnh Lâm Đồng … tỉnh Lâm Đồng … tỉnh Khánh Hòa … tỉnh Khánh Hòa … tỉnh Khánh Hòa",
         "Lâm Đồng"),
        ("Châu Thành", "huyện", "Ủy ban nhân dân tỉnh Tiền Giang", "Tiền Giang"),
        ("Châu Thành", "huyện", "tỉnh Bình Thuận", "Bình Thuận"),  # none of them named: the province the text names
        ("Tân An", "xã", "Thực hiện Kế hoạch của Ủy ban nhân dân tỉnh Tây Ninh", "Tây Ninh"),
        ("Nowhere", "huyện", "", None),
        # huyện Kỳ Sơn of Hòa Bình (until 2020) is not in the list of 2025; Nghệ An's still is: the text decides
        ("Kỳ Sơn", "huyện", "Ủy ban nhân dân tỉnh Hòa Bình", "Hòa Bình"),
        ("Kỳ Sơn", "huyện", "", "Nghệ An"),
        # a district plan never takes the province of a commune of 2025 that bears its name
        ("Lạc Lương", "huyện", "Ủy ban nhân dân tỉnh Bắc Kạn", "Bắc Kạn"),
        # a Lao province named in a border district's plan is no Vietnamese province
        ("Sa Thầy", "huyện", "hợp tác với tỉnh Attapeu, tỉnh Attapeu", "Kon Tum"),
        ("7", "quận", "", "Hồ Chí Minh"),
    ],
)
def test_enclosing_province(name: str, level: str, text: str, province: str | None) -> None:
    assert enclosing_province(name, text, level) == province


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Ủy ban nhân dân quận 7", ("quận", "7")),
        ("ỦY BAN NHÂN DÂN QUẬN 12", ("QUẬN", "12")),
        ("phường 3, ngày 5 tháng 6", ("phường", "3")),
        ("Ủy ban nhân dân thành phố Từ Sơn", ("thành phố", "Từ Sơn")),  # a place that begins with a function word
        ("Ủy ban nhân dân tỉnh Hải Dương năm 2019", ("tỉnh", "Hải Dương")),
        ("Kế hoạch của tỉnh Từ năm 2019", None),  # "Từ" alone is no place
    ],
)
def test_unit_names_after_a_level_word(text: str, unit: tuple[str, str] | None) -> None:
    m = UNIT_RX.search(text)
    got = (m.group("level"), trim_name(m.group("name"))) if m else None
    assert (got if got and got[1] else None) == unit


@pytest.mark.parametrize(
    ("title", "unit"),
    [
        ("KẾ HOẠCH THÔNG TIN ĐỐI NGOẠI HUYỆN TRẦN VĂN THỜI NĂM 2023", ("huyện", "Trần Văn Thời")),
        ("THÔNG TIN ĐỐI NGOẠI TRÊN ĐỊA BÀN QUẬN 7 NĂM 2018", ("quận", "7")),
        ("HÌNH ẢNH TỈNH NINH THUẬN RA NƯỚC NGOÀI NĂM 2023", ("tỉnh", "Ninh Thuận")),
    ],
)
def test_units_in_capitals(title: str, unit: tuple[str, str]) -> None:
    assert unit_in_caps(title) == unit
