"""Units named in agency names and issuers (ttdn_graph/resolve/units.py): dashed province names stay whole, and a plan
of a province never gains a second, phantom unit from a name that begins the province's name ("Bà Rịa")."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ttdn_graph import cli_graph
from ttdn_graph.resolve.gazetteer import GazetteerView
from ttdn_graph.resolve.units import VN, Unit, mentioned_units, place_unit, plan_unit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # bench/ is a folder of the checkout, not an installed package
    sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402

GAZ = GazetteerView.at(None)
BRVT = GAZ.province_unit("Bà Rịa - Vũng Tàu")
TTDN = "PREFIX ttdn: <https://w3id.org/ttdn/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
UNIT = "https://w3id.org/ttdn/id/unit/"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", [("tỉnh", "Bà Rịa - Vũng Tàu")]),
        ("Sở Ngoại vụ tỉnh Bà Rịa – Vũng Tàu", [("tỉnh", "Bà Rịa - Vũng Tàu")]),
        ("UBND tỉnh Bà Rịa–Vũng Tàu", [("tỉnh", "Bà Rịa - Vũng Tàu")]),
        ("UBND tỉnh Bà Rịa-Vũng Tàu", [("tỉnh", "Bà Rịa - Vũng Tàu")]),
        ("Sở Thông tin và Truyền thông tỉnh Thừa Thiên - Huế", [("tỉnh", "Thừa Thiên - Huế")]),
        ("Ủy ban nhân dân thành phố Bà Rịa", [("thành phố", "Bà Rịa")]),
        ("Huyện ủy Vân Đồn", [("huyện ủy", "Vân Đồn")]),
        ("Ủy ban nhân dân tỉnh - thành phố", []),  # a dash before a lower-case word ends nothing
    ],
)
def test_dashed_names_are_one_mention(name: str, expected: list[tuple[str, str]]) -> None:
    assert mentioned_units(name) == expected


@pytest.mark.parametrize(
    ("level_word", "place", "path"),
    [
        ("tỉnh", "Bà Rịa - Vũng Tàu", "ba-ria-vung-tau"),
        ("tỉnh", "Bà Rịa", "ba-ria-vung-tau"),  # cut short: the plan's province, not a new province "ba-ria"
        ("tỉnh ủy", "Bà Rịa", "ba-ria-vung-tau"),
        ("tỉnh", "Quảng Ninh - Ban Tuyên", "quang-ninh"),  # "Tỉnh ủy Quảng Ninh - Ban Tuyên giáo"
        ("tỉnh", "Đồng Nai", "dong-nai"),  # another province stays another province
        ("thành phố", "Bà Rịa", "ba-ria-vung-tau/ba-ria"),  # the city of Bà Rịa, inside the province
    ],
)
def test_a_province_plan_never_gains_a_phantom_province(level_word: str, place: str, path: str) -> None:
    assert place_unit(level_word, place, BRVT, GAZ).path == path
    assert place_unit(level_word, place, BRVT, None).path == path  # the same without the gazetteer


def test_without_a_gazetteer_the_plan_chain_still_wins() -> None:
    plan = Unit("Bà Rịa - Vũng Tàu", "tỉnh", VN)
    assert place_unit("tỉnh", "Bà Rịa", plan).path == "ba-ria-vung-tau"
    assert place_unit("tỉnh", "Bà Rịa - Vũng Tàu", plan).path == "ba-ria-vung-tau"


# ---------------------------------------------------------------- on a loaded generated corpus


def _enough(n: int) -> bool:
    """generate(n) holds a numbered plan of Bà Rịa - Vũng Tàu (the case that split) and a plan of thành phố Bà Rịa."""
    plans = generate(n)
    return any(p.province == "Bà Rịa - Vũng Tàu" and p.expected["kind"] == "province" and p.number for p in plans) \
        and any(p.expected["jurisdiction"]["name"] == "Bà Rịa" for p in plans)


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    """The plans of Bà Rịa - Vũng Tàu in a generated corpus and the corpus's first 40, loaded with `ttdn load`."""
    from ttdn_graph.store import open_store

    tmp = tmp_path_factory.mktemp("phantom")
    n = next(n for n in range(100, 1001, 100) if _enough(n))
    plans = [p for i, p in enumerate(generate(n, tmp / "corpus")) if i < 40 or p.province == "Bà Rịa - Vũng Tàu"]
    app = typer.Typer()
    app.command("load")(cli_graph.load)
    app.command("stats")(cli_graph.stats)
    files = [str(tmp / "corpus" / p.file_name) for p in plans]
    res = CliRunner().invoke(app, ["load", *files, "--store", str(tmp / "store"), "--quiet"])
    assert res.exit_code == 0, res.output
    store = open_store(str(tmp / "store"), read_only=True)
    yield plans, store
    store.close()


def test_every_loaded_plan_has_exactly_one_jurisdiction(corpus_store) -> None:
    plans, store = corpus_store
    rows = store.query(TTDN + "SELECT ?p (COUNT(DISTINCT ?j) AS ?n) WHERE { ?p a ttdn:Plan ; ttdn:hasTask [] . "
                       "OPTIONAL { ?p ttdn:jurisdiction ?j } } GROUP BY ?p")
    assert len(rows) == len(plans)
    assert Counter(int(r["n"].value) for r in rows) == {1: len(plans)}


def test_no_phantom_ba_ria(corpus_store) -> None:
    """A unit called "Bà Rịa" is the city inside Bà Rịa - Vũng Tàu, and only plans really of it have it."""
    plans, store = corpus_store
    brvt = [p for p in plans if p.province == "Bà Rịa - Vũng Tàu"]
    assert any(p.expected["kind"] == "province" and p.number for p in brvt)  # the case that used to split
    assert any(p.expected["jurisdiction"]["name"] == "Bà Rịa" for p in brvt)  # and a plan really of the city
    units = store.query(TTDN + "SELECT DISTINCT ?u ?within WHERE { ?u a ttdn:AdministrativeUnit ; rdfs:label ?l . "
                        "OPTIONAL { ?u ttdn:withinUnit ?within } FILTER(STR(?l) = 'Bà Rịa') }")
    for r in units:
        assert r["u"].value == UNIT + "ba-ria-vung-tau/ba-ria", r["u"].value
        assert r["within"].value == UNIT + "ba-ria-vung-tau"
    of_ba_ria = store.query(TTDN + "SELECT DISTINCT ?p WHERE { ?p a ttdn:Plan ; ttdn:hasTask [] ; "
                            "ttdn:jurisdiction/rdfs:label ?l . FILTER(STR(?l) = 'Bà Rịa') }")
    expected = [p for p in plans if p.expected["jurisdiction"]["name"] == "Bà Rịa"]
    assert len(of_ba_ria) == len(expected) > 0
    province_plans = store.query(TTDN + f"SELECT DISTINCT ?p WHERE {{ ?p a ttdn:Plan ; ttdn:hasTask [] ; "
                                 f"ttdn:jurisdiction <{UNIT}ba-ria-vung-tau> }}")
    assert len(province_plans) == sum(p.expected["kind"] != "district" for p in brvt)


# ---------------------------------------------------------------- districts and communes in the graph

COMMUNE_PLAN = """ỦY BAN NHÂN DÂN
PHƯỜNG BÀ RỊA
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 12/KH-UBND
Bà Rịa, ngày 15 tháng 9 năm 2025

KẾ HOẠCH
Thông tin đối ngoại phường Bà Rịa năm 2025

Thực hiện Kế hoạch số 100/KH-UBND ngày 01/8/2025 của Ủy ban nhân dân Thành phố Hồ Chí Minh về công tác thông tin \
đối ngoại năm 2025, Ủy ban nhân dân phường Bà Rịa ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
Nâng cao hiệu quả công tác thông tin đối ngoại trên địa bàn phường.

II. NHIỆM VỤ
1. Tuyên truyền về chủ quyền biển, đảo
- Đơn vị chủ trì: Văn phòng HĐND và UBND phường.
- Thời gian thực hiện: Quý IV năm 2025.

III. TỔ CHỨC THỰC HIỆN
Văn phòng HĐND và UBND phường chủ trì, theo dõi, đôn đốc thực hiện Kế hoạch này.

CHỦ TỊCH
Nguyễn Văn A
"""


def test_a_district_carries_its_code_and_successor() -> None:
    from datetime import date

    from ttdn_graph.record import Jurisdiction

    gaz = GazetteerView.at(date(2019, 6, 30))
    van_don = plan_unit(Jurisdiction("Vân Đồn", "huyện", "Quảng Ninh"), None, gaz)
    assert (van_don.path, van_don.key) == ("quang-ninh/van-don", "quang-ninh-van-don")
    facts = gaz.facts(van_don)
    assert facts["code"] == "203"
    assert (facts["successor"].path, facts["successor_date"]) == ("quang-ninh", "2025-07-01")  # district abolished
    hoanh_bo = plan_unit(Jurisdiction("Hoành Bồ", "huyện", "Quảng Ninh"), None, GazetteerView.at(date(2018, 6, 30)))
    facts = gaz.facts(hoanh_bo)
    assert "code" not in facts  # gone before the official list of 2025
    assert (facts["successor"].path, facts["successor_date"]) == ("quang-ninh/ha-long", "2020-01-01")
    assert gaz.facts(Unit("Nowhere", "huyện", gaz.province_unit("Quảng Ninh"))) == {}


def test_a_commune_of_2025_is_its_own_unit_beside_the_district_of_the_same_name() -> None:
    from datetime import date

    from ttdn_graph.record import Jurisdiction

    gaz = GazetteerView.at(date(2025, 9, 15))
    zone = plan_unit(Jurisdiction("Vân Đồn", "đặc khu", "Quảng Ninh"), None, gaz)
    assert zone.path == "quang-ninh/dac-khu-van-don" != plan_unit(
        Jurisdiction("Vân Đồn", "huyện", "Quảng Ninh"), None, GazetteerView.at(date(2019, 6, 30))).path
    assert gaz.facts(zone) == {"code": "06994"}
    ward = plan_unit(Jurisdiction("Bà Rịa", "phường", "Hồ Chí Minh"), None, gaz)
    assert (ward.path, ward.key) == ("ho-chi-minh-2025/phuong-ba-ria", "ho-chi-minh-2025-phuong-ba-ria")
    assert mentioned_units("Ủy ban nhân dân phường Bà Rịa") == [("phường", "Bà Rịa")]
    assert mentioned_units("Bộ Lao động - Thương binh và Xã hội") == []
    assert mentioned_units("Nhà nước pháp quyền xã hội chủ nghĩa Việt Nam") == []


def test_a_commune_plan_of_2025_has_one_jurisdiction_and_its_own_numbers() -> None:
    """After 1 July 2025 plans come from communes: the ward's plan is the ward's (parent: the new Hồ Chí Minh, not
    the old Bà Rịa - Vũng Tàu that had a city of that name), and its 12/KH-UBND is not the city's 12/KH-UBND."""
    from ttdn_graph.extract import extract_text
    from ttdn_graph.graph import SourceMeta, build_quads

    record = extract_text(COMMUNE_PLAN, "phuong-ba-ria-2025.txt")
    j = record.plan.jurisdiction
    assert (j.name, j.level, j.parent) == ("Bà Rịa", "phường", "Hồ Chí Minh")
    quads = build_quads(record, source_meta=SourceMeta(record.source, loaded_at="2025-10-01T00:00:00+00:00"))
    plan = "https://w3id.org/ttdn/id/instrument/kh/2025/ho-chi-minh-2025/phuong-ba-ria/12-kh-ubnd"
    ward = UNIT + "ho-chi-minh-2025/phuong-ba-ria"
    juris = {q.object.value for q in quads if q.subject.value == plan and q.predicate.value.endswith("#jurisdiction")}
    assert juris == {ward}
    ward_facts = {(q.predicate.value.rsplit("#", 1)[-1], q.object.value) for q in quads if q.subject.value == ward}
    classes = {q.object.value for q in quads if q.subject.value == ward and q.predicate.value.endswith("#type")}
    assert "https://w3id.org/ttdn/ontology#Commune" in classes
    assert ("adminCode", "26560") in ward_facts and ("withinUnit", UNIT + "ho-chi-minh-2025") in ward_facts
    assert ("level", "phường") in ward_facts
