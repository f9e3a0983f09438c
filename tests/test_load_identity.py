"""Citations are resolved against what the store holds (a SPARQL look-up, so remote stores resolve too)."""

from __future__ import annotations

import pytest
from graph_fixtures import TTDN, minimal_record, oxigraph_server, record_by_place

from ttdn_graph.graph import source_graph
from ttdn_graph.loader import load_record
from ttdn_graph.store import open_store

DECREE_72 = "https://w3id.org/ttdn/id/instrument/nd/2015/72-2015-nd-cp"


@pytest.fixture(params=["embedded", "remote"])
def store(request, tmp_path):
    if request.param == "embedded":
        st = open_store(str(tmp_path / "store"))
        yield st
        st.close()
    else:
        with oxigraph_server(tmp_path / "server") as endpoint:
            yield open_store(endpoint=endpoint)


def basis_of(store, source: str) -> list[str]:
    rows = store.query_values(TTDN + f"""SELECT DISTINCT ?i WHERE {{
        GRAPH <{source_graph(source)}> {{ ?plan ttdn:hasTask [] ; ttdn:legalBasis ?i }} }} ORDER BY ?i""")
    return [r["i"] for r in rows]


def notes_in(store, source: str) -> list[dict[str, str]]:
    return store.query_values(TTDN + f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?of ?code ?printed ?resolved WHERE {{ GRAPH <{source_graph(source)}> {{
        ?d a ttdn:Discrepancy ; ttdn:discrepancyOf ?of ; skos:notation ?code .
        OPTIONAL {{ ?d ttdn:printedValue ?printed }} OPTIONAL {{ ?d ttdn:resolvedValue ?resolved }} }} }}""")


def test_citation_without_year_resolves_to_the_stored_decree(store):
    load_record(store, record_by_place("Kon Tum"))
    rec = minimal_record("late.txt", "Hà Giang", [{"type": "Nghị định", "number": "72/NĐ-CP"}])
    load_record(store, rec)
    assert basis_of(store, "late.txt") == [DECREE_72]
    notes = [n for n in notes_in(store, "late.txt") if n["of"] == DECREE_72]
    assert len(notes) == 1
    assert (notes[0]["code"], notes[0]["printed"], notes[0]["resolved"]) == ("year-resolved", "72/NĐ-CP",
                                                                           "72/2015/NĐ-CP")


def test_citation_without_year_and_nothing_stored_is_minted_and_marked(store):
    rec = minimal_record("alone.txt", "Hà Giang", [{"type": "Nghị định", "number": "72/NĐ-CP"}])
    load_record(store, rec)
    (iri,) = basis_of(store, "alone.txt")
    assert iri == "https://w3id.org/ttdn/id/instrument/nd/72-nd-cp"
    assert [n["code"] for n in notes_in(store, "alone.txt")] == ["year-unresolved"]


def test_dated_citation_without_year_in_symbol_meets_the_canonical_node(store):
    load_record(store, record_by_place("Kon Tum"))
    rec = minimal_record("dated.txt", "Hà Giang", [{"type": "Nghị định", "number": "72/NĐ-CP", "date": "2015-09-07"}])
    load_record(store, rec)
    assert basis_of(store, "dated.txt") == [DECREE_72]


def test_wrong_date_keeps_one_node_and_records_a_discrepancy(store):
    load_record(store, record_by_place("Kon Tum"))
    rec = minimal_record("typo.txt", "Hà Giang", [
        {"type": "Nghị định", "number": "72/2015/NĐ-CP", "date": "2016-09-07", "issuer": "Chính phủ"}])
    load_record(store, rec)
    assert basis_of(store, "typo.txt") == [DECREE_72]
    nodes = store.query_values(TTDN + 'SELECT DISTINCT ?i WHERE { ?i ttdn:number "72/2015/NĐ-CP" }')
    assert [r["i"] for r in nodes] == [DECREE_72]
    dates = store.query_values(TTDN + f"SELECT DISTINCT ?d WHERE {{ <{DECREE_72}> ttdn:dateIssued ?d }}")
    assert [r["d"] for r in dates] == ["2015-09-07"]
    (note,) = notes_in(store, "typo.txt")
    assert (note["of"], note["code"], note["printed"]) == (DECREE_72, "date-contradicts-number", "2016-09-07")


def test_same_local_symbol_of_two_provinces_gives_two_nodes(store):
    load_record(store, record_by_place("Hương Trà"))
    rec = minimal_record("kt.txt", "Kon Tum", [
        {"type": "Kế hoạch", "number": "12/KH-UBND", "date": "2022-01-10", "issuer": "Ủy ban nhân dân tỉnh"}])
    load_record(store, rec)
    rows = store.query_values(TTDN + """SELECT DISTINCT ?i ?unit WHERE {
        ?i ttdn:number "12/KH-UBND" ; ttdn:jurisdiction ?u . ?u rdfs:label ?unit } ORDER BY ?unit""")
    assert [r["unit"] for r in rows] == ["Kon Tum", "Thừa Thiên Huế"]
    assert len({r["i"] for r in rows}) == 2


def test_year_less_local_citation_resolves_only_within_its_province(store):
    load_record(store, record_by_place("Hương Trà"))  # holds 12/KH-UBND (2022) of Thừa Thiên Huế
    rec = minimal_record("kt2.txt", "Kon Tum", [{"type": "Kế hoạch", "number": "12/KH-UBND"}])
    load_record(store, rec)
    (iri,) = basis_of(store, "kt2.txt")
    assert iri == "https://w3id.org/ttdn/id/instrument/kh/kon-tum/12-kh-ubnd"
    rec = minimal_record("ht2.txt", "Phong Điền", [{"type": "Kế hoạch", "number": "12/KH-UBND",
                                                    "issuer": "Ủy ban nhân dân tỉnh"}],
                         level="huyện", parent="Thừa Thiên Huế")
    load_record(store, rec)
    assert basis_of(store, "ht2.txt") == ["https://w3id.org/ttdn/id/instrument/kh/2022/thua-thien-hue/12-kh-ubnd"]
