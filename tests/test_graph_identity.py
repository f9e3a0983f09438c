"""Identity rules: slugs, symbols, scopes, agency keys and units (no store needed)."""

from __future__ import annotations

import pytest

from ttdn_graph.record import Jurisdiction
from ttdn_graph.resolve.agencies import identity_key, is_group, resolve_agency, split_joint
from ttdn_graph.resolve.iris import Iris, concept, year_of_instrument_iri
from ttdn_graph.resolve.slug import nfc, slug
from ttdn_graph.resolve.symbols import parse_symbol
from ttdn_graph.resolve.units import VN, Unit, plan_unit, province

HD = Unit("Hải Dương", "tỉnh", VN)
QN = Unit("Quảng Ninh", "tỉnh", VN)
HUONG_TRA = Unit("Hương Trà", "thị xã", province("Thừa Thiên Huế"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Thừa Thiên Huế", "thua-thien-hue"), ("1486/QĐ-TTg", "1486-qd-ttg"), ("72/2015/NĐ-CP", "72-2015-nd-cp"),
     ("Đắk Lắk", "dak-lak"), ("  --  ", "")],
)
def test_slug_folds_vietnamese(text, expected):
    assert slug(text) == expected


def test_nfc_unifies_tone_placement_without_touching_closed_syllables():
    assert nfc("Uỷ ban") == "Ủy ban"
    assert nfc("Văn hoá") == "Văn hóa"
    assert nfc("toán") == "toán"  # tone stays on a before a final consonant
    assert nfc("Quý I") == "Quý I"  # qu + y is not the old-style "uy"


@pytest.mark.parametrize(
    ("number", "year", "type_code", "scope", "core"),
    [
        ("1486/QĐ-TTg", None, "QĐ", "central", "1486-qd-ttg"),
        ("72/2015/NĐ-CP", 2015, "NĐ", "central", "72-nd-cp"),
        ("72/NĐ-CP", None, "NĐ", "central", "72-nd-cp"),
        ("26-CT/TW", None, "CT", "central", "26-ct-tw"),
        ("447-QĐ/TU", None, "QĐ", "local", "447-qd-tu"),
        ("4110/BTTTT-TTĐN", None, None, "central", "4110-btttt-ttdn"),
        ("50/2016/NQ-HĐND", 2016, "NQ", "local", "50-nq-hdnd"),
        ("969/TTr-STTTT", None, "TTr", "local", "969-ttr-stttt"),
        ("12/CV-BTGTU", None, "CV", "local", "12-cv-btgtu"),
    ],
)
def test_parse_symbol(number, year, type_code, scope, core):
    s = parse_symbol(number)
    assert (s.year, s.type_code, s.scope, s.core) == (year, type_code, scope, core)


def test_instrument_iris_follow_the_eli_like_scheme():
    iris = Iris("https://example.org/id")
    assert iris.base == "https://example.org/id/"
    assert iris.instrument("QĐ", 2018, None, "1486/QĐ-TTg") == "https://example.org/id/instrument/qd/2018/1486-qd-ttg"
    assert Iris().instrument("NĐ", 2015, "vn", "72/2015/NĐ-CP") == \
        "https://w3id.org/ttdn/id/instrument/nd/2015/72-2015-nd-cp"
    local = Iris().instrument("KH", 2022, "thua-thien-hue", "12/KH-UBND")
    assert local == "https://w3id.org/ttdn/id/instrument/kh/2022/thua-thien-hue/12-kh-ubnd"
    assert year_of_instrument_iri(local) == 2022
    assert year_of_instrument_iri(Iris().instrument("NĐ", None, None, "72/NĐ-CP")) is None
    assert Iris.task("https://x/plan", "II.1.a") == "https://x/plan/task/II.1.a"
    assert concept("instrument-type", "QĐ") == "https://w3id.org/ttdn/vocab/instrument-type/qd"


def test_base_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("TTDN_BASE", "http://local.test/ttdn")
    assert Iris().unit("vn") == "http://local.test/ttdn/unit/vn"


def test_unit_paths():
    assert VN.path == "vn"
    assert HUONG_TRA.path == "thua-thien-hue/huong-tra"
    u = plan_unit(Jurisdiction("Hương Trà", "thị xã", "Thừa Thiên Huế"))
    assert u == HUONG_TRA and u.province.path == "thua-thien-hue"
    assert plan_unit(Jurisdiction(None, None, None)) is None


def test_agency_variants_of_one_body_meet():
    a = resolve_agency("Đài Phát thanh và Truyền hình tỉnh", HD)
    b = resolve_agency("Đài PT-TH tỉnh Hải Dương", HD)
    assert (a.unit, a.key) == (b.unit, b.key) == (HD, "dai-phat-thanh-truyen-hinh")
    assert identity_key("Ủy ban nhân dân tỉnh Hải Dương", HD) == identity_key("UBND tỉnh", HD)
    assert identity_key("Cục Hải quan tỉnh", HD) == "cuc-hai-quan"  # "quan" is not the level word "quận"


def test_agency_units_are_told_from_the_name_conservatively():
    assert resolve_agency("Ủy ban nhân dân huyện Vân Đồn", QN).unit.path == "quang-ninh/van-don"
    assert resolve_agency("Sở Thông tin và Truyền thông tỉnh", HUONG_TRA).unit.path == "thua-thien-hue"
    assert resolve_agency("Sở Thông tin và Truyền thông", HUONG_TRA).unit.path == "thua-thien-hue"
    assert resolve_agency("Ủy ban nhân dân tỉnh Thừa Thiên Huế", HUONG_TRA).unit.path == "thua-thien-hue"
    assert resolve_agency("Phòng Văn hóa và Thông tin", HUONG_TRA).unit == HUONG_TRA
    assert resolve_agency("Thủ tướng Chính phủ", HD).unit.is_country
    assert resolve_agency("Cục Thông tin đối ngoại", HD).unit.is_country
    assert resolve_agency("Ủy ban nhân dân Bình Liêu", QN).unit == QN  # no level word: kept in the plan's unit


def test_groups():
    assert is_group("các sở, ban, ngành, đoàn thể tỉnh")
    assert is_group("Ủy ban nhân dân các huyện, thị xã, thành phố")
    assert not is_group("Ban Quản lý các Khu Công nghiệp tỉnh")
    g = resolve_agency("Ủy ban nhân dân các huyện, thị xã, thành phố", HD)
    assert g.group and g.key == "uy-ban-nhan-dan-cac-huyen-thi-xa-thanh-pho"


def test_joint_issuers_split_only_between_bodies():
    assert split_joint("Sở Thông tin và Truyền thông và Bộ Chỉ huy Bộ đội Biên phòng tỉnh") == [
        "Sở Thông tin và Truyền thông", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"]
    assert split_joint("Sở Văn hóa, Thể thao và Du lịch") == ["Sở Văn hóa, Thể thao và Du lịch"]


def test_named_instruments_meet_across_small_word_variants():
    a = Iris().named_instrument("ĐA", None, "Đề án tổng thể tuyên truyền bảo vệ chủ quyền của Việt Nam ở Biển Đông")
    b = Iris().named_instrument("ĐA", None, "Đề án tổng thể tuyên truyền bảo vệ chủ quyền Việt Nam ở Biển Đông")
    assert a == b == "https://w3id.org/ttdn/id/instrument/da/de-an-tong-the-tuyen-truyen-bao-ve-chu-quyen-viet-nam-o-bien-dong"
    long = Iris().named_instrument("CL", "kon-tum", "Chiến lược " + "rất dài " * 40)
    assert long.startswith("https://w3id.org/ttdn/id/instrument/cl/kon-tum/chien-luoc-rat-dai")
    assert len(long.rsplit("/", 1)[1]) <= 120
