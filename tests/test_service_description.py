"""The SPARQL 1.1 Service Description on GET /sparql (no query): fetched in every RDF format from the seeds' server,
parsed with rdflib, checked with a SHACL shape (tests/fixtures/shapes/service_description.ttl), and held to what the
endpoint actually does — its formats, graphs, limits and union default graph."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from pyshacl import validate
from rdflib import RDF, RDFS, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from ttdn_graph.web import conneg
from ttdn_graph.web.service_description import NAMED_GRAPHS_LISTED, service_triples

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
TTDN = Namespace("https://w3id.org/ttdn/ontology#")
SHAPE = Path(__file__).parent / "fixtures" / "shapes" / "service_description.ttl"
RDFLIB_SYNTAX = {"ttl": "turtle", "n3": "n3", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPE)


@pytest.fixture(scope="module")
def described(live_server) -> rdflib.Graph:
    r = live_server.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    return rdflib.Graph().parse(data=r.text, format="turtle")


def conforms(g: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, str]:
    ok, _, text = validate(g, shacl_graph=shapes, inference="none")
    return bool(ok), text


@pytest.mark.parametrize("accept", [None, "text/html", "*/*",
                                    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"])
def test_people_still_get_the_form(live_server, accept) -> None:
    r = live_server.get("/sparql", headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html") and "<form" in r.text


@pytest.mark.parametrize("fmt", conneg.RDF_FORMATS, ids=lambda f: f.key)
def test_every_rdf_format_parses_conforms_and_says_the_same(live_server, described, shapes, fmt) -> None:
    for how in ({"headers": {"Accept": fmt.media_type}}, {"params": {"format": fmt.key}}):
        r = live_server.get("/sparql", **how)
        assert r.status_code == 200, r.text[:300]
        assert r.headers["content-type"].split(";")[0] == fmt.media_type
        assert "Accept" in r.headers.get("vary", "")
        g = rdflib.Graph().parse(data=r.content, format=RDFLIB_SYNTAX[fmt.key])
        ok, report = conforms(g, shapes)
        assert ok, report
        assert isomorphic(g, described)


def test_an_unknown_rdf_ask_is_406(live_server) -> None:
    assert live_server.get("/sparql", headers={"Accept": "image/png"}).status_code == 406


def test_it_names_this_endpoint_its_graphs_and_the_void_description(live_server, described) -> None:
    svc = URIRef(live_server.sparql)
    assert (svc, RDF.type, SD.Service) in described and (svc, SD.endpoint, svc) in described
    assert set(described.objects(svc, SD.supportedLanguage)) == {SD.SPARQL11Query}
    dataset = described.value(svc, SD.defaultDataset)
    names = {str(described.value(n, SD.name)) for n in described.objects(dataset, SD.namedGraph)}
    held = set(live_server.store.graphs())
    assert names == held and len(held) > 5
    assert int(described.value(dataset, TTDN.namedGraphCount)) == len(held)
    listing = str(described.value(dataset, TTDN.namedGraphList))
    assert listing.startswith(live_server.sparql + "?")
    r = live_server.get(listing[len(live_server.url):])
    assert {b["g"]["value"] for b in r.json()["results"]["bindings"]} == held
    void = live_server.url + "/.well-known/void"
    assert (svc, RDFS.seeAlso, URIRef(void)) in described and (dataset, RDFS.seeAlso, URIRef(void)) in described
    assert (dataset, VOID.sparqlEndpoint, svc) in described


def test_the_limits_are_the_ones_enforced(live_server, described) -> None:
    svc = URIRef(live_server.sparql)
    r = live_server.get("/sparql", params={"query": "ASK {}"})
    settings = live_server.app.state.settings
    assert described.value(svc, TTDN.resultRowCap) == Literal(int(r.headers["X-TTDN-Result-Cap"]))
    assert described.value(svc, TTDN.resultByteCap) == Literal(int(r.headers["X-TTDN-Byte-Cap"]))
    assert float(described.value(svc, TTDN.queryTimeLimit)) == settings.query_timeout


def test_every_result_format_it_names_is_served(live_server, described) -> None:
    svc = URIRef(live_server.sparql)
    named = {str(o) for o in described.objects(svc, SD.resultFormat)}
    by_iri = {f.sd_format: f for f in conneg.RDF_FORMATS + conneg.RESULT_FORMATS}
    assert named == set(by_iri)
    for iri in sorted(named):
        f = by_iri[iri]
        query = "CONSTRUCT WHERE { ?s a ?t } LIMIT 3" if f.kind == conneg.RDF else "SELECT ?s WHERE { ?s a ?t } LIMIT 3"
        r = live_server.get("/sparql", params={"query": query}, headers={"Accept": f.media_type})
        assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == f.media_type, iri


def test_the_default_graph_is_the_union_it_claims(live_server, described) -> None:
    assert (URIRef(live_server.sparql), SD.feature, SD.UnionDefaultGraph) in described
    for g in live_server.store.graphs():
        row = live_server.store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o FILTER(isIRI(?o)) }} }} "
                                      "LIMIT 1")[0]
        ask = f"ASK {{ <{row['s'].value}> <{row['p'].value}> <{row['o'].value}> }}"
        assert live_server.get("/sparql", params={"query": ask}).json()["boolean"] is True, g


def test_the_shape_catches_a_description_without_what_clients_need(described, shapes) -> None:
    for drop in (SD.endpoint, TTDN.resultRowCap, SD.namedGraph, RDFS.seeAlso):
        g = rdflib.Graph()
        for t in described:
            if t[1] != drop:
                g.add(t)
        assert not conforms(g, shapes)[0], drop
    g = rdflib.Graph()
    for s, p, o in described:
        g.add((s, p, Literal(str(o)) if p == TTDN.queryTimeLimit else o))
    assert not conforms(g, shapes)[0]


def test_many_graphs_are_counted_and_pointed_to() -> None:
    graphs = [f"https://example.org/g/{i:05d}" for i in range(NAMED_GRAPHS_LISTED + 7)]
    triples = service_triples("http://127.0.0.1:1/sparql", graphs=graphs, time_limit=2.5, row_cap=10, byte_cap=100,
                              union_default_graph=False, void_url="http://127.0.0.1:1/.well-known/void")
    names = [t for t in triples if t.predicate.value == str(SD.name)]
    assert len(names) == NAMED_GRAPHS_LISTED
    count = next(t.object.value for t in triples if t.predicate.value == str(TTDN.namedGraphCount))
    assert int(count) == len(graphs)
    assert not any(t.predicate.value == str(SD.feature) for t in triples)  # not claimed when not known
    limit = next(t.object for t in triples if t.predicate.value == str(TTDN.queryTimeLimit))
    assert limit.value == "2.5" and limit.datatype.value.endswith("#decimal")
