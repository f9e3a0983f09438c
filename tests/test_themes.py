"""Theme assignment from data/vocab/themes.csv keyword rules, on made-up sentences."""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttdn_graph.paths import data_dir
from ttdn_graph.themes import assign_themes, theme, theme_key, themes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuyên truyền về chủ quyền biển, đảo Việt Nam", {"sea-islands", "sovereignty-security"}),
        ("Thông tin về Hoàng Sa, Trường Sa", {"sea-islands"}),
        ("Tuyên truyền công tác phân giới cắm mốc", {"land-border"}),
        ("Quảng bá tại khu vực cửa khẩu quốc tế", {"border-gates", "image-promotion"}),
        ("Tổ chức tập huấn nghiệp vụ cho cán bộ", {"training"}),
        ("Tổ chức họp báo định kỳ của người phát ngôn", {"press-briefings"}),
        ("Đấu tranh phản bác các luận điệu xuyên tạc về nhân quyền", {"countering-disinformation", "human-rights"}),
        ("Vận động kiều bào đầu tư về quê hương", {"overseas-vietnamese", "investment-trade-tourism"}),
        ("Tuyên truyền về Cộng đồng ASEAN", {"asean"}),
        ("Bảo đảm kinh phí cho hoạt động", {"budget"}),
        ("Sơ kết 6 tháng, tổng kết năm", {"review-reporting"}),
        ("Phát động phong trào thi đua", {"emulation"}),
        ("Quảng bá trên mạng xã hội và cổng thông tin điện tử", {"digital-media", "image-promotion"}),
    ],
)
def test_assign_themes_on_made_up_sentences(text: str, expected: set[str]) -> None:
    assert set(assign_themes(text)) == expected


def test_no_theme_for_unrelated_or_empty_text() -> None:
    assert assign_themes("") == []
    assert assign_themes("Các nội dung khác") == []


def test_order_is_the_csv_order_and_deterministic() -> None:
    order = [t.id for t in themes()]
    got = assign_themes("Tuyên truyền biển, đảo; biên giới; hội nhập quốc tế; quyền con người")
    assert got == sorted(got, key=order.index)
    assert got == assign_themes("Tuyên truyền biển, đảo; biên giới; hội nhập quốc tế; quyền con người")
    assert got[:3] == ["sea-islands", "land-border", "international-integration"]


def test_matching_ignores_case_and_tone_placement_but_not_accents() -> None:
    assert "culture-heritage" in assign_themes("GIỚI THIỆU VĂN HOÁ TRUYỀN THỐNG")
    assert "culture-heritage" in assign_themes("giới thiệu văn hóa truyền thống")
    assert assign_themes("van hoa") == []
    assert theme_key("Uỷ  ban\tVăn hoá") == "ủy ban văn hóa"


def test_keywords_match_whole_words_only() -> None:
    # "nhân sự" inside "nhân sự kiện" (on the occasion of the event) is not staffing.
    assert "staffing" not in assign_themes("Tuyên truyền nhân sự kiện Năm Chủ tịch ASEAN")
    assert "staffing" in assign_themes("Bố trí nhân sự phụ trách")
    # agency names are not themes: "Sở Văn hóa, Thể thao và Du lịch", "Sở Kế hoạch và Đầu tư"
    assert assign_themes("Sở Văn hóa, Thể thao và Du lịch chủ trì") == []
    assert assign_themes("Sở Kế hoạch và Đầu tư phối hợp") == []


def test_csv_is_well_formed() -> None:
    with open(data_dir() / "vocab" / "themes.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z][a-z-]*", i) for i in ids)
    for r in rows:
        assert r["vi"] and r["en"] and r["keywords"]
        re.compile(r["keywords"])
    assert theme("sea-islands").iri == "https://w3id.org/ttdn/vocab/theme/sea-islands"


def _one_theme_at_a_time(text: str) -> list[str]:
    key = theme_key(text)
    return [t.id for t in themes() if t.pattern.search(key)]


_WORDS = sorted({w for t in themes() for w in re.findall(r"\w+", theme_key(t.keywords))}) + ["và", ",", "-", "x"]
_PHRASES = sorted({alt for t in themes() for alt in theme_key(t.keywords).split("|") if re.fullmatch(r"[\w ]+", alt)})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS) | st.sampled_from(_PHRASES), max_size=25).map(" ".join))
def test_the_single_scan_finds_what_each_theme_pattern_finds(text: str) -> None:
    # overlapping keywords of different themes ("hội nhập quốc tế" / "quốc tế") must all be found
    assert assign_themes(text) == _one_theme_at_a_time(text)


def test_a_keyword_inside_another_themes_keyword_is_found() -> None:
    assert {"border-gates", "land-border"} <= set(assign_themes("Quản lý lối mở biên giới"))
