"""Gazetteers: the 63 → 34 province reorganisation, districts of the seed provinces, central bodies and codes."""

from __future__ import annotations

import csv
import re
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


# ---------------------------------------------------------------- every spelling resolves to one unit

ON_2019, ON_2026 = date(2019, 6, 30), date(2026, 1, 1)


@pytest.mark.parametrize(
    ("spelling", "on", "unit_id"),
    [
        # Bà Rịa - Vũng Tàu: hyphen, en dash, em dash, no spaces, no dash, abbreviations, no diacritics
        ("Bà Rịa - Vũng Tàu", None, "ba-ria-vung-tau"),
        ("Bà Rịa – Vũng Tàu", None, "ba-ria-vung-tau"),
        ("Bà Rịa—Vũng Tàu", None, "ba-ria-vung-tau"),
        ("Bà Rịa-Vũng Tàu", None, "ba-ria-vung-tau"),
        ("Bà Rịa Vũng Tàu", None, "ba-ria-vung-tau"),
        ("tỉnh Bà Rịa - Vũng Tàu", None, "ba-ria-vung-tau"),
        ("TỈNH BÀ RỊA - VŨNG TÀU", None, "ba-ria-vung-tau"),
        ("BR-VT", None, "ba-ria-vung-tau"),
        ("BR–VT", None, "ba-ria-vung-tau"),
        ("BRVT", None, "ba-ria-vung-tau"),
        ("Ba Ria - Vung Tau", None, "ba-ria-vung-tau"),
        ("BR-VT", ON_2026, None),  # gone on 1 July 2025: see successor()
        # Hồ Chí Minh, before and after the merger
        ("Hồ Chí Minh", None, "ho-chi-minh"),
        ("Thành phố Hồ Chí Minh", None, "ho-chi-minh"),
        ("thành phố Hồ Chí Minh", ON_2019, "ho-chi-minh"),
        ("TP. Hồ Chí Minh", None, "ho-chi-minh"),
        ("TP Hồ Chí Minh", None, "ho-chi-minh"),
        ("Tp. Hồ Chí Minh", None, "ho-chi-minh"),
        ("T.P. Hồ Chí Minh", None, "ho-chi-minh"),
        ("TP. HCM", None, "ho-chi-minh"),
        ("TP.HCM", None, "ho-chi-minh"),
        ("TP HCM", None, "ho-chi-minh"),
        ("Tp.HCM", None, "ho-chi-minh"),
        ("TPHCM", None, "ho-chi-minh"),
        ("Thành phố HCM", None, "ho-chi-minh"),
        ("HCM", None, "ho-chi-minh"),
        ("HCMC", None, "ho-chi-minh"),
        ("Ho Chi Minh City", None, "ho-chi-minh"),
        ("Thanh pho Ho Chi Minh", None, "ho-chi-minh"),
        ("TP.HCM", ON_2026, "ho-chi-minh-2025"),
        ("Hồ Chí Minh", ON_2026, "ho-chi-minh-2025"),
        # Thừa Thiên Huế (a province until 2024), Huế (a centrally-run city from 2025)
        ("Thừa Thiên Huế", None, "thua-thien-hue"),
        ("Thừa Thiên - Huế", None, "thua-thien-hue"),
        ("Thừa Thiên–Huế", None, "thua-thien-hue"),
        ("tỉnh Thừa Thiên Huế", ON_2019, "thua-thien-hue"),
        ("TT-Huế", None, "thua-thien-hue"),
        ("TT Huế", None, "thua-thien-hue"),
        ("TTH", None, "thua-thien-hue"),
        ("Thua Thien Hue", None, "thua-thien-hue"),
        ("Huế", None, "hue"),
        ("Thành phố Huế", ON_2026, "hue"),
        ("TP. Huế", ON_2026, "hue"),
        ("Hue", ON_2026, "hue"),
        ("thành phố Huế", ON_2019, "thua-thien-hue-hue"),  # the provincial city, before 2025
        # tone placement, old spellings
        ("Khánh Hoà", None, "khanh-hoa"),
        ("Thanh Hoá", None, "thanh-hoa"),
        ("Hoà Bình", None, "hoa-binh"),
        ("Bắc Cạn", None, "bac-kan"),
        ("Kontum", None, "kon-tum"),
        ("Đăk Lăk", None, "dak-lak"),
        ("Đắc Lắc", None, "dak-lak"),
        ("Daklak", None, "dak-lak"),
        ("Đăk Lăk", ON_2026, "dak-lak-2025"),
        ("Đắc Nông", None, "dak-nong"),
        ("Hanoi", None, "ha-noi"),
        ("TP. Hà Nội", None, "ha-noi"),
        ("Hai Phong", None, "hai-phong"),
        ("Hải Phòng", ON_2026, "hai-phong-2025"),
        # districts and communes
        ("thành phố Bà Rịa", None, "ba-ria-vung-tau-ba-ria"),
        ("Bà Rịa", ON_2019, "ba-ria-vung-tau-ba-ria"),
        ("phường Bà Rịa", ON_2026, "ho-chi-minh-2025-phuong-ba-ria"),
        ("Bà Rịa", ON_2026, "ho-chi-minh-2025-phuong-ba-ria"),
        ("thị xã Hương Trà", None, "thua-thien-hue-huong-tra"),
        ("huyện Vân Đồn", None, "quang-ninh-van-don"),
        ("Vân Đồn", ON_2026, "quang-ninh-dac-khu-van-don"),
        ("đặc khu Vân Đồn", None, "quang-ninh-dac-khu-van-don"),
        ("Đắk Glei", None, "kon-tum-dak-glei"),
        ("Đăk Glây", None, "kon-tum-dak-glei"),
        ("Ia H’Drai", None, "kon-tum-ia-h-drai"),
        ("Ia HDrai", None, "kon-tum-ia-h-drai"),
        ("Yên Hưng", None, "quang-ninh-quang-yen"),
        ("Quận 1", ON_2019, "ho-chi-minh-1"),  # official name "Quận 1": the number is the name
        ("Q.7", None, "ho-chi-minh-7"),
        ("thị xã Kỳ Anh", None, "ha-tinh-thi-xa-ky-anh"),  # two districts of Hà Tĩnh share the name
        ("huyện Kỳ Anh", None, "ha-tinh-huyen-ky-anh"),
        ("Kỳ Anh", None, None),
        ("Việt Nam", None, "viet-nam"),
        ("Cộng hòa xã hội chủ nghĩa Việt Nam", None, "viet-nam"),
        ("Viet Nam", None, "viet-nam"),
    ],
)
def test_every_spelling_resolves_to_one_unit(spelling: str, on: date | None, unit_id: str | None) -> None:
    u = gz.resolve(spelling, on=on)
    assert (u.id if u else None) == unit_id


def test_spellings_that_must_not_resolve_to_a_province() -> None:
    assert gz.resolve("Bà Rịa", kind="province") is None  # the city, never the province (the "phantom" of issue 14)
    assert gz.resolve("tỉnh Bà Rịa") is None
    assert gz.resolve("Vũng Tàu", kind="province") is None
    assert gz.resolve("Sài Gòn", kind="province") is None  # the city's name before 1976: not a spelling of it today
    assert gz.resolve("Sài Gòn", on=ON_2019) is None
    assert gz.resolve("Sài Gòn", on=ON_2026).id == "ho-chi-minh-2025-phuong-sai-gon"  # a ward since 2025
    assert gz.resolve("Thừa Thiên") is None
    assert gz.resolve("Nowhere") is None


def test_ambiguous_names_need_a_province() -> None:
    assert gz.resolve("Châu Thành") is None  # a district of ten provinces
    assert gz.resolve("Châu Thành", province="Tiền Giang").province == "Tiền Giang"
    assert gz.resolve("huyện Bảo Lâm") is None  # Cao Bằng and Lâm Đồng
    assert gz.resolve("huyện Bảo Lâm", province="Cao Bằng").province == "Cao Bằng"
    assert gz.enclosing_province("Bảo Lâm") is None
    assert {p.name for p in gz.enclosing_provinces("Bảo Lâm")} == {"Cao Bằng", "Lâm Đồng"}


def test_accent_exact_lookups_stay_exact() -> None:
    """province() and unit_for(), which the parser uses on Vietnamese text, do not guess from letters alone."""
    assert gz.province("Hai Duong") is None
    assert gz.resolve("Hai Duong").id == "hai-duong"
    assert gz.province("BR-VT").id == "ba-ria-vung-tau"
    assert gz.province("Bà Rịa") is None


# ---------------------------------------------------------------- districts and communes of the official lists


def _generated(name: str) -> list[dict[str, str]]:
    with open(data_dir() / "gazetteer" / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_generated_files_match_their_manifest() -> None:
    import hashlib
    import json

    folder = data_dir() / "gazetteer"
    manifest = json.loads((folder / "generated.json").read_text(encoding="utf-8"))
    assert manifest["source"]["package"] == "vietnamadminunits" and manifest["source"]["version"] == "1.0.4"
    assert manifest["source"]["license"] == "MIT License"
    for name, out in manifest["outputs"].items():
        data = (folder / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == out["sha256"], f"{name} was edited by hand: re-run the build"
        assert data.count(b"\n") - 1 == out["rows"]


def test_696_districts_until_30_june_2025_and_none_after() -> None:
    last = gz.units_on(date(2025, 6, 30), kind="district")
    assert len(last) == 696
    codes = [d.code for d in last]
    assert all(c and len(c) == 3 and c.isdigit() for c in codes) and len(set(codes)) == 696
    assert not gz.units_on(AFTER, kind="district")
    assert {d.level for d in last} == set(gz.DISTRICT_LEVELS)
    official = {r["code"]: r for r in _generated("districts_2025.csv")}
    for d in last:  # the hand-kept rows agree with the official list on the level last held
        assert d.level == official[d.code]["level"], d


def test_3321_communes_from_1_july_2025() -> None:
    cs = gz.units_on(AFTER, kind="commune")
    assert len(cs) == len(gz.communes()) == 3321
    codes = [c.code for c in cs]
    assert all(c and len(c) == 5 and c.isdigit() for c in codes) and len(set(codes)) == 3321
    assert {c.level for c in cs} == {"xã", "phường", "đặc khu"}
    assert sum(c.level == "đặc khu" for c in cs) == 13
    provinces_2025 = {u.id for u in gz.units_on(AFTER)}
    assert {c.province_id for c in cs} == provinces_2025
    assert not gz.units_on(date(2025, 6, 30), kind="commune")


def test_every_abolished_district_leads_to_communes_and_a_province() -> None:
    """District abolition as data: each district of 30 June 2025 has the province of 1 July 2025 as successor, and
    its territory lies in communes that name it."""
    covered = {code for c in gz.communes() for code in c.from_districts}
    for d in gz.units_on(date(2025, 6, 30), kind="district"):
        assert d.code in covered, d
        assert d.successor_date == AFTER and d.successor_id in {u.id for u in gz.units_on(AFTER)}, d
        s = gz.successor(d, AFTER)
        assert s.kind == "province" and s.valid_on(AFTER)
    ba_ria = gz.resolve("thành phố Bà Rịa")
    assert gz.successor(ba_ria, ON_2026).id == "ho-chi-minh-2025"
    assert gz.successor(ba_ria, ON_2019) == ba_ria
    phuong = gz.resolve("phường Bà Rịa", on=ON_2026)
    assert ba_ria.code in phuong.from_districts


@pytest.mark.parametrize(
    ("district", "on", "unit_id"),
    [
        ("Vân Đồn", ON_2026, "quang-ninh"),
        ("Sa Thầy", ON_2026, "quang-ngai-2025"),
        ("Hương Trà", ON_2026, "hue"),
        ("Hoành Bồ", date(2021, 1, 1), "quang-ninh-ha-long"),  # merged into thành phố Hạ Long on 2020-01-01
        ("Hoành Bồ", ON_2026, "quang-ninh"),
        ("Nam Đông", date(2025, 3, 1), "thua-thien-hue-phu-loc"),
        ("Chí Linh", ON_2026, "hai-phong-2025"),
        ("Chí Linh", ON_2019, "hai-duong-chi-linh"),
    ],
)
def test_district_successors(district: str, on: date, unit_id: str) -> None:
    assert gz.successor(gz.find_district(district), on).id == unit_id


# ---------------------------------------------------------------- spellings.csv: one file, one loader, loud


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of data/ to break, used by the gazetteer for the test's duration."""
    import shutil

    shutil.copytree(data_dir() / "gazetteer", tmp_path / "gazetteer")
    monkeypatch.setenv("TTDN_DATA", str(tmp_path))
    gz.clear_caches()
    yield tmp_path / "gazetteer"
    monkeypatch.delenv("TTDN_DATA")
    gz.clear_caches()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("BR,,province,,x", "spelling, name and kind are required"),
        ("BR,Bà Rịa - Vũng Tàu,region,,x", "kind 'region' is not one of"),
        ("BR,Bà Rịa - Vũng Tàu,province,Đồng Nai,x", "a province has no enclosing province"),
        ("BR,Bà Rịa,district,,x", "a district spelling needs its province"),
        ("BR,Bà Rịa - Vũng Tàu,province,,", "say where the spelling comes from"),
        ("BR-VT,Bà Rịa - Vũng Tàu,province,,again", "'BR-VT' is already listed on line"),
        ("BR – VT,Bà Rịa - Vũng Tàu,province,,dash", "'BR – VT' is already listed on line"),
        ("Bà Rịa–Vũng Tàu,Bà Rịa - Vũng Tàu,province,,x", "is the name itself"),
        ("Tỉnh Bà Rịa - Vũng Tàu,Bà Rịa - Vũng Tàu,province,,x", "level words are ignored"),
        ("BR,Bà Rịa - Vũng Tàu,province,,x,extra", "5 fields expected"),
        ("BR,Bà Rịa,province,,x", "no province named 'Bà Rịa'"),
        ("BR,Bà Rịa,district,Đồng Nai,x", "no district named 'Bà Rịa' in Đồng Nai"),
    ],
)
def test_a_malformed_spelling_row_is_refused_with_its_line(data_copy, row: str, message: str) -> None:
    path = data_copy / "spellings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, row]) + "\n", encoding="utf-8")
    with pytest.raises(gz.GazetteerError, match=re.escape(message)) as e:
        gz.resolve("BR-VT")
    assert f"spellings.csv:{len(lines) + 1}" in str(e.value) or "fields expected" in message


def test_a_spellings_file_with_another_header_is_refused(data_copy) -> None:
    path = data_copy / "spellings.csv"
    path.write_text("spelling,unit\nBR-VT,ba-ria-vung-tau\n", encoding="utf-8")
    with pytest.raises(gz.GazetteerError, match="header"):
        gz.province("BR-VT")
