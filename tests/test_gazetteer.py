"""Gazetteers: the 63 → 34 province reorganisation, districts of the seed provinces, central bodies and codes."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from ttdn_graph import gazetteer as gz
from ttdn_graph.paths import data_dir

BEFORE, AFTER = date(2024, 12, 31), date(2025, 7, 1)


def test_there_are_63_units_before_and_34_after_the_2025_merger() -> None:
    assert len(gz.units_on(BEFORE)) == 63
    assert len(gz.units_on(date(2025, 6, 30))) == 63  # Huế replaced Thừa Thiên Huế one for one on 1 January
    after = gz.units_on(AFTER)
    assert len(after) == 34
    cities = {u.name for u in after if u.level == "thành phố trực thuộc trung ương"}
    assert cities == {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
    assert sum(u.level == "tỉnh" for u in after) == 28


def test_codes_are_unique_two_digit_codes_in_each_period() -> None:
    for day in (BEFORE, AFTER):
        codes = [u.code for u in gz.units_on(day)]
        assert all(c and len(c) == 2 and c.isdigit() for c in codes)
        assert len(set(codes)) == len(codes)
    assert gz.province("Hải Dương").code == "30"
    assert gz.province("Hà Nội").code == "01"


@pytest.mark.parametrize(
    ("old", "on", "new_id", "new_name"),
    [
        ("Hải Dương", date(2026, 1, 1), "hai-phong-2025", "Hải Phòng"),
        ("Hải Dương", AFTER, "hai-phong-2025", "Hải Phòng"),
        ("Hải Dương", date(2019, 1, 1), "hai-duong", "Hải Dương"),
        ("Hải Dương", date(2025, 6, 30), "hai-duong", "Hải Dương"),
        ("Quảng Ninh", date(2026, 1, 1), "quang-ninh", "Quảng Ninh"),
        ("Kon Tum", date(2026, 1, 1), "quang-ngai-2025", "Quảng Ngãi"),
        ("Thái Bình", date(2026, 1, 1), "hung-yen-2025", "Hưng Yên"),
        ("Hưng Yên", date(2026, 1, 1), "hung-yen-2025", "Hưng Yên"),
        ("Hải Phòng", date(2026, 1, 1), "hai-phong-2025", "Hải Phòng"),
        ("Thừa Thiên Huế", date(2025, 3, 1), "hue", "Huế"),
        ("Thừa Thiên Huế", date(2026, 1, 1), "hue", "Huế"),
        ("Bà Rịa - Vũng Tàu", AFTER, "ho-chi-minh-2025", "Hồ Chí Minh"),
    ],
)
def test_successor_lookup(old: str, on: date, new_id: str, new_name: str) -> None:
    unit = gz.province(old)
    assert unit is not None
    s = gz.successor(unit, on)
    assert (s.id, s.name) == (new_id, new_name)
    assert s.valid_on(on)


def test_every_pre_2025_unit_resolves_to_one_of_the_34() -> None:
    after = {u.id for u in gz.units_on(AFTER)}
    for u in gz.units_on(BEFORE):
        assert gz.successor(u, AFTER).id in after, u.name
    hit = {gz.successor(u, AFTER).id for u in gz.units_on(BEFORE)}
    assert hit == after  # every new unit has at least one predecessor


def test_merged_units_carry_their_successor_and_unchanged_ones_none() -> None:
    hd = gz.province("Hải Dương")
    assert hd.successor == "Hải Phòng" and hd.successor_date == AFTER and hd.successor_id == "hai-phong-2025"
    qn = gz.province("Quảng Ninh")
    assert qn.successor is None and qn.valid_until is None


def test_province_lookup_is_case_insensitive_and_knows_aliases() -> None:
    tth = gz.province("Thừa Thiên Huế")
    assert tth is not None and tth.level == "tỉnh" and tth.valid_until == BEFORE
    for alias in ("Thừa Thiên - Huế", "TT Huế", "thừa thiên huế", "tỉnh Thừa Thiên Huế"):
        assert gz.province(alias) == tth, alias
    assert gz.province("Khánh Hoà") == gz.province("Khánh Hòa") is not None  # old/new tone placement
    assert gz.province("thành phố Hồ Chí Minh").id == "ho-chi-minh"
    assert gz.province("Hai Duong") is None  # accent-exact
    assert gz.province("Hải Phòng").id == "hai-phong"  # no date: the unit as it stood before the merger
    assert gz.province("Hải Phòng", on=date(2026, 1, 1)).id == "hai-phong-2025"
    assert gz.province("Huế").level == "thành phố trực thuộc trung ương"


def test_enclosing_province_of_seed_districts() -> None:
    assert gz.enclosing_province("Hương Trà").name == "Thừa Thiên Huế"
    assert gz.enclosing_province("thị xã Hương Trà").name == "Thừa Thiên Huế"
    assert gz.enclosing_province("Hương Trà", on=date(2025, 3, 1)).name == "Huế"
    assert gz.enclosing_province("Vân Đồn").name == "Quảng Ninh"
    assert gz.enclosing_province("Ia H’Drai").name == "Kon Tum"
    assert gz.enclosing_province("Sa Thầy", on=date(2026, 1, 1)).name == "Quảng Ngãi"
    assert gz.enclosing_province("Nowhere") is None


def test_unit_for_disambiguates_by_level_and_province() -> None:
    assert gz.unit_for("Hải Dương").kind == "province"
    city = gz.unit_for("Hải Dương", level="thành phố")
    assert city.kind == "district" and city.province == "Hải Dương"
    assert gz.unit_for("Chí Linh", level="thị xã").name == "Chí Linh"  # a former level still matches
    assert gz.unit_for("Móng Cái", level="huyện") is None
    assert gz.unit_for("Vân Đồn", province="Quảng Ninh").level == "huyện"
    assert gz.unit_for("Vân Đồn", province="Hải Dương") is None
    assert gz.unit_for("Việt Nam").kind == "country"


def test_seed_district_lists() -> None:
    by_prov: dict[str, list[str]] = {}
    for d in gz.units_on(date(2022, 1, 1), kind="district"):
        by_prov.setdefault(d.province, []).append(d.name)
    assert len(by_prov["Hải Dương"]) == 12
    assert len(by_prov["Kon Tum"]) == 10
    assert len(by_prov["Thừa Thiên Huế"]) == 9
    assert len(by_prov["Quảng Ninh"]) == 13
    assert len(by_prov["Hưng Yên"]) == 10
    assert {"Sa Thầy", "Ngọc Hồi", "Đăk Glei", "Ia H'Drai"} <= set(by_prov["Kon Tum"])
    assert {"Móng Cái", "Hạ Long", "Vân Đồn", "Bình Liêu", "Hải Hà"} <= set(by_prov["Quảng Ninh"])
    assert all(d.valid_until and d.valid_until <= date(2025, 6, 30) for d in gz.districts())


def test_district_rows_are_well_formed() -> None:
    provinces = {u.name for u in gz.provinces()}
    for d in gz.districts():
        assert d.province in provinces, d
        assert d.level in gz.DISTRICT_LEVELS, d
        assert set(d.former_levels) <= set(gz.DISTRICT_LEVELS), d
    ids = [d.id for d in gz.districts()]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- central bodies


def test_central_bodies_by_name_alias_and_code() -> None:
    assert gz.central_body("TTg").name == "Thủ tướng Chính phủ"
    assert gz.central_body("Bộ TT&TT").name == "Bộ Thông tin và Truyền thông"
    assert gz.central_body("ban tuyên giáo trung ương").agency_type == "central-party-board"
    assert gz.central_body("Sở Nội vụ") is None
    assert gz.central_body("TW") is None  # shared by the Central Committee, Politburo and Secretariat
    assert {b.name for b in gz.bodies_for_code("TW")} == {"Ban Chấp hành Trung ương", "Bộ Chính trị", "Ban Bí thư"}


def test_issuer_from_symbol_code() -> None:
    assert gz.issuer_from_symbol_code("TTg") == "Thủ tướng Chính phủ"
    assert gz.issuer_from_symbol_code("CP") == "Chính phủ"
    assert gz.issuer_from_symbol_code("BTTTT") == "Bộ Thông tin và Truyền thông"
    assert gz.issuer_from_symbol_code("QH15") == "Quốc hội"
    assert gz.issuer_from_symbol_code("UBTVQH14") == "Ủy ban Thường vụ Quốc hội"
    assert gz.issuer_from_symbol_code("UBND") is None
    assert gz.issuer_from_symbol_code("TW") is None


@pytest.mark.parametrize(
    ("number", "codes"),
    [
        ("1486/QĐ-TTg", ["TTg"]),
        ("26-CT/TW", ["TW"]),
        ("03/2019/TT-BTTTT", ["BTTTT"]),
        ("08/2017/TTLT-BTTTT-BNG", ["BTTTT", "BNG"]),
        ("202/2025/QH15", ["QH15"]),
        ("3693/KH-UBND", ["UBND"]),
    ],
)
def test_issuer_codes_from_numbers(number: str, codes: list[str]) -> None:
    assert gz.issuer_codes(number) == codes


def test_2025_ministry_mergers() -> None:
    tttt = gz.central_body("Bộ Thông tin và Truyền thông")
    assert tttt.successor == "Bộ Khoa học và Công nghệ" and tttt.valid_until == date(2025, 2, 28)
    assert gz.central_body("Bộ Kế hoạch và Đầu tư").successor == "Bộ Tài chính"
    assert gz.central_body("Bộ Nông nghiệp và Môi trường").valid_from == date(2025, 3, 1)
    assert gz.central_body("Cục Thông tin đối ngoại").parent == "Bộ Thông tin và Truyền thông"


def test_central_body_rows_refer_to_known_types_and_bodies() -> None:
    with open(data_dir() / "vocab" / "agency_types.csv", encoding="utf-8") as f:
        types = {r["id"] for r in csv.DictReader(f)}
    names = {b.name for b in gz.central_bodies()}
    for b in gz.central_bodies():
        assert b.agency_type in types, b.name
        assert b.parent is None or b.parent in names, b.name
        assert b.successor is None or b.successor in names, b.name


def test_country() -> None:
    vn = gz.country()
    assert vn.name == "Việt Nam" and vn.level == "quốc gia" and vn.kind == "country"


def test_every_gazetteer_file_names_its_sources() -> None:
    readme = (data_dir() / "gazetteer" / "README.md").read_text(encoding="utf-8")
    for needle in ("124/2004/QĐ-TTg", "202/2025/QH15", "175/2024/QH15", "provinces.csv", "districts.csv",
                   "central_bodies.csv"):  # fmt: skip
        assert needle in readme
