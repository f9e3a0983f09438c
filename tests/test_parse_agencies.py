"""Agency mentions → canonical bodies and groups (abbreviations expanded, role words and list punctuation dropped)."""

from __future__ import annotations

import pytest

from ttdn_graph.lexicon import expand_abbreviations
from ttdn_graph.parse.agencies import classify, is_group, split_agencies


@pytest.mark.parametrize(
    "text, want",
    [
        (
            "các sở, ban, ngành, đoàn thể tỉnh; UBND các huyện, thị xã, thành phố và các cơ quan, đơn vị liên quan",
            [
                "các sở, ban, ngành, đoàn thể tỉnh",
                "Ủy ban nhân dân các huyện, thị xã, thành phố",
                "các cơ quan, đơn vị liên quan",
            ],
        ),
        ("Sở A, Sở Ngoại vụ và các cơ quan liên quan", ["Sở A", "Sở Ngoại vụ", "các cơ quan liên quan"]),
        (
            "Sở Văn hóa, Thể thao và Du lịch; Sở Ngoại vụ và các cơ quan liên quan",
            ["Sở Văn hóa, Thể thao và Du lịch", "Sở Ngoại vụ", "các cơ quan liên quan"],
        ),
        (
            "Sở TT&TT, Đài PT-TH tỉnh, Báo Bắc Giang (theo chức năng nhiệm vụ)",
            ["Sở Thông tin và Truyền thông", "Đài Phát thanh và Truyền hình tỉnh", "Báo Bắc Giang"],
        ),
        ("Đề nghị Ban Tuyên giáo Tỉnh ủy phối hợp", ["Ban Tuyên giáo Tỉnh ủy"]),
        ("Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Ngoại vụ", ["Sở Thông tin và Truyền thông"]),
        (
            "Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh, Bộ Chỉ huy Bộ đội Biên phòng tỉnh.",
            ["Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"],
        ),
        ("Văn phòng HĐND và UBND huyện", ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện"]),
        (
            "Ủy ban MTTQ tỉnh và các tổ chức chính trị - xã hội",
            ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các tổ chức chính trị - xã hội"],
        ),
        ("Uỷ ban nhân dân các xã, phường, thị trấn", ["Ủy ban nhân dân các xã, phường, thị trấn"]),
        ("- Sở Ngoại vụ;\n- Sở Du lịch.", ["Sở Ngoại vụ", "Sở Du lịch"]),
        ("BCĐ công tác TTĐN tỉnh", ["Ban Chỉ đạo công tác thông tin đối ngoại tỉnh"]),
        ("Cổng TTĐT tỉnh", ["Cổng thông tin điện tử tỉnh"]),
        ("Cục Thông tin đối ngoại, Bộ Thông tin và Truyền thông", ["Cục Thông tin đối ngoại"]),
    ],
)
def test_split_agencies(text, want):
    assert split_agencies(text) == want


def test_groups_keep_lower_case_and_cac():
    for name in split_agencies("Các sở, ban, ngành; Các cơ quan báo chí của tỉnh"):
        assert name.startswith("các ") and is_group(name)


@pytest.mark.parametrize(
    "name, group",
    [
        ("các sở, ban, ngành, đoàn thể tỉnh", True),
        ("Ủy ban nhân dân các huyện, thị xã, thành phố", True),
        ("các cơ quan, đơn vị liên quan", True),
        ("Sở Thông tin và Truyền thông", False),
        ("Ban Tuyên giáo Tỉnh ủy", False),
    ],
)
def test_is_group(name, group):
    assert is_group(name) is group


@pytest.mark.parametrize(
    "name",
    ["Sở Ngoại vụ", "Ban Tuyên giáo Tỉnh ủy", "Đài Phát thanh và Truyền hình tỉnh", "Công an tỉnh", "Báo Nam Định"],
)
def test_bodies_have_an_agency_type(name):
    assert classify(name) is not None


@pytest.mark.parametrize("phrase", ["Tăng cường tuyên truyền", "Nội dung", "hội nghị quốc tế"])
def test_non_bodies_have_no_agency_type(phrase):
    assert classify(phrase) is None


@pytest.mark.parametrize(
    "raw, want",
    [
        ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
        ("HĐND huyện", "Hội đồng nhân dân huyện"),
        ("Ủy ban MTTQ tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),  # no word glued to the expansion
        ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
        ("số 1486/QĐ-TTg", "số 1486/QĐ-TTg"),  # symbols are not expanded
        ("26-CT/TW", "26-CT/TW"),
    ],
)
def test_expand_abbreviations(raw, want):
    assert expand_abbreviations(raw) == want


def test_comma_typo_after_cac_keeps_one_group():
    assert split_agencies("các, sở, ban, ngành, địa phương trên địa bàn tỉnh.") == [
        "các sở, ban, ngành, địa phương trên địa bàn tỉnh"
    ]
    assert split_agencies("Sở Nội vụ; Các , cơ quan, đơn vị liên quan") == ["Sở Nội vụ", "các cơ quan, đơn vị liên quan"]


def test_ban_hanh_is_a_verb_not_a_board():
    from ttdn_graph.parse.agencies import classify

    assert classify("Ban hành các văn bản chỉ đạo") is None
    assert classify("Ban bố tình trạng khẩn cấp") is None
    assert classify("Ban Dân tộc tỉnh") == "board"
