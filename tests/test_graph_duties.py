"""Duties in the graph: one ttdn:Duty node per duty of a responsibility item (shared by the agencies the item names),
in the document's own graph, with its text, line span and partner agencies resolved like task agencies; a plain
SPARQL query over the loaded seeds answers "what must Phòng Văn hóa và Thông tin do?"."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttdn_graph.extract import extract_file
from ttdn_graph.graph.build import build_document
from ttdn_graph.resolve import resolve

ROOT = Path(__file__).resolve().parents[1]
HUONG_TRA = ROOT / "data" / "plans" / "002_7a2d3a9fe5686233.txt"
TTDN = "https://w3id.org/ttdn/ontology#"
P = (f"PREFIX ttdn: <{TTDN}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
     "PREFIX prov: <http://www.w3.org/ns/prov#>\n")


@pytest.fixture(scope="module")
def resolved():
    return resolve(extract_file(HUONG_TRA))


def test_resolved_duties_share_nodes_and_resolve_their_partners(resolved):
    by_section: dict[str, list] = {}
    for r in resolved.responsibilities:
        assert len(r.duty_items) == r.duties, r.section
        by_section.setdefault(r.section, []).append(r)
    a, b = by_section["III.8"]  # Ủy ban MTTQ and the group of bodies: one item, the same duty node
    assert a.agency.iri != b.agency.iri and a.duty_items == b.duty_items and len(a.duty_items) == 1
    [vhtt] = by_section["III.2"]
    first = vhtt.duty_items[0]
    assert first.iri == f"{resolved.plan.iri}/duty/iii-2/1"
    partners = {x.label for x in first.support}
    assert "Ban Tuyên giáo Thị ủy Hương Trà" in partners
    assert all(x.iri.startswith("https://w3id.org/ttdn/id/") for x in first.support)
    [police] = by_section["III.5"]  # "Phối hợp với Phòng Văn hóa và Thông tin …": the same agency node
    assert police.duty_items[0].support[0].iri == vhtt.agency.iri


def test_duty_triples_live_in_the_document_graph(resolved):
    doc = build_document(resolved)
    duties = {q.subject.value for q in doc.own
              if q.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" and q.object.value == TTDN + "Duty"}
    assert duties == {q.object.value for q in doc.own if q.predicate.value == TTDN + "hasDuty"}
    assert len(duties) == sum(len(r.duty_items) for r in resolved.responsibilities if r.section != "III.8") + 1
    assert all(q.graph_name.value == resolved.graph for q in doc.own)
    assert not any(e in duties for e in doc.facts)  # nothing about a duty goes to the entities graph
    texts = [q for q in doc.own if q.subject.value in duties and q.predicate.value == TTDN + "sourceText"]
    assert len(texts) == len(duties) and all(q.object.language == "vi" for q in texts)


def test_sparql_over_the_seeds_lists_what_an_agency_must_do(seed_store_path):
    from ttdn_graph.store import open_store

    st = open_store(seed_store_path, read_only=True)
    try:
        rows = st.query_values(P + """SELECT ?text ?start ?partner WHERE {
            ?agency rdfs:label "Phòng Văn hóa và Thông tin thị xã Hương Trà"@vi .
            ?resp ttdn:agency ?agency ; ttdn:hasDuty ?duty .
            ?duty ttdn:sourceText ?text ; ttdn:lineStart ?start .
            OPTIONAL { ?duty ttdn:supportedBy/rdfs:label ?partner }
        } ORDER BY ?start ?partner""")
        assert sorted({int(r["start"]) for r in rows}) == [92, 94, 96, 98, 100]
        assert any(r["text"].startswith("Tăng cường quản lý nhà nước về văn hóa") for r in rows)
        assert {r.get("partner") for r in rows if r["start"] == "100"} == {
            "Sở Thông tin và Truyền thông tỉnh Thừa Thiên Huế"}
        # every duty of the seeds has a text and a line; counted once however many agencies share it
        n = st.query_values(P + "SELECT (COUNT(*) AS ?n) WHERE { ?d a ttdn:Duty ; ttdn:sourceText ?t ; "
                                "ttdn:lineStart ?l }")[0]["n"]
        assert int(n) == int(st.query_values(P + "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?r ttdn:hasDuty ?d }")
                             [0]["n"]) > 50
    finally:
        st.close()
