"""Agencies as W3C ORG organisations: variant names merged by data rules, one canonical label, parent bodies,
classification, renames and mergers with dates and sources, the loaders' errors, and no duplicate body in the seeds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from ttdn_graph.graph.namespaces import ORG
from ttdn_graph.graph.organisations import org_quads
from ttdn_graph.lexicon import LexiconError
from ttdn_graph.lexicon.agency_types import agency_types
from ttdn_graph.lexicon.organisations import (
    agency_changes,
    organisation_types,
    parent_rules,
    variant_rules,
)
from ttdn_graph.parse.agencies import classify as parse_classify
from ttdn_graph.resolve.agencies import resolve_agency
from ttdn_graph.resolve.iris import Iris, concept
from ttdn_graph.resolve.organisations import changes, org_node, parents
from ttdn_graph.resolve.units import VN, Unit

ROOT = Path(__file__).resolve().parent.parent
KT = Unit("Kon Tum", "tỉnh", VN)
QN = Unit("Quảng Ninh", "tỉnh", VN)
TTH = Unit("Thừa Thiên Huế", "tỉnh", VN)
HUONG_TRA = Unit("Hương Trà", "thị xã", TTH)
IRIS = Iris()
PREFIXES = """PREFIX ttdn: <https://w3id.org/ttdn/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def _iri(ref) -> str:
    return IRIS.agency(ref.unit.path, ref.key)


def _facts(ref) -> set[tuple[str, str, str]]:
    return {(str(s).strip("<>"), str(p).strip("<>"), str(o).strip("<>")) for s, p, o in org_quads(org_node(ref, IRIS))}


# -- variant names ------------------------------------------------------------------------------------------------
def test_border_guard_short_form_is_the_same_body_with_the_official_label() -> None:
    refs = [resolve_agency(n, KT) for n in ("Bộ Chỉ huy Biên phòng tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
                                            "Bộ Chỉ huy Bộ đội biên phòng tỉnh Kon Tum", "BCH BĐBP tỉnh",
                                            "Bộ đội Biên phòng tỉnh")]
    assert {r.key for r in refs} == {"bo-chi-huy-bo-doi-bien-phong"}
    assert {r.canonical for r in refs} == {"Bộ Chỉ huy Bộ đội Biên phòng tỉnh Kon Tum"}
    assert {r.type_id for r in refs} == {"border-guard"}


@pytest.mark.parametrize(("names", "unit", "canonical"), [
    (("Mặt trận Tổ quốc", "Ủy ban MTTQ Việt Nam thị xã", "Ủy ban Mặt trận Tổ quốc Việt Nam thị xã Hương Trà"),
     HUONG_TRA, "Ủy ban Mặt trận Tổ quốc Việt Nam thị xã Hương Trà"),
    (("Ban Tuyên giáo", "Ban Tuyên giáo tỉnh", "Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy Kon Tum"),
     KT, "Ban Tuyên giáo Tỉnh ủy Kon Tum"),
    (("Ban Tuyên giáo", "Ban Tuyên giáo Thị ủy"), HUONG_TRA, "Ban Tuyên giáo Thị ủy Hương Trà"),
    (("Sở Công thương", "Sở Công Thương tỉnh Kon Tum"), KT, "Sở Công Thương tỉnh Kon Tum"),
    (("Sở Thông tin Truyền thông", "Sở TT&TT", "Sở Thông tin và Truyền thông tỉnh"), KT,
     "Sở Thông tin và Truyền thông tỉnh Kon Tum"),
    (("Tỉnh đoàn", "Đoàn TNCS Hồ Chí Minh tỉnh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Kon Tum"), KT,
     "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Kon Tum"),
    (("Ban Chấp hành Đảng bộ tỉnh", "Tỉnh ủy", "Tỉnh ủy Kon Tum"), KT, "Tỉnh ủy Kon Tum"),
    (("Công an", "Công an tỉnh"), KT, "Công an tỉnh Kon Tum"),
])
def test_variants_of_one_body_meet(names, unit, canonical) -> None:
    refs = [resolve_agency(n, unit) for n in names]
    assert len({(r.unit, r.key) for r in refs}) == 1, [(r.name, r.key) for r in refs]
    assert {r.canonical for r in refs} == {canonical}


def test_bodies_the_rules_do_not_know_keep_their_printed_label() -> None:
    ref = resolve_agency("Báo Kon Tum", KT)
    assert ref.canonical == "Báo Kon Tum"
    assert resolve_agency("Ban Quản lý vịnh Hạ Long", QN).canonical == "Ban Quản lý vịnh Hạ Long"


# -- classification and the Cục Hải quan rule -----------------------------------------------------------------------
def test_classification_triple_and_agency_type() -> None:
    ref = resolve_agency("Sở Thông tin và Truyền thông", KT)
    assert (_iri(ref), ORG + "classification", str(concept("agency-type", "department")).strip("<>")) in _facts(ref)


def test_a_provincial_customs_department_is_a_branch_for_parser_and_graph() -> None:
    name = "Cục Hải quan tỉnh Quảng Ninh"
    ref = resolve_agency(name, QN)
    assert parse_classify(name) == ref.type_id == "branch"
    assert ref.unit.path == "quang-ninh"
    assert [p.canonical for p in parents(ref)] == ["Tổng cục Hải quan"]
    assert parents(ref)[0].unit.is_country
    # without a local unit it stays the central department, for both
    assert parse_classify("Cục Hải quan") == resolve_agency("Cục Hải quan", QN).type_id == "ministry-department"


# -- parents ---------------------------------------------------------------------------------------------------------
def test_department_is_part_of_the_provincial_peoples_committee() -> None:
    ref = resolve_agency("Sở Thông tin và Truyền thông", KT)
    [p] = parents(ref)
    assert (p.unit, p.key, p.type_id, p.canonical) == (KT, "uy-ban-nhan-dan", "peoples-committee",
                                                       "Ủy ban nhân dân tỉnh Kon Tum")
    assert p.key == resolve_agency("UBND tỉnh Kon Tum", KT).key
    facts = _facts(ref)
    assert (_iri(ref), ORG + "subOrganizationOf", _iri(p)) in facts
    assert (_iri(p), "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://w3id.org/ttdn/ontology#Agency") in facts


def test_district_division_is_part_of_the_district_peoples_committee() -> None:
    ref = resolve_agency("Phòng Văn hóa và Thông tin", HUONG_TRA)
    [p] = parents(ref)
    assert (p.unit, p.key, p.canonical) == (HUONG_TRA, "uy-ban-nhan-dan", "Ủy ban nhân dân thị xã Hương Trà")


def test_party_board_is_part_of_its_party_committee_and_offices_of_their_body() -> None:
    [p] = parents(resolve_agency("Ban Tuyên giáo Thị ủy", HUONG_TRA))
    assert (p.unit, p.key, p.canonical) == (HUONG_TRA, "thi-uy", "Thị ủy Hương Trà")
    [p] = parents(resolve_agency("Văn phòng UBND tỉnh", KT))
    assert p.canonical == "Ủy ban nhân dân tỉnh Kon Tum"
    [p] = parents(resolve_agency("Cục Thông tin đối ngoại", KT))  # central: the gazetteer's parent column
    assert (p.unit, p.canonical) == (VN, "Bộ Thông tin và Truyền thông")


def test_org_facts_depend_on_the_body_not_on_the_mention() -> None:
    a = resolve_agency("Bộ Chỉ huy Biên phòng tỉnh", KT)
    b = resolve_agency("Bộ Chỉ huy Bộ đội Biên phòng tỉnh Kon Tum", KT)
    assert _facts(a) == _facts(b)


# -- changes ----------------------------------------------------------------------------------------------------------
def test_provincial_information_department_merged_into_science_and_technology() -> None:
    ref = resolve_agency("Sở Thông tin và Truyền thông", KT)
    found = {c.id: r for c, r in changes(ref)}
    assert found["so-tttt-so-khcn-2025"].canonical == "Sở Khoa học và Công nghệ tỉnh Kon Tum"
    assert found["so-tttt-so-khcn-2025"].unit == KT
    c = next(c for c in agency_changes() if c.id == "so-tttt-so-khcn-2025")
    assert c.date.isoformat() == "2025-03-01" and c.source_url.startswith("http")


def test_central_rows_and_province_rows_stay_apart() -> None:
    assert [c.id for c, _ in changes(resolve_agency("Bộ TT&TT", KT)) if c.kind == "merger"] == ["bo-tttt-bo-khcn-2025"]
    assert not [c for c, _ in changes(resolve_agency("Sở Ngoại vụ", KT))]  # no sourced row: nothing invented
    bg = Unit("Bắc Giang", "tỉnh", VN)
    ids = {c.id for c, _ in changes(resolve_agency("Ban Tuyên giáo Tỉnh ủy", bg))}
    assert ids == {"btgtu-btgdvtu-bac-giang-2025"}  # the province's own dated row replaces the general one


# -- loaders -----------------------------------------------------------------------------------------------------------
def test_lexicon_files_load_and_name_known_types() -> None:
    ids = {t.id for t in agency_types()}
    assert variant_rules() and parent_rules() and agency_changes()
    assert set(organisation_types()) <= ids
    assert {t.local_type for t in organisation_types().values() if t.local_type} <= ids
    assert {r.agency_type for r in parent_rules()} <= ids
    assert {r.parent_type for r in parent_rules() if r.parent_type} <= ids


@pytest.mark.parametrize(("loader", "header", "row", "message"), [
    (variant_rules, "pattern,replacement,level,note", "^Sở (,Sở,province,", "bad regular expression"),
    (variant_rules, "pattern,replacement,level,note", "^Sở,Sở,planet,", "level"),
    (variant_rules, "pattern,replacement,level,note", "^Ban,Ban {nobody},local,", "placeholder"),
    (parent_rules, "agency_type,level,name_pattern,parent,parent_type,parent_unit,note",
     "department,province,,Ủy ban nhân dân,peoples-committee,upstairs,", "parent_unit"),
    (agency_changes, "id,original,level,province,result,kind,date,source,source_url,note",
     "x-1,Sở A,province,,Sở B,merger,2025-13-01,NĐ 1,https://example.org/a,", "date"),
    (agency_changes, "id,original,level,province,result,kind,date,source,source_url,note",
     "x-1,Sở A,province,,Sở B,merger,2025-03-01,NĐ 1,not a url,", "source_url"),
    (agency_changes, "id,original,level,province,result,kind,date,source,source_url,note",
     "x-1,Sở A,province,,Sở B,merger,,NĐ 1,https://example.org/a,", "date"),
])
def test_malformed_row_raises_naming_file_and_line(tmp_path, loader, header, row, message) -> None:
    path = tmp_path / "rules.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    with pytest.raises(LexiconError) as e:
        loader(path)
    assert f"{path}:2" in str(e.value) and message in str(e.value)


# -- the seeds --------------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory) -> ox.Store:
    path = tmp_path_factory.mktemp("org") / "store"
    ttdn = Path(sys.executable).parent / "ttdn"
    subprocess.run([str(ttdn), "load", str(ROOT / "data" / "plans"), "--store", str(path)], check=True,
                   capture_output=True)
    return ox.Store(str(path))


def _select(store: ox.Store, q: str) -> list[dict[str, str]]:
    res = store.query(PREFIXES + q, use_default_graph_as_union=True)
    names = [v.value for v in res.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in res]


def test_seeds_have_one_node_per_body(seeds_store) -> None:
    rows = _select(seeds_store, """SELECT DISTINCT ?a ?l ?j ?jl ?lv ?pl WHERE {
        ?a a ttdn:Agency ; rdfs:label ?l ; ttdn:jurisdiction ?j . ?j rdfs:label ?jl .
        OPTIONAL { ?j ttdn:level ?lv } OPTIONAL { ?j ttdn:withinUnit ?p . ?p rdfs:label ?pl } }""")
    labels: dict[str, set[str]] = {}
    by_body: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        labels.setdefault(r["a"], set()).add(r["l"])
        if r["lv"] == "quốc gia":
            unit = VN
        elif r["pl"] in (None, "Việt Nam"):
            unit = Unit(r["jl"], r["lv"], VN)
        else:
            unit = Unit(r["jl"], r["lv"], Unit(r["pl"], "tỉnh", VN))
        key = resolve_agency(r["l"], unit).key  # the variant-rule key of the body's label, in its unit
        by_body.setdefault((r["j"], key), set()).add(r["a"])
    dupes = {k: v for k, v in by_body.items() if len(v) > 1}
    assert not dupes
    assert all(len(v) == 1 for v in labels.values()), {a: v for a, v in labels.items() if len(v) > 1}


def test_seeds_kon_tum_has_one_border_guard_command(seeds_store) -> None:
    rows = _select(seeds_store, """SELECT DISTINCT ?a ?l WHERE {
        ?a a ttdn:Agency ; rdfs:label ?l ; ttdn:jurisdiction ?j ; ttdn:agencyType ?t .
        FILTER(STRENDS(STR(?j), "/unit/kon-tum") && STRENDS(STR(?t), "/border-guard")) }""")
    assert rows == [{"a": IRIS.agency("kon-tum", "bo-chi-huy-bo-doi-bien-phong"),
                     "l": "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Kon Tum"}]


def test_seeds_2019_information_department_has_a_dated_sourced_change(seeds_store) -> None:
    rows = _select(seeds_store, """SELECT DISTINCT ?rl ?d ?src ?kind WHERE {
        ?e a org:ChangeEvent ; org:originalOrganization ?o ; org:resultingOrganization ?r ;
           dcterms:date ?d ; dcterms:source ?src ; ttdn:changeKind ?kind .
        ?r rdfs:label ?rl ; ttdn:jurisdiction ?j .
        FILTER(STRENDS(STR(?o), "/agency/kon-tum/so-thong-tin-truyen-thong") && ?kind = "merger") }""")
    assert rows == [{"rl": "Sở Khoa học và Công nghệ tỉnh Kon Tum", "d": "2025-03-01",
                     "src": "https://ictvietnam.vn/print/69097.html", "kind": "merger"}]
    sub = _select(seeds_store, """SELECT DISTINCT ?p WHERE {
        ?a org:subOrganizationOf ?p . FILTER(STRENDS(STR(?a), "/agency/kon-tum/so-thong-tin-truyen-thong")) }""")
    assert sub == [{"p": IRIS.agency("kon-tum", "uy-ban-nhan-dan")}]
